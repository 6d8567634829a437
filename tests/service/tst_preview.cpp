// Preview URLs end to end: a real coved, a real sandbox from cove-base running a small Python web server
// (HTTP and a WebSocket echo), reached through the preview proxy by host name and by path.
#include "service/store/Store.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QWebSocket>
#include <QtTest>

#include <optional>

using cove::test::CovedProcess;
using cove::test::Reply;

namespace {

// The sandbox's web server. It binds 0.0.0.0 and never resolves names (http.server's own server_bind
// asks for the host's FQDN, which stalls without DNS). /headers echoes the request, /big?n=N sends N
// bytes with no length (the body ends when the connection does), /sized?n=N the same with a length,
// POST /echo returns what it got, /ws is a WebSocket echo.
constexpr const char* kServer = R"PY(
import base64, hashlib, http.server, json, socketserver, struct, sys

def pattern(n):
    return bytes(i % 251 for i in range(n))

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def reply(self, code, body, ctype="text/plain"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        if self.path.startswith("/headers"):
            body = {"path": self.path, "headers": [[k, v] for k, v in self.headers.items()]}
            return self.reply(200, json.dumps(body).encode(), "application/json")
        if self.path.startswith("/big") or self.path.startswith("/sized"):
            n = int(self.path.split("n=")[1])
            data = pattern(n)
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            if self.path.startswith("/sized"):
                self.send_header("Content-Length", str(n))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            for i in range(0, n, 65536):
                self.wfile.write(data[i:i + 65536])
            return
        if self.path.startswith("/ws"):
            key = self.headers["Sec-WebSocket-Key"]
            accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
            self.send_response(101)
            self.send_header("Upgrade", "websocket")
            self.send_header("Connection", "Upgrade")
            self.send_header("Sec-WebSocket-Accept", accept.decode())
            self.end_headers()
            self.wfile.flush()
            self.close_connection = True
            while True:
                head = self.rfile.read(2)
                if len(head) < 2:
                    return
                opcode, n = head[0] & 15, head[1] & 127
                if n == 126:
                    n = struct.unpack(">H", self.rfile.read(2))[0]
                elif n == 127:
                    n = struct.unpack(">Q", self.rfile.read(8))[0]
                mask = self.rfile.read(4)
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(n)))
                if opcode == 8:
                    self.wfile.write(b"\x88\x00")
                    self.wfile.flush()
                    return
                out = bytes([0x80 | opcode])
                if n < 126:
                    out += bytes([n])
                elif n < 65536:
                    out += bytes([126]) + struct.pack(">H", n)
                else:
                    out += bytes([127]) + struct.pack(">Q", n)
                self.wfile.write(out + payload)
                self.wfile.flush()
        self.reply(200, b"hello from the sandbox " + self.path.encode())
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.reply(200, body, "application/octet-stream")

class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    def server_bind(self):
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "sandbox", self.server_address[1]

Server(("0.0.0.0", int(sys.argv[1])), Handler).serve_forever()
)PY";

using Headers = QList<QPair<QByteArray, QByteArray>>;

struct Raw {
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-case
    QByteArray body;
    QByteArray header(const QByteArray& name) const {
        for (const auto& [k, v] : headers)
            if (k == name)
                return v;
        return {};
    }
    QString message() const { return QJsonDocument::fromJson(body).object().value("message").toString(); }
};

// One whole response off the front of `buf`, if it is all there (Content-Length, chunked, or, when
// `closed`, up to the end).
std::optional<Raw> takeResponse(QByteArray& buf, bool closed) {
    const int end = buf.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    Raw r;
    const auto lines = buf.left(end).split('\n');
    r.status = lines.first().split(' ').value(1).toInt();
    for (int i = 1; i < lines.size(); ++i) {
        const int colon = lines[i].indexOf(':');
        r.headers.append({lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed()});
    }
    int pos = end + 4;
    if (r.header("transfer-encoding").toLower() == "chunked") {
        for (;;) {
            const int eol = buf.indexOf("\r\n", pos);
            if (eol < 0)
                return std::nullopt;
            const int size = buf.mid(pos, eol - pos).toInt(nullptr, 16);
            if (buf.size() < eol + 2 + size + 2)
                return std::nullopt;
            r.body += buf.mid(eol + 2, size);
            pos = eol + 2 + size + 2;
            if (size == 0)
                break;
        }
    } else if (!r.header("content-length").isEmpty() || r.status == 204 || r.status == 304 ||
               r.status / 100 == 1) {
        const int n = r.header("content-length").toInt();
        if (buf.size() < pos + n)
            return std::nullopt;
        r.body = buf.mid(pos, n);
        pos += n;
    } else {
        if (!closed)
            return std::nullopt;
        r.body = buf.mid(pos);
        pos = buf.size();
    }
    buf.remove(0, pos);
    return r;
}

} // namespace

