// Chaos on the host, not in a sandbox: iptables rules flushed behind coved's back, another program
// holding the database's lock, the data directory's disk full. Each ends with no sandbox running without
// its rules, a clear error for what could not be done, nothing half-made and nothing lost. (The engine
// killed in the middle of a create is in tst_engine_restart, which has an engine of its own to kill.)
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QtTest>

#include <memory>

using cove::test::CovedProcess;
using cove::test::Reply;
using cove::test::run;

class TestSecChaos : public QObject {
    Q_OBJECT
    CovedProcess coved;
    std::unique_ptr<cove::test::Sandboxes> sandboxes;

    // The number of rules in an iptables chain (-1 when it does not exist).
    static int rulesIn(const QString& chain) {
        const auto r = run(QStringLiteral("iptables"), {QStringLiteral("-S"), chain});
        if (r.exitCode != 0)
            return -1;
        return int(r.out.count("\n-A ") + (r.out.startsWith("-A ") ? 1 : 0));
    }
    QString chainOf(const QString& sandboxId) const {
        return coved.chainPrefix() + QLatin1Char('-') + QString(sandboxId).remove(QLatin1Char('-')).left(12);
    }
    int sandboxCount() {
        return int(sandboxes->call("GET", QStringLiteral("/api/sandbox"))
                       .object()
                       .value(QStringLiteral("items"))
                       .toArray()
                       .size());
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        sandboxes = std::make_unique<cove::test::Sandboxes>(coved);
    }

    // Someone flushes the sandbox's own chain and the dispatcher (not the hooks, which coved checked
    // before): the sandbox would reach everything. The next network check puts every rule back.
    void flushedRulesArePutBack() {
        const QString id = sandboxes->create(R"({"networkBlockAll":true})");
        QVERIFY(!id.isEmpty());
        const QString chain = chainOf(id), dispatcher = coved.chainPrefix();
        const int sandboxRules = rulesIn(chain), dispatcherRules = rulesIn(dispatcher);
        QVERIFY2(sandboxRules > 0 && dispatcherRules > 0, qPrintable(chain));
        QCOMPARE(run(QStringLiteral("iptables"), {QStringLiteral("-F"), chain}).exitCode, 0);
        QCOMPARE(rulesIn(chain), 0);
        QTRY_COMPARE_WITH_TIMEOUT(rulesIn(chain), sandboxRules, 30000);
        QVERIFY(coved.log().contains("re-installing them"));

        // One rule deleted from the dispatcher is found as well.
        QCOMPARE(
            run(QStringLiteral("iptables"), {QStringLiteral("-D"), dispatcher, QStringLiteral("1")}).exitCode,
            0);
        QCOMPARE(rulesIn(dispatcher), dispatcherRules - 1);
        QTRY_COMPARE_WITH_TIMEOUT(rulesIn(dispatcher), dispatcherRules, 30000);
        QCOMPARE(sandboxes->state(id), QStringLiteral("started"));
        QCOMPARE(rulesIn(chain), sandboxRules);
    }

