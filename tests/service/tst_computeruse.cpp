// Computer use end to end: a real coved, a real cove-desktop sandbox with Xvfb, openbox and x11vnc, the
// toolbox's computeruse routes through coved's proxy, and the VNC stream through its WebSocket tunnel.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Rfb.h"
#include "support/Sandboxes.h"

#include <QElapsedTimer>
#include <QImage>
#include <QJsonArray>
#include <QTcpSocket>
#include <QtTest>

using cove::test::CovedProcess;
using cove::test::Reply;
using cove::test::request;
using cove::test::RfbClient;

namespace {
const QString kNoDesktop = QStringLiteral(
    "This sandbox's image has no desktop; create it from the cove-desktop snapshot to use computer use.");
const QString kNotRunning =
    QStringLiteral("Computer use is not running in this sandbox; start it with POST /computeruse/start.");
} // namespace

class TestComputerUse : public QObject {
    Q_OBJECT
    CovedProcess coved;
    cove::test::Sandboxes sandboxes{coved};
    QString desktop;

    Reply cu(const QByteArray& method, const QString& path, const QByteArray& body = {},
             const QString& id = {}) {
        return sandboxes.call(method,
                              QStringLiteral("/toolbox/") + (id.isEmpty() ? desktop : id) +
                                  QStringLiteral("/computeruse/") + path,
                              body);
    }
    QString vncUrl(const QString& id) const {
        return QStringLiteral("ws") + coved.url().mid(4) + QStringLiteral("/toolbox/") + id +
               QStringLiteral("/computeruse/vnc");
    }
    static QImage image(const Reply& r) {
        return QImage::fromData(
            QByteArray::fromBase64(r.object().value(QStringLiteral("screenshot")).toString().toLatin1()));
    }
    // Pixels that differ between two images inside a rectangle.
    static int differing(const QImage& a, const QImage& b, const QRect& area) {
        int n = 0;
        for (int y = area.top(); y <= area.bottom(); ++y)
            for (int x = area.left(); x <= area.right(); ++x)
                n += a.pixel(x, y) != b.pixel(x, y);
        return n;
    }
    // The raw answer to a WebSocket upgrade (status line, headers, body), for refusals QWebSocket hides.
    QByteArray rawUpgrade(const QString& path, const QString& key) {
        QTcpSocket s;
        s.connectToHost(QStringLiteral("127.0.0.1"), QUrl(coved.url()).port());
        if (!s.waitForConnected(5000))
            return {};
        QByteArray req = "GET " + path.toUtf8() +
                         " HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                         "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        if (!key.isEmpty())
            req += "Authorization: Bearer " + key.toUtf8() + "\r\n";
        s.write(req + "\r\n");
        QByteArray got;
        RfbClient::waitFor(
            [&] {
                got += s.readAll();
                return s.state() != QAbstractSocket::ConnectedState || got.contains("}");
            },
            15000);
        return got;
    }

    // Runs `command` in the background in a new session, as an agent starts an application: its command id.
    QString launch(const QString& session, const QString& command) {
        const QString base = QStringLiteral("/toolbox/") + desktop + QStringLiteral("/process/session");
        if (sandboxes
                .call("POST", base,
                      QJsonDocument(QJsonObject{{QStringLiteral("sessionId"), session}}).toJson())
                .status != 201)
            return {};
        const Reply launched =
            sandboxes.call("POST", base + QLatin1Char('/') + session + QStringLiteral("/exec"),
                           QJsonDocument(QJsonObject{{QStringLiteral("command"), command},
                                                     {QStringLiteral("runAsync"), true}})
                               .toJson());
        return launched.object().value(QStringLiteral("cmdId")).toString();
    }