class TestPreview : public QObject {
    Q_OBJECT
    CovedProcess coved;
    cove::test::Sandboxes sandboxes{coved};
    QString id, token;
    quint16 covedPort = 0;

    Reply api(const QByteArray& method, const QString& path, const QByteArray& body = {}) {
        return sandboxes.call(method, path, body);
    }
    Reply toolbox(const QString& path, const QByteArray& body) {
        return api("POST", QStringLiteral("/toolbox/") + id + path, body);
    }
    QByteArray hostFor(int port, const QString& idOrToken) const {
        return QStringLiteral("%1-%2.localhost:%3").arg(port).arg(idOrToken).arg(covedPort).toUtf8();
    }

    // Sends raw requests on one connection to coved and reads one response for each.
    QList<Raw> exchange(const QList<QByteArray>& requests, bool* stillOpen = nullptr) {
        QTcpSocket s;
        s.connectToHost(QStringLiteral("127.0.0.1"), covedPort);
        if (!s.waitForConnected(5000))
            return {};
        QList<Raw> out;
        QByteArray buf;
        for (const auto& req : requests) {
            s.write(req);
            std::optional<Raw> r;
            QDeadlineTimer deadline(60000);
            while (!(r = takeResponse(buf, s.state() != QAbstractSocket::ConnectedState)) &&
                   !deadline.hasExpired()) {
                if (s.state() != QAbstractSocket::ConnectedState && s.bytesAvailable() == 0)
                    break;
                if (s.waitForReadyRead(1000) || s.bytesAvailable() > 0)
                    buf += s.readAll();
            }
            if (!r && s.bytesAvailable() > 0) {
                buf += s.readAll();
                r = takeResponse(buf, true);
            }
            if (!r)
                break;
            out.append(*r);
        }
        if (stillOpen) {
            s.waitForReadyRead(200); // a closing server shows it at once
            *stillOpen = s.state() == QAbstractSocket::ConnectedState;
        }
        return out;
    }
    static QByteArray head(const QByteArray& method, const QByteArray& target, const QByteArray& host,
                           const Headers& headers = {}, const QByteArray& body = {}, bool close = true) {
        QByteArray r = method + ' ' + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
        for (const auto& [k, v] : headers)
            r += k + ": " + v + "\r\n";
        if (!body.isEmpty())
            r += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        if (close)
            r += "Connection: close\r\n";
        return r + "\r\n" + body;
    }
    // One request by host name.
    Raw viaHost(const QByteArray& method, const QByteArray& target, const Headers& headers = {},
                int port = 3000, const QString& idOrToken = {}, const QByteArray& body = {}) {
        const auto r = exchange(
            {head(method, target, hostFor(port, idOrToken.isEmpty() ? id : idOrToken), headers, body)});
        return r.isEmpty() ? Raw{} : r.first();
    }
    // One request by path.
    Raw viaPath(const QByteArray& method, const QByteArray& rest, const Headers& headers = {},
                int port = 3000, const QString& idOrToken = {}) {
        const QByteArray target = "/preview/" + (idOrToken.isEmpty() ? id : idOrToken).toUtf8() + "/" +
                                  QByteArray::number(port) + rest;
        const auto r =
            exchange({head(method, target, "127.0.0.1:" + QByteArray::number(covedPort), headers)});
        return r.isEmpty() ? Raw{} : r.first();
    }
    // Tokens are per port: 3000's is kept, others are asked for.
    Headers withToken(Headers h = {}, int port = 3000) {
        const QString t =
            port == 3000
                ? token
                : api("GET", QStringLiteral("/api/sandbox/%1/ports/%2/preview-url").arg(id).arg(port))
                      .object()
                      .value("token")
                      .toString();
        h.append({"X-Daytona-Preview-Token", t.toUtf8()});
        return h;
    }
    void startServer(int port) {
        const QByteArray script = QByteArray(kServer).toBase64();
        Reply r = toolbox(QStringLiteral("/process/execute"),
                          QJsonDocument(QJsonObject{{"command", QStringLiteral("sh -c 'echo %1 | base64 -d > "
                                                                               "/tmp/preview-server.py'")
                                                                    .arg(QString::fromLatin1(script))}})
                              .toJson());
        QCOMPARE(r.status, 200);
        const QString session = QStringLiteral("srv%1").arg(port);
        QCOMPARE(toolbox(QStringLiteral("/process/session"),
                         QJsonDocument(QJsonObject{{"sessionId", session}}).toJson())
                     .status,
                 201);
        r = toolbox(QStringLiteral("/process/session/") + session + QStringLiteral("/exec"),
                    QJsonDocument(QJsonObject{{"command",
                                               QStringLiteral("python3 /tmp/preview-server.py %1").arg(port)},
                                              {"runAsync", true}})
                        .toJson());
        QVERIFY2(r.status == 200 || r.status == 202, r.body.constData());
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start(), qPrintable(coved.error()));
        covedPort = QUrl(coved.url()).port();
        id = sandboxes.create();
        QVERIFY(!id.isEmpty());
        const Reply link = api("GET", QStringLiteral("/api/sandbox/%1/ports/3000/preview-url").arg(id));
        QCOMPARE(link.status, 200);
        token = link.object().value("token").toString();
        QVERIFY(!token.isEmpty());
        startServer(3000);
        // The server is up once the proxy reaches it.
        QTRY_COMPARE_WITH_TIMEOUT(viaHost("GET", "/hello", withToken()).status, 200, 20000);
    }

    void previewUrlGivesBothForms() {
        const Reply link = api("GET", QStringLiteral("/api/sandbox/%1/ports/3000/preview-url").arg(id));
        QCOMPARE(link.status, 200);
        const auto o = link.object();
        QCOMPARE(o.value("sandboxId").toString(), id);
        QCOMPARE(o.value("url").toString(), coved.url() + QStringLiteral("/preview/%1/3000/").arg(id));
        QCOMPARE(o.value("hostUrl").toString(),
                 QStringLiteral("http://%1/").arg(QString::fromUtf8(hostFor(3000, id))));
        // The SDK asks for port 1 to get the token for its toolbox calls: any port is a valid question.
        QCOMPARE(api("GET", QStringLiteral("/api/sandbox/%1/ports/1/preview-url").arg(id)).status, 200);
        QCOMPARE(api("GET", QStringLiteral("/api/sandbox/%1/ports/70000/preview-url").arg(id)).status, 400);
        QCOMPARE(api("GET", QStringLiteral("/api/sandbox/nope/ports/3000/preview-url")).status, 404);
    }

    void tokenHeaderReachesTheServer() {
        const Raw r = viaHost("GET", "/hello?x=1", withToken());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("hello from the sandbox /hello?x=1"));
        const Raw p = viaPath("GET", "/hello/there", withToken());
        QCOMPARE(p.status, 200);
        QCOMPARE(p.body, QByteArray("hello from the sandbox /hello/there"));
    }

    void pathFormWithoutSlashRedirects() {
        const Raw r = viaPath("GET", "", withToken());
        QCOMPARE(r.status, 308);
        QCOMPARE(r.header("location"), "/preview/" + id.toUtf8() + "/3000/");
    }

    void noOrWrongTokenIsRefused() {
        for (const bool byHost : {true, false}) {
            const Raw none = byHost ? viaHost("GET", "/") : viaPath("GET", "/");
            QCOMPARE(none.status, 401);
            QVERIFY2(none.message().contains("X-Daytona-Preview-Token"), none.body.constData());
            const Headers wrong{
                {"X-Daytona-Preview-Token", "0123456789abcdef0123456789abcdef0123456789abcdef"}};
            const Raw bad = byHost ? viaHost("GET", "/", wrong) : viaPath("GET", "/", wrong);
            QCOMPARE(bad.status, 401);
            QVERIFY2(bad.message().contains("invalid"), bad.body.constData());
        }
        // A browser gets the refusal as a page.
        const Raw page = viaHost("GET", "/", {{"Accept", "text/html"}});
        QCOMPARE(page.status, 401);
        QVERIFY(page.header("content-type").startsWith("text/html"));
        // Another organization's key is no key for this sandbox; a wrong key neither.
        QCOMPARE(viaHost("GET", "/", {{"Authorization", "Bearer cove_wrong"}}).status, 401);
    }

    void apiKeyOfTheOrganizationWorks() {
        const Raw r = viaHost("GET", "/hello", {{"Authorization", "Bearer " + coved.adminKey().toUtf8()}});
        QCOMPARE(r.status, 200);
    }

    void credentialsNeverReachTheSandbox() {
        const Raw r = viaHost("GET", "/headers?DAYTONA_SANDBOX_AUTH_KEY=" + token.toUtf8() + "&keep=1",
                              {{"Authorization", "Bearer " + coved.adminKey().toUtf8()},
                               {"X-Daytona-Preview-Token", token.toUtf8()},
                               {"X-Daytona-Skip-Preview-Warning", "true"},
                               {"Cookie", "app=1; daytona-sandbox-auth-" + id.toUtf8() +
                                              "=x; daytona-preview-page-accepted=true"},
                               {"X-Custom", "kept"}});
        QCOMPARE(r.status, 200);
        const auto echo = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(echo.value("path").toString(), QStringLiteral("/headers?keep=1"));
        QMap<QString, QString> seen;
        for (const auto& h : echo.value("headers").toArray())
            seen.insert(h.toArray().at(0).toString().toLower(), h.toArray().at(1).toString());
        QVERIFY(!seen.contains("authorization"));
        QVERIFY(!seen.contains("x-daytona-preview-token"));
        QVERIFY(!seen.contains("x-daytona-skip-preview-warning"));
        QCOMPARE(seen.value("cookie"), QStringLiteral("app=1"));
        QCOMPARE(seen.value("x-custom"), QStringLiteral("kept"));
        QCOMPARE(seen.value("host"), QString::fromUtf8(hostFor(3000, id)));
        QVERIFY(!r.body.contains(token.toUtf8()));
        QVERIFY(!r.body.contains(coved.adminKey().toUtf8()));
    }

    void signedUrlWorksUntilItExpires() {
        const Reply s =
            api("GET",
                QStringLiteral("/api/sandbox/%1/ports/3000/signed-preview-url?expiresInSeconds=2").arg(id));
        QCOMPARE(s.status, 200);
        const auto o = s.object();
        QCOMPARE(o.value("sandboxId").toString(), id);
        QCOMPARE(o.value("port").toInt(), 3000);
        const QString signedToken = o.value("token").toString();
        QCOMPARE(signedToken.size(), 56);
        QCOMPARE(o.value("url").toString(),
                 coved.url() + QStringLiteral("/preview/%1/3000/").arg(signedToken));
        QCOMPARE(o.value("hostUrl").toString(),
                 QStringLiteral("http://%1/").arg(QString::fromUtf8(hostFor(3000, signedToken))));
        // No other credential needed, by host or by path; but only for that port.
        QCOMPARE(viaHost("GET", "/signed", {}, 3000, signedToken).body,
                 QByteArray("hello from the sandbox /signed"));
        QCOMPARE(viaPath("GET", "/signed", {}, 3000, signedToken).status, 200);
        QCOMPARE(viaHost("GET", "/signed", {}, 3001, signedToken).status, 401);
        // A tampered token is refused.
        QString tampered = signedToken;
        tampered[55] = tampered[55] == QLatin1Char('0') ? QLatin1Char('1') : QLatin1Char('0');
        QCOMPARE(viaHost("GET", "/", {}, 3000, tampered).status, 401);
        // Past its expiry (two seconds), it is refused.
        QTRY_COMPARE_WITH_TIMEOUT(viaHost("GET", "/signed", {}, 3000, signedToken).status, 401, 10000);
        QVERIFY(viaHost("GET", "/", {}, 3000, signedToken).message().contains("expired"));
        // Daytona's bounds: 1 s to a day, 60 s by default.
        for (const char* bad : {"0", "86401", "abc", "-5"}) {
            const Reply r =
                api("GET", QStringLiteral("/api/sandbox/%1/ports/3000/signed-preview-url?expiresInSeconds=%2")
                               .arg(id, bad));
            QCOMPARE(r.status, 400);
            QVERIFY(r.message().contains("expiresInSeconds"));
        }
        const Reply def = api("GET", QStringLiteral("/api/sandbox/%1/ports/3000/signed-preview-url").arg(id));
        QCOMPARE(def.status, 200);
        const qint64 expiry = def.object().value("token").toString().mid(32, 8).toLongLong(nullptr, 16);
        QVERIFY(qAbs(expiry - (QDateTime::currentSecsSinceEpoch() + 60)) <= 5);
    }

    void expiredSignedUrlCanBeRevoked() {
        const Reply s =
            api("GET",
                QStringLiteral("/api/sandbox/%1/ports/3000/signed-preview-url?expiresInSeconds=600").arg(id));
        const QString t = s.object().value("token").toString();
        QCOMPARE(viaHost("GET", "/", {}, 3000, t).status, 200);
        QCOMPARE(
            api("POST", QStringLiteral("/api/sandbox/%1/ports/3000/signed-preview-url/%2/expire").arg(id, t))
                .status,
            200);
        QCOMPARE(viaHost("GET", "/", {}, 3000, t).status, 401);
        QCOMPARE(api("POST",
                     QStringLiteral("/api/sandbox/%1/ports/3000/signed-preview-url/nonsense/expire").arg(id))
                     .status,
                 404);
    }

    void cookieFlow() {
        // A browser brings the token in the address: it gets a cookie and the same address without it.
        const Headers browser{{"Accept", "text/html,application/xhtml+xml"}};
        const Raw first = viaHost("GET", "/page?a=1&DAYTONA_SANDBOX_AUTH_KEY=" + token.toUtf8(), browser);
        QCOMPARE(first.status, 302);
        QCOMPARE(first.header("location"), QByteArray("/page?a=1"));
        const QByteArray setCookie = first.header("set-cookie");
        QVERIFY2(setCookie.startsWith("daytona-sandbox-auth-" + id.toUtf8() + "="), setCookie.constData());
        QVERIFY(setCookie.contains("Path=/;"));
        QVERIFY(setCookie.contains("HttpOnly"));
        QVERIFY(!setCookie.contains(token.toUtf8()));
        const QByteArray cookie = setCookie.left(setCookie.indexOf(';'));
        // The cookie alone opens the preview.
        const Raw again =
            viaHost("GET", "/page?a=1", {{"Cookie", cookie}, {"X-Daytona-Skip-Preview-Warning", "true"}});
        QCOMPARE(again.status, 200);
        QCOMPARE(again.body, QByteArray("hello from the sandbox /page?a=1"));
        // A forged or foreign cookie does not.
        QCOMPARE(viaHost("GET", "/", {{"Cookie", "daytona-sandbox-auth-" + id.toUtf8() + "=ffffffff.0000"}})
                     .status,
                 401);
        // A browser opening the path form goes to the host form (the preview's own origin), token and
        // all; coved's own origin gets no cookie.
        const Raw byPath = viaPath("GET", "/x?DAYTONA_SANDBOX_AUTH_KEY=" + token.toUtf8(), browser);
        QCOMPARE(byPath.status, 302);
        QCOMPARE(byPath.header("location"),
                 "http://" + hostFor(3000, id) + "/x?DAYTONA_SANDBOX_AUTH_KEY=" + token.toUtf8());
        QVERIFY(byPath.header("set-cookie").isEmpty());
        // A program with the token in the query is simply served, the token taken off.
        const Raw program = viaHost("GET", "/q?DAYTONA_SANDBOX_AUTH_KEY=" + token.toUtf8());
        QCOMPARE(program.status, 200);
        QCOMPARE(program.body, QByteArray("hello from the sandbox /q"));
    }

    void warningPageOnFirstBrowserVisit() {
        const Headers browser = withToken({{"Accept", "text/html"}});
        const Raw warn = viaHost("GET", "/app", browser);
        QCOMPARE(warn.status, 200);
        QVERIFY(warn.header("content-type").startsWith("text/html"));
        QVERIFY(warn.body.contains("Preview URL warning"));
        QVERIFY(!warn.body.contains("hello from the sandbox"));
        QVERIFY(warn.body.contains("action=\"/accept-daytona-preview-warning?redirect=/app\""));
        // Confirming sets the cookie and goes back.
        const Raw accept = viaHost("POST", "/accept-daytona-preview-warning?redirect=/app");
        QCOMPARE(accept.status, 302);
        QCOMPARE(accept.header("location"), QByteArray("/app"));
        const QByteArray setCookie = accept.header("set-cookie");
        QVERIFY(setCookie.startsWith("daytona-preview-page-accepted=true;"));
        Headers accepted = browser;
        accepted.append(qMakePair(QByteArray("Cookie"), QByteArray("daytona-preview-page-accepted=true")));
        QCOMPARE(viaHost("GET", "/app", accepted).body, QByteArray("hello from the sandbox /app"));
        // The header skips it; programs (no HTML accepted) never see it.
        Headers skip = browser;
        skip.append(qMakePair(QByteArray("X-Daytona-Skip-Preview-Warning"), QByteArray("true")));
        QCOMPARE(viaHost("GET", "/app", skip).body, QByteArray("hello from the sandbox /app"));
        QCOMPARE(viaHost("GET", "/app", withToken()).body, QByteArray("hello from the sandbox /app"));
        // The way back never leaves the preview.
        QCOMPARE(
            viaHost("POST", "/accept-daytona-preview-warning?redirect=//evil.example/").header("location"),
            QByteArray("/"));
        const Raw byPath = viaPath("POST", "/accept-daytona-preview-warning?redirect=http://evil.example/");
        QCOMPARE(byPath.header("location"), "/preview/" + id.toUtf8() + "/3000/");
        QVERIFY(byPath.header("set-cookie").isEmpty());
    }

    void portsOutsideDaytonasRangeAreRefused() {
        for (const int port : {80, 2999, 10000, 22220, 70000}) {
            const Raw r = viaPath("GET", "/", withToken(), port);
            QCOMPARE(r.status, 400);
            QVERIFY2(r.message().contains("3000-9999"), r.body.constData());
        }
        QCOMPARE(viaHost("GET", "/", withToken(), 80).status, 400);
        QCOMPARE(viaPath("GET", "/", withToken(), 3000, QStringLiteral("not-a-sandbox")).status, 404);
        const Raw notPort =
            exchange({head("GET", "/preview/" + id.toUtf8() + "/http/", "127.0.0.1")}).value(0);
        QCOMPARE(notPort.status, 400);
    }

    void nothingListening() {
        const Raw r = viaHost("GET", "/", withToken({}, 3005), 3005);
        QCOMPARE(r.status, 502);
        QVERIFY2(r.message().contains("Nothing listens on port 3005"), r.body.constData());
    }

    void publicSandboxNeedsNoTokenExceptReservedPorts() {
        QCOMPARE(api("POST", QStringLiteral("/api/sandbox/%1/public/true").arg(id)).status, 200);
        const Raw open = viaHost("GET", "/public");
        QCOMPARE(open.status, 200);
        QCOMPARE(open.body, QByteArray("hello from the sandbox /public"));
        QCOMPARE(viaPath("GET", "/public").status, 200);
        // The web terminal's port stays private.
        const Raw terminal = viaHost("GET", "/", {}, 22222);
        QCOMPARE(terminal.status, 401);
        QCOMPARE(viaHost("GET", "/", {}, 33333).status, 401);
        // With the token it goes through (nothing listens there in this sandbox).
        QCOMPARE(viaHost("GET", "/", withToken({}, 22222), 22222).status, 502);
        QCOMPARE(viaHost("GET", "/", withToken(), 22222).status, 401); // 3000's token opens 3000 only
        QCOMPARE(api("POST", QStringLiteral("/api/sandbox/%1/public/false").arg(id)).status, 200);
        QCOMPARE(viaHost("GET", "/public").status, 401);
    }

    void requestBodiesAndKeepAlive() {
        QByteArray payload(300 * 1024, 'x');
        for (int i = 0; i < payload.size(); ++i)
            payload[i] = char('a' + i % 26);
        const Raw r = viaHost("POST", "/echo", withToken(), 3000, {}, payload);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.size(), payload.size());
        QVERIFY(r.body == payload);
        // Two requests on one connection, each answered; the connection stays open.
        bool open = false;
        const QByteArray host = hostFor(3000, id);
        const auto both = exchange({head("GET", "/one", host, withToken(), {}, false),
                                    head("GET", "/big?n=100000", host, withToken(), {}, false)},
                                   &open);
        QCOMPARE(both.size(), 2);
        QCOMPARE(both[0].body, QByteArray("hello from the sandbox /one"));
        QCOMPARE(both[1].status, 200);
        QCOMPARE(both[1].body.size(), 100000);
        // The body that ended with the sandbox's connection came re-framed in chunks.
        QCOMPARE(both[1].header("transfer-encoding"), QByteArray("chunked"));
        QVERIFY(open);
    }

    void largeResponsesStreamIntact() {
        const int n = 8 * 1024 * 1024;
        QByteArray expected(n, 0);
        for (int i = 0; i < n; ++i)
            expected[i] = char(i % 251);
        for (const QByteArray& path : {QByteArray("/big?n="), QByteArray("/sized?n=")}) {
            const Raw r = viaHost("GET", path + QByteArray::number(n), withToken());
            QCOMPARE(r.status, 200);
            QCOMPARE(r.body.size(), n);
            QVERIFY(r.body == expected);
        }
    }

    void webSocketEcho() {
        QWebSocket ws;
        QSignalSpy text(&ws, &QWebSocket::textMessageReceived);
        QSignalSpy binary(&ws, &QWebSocket::binaryMessageReceived);
        QSignalSpy connected(&ws, &QWebSocket::connected);
        QNetworkRequest req(
            QUrl(QStringLiteral("ws://127.0.0.1:%1/preview/%2/3000/ws").arg(covedPort).arg(id)));
        req.setRawHeader("X-Daytona-Preview-Token", token.toUtf8());
        ws.open(req);
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 10000);
        ws.sendTextMessage(QStringLiteral("hello through the proxy"));
        QTRY_COMPARE_WITH_TIMEOUT(text.size(), 1, 10000);
        QCOMPARE(text.first().first().toString(), QStringLiteral("hello through the proxy"));
        const QByteArray blob(200000, 'b');
        ws.sendBinaryMessage(blob);
        QTRY_COMPARE_WITH_TIMEOUT(binary.size(), 1, 10000);
        QCOMPARE(binary.first().first().toByteArray(), blob);
        ws.close();
        // Without the token the upgrade is refused.
        QWebSocket denied;
        QSignalSpy deniedConnected(&denied, &QWebSocket::connected);
        QSignalSpy deniedError(&denied, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
        denied.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/preview/%2/3000/ws").arg(covedPort).arg(id)));
        QTRY_VERIFY_WITH_TIMEOUT(!deniedError.isEmpty(), 10000);
        QCOMPARE(deniedConnected.size(), 0);
    }

    void skipActivityHeaderLeavesLastActivity() {
        // Back-date the sandbox's last activity, so any write shows.
        const qint64 past = QDateTime::currentMSecsSinceEpoch() - 3600 * 1000;
        {
            const auto store = cove::store::open(coved.database().toStdString());
            auto& db = *store;
            db.exec("UPDATE sandboxes SET last_activity_at = ? WHERE id = ?",
                    {static_cast<std::int64_t>(past), id.toStdString()});
        }
        const auto lastActivity = [&] {
            return QDateTime::fromString(sandboxes.get(id).value("lastActivityAt").toString(),
                                         Qt::ISODateWithMs)
                .toMSecsSinceEpoch();
        };
        QCOMPARE(lastActivity(), past);
        QCOMPARE(
            viaHost("GET", "/quiet", withToken({{"X-Daytona-Skip-Last-Activity-Update", "true"}})).status,
            200);
        QCOMPARE(lastActivity(), past);
        // A refused request is no activity either.
        QCOMPARE(viaHost("GET", "/quiet").status, 401);
        QCOMPARE(lastActivity(), past);
        QCOMPARE(viaHost("GET", "/busy", withToken()).status, 200);
        QVERIFY(lastActivity() > past + 3000 * 1000);
    }

    void stoppedSandboxSaysStartIt() {
        QCOMPARE(api("POST", QStringLiteral("/api/sandbox/%1/stop").arg(id)).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(sandboxes.state(id), QStringLiteral("stopped"), 60000);
        const Raw r = viaHost("GET", "/", withToken());
        QCOMPARE(r.status, 409);
        QVERIFY2(r.message().contains("stopped; start it"), r.body.constData());
        QCOMPARE(viaPath("GET", "/", withToken()).status, 409);
    }
};

QTEST_MAIN(TestPreview)
#include "tst_preview.moc"
