// Attacks on coved's front door from a local client, each against a real coved: guessing keys to lock
// the owner out, slow and idle connections, bodies sent before any credential, running coved out of file
// descriptors, flooding the event channel, and a preview page turning on coved's own origin. While each
// attack runs a probe asks GET /api/health and every answer must come within a second (99th percentile).
#include "service/domain/Config.h"
#include "support/CovedProcess.h"
#include "support/HealthProbe.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QWebSocket>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

using Limits = cove::domain::ConnectionLimits;
using cove::test::CovedProcess;
using cove::test::HealthProbe;
using cove::test::Reply;
using cove::test::Sandboxes;
using Clock = std::chrono::steady_clock;
using Headers = QList<QPair<QByteArray, QByteArray>>;

namespace {

double msSince(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// A blocking TCP connection to coved on 127.0.0.1, or -1.
int connectTo(quint16 port, int receiveBuffer = 0) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (receiveBuffer > 0)
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

void setTimeout(int fd, int ms) {
    const timeval tv{ms / 1000, (ms % 1000) * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

bool sendAll(int fd, const QByteArray& data) {
    for (qsizetype sent = 0; sent < data.size();) {
        const auto n = ::send(fd, data.constData() + sent, size_t(data.size() - sent), MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        sent += n;
    }
    return true;
}

// Reads until the peer closes, `until` appears, or the socket's timeout passes.
QByteArray readSome(int fd, const QByteArray& until = {}) {
    QByteArray out;
    char buf[65536];
    for (;;) {
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        out.append(buf, n);
        if (!until.isEmpty() && out.contains(until))
            break;
    }
    return out;
}

// One request on a new connection; the whole answer (coved closes after it), or what came in time.
QByteArray roundTrip(quint16 port, const QByteArray& request, int timeoutMs = 5000) {
    const int fd = connectTo(port);
    if (fd < 0)
        return {};
    setTimeout(fd, timeoutMs);
    QByteArray out;
    if (sendAll(fd, request))
        out = readSome(fd);
    ::close(fd);
    return out;
}

int statusOf(const QByteArray& response) {
    return response.startsWith("HTTP/1.") ? response.mid(9, 3).toInt() : 0;
}

QByteArray headerOf(const QByteArray& response, const QByteArray& name) {
    const QByteArray head = response.left(response.indexOf("\r\n\r\n"));
    for (const QByteArray& line : head.split('\n')) {
        const int colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == name.toLower())
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

QByteArray get(const QByteArray& target, const QByteArray& host, const Headers& headers = {},
               const QByteArray& method = "GET") {
    QByteArray r = method + ' ' + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
    bool connection = false;
    for (const auto& [k, v] : headers) {
        r += k + ": " + v + "\r\n";
        connection = connection || k.compare("Connection", Qt::CaseInsensitive) == 0;
    }
    return r + (connection ? "" : "Connection: close\r\n") + "\r\n";
}

// Stops the probe; true when it got answers and their 99th percentile is under a second.
bool healthy(HealthProbe& probe, const char* during) {
    // A short attack: a few answers more (too few still fail below).
    (void)QTest::qWaitFor([&] { return probe.samples() >= 5; }, 5000);
    probe.stop();
    const double p99 = probe.percentileMs(99);
    qInfo("health during %s: %zu answers, %d failed, p99 %.1f ms", during, probe.samples(), probe.failures(),
          p99);
    return probe.samples() >= 3 && p99 < 1000;
}

// CPU time (user + system) a process used so far, in seconds.
double cpuSeconds(qint64 pid) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(f, line);
    const auto end = line.rfind(')');
    if (end == std::string::npos || end + 2 > line.size())
        return -1; // gone
    std::istringstream rest(line.substr(end + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
        if (i == 14)
            utime = std::stoull(field);
        if (i == 15)
            stime = std::stoull(field);
    }
    return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

int openFds(qint64 pid) {
    return int(
        QDir(QStringLiteral("/proc/%1/fd").arg(pid)).entryList(QDir::NoDotAndDotDot | QDir::System).size());
}

// A WebSocket text frame as a client sends it (masked, with a zero mask).
QByteArray clientFrame(const QByteArray& text) {
    QByteArray f("\x81", 1);
    if (text.size() < 126) {
        f += char(0x80 | text.size());
    } else {
        f += char(0x80 | 126);
        f += char(text.size() >> 8);
        f += char(text.size() & 0xff);
    }
    return f + QByteArray(4, '\0') + text;
}

} // namespace

class TestSecServer : public QObject {
    Q_OBJECT
    CovedProcess front; // slow, idle and early-body clients, file descriptors
    CovedProcess events;
    CovedProcess previews;
    Sandboxes sandboxes{previews};
    quint16 frontPort = 0, eventsPort = 0, previewPort = 0;

    static quint16 portOf(const CovedProcess& c) { return quint16(QUrl(c.url()).port()); }

    // A web server on the sandbox's port 3000 whose page says `text`.
    void startServer(const QString& id, const QString& text) {
        QCOMPARE(sandboxes
                     .call("POST", QStringLiteral("/toolbox/") + id + QStringLiteral("/process/session"),
                           "{\"sessionId\":\"srv\"}")
                     .status,
                 201);
        const QString command =
            QStringLiteral(
                "mkdir -p /tmp/site && echo %1 > /tmp/site/index.html && cd /tmp/site && exec python3 "
                "-c 'import socketserver, http.server; socketserver.TCPServer.allow_reuse_address = "
                "True; socketserver.ThreadingTCPServer((\"0.0.0.0\", 3000), "
                "http.server.SimpleHTTPRequestHandler).serve_forever()'")
                .arg(text);
        const Reply r = sandboxes.call(
            "POST", QStringLiteral("/toolbox/") + id + QStringLiteral("/process/session/srv/exec"),
            QJsonDocument(QJsonObject{{"command", command}, {"runAsync", true}}).toJson());
        QVERIFY2(r.status == 200 || r.status == 202, r.body.constData());
    }
    QByteArray previewHost(const QString& id, int port = 3000) const {
        return QStringLiteral("%1-%2.localhost:%3").arg(port).arg(id).arg(previewPort).toUtf8();
    }

private slots:
    void initTestCase() {
        // The test holds thousands of connections.
        rlimit lim{};
        getrlimit(RLIMIT_NOFILE, &lim);
        lim.rlim_cur = lim.rlim_max;
        setrlimit(RLIMIT_NOFILE, &lim);
        QVERIFY2(front.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(front.error()));
        QVERIFY2(events.start({QStringLiteral("--warm-pool"), QStringLiteral("0"),
                               QStringLiteral("--rate-limit"), QStringLiteral("authenticated=0")}),
                 qPrintable(events.error()));
        QVERIFY2(previews.start(), qPrintable(previews.error()));
        frontPort = portOf(front);
        eventsPort = portOf(events);
        previewPort = portOf(previews);
    }

    // Item 8: whoever keeps presenting bad keys from an address slows their own guessing, not the owner.
    void goodKeyPassesWhileTheAddressIsBraked() {
        CovedProcess coved;
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        const quint16 port = portOf(coved);
        HealthProbe probe(port);
        int braked = 0;
        for (int i = 0; i < 100 && braked == 0; ++i) {
            const QByteArray r =
                roundTrip(port, get("/api/sandbox", "127.0.0.1",
                                    {{"Authorization", "Bearer cove_guess" + QByteArray::number(i)}}));
            if (statusOf(r) == 429) {
                braked = i;
                QVERIFY(!headerOf(r, "retry-after").isEmpty());
            } else {
                QCOMPARE(statusOf(r), 401);
            }
        }
        QVERIFY2(braked > 0, "bad keys were never braked");
        // The owner's key still works from the same address; a guess is still refused.
        const QByteArray good = "Bearer " + coved.adminKey().toUtf8();
        QCOMPARE(statusOf(roundTrip(port, get("/api/sandbox", "127.0.0.1", {{"Authorization", good}}))), 200);
        QCOMPARE(statusOf(roundTrip(
                     port, get("/api/sandbox", "127.0.0.1", {{"Authorization", "Bearer cove_guess"}}))),
                 429);
        QVERIFY(healthy(probe, "the key guessing"));
    }

    // Item 9: clients that dribble their headers a byte at a time are cut off once the header timeout
    // passes, and a real client is served meanwhile.
    void slowlorisClientsAreCutOff() {
        constexpr int kClients = 200;
        HealthProbe probe(frontPort);
        std::vector<int> slow;
        for (int i = 0; i < kClients; ++i) {
            const int fd = connectTo(frontPort);
            QVERIFY(fd >= 0);
            QVERIFY(sendAll(fd, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "));
            slow.push_back(fd);
        }
        const auto t0 = Clock::now();
        const double limitMs =
            std::chrono::duration<double, std::milli>(Limits::kHeaderTimeout).count() + 3000;
        const QByteArray key = "Bearer " + front.adminKey().toUtf8();
        std::vector<bool> cut(slow.size(), false);
        int open = kClients;
        while (open > 0 && msSince(t0) < limitMs) {
            for (std::size_t i = 0; i < slow.size(); ++i) {
                if (cut[i])
                    continue;
                char c;
                const auto n = ::recv(slow[i], &c, 1, MSG_DONTWAIT); // 0 once coved closed it
                if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) ||
                    ::send(slow[i], "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT) != 1) {
                    cut[i] = true;
                    --open;
                }
            }
            // A real client between the attacker's bytes.
            const auto t1 = Clock::now();
            const QByteArray r =
                roundTrip(frontPort, get("/api/sandbox", "127.0.0.1", {{"Authorization", key}}));
            QVERIFY2(statusOf(r) == 200, r.isEmpty() ? "no answer" : r.left(300).constData());
            QVERIFY(msSince(t1) < 1000);
            std::this_thread::sleep_for(std::chrono::milliseconds(500)); // the attacker's pace, not a wait
        }
        const double after = msSince(t0);
        for (const int fd : slow)
            ::close(fd);
        qInfo("%d of %d slow clients still open after %.1f s", open, kClients, after / 1000);
        QVERIFY2(open == 0, "coved kept slow connections open past its header timeout");
        const double timeoutMs = std::chrono::duration<double, std::milli>(Limits::kHeaderTimeout).count();
        QVERIFY(after >= timeoutMs - 1000);
        QVERIFY(healthy(probe, "200 slowloris clients"));
    }

    // Item 9: thousands of idle connections, with coved's file limit at a common 1024.
    void idleConnectionsDoNotStopARealClient() {
        QCOMPARE(
            cove::test::run(QStringLiteral("prlimit"), {QStringLiteral("--pid"), QString::number(front.pid()),
                                                        QStringLiteral("--nofile=1024:")})
                .exitCode,
            0);
        std::vector<int> idle;
        for (int i = 0; i < 2000; ++i) {
            const int fd = connectTo(frontPort);
            if (fd >= 0)
                idle.push_back(fd);
        }
        QVERIFY(idle.size() >= 1900);
        HealthProbe probe(frontPort);
        // A real client, several times, while the idle ones stay.
        for (int i = 0; i < 20; ++i) {
            const auto t0 = Clock::now();
            const QByteArray r =
                roundTrip(frontPort, get("/api/sandbox", "127.0.0.1",
                                         {{"Authorization", "Bearer " + front.adminKey().toUtf8()}}));
            const int status = statusOf(r);
            QVERIFY2(status == 200, r.isEmpty() ? "no answer" : r.left(300).constData());
            QVERIFY(msSince(t0) < 2000);
        }
        QTRY_VERIFY_WITH_TIMEOUT(probe.samples() >= 20, 20000); // the probe too, while they stay
        const bool ok = healthy(probe, "2000 idle connections");
        for (const int fd : idle)
            ::close(fd);
        QVERIFY(ok);
    }

    // Item 9: a body is read only after its request's credentials passed.
    void unauthenticatedBodyIsRefusedBeforeItIsRead() {
        HealthProbe probe(frontPort);
        const int fd = connectTo(frontPort);
        QVERIFY(fd >= 0);
        setTimeout(fd, 3000);
        const qint64 total = 10 * 1024 * 1024;
        QVERIFY(
            sendAll(fd, "POST /api/sandbox HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        "Content-Length: " +
                            QByteArray::number(total) + "\r\n\r\n" + QByteArray(64 * 1024, ' ')));
        // The answer comes while the client is still to send almost all of it.
        const QByteArray r = readSome(fd, "\r\n\r\n");
        QVERIFY2(statusOf(r) == 401, r.isEmpty() ? "no answer before the body" : r.constData());
        QTRY_VERIFY_WITH_TIMEOUT(probe.samples() >= 10, 10000); // the probe too, while it stays
        ::close(fd);
        QVERIFY(healthy(probe, "an unauthenticated upload"));
    }

    // Item 10: unauthenticated event sessions are few and short-lived.
    void unauthenticatedEventSessionsAreBounded() {
        HealthProbe probe(eventsPort);
        const QUrl url(
            QStringLiteral("ws://127.0.0.1:%1/api/socket.io/?EIO=4&transport=websocket").arg(eventsPort));
        std::vector<std::unique_ptr<QWebSocket>> sockets;
        int settled = 0;
        for (int i = 0; i < 100; ++i) {
            auto ws = std::make_unique<QWebSocket>();
            connect(ws.get(), &QWebSocket::connected, this, [&settled] { ++settled; });
            connect(ws.get(), qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
                    [&settled] { ++settled; });
            ws->open(url);
            sockets.push_back(std::move(ws));
        }
        QTRY_VERIFY_WITH_TIMEOUT(settled >= 100, 20000);
        const auto open = [&] {
            return std::count_if(sockets.begin(), sockets.end(),
                                 [](const auto& s) { return s->state() == QAbstractSocket::ConnectedState; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(open() <= qsizetype(Limits::kMaxPendingEventSessions), 5000);
        // A real client still gets in and authenticates.
        QWebSocket real;
        QStringList frames;
        connect(&real, &QWebSocket::textMessageReceived, this, [&frames](const QString& m) { frames << m; });
        real.open(url);
        QTRY_VERIFY_WITH_TIMEOUT(!frames.isEmpty(), 10000);
        real.sendTextMessage(QStringLiteral("40{\"token\":\"%1\"}").arg(events.adminKey()));
        QTRY_VERIFY_WITH_TIMEOUT(frames.size() >= 2, 10000);
        QVERIFY2(frames.at(1).startsWith(QStringLiteral("40{")), qPrintable(frames.at(1)));
        // The ones that never said who they are are gone after the deadline; the real one stays.
        const int deadline = int(std::chrono::milliseconds(Limits::kEventAuthDeadline).count()) + 3000;
        QTRY_COMPARE_WITH_TIMEOUT(open(), 0, deadline);
        QCOMPARE(real.state(), QAbstractSocket::ConnectedState);
        QVERIFY(healthy(probe, "100 unauthenticated event sessions"));
    }

    // Item 10: audit rows reach only keys that may read them.
    void auditEventsOnlyForReaders() {
        const Reply made = cove::test::request(
            "POST", events.apiUrl() + QStringLiteral("/api-keys"), events.adminKey(),
            QJsonDocument(QJsonObject{{"name", "no-audit"}, {"permissions", QJsonArray{"write:sandboxes"}}})
                .toJson());
        QCOMPARE(made.status, 201);
        const QString limitedKey = made.object().value(QStringLiteral("value")).toString();
        const QUrl url(
            QStringLiteral("ws://127.0.0.1:%1/api/socket.io/?EIO=4&transport=websocket").arg(eventsPort));
        QWebSocket admin, limited;
        QStringList adminFrames, limitedFrames;
        connect(&admin, &QWebSocket::textMessageReceived, this, [&](const QString& m) { adminFrames << m; });
        connect(&limited, &QWebSocket::textMessageReceived, this,
                [&](const QString& m) { limitedFrames << m; });
        admin.open(url);
        limited.open(url);
        QTRY_VERIFY_WITH_TIMEOUT(!adminFrames.isEmpty() && !limitedFrames.isEmpty(), 10000);
        admin.sendTextMessage(QStringLiteral("40{\"token\":\"%1\"}").arg(events.adminKey()));
        limited.sendTextMessage(QStringLiteral("40{\"token\":\"%1\"}").arg(limitedKey));
        QTRY_VERIFY_WITH_TIMEOUT(adminFrames.size() >= 2 && limitedFrames.size() >= 2, 10000);
        QVERIFY(limitedFrames.at(1).startsWith(QStringLiteral("40{")));
        QCOMPARE(cove::test::request("PUT", events.apiUrl() + QStringLiteral("/sandbox/nope/labels"),
                                     events.adminKey(), R"({"labels":{}})")
                     .status,
                 404);
        QTRY_VERIFY_WITH_TIMEOUT(
            std::any_of(adminFrames.begin(), adminFrames.end(),
                        [](const QString& f) { return f.contains(QStringLiteral("audit.created")); }),
            10000);
        // Anything published before the pong arrives before it: the limited key got no audit row.
        limited.sendTextMessage(QStringLiteral("2"));
        QTRY_VERIFY_WITH_TIMEOUT(limitedFrames.contains(QStringLiteral("3")), 10000);
        for (const QString& f : limitedFrames)
            QVERIFY2(!f.contains(QStringLiteral("audit.created")), qPrintable(f.left(200)));
    }

    // Item 10: a client that stops reading is dropped; coved's memory stays bounded.
    void slowEventReaderIsDropped() {
        HealthProbe probe(eventsPort);
        const int fd = connectTo(eventsPort, 4096);
        QVERIFY(fd >= 0);
        setTimeout(fd, 5000);
        QVERIFY(sendAll(fd, "GET /api/socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"));
        QVERIFY(readSome(fd, "pingInterval").contains("101"));
        QVERIFY(sendAll(fd, clientFrame("40{\"token\":\"" + events.adminKey().toUtf8() + "\"}")));
        QVERIFY(readSome(fd, "40{\"sid\"").contains("40{\"sid\""));
        // From now on it reads nothing, while every refused call below publishes a ~60 KB audit row.
        const long before = cove::test::rssKiB(events.pid());
        const QByteArray longId(30000, 'x');
        const QByteArray key = "Bearer " + events.adminKey().toUtf8();
        for (int i = 0; i < 2500; ++i) {
            const QByteArray r = roundTrip(
                eventsPort, "PUT /api/sandbox/" + longId + QByteArray::number(i) +
                                "/labels HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + key +
                                "\r\nContent-Length: 13\r\nConnection: close\r\n\r\n{\"labels\":{}}");
            QCOMPARE(statusOf(r), 404);
        }
        const long grown = cove::test::rssKiB(events.pid()) - before;
        qInfo("coved's memory grew %ld KiB while 150 MB of events waited for a reader", grown);
        QVERIFY2(cove::test::withinMemory(grown, 64 * 1024), "the slow reader's events piled up in coved");
        // The reader finds its connection closed once it reads again.
        setTimeout(fd, 10000);
        char buf[65536];
        ssize_t n = 0;
        qint64 got = 0;
        while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0)
            got += n;
        ::close(fd);
        QVERIFY2(n == 0 || errno == ECONNRESET, "the slow reader was never dropped");
        QVERIFY(got < 100 * 1024 * 1024);
        QVERIFY(healthy(probe, "a slow event reader"));
    }

    // Item 11: a page from sandbox A's preview cannot read B's private preview nor open a terminal.
    void previewPagesDoNotShareCovedsOrigin() {
        const QString a = sandboxes.create(), b = sandboxes.create();
        QVERIFY(!a.isEmpty() && !b.isEmpty());
        startServer(a, QStringLiteral("page-of-A"));
        startServer(b, QStringLiteral("secret-of-B"));
        const QString tokenA =
            sandboxes.call("GET", QStringLiteral("/api/sandbox/%1/ports/3000/preview-url").arg(a))
                .object()
                .value("token")
                .toString();
        const QString tokenB =
            sandboxes.call("GET", QStringLiteral("/api/sandbox/%1/ports/3000/preview-url").arg(b))
                .object()
                .value("token")
                .toString();
        QTRY_VERIFY_WITH_TIMEOUT(
            roundTrip(previewPort, get("/", previewHost(b), {{"X-Daytona-Preview-Token", tokenB.toUtf8()}}))
                .contains("secret-of-B"),
            20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            roundTrip(previewPort, get("/", previewHost(a), {{"X-Daytona-Preview-Token", tokenA.toUtf8()}}))
                .contains("page-of-A"),
            20000);
        HealthProbe probe(previewPort);
        const QByteArray coved = "127.0.0.1:" + QByteArray::number(previewPort);
        const QByteArray browser = "text/html,application/xhtml+xml";
        // A browser opening a path-form preview goes to the preview's own origin, token and all.
        const QByteArray nav =
            roundTrip(previewPort,
                      get("/preview/" + a.toUtf8() + "/3000/app?DAYTONA_SANDBOX_AUTH_KEY=" + tokenA.toUtf8(),
                          coved, {{"Accept", browser}}));
        QCOMPARE(statusOf(nav), 302);
        QCOMPARE(headerOf(nav, "location"),
                 "http://" + previewHost(a) + "/app?DAYTONA_SANDBOX_AUTH_KEY=" + tokenA.toUtf8());
        QVERIFY(headerOf(nav, "set-cookie").isEmpty());
        // What the path form serves cannot run as coved's origin.
        const QByteArray fetched =
            roundTrip(previewPort, get("/preview/" + a.toUtf8() + "/3000/", coved,
                                       {{"X-Daytona-Preview-Token", tokenA.toUtf8()}}));
        QCOMPARE(statusOf(fetched), 200);
        const QByteArray csp = headerOf(fetched, "content-security-policy");
        QVERIFY2(csp.contains("sandbox") && !csp.contains("allow-same-origin"), csp.constData());
        // B's cookie (from B's own origin) opens nothing in the path form, where any page of coved's origin
        // would send it.
        const QByteArray cookieFlow =
            roundTrip(previewPort, get("/?DAYTONA_SANDBOX_AUTH_KEY=" + tokenB.toUtf8(), previewHost(b),
                                       {{"Accept", browser}}));
        const QByteArray setCookie = headerOf(cookieFlow, "set-cookie");
        QVERIFY(setCookie.startsWith("daytona-sandbox-auth-" + b.toUtf8()));
        const QByteArray cookieB = setCookie.left(setCookie.indexOf(';'));
        const QByteArray viaPath = roundTrip(
            previewPort,
            get("/preview/" + b.toUtf8() + "/3000/", coved,
                {{"Cookie", cookieB}, {"Origin", "http://" + coved}, {"Sec-Fetch-Site", "same-origin"}}));
        QCOMPARE(statusOf(viaPath), 401);
        QVERIFY(!viaPath.contains("secret-of-B"));
        // Another origin's credentialed read of B is not allowed by CORS, preflight or not.
        const QByteArray originA = "http://" + previewHost(a);
        for (const QByteArray& method : {QByteArray("GET"), QByteArray("OPTIONS")}) {
            const QByteArray cross = roundTrip(
                previewPort,
                get("/", previewHost(b),
                    {{"Cookie", cookieB}, {"Origin", originA}, {"Access-Control-Request-Method", "GET"}},
                    method));
            QVERIFY2(headerOf(cross, "access-control-allow-credentials") != "true",
                     cross.left(600).constData());
            QVERIFY(headerOf(cross, "access-control-allow-origin") != originA);
        }
        // A's own pages on its other ports may still call it with credentials.
        const QByteArray sibling = "http://" + previewHost(a, 8080);
        const QByteArray own =
            roundTrip(previewPort, get("/", previewHost(a),
                                       {{"X-Daytona-Preview-Token", tokenA.toUtf8()}, {"Origin", sibling}}));
        QCOMPARE(headerOf(own, "access-control-allow-origin"), sibling);
        QCOMPARE(headerOf(own, "access-control-allow-credentials"), QByteArray("true"));
        // The terminal's socket refuses preview pages (host form, and the opaque origin of the path form).
        for (const QByteArray& origin : {originA, QByteArray("null")}) {
            const QString termToken =
                sandboxes.call("POST", QStringLiteral("/api/sandbox/%1/terminal-token").arg(b))
                    .object()
                    .value("token")
                    .toString();
            QVERIFY(!termToken.isEmpty());
            const QByteArray ws = roundTrip(
                previewPort, get("/terminal/" + b.toUtf8() + "/socket?token=" + termToken.toUtf8(), coved,
                                 {{"Origin", origin},
                                  {"Connection", "Upgrade"},
                                  {"Upgrade", "websocket"},
                                  {"Sec-WebSocket-Version", "13"},
                                  {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}}));
            QCOMPARE(statusOf(ws), 403);
        }
        QVERIFY(healthy(probe, "preview pages"));
    }

    // Item 13: the warning page's way back never leaves the preview.
    void warningRedirectStaysInThePreview() {
        const QByteArray host = QStringLiteral("3000-abc.localhost:%1").arg(previewPort).toUtf8();
        for (const QByteArray& evil :
             {QByteArray("/%09/evil.com"), QByteArray("//evil.com"), QByteArray("/%5Cevil.com"),
              QByteArray("/\\evil.com"), QByteArray("%2f%2fevil.com"), QByteArray("/%0a/evil.com"),
              QByteArray("/%0d%0a/evil.com"), QByteArray("%09//evil.com"), QByteArray("/%2F/evil.com"),
              QByteArray("http://evil.com"), QByteArray("/%20/evil.com"), QByteArray("/%7F/evil.com"),
              QByteArray("/%2f%2fevil.com"), QByteArray("/%5cevil.com"), QByteArray("https:%2f%2fevil.com"),
              QByteArray("/%09%09/evil.com"), QByteArray("/app&redirect=//evil.com")}) {
            const QByteArray r = roundTrip(
                previewPort, get("/accept-daytona-preview-warning?redirect=" + evil, host, {}, "POST"));
            QCOMPARE(statusOf(r), 302);
            const QByteArray location = headerOf(r, "location");
            QVERIFY2(location.startsWith('/'), location.constData());
            QVERIFY2(location.size() == 1 || (location[1] != '/' && location[1] != '\\'),
                     (evil + " -> " + location).constData());
            for (const char c : location)
                QVERIFY2(uchar(c) > 0x20 && uchar(c) != 0x7f && c != '\\',
                         (evil + " -> " + location).constData());
        }
        // An ordinary way back is kept.
        QCOMPARE(headerOf(roundTrip(previewPort, get("/accept-daytona-preview-warning?redirect=/app%3Fx%3D1",
                                                     host, {}, "POST")),
                          "location"),
                 QByteArray("/app?x=1"));
    }

    // Item 9: out of file descriptors, coved waits instead of spinning, and recovers.
    void fileDescriptorExhaustionDoesNotSpin() {
        const qint64 pid = front.pid();
        const int limit = openFds(pid) + 16;
        QCOMPARE(cove::test::run(QStringLiteral("prlimit"), {QStringLiteral("--pid"), QString::number(pid),
                                                             QStringLiteral("--nofile=%1:").arg(limit)})
                     .exitCode,
                 0);
        // Connections that are not idle (each is sending a body) fill the table, and more wait behind them.
        const QByteArray key = "Bearer " + front.adminKey().toUtf8();
        std::vector<int> busy;
        for (int i = 0; i < 64; ++i) {
            const int fd = connectTo(frontPort);
            QVERIFY(fd >= 0);
            sendAll(fd, "PUT /api/sandbox/nope/labels HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + key +
                            "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
            busy.push_back(fd);
        }
        // Full (a background task may hold a descriptor or two for a moment): a newcomer is not served.
        QTRY_VERIFY_WITH_TIMEOUT(openFds(pid) >= limit - 4, 5000);
        QCOMPARE(statusOf(roundTrip(frontPort, get("/api/health", "127.0.0.1"), 500)), 0);
        const double cpu0 = cpuSeconds(pid);
        const auto t0 = Clock::now();
        QTest::qWait(1000); // the span measured
        const double cpu1 = cpuSeconds(pid);
        QVERIFY2(cpu0 >= 0 && cpu1 >= 0, front.log().right(3000).constData()); // coved still runs
        const double used = cpu1 - cpu0;
        const double share = used / (msSince(t0) / 1000);
        qInfo("coved used %.0f%% of a CPU while out of file descriptors", share * 100);
        for (const int fd : busy)
            ::close(fd);
        QVERIFY2(share < 0.2, "coved spins while it cannot accept");
        // With descriptors free again, it answers.
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(roundTrip(frontPort, get("/api/health", "127.0.0.1"), 2000)), 200,
                                  10000);
        QCOMPARE(cove::test::run(QStringLiteral("prlimit"), {QStringLiteral("--pid"), QString::number(pid),
                                                             QStringLiteral("--nofile=20000:")})
                     .exitCode,
                 0);
    }
};

QTEST_MAIN(TestSecServer)
#include "tst_sec_server.moc"
