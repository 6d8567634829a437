// Attacks on the SSH gateway and its tokens, with Debian's ssh client and raw sockets: expired, revoked
// and guessed tokens, a token used while its sandbox is stopped or after it is deleted, a token of one
// sandbox aimed at another (as a session and through port forwarding to the other's address or the
// host's ports), another organization's key on the token routes, garbage and oversized SSH input, clients
// that never authenticate, and more connections than the gateway serves at once.
#include "support/CovedProcess.h"
#include "support/HealthProbe.h"
#include "support/Http.h"
#include "support/Intruder.h"
#include "support/Sandboxes.h"
#include "support/Ssh.h"

#include "service/store/Store.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <memory>

using cove::test::CovedProcess;
using cove::test::Reply;
using cove::test::request;

class TestSecSsh : public QObject {
    Q_OBJECT
    CovedProcess coved;
    std::unique_ptr<cove::test::Sandboxes> sandboxes;
    QString a, b;     // two sandboxes of the personal organization
    QString otherKey; // a key of another organization

    QString token(const QString& sandbox, const QString& query = {}) {
        const Reply r = cove::test::createSshAccess(coved, coved.adminKey(), sandbox, query);
        if (r.status != 200)
            qWarning() << "ssh-access:" << r.status << r.body;
        return r.object().value(QStringLiteral("token")).toString();
    }
    cove::test::CommandResult sshAs(const QString& t, const QString& command) {
        return cove::test::ssh(coved.sshPort(), t, {command});
    }
    bool healthy() { return request("GET", coved.apiUrl() + QStringLiteral("/health")).status == 200; }
    // A free local port for `ssh -L`.
    static int freePort() {
        QTcpServer s;
        s.listen(QHostAddress::LocalHost, 0);
        return s.serverPort();
    }
    // Whether `ssh -L local:dest:port` reaches an HTTP server that answers `expect`.
    QByteArray throughForward(const QString& t, const QString& dest) {
        const int local = freePort();
        QProcess fwd;
        QStringList args = cove::test::sshOptions();
        args << QStringLiteral("-p") << QString::number(coved.sshPort()) << QStringLiteral("-N")
             << QStringLiteral("-o") << QStringLiteral("ExitOnForwardFailure=yes") << QStringLiteral("-L")
             << QString::number(local) + QStringLiteral(":") + dest << t + QStringLiteral("@127.0.0.1");
        fwd.start(QStringLiteral("ssh"), args);
        QByteArray got;
        // The forward listens once ssh has authenticated; then one request through it.
        const bool listening = QTest::qWaitFor(
            [&] {
                QTcpSocket s;
                s.connectToHost(QHostAddress::LocalHost, quint16(local));
                return s.waitForConnected(200) || fwd.state() == QProcess::NotRunning;
            },
            15000);
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, quint16(local));
        if (listening && s.waitForConnected(2000)) {
            s.write("GET / HTTP/1.0\r\n\r\n");
            while (s.waitForReadyRead(3000))
                got += s.readAll();
        }
        fwd.kill();
        fwd.waitForFinished(5000);
        return got;
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        QVERIFY2(coved.sshPort() > 0, "coved announced no SSH gateway");
        sandboxes = std::make_unique<cove::test::Sandboxes>(coved);
        a = sandboxes->create();
        b = sandboxes->create();
        QVERIFY(!a.isEmpty() && !b.isEmpty());
        // Another organization, with a key of every scope, written where coved keeps them.
        otherKey = cove::test::addIntruder(coved);
        QCOMPARE(request("GET", coved.apiUrl() + QStringLiteral("/sandbox"), otherKey).status, 200);
    }

    // A token is the whole secret: a guess, an empty one or a huge one opens nothing.
    void guessedTokensFail() {
        QCOMPARE(
            sshAs(QStringLiteral("0123456789abcdef0123456789abcdef0123456789abcdef"), QStringLiteral("true"))
                .exitCode,
            255);
        QCOMPARE(sshAs(QString(1000, QLatin1Char('a')), QStringLiteral("true")).exitCode, 255);
        const QString t = token(a);
        QVERIFY(!t.isEmpty());
        QCOMPARE(sshAs(t.left(t.size() - 1), QStringLiteral("true")).exitCode, 255);
        QCOMPARE(sshAs(t.toUpper(), QStringLiteral("true")).exitCode, 255);
        QCOMPARE(sshAs(t, QStringLiteral("exit 0")).exitCode, 0); // the real one works
    }

    void expiredTokenFails() {
        const QString t = token(a, QStringLiteral("expiresInMinutes=1"));
        QCOMPARE(sshAs(t, QStringLiteral("exit 0")).exitCode, 0);
        // Its minute has passed (as the clock would have it): the stored expiry is now in the past.
        const auto db = cove::store::open(coved.database().toStdString());
        db->exec("UPDATE ssh_access SET expires_at = 1 WHERE token_hash = ?",
                 {QCryptographicHash::hash(t.toUtf8(), QCryptographicHash::Sha256).toHex().toStdString()});
        QCOMPARE(sshAs(t, QStringLiteral("exit 0")).exitCode, 255);
        const Reply v =
            request("GET", coved.apiUrl() + QStringLiteral("/sandbox/ssh-access/validate?token=") + t,
                    coved.adminKey());
        QCOMPARE(v.object().value(QStringLiteral("valid")).toBool(), false);
        // Expiry is bounded, and nonsense is refused with a sentence.
        for (const char* bad : {"expiresInMinutes=0", "expiresInMinutes=100000", "expiresInMinutes=soon"}) {
            const Reply r = cove::test::createSshAccess(coved, coved.adminKey(), a, QString::fromLatin1(bad));
            QCOMPARE(r.status, 400);
            QVERIFY(
                r.object().value(QStringLiteral("message")).toString().contains(QStringLiteral("minutes")));
        }
    }

    void revokedTokensFail() {
        const QString one = token(a);
        const QString two = token(a);
        QCOMPARE(sshAs(one, QStringLiteral("exit 0")).exitCode, 0);
        const QString base = coved.apiUrl() + QStringLiteral("/sandbox/") + a + QStringLiteral("/ssh-access");
        QCOMPARE(request("DELETE", base + QStringLiteral("?token=") + one, coved.adminKey()).status, 200);
        QCOMPARE(sshAs(one, QStringLiteral("exit 0")).exitCode, 255);
        QCOMPARE(sshAs(two, QStringLiteral("exit 0")).exitCode, 0);      // only that one
        QCOMPARE(request("DELETE", base, coved.adminKey()).status, 200); // all of them
        QCOMPARE(sshAs(two, QStringLiteral("exit 0")).exitCode, 255);
        // Revoking a token that is not live says so.
        QCOMPARE(request("DELETE", base + QStringLiteral("?token=") + one, coved.adminKey()).status, 404);
    }

    // A's token opens A and only A: as a session it runs in A's container, never B's.
    void tokenOpensOnlyItsSandbox() {
        const QString t = token(a);
        const auto r = sshAs(t, QStringLiteral("hostname"));
        QCOMPARE(r.exitCode, 0);
        const QString host = QString::fromUtf8(r.out).trimmed();
        QCOMPARE(cove::test::Sandboxes::container(a)
                     .value(QStringLiteral("Config"))
                     .toObject()
                     .value(QStringLiteral("Hostname"))
                     .toString(),
                 host);
        QVERIFY(cove::test::Sandboxes::container(b)
                    .value(QStringLiteral("Config"))
                    .toObject()
                    .value(QStringLiteral("Hostname"))
                    .toString() != host);
    }

    // Port forwarding reaches A's own loopback only: not B's address, not the host's ports.
    void forwardingReachesOnlyItsSandbox() {
        // B serves on all its addresses; A serves nothing on that port.
        const auto served = sandboxes->exec(
            b, QStringLiteral(
                   "nohup python3 -c \"import http.server,socketserver;socketserver.TCPServer(('0.0.0.0',"
                   "8765),http.server.SimpleHTTPRequestHandler).serve_forever()\" >/dev/null 2>&1 & "
                   "sleep 0.5; echo started"));
        QCOMPARE(served.exitCode, 0);
        const QString bIp = cove::test::Sandboxes::container(b)
                                .value(QStringLiteral("NetworkSettings"))
                                .toObject()
                                .value(QStringLiteral("Networks"))
                                .toObject()
                                .begin()
                                ->toObject()
                                .value(QStringLiteral("IPAddress"))
                                .toString();
        QVERIFY(!bIp.isEmpty());
        // B's server answers its own token through the forward: the test can see it when it is reachable.
        QVERIFY(throughForward(token(b), QStringLiteral("localhost:8765")).startsWith("HTTP/1.0 200"));
        const QString t = token(a);
        QVERIFY(throughForward(t, bIp + QStringLiteral(":8765")).isEmpty());
        QVERIFY(throughForward(t, QStringLiteral("localhost:8765")).isEmpty()); // A's loopback: nothing there
        // coved's own HTTP port on the host, by loopback address and by name.
        const QString api = QString::number(QUrl(coved.url()).port());
        QVERIFY(!throughForward(t, QStringLiteral("127.0.0.1:") + api).contains("HTTP/1.1"));
        QVERIFY(throughForward(t, QStringLiteral("172.17.0.1:") + api).isEmpty());
    }

    void anotherOrganizationCannotTouchTokens() {
        const QString t = token(a);
        const QString base = coved.apiUrl() + QStringLiteral("/sandbox/") + a + QStringLiteral("/ssh-access");
        QCOMPARE(request("POST", base, otherKey).status, 404);
        QCOMPARE(request("DELETE", base, otherKey).status, 404);
        QCOMPARE(request("DELETE", base + QStringLiteral("?token=") + t, otherKey).status, 404);
        const Reply v = request(
            "GET", coved.apiUrl() + QStringLiteral("/sandbox/ssh-access/validate?token=") + t, otherKey);
        QCOMPARE(v.status, 200);
        QCOMPARE(v.object().value(QStringLiteral("valid")).toBool(), false);
        QCOMPARE(v.object().value(QStringLiteral("sandboxId")).toString(), QString());
        QCOMPARE(sshAs(t, QStringLiteral("exit 0")).exitCode, 0); // the intruder changed nothing
        // A key without write:sandboxes cannot make tokens either.
        const Reply narrow = request("POST", coved.apiUrl() + QStringLiteral("/api-keys"), coved.adminKey(),
                                     R"({"name":"reader","permissions":["read:volumes"]})");
        const QString readKey = narrow.object().value(QStringLiteral("value")).toString();
        QVERIFY(!readKey.isEmpty());
        QCOMPARE(request("POST", base, readKey).status, 403);
        QCOMPARE(request("DELETE", base, readKey).status, 403);
    }

    void garbageAndIdleClientsDoNotHurt() {
        // Bytes that are no SSH, a version line far over any limit, and clients that never authenticate.
        std::vector<std::unique_ptr<QTcpSocket>> idle;
        for (int i = 0; i < 8; ++i) {
            auto s = std::make_unique<QTcpSocket>();
            s->connectToHost(QHostAddress::LocalHost, quint16(coved.sshPort()));
            QVERIFY(s->waitForConnected(5000));
            if (i == 0)
                s->write(QByteArray(1 << 20, '\x17'));
            else if (i == 1)
                s->write("SSH-2.0-" + QByteArray(200000, 'x') + "\r\n");
            else if (i == 2)
                s->write("SSH-2.0-OpenSSH_9.2\r\n" + QByteArray(4096, '\0'));
            else
                s->write("SSH-2.0-OpenSSH_9.2\r\n"); // then nothing, ever
            s->flush();
            idle.push_back(std::move(s));
        }
        // Garbage is dropped at once.
        QVERIFY(idle[0]->state() != QAbstractSocket::ConnectedState || idle[0]->waitForDisconnected(10000));
        QVERIFY(healthy());
        // A real client still gets in while the idle ones hang on.
        QCOMPARE(sshAs(token(a), QStringLiteral("exit 0")).exitCode, 0);
        QVERIFY(healthy());
    }

    // Root in the sandbox speaks to its own agent's process stream: frames with unknown types, a length
    // far over the bound, and a stream cut in the middle of a frame. The agent drops each such stream and
    // keeps serving (the gateway's next session works).
    void brokenFramesToTheAgentFromInside() {
        const QString script =
            QStringLiteral("import socket,struct\n"
                           "def stream(payload):\n"
                           "    s=socket.socket(socket.AF_UNIX); s.connect('/run/cove/agent.sock')\n"
                           "    s.sendall(b'GET /process/stream?command=cat HTTP/1.1\\r\\nHost: "
                           "a\\r\\nUpgrade: cove-stream\\r\\n"
                           "Connection: Upgrade\\r\\n\\r\\n')\n"
                           "    head=s.recv(4096); s.sendall(payload); s.settimeout(2)\n"
                           "    try:\n"
                           "        while s.recv(65536): pass\n"
                           "    except Exception: pass\n"
                           "    s.close(); return head[:12]\n"
                           "print(stream(b'Z'+struct.pack('>I',3)+b'abc'))\n"
                           "print(stream(b'i'+struct.pack('>I',0xffffffff)+b'x'*100))\n"
                           "print(stream(b'i'+struct.pack('>I',1000)+b'only-part'))\n");
        QProcess py;
        py.start(QStringLiteral("docker"),
                 {QStringLiteral("exec"), QStringLiteral("-i"), QStringLiteral("-u"), QStringLiteral("0"),
                  QStringLiteral("cove-") + b, QStringLiteral("python3"), QStringLiteral("-")});
        QVERIFY(py.waitForStarted());
        py.write(script.toUtf8());
        py.closeWriteChannel();
        QVERIFY(py.waitForFinished(60000));
        const QByteArray out = py.readAllStandardOutput();
        QVERIFY2(out.count("HTTP/1.1 101") == 3, out + py.readAllStandardError());
        const auto after = sshAs(token(b), QStringLiteral("echo still-serving"));
        QCOMPARE(after.exitCode, 0);
        QCOMPARE(after.out, QByteArray("still-serving\n"));
    }

    // More connections than kMaxConnections: the ones over are closed at once, HTTP and SSH still answer.
    void connectionsAreBounded() {
        std::vector<std::unique_ptr<QTcpSocket>> held;
        for (int i = 0; i < 80; ++i) {
            auto s = std::make_unique<QTcpSocket>();
            s->connectToHost(QHostAddress::LocalHost, quint16(coved.sshPort()));
            QVERIFY(s->waitForConnected(5000));
            held.push_back(std::move(s));
        }
        // Within a moment each connection either hears the gateway's banner or is closed: never both waiting.
        int banners = 0, closed = 0;
        QVERIFY(QTest::qWaitFor(
            [&] {
                banners = closed = 0;
                for (auto& s : held) {
                    if (s->state() != QAbstractSocket::ConnectedState)
                        ++closed;
                    else if (s->bytesAvailable() > 0 || s->waitForReadyRead(1))
                        ++banners;
                }
                return banners + closed == 80;
            },
            20000));
        QVERIFY2(banners <= 64 && closed >= 16,
                 qPrintable(QStringLiteral("%1 banners, %2 closed").arg(banners).arg(closed)));
        QVERIFY(healthy());
        held.clear(); // the held ones go: the gateway serves again
        QVERIFY(
            QTest::qWaitFor([&] { return sshAs(token(a), QStringLiteral("exit 0")).exitCode == 0; }, 30000));
    }

    // A connection that logged in before its token was revoked opens nothing more: a forward it set up
    // earlier stops carrying new connections.
    void revokedTokenOpensNothingMoreOnAnOpenConnection() {
        QCOMPARE(
            sandboxes
                ->exec(a, QStringLiteral(
                              "nohup python3 -c \"import http.server,socketserver;socketserver.TCPServer(("
                              "'127.0.0.1',8766),http.server.SimpleHTTPRequestHandler).serve_forever()\" "
                              ">/dev/null 2>&1 & sleep 0.5"))
                .exitCode,
            0);
        const QString t = token(a);
        const int local = freePort();
        QProcess fwd;
        QStringList args = cove::test::sshOptions();
        args << QStringLiteral("-p") << QString::number(coved.sshPort()) << QStringLiteral("-N")
             << QStringLiteral("-L") << QString::number(local) + QStringLiteral(":localhost:8766")
             << t + QStringLiteral("@127.0.0.1");
        fwd.start(QStringLiteral("ssh"), args);
        const auto get = [local] {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, quint16(local));
            QByteArray got;
            if (s.waitForConnected(1000)) {
                s.write("GET / HTTP/1.0\r\n\r\n");
                while (s.waitForReadyRead(2000))
                    got += s.readAll();
            }
            return got;
        };
        QVERIFY(QTest::qWaitFor([&] { return get().startsWith("HTTP/1.0 200"); }, 15000));
        QCOMPARE(request("DELETE",
                         coved.apiUrl() + QStringLiteral("/sandbox/") + a +
                             QStringLiteral("/ssh-access?token=") + t,
                         coved.adminKey())
                     .status,
                 200);
        QCOMPARE(get(), QByteArray());
        fwd.kill();
        fwd.waitForFinished(5000);
    }

    // Last: A stopped, then deleted: its tokens open nothing, and deletion forgets them.
    void stoppedAndDeletedSandboxesTokensFail() {
        const QString t = token(a);
        QCOMPARE(sshAs(t, QStringLiteral("exit 0")).exitCode, 0);
        QCOMPARE(
            sandboxes->call("POST", QStringLiteral("/api/sandbox/") + a + QStringLiteral("/stop")).status,
            200);
        QTRY_COMPARE_WITH_TIMEOUT(sandboxes->state(a), QStringLiteral("stopped"), 60000);
        const auto stopped = sshAs(t, QStringLiteral("exit 0"));
        QVERIFY(stopped.exitCode != 0);
        QVERIFY2(stopped.err.contains("stopped"), stopped.err.constData()); // it says why
        QCOMPARE(sandboxes->call("DELETE", QStringLiteral("/api/sandbox/") + a).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(sandboxes->call("GET", QStringLiteral("/api/sandbox/") + a).status == 404,
                                 60000);
        QCOMPARE(sshAs(t, QStringLiteral("exit 0")).exitCode, 255);
        const Reply v =
            request("GET", coved.apiUrl() + QStringLiteral("/sandbox/ssh-access/validate?token=") + t,
                    coved.adminKey());
        QCOMPARE(v.object().value(QStringLiteral("valid")).toBool(), false);
        const auto db = cove::store::open(coved.database().toStdString());
        QTRY_COMPARE_WITH_TIMEOUT(
            db->queryOne("SELECT COUNT(*) FROM ssh_access WHERE sandbox_id = ?", {a.toStdString()})
                ->at(0)
                .asInt(),
            std::int64_t(0), 30000);
        QVERIFY(healthy());
    }

    void cleanupTestCase() { sandboxes.reset(); }
};

QTEST_MAIN(TestSecSsh)
#include "tst_sec_ssh.moc"
