// cove-agent is a static binary that serves its toolbox as PID 1 of an image holding nothing else, and
// coved's trusted connect refuses anything in its socket's place that is not that agent. The toolbox
// routes are driven through coved's /toolbox/{id}/... proxy against a real cove-base sandbox.
#include "service/proxy/AgentConnector.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QJsonArray>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace cove;
using cove::test::run;

namespace {
const QString kEmptyImage = QStringLiteral("cove-test-empty:latest");

// JSON written with single quotes, for readable bodies in tests.
QByteArray q(const char* s) {
    return QByteArray(s).replace('\'', '"');
}

QByteArray httpGet(int fd, const QByteArray& path) {
    const QByteArray req = "GET " + path + " HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n\r\n";
    if (::send(fd, req.constData(), size_t(req.size()), MSG_NOSIGNAL) != req.size())
        return {};
    // The connector hands back a non-blocking socket; wait for the answer with poll-free blocking reads.
    const int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    QByteArray out;
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
        out.append(buf, int(n));
    return out;
}
} // namespace

class TestAgent : public QObject {
    Q_OBJECT
    QTemporaryDir runDir;
    QString container;
    pid_t pid = 0;
    test::CovedProcess coved;
    test::Sandboxes sandboxes{coved};
    QString sandbox; // one cove-base sandbox shared by the toolbox tests

