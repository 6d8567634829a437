// The dashboard's terminal against a real coved and a real sandbox, on a real X server: the view asks
// for a token, loads coved's page, and a shell answers what is typed into it through Qt's key events.
#include "app/ApiClient.h"
#include "support/CovedProcess.h"
#include "support/Sandboxes.h"
#include "ui/widgets/TerminalView.h"
#include "ui/widgets/TerminalWindow.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QMainWindow>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineScriptCollection>
#include <QWebEngineView>
#include <QtTest>

using namespace cove;

namespace {

// The value of a JavaScript expression in the view's page (undefined: an invalid QVariant).
QVariant js(ui::TerminalView& view, const QString& expression) {
    QVariant out;
    bool done = false;
    view.webView()->page()->runJavaScript(expression, [&](const QVariant& v) {
        out = v;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        qWarning() << "no answer from the page to" << expression;
    return out;
}

QString state(ui::TerminalView& view) {
    return js(view, QStringLiteral("window.coveTerminal ? window.coveTerminal.state : ''")).toString();
}

QString screen(ui::TerminalView& view) {
    return js(view, QStringLiteral("window.coveTerminal ? window.coveTerminal.text() : ''")).toString();
}

// Saves what the window shows when COVE_SCREENSHOT_DIR is set (for people to look at).
void screenshot(QWidget* window, const QString& name) {
    const QString dir = qEnvironmentVariable("COVE_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        window->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

} // namespace

class TestTerminalView : public QObject {
    Q_OBJECT
    test::CovedProcess coved;
    test::Sandboxes sb{coved};
    QTemporaryDir settingsDir;
    app::ApiClient client;
    QString sandbox;

private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
        QVERIFY2(coved.start(), qPrintable(coved.error()));
        client.setTarget({coved.url(), coved.adminKey(), QStringLiteral("test")});
        sandbox = sb.create();
        QVERIFY(!sandbox.isEmpty());
    }

    void typesIntoTheShellAndReadsTheScreen() {
        // App shortcuts must not take the shell's keys: Ctrl+A is readline's start-of-line here.
        QMainWindow window;
        int stolen = 0;
        auto* appShortcut = new QAction(&window);
        appShortcut->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_A));
        window.addAction(appShortcut);
        connect(appShortcut, &QAction::triggered, this, [&] { ++stolen; });
        auto* view = new ui::TerminalView(&client, &window);
        window.setCentralWidget(view);
        window.resize(1000, 640);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        view->openSandbox(sandbox);
        QTRY_COMPARE_WITH_TIMEOUT(state(*view), QStringLiteral("connected"), 30000);
        // The token reached the page without being in its URL.
        QCOMPARE(view->webView()->url().toString(), coved.url() + QStringLiteral("/terminal/") + sandbox);
        QVERIFY(!view->webView()->page()->scripts().find(QStringLiteral("cove-terminal-config")).isEmpty());

        QWidget* keys = view->webView()->focusProxy();
        QVERIFY(keys);
        keys->setFocus();
        QTest::keyClicks(keys, QStringLiteral("cho gui-$((6*7))"));
        // Through the window, as the platform delivers keys: the shortcut map sees them first.
        QTest::keyClick(window.windowHandle(), Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(keys, QStringLiteral("e"));
        QTest::keyClick(keys, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(screen(*view).contains(QStringLiteral("\ngui-42")), 15000);
        QCOMPARE(stolen, 0);

        // Unicode and colours through xterm.js: CJK output lands in the buffer as text.
        js(*view, QStringLiteral("window.coveTerminal.send('printf \"\\\\033[32m%s\\\\033[0m\\\\n\" "
                                 "\"你好，世界 ok-$((3*3))\"\\r')"));
        QTRY_VERIFY_WITH_TIMEOUT(screen(*view).contains(QStringLiteral("你好，世界 ok-9")), 15000);
        js(*view, QStringLiteral("window.coveTerminal.send('ls --color=always / | head -5\\r')"));
        screenshot(&window, QStringLiteral("terminal-view"));

        // Copy takes the selection; Ctrl+Shift+V types the clipboard.
        QApplication::clipboard()->clear();
        js(*view, QStringLiteral("window.coveTerminal.term.selectAll()"));
        // The Copy action (Ctrl+Shift+C, and the context menu's Copy).
        QAction* copy = nullptr;
        for (QAction* a : view->actions())
            if (a->shortcut() == QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C))
                copy = a;
        QVERIFY(copy);
        copy->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(QApplication::clipboard()->text().contains(QStringLiteral("gui-42")), 10000);
        QApplication::clipboard()->setText(QStringLiteral("echo pasted-$((2+3))"));
        QTest::keyClick(window.windowHandle(), Qt::Key_V, Qt::ControlModifier | Qt::ShiftModifier);
        QTest::keyClick(keys, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(screen(*view).contains(QStringLiteral("\npasted-5")), 15000);

        // Detached into its own window, the same shell goes on.
        QSignalSpy detached(view, &ui::TerminalView::detached);
        view->detach();
        QCOMPARE(detached.count(), 1);
        auto* own = qobject_cast<ui::TerminalWindow*>(view->window());
        QVERIFY(own);
        QVERIFY(own != static_cast<QWidget*>(&window));
        QVERIFY(QTest::qWaitForWindowExposed(own));
        js(*view, QStringLiteral("window.coveTerminal.send('echo still-$((5*5))\\r')"));
        QTRY_VERIFY_WITH_TIMEOUT(screen(*view).contains(QStringLiteral("\nstill-25")), 15000);

        // A dropped socket offers Reconnect, which resumes the same shell.
        js(*view, QStringLiteral("window.coveTerminal.send('export MARK=back-$((4*4))\\r')"));
        js(*view, QStringLiteral("window.coveTerminal.drop()"));
        QTRY_COMPARE_WITH_TIMEOUT(state(*view), QStringLiteral("disconnected"), 15000);
        QVERIFY(!js(*view, QStringLiteral("document.getElementById('reconnect').hidden")).toBool());
        screenshot(own, QStringLiteral("terminal-disconnected"));
        // coved may not have noticed the drop yet: until it has, the token is refused and the page lets
        // the user try again.
        const QString retry = QStringLiteral("(s => (s === 'disconnected' || s === 'failed') && "
                                             "window.coveTerminal.reconnect())(window.coveTerminal.state)");
        QTRY_VERIFY_WITH_TIMEOUT((js(*view, retry), state(*view) == QStringLiteral("connected")), 15000);
        js(*view, QStringLiteral("window.coveTerminal.send('echo $MARK\\r')"));
        QTRY_VERIFY_WITH_TIMEOUT(screen(*view).contains(QStringLiteral("\nback-16")), 15000);

        // New Session: a fresh token, a fresh shell.
        view->newSession();
        QTRY_VERIFY_WITH_TIMEOUT(state(*view) == QStringLiteral("connected") &&
                                     !screen(*view).contains(QStringLiteral("back-16")),
                                 15000);
        js(*view, QStringLiteral("window.coveTerminal.send('echo [$MARK] fresh\\r')"));
        QTRY_VERIFY_WITH_TIMEOUT(screen(*view).contains(QStringLiteral("\n[] fresh")), 15000);
        own->close();
    }

    void stoppedSandboxSaysWhy() {
        const QString stopped = sb.create();
        QVERIFY(!stopped.isEmpty());
        QCOMPARE(sb.call("POST", QStringLiteral("/api/sandbox/") + stopped + QStringLiteral("/stop")).status,
                 200);
        QTRY_COMPARE_WITH_TIMEOUT(sb.state(stopped), QStringLiteral("stopped"), 60000);
        ui::TerminalView view(&client);
        view.show();
        view.openSandbox(stopped);
        QLabel* message = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (auto* l : view.findChildren<QLabel*>())
                    if (l->isVisible() && l->text().contains(QStringLiteral("start it")))
                        message = l;
                return message != nullptr;
            }(),
            15000);
        QVERIFY(message->text().startsWith(QStringLiteral("Cannot open a terminal")));
    }

    void aBrowserGetsThePageInItsLanguage() {
        // The page served to any browser, with no app around it: Chinese for a Chinese browser.
        QWebEngineProfile profile;
        profile.setHttpAcceptLanguage(QStringLiteral("zh-CN,zh"));
        QWebEnginePage page(&profile);
        QSignalSpy loaded(&page, &QWebEnginePage::loadFinished);
        page.load(QUrl(coved.url() + QStringLiteral("/terminal/") + sandbox));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(page.title(), QStringLiteral("Cove 终端"), 10000);
        const auto bodyText = [&] {
            QString out;
            bool done = false;
            page.runJavaScript(QStringLiteral("document.body.innerText"), [&](const QVariant& v) {
                out = v.toString();
                done = true;
            });
            return QTest::qWaitFor([&] { return done; }, 5000) ? out : QString();
        };
        QTRY_VERIFY_WITH_TIMEOUT(bodyText().contains(QStringLiteral("此链接不含终端令牌")), 10000);
    }

    void cleanupTestCase() { sb.removeAll(); }
};

int main(int argc, char** argv) {
    // QtWebEngine in a container, on a display with no GPU.
    if (qEnvironmentVariableIsEmpty("QTWEBENGINE_CHROMIUM_FLAGS"))
        qputenv("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu");
    qputenv("QTWEBENGINE_DISABLE_SANDBOX", "1");
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    TestTerminalView test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_terminal_view.moc"
