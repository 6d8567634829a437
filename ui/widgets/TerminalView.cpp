// The token comes from POST /api/sandbox/{id}/terminal-token; the page at /terminal/{id} finds it in
// window.coveTerminalConfig, which a QWebEngineScript sets before the page's own scripts run. Keys go
// to the shell: app shortcuts are held off (ShortcutOverride), Ctrl+C/V are the shell's, and copy and
// paste are Ctrl+Shift+C/V and the context menu.
#include "ui/widgets/TerminalView.h"

#include "app/ApiClient.h"
#include "ui/widgets/PageKit.h"
#include "ui/widgets/TerminalWindow.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWebEnginePage>
#include <QWebEngineScript>
#include <QWebEngineScriptCollection>
#include <QWebEngineView>

namespace cove::ui {

namespace {

const QString kConfigScript = QStringLiteral("cove-terminal-config");

// `text` as a JavaScript string literal.
QString jsString(const QString& text) {
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

QKeySequence copyKeys() {
    return QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C);
}
QKeySequence pasteKeys() {
    return QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V);
}

} // namespace

TerminalView::TerminalView(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_client(client)
    , m_view(new QWebEngineView(this))
    , m_message(kit::messageLine(this))
    , m_detach(new QToolButton(this))
    , m_newSessionAction(new QAction(this))
    , m_copyAction(new QAction(this))
    , m_pasteAction(new QAction(this))
    , m_detachAction(new QAction(this)) {
    connect(m_newSessionAction, &QAction::triggered, this, &TerminalView::newSession);
    m_copyAction->setShortcut(copyKeys());
    m_copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_copyAction, &QAction::triggered, this, &TerminalView::copySelection);
    m_pasteAction->setShortcut(pasteKeys());
    m_pasteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_pasteAction, &QAction::triggered, this, &TerminalView::paste);
    addAction(m_copyAction);
    addAction(m_pasteAction);
    connect(m_detachAction, &QAction::triggered, this, &TerminalView::detach);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    for (QAction* a : {m_newSessionAction, m_copyAction, m_pasteAction}) {
        auto* b = new QToolButton(this);
        b->setDefaultAction(a);
        b->setFocusPolicy(Qt::NoFocus); // the keyboard stays with the shell
        bar->addWidget(b);
    }
    bar->addStretch(1);
    m_detach->setDefaultAction(m_detachAction);
    m_detach->setFocusPolicy(Qt::NoFocus);
    bar->addWidget(m_detach);

    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &TerminalView::showContextMenu);
    connect(m_view, &QWebEngineView::loadFinished, this, [this](bool ok) {
        m_loaded = ok;
        watchFocusProxy();
        if (!ok)
            kit::showMessage(m_message,
                             tr("The terminal page did not load from %1. Is the Cove service running?")
                                 .arg(m_client->target().url));
    });
    m_view->installEventFilter(this);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_message);
    layout->addWidget(m_view, 1);
    setFocusProxy(m_view);
    retranslateUi();
}

void TerminalView::retranslateUi() {
    m_newSessionAction->setText(tr("&New Session"));
    m_newSessionAction->setToolTip(tr("Open a new shell in this sandbox"));
    m_copyAction->setText(tr("&Copy"));
    m_pasteAction->setText(tr("&Paste"));
    m_detachAction->setText(tr("&Detach"));
    m_detachAction->setToolTip(tr("Move this terminal into a window of its own"));
}

void TerminalView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void TerminalView::openSandbox(const QString& sandboxId) {
    m_sandboxId = sandboxId;
    requestToken(true);
}

void TerminalView::newSession() {
    if (!m_sandboxId.isEmpty())
        requestToken(!m_loaded);
}

void TerminalView::setDetachable(bool on) {
    m_detach->setVisible(on);
}

