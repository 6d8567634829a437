// The native VNC view against a real coved and a real cove-desktop sandbox, on a real X server: a desktop
// that is not running is explained and started from the view; the view connects through coved's tunnel
// and gets a frame of the display's size; a click in the view moves the remote pointer (scaled and 1:1);
// keys typed in the view reach a terminal on the desktop; the VNC tab's recordings list starts, stops,
// saves and deletes a recording; stopping the desktop shows "Disconnected".
// A local RFB server stands in only for what a real x11vnc will not do on demand: garbage, a huge screen,
// a tunnel cut mid-frame.
#include "app/ApiClient.h"
#include "support/CovedProcess.h"
#include "support/Gui.h"
#include "support/Http.h"
#include "support/Sandboxes.h"
#include "ui/pages/sandboxes/SandboxDetail.h"
#include "ui/pages/sandboxes/detail/DesktopTab.h"
#include "ui/pages/sandboxes/detail/RecordingsPanel.h"
#include "ui/widgets/vnc/VncView.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtEndian>
#include <QtTest>

using namespace cove;
using ui::VncClient;

namespace {
constexpr int kWait = 60000;

// ServerInit for a screen of `width`×`height`, 32 bits per pixel (the format libvncclient asks for).
QByteArray serverInit(quint16 width, quint16 height) {
    QByteArray b;
    const auto u16 = [&b](quint16 v) { b.append(char(v >> 8)).append(char(v & 0xff)); };
    u16(width);
    u16(height);
    b.append(char(32)).append(char(24)).append(char(0)).append(
        char(1)); // bpp, depth, little endian, true colour
    u16(255);
    u16(255);
    u16(255);
    b.append(char(16)).append(char(8)).append(char(0)).append(3, '\0'); // shifts, padding
    b.append(QByteArray("\0\0\0\4fake", 8));
    return b;
}

// A one-connection RFB server that sends `script` as soon as the client connects, then (optionally) cuts.
class FakeRfbServer : public QObject {
public:
    explicit FakeRfbServer(QByteArray script, bool cut)
        : m_server(QStringLiteral("fake"), QWebSocketServer::NonSecureMode) {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QWebSocketServer::newConnection, this, [this, script, cut] {
            QWebSocket* ws = m_server.nextPendingConnection();
            ws->setParent(this);
            ws->sendBinaryMessage(script);
            ws->flush();
            if (cut)
                QTimer::singleShot(300, ws, [ws] { ws->abort(); });
        });
    }
    QNetworkRequest request() const {
        return QNetworkRequest(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort())));
    }

private:
    QWebSocketServer m_server;
};
} // namespace

class TestVncView : public QObject {
    Q_OBJECT
    test::CovedProcess coved;
    test::Sandboxes sb{coved};
    QTemporaryDir settingsDir;
    app::ApiClient client;
    QString desktop;

