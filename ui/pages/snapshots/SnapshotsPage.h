// The Snapshots page: the images sandboxes start from, with their state, default resources and size; a
// dialog to make one from an image or a Dockerfile; activating, deactivating, deleting (the service
// refuses for defaults and snapshots in use, and says why) and each snapshot's build log.
#pragma once

#include <QDialog>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace cove::app {
class ApiClient;
}

namespace cove::ui {

class JsonTableModel;

class CreateSnapshotDialog : public QDialog {
    Q_OBJECT
public:
    explicit CreateSnapshotDialog(QWidget* parent = nullptr);
    QJsonObject request() const; // the body of POST /api/snapshots

private:
    void updateOk();

    QLineEdit* m_name;
    QRadioButton* m_fromImage;
    QLineEdit* m_image;
    QRadioButton* m_fromDockerfile;
    QPlainTextEdit* m_dockerfile;
    QPushButton* m_ok;
};

class SnapshotsPage : public QWidget {
    Q_OBJECT
public:
    explicit SnapshotsPage(app::ApiClient* client, QWidget* parent = nullptr);
    JsonTableModel* model() const { return m_model; }
    QString message() const; // the error shown, empty when none
    // What the build panel shows (title, then the log's last lines); empty when no snapshot builds.
    QString buildProgress() const;

    // Shown for a snapshot state: "Active", "Building"…
    static QString stateText(const QString& state);

public slots:
    void refresh();
    void createSnapshot();
    void activateSelected();
    void deactivateSelected();
    void deleteSelected();
    void showBuildLog();

protected:
    void hideEvent(QHideEvent* event) override;

private:
    QJsonObject selected() const;
    void updateButtons();
    void changeSelected(const QString& action);
    // The progress panel for a building snapshot (hidden for an empty object), with its log's tail.
    void showBuilding(const QJsonObject& snapshot);

    app::ApiClient* m_client;
    JsonTableModel* m_model;
    QTableView* m_view;
    QSortFilterProxyModel* m_proxy;
    QPushButton* m_activate;
    QPushButton* m_deactivate;
    QPushButton* m_delete;
    QPushButton* m_log;
    QLabel* m_message;
    QTimer* m_poll; // while a snapshot is being made, the list is read again every 2 s
    QWidget* m_building;
    QLabel* m_buildTitle;
    QPlainTextEdit* m_buildTail;
};

} // namespace cove::ui
