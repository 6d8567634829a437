// Warm pools an organization keeps (/api/warm-pools) on a real coved: a pool fills with started
// containers of its snapshot, a matching create takes one (the sandbox gets the warm container's id) and
// the pool refills, a resize adds or removes warm containers, 0 drains, the quota bounds it, delete
// removes it, and the pools outlive coved (stopped or killed) without leaving containers behind.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSet>
#include <QtTest>

using namespace cove::test;

class TestWarmPools : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};
    QString poolId;

    QJsonObject pool() const {
        for (const auto& v : sb.call("GET", QStringLiteral("/api/warm-pools")).json().array())
            if (v.toObject().value(QStringLiteral("id")).toString() == poolId)
                return v.toObject();
        return {};
    }
    int ready() const { return pool().value(QStringLiteral("currentSize")).toInt(-1); }
    Reply resize(int size) const {
        return sb.call("PATCH", QStringLiteral("/api/warm-pools/") + poolId,
                       QByteArray("{\"pool\":") + QByteArray::number(size) + "}");
    }
    // Sandbox ids of this coved's warm containers no sandbox has claimed, running ones only if asked.
    QSet<QString> unclaimed(bool runningOnly = false) const {
        QSet<QString> ids = coved.poolContainers(runningOnly);
        for (const auto& id : sb.created())
            ids.remove(id);
        return ids;
    }
    bool start() { return coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}); }

