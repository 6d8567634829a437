// Builds the window, wires the connection state into the status bar, remembers the layout.
#include "ui/MainWindow.h"

#include "app/ApiClient.h"
#include "app/Connection.h"
#include "app/Settings.h"
#include "ui/pages/PlaceholderPage.h"
#include "ui/pages/audit/AuditLogPage.h"
#include "ui/pages/keys/ApiKeysPage.h"
#include "ui/pages/limits/LimitsPage.h"
#include "ui/pages/sandboxes/SandboxesPage.h"
#include "ui/pages/snapshots/SnapshotsPage.h"
#include "ui/pages/volumes/VolumesPage.h"
#include "ui/widgets/SettingsDialog.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>

namespace cove::ui {

using app::Settings;

MainWindow::MainWindow(app::ApiClient* client, QWidget* parent)
    : QMainWindow(parent)
    , m_client(client)
    , m_sidebar(new QListWidget(this))
    , m_stack(new QStackedWidget(this))
    , m_sandboxes(new SandboxesPage(client, this))
    , m_keys(new ApiKeysPage(client, this))
    , m_limits(new LimitsPage(client, this))
    , m_audit(new AuditLogPage(client, this))
    , m_snapshots(new SnapshotsPage(client, this))
    , m_volumes(new VolumesPage(client, this))
    , m_connection(new QLabel(this))
    , m_engine(new QLabel(this)) {
    setWindowTitle(tr("Cove"));
    setObjectName(QStringLiteral("MainWindow"));

    addPage(tr("Sandboxes"), m_sandboxes);
    addPage(tr("Snapshots"), m_snapshots);
    addPage(tr("Volumes"), m_volumes);
    addPage(tr("API Keys"), m_keys);
    addPage(tr("Limits"), m_limits);
    addPage(tr("Audit Logs"), m_audit);
    addPage(tr("Playground"),
            new PlaceholderPage(tr("Playground"),
                                tr("Try sandboxes without writing code: run commands and code, "
                                   "open a terminal or a desktop."),
                                this));
    m_sidebar->setCurrentRow(0);
    m_sidebar->setAccessibleName(tr("Pages"));
    connect(m_sidebar, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    // Pages without live updates yet read the service when they are shown (Sandboxes follows events).
    connect(m_stack, &QStackedWidget::currentChanged, this, [this] {
        if (m_stack->currentWidget() != m_sandboxes)
            refreshCurrent();
    });

    auto* splitter = new QSplitter(this);
    splitter->addWidget(m_sidebar);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({180, 1020});
    setCentralWidget(splitter);

    auto* file = menuBar()->addMenu(tr("&File"));
    auto* settings = file->addAction(tr("&Settings…"), this, &MainWindow::openSettings);
    settings->setShortcut(QKeySequence::Preferences);
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);
    auto* view = menuBar()->addMenu(tr("&View"));
    auto* refresh = view->addAction(tr("&Refresh"), this, &MainWindow::refreshCurrent);
    refresh->setShortcut(QKeySequence::Refresh);
    auto* reconnectAction = view->addAction(tr("Re&connect"), this, &MainWindow::reconnect);
    reconnectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    for (int i = 0; i < m_stack->count(); ++i) {
        auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | (Qt::Key_1 + i)), this);
        connect(shortcut, &QShortcut::activated, this, [this, i] { m_sidebar->setCurrentRow(i); });
    }

    statusBar()->addWidget(m_connection, 1);
    statusBar()->addPermanentWidget(m_engine);
    connect(m_client, &app::ApiClient::connected, this, [this](const QString& engineVersion) {
        m_connection->setText(tr("Connected to %1").arg(m_client->target().url));
        m_engine->setText(tr("Docker %1").arg(engineVersion));
        refreshCurrent();
    });
    connect(m_client, &app::ApiClient::disconnected, this, [this](const QString& reason) {
        m_connection->setText(tr("Not connected: %1").arg(reason));
        m_engine->clear();
    });

    resize(1200, 720);
    restoreGeometry(Settings::value(Settings::Key::WindowGeometry).toByteArray());
    restoreState(Settings::value(Settings::Key::WindowState).toByteArray());
    reconnect();
}

QString MainWindow::connectionText() const {
    return m_connection->text();
}
QString MainWindow::engineText() const {
    return m_engine->text();
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
    else if (page == m_snapshots)
        m_snapshots->refresh();
    else if (page == m_volumes)
        m_volumes->refresh();
}

void MainWindow::addPage(const QString& title, QWidget* page) {
    m_sidebar->addItem(title);
    m_stack->addWidget(page);
}

void MainWindow::reconnect() {
    m_connection->setText(tr("Connecting to %1…").arg(m_client->target().url));
    m_client->checkConnection();
}

void MainWindow::openSettings() {
    SettingsDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted) {
        m_client->setTarget(app::Connection::resolve({}, {}));
        reconnect();
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    Settings::setValue(Settings::Key::WindowGeometry, saveGeometry());
    Settings::setValue(Settings::Key::WindowState, saveState());
    event->accept();
}

} // namespace cove::ui
