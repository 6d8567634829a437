// The agent's transports through one interface: the unix socket of the run folder, and TCP with the
// mutual handshake, for a coved that shares no folder with the sandbox. A real agent in a real
// container; the attacks are a wrong secret, another sandbox's id, a replayed answer, and a peer that
// took the sandbox's address but cannot prove it is its agent.
#include "common/AgentHandshake.h"
#include "service/domain/AgentTransport.h"
#include "support/CovedProcess.h"
#include "support/Sandboxes.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace cove;
using cove::test::run;
namespace asio = boost::asio;

namespace {

constexpr std::uint16_t kPort = 2280;
const std::string kSecret = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
const std::string kSandboxId = "transport-test";

QByteArray request(int fd, const QByteArray& head) {
    if (::send(fd, head.constData(), size_t(head.size()), MSG_NOSIGNAL) != head.size())
        return {};
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    QByteArray out;
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
        out.append(buf, int(n));
    ::close(fd);
    return out;
}

QByteArray get(int fd, const QByteArray& path) {
    return request(fd, "GET " + path + " HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n\r\n");
}

} // namespace

class TestAgentTransport : public QObject {
    Q_OBJECT
    QTemporaryDir runDir;
    QString container;
    QString network;
    QString address;
    pid_t pid = 0;
    asio::io_context io;

    domain::ConnectResult open(domain::AgentTransport& t, const domain::AgentAddress& at) {
        domain::ConnectResult result;
        asio::co_spawn(io, t.open(at),
                       [&](std::exception_ptr, domain::ConnectResult r) { result = std::move(r); });
        io.restart();
        io.run();
        return result;
    }
    domain::AgentAddress tcpAddress() const {
        domain::AgentAddress at;
        at.sandboxId = kSandboxId;
        at.host = address.toStdString();
        at.port = kPort;
        at.secret = kSecret;
        return at;
    }
    // A raw client: the greeting's nonce, or nothing.
    static QByteArray greetingNonce(QTcpSocket& s) {
        for (int i = 0; i < 50 && !s.canReadLine(); ++i)
            s.waitForReadyRead(100);
        const QByteArray line = s.readLine().trimmed();
        return line.startsWith("COVE-AGENT 1 ") ? line.mid(13) : QByteArray();
    }
    static bool closedWithoutOk(QTcpSocket& s) {
        QByteArray got;
        for (int i = 0; i < 50 && s.state() == QAbstractSocket::ConnectedState; ++i) {
            s.waitForReadyRead(100);
            got += s.readAll();
        }
        got += s.readAll();
        return s.state() != QAbstractSocket::ConnectedState && !got.contains("OK");
    }

private slots:
    void initTestCase() {
        if (const uint root = test::Sandboxes::engineRootUid())
            QVERIFY(::chown(QFile::encodeName(runDir.path()).constData(), root, root) == 0);
        container = QStringLiteral("cove-test-transport-%1").arg(QCoreApplication::applicationPid());
        // A network of the test's own with a subnet no Cove and no engine default picks, so the host
        // reaches the agent whatever else holds the engine's default bridge range.
        network = container;
        run(QStringLiteral("docker"), {QStringLiteral("network"), QStringLiteral("rm"), network});
        const auto made = run(QStringLiteral("docker"),
                              {QStringLiteral("network"), QStringLiteral("create"),
                               QStringLiteral("--subnet"), QStringLiteral("10.253.228.0/24"), network});
        QVERIFY2(made.exitCode == 0, made.err.constData());
        const auto started = run(QStringLiteral("docker"),
                                 {QStringLiteral("run"),
                                  QStringLiteral("-d"),
                                  QStringLiteral("--name"),
                                  container,
                                  QStringLiteral("--network"),
                                  network,
                                  QStringLiteral("-v"),
                                  test::CovedProcess::binary(QStringLiteral("cove-agent")) +
                                      QStringLiteral(":/usr/local/bin/cove-agent:ro"),
                                  QStringLiteral("-v"),
                                  runDir.path() + QStringLiteral(":/run/cove"),
                                  QStringLiteral("-e"),
                                  QStringLiteral("COVE_AGENT_SECRET=") + QString::fromStdString(kSecret),
                                  QStringLiteral("-e"),
                                  QStringLiteral("COVE_SANDBOX_ID=") + QString::fromStdString(kSandboxId),
                                  QStringLiteral("--user"),
                                  QStringLiteral("0"), // as coved starts the agent: root in the sandbox
                                  QStringLiteral("--entrypoint"),
                                  QStringLiteral("/usr/local/bin/cove-agent"),
                                  QStringLiteral("cove-base:latest"),
                                  QStringLiteral("--tcp"),
                                  QStringLiteral("0.0.0.0:%1").arg(kPort)});
        QVERIFY2(started.exitCode == 0, started.err.constData());
        const auto inspected =
            run(QStringLiteral("docker"),
                {QStringLiteral("inspect"), QStringLiteral("-f"),
                 QStringLiteral("{{.State.Pid}} {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}"),
                 container});
        const auto fields = QString::fromUtf8(inspected.out).trimmed().split(QLatin1Char(' '));
        QCOMPARE(fields.size(), 2);
        pid = fields[0].toInt();
        address = fields[1];
        QVERIFY(pid > 0 && !address.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(runDir.path() + QStringLiteral("/agent.sock")), 10000);
        // A deadline in real time: each try may wait for its connection.
        QDeadlineTimer deadline(10000);
        bool reached = false;
        while (!reached && !deadline.hasExpired()) {
            QTcpSocket s;
            s.connectToHost(address, kPort);
            reached = s.waitForConnected(200);
            if (!reached)
                QTest::qWait(50);
        }
        // What the host's routes say, so a failure names where the packets went.
        QVERIFY2(reached,
                 (QByteArrayLiteral("no connection to the agent at ") + address.toUtf8() + ':' +
                  QByteArray::number(kPort) + "; " +
                  run(QStringLiteral("ip"), {QStringLiteral("route"), QStringLiteral("get"), address}).out +
                  run(QStringLiteral("ip"), {QStringLiteral("-br"), QStringLiteral("addr")}).out)
                     .constData());
    }

