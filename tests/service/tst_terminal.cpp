// The web terminal on a real coved and a real sandbox: tokens, the socket's refusals (token and Origin),
// a shell that runs commands, resizes, survives a dropped socket, and the page with its xterm.js.
#include "service/domain/TerminalTokens.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QWebSocket>
#include <QtTest>

using namespace cove;
using namespace cove::test;

namespace {

// A terminal socket as the page opens it, collecting what comes back.
class Terminal : public QObject {
public:
    QWebSocket ws;
    QByteArray output;
    QList<QJsonObject> controls;
    bool closed = false;
    int closeCode = 0;

    Terminal() {
        connect(&ws, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& m) { output += m; });
        connect(&ws, &QWebSocket::textMessageReceived, this,
                [this](const QString& m) { controls << QJsonDocument::fromJson(m.toUtf8()).object(); });
        connect(&ws, &QWebSocket::disconnected, this, [this] {
            closed = true;
            closeCode = ws.closeCode();
        });
        connect(&ws, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
                [this] { closed = true; });
    }
    void open(const QString& url, const QString& origin) {
        QNetworkRequest req{QUrl(url)};
        req.setRawHeader("Origin", origin.toUtf8());
        ws.open(req);
    }
    bool connected() const {
        return !controls.isEmpty() &&
               controls.first().value(QStringLiteral("status")) == QStringLiteral("connected");
    }
    QString resumeToken() const { return controls.first().value(QStringLiteral("resumeToken")).toString(); }
    void type(const QByteArray& keys) { ws.sendBinaryMessage(keys); }
    void control(const QJsonObject& o) { ws.sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson())); }
};

} // namespace