void TerminalView::requestToken(bool reload) {
    kit::showMessage(m_message, {});
    const QString id = m_sandboxId;
    m_client->post(QStringLiteral("/api/sandbox/") + id + QStringLiteral("/terminal-token"), {}, this,
                   [this, id, reload](const app::ApiResult& r) {
                       if (id != m_sandboxId)
                           return; // another sandbox was opened meanwhile
                       if (!r.ok) {
                           kit::showMessage(m_message, tr("Cannot open a terminal: %1").arg(r.error));
                           return;
                       }
                       const QJsonObject o = r.json.object();
                       const QString token = o.value(QStringLiteral("token")).toString();
                       injectConfig(token, o.value(QStringLiteral("socketUrl")).toString());
                       if (reload)
                           m_view->load(QUrl(m_client->target().url + QStringLiteral("/terminal/") + id));
                       else
                           m_view->page()->runJavaScript(
                               QStringLiteral("window.coveTerminal.connect(%1)").arg(jsString(token)));
                       m_view->setFocus();
                   });
}

void TerminalView::injectConfig(const QString& token, const QString& socketUrl) {
    QJsonObject strings{
        {QStringLiteral("connecting"), tr("Connecting…")},
        {QStringLiteral("disconnected"), tr("Disconnected from the sandbox.")},
        {QStringLiteral("exited"), tr("The shell exited (code %1). Use New Session to start another.")},
        {QStringLiteral("reconnect"), tr("Reconnect")},
        {QStringLiteral("noToken"), tr("No terminal token. Use New Session.")},
        {QStringLiteral("failed"), tr("The terminal could not be opened. Use New Session to try again.")},
    };
    const QJsonObject config{{QStringLiteral("token"), token},
                             {QStringLiteral("socketUrl"), socketUrl},
                             {QStringLiteral("strings"), strings}};
    QWebEngineScript script;
    script.setName(kConfigScript);
    script.setInjectionPoint(QWebEngineScript::DocumentCreation);
    script.setWorldId(QWebEngineScript::MainWorld);
    script.setRunsOnSubFrames(false);
    script.setSourceCode(QStringLiteral("window.coveTerminalConfig = %1;")
                             .arg(QString::fromUtf8(QJsonDocument(config).toJson(QJsonDocument::Compact))));
    QWebEngineScriptCollection& scripts = m_view->page()->scripts();
    for (const QWebEngineScript& old : scripts.find(kConfigScript))
        scripts.remove(old);
    scripts.insert(script);
}

void TerminalView::copySelection() {
    m_view->page()->runJavaScript(
        QStringLiteral("window.coveTerminal ? window.coveTerminal.selection() : ''"), [](const QVariant& v) {
            if (!v.toString().isEmpty())
                QApplication::clipboard()->setText(v.toString());
        });
}

void TerminalView::paste() {
    const QString text = QApplication::clipboard()->text();
    if (text.isEmpty())
        return;
    m_view->page()->runJavaScript(
        QStringLiteral("window.coveTerminal && window.coveTerminal.paste(%1)").arg(jsString(text)));
}

void TerminalView::detach() {
    setDetachable(false);
    emit detached(m_sandboxId);
    auto* window = new TerminalWindow(this, tr("Terminal — %1").arg(m_sandboxId));
    window->show();
    m_view->setFocus();
}

void TerminalView::showContextMenu(const QPoint& pos) {
    QMenu menu(this);
    QAction* copy = menu.addAction(tr("&Copy"), this, &TerminalView::copySelection);
    copy->setShortcut(copyKeys());
    QAction* paste = menu.addAction(tr("&Paste"), this, &TerminalView::paste);
    paste->setShortcut(pasteKeys());
    paste->setEnabled(!QApplication::clipboard()->text().isEmpty());
    menu.exec(m_view->mapToGlobal(pos));
}

void TerminalView::watchFocusProxy() {
    // The widget that takes the keys exists once a page was loaded.
    if (QWidget* proxy = m_view->focusProxy())
        proxy->installEventFilter(this);
}

bool TerminalView::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::ShortcutOverride) {
        // The shell gets every key but the terminal's own copy and paste.
        auto* key = static_cast<QKeyEvent*>(event);
        const QKeySequence pressed(key->keyCombination());
        // Chromium would claim Ctrl+Shift+C as its own copy: ours, an ignored override, goes to the action.
        const bool ours = pressed == copyKeys() || pressed == pasteKeys();
        event->setAccepted(!ours);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace cove::ui