    test::Reply cu(const QByteArray& method, const QString& path, const QByteArray& body = {}) {
        return sb.call(method, QStringLiteral("/toolbox/%1/computeruse/%2").arg(desktop, path), body);
    }
    QPoint remotePointer() {
        const auto o = cu("GET", QStringLiteral("mouse/position")).object();
        return {o.value(QStringLiteral("x")).toInt(-1), o.value(QStringLiteral("y")).toInt(-1)};
    }
    static bool near(QPoint a, QPoint b) { return (a - b).manhattanLength() <= 2; }
    // A shown view that is asked to connect to the desktop sandbox.
    std::unique_ptr<ui::VncView> connectingView() {
        auto view = std::make_unique<ui::VncView>(&client);
        view->resize(900, 700);
        view->show();
        if (!QTest::qWaitForWindowExposed(view.get()))
            qWarning() << "the view was not shown";
        view->setSandbox(desktop);
        view->connectToDesktop();
        return view;
    }

private slots:
    void initTestCase() {
        test::useSettingsIn(settingsDir);
        QVERIFY2(test::startCovedFor(coved, client), qPrintable(coved.error()));
        desktop = sb.create(R"({"snapshot":"cove-desktop"})");
        QVERIFY(!desktop.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(sb.state(desktop), QStringLiteral("started"), kWait);
    }

    void aStoppedDesktopIsStartedFromTheView() {
        const auto shown = connectingView();
        ui::VncView& view = *shown;
        QTRY_VERIFY_WITH_TIMEOUT(view.startButton()->isVisible(), kWait);
        QVERIFY2(view.messageText().contains(QStringLiteral("not running")), qPrintable(view.messageText()));
        QTest::mouseClick(view.startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(view.vnc()->state(), VncClient::State::Connected, kWait);
        QCOMPARE(cu("GET", QStringLiteral("status")).object().value(QStringLiteral("status")).toString(),
                 QStringLiteral("active"));
    }

    void framesPointerAndKeysGoThroughTheTunnel() {
        const auto shown = connectingView();
        ui::VncView& view = *shown;
        QTRY_COMPARE_WITH_TIMEOUT(view.vnc()->state(), VncClient::State::Connected, kWait);

        // A frame of the display's size, and a picture in it (not just the black it starts as).
        const QJsonObject display = cu("GET", QStringLiteral("display/info"))
                                        .object()
                                        .value(QStringLiteral("displays"))
                                        .toArray()
                                        .at(0)
                                        .toObject();
        const QSize size(display.value(QStringLiteral("width")).toInt(),
                         display.value(QStringLiteral("height")).toInt());
        QVERIFY(!size.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(view.vnc()->frameSize(), size, kWait);
        QVERIFY2(view.statusText().contains(QStringLiteral("%1×%2").arg(size.width()).arg(size.height())),
                 qPrintable(view.statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const QImage f = view.vnc()->frame();
                for (int y = 0; y < f.height(); y += 16)
                    for (int x = 0; x < f.width(); x += 16)
                        if (qGray(f.pixel(x, y)) > 16)
                            return true;
                return false;
            }(),
            kWait);

        // Scaled to fit: a click lands where it is drawn.
        QVERIFY(view.scaledToFit());
        QTest::mouseClick(view.canvas(), Qt::LeftButton, {}, view.canvasPointFor(QPoint(321, 123)));
        QTRY_VERIFY_WITH_TIMEOUT(near(remotePointer(), QPoint(321, 123)), 10000);
        // 1:1: pixel for pixel.
        view.setScaledToFit(false);
        QCOMPARE(view.canvas()->size(), size);
        QCOMPARE(view.canvasPointFor(QPoint(200, 150)), QPoint(200, 150));
        QTest::mouseMove(view.canvas(), QPoint(200, 150));
        QTRY_COMPARE_WITH_TIMEOUT(remotePointer(), QPoint(200, 150), 10000);
        // View only: the pointer stays.
        view.setViewOnly(true);
        QTest::mouseMove(view.canvas(), QPoint(40, 40));
        QTest::mouseClick(view.canvas(), Qt::LeftButton, {}, QPoint(40, 40));
        QCOMPARE(remotePointer(), QPoint(200, 150));
        view.setViewOnly(false);
        view.setScaledToFit(true);

        // Keys: a terminal on the desktop, focused by a click in the view, runs what is typed in the view.
        QCOMPARE(sb.call("POST", QStringLiteral("/toolbox/%1/process/session").arg(desktop),
                         R"({"sessionId":"vnc"})")
                     .status,
                 201);
        const auto launched = sb.call(
            "POST", QStringLiteral("/toolbox/%1/process/session/vnc/exec").arg(desktop),
            R"({"command":"DISPLAY=:0 xterm -xrm 'XTerm*allowTitleOps: false' -geometry 80x24+0+0 -T vncterm","runAsync":true})");
        QVERIFY2(launched.status == 200 || launched.status == 202, launched.body.constData());
        QRect term;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto& w : cu("GET", QStringLiteral("display/windows"))
                                         .object()
                                         .value(QStringLiteral("windows"))
                                         .toArray()) {
                    const QJsonObject o = w.toObject();
                    if (o.value(QStringLiteral("title")).toString() == QStringLiteral("vncterm"))
                        term =
                            QRect(o.value(QStringLiteral("x")).toInt(), o.value(QStringLiteral("y")).toInt(),
                                  o.value(QStringLiteral("width")).toInt(),
                                  o.value(QStringLiteral("height")).toInt());
                }
                return term.width() > 100;
            }(),
            20000);
        QTest::mouseClick(view.canvas(), Qt::LeftButton, {}, view.canvasPointFor(term.center()));
        QTRY_VERIFY_WITH_TIMEOUT(near(remotePointer(), term.center()), 10000);
        const auto typed = [&] {
            return sb
                .call("POST", QStringLiteral("/toolbox/%1/process/execute").arg(desktop),
                      R"({"command":"cat /tmp/from-vnc"})")
                .object()
                .value(QStringLiteral("result"))
                .toString()
                .trimmed();
        };
        // The shell may take a moment to draw its prompt: type until the line lands.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                QTest::keyClicks(view.canvas(), QStringLiteral("echo Typed-In-VNC > /tmp/from-vnc"));
                QTest::keyClick(view.canvas(), Qt::Key_Return);
                return QTest::qWaitFor([&] { return typed() == QStringLiteral("Typed-In-VNC"); }, 3000);
            }(),
            20000);
    }

    void theDetailPaneHasAVncTab() {
        ui::SandboxDetail detail(&client);
        detail.resize(1000, 760);
        detail.show();
        detail.showSandbox(desktop);
        detail.tabs()->setCurrentWidget(detail.desktop());
        QTRY_COMPARE_WITH_TIMEOUT(detail.desktop()->view()->vnc()->state(), VncClient::State::Connected,
                                  kWait);

        // Its recordings: one started and stopped from the panel, saved and read back as a video, then
        // deleted from the keyboard (Del in the list, Alt+Y in the confirmation).
        ui::detail::RecordingsPanel* panel = detail.desktop()->recordings();
        QTableWidget* list = panel->table();
        const auto selectedStatus = [list] {
            const auto items = list->selectedItems();
            return items.isEmpty() ? QString() : list->item(items.first()->row(), 4)->text();
        };
        QElapsedTimer took;
        took.start();
        panel->startRecording();
        QTRY_COMPARE_WITH_TIMEOUT(selectedStatus() + panel->message(), QStringLiteral("Recording"), kWait);
        const int rows = list->rowCount();
        panel->stopRecording();
        QTRY_COMPARE_WITH_TIMEOUT(selectedStatus(), QStringLiteral("Completed"), kWait);
        QTemporaryDir saveDir;
        QSignalSpy saved(panel, &ui::detail::RecordingsPanel::downloaded);
        panel->downloadTo(saveDir.filePath(QStringLiteral("r.mp4")));
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, kWait);
        QFile video(saved.first().first().toString());
        QVERIFY(video.open(QIODevice::ReadOnly));
        QCOMPARE(video.read(8).mid(4), QByteArray("ftyp"));
        test::KeyboardYes answer;
        detail.activateWindow();
        QTRY_VERIFY(detail.isActiveWindow());
        list->setFocus();
        QTest::keyClick(list, Qt::Key_Delete);
        QTRY_VERIFY(answer.answered());
        QTRY_COMPARE_WITH_TIMEOUT(list->rowCount(), rows - 1, kWait);
        QVERIFY(panel->message().isEmpty());
        qInfo("recordings panel: %lld ms", took.elapsed());

        // Another tab: the connection closes with it.
        detail.tabs()->setCurrentIndex(0);
        QTRY_COMPARE(detail.desktop()->view()->vnc()->state() == VncClient::State::Connected, false);
    }

    void aStoppedDesktopShowsDisconnected() {
        const auto shown = connectingView();
        ui::VncView& view = *shown;
        QTRY_COMPARE_WITH_TIMEOUT(view.vnc()->state(), VncClient::State::Connected, kWait);
        QCOMPARE(cu("POST", QStringLiteral("stop")).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(view.vnc()->state(), VncClient::State::Disconnected, 15000);
        QVERIFY2(view.messageText().startsWith(QStringLiteral("Disconnected")),
                 qPrintable(view.messageText()));
        // Reconnecting now explains that the desktop is not running and offers to start it.
        view.connectToDesktop();
        QTRY_VERIFY_WITH_TIMEOUT(view.startButton()->isVisible(), kWait);
    }

    void whatABadServerSendsIsBounded_data() {
        QTest::addColumn<QByteArray>("script");
        QTest::addColumn<bool>("cut");
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("message");
        const QByteArray hello = QByteArray("RFB 003.008\n") + QByteArray("\1\1", 2) + QByteArray(4, '\0');
        QTest::newRow("garbage") << QByteArray("HELLO THERE, NOT VNC AT ALL\n") << false
                                 << int(VncClient::State::Failed) << QString();
        QTest::newRow("huge screen") << hello + serverInit(65535, 65535) << false
                                     << int(VncClient::State::Failed) << QStringLiteral("65535×65535");
        // A framebuffer update that announces a rectangle and never sends it, then the tunnel drops.
        QTest::newRow("cut mid-frame")
            << hello + serverInit(64, 48) + QByteArray("\0\0\0\1\0\0\0\0\0\x40\0\x30\0\0\0\0", 16).left(10)
            << true << int(VncClient::State::Disconnected) << QString();
    }

    void whatABadServerSendsIsBounded() {
        QFETCH(QByteArray, script);
        QFETCH(bool, cut);
        QFETCH(int, state);
        QFETCH(QString, message);
        FakeRfbServer server(script, cut);
        VncClient vnc;
        QSignalSpy states(&vnc, &VncClient::stateChanged);
        vnc.open(server.request(), QString());
        QTRY_COMPARE_WITH_TIMEOUT(int(vnc.state()), state, 30000);
        QVERIFY(!vnc.errorText().isEmpty());
        if (!message.isEmpty())
            QVERIFY2(vnc.errorText().contains(message), qPrintable(vnc.errorText()));
        QVERIFY(vnc.frameSize().width() <= VncClient::kMaxSide);
    }

    void keysymsForSpecialKeys() {
        QCOMPARE(ui::keysymFor(Qt::Key_Escape, QStringLiteral("\x1b"), {}), 0xff1bu);
        QCOMPARE(ui::keysymFor(Qt::Key_F5, {}, {}), 0xffc2u);
        QCOMPARE(ui::keysymFor(Qt::Key_Left, {}, {}), 0xff51u);
        QCOMPARE(ui::keysymFor(Qt::Key_A, QStringLiteral("a"), {}), quint32('a'));
        QCOMPARE(ui::keysymFor(Qt::Key_A, QStringLiteral("\x01"), Qt::ControlModifier), quint32('a'));
        QCOMPARE(ui::keysymFor(Qt::Key_A, QStringLiteral("A"), Qt::ShiftModifier), quint32('A'));
        QCOMPARE(ui::keysymFor(Qt::Key_unknown, QStringLiteral("é"), {}), 0xe9u);
        QCOMPARE(ui::keysymFor(Qt::Key_unknown, QStringLiteral("中"), {}), 0x01000000u | 0x4e2du);
    }

    void cleanupTestCase() { sb.removeAll(); }
};

QTEST_MAIN(TestVncView)
#include "tst_vnc_view.moc"
