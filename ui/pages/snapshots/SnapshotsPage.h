// The Snapshots page: the images sandboxes start from, with their state, default resources and size; a
// dialog to make one from an image or a Dockerfile; activating, deactivating, deleting (the service
// refuses for defaults and snapshots in use, and says why) and each snapshot's build log.
#pragma once

#include "app/ResourcesApi.h"

#include <QDialog>
#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace cove::app {
class ApiClient;
class SnapshotModel;
} // namespace cove::app

namespace cove::ui {

class CreateSnapshotDialog : public QDialog {
    Q_OBJECT
public:
    explicit CreateSnapshotDialog(QWidget* parent = nullptr);
    // The image or the Dockerfile (the other left empty), the entrypoint split into words, and the
    // resources that were given (0 in a box: the service's default).
    app::CreateSnapshotRequest request() const;

    QLineEdit* nameEdit() const { return m_name; }
    QLineEdit* imageEdit() const { return m_image; }
    QLineEdit* entrypointEdit() const { return m_entrypoint; }
    QSpinBox* cpuSpin() const { return m_cpu; }
    QSpinBox* memorySpin() const { return m_memory; }
    QSpinBox* diskSpin() const { return m_disk; }
    QPushButton* okButton() const { return m_ok; }

private:
    void updateOk();

    QLineEdit* m_name;
    QRadioButton* m_fromImage;
    QLineEdit* m_image;
    QRadioButton* m_fromDockerfile;
    QPlainTextEdit* m_dockerfile;
    QLineEdit* m_entrypoint;
    QSpinBox* m_cpu;
    QSpinBox* m_memory;
    QSpinBox* m_disk;
    QPushButton* m_ok;
};

class SnapshotsPage : public QWidget {
    Q_OBJECT
public:
    explicit SnapshotsPage(app::ApiClient* client, QWidget* parent = nullptr);
    app::SnapshotModel* model() const { return m_model; }
    QString message() const; // the error shown, empty when none
    // What the build panel shows (title, then the log's last lines); empty when no snapshot builds.
    QString buildProgress() const;

    // The open create dialog, if any.
    CreateSnapshotDialog* createDialog() const { return m_createDialog; }

public slots:
    void refresh();
    void createSnapshot();
    void activateSelected();
    void deactivateSelected();
    void deleteSelected();
    void showBuildLog();

protected:
    void hideEvent(QHideEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    // The selected snapshot, or nullptr.
    const app::Snapshot* selected() const;
    void updateButtons();
    void changeSelected(bool activate);
    // The progress panel for a building snapshot (hidden for an empty object), with its log's tail.
    void showBuilding(const app::Snapshot* snapshot);

    app::SnapshotsApi m_api;
    app::SnapshotModel* m_model;
    QTableView* m_view;
    QSortFilterProxyModel* m_proxy;
    QLabel* m_title;
    QLabel* m_intro;
    QPushButton* m_create;
    QPushButton* m_activate;
    QPushButton* m_deactivate;
    QPushButton* m_delete;
    QPushButton* m_log;
    QLabel* m_message;
    QTimer* m_poll; // while a snapshot is being made, the list is read again every 2 s
    QWidget* m_building;
    QLabel* m_buildTitle;
    QPlainTextEdit* m_buildTail;
    QString m_buildingId; // the snapshot the build panel follows
    QPointer<CreateSnapshotDialog> m_createDialog;
};

} // namespace cove::ui
