// Builds the window, wires the connection state into the banner and the status bar, remembers the
// layout. A language change translates the window and its pages in place, without a restart.
#include "ui/MainWindow.h"

#include "app/ApiClient.h"
#include "app/Connection.h"
#include "app/EventClient.h"
#include "app/LocalService.h"
#include "app/Settings.h"
#include "ui/Appearance.h"
#include "ui/pages/audit/AuditLogPage.h"
#include "ui/pages/keys/ApiKeysPage.h"
#include "ui/pages/limits/LimitsPage.h"
#include "ui/pages/playground/PlaygroundPage.h"
#include "ui/pages/registries/RegistriesPage.h"
#include "ui/pages/sandboxes/SandboxDetail.h"
#include "ui/pages/sandboxes/SandboxesPage.h"
#include "ui/pages/sandboxes/detail/TerminalTab.h"
#include "ui/pages/secrets/SecretsPage.h"
#include "ui/pages/snapshots/SnapshotsPage.h"
#include "ui/pages/volumes/VolumesPage.h"
#include "ui/pages/webhooks/WebhooksPage.h"
#include "ui/widgets/PageKit.h"
#include "ui/widgets/SettingsDialog.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

namespace cove::ui {

using app::Settings;

namespace {
// Reconnection after the service went away: quick at first, then every half minute.
constexpr int kFirstRetryMs = 1000;
constexpr int kMaxRetryMs = 30000;
} // namespace

MainWindow::MainWindow(app::ApiClient* client, QWidget* parent)
    : QMainWindow(parent)
    , m_client(client)
    , m_limitsApi(client)
    , m_connection(new QLabel(this))
    , m_engine(new QLabel(this))
    , m_usage(new QLabel(this))
    , m_retry(new QTimer(this)) {
    setObjectName(QStringLiteral("MainWindow"));
    statusBar()->addWidget(m_connection, 1);
    m_usage->setContentsMargins(0, 0, 12, 0); // apart from the engine beside it
    statusBar()->addPermanentWidget(m_usage);
    statusBar()->addPermanentWidget(m_engine);
    m_retry->setSingleShot(true);
    connect(m_retry, &QTimer::timeout, this, [this] {
        pickUpLocalKey();
        m_client->checkConnection();
    });
    connect(m_client, &app::ApiClient::connected, this, &MainWindow::onConnected);
    connect(m_client, &app::ApiClient::disconnected, this, &MainWindow::onDisconnected);
    // The event channel notices a vanished service first; the connection check then says why.
    connect(m_client->events(), &app::EventClient::disconnected, this, [this] {
        if (m_client->isConnected())
            m_client->checkConnection();
    });
    connect(m_client->events(), &app::EventClient::eventReceived, this,
            [this](const QString& name, const QJsonValue& payload) { onEvent(name, payload); });

    buildUi();
    resize(1200, 720);
    restoreGeometry(Settings::value(Settings::Key::WindowGeometry).toByteArray());
    restoreState(Settings::value(Settings::Key::WindowState).toByteArray());
    restoreLayout(Settings::value(Settings::Key::Layout).toMap());
    reconnect();
}

void MainWindow::buildUi() {
    auto* central = new QWidget(this);
    m_sidebar = new QListWidget(central);
    m_stack = new QStackedWidget(central);
    m_sandboxes = new SandboxesPage(m_client, central);
    m_snapshots = new SnapshotsPage(m_client, central);
    m_volumes = new VolumesPage(m_client, central);
    m_registries = new RegistriesPage(m_client, central);
    m_secrets = new SecretsPage(m_client, central);
    m_keys = new ApiKeysPage(m_client, central);
    m_limits = new LimitsPage(m_client, central);
    m_audit = new AuditLogPage(m_client, central);
    m_webhooks = new WebhooksPage(m_client, central);
    m_playground = new playground::PlaygroundPage(m_client, central);
    m_sandboxes->setBannerEnabled(false); // the window's banner speaks for the whole connection
    for (QWidget* page :
         std::initializer_list<QWidget*>{m_sandboxes, m_snapshots, m_volumes, m_registries, m_secrets, m_keys,
                                         m_limits, m_audit, m_playground, m_webhooks})
        addPage(page);
    // The Sandboxes page shows the selected sandbox in a detail pane, terminal included; the page takes
    // it over (and deletes the one it had).
    m_detail = new SandboxDetail(m_client, m_sandboxes);
    auto* terminal = new detail::TerminalTab(m_client, m_detail);
    m_terminalTab = terminal;
    m_detail->addTab(terminal, QString()); // named by retranslateUi
    connect(m_detail, &SandboxDetail::sandboxShown, terminal, &detail::TerminalTab::setSandbox);
    m_sandboxes->setDetailWidget(m_detail);
    connect(m_sandboxes, &SandboxesPage::sandboxSelected, m_detail, [this](const QString& id) {
        if (!id.isEmpty())
            m_detail->showSandbox(id);
    });
    // A sandbox the detail opens (a fork, a link of the lineage) is selected in the list too.
    connect(m_detail, &SandboxDetail::sandboxRequested, m_sandboxes,
            [this](const QString& id) { m_sandboxes->selectIds({id}); });
    m_sidebar->setCurrentRow(0);
    connect(m_sidebar, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    // Pages without live updates yet read the service when they are shown (Sandboxes follows events).
    connect(m_stack, &QStackedWidget::currentChanged, this, [this] {
        if (m_stack->currentWidget() != m_sandboxes)
            refreshCurrent();
    });

    // The banner: what is wrong with the connection and what can be done about it, above every page.
    m_banner = new QWidget(central);
    m_banner->setObjectName(QStringLiteral("ConnectionBanner"));
    m_banner->setAutoFillBackground(true);
    applyBannerPalette();
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setWordWrap(true);
    m_bannerText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_startService = new QPushButton(m_banner);
    connect(m_startService, &QPushButton::clicked, this, &MainWindow::startLocalService);
    m_enterKey = new QPushButton(m_banner);
    connect(m_enterKey, &QPushButton::clicked, this, &MainWindow::enterApiKey);
    m_retryNow = new QPushButton(m_banner);
    connect(m_retryNow, &QPushButton::clicked, this, &MainWindow::reconnect);
    auto* bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->addWidget(m_bannerText, 1);
    bannerLayout->addWidget(m_startService);
    bannerLayout->addWidget(m_enterKey);
    bannerLayout->addWidget(m_retryNow);
    m_banner->hide();

    auto* splitter = new QSplitter(central);
    splitter->setObjectName(QStringLiteral("sidebarSplitter"));
    splitter->addWidget(m_sidebar);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({180, 1020});
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    m_fileMenu = menuBar()->addMenu(QString());
    m_settingsAction = m_fileMenu->addAction(QString(), this, &MainWindow::openSettings);
    m_settingsAction->setShortcut(QKeySequence::Preferences);
    m_fileMenu->addSeparator();
    m_quitAction = m_fileMenu->addAction(QString(), qApp, &QApplication::closeAllWindows);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_viewMenu = menuBar()->addMenu(QString());
    m_refreshAction = m_viewMenu->addAction(QString(), this, &MainWindow::refreshCurrent);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_reconnectAction = m_viewMenu->addAction(QString(), this, &MainWindow::reconnect);
    m_reconnectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    for (int i = 0; i < m_stack->count() && i < 9; ++i) { // Ctrl+1 to Ctrl+9
        auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | (Qt::Key_1 + i)), central);
        connect(shortcut, &QShortcut::activated, this, [this, i] { m_sidebar->setCurrentRow(i); });
    }
    retranslateUi();
}

