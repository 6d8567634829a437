// The dashboard's main window: a sidebar of pages, the page stack and a status bar with the connection.
#pragma once

#include <QMainWindow>

class QLabel;
class QListWidget;
class QStackedWidget;

namespace cove::app {
class ApiClient;
}

namespace cove::ui {

class SandboxesPage;
class ApiKeysPage;
class LimitsPage;
class AuditLogPage;
class SnapshotsPage;
class VolumesPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(app::ApiClient* client, QWidget* parent = nullptr);

    SandboxesPage* sandboxesPage() const { return m_sandboxes; }
    ApiKeysPage* keysPage() const { return m_keys; }
    LimitsPage* limitsPage() const { return m_limits; }
    AuditLogPage* auditPage() const { return m_audit; }
    SnapshotsPage* snapshotsPage() const { return m_snapshots; }
    VolumesPage* volumesPage() const { return m_volumes; }
    // Shows page `row` of the sidebar (0 = Sandboxes), as Ctrl+1… does.
    void showPage(int row);
    QString connectionText() const;
    QString engineText() const;

public slots:
    void reconnect();
    void refreshCurrent();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void addPage(const QString& title, QWidget* page);
    void openSettings();

    app::ApiClient* m_client;
    QListWidget* m_sidebar;
    QStackedWidget* m_stack;
    SandboxesPage* m_sandboxes;
    ApiKeysPage* m_keys;
    LimitsPage* m_limits;
    AuditLogPage* m_audit;
    SnapshotsPage* m_snapshots;
    VolumesPage* m_volumes;
    QLabel* m_connection;
    QLabel* m_engine;
};

} // namespace cove::ui
