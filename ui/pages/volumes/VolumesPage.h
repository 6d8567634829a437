// The Volumes page: the organization's volumes with the space they use, a dialog to make one,
// deleting with confirmation (the service refuses while a sandbox mounts it, and says which), and a
// browser over the selected volume's files that needs no sandbox.
#pragma once

#include "app/ResourcesApi.h"

#include <QDialog>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace cove::app {
class ApiClient;
class VolumeModel;
} // namespace cove::app

namespace cove::ui {

namespace detail {
class FilesTab;
}

class CreateVolumeDialog : public QDialog {
    Q_OBJECT
public:
    explicit CreateVolumeDialog(QWidget* parent = nullptr);
    QString name() const;

private:
    QLineEdit* m_name;
};

class VolumesPage : public QWidget {
    Q_OBJECT
public:
    explicit VolumesPage(app::ApiClient* client, QWidget* parent = nullptr);
    app::VolumeModel* model() const { return m_model; }
    QString message() const; // the error shown, empty when none
    detail::FilesTab* files() const { return m_files; }
    // Selects the volume's row (and so shows its files); false when it is not listed.
    bool selectVolume(const QString& id);

public slots:
    void refresh();
    void createVolume();
    void deleteSelected();

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();

    app::VolumesApi m_api;
    app::VolumeModel* m_model;
    QTableView* m_view;
    QSortFilterProxyModel* m_proxy;
    QLabel* m_title;
    QLabel* m_intro;
    QPushButton* m_create;
    QPushButton* m_delete;
    QLabel* m_message;
    QWidget* m_filesPane;
    QLabel* m_filesTitle;
    detail::FilesTab* m_files;
    bool m_relisting = false;

    void showFilesOfSelection();
};

} // namespace cove::ui