void MainWindow::retranslateUi() {
    setWindowTitle(tr("Cove"));
    const QStringList titles = {tr("Sandboxes"),  tr("Snapshots"), tr("Volumes"), tr("Registries"),
                                tr("Secrets"),    tr("API Keys"),  tr("Limits"),  tr("Audit Logs"),
                                tr("Playground"), tr("Webhooks")};
    for (int i = 0; i < m_sidebar->count() && i < titles.size(); ++i)
        m_sidebar->item(i)->setText(titles[i]);
    m_sidebar->setAccessibleName(tr("Pages"));
    m_detail->tabs()->setTabText(m_detail->tabs()->indexOf(m_terminalTab), tr("&Terminal"));
    m_startService->setText(tr("&Start the local service"));
    m_enterKey->setText(tr("Enter API &key…"));
    m_retryNow->setText(tr("Retry &now"));
    m_fileMenu->setTitle(tr("&File"));
    m_settingsAction->setText(tr("&Settings…"));
    m_quitAction->setText(tr("&Quit"));
    m_viewMenu->setTitle(tr("&View"));
    m_refreshAction->setText(tr("&Refresh"));
    m_reconnectAction->setText(tr("Re&connect"));
    updateConnectionTexts();
    updateUsageText();
    if (!m_banner->isHidden())
        showBanner();
}