    // Another program holds the database's write lock (an sqlite3 prompt inside BEGIN EXCLUSIVE): a
    // change is refused with a sentence saying so, reads and health go on, and once the lock goes the
    // same change works. Nothing was made while it was refused.
    void lockedDatabaseRefusesChangesAndLosesNothing() {
        const int before = sandboxCount();
        QVERIFY(before >= 1); // the sandbox of the test before
        const QStringList containersBefore = coved.containers();
        QProcess holder;
        holder.start(QStringLiteral("python3"),
                     {QStringLiteral("-c"),
                      QStringLiteral("import sqlite3, sys\n"
                                     "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                                     "c.execute('BEGIN EXCLUSIVE')\n"
                                     "print('locked', flush=True)\n"
                                     "sys.stdin.read()\n"
                                     "c.execute('ROLLBACK')\n"),
                      coved.dataDir() + QStringLiteral("/cove.db")});
        QVERIFY(holder.waitForStarted());
        QByteArray said;
        QTRY_VERIFY_WITH_TIMEOUT((said += holder.readAllStandardOutput()).contains("locked") ||
                                     holder.state() == QProcess::NotRunning,
                                 10000);
        QVERIFY2(said.contains("locked"), holder.readAllStandardError().constData());

        const Reply refused = sandboxes->call("POST", QStringLiteral("/api/sandbox"), "{}");
        QCOMPARE(refused.status, 503);
        QVERIFY2(refused.message().contains(QStringLiteral("locked by another program")),
                 refused.body.constData());
        QCOMPARE(sandboxCount(), before); // reads go on (the store is in WAL mode)
        QCOMPARE(coved.containers(), containersBefore);
        QCOMPARE(cove::test::request("GET", coved.apiUrl() + QStringLiteral("/health")).status, 200);

        holder.closeWriteChannel();
        QVERIFY(holder.waitForFinished(10000));
        const QString id = sandboxes->create();
        QVERIFY(!id.isEmpty());
        QCOMPARE(sandboxCount(), before + 1);
        QVERIFY(coved.log().contains("database is locked"));
    }

    // The data directory's filesystem fills up: creating a sandbox is refused with what to do, the
    // running sandbox and everything stored stay, and once there is room again a create works.
    void fullDiskRefusesChangesAndLosesNothing() {
        CovedProcess small;
        const QString dir = small.dataDir();
        QCOMPARE(
            run(QStringLiteral("mount"), {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                                          QStringLiteral("size=24m"), QStringLiteral("cove-chaos"), dir})
                .exitCode,
            0);
        const auto unmount = qScopeGuard([&] {
            small.stop();
            run(QStringLiteral("umount"), {QStringLiteral("-l"), dir});
        });
        QVERIFY2(small.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(small.error()));
        cove::test::Sandboxes sb(small);
        const QString kept = sb.create(R"({"labels":{"kept":"yes"}})");
        QVERIFY(!kept.isEmpty());
        const int containers = cove::test::Sandboxes::containerCount(kept);

        // Fill what is left (dd stops at ENOSPC).
        run(QStringLiteral("dd"),
            {QStringLiteral("if=/dev/zero"), QStringLiteral("of=") + dir + QStringLiteral("/filler"),
             QStringLiteral("bs=64k")});
        const Reply refused = sb.call("POST", QStringLiteral("/api/sandbox"), R"({"name":"no-room"})");
        QVERIFY2(refused.status == 507 || refused.status == 503, refused.body.constData());
        QVERIFY2(refused.message().contains(QStringLiteral("full")) ||
                     refused.message().contains(QStringLiteral("space")),
                 refused.body.constData());
        QCOMPARE(sb.call("GET", QStringLiteral("/api/sandbox/no-room")).status, 404);
        QCOMPARE(cove::test::request("GET", small.apiUrl() + QStringLiteral("/health")).status, 200);
        // What was there is still there and still works.
        QCOMPARE(sb.state(kept), QStringLiteral("started"));
        QCOMPARE(
            sb.get(kept).value(QStringLiteral("labels")).toObject().value(QStringLiteral("kept")).toString(),
            QStringLiteral("yes"));
        QCOMPARE(sb.call("GET", QStringLiteral("/toolbox/") + kept + QStringLiteral("/version")).status, 200);
        QCOMPARE(cove::test::Sandboxes::containerCount(kept), containers);

        QVERIFY(QFile::remove(dir + QStringLiteral("/filler")));
        const QString made = sb.create(R"({"name":"room-again"})");
        QVERIFY(!made.isEmpty());
        QCOMPARE(sb.state(made), QStringLiteral("started"));
        sb.removeAll();
    }

    void cleanupTestCase() {
        sandboxes->removeAll();
        coved.stop();
    }
};

QTEST_GUILESS_MAIN(TestSecChaos)
#include "tst_sec_chaos.moc"
