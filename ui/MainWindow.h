// The dashboard's main window: a sidebar of pages, the page stack, a banner when the service is away
// and a status bar with the connection, the engine and the organization's tier and usage.
#pragma once

#include "app/GovernanceApi.h"

#include <QJsonValue>
#include <QMainWindow>
#include <QVariantMap>

#include <optional>

class QAction;
class QLabel;
class QListWidget;
class QMenu;
class QPushButton;
class QStackedWidget;
class QTimer;

namespace cove::app {
class ApiClient;
}

namespace cove::ui {

class SandboxesPage;
class SandboxDetail;
class ApiKeysPage;
class LimitsPage;
class AuditLogPage;
class WebhooksPage;
class SnapshotsPage;
class VolumesPage;
class RegistriesPage;
class SecretsPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(app::ApiClient* client, QWidget* parent = nullptr);

    // The pages live as long as the window: a language switch translates each of them in place.
    SandboxesPage* sandboxesPage() const { return m_sandboxes; }
    SandboxDetail* sandboxDetail() const { return m_detail; }
    ApiKeysPage* keysPage() const { return m_keys; }
    LimitsPage* limitsPage() const { return m_limits; }
    AuditLogPage* auditPage() const { return m_audit; }
    WebhooksPage* webhooksPage() const { return m_webhooks; }
    SnapshotsPage* snapshotsPage() const { return m_snapshots; }
    VolumesPage* volumesPage() const { return m_volumes; }
    RegistriesPage* registriesPage() const { return m_registries; }
    SecretsPage* secretsPage() const { return m_secrets; }
    QWidget* playgroundPage() const { return m_playground; }
    // Shows page `row` of the sidebar (0 = Sandboxes), as Ctrl+1… does.
    void showPage(int row);
    QString connectionText() const;
    QString engineText() const;
    QString usageText() const;
    // The banner shown while the service can't be used; empty when hidden.
    QString bannerText() const;
    QPushButton* startServiceButton() const { return m_startService; }
    QPushButton* enterKeyButton() const { return m_enterKey; }
    // The coved this window started, if any (0 otherwise).
    qint64 startedServicePid() const { return m_startedPid; }

public slots:
    void reconnect();
    void refreshCurrent();
    void startLocalService();
    // Asks for an API key, saves it in the settings and connects with it.
    void enterApiKey();

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void buildUi();
    void retranslateUi();
    void applyBannerPalette();
    void updateConnectionTexts();
    void updateUsageText();
    // Splitter positions, column widths and order, and the page: kept across restarts.
    QVariantMap layoutState() const;
    void restoreLayout(const QVariantMap& state);
    void addPage(QWidget* page);
    void openSettings();
    void onConnected(const QString& engineVersion);
    void onDisconnected(const QString& reason);
    void showBanner();
    void loadUsage();
    void onEvent(const QString& name, const QJsonValue& payload);
    void pickUpLocalKey();

    app::ApiClient* m_client;
    app::LimitsApi m_limitsApi;
    QListWidget* m_sidebar = nullptr;
    QStackedWidget* m_stack = nullptr;
    SandboxesPage* m_sandboxes = nullptr;
    SandboxDetail* m_detail = nullptr;
    QWidget* m_terminalTab = nullptr; // the detail pane's tab this window adds
    ApiKeysPage* m_keys = nullptr;
    LimitsPage* m_limits = nullptr;
    AuditLogPage* m_audit = nullptr;
    WebhooksPage* m_webhooks = nullptr;
    SnapshotsPage* m_snapshots = nullptr;
    VolumesPage* m_volumes = nullptr;
    RegistriesPage* m_registries = nullptr;
    SecretsPage* m_secrets = nullptr;
    QWidget* m_banner = nullptr;
    QLabel* m_bannerText = nullptr;
    QPushButton* m_startService = nullptr;
    QPushButton* m_enterKey = nullptr;
    QPushButton* m_retryNow = nullptr;
    QWidget* m_playground = nullptr;
    QMenu* m_fileMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QAction* m_settingsAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_refreshAction = nullptr;
    QAction* m_reconnectAction = nullptr;
    QLabel* m_connection;
    QLabel* m_engine;
    QLabel* m_usage;
    QTimer* m_retry;
    int m_retryDelayMs = 0;
    enum class Link { Connecting, Connected, Disconnected };
    Link m_link = Link::Connecting;
    bool m_starting = false;               // "Starting the Cove service…" is shown
    std::optional<app::Usage> m_lastUsage; // shown again in a new language
    QString m_engineVersion;
    QString m_lastError;
    QString m_organization; // whose usage the status bar shows
    qint64 m_startedPid = 0;
};

} // namespace cove::ui