void MainWindow::applyBannerPalette() {
    QPalette warn = m_banner->palette();
    warn.setColor(QPalette::Window,
                  appearance::isDark() ? QColor(0x5a, 0x45, 0x10) : QColor(0xff, 0xf1, 0xc2));
    warn.setColor(QPalette::WindowText,
                  appearance::isDark() ? QColor(0xff, 0xf1, 0xc2) : QColor(0x4a, 0x36, 0x00));
    m_banner->setPalette(warn);
}

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange && m_sidebar)
        retranslateUi(); // each page translates itself on the event it receives
    QMainWindow::changeEvent(event);
}

QString MainWindow::connectionText() const {
    return m_connection->text();
}
QString MainWindow::engineText() const {
    return m_engine->text();
}
QString MainWindow::usageText() const {
    return m_usage->text();
}
QString MainWindow::bannerText() const {
    return m_banner->isHidden() ? QString() : m_bannerText->text();
}

void MainWindow::showPage(int row) {
    m_sidebar->setCurrentRow(row);
}

void MainWindow::refreshCurrent() {
    QWidget* page = m_stack->currentWidget();
    if (page == m_sandboxes)
        m_sandboxes->refresh();
    else if (page == m_keys)
        m_keys->refresh();
    else if (page == m_limits)
        m_limits->refresh();
    else if (page == m_audit)
        m_audit->refresh();
    else if (page == m_webhooks)
        m_webhooks->refresh();
    else if (page == m_snapshots)
        m_snapshots->refresh();
    else if (page == m_volumes)
        m_volumes->refresh();
    else if (page == m_registries)
        m_registries->refresh();
    else if (page == m_secrets)
        m_secrets->refresh();
}

void MainWindow::addPage(QWidget* page) {
    m_sidebar->addItem(QString()); // named by retranslateUi
    m_stack->addWidget(page);
}

void MainWindow::reconnect() {
    m_retry->stop();
    m_link = Link::Connecting;
    updateConnectionTexts();
    pickUpLocalKey();
    m_client->checkConnection();
}

void MainWindow::pickUpLocalKey() {
    // A local service writes its admin key when it first starts, which may be after the window opened.
    app::ConnectionTarget t = m_client->target();
    if (!t.apiKey.isEmpty() || !app::LocalService::isLocal(t.url))
        return;
    t.apiKey = app::Connection::readKeyFile(app::Connection::localKeyFile());
    if (!t.apiKey.isEmpty())
        m_client->setTarget(t);
}

void MainWindow::onConnected(const QString& engineVersion) {
    m_engineVersion = engineVersion;
    m_lastError.clear();
    m_link = Link::Connected;
    m_retry->stop();
    m_retryDelayMs = 0;
    m_banner->hide();
    updateConnectionTexts();
    m_organization.clear(); // another service, or the same one with another key, may answer now
    loadUsage();
    refreshCurrent();
}