    void bothTransportsOpenTheToolbox() {
        domain::UnixAgentTransport unix;
        domain::AgentAddress local;
        local.runDir = runDir.path().toStdString();
        local.pid = pid;
        auto c = open(unix, local);
        QVERIFY2(c.fd >= 0, c.error.c_str());
        QVERIFY(get(c.fd, "/version").startsWith("HTTP/1.1 200"));

        domain::TcpAgentTransport tcp;
        c = open(tcp, tcpAddress());
        QVERIFY2(c.fd >= 0, c.error.c_str());
        const QByteArray reply = get(c.fd, "/version");
        QVERIFY2(reply.startsWith("HTTP/1.1 200"), reply.constData());
        QVERIFY(reply.contains("\"version\""));
    }

    void theSecretReachesNoProcessOfTheSandbox() {
        domain::TcpAgentTransport tcp;
        const auto c = open(tcp, tcpAddress());
        QVERIFY2(c.fd >= 0, c.error.c_str());
        const QByteArray body = R"({"command":"env"})";
        const QByteArray reply = request(
            c.fd, "POST /process/execute HTTP/1.1\r\nHost: agent\r\nContent-Type: application/json\r\n"
                  "Connection: close\r\nContent-Length: " +
                      QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QVERIFY2(reply.startsWith("HTTP/1.1 200"), reply.constData());
        QVERIFY(reply.contains("PATH="));
        QVERIFY(!reply.contains(QByteArray::fromStdString(kSecret)));
        QVERIFY(!reply.contains("COVE_AGENT_SECRET"));
    }

    void aWrongSecretOrAnotherSandboxIsRefused() {
        domain::TcpAgentTransport tcp;
        auto at = tcpAddress();
        at.secret = std::string(64, 'a');
        auto c = open(tcp, at);
        QCOMPARE(c.fd, -1);
        QVERIFY2(QString::fromStdString(c.error).contains(QStringLiteral("refused the handshake")),
                 c.error.c_str());
        at = tcpAddress();
        at.sandboxId = "another-sandbox";
        c = open(tcp, at);
        QCOMPARE(c.fd, -1);
    }

    void aReplayedAnswerOpensNothing() {
        // Record a good answer to one greeting, then offer it to the next: the agent's nonce differs.
        namespace hs = handshake;
        QTcpSocket first;
        first.connectToHost(address, kPort);
        QVERIFY(first.waitForConnected(5000));
        const QByteArray agentNonce = greetingNonce(first);
        QCOMPARE(agentNonce.size(), 64);
        const std::string covedNonce = hs::nonce();
        const QByteArray answer = QByteArray::fromStdString(
            covedNonce + " " + hs::proof(kSecret, "coved", agentNonce.toStdString(), covedNonce, kSandboxId) +
            "\n");
        first.abort();

        QTcpSocket second;
        second.connectToHost(address, kPort);
        QVERIFY(second.waitForConnected(5000));
        QCOMPARE(greetingNonce(second).size(), 64);
        second.write(answer + "GET /version HTTP/1.1\r\nHost: agent\r\n\r\n");
        QVERIFY(closedWithoutOk(second));

        // Nor does the agent's own proof, reflected back as coved's.
        QTcpSocket third;
        third.connectToHost(address, kPort);
        QVERIFY(third.waitForConnected(5000));
        const QByteArray nonce3 = greetingNonce(third);
        third.write(QByteArray::fromStdString(
            covedNonce + " " + hs::proof(kSecret, "agent", nonce3.toStdString(), covedNonce, kSandboxId) +
            "\n"));
        QVERIFY(closedWithoutOk(third));
    }

    void garbageAndOverlongLinesAreDropped() {
        QTcpSocket s;
        s.connectToHost(address, kPort);
        QVERIFY(s.waitForConnected(5000));
        QCOMPARE(greetingNonce(s).size(), 64);
        s.write(QByteArray(4096, 'x'));
        QVERIFY(closedWithoutOk(s));
        // The agent still serves coved afterwards.
        domain::TcpAgentTransport tcp;
        const auto c = open(tcp, tcpAddress());
        QVERIFY2(c.fd >= 0, c.error.c_str());
        ::close(c.fd);
    }

    void aPeerThatCannotProveItIsTheAgentIsRefused() {
        // Something that took the sandbox's address: it greets as an agent, but does not hold the secret.
        QTcpServer impostor;
        QVERIFY(impostor.listen(QHostAddress::LocalHost));
        connect(&impostor, &QTcpServer::newConnection, this, [&] {
            QTcpSocket* s = impostor.nextPendingConnection();
            s->write("COVE-AGENT 1 " + QByteArray::fromStdString(handshake::nonce()) + "\n");
            connect(s, &QTcpSocket::readyRead, s, [s] {
                if (s->canReadLine())
                    s->write("OK " + QByteArray(64, 'f') + "\n");
            });
        });
        domain::AgentAddress at = tcpAddress();
        at.host = "127.0.0.1";
        at.port = impostor.serverPort();
        domain::TcpAgentTransport tcp;
        domain::ConnectResult result;
        bool done = false;
        asio::co_spawn(io, tcp.open(at), [&](std::exception_ptr, domain::ConnectResult r) {
            result = std::move(r);
            done = true;
        });
        io.restart();
        // The impostor answers from Qt's event loop; asio's loop runs beside it.
        QTRY_VERIFY_WITH_TIMEOUT((io.poll(), done), 10000);
        QCOMPARE(result.fd, -1);
        QVERIFY2(QString::fromStdString(result.error).contains(QStringLiteral("could not prove")),
                 result.error.c_str());
    }

    void cleanupTestCase() {
        if (!container.isEmpty())
            run(QStringLiteral("docker"), {QStringLiteral("rm"), QStringLiteral("-f"), container});
        if (!network.isEmpty())
            run(QStringLiteral("docker"), {QStringLiteral("network"), QStringLiteral("rm"), network});
    }
};

QTEST_GUILESS_MAIN(TestAgentTransport)
#include "tst_agent_transport.moc"