private slots:
    void initTestCase() { QVERIFY2(start(), qPrintable(coved.error())); }

    void createsAndFills() {
        QElapsedTimer t;
        t.start();
        const auto r =
            sb.call("POST", QStringLiteral("/api/warm-pools"), R"({"snapshot":"cove-base","pool":2})");
        QCOMPARE(r.status, 200);
        const auto p = r.object();
        poolId = p.value(QStringLiteral("id")).toString();
        QVERIFY(!poolId.isEmpty());
        QCOMPARE(p.value(QStringLiteral("snapshot")).toString(), QStringLiteral("cove-base"));
        QCOMPARE(p.value(QStringLiteral("target")).toString(), QStringLiteral("local"));
        QCOMPARE(p.value(QStringLiteral("pool")).toInt(), 2);
        QCOMPARE(p.value(QStringLiteral("cpu")).toInt(), 1);
        QCOMPARE(p.value(QStringLiteral("mem")).toInt(), 1);
        QCOMPARE(p.value(QStringLiteral("disk")).toInt(), 3);
        QVERIFY(!p.value(QStringLiteral("osUser")).toString().isEmpty());
        QVERIFY(p.value(QStringLiteral("env")).isObject());
        QVERIFY(p.value(QStringLiteral("errorReason")).isNull());
        QVERIFY(!p.value(QStringLiteral("organizationId")).toString().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 2, 60000);
        QCOMPARE(unclaimed(true).size(), 2); // started containers, counted by Docker
        qInfo("a pool of 2 filled in %lld ms", t.elapsed());

        // One pool per snapshot and target; members stay out of the sandbox list.
        QCOMPARE(
            sb.call("POST", QStringLiteral("/api/warm-pools"), R"({"snapshot":"cove-base","pool":1})").status,
            409);
        QCOMPARE(
            sb.call("GET", QStringLiteral("/api/sandbox")).object().value(QStringLiteral("total")).toInt(),
            0);
    }

    void matchingCreateTakesAWarmSandbox() {
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 2, 60000);
        const QSet<QString> before = unclaimed();
        QElapsedTimer t;
        t.start();
        const QString id = sb.create(R"({"snapshot":"cove-base","env":{"MINE":"yes"}})");
        const qint64 ms = t.elapsed();
        QVERIFY(!id.isEmpty());
        QVERIFY2(before.contains(id), "the create did not take a warm sandbox");
        QCOMPARE(sb.state(id), QStringLiteral("started"));
        QCOMPARE(sb.exec(id, QStringLiteral("echo $MINE")).out.trimmed(), QByteArray("yes"));
        qInfo("a create served from the pool answered in %lld ms", ms);
        // Refilled with a new one.
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 2, 60000);
        QCOMPARE(unclaimed(true).size(), 2);
        QVERIFY(!unclaimed().contains(id));

        // A create the pool cannot serve (another user than the image's) is made the ordinary way.
        const QSet<QString> now = unclaimed();
        t.restart();
        const QString other = sb.create(R"({"snapshot":"cove-base","user":"root"})");
        qInfo("a create made the ordinary way answered in %lld ms", t.elapsed());
        QVERIFY(!other.isEmpty());
        QVERIFY(!now.contains(other));
        QCOMPARE(unclaimed(), now);
    }

    void resizesLive() {
        QCOMPARE(resize(3).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(unclaimed(true).size(), 3, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 3, 10000);
        const auto r = resize(1);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("pool")).toInt(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(unclaimed().size(), 1, 60000); // surplus containers removed
        QCOMPARE(ready(), 1);
        QCOMPARE(resize(0).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(unclaimed().size(), 0, 60000); // drained
        QCOMPARE(ready(), 0);
        QCOMPARE(pool().value(QStringLiteral("pool")).toInt(), 0);
    }

    void quotaBoundsThePool() {
        // Two sandboxes hold 2 of 4 vCPU: a pool of 3 keeps 2 and says why not 3.
        QCOMPARE(
            sb.call("PATCH", QStringLiteral("/api/organizations/personal/quota"), R"({"totalCpuQuota":4})")
                .status,
            200);
        QCOMPARE(resize(5).status, 403); // more than the quota allows at all
        QCOMPARE(resize(3).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(!pool().value(QStringLiteral("errorReason")).toString().isEmpty(), 60000);
        QVERIFY2(pool().value(QStringLiteral("errorReason")).toString().contains(QStringLiteral("quota")),
                 qPrintable(pool().value(QStringLiteral("errorReason")).toString()));
        QCOMPARE(ready(), 2);
        QCOMPARE(unclaimed().size(), 2);
        // A sandbox the pool cannot serve takes a third vCPU: a warm one goes at once, not a round later.
        QVERIFY(!sb.create(R"({"user":"root"})").isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(unclaimed().size(), 1, 5000);
        QCOMPARE(ready(), 1);
        QCOMPARE(
            sb.call("PATCH", QStringLiteral("/api/organizations/personal/quota"), R"({"totalCpuQuota":10})")
                .status,
            200);
        QCOMPARE(resize(1).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(unclaimed().size(), 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(pool().value(QStringLiteral("errorReason")).isNull(), 30000);
    }

    void restartKeepsThePool() {
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 1, 60000);
        coved.stop(); // drains: no warm container outlives it
        QCOMPARE(unclaimed().size(), 0);
        QVERIFY2(start(), qPrintable(coved.error()));
        QCOMPARE(pool().value(QStringLiteral("pool")).toInt(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 1, 60000);
        QCOMPARE(unclaimed(true).size(), 1);

        // Killed, its warm containers are removed by the next coved and made again.
        const QSet<QString> before = unclaimed();
        coved.kill();
        QVERIFY2(start(), qPrintable(coved.error()));
        QVERIFY(!unclaimed().intersects(before));
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 1, 60000);
        QCOMPARE(unclaimed().size(), 1);
    }

    // A stop while a member is being made waits for it and removes it too: nothing outlives coved.
    void stoppingMidFillLeavesNoContainer() {
        QCOMPARE(resize(2).status, 200); // the second member is being made now
        coved.stop();
        QCOMPARE(unclaimed().size(), 0);
        QVERIFY2(start(), qPrintable(coved.error()));
        QCOMPARE(resize(1).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 1, 60000);
    }

    void deleteDrains() {
        QCOMPARE(sb.call("DELETE", QStringLiteral("/api/warm-pools/") + poolId).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(unclaimed().size(), 0, 60000);
        QVERIFY(sb.call("GET", QStringLiteral("/api/warm-pools")).json().array().isEmpty());
        QCOMPARE(sb.call("DELETE", QStringLiteral("/api/warm-pools/") + poolId).status, 404);
        QCOMPARE(resize(1).status, 404);
        // Audited as Daytona names it.
        const auto audit = sb.call("GET", QStringLiteral("/api/audit?limit=50")).body;
        for (const char* action : {"\"create\"", "\"update\"", "\"delete\""})
            QVERIFY2(audit.contains(action), action);
        QVERIFY(audit.contains("\"warm_pool\""));
    }

    void cleanupTestCase() {
        sb.removeAll();
        coved.stop();
    }
};

QTEST_GUILESS_MAIN(TestWarmPools)
#include "tst_warm_pools.moc"
