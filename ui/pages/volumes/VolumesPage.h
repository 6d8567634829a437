// The Volumes page: the organization's volumes with the space they use, a dialog to make one and
// deleting with confirmation (the service refuses while a sandbox mounts it, and says which).
#pragma once

#include <QDialog>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace cove::app {
class ApiClient;
}

namespace cove::ui {

class JsonTableModel;

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
    JsonTableModel* model() const { return m_model; }
    QString message() const; // the error shown, empty when none
    // Shown for a volume state: "Ready", "Deleting"…
    static QString stateText(const QString& state);

public slots:
    void refresh();
    void createVolume();
    void deleteSelected();

private:
    app::ApiClient* m_client;
    JsonTableModel* m_model;
    QTableView* m_view;
    QSortFilterProxyModel* m_proxy;
    QPushButton* m_delete;
    QLabel* m_message;
};

} // namespace cove::ui