void MainWindow::updateConnectionTexts() {
    m_engine->clear();
    m_engine->setStyleSheet(QString());
    m_engine->setToolTip(QString());
    if (m_link == Link::Disconnected) {
        m_connection->setText(tr("Not connected: %1").arg(m_lastError));
        return;
    }
    if (m_link == Link::Connecting) {
        m_connection->setText(tr("Connecting to %1…").arg(m_client->target().url));
        return;
    }
    m_connection->setText(tr("Connected to %1").arg(m_client->target().url));
    const bool remaps = m_client->engineRemapsUsers();
    m_engine->setText(remaps ? tr("Docker %1").arg(m_engineVersion)
                             : QStringLiteral("\u26a0 ") +
                                   tr("Docker %1 — sandbox root is host root").arg(m_engineVersion));
    if (remaps)
        return;
    // A warning looks like one: a sign and a colour of its own.
    m_engine->setStyleSheet(QStringLiteral("QLabel { color: #c62828; font-weight: bold; }"));
    m_engine->setToolTip(tr("The Docker engine does not remap users, so root in a sandbox is root on the "
                            "service's machine. Start dockerd with --userns-remap=default."));
}

void MainWindow::onDisconnected(const QString& reason) {
    m_lastError = reason;
    m_link = Link::Disconnected;
    m_lastUsage.reset();
    m_usage->clear();
    showBanner();
    updateConnectionTexts();
    if (m_client->lastStatus() == 401 && !m_client->target().apiKey.isEmpty())
        return; // the same key will be refused again: wait for a new one
    // Try again on our own, backing off; the banner says when.
    m_retryDelayMs = m_retryDelayMs == 0 ? kFirstRetryMs : qMin(m_retryDelayMs * 2, kMaxRetryMs);
    m_retry->start(m_retryDelayMs);
}

void MainWindow::showBanner() {
    const bool refused = m_client->lastStatus() == 401;
    const QString url = m_client->target().url;
    const app::LocalServicePlan plan = app::LocalService::plan(url);
    QString text;
    if (refused) {
        text = tr("The service at %1 refused the API key. Enter the key of this service to go on.").arg(url);
    } else {
        text = tr("The Cove service at %1 is not answering; Cove keeps trying and picks up where you left "
                  "off.")
                   .arg(url);
        if (!plan.usable)
            text += QLatin1Char(' ') + plan.instructions;
    }
    m_bannerText->setText(m_starting ? tr("Starting the Cove service…") : text);
    m_startService->setVisible(!refused && plan.usable);
    m_enterKey->setVisible(refused);
    m_banner->show();
}

void MainWindow::startLocalService() {
    QString error;
    if (!app::LocalService::start(app::LocalService::plan(m_client->target().url), &error, &m_startedPid)) {
        m_bannerText->setText(error);
        return;
    }
    m_starting = true;
    m_bannerText->setText(tr("Starting the Cove service…"));
    m_startService->setEnabled(false);
    QTimer::singleShot(kFirstRetryMs, this, [this] {
        m_starting = false;
        m_startService->setEnabled(true);
    });
    m_retryDelayMs = 0;
    m_retry->start(kFirstRetryMs / 2);
}

void MainWindow::enterApiKey() {
    bool ok = false;
    const QString key =
        QInputDialog::getText(
            this, tr("API key"),
            tr("The API key for %1 (it is kept in the settings):").arg(m_client->target().url),
            QLineEdit::Password, QString(), &ok)
            .trimmed();
    if (!ok || key.isEmpty())
        return;
    Settings::setValue(Settings::Key::ApiKey, key);
    app::ConnectionTarget t = m_client->target();
    t.apiKey = key;
    m_client->setTarget(t);
    reconnect();
}

void MainWindow::loadUsage() {
    // The organization is looked up once per connection; usage.updated bursts then cost one call each.
    if (m_organization.isEmpty()) {
        m_limitsApi.organization(this, [this](const app::Result<app::Organization>& r) {
            if (!r.ok())
                return;
            m_organization = r.value().id;
            loadUsage();
        });
        return;
    }
    m_limitsApi.usage(m_organization, this, [this](const app::Result<app::Usage>& u) {
        if (!u.ok())
            return;
        m_lastUsage = u.value();
        updateUsageText();
    });
}

