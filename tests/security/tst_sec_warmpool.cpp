// Attacks on warm pools (/api/warm-pools) from another organization's key, a narrower key and bad
// bodies, on a real coved: another organization can neither see, resize nor delete a pool, nor be handed
// one of its warm sandboxes, and a warm sandbox carries no earlier claimant's environment; sizes beyond
// the limits or the quota and malformed bodies are refused with a sentence that says what to do.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include "service/store/Store.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QSet>
#include <QtTest>

using namespace cove::test;

class TestSecWarmPool : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};
    QString poolId;
    const QString rivalKey = QStringLiteral("cove_") + QString(64, QLatin1Char('7'));
    QStringList rivalSandboxes;

    Reply as(const QString& key, const QByteArray& method, const QString& path, const QByteArray& body = {}) {
        return request(method, coved.url() + path, key, body);
    }
    Reply rival(const QByteArray& method, const QString& path, const QByteArray& body = {}) {
        return as(rivalKey, method, path, body);
    }
    int ready() const {
        for (const auto& v : sb.call("GET", QStringLiteral("/api/warm-pools")).json().array())
            if (v.toObject().value(QStringLiteral("id")).toString() == poolId)
                return v.toObject().value(QStringLiteral("currentSize")).toInt();
        return -1;
    }
    QSet<QString> unclaimed() const {
        QSet<QString> ids = coved.poolContainers();
        for (const auto& id : sb.created() + rivalSandboxes)
            ids.remove(id);
        return ids;
    }
    void expectRefused(const QByteArray& method, const QString& path, const QByteArray& body, int status,
                       const QString& says) {
        const Reply r = sb.call(method, path, body);
        QVERIFY2(r.status == status, qPrintable(QString::number(r.status) + QLatin1Char(' ') + r.body));
        QVERIFY2(r.message().contains(says), qPrintable(r.message()));
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        // Another organization with a key of every scope, as a second tenant of the installation has.
        const auto store = cove::store::open(coved.database().toStdString());
        store->exec("INSERT INTO organizations (id, name, created_at) VALUES ('rival', 'Rival', 0)");
        const std::string hash =
            QCryptographicHash::hash(rivalKey.toUtf8(), QCryptographicHash::Sha256).toHex().toStdString();
        store->exec(
            "INSERT INTO api_keys (id, organization_id, name, key_hash, key_prefix, key_suffix, scopes, "
            "created_at) VALUES ('rival-key', 'rival', 'rival', ?, 'cove_777', '7777', '[\"*\"]', 0)",
            {hash});
        QCOMPARE(rival("GET", QStringLiteral("/api/warm-pools")).status, 200);

        const auto r =
            sb.call("POST", QStringLiteral("/api/warm-pools"), R"({"snapshot":"cove-base","pool":1})");
        QCOMPARE(r.status, 200);
        poolId = r.object().value(QStringLiteral("id")).toString();
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 1, 60000);
    }

    void anotherOrganizationCannotSeeOrChangeThePool() {
        const Reply list = rival("GET", QStringLiteral("/api/warm-pools"));
        QCOMPARE(list.status, 200);
        QVERIFY2(!list.body.contains(poolId.toUtf8()), list.body.constData());
        QCOMPARE(rival("PATCH", QStringLiteral("/api/warm-pools/") + poolId, R"({"pool":0})").status, 404);
        QCOMPARE(rival("DELETE", QStringLiteral("/api/warm-pools/") + poolId).status, 404);
        QCOMPARE(ready(), 1);
        QCOMPARE(unclaimed().size(), 1);
        // Its own pool of the same snapshot is its own business: no conflict that would reveal ours.
        const Reply own =
            rival("POST", QStringLiteral("/api/warm-pools"), R"({"snapshot":"cove-base","pool":0})");
        QCOMPARE(own.status, 200);
        QCOMPARE(own.object().value(QStringLiteral("organizationId")).toString(), QStringLiteral("rival"));
    }

    void anotherOrganizationIsNeverHandedAWarmSandbox() {
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 1, 60000);
        const QSet<QString> warm = unclaimed();
        const Reply r = rival("POST", QStringLiteral("/api/sandbox"), R"({"snapshot":"cove-base"})");
        QCOMPARE(r.status, 200);
        const QString id = r.object().value(QStringLiteral("id")).toString();
        rivalSandboxes << id;
        QVERIFY2(!warm.contains(id), "another organization's create took our warm sandbox");
        QCOMPARE(unclaimed(), warm);
        QCOMPARE(ready(), 1);
        QCOMPARE(rival("DELETE", QStringLiteral("/api/sandbox/") + id).status, 200);
    }

    void aWarmSandboxCarriesNoEarlierEnvironment() {
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 1, 60000);
        const QSet<QString> warm = unclaimed();
        const QString first = sb.create(R"({"snapshot":"cove-base","env":{"SECRET":"s3cret"}})");
        QVERIFY(warm.contains(first));
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 1, 60000);
        const QString next = *unclaimed().begin();
        const QByteArray env = run(QStringLiteral("docker"),
                                   {QStringLiteral("inspect"), QStringLiteral("-f"),
                                    QStringLiteral("{{json .Config.Env}}"), QStringLiteral("cove-") + next})
                                   .out;
        QVERIFY2(!env.contains("s3cret"), env.constData());
        const QString second = sb.create(R"({"snapshot":"cove-base"})");
        QCOMPARE(second, next);
        QCOMPARE(sb.exec(second, QStringLiteral("echo \"[$SECRET]\"")).out.trimmed(), QByteArray("[]"));
    }

    void aNarrowerKeyCannotChangePools() {
        const Reply k = sb.call("POST", QStringLiteral("/api/api-keys"),
                                R"({"name":"reader","permissions":["read:volumes"]})");
        QCOMPARE(k.status, 201);
        const QString key = k.object().value(QStringLiteral("value")).toString();
        QCOMPARE(as(key, "GET", QStringLiteral("/api/warm-pools")).status, 200);
        QCOMPARE(as(key, "POST", QStringLiteral("/api/warm-pools"), R"({"snapshot":"cove-desktop","pool":1})")
                     .status,
                 403);
        QCOMPARE(as(key, "PATCH", QStringLiteral("/api/warm-pools/") + poolId, R"({"pool":5})").status, 403);
        QCOMPARE(as(key, "DELETE", QStringLiteral("/api/warm-pools/") + poolId).status, 403);
        QCOMPARE(request("GET", coved.url() + QStringLiteral("/api/warm-pools")).status, 401);
    }

    void sizesBeyondTheLimitsAreRefused() {
        const QString path = QStringLiteral("/api/warm-pools/") + poolId;
        expectRefused("PATCH", path, R"({"pool":33})", 400, QStringLiteral("between 0 and 32"));
        expectRefused("PATCH", path, R"({"pool":1000000000000})", 400, QStringLiteral("pool"));
        expectRefused("PATCH", path, R"({"pool":-1})", 400, QStringLiteral("pool"));
        expectRefused("POST", QStringLiteral("/api/warm-pools"), R"({"snapshot":"cove-desktop","pool":33})",
                      400, QStringLiteral("pool"));
        QCOMPARE(
            sb.call("PATCH", QStringLiteral("/api/organizations/personal/quota"), R"({"totalCpuQuota":2})")
                .status,
            200);
        expectRefused("PATCH", path, R"({"pool":3})", 403, QStringLiteral("quota"));
        QCOMPARE(
            sb.call("PATCH", QStringLiteral("/api/organizations/personal/quota"), R"({"totalCpuQuota":10})")
                .status,
            200);
        for (int i = 0; i < 9; ++i) // at most 10 pools (rival's does not count)
            QCOMPARE(sb.call("POST", QStringLiteral("/api/warm-pools"),
                             QByteArray(R"({"snapshot":"cove-base","pool":0,"target":"t)") +
                                 QByteArray::number(i) + "\"}")
                         .status,
                     200);
        expectRefused("POST", QStringLiteral("/api/warm-pools"),
                      R"({"snapshot":"cove-base","pool":0,"target":"x"})", 403, QStringLiteral("at most 10"));
        // The quota cut above took the warm sandbox away (two sandboxes hold both vCPU); it comes back.
        QTRY_COMPARE_WITH_TIMEOUT(ready(), 1, 60000);
    }

    void malformedBodiesAreRefused() {
        const QString path = QStringLiteral("/api/warm-pools/") + poolId;
        const QString create = QStringLiteral("/api/warm-pools");
        expectRefused("PATCH", path, R"({"pool":"2"})", 400, QStringLiteral("whole number"));
        expectRefused("PATCH", path, R"({"pool":1.5})", 400, QStringLiteral("whole number"));
        expectRefused("PATCH", path, R"({"pool":true})", 400, QStringLiteral("whole number"));
        expectRefused("PATCH", path, R"({})", 400, QStringLiteral("'pool' is required"));
        expectRefused("PATCH", path, "[1]", 400, QString());
        expectRefused("PATCH", path, "not json", 400, QString());
        expectRefused("POST", create, R"({"pool":1})", 400, QStringLiteral("'snapshot' is required"));
        expectRefused("POST", create, R"({"snapshot":12,"pool":1})", 400, QStringLiteral("snapshot"));
        expectRefused("POST", create, R"({"snapshot":"a\u0001b","pool":1})", 400, QStringLiteral("snapshot"));
        expectRefused("POST", create,
                      QByteArray(R"({"pool":1,"snapshot":")") + QByteArray(100000, 'a') + "\"}", 400,
                      QStringLiteral("snapshot"));
        expectRefused("POST", create, R"({"snapshot":"cove-base","pool":1,"target":"a b"})", 400,
                      QStringLiteral("target"));
        expectRefused("POST", create, R"({"snapshot":"cove-base","pool":1,"target":7})", 400,
                      QStringLiteral("target"));
        expectRefused("POST", create, R"({"snapshot":"no-such-snapshot","pool":1})", 404,
                      QStringLiteral("GET /api/snapshots"));
        expectRefused("PATCH", QStringLiteral("/api/warm-pools/nope"), R"({"pool":1})", 404,
                      QStringLiteral("GET /api/warm-pools"));
        QCOMPARE(ready(), 1); // nothing lost
        QCOMPARE(sb.call("GET", QStringLiteral("/api/health")).status, 200);
    }

    void cleanupTestCase() {
        removeSandboxContainers(rivalSandboxes);
        sb.removeAll();
        coved.stop();
    }
};

QTEST_GUILESS_MAIN(TestSecWarmPool)
#include "tst_sec_warmpool.moc"