    test::Reply toolbox(const QByteArray& method, const QString& path, const QByteArray& body = {}) {
        return sandboxes.call(method, QStringLiteral("/toolbox/") + sandbox + path, body);
    }
    static QByteArray json(const QJsonObject& o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start(), qPrintable(coved.error()));
        sandbox = sandboxes.create(q("{'env':{'FROM_CREATE':'yes'}}"));
        QVERIFY(!sandbox.isEmpty());
        QCOMPARE(sandboxes.state(sandbox), QStringLiteral("started"));
        // The agent answers once it has bound its socket.
        QTRY_COMPARE_WITH_TIMEOUT(toolbox("GET", QStringLiteral("/version")).status, 200, 20000);
    }

    void envShowsWhatCommandsGet() {
        const auto r = toolbox("GET", QStringLiteral("/env"));
        QCOMPARE(r.status, 200);
        const QJsonObject env = r.object();
        QCOMPARE(env.value(QStringLiteral("FROM_CREATE")).toString(), QStringLiteral("yes"));
        QCOMPARE(env.value(QStringLiteral("HOME")).toString(), QStringLiteral("/home/cove"));
        QCOMPARE(env.value(QStringLiteral("USER")).toString(), QStringLiteral("cove"));
        QVERIFY(env.value(QStringLiteral("PATH")).toString().contains(QStringLiteral("/usr/bin")));
        // The agent's own settings are not the sandbox's business.
        QVERIFY(!env.contains(QStringLiteral("COVE_SANDBOX_USER")));
    }

    void envUpdateSetsAndUnsets() {
        QJsonObject set{{QStringLiteral("ALPHA"), QStringLiteral("1")},
                        {QStringLiteral("WITH_SPACE"), QStringLiteral("a b=c")}};
        auto r = toolbox("POST", QStringLiteral("/env"),
                         json({{QStringLiteral("set"), set},
                               {QStringLiteral("unset"), QJsonArray{QStringLiteral("FROM_CREATE")}}}));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("ALPHA")).toString(), QStringLiteral("1"));
        QCOMPARE(r.object().value(QStringLiteral("WITH_SPACE")).toString(), QStringLiteral("a b=c"));
        QVERIFY(!r.object().contains(QStringLiteral("FROM_CREATE")));

        // Unset comes before set, as Daytona documents; a later GET sees the same map.
        r = toolbox(
            "POST", QStringLiteral("/env"),
            json({{QStringLiteral("set"), QJsonObject{{QStringLiteral("ALPHA"), QStringLiteral("2")}}},
                  {QStringLiteral("unset"), QJsonArray{QStringLiteral("ALPHA")}}}));
        QCOMPARE(r.status, 200);
        const auto got = toolbox("GET", QStringLiteral("/env")).object();
        QCOMPARE(got.value(QStringLiteral("ALPHA")).toString(), QStringLiteral("2"));
        QVERIFY(!got.contains(QStringLiteral("FROM_CREATE")));
    }

    void envRefusesBadInput_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("empty name") << q("{'set':{'':'x'}}");
        QTest::newRow("name with =") << q("{'set':{'A=B':'x'}}");
        QTest::newRow("name with NUL") << q("{'set':{'A\\u0000B':'x'}}");
        QTest::newRow("value not a string") << q("{'set':{'A':5}}");
        QTest::newRow("value with NUL") << q("{'set':{'A':'x\\u0000y'}}");
        QTest::newRow("set not an object") << q("{'set':['A']}");
        QTest::newRow("unset not an array") << q("{'unset':'A'}");
        QTest::newRow("unset bad name") << q("{'unset':['A=1']}");
        QTest::newRow("not JSON") << QByteArray("\xff\x01garbage");
        QTest::newRow("not an object") << QByteArray("[1,2]");
    }

    void envRefusesBadInput() {
        QFETCH(QByteArray, body);
        const auto before = toolbox("GET", QStringLiteral("/env")).body;
        // A bad request also sets a good variable: nothing of it may be applied.
        body.replace("{\"set\":{", "{\"set\":{\"GOOD\":\"1\",");
        const auto r = toolbox("POST", QStringLiteral("/env"), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.object().value(QStringLiteral("statusCode")).toInt(), 400);
        QCOMPARE(r.object().value(QStringLiteral("source")).toString(), QStringLiteral("DAYTONA_DAEMON"));
        QVERIFY(!r.message().isEmpty());
        QCOMPARE(toolbox("GET", QStringLiteral("/env")).body, before);
    }

    void unknownToolboxRouteIs404() {
        const auto r = toolbox("GET", QStringLiteral("/no/such/route"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.object().value(QStringLiteral("code")).toString(), QStringLiteral("NOT_FOUND"));
    }

    void isStaticallyLinked() {
        const auto r = run(QStringLiteral("file"),
                           {QStringLiteral("-L"), test::CovedProcess::binary(QStringLiteral("cove-agent"))});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("statically linked") || r.out.contains("static-pie linked"),
                 r.out.constData());
    }

    void runsAsPid1InAnEmptyImage() {
        // An image with no files at all: no shell, no libc.
        const auto imported =
            run(QStringLiteral("sh"),
                {QStringLiteral("-c"),
                 QStringLiteral("tar -cf - -T /dev/null | docker import - ") + kEmptyImage});
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        container = QStringLiteral("cove-test-agent-%1").arg(QCoreApplication::applicationPid());
        const auto started =
            run(QStringLiteral("docker"),
                {QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), container,
                 QStringLiteral("-v"),
                 test::CovedProcess::binary(QStringLiteral("cove-agent")) +
                     QStringLiteral(":/usr/local/bin/cove-agent:ro"),
                 QStringLiteral("-v"), runDir.path() + QStringLiteral(":/run/cove"),
                 QStringLiteral("--entrypoint"), QStringLiteral("/usr/local/bin/cove-agent"), kEmptyImage});
        QVERIFY2(started.exitCode == 0, started.err.constData());
        const auto inspected = run(QStringLiteral("docker"), {QStringLiteral("inspect"), QStringLiteral("-f"),
                                                              QStringLiteral("{{.State.Pid}}"), container});
        pid = inspected.out.trimmed().toInt();
        QVERIFY(pid > 0);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(runDir.path() + QStringLiteral("/agent.sock")), 10000);

        const auto c = proxy::connectToAgent(runDir.path().toStdString(), pid);
        QVERIFY2(c.fd >= 0, c.error.c_str());
        const QByteArray reply = httpGet(c.fd, "/version");
        ::close(c.fd);
        QVERIFY2(reply.startsWith("HTTP/1.1 200"), reply.constData());
        QVERIFY(reply.contains("\"version\""));

        // Nothing but what Docker itself adds: no shell, no C library.
        const auto listing =
            run(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("docker export ") + container +
                                                                 QStringLiteral(" | tar -t")});
        QCOMPARE(listing.exitCode, 0);
        QVERIFY(!listing.out.contains("bin/sh"));
        QVERIFY(!listing.out.contains("libc.so"));
    }

    void refusesAPeerThatIsNotTheAgent() {
        const auto c = proxy::connectToAgent(runDir.path().toStdString(), pid + 100000);
        QCOMPARE(c.fd, -1);
        QVERIFY2(QString::fromStdString(c.error).contains(QStringLiteral("not the sandbox's agent")),
                 c.error.c_str());
    }

    void refusesASymlinkInPlaceOfTheSocket() {
        // What a sandbox could do from inside: swap its socket for a link to the Docker socket.
        const QString sock = runDir.path() + QStringLiteral("/agent.sock");
        QVERIFY(QFile::remove(sock));
        QVERIFY(QFile::link(QStringLiteral("/var/run/docker.sock"), sock));
        const auto c = proxy::connectToAgent(runDir.path().toStdString(), pid);
        QCOMPARE(c.fd, -1);
        QVERIFY2(QString::fromStdString(c.error).contains(QStringLiteral("not a socket")), c.error.c_str());
    }

    void stopsPromptlyOnSigterm() {
        // PID 1 gets no default SIGTERM action; the agent must handle it, so `docker stop` exits 0, not 137.
        QCOMPARE(run(QStringLiteral("docker"),
                     {QStringLiteral("stop"), QStringLiteral("-t"), QStringLiteral("20"), container})
                     .exitCode,
                 0);
        const auto code = run(QStringLiteral("docker"), {QStringLiteral("inspect"), QStringLiteral("-f"),
                                                         QStringLiteral("{{.State.ExitCode}}"), container});
        QCOMPARE(code.out.trimmed(), QByteArray("0"));
    }

    void cleanupTestCase() {
        sandboxes.removeAll();
        coved.stop();
        if (!container.isEmpty())
            run(QStringLiteral("docker"), {QStringLiteral("rm"), QStringLiteral("-f"), container});
    }
};

QTEST_GUILESS_MAIN(TestAgent)
#include "tst_agent.moc"
