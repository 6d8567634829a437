// The Docker engine restarts under running sandboxes: coved keeps answering from its store, says the
// engine is down, and once it is back restarts the sandboxes that should run — and only those.
// Uses a private dockerd (own data root, exec root and socket) so the suite's engine is not disturbed.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using cove::test::CovedProcess;
using cove::test::run;

class TestEngineRestart : public QObject {
    Q_OBJECT
    QTemporaryDir root;
    QString socket() const { return root.path() + QStringLiteral("/docker.sock"); }
    QStringList dockerHost() const { return {QStringLiteral("-H"), QStringLiteral("unix://") + socket()}; }
    CovedProcess coved;
    cove::test::Sandboxes sb{coved};

    // The private engine gets a bridge of its own: with --bridge=none dockerd deletes docker0, which
    // would cut the suite's own engine off.
    static constexpr const char* kBridge = "cove-test0";

    void startEngine() {
        // Detached, so it outlives nothing of ours but is stopped by its pid file.
        QVERIFY(QProcess::startDetached(
            QStringLiteral("sh"),
            {QStringLiteral("-c"), QStringLiteral("exec dockerd --data-root %1/data --exec-root %1/exec "
                                                  "--pidfile %1/pid -H unix://%1/docker.sock "
                                                  "--bridge=%2 --iptables=false --ip-masq=false "
                                                  ">>%1/dockerd.log 2>&1")
                                       .arg(root.path(), QLatin1String(kBridge))}));
        QTRY_VERIFY_WITH_TIMEOUT(
            run(QStringLiteral("docker"), dockerHost() + QStringList{QStringLiteral("version")}).exitCode ==
                0,
            60000);
    }
    void stopEngine() {
        QFile pidFile(root.path() + QStringLiteral("/pid"));
        if (!pidFile.open(QIODevice::ReadOnly))
            return;
        const int pid = pidFile.readAll().trimmed().toInt();
        if (pid > 0)
            ::kill(pid, SIGTERM);
        QTRY_VERIFY_WITH_TIMEOUT(::kill(pid, 0) != 0, 60000);
    }
    bool running(const QString& id) {
        const auto r = run(QStringLiteral("docker"),
                           dockerHost() + QStringList{QStringLiteral("inspect"), QStringLiteral("-f"),
                                                      QStringLiteral("{{.State.Running}}"),
                                                      QStringLiteral("cove-") + id});
        return r.out.trimmed() == "true";
    }

private slots:
    void initTestCase() {
        run(QStringLiteral("ip"), {QStringLiteral("link"), QStringLiteral("del"), QLatin1String(kBridge)});
        QCOMPARE(
            run(QStringLiteral("ip"), {QStringLiteral("link"), QStringLiteral("add"), QLatin1String(kBridge),
                                       QStringLiteral("type"), QStringLiteral("bridge")})
                .exitCode,
            0);
        // A link-local address: nothing is routed through this bridge; it only has to exist.
        QCOMPARE(run(QStringLiteral("ip"),
                     {QStringLiteral("addr"), QStringLiteral("add"), QStringLiteral("169.254.213.1/24"),
                      QStringLiteral("dev"), QLatin1String(kBridge)})
                     .exitCode,
                 0);
        startEngine();
        // A small image stands in for cove-base in the private engine.
        const auto loaded =
            run(QStringLiteral("sh"),
                {QStringLiteral("-c"),
                 QStringLiteral("docker save cove-debian:latest | docker -H unix://%1 load -q && "
                                "docker -H unix://%1 tag cove-debian:latest cove-base:latest")
                     .arg(socket())});
        QVERIFY2(loaded.exitCode == 0, loaded.err.constData());
        QVERIFY2(coved.start({QStringLiteral("--docker-host"), QStringLiteral("unix://") + socket()}),
                 qPrintable(coved.error()));
    }

    void sandboxesComeBackAfterTheEngine() {
        const QString keep = sb.create(), stopped = sb.create();
        QVERIFY(!keep.isEmpty() && !stopped.isEmpty());
        QCOMPARE(sb.call("POST", QStringLiteral("/api/sandbox/") + stopped + QStringLiteral("/stop")).status,
                 200);

        stopEngine();
        // The store still answers; what needs the engine says so.
        QCOMPARE(sb.state(keep), QStringLiteral("started"));
        const auto down = sb.call("GET", QStringLiteral("/toolbox/") + keep + QStringLiteral("/version"));
        QCOMPARE(down.status, 503);
        QVERIFY(down.message().contains(QStringLiteral("does not answer")));
        QCOMPARE(sb.call("POST", QStringLiteral("/api/sandbox/") + stopped + QStringLiteral("/start")).status,
                 503);
        QCOMPARE(sb.state(stopped), QStringLiteral("error")); // a start that could not happen is visible
        QCOMPARE(cove::test::request("GET", coved.apiUrl() + QStringLiteral("/health")).status, 200);

        startEngine();
        QTRY_VERIFY_WITH_TIMEOUT(running(keep), 40000);
        QTRY_COMPARE_WITH_TIMEOUT(
            sb.call("GET", QStringLiteral("/toolbox/") + keep + QStringLiteral("/version")).status, 200,
            20000);
        QCOMPARE(sb.state(keep), QStringLiteral("started"));
        QVERIFY(!running(stopped)); // it was not meant to run, so it was not started
        QCOMPARE(
            sb.call("POST", QStringLiteral("/api/sandbox/") + stopped + QStringLiteral("/recover")).status,
            200);
        QVERIFY(running(stopped));
    }

    void cleanupTestCase() {
        sb.removeAll();
        coved.stop();
        stopEngine();
        run(QStringLiteral("ip"), {QStringLiteral("link"), QStringLiteral("del"), QLatin1String(kBridge)});
        run(QStringLiteral("rm"), {QStringLiteral("-rf"), root.path()});
        // The suite's engine still has its bridge.
        QCOMPARE(run(QStringLiteral("ip"),
                     {QStringLiteral("link"), QStringLiteral("show"), QStringLiteral("docker0")})
                     .exitCode,
                 0);
    }
};

QTEST_GUILESS_MAIN(TestEngineRestart)
#include "tst_engine_restart.moc"
