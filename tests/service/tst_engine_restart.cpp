// The Docker engine restarts under running sandboxes: coved keeps answering from its store, says the
// engine is down, and once it is back restarts the sandboxes that should run — and only those.
// Uses a private dockerd (own data root, exec root and socket) so the suite's engine is not disturbed.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
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
    // SIGKILL, as a crash or the OOM killer would.
    void killEngine() {
        QFile pidFile(root.path() + QStringLiteral("/pid"));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const int pid = pidFile.readAll().trimmed().toInt();
        QVERIFY(pid > 0);
        ::kill(pid, SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(::kill(pid, 0) != 0, 30000);
        QFile::remove(root.path() + QStringLiteral("/pid"));
    }
    // This installation's containers in the private engine, one line each as `format` renders them.
    QStringList instanceContainers(const QString& format = QStringLiteral("{{.ID}}")) {
        const auto r = run(
            QStringLiteral("docker"),
            dockerHost() + QStringList{QStringLiteral("ps"), QStringLiteral("-a"), QStringLiteral("--filter"),
                                       QStringLiteral("label=cove.instance=") + coved.instance(),
                                       QStringLiteral("--format"), format});
        return QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }
    bool exists(const QString& idOrName) const {
        return sb.call("GET", QStringLiteral("/api/sandbox/") + idOrName).status == 200;
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
        // With coved's default warm pool: after the engine's restarts, its members are the only containers
        // without a sandbox.
        QVERIFY2(coved.start({QStringLiteral("--docker-host"), QStringLiteral("unix://") + socket(),
                              QStringLiteral("--warm-pool"), QStringLiteral("2")}),
                 qPrintable(coved.error()));
    }

    void sandboxesComeBackAfterTheEngine() {
        const QString keep = sb.create(), stopped = sb.create();
        QVERIFY(!keep.isEmpty() && !stopped.isEmpty());
        QCOMPARE(sb.call("POST", QStringLiteral("/api/sandbox/") + stopped + QStringLiteral("/stop")).status,
                 200);

        const auto ready = [&] {
            return cove::test::request("GET", coved.apiUrl() + QStringLiteral("/health/ready"));
        };
        QCOMPARE(ready().status, 200); // public: no key sent
        QCOMPARE(ready().object().value(QStringLiteral("checks")).toObject().value(QStringLiteral("engine")),
                 QJsonValue(QStringLiteral("ok")));
        stopEngine();
        // Not ready, and says why; alive all the same.
        const auto notReady = ready();
        QCOMPARE(notReady.status, 503);
        QVERIFY2(notReady.message().contains(QStringLiteral("container engine does not answer")),
                 notReady.body.constData());
        QCOMPARE(notReady.object().value(QStringLiteral("checks")).toObject().value(QStringLiteral("store")),
                 QJsonValue(QStringLiteral("ok")));
        QVERIFY(!notReady.body.contains(socket().toUtf8())); // a public answer names no path
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
        QTRY_COMPARE_WITH_TIMEOUT(ready().status, 200, 20000);
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

    // The engine dies (SIGKILL) while a create is under way, its container made but not yet answering:
    // the create fails with a reason, nothing is left `creating`, nothing already there is lost, and once
    // the engine is back no container runs that coved does not account for.
    void engineKilledMidCreateLeavesNothingHalfMade() {
        // No warm pool here: the one container made is the create's own.
        coved.stop();
        QVERIFY2(coved.start({QStringLiteral("--docker-host"), QStringLiteral("unix://") + socket(),
                              QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        const QString keep = sb.create();
        QVERIFY(!keep.isEmpty());
        // The engine is frozen the moment it reports the container made (before coved can start it),
        // then killed.
        QFile pidFile(root.path() + QStringLiteral("/pid"));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const pid_t enginePid = pidFile.readAll().trimmed().toInt();
        QVERIFY(enginePid > 0);
        QProcess events;
        connect(&events, &QProcess::readyReadStandardOutput, &events, [&] { ::kill(enginePid, SIGSTOP); });
        events.start(QStringLiteral("docker"),
                     dockerHost() + QStringList{QStringLiteral("events"), QStringLiteral("--filter"),
                                                QStringLiteral("event=create"), QStringLiteral("--filter"),
                                                QStringLiteral("label=cove.instance=") + coved.instance()});
        QVERIFY(events.waitForStarted());
        // `docker events` answers once it is subscribed; until then a create would go unseen.
        QTRY_VERIFY_WITH_TIMEOUT(
            run(QStringLiteral("sh"),
                {QStringLiteral("-c"), QStringLiteral("ss -xp | grep -q 'pid=%1,'").arg(events.processId())})
                    .exitCode == 0,
            10000);
        QProcess create;
        create.start(QStringLiteral("curl"),
                     {QStringLiteral("-s"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                      QStringLiteral("-w"), QStringLiteral("%{http_code}"), QStringLiteral("-H"),
                      QStringLiteral("Authorization: Bearer ") + coved.adminKey(), QStringLiteral("-H"),
                      QStringLiteral("Content-Type: application/json"), QStringLiteral("-d"),
                      QStringLiteral(R"({"name":"half-made"})"),
                      coved.apiUrl() + QStringLiteral("/sandbox")});
        QVERIFY(create.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(events.bytesAvailable() > 0 || create.state() == QProcess::NotRunning,
                                 30000);
        const bool midway = create.state() != QProcess::NotRunning;
        killEngine();
        events.kill();
        events.waitForFinished();
        QVERIFY(create.state() == QProcess::NotRunning || create.waitForFinished(60000));
        const int status = create.readAllStandardOutput().toInt();
        qInfo("the create answered %d; the engine died %s it", status, midway ? "during" : "after");
        QVERIFY(midway);
        QVERIFY2(status >= 500, QByteArray::number(status).constData());
        QCOMPARE(cove::test::request("GET", coved.apiUrl() + QStringLiteral("/health")).status, 200);
        const auto half = sb.get(QStringLiteral("half-made"));
        if (status >= 500 && exists(QStringLiteral("half-made"))) {
            QCOMPARE(half.value(QStringLiteral("state")).toString(), QStringLiteral("error"));
            QVERIFY(!half.value(QStringLiteral("errorReason")).toString().isEmpty());
        }
        for (const auto& v :
             sb.call("GET", QStringLiteral("/api/sandbox")).object().value(QStringLiteral("items")).toArray())
            QVERIFY2(v.toObject().value(QStringLiteral("state")).toString() != QStringLiteral("creating"),
                     qPrintable(v.toObject().value(QStringLiteral("name")).toString()));

        startEngine();
        // Every container of this installation belongs to a sandbox coved lists, and runs only if that
        // sandbox is started.
        const auto accounted = [&] {
            QHash<QString, QString> states;
            for (const auto& v : sb.call("GET", QStringLiteral("/api/sandbox"))
                                     .object()
                                     .value(QStringLiteral("items"))
                                     .toArray())
                states.insert(v.toObject().value(QStringLiteral("id")).toString(),
                              v.toObject().value(QStringLiteral("state")).toString());
            const QString format =
                QStringLiteral("{{.Label \"cove.sandbox.id\"}} {{.State}} {{.Label \"cove.pool\"}}");
            for (const QString& line : instanceContainers(format)) {
                const QStringList f = line.split(QLatin1Char(' '));
                if (f.size() < 2)
                    return false;
                if (states.contains(f[0])) {
                    if (f[1] == QStringLiteral("running") && states.value(f[0]) != QStringLiteral("started"))
                        return false; // running for a sandbox that is not
                } else if (f.value(2) != QStringLiteral("true")) {
                    return false; // an orphan (only the warm pool's ready containers have no sandbox yet)
                }
            }
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(accounted(), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(sb.state(keep), QStringLiteral("started"), 60000);
        if (exists(QStringLiteral("half-made"))) {
            QCOMPARE(sb.call("DELETE", QStringLiteral("/api/sandbox/half-made")).status, 200);
            QTRY_VERIFY_WITH_TIMEOUT(!exists(QStringLiteral("half-made")), 30000);
        }
        QTRY_VERIFY_WITH_TIMEOUT(accounted(), 60000);
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