    // A screenshot once the screen has stopped changing (three identical in a row), or a null image.
    QImage settledScreen() {
        QImage last;
        int same = 0;
        RfbClient::waitFor(
            [&] {
                const QImage now = image(cu("GET", QStringLiteral("screenshot")));
                same = !now.isNull() && now == last ? same + 1 : 0;
                last = now;
                return same >= 2;
            },
            15000);
        return same >= 2 ? last : QImage();
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start(), qPrintable(coved.error()));
        desktop = sandboxes.create(R"({"snapshot":"cove-desktop"})");
        QVERIFY(!desktop.isEmpty());
    }

    void startRunsTheDesktop() {
        QCOMPARE(
            cu("GET", QStringLiteral("process-status")).object().value(QStringLiteral("status")).toString(),
            QStringLiteral("inactive"));
        // Nothing works before start, and says so.
        const Reply early = cu("GET", QStringLiteral("mouse/position"));
        QCOMPARE(early.status, 409);
        QCOMPARE(early.message(), kNotRunning);
        for (const Reply& r :
             {cu("POST", QStringLiteral("recordings/start"), {}), cu("GET", QStringLiteral("a11y/tree"))}) {
            QCOMPARE(r.status, 409);
            QCOMPARE(r.message(), kNotRunning);
        }

        const Reply started = cu("POST", QStringLiteral("start"));
        QCOMPARE(started.status, 200);
        QCOMPARE(started.message(), QStringLiteral("Computer use processes started successfully"));
        const QJsonObject status = started.object().value(QStringLiteral("status")).toObject();
        for (const auto& name :
             {QStringLiteral("xvfb"), QStringLiteral("openbox"), QStringLiteral("x11vnc")}) {
            const QJsonObject p = status.value(name).toObject();
            QVERIFY2(p.value(QStringLiteral("running")).toBool(), qPrintable(name));
            QVERIFY(p.value(QStringLiteral("pid")).toInt() > 1);
            QVERIFY(p.value(QStringLiteral("autoRestart")).toBool());
            const Reply one = cu("GET", QStringLiteral("process/") + name + QStringLiteral("/status"));
            QCOMPARE(one.object().value(QStringLiteral("running")).toBool(), true);
            QCOMPARE(one.object().value(QStringLiteral("processName")).toString(), name);
        }
        QCOMPARE(
            cu("GET", QStringLiteral("process-status")).object().value(QStringLiteral("status")).toString(),
            QStringLiteral("active"));
        QCOMPARE(cu("GET", QStringLiteral("status")).object().value(QStringLiteral("status")).toString(),
                 QStringLiteral("active"));
        const Reply logs = cu("GET", QStringLiteral("process/x11vnc/logs"));
        QCOMPARE(logs.status, 200);
        QCOMPARE(logs.object().value(QStringLiteral("processName")).toString(), QStringLiteral("x11vnc"));
        const Reply unknown = cu("GET", QStringLiteral("process/xfce4/status"));
        QCOMPARE(unknown.status, 404);
        QCOMPARE(
            unknown.message(),
            QStringLiteral(
                "No computer-use process 'xfce4'; the processes are xvfb, dbus, atspi, openbox and x11vnc."));
        // Starting again is harmless.
        QCOMPARE(cu("POST", QStringLiteral("start")).status, 200);

        // The start is audited under Daytona's action name (the row lands just after the answer).
        QTRY_VERIFY_WITH_TIMEOUT(
            sandboxes.call("GET", QStringLiteral("/api/audit?action=toolbox_computer_use_start"))
                    .object()
                    .value(QStringLiteral("total"))
                    .toInt() >= 2,
            5000);

        const QJsonArray displays =
            cu("GET", QStringLiteral("display/info")).object().value(QStringLiteral("displays")).toArray();
        QCOMPARE(displays.size(), 1);
        QCOMPARE(displays.at(0).toObject().value(QStringLiteral("width")).toInt(), 1024);
        QCOMPARE(displays.at(0).toObject().value(QStringLiteral("height")).toInt(), 768);
    }

    void mouseMovesAndReportsPosition() {
        const Reply moved = cu("POST", QStringLiteral("mouse/move"), R"({"x":123,"y":234})");
        QCOMPARE(moved.status, 200);
        QCOMPARE(moved.object().value(QStringLiteral("x")).toInt(), 123);
        QCOMPARE(moved.object().value(QStringLiteral("y")).toInt(), 234);
        const QJsonObject at = cu("GET", QStringLiteral("mouse/position")).object();
        QCOMPARE(at.value(QStringLiteral("x")).toInt(), 123);
        QCOMPARE(at.value(QStringLiteral("y")).toInt(), 234);

        const Reply click =
            cu("POST", QStringLiteral("mouse/click"), R"({"x":500,"y":400,"button":"right"})");
        QCOMPARE(click.status, 200);
        QCOMPARE(click.object().value(QStringLiteral("x")).toInt(), 500);
        cu("POST", QStringLiteral("keyboard/key"), R"({"key":"escape"})"); // closes openbox's menu
        const Reply drag = cu("POST", QStringLiteral("mouse/drag"),
                              R"({"startX":10,"startY":10,"endX":40,"endY":50,"button":"left"})");
        QCOMPARE(drag.status, 200);
        QCOMPARE(drag.object().value(QStringLiteral("y")).toInt(), 50);
        QCOMPARE(cu("GET", QStringLiteral("mouse/position")).object().value(QStringLiteral("x")).toInt(), 40);
        const Reply scroll =
            cu("POST", QStringLiteral("mouse/scroll"), R"({"x":300,"y":300,"direction":"down","amount":3})");
        QCOMPARE(scroll.status, 200);
        QCOMPARE(scroll.object().value(QStringLiteral("success")).toBool(), true);
    }

    void badInputIsRefused_data() {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        const QString xRange =
            QStringLiteral("'x' must be an integer between 0 and 1023 (the display is 1024x768).");
        QTest::newRow("x out of range")
            << QByteArray("POST") << "mouse/move" << QByteArray(R"({"x":5000,"y":1})") << 400 << xRange;
        QTest::newRow("negative x") << QByteArray("POST") << "mouse/click" << QByteArray(R"({"x":-1,"y":1})")
                                    << 400 << xRange;
        QTest::newRow("x a string") << QByteArray("POST") << "mouse/move" << QByteArray(R"({"x":"1","y":1})")
                                    << 400 << xRange;
        QTest::newRow("y missing")
            << QByteArray("POST") << "mouse/move" << QByteArray(R"({"x":1})") << 400
            << QStringLiteral("'y' must be an integer between 0 and 767 (the display is 1024x768).");
        QTest::newRow("malformed json")
            << QByteArray("POST") << "mouse/move" << QByteArray("{x:") << 400
            << QStringLiteral("The request body is not valid JSON: it stops making sense at byte 2.");
        QTest::newRow("body an array") << QByteArray("POST") << "mouse/move" << QByteArray("[1,2]") << 400
                                       << QStringLiteral("The body must be a JSON object.");
        QTest::newRow("unknown button")
            << QByteArray("POST") << "mouse/click" << QByteArray(R"({"x":1,"y":1,"button":"side"})") << 400
            << QStringLiteral("Unknown mouse button \"side\"; the buttons are left, middle and right.");
        QTest::newRow("scroll zero") << QByteArray("POST") << "mouse/scroll"
                                     << QByteArray(R"({"x":1,"y":1,"direction":"down","amount":0})") << 400
                                     << QStringLiteral("'amount' must be an integer between 1 and 100.");
        QTest::newRow("scroll sideways word")
            << QByteArray("POST") << "mouse/scroll" << QByteArray(R"({"x":1,"y":1,"direction":"north"})")
            << 400 << QStringLiteral("'direction' must be up, down, left or right.");
        QTest::newRow("unknown key") << QByteArray("POST") << "keyboard/key"
                                     << QByteArray(R"({"key":"nosuchkey"})") << 400
                                     << QStringLiteral(
                                            "Unknown key \"nosuchkey\"; use a key name such as enter, tab, "
                                            "escape, backspace, space, up, page_down, home, f1-f24, "
                                            "num0-num9, or one letter, digit or unshifted punctuation "
                                            "character.");
        QTest::newRow("shifted key") << QByteArray("POST") << "keyboard/key" << QByteArray(R"({"key":"!"})")
                                     << 400
                                     << QStringLiteral(
                                            "Unsupported key \"!\": press \"1\" with the shift modifier, "
                                            "or type the text.");
        QTest::newRow("unknown modifier")
            << QByteArray("POST") << "keyboard/key" << QByteArray(R"({"key":"a","modifiers":["hyper"]})")
            << 400
            << QStringLiteral("Unknown modifier \"hyper\"; the modifiers are ctrl, alt, shift and cmd.");
        QTest::newRow("broken hotkey")
            << QByteArray("POST") << "keyboard/hotkey" << QByteArray(R"({"keys":"ctrl+"})") << 400
            << QStringLiteral("The hotkey \"ctrl+\" is not modifiers and a key joined by "
                              "'+' (for example \"ctrl+c\" or \"alt+f4\").");
        QTest::newRow("empty text") << QByteArray("POST") << "keyboard/type" << QByteArray(R"({"text":""})")
                                    << 400
                                    << QStringLiteral("'text' must be a string of 1 to 10000 characters.");
        QTest::newRow("quality 0") << QByteArray("GET") << "screenshot/compressed?quality=0" << QByteArray()
                                   << 400
                                   << QStringLiteral("'quality' must be an integer between 1 and 100.");
        QTest::newRow("scale 2") << QByteArray("GET") << "screenshot/compressed?scale=2" << QByteArray()
                                 << 400 << QStringLiteral("'scale' must be a number between 0.1 and 1.0.");
        QTest::newRow("format gif") << QByteArray("GET") << "screenshot/compressed?format=gif" << QByteArray()
                                    << 400 << QStringLiteral("'format' must be png or jpeg.");
        QTest::newRow("region too wide")
            << QByteArray("GET") << "screenshot/region?x=1000&y=0&width=100&height=10" << QByteArray() << 400
            << QStringLiteral(
                   "'width' must be an integer between 1 and 24 (the region must fit in the 1024x768 "
                   "display).");
        QTest::newRow("region without x") << QByteArray("GET") << "screenshot/region?y=0&width=10&height=10"
                                          << QByteArray() << 400 << xRange;
    }

    void badInputIsRefused() {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, message);
        const Reply r = cu(method, path, body);
        QCOMPARE(r.status, status);
        QCOMPARE(r.message(), message);
    }

    void typingInAnXtermChangesTheScreen() {
        // A terminal at the top left, started the way an agent would: a command in a session.
        QVERIFY(
            !launch(QStringLiteral("desk"), QStringLiteral("DISPLAY=:0 xterm -xrm 'XTerm*allowTitleOps: "
                                                           "false' -geometry 80x24+0+0 -bg black -fg white "
                                                           "-T coveterm"))
                 .isEmpty());
        QJsonObject term;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto& w : cu("GET", QStringLiteral("display/windows"))
                                         .object()
                                         .value(QStringLiteral("windows"))
                                         .toArray())
                    if (w.toObject().value(QStringLiteral("title")).toString() == QStringLiteral("coveterm"))
                        term = w.toObject();
                return !term.isEmpty();
            }(),
            20000);
        const QRect area(term.value(QStringLiteral("x")).toInt(), term.value(QStringLiteral("y")).toInt(),
                         term.value(QStringLiteral("width")).toInt(),
                         term.value(QStringLiteral("height")).toInt());
        QVERIFY(area.width() > 100 && area.height() > 100);
        // Focus it, park the pointer away from it, and wait until the terminal has drawn its prompt.
        QCOMPARE(
            cu("POST", QStringLiteral("mouse/click"),
               QStringLiteral(R"({"x":%1,"y":%2})").arg(area.center().x()).arg(area.center().y()).toUtf8())
                .status,
            200);
        QCOMPARE(cu("POST", QStringLiteral("mouse/move"), R"({"x":1000,"y":740})").status, 200);
        const QImage before = settledScreen();
        QVERIFY(!before.isNull());
        QCOMPARE(before.size(), QSize(1024, 768));

        QCOMPARE(cu("POST", QStringLiteral("keyboard/type"), R"({"text":"echo cove-typed-this"})").status,
                 200);
        QCOMPARE(cu("POST", QStringLiteral("keyboard/key"), R"({"key":"enter"})").status, 200);
        QImage after;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                after = image(cu("GET", QStringLiteral("screenshot")));
                return differing(before, after, area) > 200;
            }(),
            10000);
        // Outside the terminal nothing changed.
        QCOMPARE(differing(before, after, QRect(600, 500, 300, 200)), 0);
        // The shell ran the command: hotkey ctrl+l clears the terminal, which changes it again.
        QCOMPARE(cu("POST", QStringLiteral("keyboard/hotkey"), R"({"keys":"ctrl+l"})").status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(differing(after, image(cu("GET", QStringLiteral("screenshot"))), area) > 100,
                                 10000);
    }

    void regionAndCompressedScreenshots() {
        const Reply region = cu("GET", QStringLiteral("screenshot/region?x=10&y=20&width=200&height=100"));
        QCOMPARE(region.status, 200);
        const QByteArray png =
            QByteArray::fromBase64(region.object().value(QStringLiteral("screenshot")).toString().toLatin1());
        QVERIFY(png.startsWith("\x89PNG"));
        QCOMPARE(region.object().value(QStringLiteral("sizeBytes")).toInt(), png.size());
        QCOMPARE(QImage::fromData(png).size(), QSize(200, 100));
        QVERIFY(
            region.object().value(QStringLiteral("cursorPosition")).toObject().contains(QStringLiteral("x")));

        const Reply jpeg =
            cu("GET", QStringLiteral("screenshot/compressed?format=jpeg&quality=40&scale=0.5"));
        QCOMPARE(jpeg.status, 200);
        const QByteArray jpg =
            QByteArray::fromBase64(jpeg.object().value(QStringLiteral("screenshot")).toString().toLatin1());
        QVERIFY(jpg.startsWith("\xff\xd8"));
        QCOMPARE(QImage::fromData(jpg).size(), QSize(512, 384));
        // Lower quality, fewer bytes.
        const Reply fine =
            cu("GET", QStringLiteral("screenshot/compressed?format=jpeg&quality=100&scale=0.5"));
        QVERIFY(fine.object().value(QStringLiteral("sizeBytes")).toInt() >
                jpeg.object().value(QStringLiteral("sizeBytes")).toInt());

        const Reply small =
            cu("GET", QStringLiteral("screenshot/region/compressed?x=0&y=0&width=400&height=300"
                                     "&format=png&scale=0.25&showCursor=true"));
        QCOMPARE(small.status, 200);
        const QImage smallImage = image(small);
        QCOMPARE(smallImage.size(), QSize(100, 75));
    }

    void vncTunnelAuthenticatesAndServesTheScreen() {
        const Reply pw = cu("GET", QStringLiteral("vnc/password"));
        QCOMPARE(pw.status, 200);
        const QByteArray password = pw.object().value(QStringLiteral("password")).toString().toUtf8();
        QCOMPARE(password.size(), 8);

        // A wrong password is refused.
        {
            RfbClient wrong;
            QVERIFY(wrong.open(vncUrl(desktop), coved.adminKey()));
            const auto init = wrong.handshake("not-it!!");
            QCOMPARE(init.error, QStringLiteral("authentication failed"));
            QCOMPARE(init.securityResult, 1u);
        }
        RfbClient vnc;
        QVERIFY(vnc.open(vncUrl(desktop), coved.adminKey()));
        QCOMPARE(vnc.socket().subprotocol(), QStringLiteral("binary"));
        const auto init = vnc.handshake(password);
        QVERIFY2(init.error.isEmpty(), qPrintable(init.error));
        QVERIFY(init.version.startsWith("RFB 003.00"));
        QVERIFY(init.securityTypes.contains(2));
        QCOMPARE(init.securityTypes.contains(1), false); // never "None"
        QCOMPARE(init.width, 1024);
        QCOMPARE(init.height, 768);
        // A pointer event through the tunnel moves the desktop's pointer.
        vnc.pointer(321, 123);
        QTRY_VERIFY_WITH_TIMEOUT(
            cu("GET", QStringLiteral("mouse/position")).object().value(QStringLiteral("x")).toInt() == 321,
            10000);
        // And a full update arrives.
        vnc.rawOnly();
        vnc.requestUpdate(1024, 768, false);
        QVERIFY(vnc.readRawUpdate() >= 1);
    }

    void vncNeedsAKey() {
        const QByteArray none =
            rawUpgrade(QStringLiteral("/toolbox/") + desktop + QStringLiteral("/computeruse/vnc"), {});
        QVERIFY2(none.startsWith("HTTP/1.1 401"), none.constData());
        const QByteArray wrong =
            rawUpgrade(QStringLiteral("/toolbox/") + desktop + QStringLiteral("/computeruse/vnc"),
                       QStringLiteral("cove_wrong"));
        QVERIFY2(wrong.startsWith("HTTP/1.1 401"), wrong.constData());
    }

    void restartKeepsThePassword() {
        const QString password =
            cu("GET", QStringLiteral("vnc/password")).object().value(QStringLiteral("password")).toString();
        const Reply restarted = cu("POST", QStringLiteral("process/x11vnc/restart"));
        QCOMPARE(restarted.status, 200);
        QCOMPARE(restarted.message(), QStringLiteral("Process x11vnc restarted successfully"));
        QCOMPARE(
            cu("GET", QStringLiteral("vnc/password")).object().value(QStringLiteral("password")).toString(),
            password);
        RfbClient vnc;
        QVERIFY(vnc.open(vncUrl(desktop), coved.adminKey()));
        QCOMPARE(vnc.handshake(password.toUtf8()).width, 1024);
        QCOMPARE(cu("POST", QStringLiteral("process/nothing/restart")).status, 404);
    }

    void recordingIsARealVideo() {
        QElapsedTimer took;
        took.start();
        const Reply started = cu("POST", QStringLiteral("recordings/start"), R"({"label":"unit test"})");
        QCOMPARE(started.status, 201);
        const QString id = started.object().value(QStringLiteral("id")).toString();
        QCOMPARE(started.object().value(QStringLiteral("status")).toString(), QStringLiteral("recording"));
        QVERIFY(started.object()
                    .value(QStringLiteral("fileName"))
                    .toString()
                    .startsWith(id + QStringLiteral("_unit test_")));
        // The limit: a few at once, then a refusal that says what to do.
        const Reply second = cu("POST", QStringLiteral("recordings/start"), {});
        QCOMPARE(second.status, 201);
        const Reply third = cu("POST", QStringLiteral("recordings/start"), {});
        QCOMPARE(third.status, 409);
        QCOMPARE(third.message(), QStringLiteral("2 recordings are already running; stop one with POST "
                                                 "/computeruse/recordings/stop first."));
        QCOMPARE(
            cu("POST", QStringLiteral("recordings/stop"),
               QJsonDocument(QJsonObject{{QStringLiteral("id"), second.object().value(QStringLiteral("id"))}})
                   .toJson())
                .status,
            200);
        QCOMPARE(cu("POST", QStringLiteral("mouse/move"), R"({"x":500,"y":400})").status, 200);
        // Still running: it can be neither downloaded nor deleted yet.
        QCOMPARE(cu("DELETE", QStringLiteral("recordings/") + id).status, 409);
        const Reply stopped =
            cu("POST", QStringLiteral("recordings/stop"), QStringLiteral(R"({"id":"%1"})").arg(id).toUtf8());
        QCOMPARE(stopped.status, 200);
        const QJsonObject rec = stopped.object();
        QCOMPARE(rec.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QVERIFY(rec.value(QStringLiteral("durationSeconds")).toDouble() > 0);
        QVERIFY(rec.value(QStringLiteral("sizeBytes")).toInteger() > 0);
        QCOMPARE(
            cu("POST", QStringLiteral("recordings/stop"), QStringLiteral(R"({"id":"%1"})").arg(id).toUtf8())
                .status,
            404);

        bool listed = false;
        for (const auto& r :
             cu("GET", QStringLiteral("recordings")).object().value(QStringLiteral("recordings")).toArray())
            listed = listed || r.toObject().value(QStringLiteral("id")).toString() == id;
        QVERIFY(listed);
        QCOMPARE(cu("GET", QStringLiteral("recordings/") + id).object().value(QStringLiteral("sizeBytes")),
                 rec.value(QStringLiteral("sizeBytes")));
        // The file is an MP4 whose video ffmpeg's own probe reads back, with the desktop's size.
        const Reply file = cu("GET", QStringLiteral("recordings/") + id + QStringLiteral("/download"));
        QCOMPARE(file.status, 200);
        QCOMPARE(file.body.size(), rec.value(QStringLiteral("sizeBytes")).toInteger());
        QCOMPARE(file.body.mid(4, 4), QByteArray("ftyp"));
        const auto probe = sandboxes.exec(
            desktop,
            QStringLiteral(
                "ffprobe -v error -select_streams v:0 -show_entries stream=width,height:format=duration "
                "-of csv=p=0 '%1'")
                .arg(rec.value(QStringLiteral("filePath")).toString()));
        QCOMPARE(probe.exitCode, 0);
        const QList<QByteArray> lines = probe.out.trimmed().split('\n');
        QCOMPARE(lines.value(0).trimmed(), QByteArray("1024,768"));
        QVERIFY2(lines.value(1).toDouble() > 0, probe.out.constData());

        QCOMPARE(cu("DELETE", QStringLiteral("recordings/") + id).status, 204);
        QCOMPARE(cu("GET", QStringLiteral("recordings/") + id).status, 404);
        QCOMPARE(cu("DELETE",
                    QStringLiteral("recordings/") + second.object().value(QStringLiteral("id")).toString())
                     .status,
                 204);
        qInfo("recording case: %lld ms", took.elapsed());
    }

    // An attacker with the sandbox user's shell plants links in the recordings folder and asks for ids that
    // climb out of it: nothing outside the folder, and no link, is ever served or deleted.
    void recordingIdsCannotEscapeTheFolder() {
        const QString planted = QStringLiteral("0123abcd-0000-4000-8000-00000000abcd");
        const auto made = sandboxes.exec(
            desktop,
            QStringLiteral("mkdir -p ~/.cove/recordings && ln -sf /etc/shadow ~/.cove/recordings/%1_x.mp4 && "
                           "echo secret > ~/outside.mp4 && ln -sf ~/outside.mp4 ~/.cove/recordings/%2_y.mp4")
                .arg(planted, QStringLiteral("0123abcd-0000-4000-8000-00000000abce")));
        QCOMPARE(made.exitCode, 0);
        for (const QString& id : {planted, QStringLiteral("0123abcd-0000-4000-8000-00000000abce")}) {
            const Reply file = cu("GET", QStringLiteral("recordings/") + id + QStringLiteral("/download"));
            QCOMPARE(file.status, 404);
            QVERIFY(!file.body.contains("root:") && !file.body.contains("secret"));
            QCOMPARE(cu("GET", QStringLiteral("recordings/") + id).status, 404);
        }
        for (const QString& id :
             {QStringLiteral("..%2F..%2F..%2Fetc%2Fpasswd"), QStringLiteral("..%2Foutside.mp4"),
              QStringLiteral("%2Fetc%2Fpasswd"), QStringLiteral("0123ABCD-0000-4000-8000-00000000ABCD")}) {
            for (const QByteArray& method : {QByteArray("GET"), QByteArray("DELETE")}) {
                const Reply r = cu(method, QStringLiteral("recordings/") + id +
                                               (method == "GET" ? QStringLiteral("/download") : QString()));
                QVERIFY2(r.status == 400 || r.status == 404, qPrintable(id + QString::number(r.status)));
                QVERIFY(!r.body.contains("root:"));
            }
        }
        const Reply bad = cu("GET", QStringLiteral("recordings/..%2F..%2Fetc%2Fpasswd/download"));
        QCOMPARE(bad.status, 400);
        QVERIFY(bad.message().contains(QStringLiteral("is not a recording id")));
        // Links are not listed, and the file a link pointed at is still there.
        QVERIFY(!cu("GET", QStringLiteral("recordings")).body.contains(planted.toUtf8()));
        QCOMPARE(sandboxes.exec(desktop, QStringLiteral("cat ~/outside.mp4")).out.trimmed(),
                 QByteArray("secret"));
        sandboxes.exec(desktop, QStringLiteral("rm -f ~/.cove/recordings/0123abcd-* ~/outside.mp4"));
    }

    void accessibilityDrivesARealDialog() {
        QElapsedTimer took;
        took.start();
        const QString cmdId = launch(QStringLiteral("a11y"),
                                     QStringLiteral("zenity --entry --title=CoveAsk --text='Your name'"));
        QVERIFY(!cmdId.isEmpty());
        // Found by role and name once the dialog is up.
        QJsonObject ok, entry;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto m =
                    cu("POST", QStringLiteral("a11y/find"), R"({"scope":"all","role":"button","name":"OK"})")
                        .object()
                        .value(QStringLiteral("matches"))
                        .toArray();
                ok = m.isEmpty() ? QJsonObject() : m.first().toObject();
                return !ok.isEmpty();
            }(),
            20000);
        QCOMPARE(ok.value(QStringLiteral("role")).toString(), QStringLiteral("push button"));
        QVERIFY(ok.value(QStringLiteral("actions")).toArray().contains(QStringLiteral("click")));
        const Reply tree = cu("GET", QStringLiteral("a11y/tree?scope=focused"));
        QCOMPARE(tree.status, 200);
        QVERIFY(tree.body.contains("\"name\":\"CoveAsk\""));
        QVERIFY(tree.body.contains("\"name\":\"Your name\""));
        QCOMPARE(cu("GET", QStringLiteral("a11y/tree?scope=all&maxDepth=0"))
                     .object()
                     .value(QStringLiteral("root"))
                     .toObject()
                     .value(QStringLiteral("children"))
                     .toArray()
                     .size(),
                 0);
        entry = cu("POST", QStringLiteral("a11y/find"), R"({"scope":"all","role":"entry"})")
                    .object()
                    .value(QStringLiteral("matches"))
                    .toArray()
                    .first()
                    .toObject();
        const QString entryId = entry.value(QStringLiteral("id")).toString();
        QVERIFY(!entryId.isEmpty());
        QCOMPARE(cu("POST", QStringLiteral("a11y/node/focus"),
                    QStringLiteral(R"({"id":"%1"})").arg(entryId).toUtf8())
                     .status,
                 200);
        QCOMPARE(cu("POST", QStringLiteral("a11y/node/value"),
                    QStringLiteral(R"({"id":"%1","value":"typed by cove"})").arg(entryId).toUtf8())
                     .status,
                 200);
        const auto focused =
            cu("POST", QStringLiteral("a11y/find"), R"({"scope":"all","role":"text","states":["focused"]})")
                .object()
                .value(QStringLiteral("matches"))
                .toArray();
        QCOMPARE(focused.size(), 1);
        QCOMPARE(focused.first().toObject().value(QStringLiteral("id")).toString(), entryId);
        // Bad input and unknown nodes are refused with what to do.
        QCOMPARE(cu("POST", QStringLiteral("a11y/node/invoke"),
                    QStringLiteral(R"({"id":"%1","action":"explode"})")
                        .arg(ok.value(QStringLiteral("id")).toString())
                        .toUtf8())
                     .status,
                 400);
        QCOMPARE(cu("POST", QStringLiteral("a11y/node/focus"), R"({"id":"../../etc"})").status, 400);
        QCOMPARE(
            cu("POST", QStringLiteral("a11y/node/focus"), R"({"id":":1.999:/org/a11y/atspi/accessible/1"})")
                .status,
            404);
        QCOMPARE(cu("GET", QStringLiteral("a11y/tree?scope=window")).status, 400);
        // Pressing OK ends zenity, which prints what the entry holds.
        QCOMPARE(cu("POST", QStringLiteral("a11y/node/invoke"),
                    QStringLiteral(R"({"id":"%1"})").arg(ok.value(QStringLiteral("id")).toString()).toUtf8())
                     .status,
                 200);
        const QString cmd =
            QStringLiteral("/toolbox/") + desktop + QStringLiteral("/process/session/a11y/command/") + cmdId;
        QTRY_COMPARE_WITH_TIMEOUT(
            sandboxes.call("GET", cmd).object().value(QStringLiteral("exitCode")).toInt(-1), 0, 10000);
        QCOMPARE(sandboxes.call("GET", cmd + QStringLiteral("/logs"))
                     .object()
                     .value(QStringLiteral("stdout"))
                     .toString(),
                 QStringLiteral("typed by cove\n"));
        qInfo("accessibility case: %lld ms", took.elapsed());
    }

    // The helper's output is the sandbox user's to forge (their PATH picks python3): whatever it prints, the
    // agent answers with a bounded, well-formed reply or a clear error, and keeps running.
    void hostileAccessibilityHelperOutput_data() {
        QTest::addColumn<QByteArray>("make"); // shell that writes ~/hostile.out
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("deep nesting")
            << QByteArray("python3 -c \"print('['*300000 + ']'*300000)\"") << 500
            << QStringLiteral("The accessibility helper gave a malformed answer (nested too deeply).");
        QTest::newRow("huge") << QByteArray("head -c 6000000 /dev/zero | tr '\\0' x") << 500
                              << QStringLiteral(
                                     "The accessibility helper gave a malformed answer (more than 4 MiB).");
        QTest::newRow("not json")
            << QByteArray("printf '\\377\\376garbage'") << 500
            << QStringLiteral("The accessibility helper gave a malformed answer (not a JSON object).");
        QTest::newRow("forged error")
            << QByteArray(
                   "python3 -c \"import json; print(json.dumps({'error':'notfound','message':'x'*100000}))\"")
            << 404 << QString(500, QLatin1Char('x'));
        QTest::newRow("oversized node")
            << QByteArray(
                   "python3 -c \"import json; k={'id':'../../etc/passwd','name':'evil'}; "
                   "n={'id':':1.2:/org/a11y/atspi/accessible/"
                   "1','role':'r'*999,'name':'\\u00e9'*5000,'states':['s']*10000,"
                   "'bounds':{'x':10**15,'y':1,'width':2,'height':3},'children':[k]*50,'extra':'dropped'}; "
                   "print(json.dumps({'root':n,'truncated':'yes'}))\"")
            << 200 << QString();
    }
    void hostileAccessibilityHelperOutput() {
        QFETCH(QByteArray, make);
        QFETCH(int, status);
        QFETCH(QString, message);
        const auto made =
            sandboxes.exec(desktop, QStringLiteral("mkdir -p ~/fake && %1 > ~/fake/out && printf "
                                                   "'#!/bin/sh\\ncat ~/fake/out\\n' > ~/fake/python3 && "
                                                   "chmod +x ~/fake/python3")
                                        .arg(QString::fromUtf8(make)));
        QCOMPARE(made.exitCode, 0);
        QCOMPARE(sandboxes
                     .call("POST", QStringLiteral("/toolbox/") + desktop + QStringLiteral("/env"),
                           R"({"set":{"PATH":"/home/cove/fake:/usr/local/bin:/usr/bin:/bin"}})")
                     .status,
                 200);
        const Reply r = cu("GET", QStringLiteral("a11y/tree?scope=all"));
        QCOMPARE(
            sandboxes
                .call("POST", QStringLiteral("/toolbox/") + desktop + QStringLiteral("/env"),
                      R"({"set":{"PATH":"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}})")
                .status,
            200);
        QCOMPARE(r.status, status);
        if (status != 200) {
            QCOMPARE(r.message(), message);
        } else {
            const QJsonObject root = r.object().value(QStringLiteral("root")).toObject();
            QCOMPARE(root.value(QStringLiteral("role")).toString().size(), 64);
            QVERIFY(root.value(QStringLiteral("name")).toString().toUtf8().size() <= 1024);
            QCOMPARE(root.value(QStringLiteral("states")).toArray().size(), 64);
            QCOMPARE(root.value(QStringLiteral("bounds")).toObject().value(QStringLiteral("x")).toInteger(),
                     1000000);
            QCOMPARE(root.value(QStringLiteral("children")).toArray().size(),
                     0); // ids that are paths are dropped
            QVERIFY(!root.contains(QStringLiteral("extra")));
            QCOMPARE(r.object().value(QStringLiteral("truncated")).toBool(), false);
        }
        // The agent lives on.
        QCOMPARE(cu("GET", QStringLiteral("status")).status, 200);
    }

    void stopEndsTheTunnel() {
        const QByteArray password = cu("GET", QStringLiteral("vnc/password"))
                                        .object()
                                        .value(QStringLiteral("password"))
                                        .toString()
                                        .toUtf8();
        RfbClient open;
        QVERIFY(open.open(vncUrl(desktop), coved.adminKey()));
        QVERIFY(open.handshake(password).error.isEmpty());

        // A recording still running is stopped first, its file finalized while the display exists.
        const QString recording = cu("POST", QStringLiteral("recordings/start"), {})
                                      .object()
                                      .value(QStringLiteral("id"))
                                      .toString();
        QVERIFY(!recording.isEmpty());
        const Reply stopped = cu("POST", QStringLiteral("stop"));
        QCOMPARE(stopped.status, 200);
        QCOMPARE(cu("GET", QStringLiteral("recordings/") + recording)
                     .object()
                     .value(QStringLiteral("status"))
                     .toString(),
                 QStringLiteral("completed"));
        QCOMPARE(cu("DELETE", QStringLiteral("recordings/") + recording).status, 204);
        QCOMPARE(stopped.message(), QStringLiteral("Computer use processes stopped successfully"));
        for (const auto& p : stopped.object().value(QStringLiteral("status")).toObject())
            QCOMPARE(p.toObject().value(QStringLiteral("running")).toBool(), false);
        // The open session ends, and a new one is refused with the reason.
        QTRY_VERIFY_WITH_TIMEOUT(open.closed(), 10000);
        const QByteArray refused = rawUpgrade(
            QStringLiteral("/toolbox/") + desktop + QStringLiteral("/computeruse/vnc"), coved.adminKey());
        QVERIFY2(refused.startsWith("HTTP/1.1 409"), refused.constData());
        QVERIFY(refused.contains(kNotRunning.toUtf8()));
        QCOMPARE(cu("GET", QStringLiteral("vnc/password")).status, 409);
        QCOMPARE(
            cu("GET", QStringLiteral("process-status")).object().value(QStringLiteral("status")).toString(),
            QStringLiteral("inactive"));
        // And it starts again, with a new password.
        QCOMPARE(cu("POST", QStringLiteral("start")).status, 200);
        QVERIFY(cu("GET", QStringLiteral("vnc/password"))
                    .object()
                    .value(QStringLiteral("password"))
                    .toString()
                    .toUtf8() != password);
        QCOMPARE(cu("POST", QStringLiteral("stop")).status, 200);
    }

    void imageWithoutDesktop() {
        const QString base = sandboxes.create(R"({"snapshot":"cove-base"})");
        QVERIFY(!base.isEmpty());
        const Reply start = cu("POST", QStringLiteral("start"), {}, base);
        QCOMPARE(start.status, 503);
        QCOMPARE(start.message(), kNoDesktop);
        const Reply move = cu("POST", QStringLiteral("mouse/move"), R"({"x":1,"y":1})", base);
        QCOMPARE(move.status, 503);
        QCOMPARE(move.message(), kNoDesktop);
        QCOMPARE(cu("POST", QStringLiteral("recordings/start"), {}, base).status, 503);
        QCOMPARE(cu("POST", QStringLiteral("a11y/find"), R"({"scope":"all"})", base).status, 503);
        QCOMPARE(cu("GET", QStringLiteral("process-status"), {}, base)
                     .object()
                     .value(QStringLiteral("status"))
                     .toString(),
                 QStringLiteral("inactive"));
    }
};

QTEST_GUILESS_MAIN(TestComputerUse)
#include "tst_computeruse.moc"