void MainWindow::updateUsageText() {
    if (!m_lastUsage) {
        m_usage->clear();
        return;
    }
    const app::Usage& usage = *m_lastUsage;
    m_usage->setText(tr("%1 · %2 of %3 vCPU · %n running", nullptr, usage.runningSandboxes)
                         .arg(kit::tierName(usage))
                         .arg(usage.cpu)
                         .arg(usage.cpuQuota));
}

void MainWindow::onEvent(const QString& name, const QJsonValue& payload) {
    // Lists other than the sandboxes' are read again when the service says they changed (once per burst).
    const auto reloadSoon = [this](QWidget* page, auto reload) {
        if (page->property("reloadPending").toBool())
            return;
        page->setProperty("reloadPending", true);
        QTimer::singleShot(200, page, [page, reload] {
            page->setProperty("reloadPending", false);
            reload();
        });
    };
    if (name == QLatin1String("audit.created"))
        m_audit->addLive(payload.toObject());
    else if (name == QLatin1String("usage.updated"))
        reloadSoon(m_usage, [this] { loadUsage(); });
    else if (name.startsWith(QLatin1String("snapshot.")))
        reloadSoon(m_snapshots, [this] { m_snapshots->refresh(); });
    else if (name.startsWith(QLatin1String("volume.")))
        reloadSoon(m_volumes, [this] { m_volumes->refresh(); });
}

void MainWindow::openSettings() {
    const QString language = Settings::value(Settings::Key::Language).toString();
    const QString theme = Settings::value(Settings::Key::Theme).toString();
    const QString url = Settings::value(Settings::Key::ServiceUrl).toString();
    const QString key = Settings::value(Settings::Key::ApiKey).toString();
    SettingsDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (Settings::value(Settings::Key::Theme).toString() != theme) {
        appearance::applyTheme(Settings::value(Settings::Key::Theme).toString());
        applyBannerPalette(); // the banner's colours follow the theme
    }
    if (Settings::value(Settings::Key::Language).toString() != language)
        appearance::applyLanguage(Settings::value(Settings::Key::Language).toString());
    // Only a change of the service or key connects anew: the service the program was started with
    // (--url, COVE_URL) stays otherwise.
    if (Settings::value(Settings::Key::ServiceUrl).toString() != url ||
        Settings::value(Settings::Key::ApiKey).toString() != key) {
        m_client->setTarget(app::Connection::resolve({}, {}));
        reconnect();
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    Settings::setValue(Settings::Key::WindowGeometry, saveGeometry());
    Settings::setValue(Settings::Key::WindowState, saveState());
    Settings::setValue(Settings::Key::Layout, layoutState());
    event->accept();
}

QVariantMap MainWindow::layoutState() const {
    QVariantMap state{{QStringLiteral("page"), m_sidebar->currentRow()}};
    for (const auto* splitter : centralWidget()->findChildren<QSplitter*>())
        if (!splitter->objectName().isEmpty())
            state.insert(splitter->objectName(), splitter->saveState());
    for (const auto* header : centralWidget()->findChildren<QHeaderView*>())
        if (!header->objectName().isEmpty())
            state.insert(header->objectName(), header->saveState());
    return state;
}

void MainWindow::restoreLayout(const QVariantMap& state) {
    for (auto* splitter : centralWidget()->findChildren<QSplitter*>())
        if (state.contains(splitter->objectName()))
            splitter->restoreState(state.value(splitter->objectName()).toByteArray());
    for (auto* header : centralWidget()->findChildren<QHeaderView*>())
        if (state.contains(header->objectName()))
            header->restoreState(state.value(header->objectName()).toByteArray());
    const int page = state.value(QStringLiteral("page"), 0).toInt();
    m_sidebar->setCurrentRow(page >= 0 && page < m_sidebar->count() ? page : 0);
}

} // namespace cove::ui