class TestTerminal : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};
    QString sandbox;

    QJsonObject issue(const QString& id) {
        const auto r =
            sb.call("POST", QStringLiteral("/api/sandbox/") + id + QStringLiteral("/terminal-token"));
        if (r.status != 200)
            qWarning() << "terminal-token" << r.status << r.body;
        return r.object();
    }
    QString token(const QString& id) { return issue(id).value(QStringLiteral("token")).toString(); }
    QString socketUrl(const QString& id, const QString& tok, const QString& extra = {}) const {
        return QStringLiteral("ws") + coved.url().mid(4) + QStringLiteral("/terminal/") + id +
               QStringLiteral("/socket?token=") + tok + extra;
    }
    // The status line of a WebSocket handshake sent by hand (QWebSocket hides refusals' statuses).
    int upgradeStatus(const QString& id, const QString& tok, const QByteArray& origin,
                      QByteArray* body = nullptr) {
        QTcpSocket s;
        const QUrl u(coved.url());
        s.connectToHost(u.host(), u.port());
        if (!s.waitForConnected(5000))
            return -1;
        QByteArray req = "GET /terminal/" + id.toUtf8() + "/socket?token=" + tok.toUtf8() +
                         " HTTP/1.1\r\nHost: " + u.authority().toUtf8() +
                         "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        if (!origin.isEmpty())
            req += "Origin: " + origin + "\r\n";
        s.write(req + "\r\n");
        QByteArray got;
        while (!got.contains("\r\n\r\n") && s.waitForReadyRead(15000))
            got += s.readAll();
        // A refusal's JSON body follows its header.
        while (body && !got.endsWith("}") && s.waitForReadyRead(2000))
            got += s.readAll();
        if (body)
            *body = got.mid(got.indexOf("\r\n\r\n") + 4);
        return got.startsWith("HTTP/1.1 ") ? got.mid(9, 3).toInt() : -1;
    }
    QString origin() const { return coved.url(); }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start(), qPrintable(coved.error()));
        sandbox = sb.create();
        QVERIFY(!sandbox.isEmpty());
    }

    void tokensExpireAndBindToOneSandbox() {
        ManualClock clock;
        domain::TerminalTokens tokens(clock);
        const domain::Principal who{"k1", "key", "org", {"*"}};
        const auto a = tokens.issue("sb-a", who);
        QCOMPARE(a.expiresAt, clock.now() + domain::TerminalTokens::kOpenWindow);
        QVERIFY(!tokens.redeem(a.token, "sb-b"));       // another sandbox's
        QVERIFY(!tokens.redeem(a.token + "0", "sb-a")); // malformed
        std::string forged = a.token;
        forged.back() = forged.back() == '0' ? '1' : '0';
        QVERIFY(!tokens.redeem(forged, "sb-a")); // right id, wrong secret
        QVERIFY(!tokens.redeem("", "sb-a"));
        const auto grant = tokens.redeem(a.token, "sb-a");
        QVERIFY(grant);
        QCOMPARE(grant->who.keyId, std::string("k1"));
        QVERIFY(grant->ptyId.empty());
        QVERIFY(!tokens.redeem(a.token, "sb-a")); // once only

        const auto late = tokens.issue("sb-a", who);
        clock.advance(domain::TerminalTokens::kOpenWindow + std::chrono::seconds(1));
        QVERIFY(!tokens.redeem(late.token, "sb-a"));

        // A resume token works only after its terminal let go, and within the resume window.
        const std::string resume = tokens.issueResume("sb-a", who, "pty-1");
        QVERIFY(!tokens.redeem(resume, "sb-a"));
        tokens.release(resume);
        QVERIFY(tokens.pending(resume));
        const auto again = tokens.redeem(resume, "sb-a");
        QVERIFY(again);
        QCOMPARE(again->ptyId, std::string("pty-1"));
        QVERIFY(!tokens.pending(resume));
        const std::string stale = tokens.issueResume("sb-a", who, "pty-2");
        tokens.release(stale);
        clock.advance(domain::TerminalTokens::kResumeWindow + std::chrono::seconds(1));
        QVERIFY(!tokens.redeem(stale, "sb-a"));
    }

    void tokenNeedsKeyAndStartedSandbox() {
        const QString path = QStringLiteral("/api/sandbox/") + sandbox + QStringLiteral("/terminal-token");
        QCOMPARE(request("POST", coved.url() + path).status, 401);
        QCOMPARE(request("POST", coved.url() + path, QStringLiteral("nope")).status, 401);
        const auto unknown = sb.call(
            "POST", QStringLiteral("/api/sandbox/00000000-0000-4000-8000-000000000000/terminal-token"));
        QCOMPARE(unknown.status, 404);

        const QJsonObject t = issue(sandbox);
        const QString tok = t.value(QStringLiteral("token")).toString();
        QVERIFY(!tok.isEmpty());
        QCOMPARE(t.value(QStringLiteral("url")).toString(),
                 coved.url() + QStringLiteral("/terminal/") + sandbox + QStringLiteral("#token=") + tok);
        QCOMPARE(t.value(QStringLiteral("socketUrl")).toString(), QStringLiteral("ws") + coved.url().mid(4) +
                                                                      QStringLiteral("/terminal/") + sandbox +
                                                                      QStringLiteral("/socket"));
        const auto expires =
            QDateTime::fromString(t.value(QStringLiteral("expiresAt")).toString(), Qt::ISODateWithMs);
        QVERIFY(expires.isValid());
        const qint64 left = QDateTime::currentDateTimeUtc().secsTo(expires);
        QVERIFY2(left > 50 && left <= 60, qPrintable(QString::number(left)));

        // The issue is audited against the sandbox.
        const auto audit = sb.call("GET", QStringLiteral("/api/audit?limit=20"));
        QVERIFY(audit.body.contains("create_ssh_access"));

        // A stopped sandbox has no shell to open.
        const QString stopped = sb.create();
        QVERIFY(!stopped.isEmpty());
        QCOMPARE(sb.call("POST", QStringLiteral("/api/sandbox/") + stopped + QStringLiteral("/stop")).status,
                 200);
        QTRY_COMPARE_WITH_TIMEOUT(sb.state(stopped), QStringLiteral("stopped"), 60000);
        const auto refused =
            sb.call("POST", QStringLiteral("/api/sandbox/") + stopped + QStringLiteral("/terminal-token"));
        QCOMPARE(refused.status, 409);
        QVERIFY2(refused.message().contains(QStringLiteral("start it")), qPrintable(refused.message()));
        sb.call("DELETE", QStringLiteral("/api/sandbox/") + stopped);
    }

    void socketRefusesBadTokensAndForeignPages() {
        QByteArray body;
        QCOMPARE(upgradeStatus(sandbox, QStringLiteral("nonsense"), origin().toUtf8(), &body), 401);
        QVERIFY2(body.contains("terminal token"), body.constData());
        QCOMPARE(upgradeStatus(sandbox, QString(), origin().toUtf8()), 401);

        // Another sandbox's token does not open this one, and is not used up by trying.
        const QString other = sb.create();
        QVERIFY(!other.isEmpty());
        const QString forOther = token(other);
        QCOMPARE(upgradeStatus(sandbox, forOther, origin().toUtf8()), 401);

        // A foreign page is refused before its token is looked at (so it cannot use one up either).
        const QString tok = token(sandbox);
        QCOMPARE(upgradeStatus(sandbox, tok, "http://evil.example", &body), 403);
        QVERIFY2(body.contains("evil.example"), body.constData());
        QCOMPARE(upgradeStatus(sandbox, tok, "null"), 403);
        QCOMPARE(upgradeStatus(sandbox, tok, "http://127.0.0.1:1"), 403);

        // The right page with the right token: switched, once.
        QCOMPARE(upgradeStatus(sandbox, tok, origin().toUtf8()), 101);
        QCOMPARE(upgradeStatus(sandbox, tok, origin().toUtf8()), 401);
        QCOMPARE(upgradeStatus(other, forOther,
                               "http://localhost:" + QByteArray::number(QUrl(coved.url()).port())),
                 101);

        // Not a WebSocket at all.
        const auto plain = request("GET", coved.url() + QStringLiteral("/terminal/") + sandbox +
                                              QStringLiteral("/socket?token=") + token(sandbox));
        QCOMPARE(plain.status, 400);
        sb.call("DELETE", QStringLiteral("/api/sandbox/") + other);
    }

    void shellRunsCommandsAndResizes() {
        Terminal t;
        t.open(socketUrl(sandbox, token(sandbox), QStringLiteral("&cols=100&rows=30")), origin());
        QTRY_VERIFY_WITH_TIMEOUT(t.connected(), 15000);
        QVERIFY(!t.resumeToken().isEmpty());
        QVERIFY(t.controls.first()
                    .value(QStringLiteral("sessionId"))
                    .toString()
                    .startsWith(QStringLiteral("cove-terminal-")));

        t.type("echo hi-$((6*7))\r");
        QTRY_VERIFY_WITH_TIMEOUT(t.output.contains("hi-42"), 15000);
        t.type("stty size\r");
        QTRY_VERIFY_WITH_TIMEOUT(t.output.contains("30 100"), 15000);
        t.control({{QStringLiteral("type"), QStringLiteral("resize")},
                   {QStringLiteral("cols"), 123},
                   {QStringLiteral("rows"), 45}});
        t.type("stty size\r");
        QTRY_VERIFY_WITH_TIMEOUT(t.output.contains("45 123"), 15000);
        // Nonsense controls are ignored; the shell carries on.
        t.control({{QStringLiteral("type"), QStringLiteral("resize")}, {QStringLiteral("cols"), -1}});
        t.control({{QStringLiteral("type"), QStringLiteral("unknown")}});

        // UTF-8 both ways, and colours pass through untouched.
        t.type(QStringLiteral("echo 中文-ok; printf '\\033[31mred\\033[0m\\n'\r").toUtf8());
        QTRY_VERIFY_WITH_TIMEOUT(t.output.contains(QStringLiteral("中文-ok").toUtf8()), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(t.output.contains("\x1b[31mred\x1b[0m"), 15000);

        // Paused, output waits in the sandbox; resumed, all of it arrives in order.
        t.control({{QStringLiteral("type"), QStringLiteral("pause")}});
        t.output.clear();
        t.type("seq 1 30000 | tr '\\n' ' '; echo; echo END-$((1+1))\r");
        t.control({{QStringLiteral("type"), QStringLiteral("resume")}});
        QTRY_VERIFY_WITH_TIMEOUT(t.output.contains("END-2"), 30000);
        QVERIFY(t.output.contains("29998 29999 30000"));

        // The shell's exit is told, then the socket closes normally.
        t.type("exit 3\r");
        QTRY_VERIFY_WITH_TIMEOUT(t.closed, 15000);
        QCOMPARE(t.controls.last().value(QStringLiteral("status")).toString(), QStringLiteral("exited"));
        QCOMPARE(t.controls.last().value(QStringLiteral("exitCode")).toInt(), 3);
        QCOMPARE(t.closeCode, 1000);
        // An exited shell cannot be resumed.
        QCOMPARE(upgradeStatus(sandbox, t.resumeToken(), origin().toUtf8()), 401);
    }

    void droppedSocketResumesTheSameShell() {
        QString resume;
        {
            Terminal t;
            t.open(socketUrl(sandbox, token(sandbox)), origin());
            QTRY_VERIFY_WITH_TIMEOUT(t.connected(), 15000);
            t.type("export KEPT=still-$((40+2))\r");
            t.type("echo set-done\r");
            QTRY_VERIFY_WITH_TIMEOUT(t.output.contains("set-done\r\n"), 15000);
            resume = t.resumeToken();
            // While the first socket is open, its resume token opens nothing.
            QCOMPARE(upgradeStatus(sandbox, resume, origin().toUtf8()), 401);
            t.ws.abort(); // as a network failure would
        }
        // coved notices the drop, then the token opens the same shell (until then it is refused).
        std::unique_ptr<Terminal> attempt;
        const auto resumed = [&] {
            if (!attempt || attempt->closed) {
                attempt = std::make_unique<Terminal>();
                attempt->open(socketUrl(sandbox, resume), origin());
            }
            return attempt->connected();
        };
        QTRY_VERIFY_WITH_TIMEOUT(resumed(), 15000);
        Terminal& back = *attempt;
        back.type("echo $KEPT\r");
        QTRY_VERIFY_WITH_TIMEOUT(back.output.contains("still-42"), 15000);
        back.type("exit\r");
        QTRY_VERIFY_WITH_TIMEOUT(back.closed, 15000);
    }

    void pageAndScriptsAreServed() {
        const auto page = request("GET", coved.url() + QStringLiteral("/terminal/") + sandbox);
        QCOMPARE(page.status, 200);
        QVERIFY(page.body.contains("<script src=\"/web/xterm.js\"></script>"));
        QVERIFY(page.body.contains("/web/terminal.js"));
        QVERIFY(!page.body.contains("token=")); // the page is static: no secret in it

        QTcpSocket s; // headers, which request() does not expose
        const QUrl u(coved.url());
        s.connectToHost(u.host(), u.port());
        QVERIFY(s.waitForConnected(5000));
        s.write("GET /terminal/x HTTP/1.1\r\nHost: " + u.authority().toUtf8() +
                "\r\nConnection: close\r\n\r\n");
        QByteArray head;
        while (!head.contains("\r\n\r\n") && s.waitForReadyRead(5000))
            head += s.readAll();
        const QByteArray lower = head.toLower();
        QVERIFY2(lower.contains("content-type: text/html; charset=utf-8"), head.constData());
        QVERIFY(lower.contains("content-security-policy: default-src 'none'"));
        QVERIFY(lower.contains("frame-ancestors 'none'"));
        QVERIFY(lower.contains("cache-control: no-store"));

        const auto xterm = request("GET", coved.url() + QStringLiteral("/web/xterm.js"));
        QCOMPARE(xterm.status, 200);
        QVERIFY(xterm.body.size() > 100000);
        QVERIFY(xterm.body.contains("xterm"));
        QVERIFY(request("GET", coved.url() + QStringLiteral("/web/xterm.css")).body.contains(".xterm"));
        QVERIFY(request("GET", coved.url() + QStringLiteral("/web/addon-fit.js")).body.contains("FitAddon"));
        QVERIFY(
            request("GET", coved.url() + QStringLiteral("/web/terminal.js")).body.contains("coveTerminal"));
        QCOMPARE(request("GET", coved.url() + QStringLiteral("/web/nothing.js")).status, 404);
        QCOMPARE(request("GET", coved.url() + QStringLiteral("/web/..%2Fcove.db")).status, 404);
    }

    void cleanupTestCase() { sb.removeAll(); }
};

QTEST_GUILESS_MAIN(TestTerminal)
#include "tst_terminal.moc"
