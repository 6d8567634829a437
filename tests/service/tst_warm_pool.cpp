// The warm pool: started, unassigned containers of the default snapshot that a default create claims.
// Members are invisible to listings, never outlive the coved that made them, and a create the pool
// cannot serve (another snapshot, another user, a dead member) is made the ordinary way.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QJsonArray>
#include <QSet>
#include <QtTest>

using namespace cove::test;

class TestWarmPool : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};

    QJsonObject pool() const {
        return sb.call("GET", QStringLiteral("/api/info"))
            .object()
            .value(QStringLiteral("warmPool"))
            .toObject();
    }
    int ready() const { return pool().value(QStringLiteral("ready")).toInt(); }

    QSet<QString> poolContainers(bool runningOnly = false) const { return coved.poolContainers(runningOnly); }
    QSet<QString> unclaimed() const {
        QSet<QString> ids = poolContainers();
        for (const auto& id : sb.created())
            ids.remove(id);
        return ids;
    }
    QJsonObject toolboxEnv(const QString& id) const {
        return sb.call("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/env")).object();
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("2")}),
                 qPrintable(coved.error()));
        QVERIFY(!coved.instance().isEmpty());
    }

    void fillsAndStaysOutOfListings() {
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 2, 60000);
        QCOMPARE(pool().value(QStringLiteral("size")).toInt(), 2);
        QCOMPARE(poolContainers(true).size(), 2); // started, not merely created
        const auto list = sb.call("GET", QStringLiteral("/api/sandbox")).object();
        QCOMPARE(list.value(QStringLiteral("total")).toInt(), 0);
        for (const auto& id : poolContainers())
            QCOMPARE(sb.call("GET", QStringLiteral("/api/sandbox/") + id).status, 404);
    }

    void defaultCreateClaimsAMember() {
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 2, 60000);
        const QSet<QString> before = unclaimed();
        const QString id = sb.create(R"({"env":{"FOO":"bar baz"},"labels":{"team":"a"},"cpu":2,"memory":2})");
        QVERIFY(!id.isEmpty());
        QVERIFY2(before.contains(id), "a default create did not take a pool member");
        const auto dto = sb.get(id);
        QCOMPARE(dto.value(QStringLiteral("state")).toString(), QStringLiteral("started"));
        QCOMPARE(dto.value(QStringLiteral("labels")).toObject().value(QStringLiteral("team")).toString(),
                 QStringLiteral("a"));

        // Its limits are the request's, not the pool's.
        const auto host = Sandboxes::container(id).value(QStringLiteral("HostConfig")).toObject();
        QCOMPARE(host.value(QStringLiteral("CpuQuota")).toInteger(), 200000);
        QCOMPARE(host.value(QStringLiteral("Memory")).toInteger(), qint64(2) << 30);
        QCOMPARE(host.value(QStringLiteral("MemorySwap")).toInteger(), qint64(2) << 30);

        // Its environment reaches what the toolbox runs, with Daytona's variables for this sandbox.
        const auto env = toolboxEnv(id);
        QCOMPARE(env.value(QStringLiteral("FOO")).toString(), QStringLiteral("bar baz"));
        QCOMPARE(env.value(QStringLiteral("DAYTONA_SANDBOX_ID")).toString(), id);

        // The pool is topped up with a new member.
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 2, 60000);
        QVERIFY(!unclaimed().contains(id));
        QCOMPARE(unclaimed().size(), 2);
    }

    void environmentSurvivesStopAndStart() {
        const QString id = sb.created().value(0);
        QVERIFY(!id.isEmpty());
        QCOMPARE(sb.call("POST", QStringLiteral("/api/sandbox/") + id + QStringLiteral("/stop")).status, 200);
        QCOMPARE(sb.call("POST", QStringLiteral("/api/sandbox/") + id + QStringLiteral("/start")).status,
                 200);
        QCOMPARE(toolboxEnv(id).value(QStringLiteral("FOO")).toString(), QStringLiteral("bar baz"));
    }

    void otherCreatesAreMadeDirectly() {
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 2, 60000);
        const QSet<QString> before = unclaimed();
        const QString desktop = sb.create(R"({"snapshot":"cove-desktop"})");
        QVERIFY(!desktop.isEmpty());
        QVERIFY(!before.contains(desktop));
        const QString asRoot = sb.create(R"({"user":"root"})");
        QVERIFY(!asRoot.isEmpty());
        QVERIFY(!before.contains(asRoot));
        QCOMPARE(unclaimed(), before); // untouched
    }

    // A create that mounts a secret may take a member: the CA its requests are intercepted with is put in
    // the member's run folder, and the variables naming it reach the agent.
    void aPooledCreateMountingASecretTrustsItsCa() {
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 2, 60000);
        const QSet<QString> before = unclaimed();
        QCOMPARE(sb.call("POST", QStringLiteral("/api/secret"),
                         R"({"name":"POOL_KEY","value":"pool-secret","hosts":["api.example.com"]})")
                     .status,
                 201);
        const QString id = sb.create(R"({"secrets":{"POOL_KEY":"POOL_KEY"}})");
        QVERIFY(before.contains(id));
        const QJsonObject env = toolboxEnv(id);
        QVERIFY(env.value(QStringLiteral("POOL_KEY")).toString().startsWith(QStringLiteral("dtn_secret_")));
        const QString bundle = env.value(QStringLiteral("SSL_CERT_FILE")).toString();
        QVERIFY(!bundle.isEmpty());
        QCOMPARE(sb.exec(id, QStringLiteral("test -s ") + bundle + QStringLiteral(" && echo present"))
                     .out.trimmed(),
                 QByteArray("present"));
    }

    void refusedCreateGivesTheMemberBack() {
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 2, 60000);
        QVERIFY(!sb.create(R"({"name":"taken"})").isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 2, 60000);
        const QSet<QString> before = unclaimed();
        const auto r = sb.call("POST", QStringLiteral("/api/sandbox"), R"({"name":"taken"})");
        QCOMPARE(r.status, 409);
        QCOMPARE(ready(), 2);
        QCOMPARE(unclaimed(), before);
    }

    void deadMemberIsSkipped() {
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 2, 60000);
        const QSet<QString> before = unclaimed();
        for (const auto& id : before) // both members die behind coved's back
            QCOMPARE(run(QStringLiteral("docker"), {QStringLiteral("kill"), QStringLiteral("cove-") + id})
                         .exitCode,
                     0);
        const QString id = sb.create();
        QVERIFY(!id.isEmpty());
        QVERIFY(!before.contains(id));
        QCOMPARE(sb.state(id), QStringLiteral("started"));
        // The dead are removed and replaced.
        QTRY_VERIFY_WITH_TIMEOUT(!unclaimed().intersects(before), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 2, 60000);
    }

    void shutdownRemovesMembersAndKeepsSandboxes() {
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 2, 60000);
        const QString claimed = sb.created().value(0);
        coved.stop();
        QCOMPARE(unclaimed().size(), 0);
        QVERIFY(Sandboxes::container(claimed)
                    .value(QStringLiteral("State"))
                    .toObject()
                    .value(QStringLiteral("Running"))
                    .toBool());
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("2")}),
                 qPrintable(coved.error()));
        QCOMPARE(sb.state(claimed), QStringLiteral("started"));
        QCOMPARE(toolboxEnv(claimed).value(QStringLiteral("FOO")).toString(), QStringLiteral("bar baz"));
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 2, 60000);
    }

    void membersOfAKilledCovedAreReplaced() {
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 2, 60000);
        const QSet<QString> before = unclaimed();
        coved.kill();
        QCOMPARE(unclaimed(), before); // nobody removed them
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("2")}),
                 qPrintable(coved.error()));
        QVERIFY(!unclaimed().intersects(before)); // removed before coved served
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 2, 60000);
    }

    void poolCanBeTurnedOff() {
        CovedProcess off;
        QVERIFY2(off.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}), qPrintable(off.error()));
        const auto info = request("GET", off.apiUrl() + QStringLiteral("/info"), off.adminKey()).object();
        QCOMPARE(info.value(QStringLiteral("warmPool")).toObject().value(QStringLiteral("size")).toInt(), 0);
        Sandboxes offSb{off};
        const QString id = offSb.create();
        QVERIFY(!id.isEmpty());
        QCOMPARE(offSb.state(id), QStringLiteral("started"));
        const auto r = run(QStringLiteral("docker"),
                           {QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--filter"),
                            QStringLiteral("label=cove.instance=") + off.instance(),
                            QStringLiteral("--filter"), QStringLiteral("label=cove.pool=true")});
        QVERIFY(r.out.trimmed().isEmpty());
        QVERIFY(run(QStringLiteral("docker"), {QStringLiteral("inspect"), QStringLiteral("cove-") + id})
                    .out.contains("\"Memory\": 1073741824"));
    }

    void badPoolSizeIsRefused() {
        CovedProcess bad;
        QVERIFY(!bad.start({QStringLiteral("--warm-pool"), QStringLiteral("lots")}));
        QVERIFY2(bad.error().contains(QStringLiteral("--warm-pool wants a number")), qPrintable(bad.error()));
    }
};

QTEST_GUILESS_MAIN(TestWarmPool)
#include "tst_warm_pool.moc"
