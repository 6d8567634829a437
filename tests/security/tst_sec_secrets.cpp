// Secrets on a real coved with a real sandbox: the routes refuse bad input with a sentence, another
// organization's key can neither read, list, change, delete nor mount a secret, a key without manage:secrets
// is refused, and the value is in no answer, audit row or log line, nor in the database file. In the sandbox
// the mounted variable holds the placeholder; the value is nowhere inside (environments, files, process
// memory). A create naming an unknown secret makes nothing.
#include "support/AnswerLog.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Intruder.h"
#include "support/Sandboxes.h"
#include "support/SecretScan.h"

#include <QElapsedTimer>

#include <QJsonArray>
#include <QtTest>

using namespace cove::test;

namespace {

constexpr const char* kValue = "sk-sec-3c9a1f70e2-value";

} // namespace

class TestSecSecrets : public QObject, AnswerLog {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};
    QString intruderKey, narrowKey, secretId, placeholder, sandboxId;
    QElapsedTimer elapsed;
    int sandboxCount() { return admin("GET", QStringLiteral("/api/sandbox")).json().array().size(); }

public:
    // The log keeps a reference to coved, made just after it.
    TestSecSecrets()
        : AnswerLog(coved) {}

private slots:
    void initTestCase() {
        elapsed.start();
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        intruderKey = addIntruder(coved);
        narrowKey = admin("POST", QStringLiteral("/api/api-keys"),
                          "{\"name\":\"narrow\",\"permissions\":[\"write:sandboxes\",\"delete:sandboxes\"]}")
                        .object()
                        .value(QStringLiteral("value"))
                        .toString();
        QVERIFY(!narrowKey.isEmpty());
        const Reply made =
            admin("POST", QStringLiteral("/api/secret"),
                  QByteArray("{\"name\":\"API_KEY\",\"value\":\"") + kValue +
                      "\",\"description\":\"the test's\",\"hosts\":[\"api.secret.test\",\"*.Example.org\"]}");
        QCOMPARE(made.status, 201);
        const QJsonObject s = made.object();
        secretId = s.value(QStringLiteral("id")).toString();
        placeholder = s.value(QStringLiteral("placeholder")).toString();
        QVERIFY(placeholder.startsWith(QStringLiteral("dtn_secret_")));
        QVERIFY(!s.contains(QStringLiteral("value")));
        QCOMPARE(s.value(QStringLiteral("hosts")).toArray(),
                 (QJsonArray{QStringLiteral("api.secret.test"), QStringLiteral("*.example.org")}));
    }

    void cleanupTestCase() {
        sb.removeAll();
        qInfo("tst_sec_secrets took %lld ms", static_cast<long long>(elapsed.elapsed()));
    }

    void badInputIsRefusedWithASentence() {
        const auto post = [&](const QByteArray& body) {
            return admin("POST", QStringLiteral("/api/secret"), body);
        };
        QCOMPARE(post("{not json").status, 400);
        QCOMPARE(post("[1]").status, 400);
        for (const char* name : {"1abc", "has space", "semi;colon", "", "a/b"}) {
            const Reply r = post(QByteArray("{\"name\":\"") + name + "\",\"value\":\"v\"}");
            QVERIFY2(r.status == 400 &&
                         r.object().value(QStringLiteral("field")).toString() == QStringLiteral("name"),
                     name);
        }
        QCOMPARE(post("{\"name\":\"NO_VALUE\"}").message(),
                 QStringLiteral("'value' is required: the secret's value."));
        QCOMPARE(post("{\"name\":\"NL\",\"value\":\"a\\nb\"}").status, 400);
        for (const char* host : {"https://api.example.com", "api.example.com:443", "*", "a..b",
                                 "api.example.com/x", "*.*.example.com", "bad_host.example.com"}) {
            const Reply r = post(QByteArray("{\"name\":\"H\",\"value\":\"v\",\"hosts\":[\"") + host + "\"]}");
            QVERIFY2(r.status == 400 &&
                         r.object().value(QStringLiteral("field")).toString() == QStringLiteral("hosts"),
                     host);
        }
        const QByteArray tooBig(65 << 10, 'v');
        const Reply big = post("{\"name\":\"BIG\",\"value\":\"" + tooBig + "\"}");
        QCOMPARE(big.status, 400);
        QVERIFY(!big.body.contains(tooBig.left(100)));
        // A taken name: 409, and the first one stays as it was.
        const Reply dup = post("{\"name\":\"API_KEY\",\"value\":\"other\"}");
        QCOMPARE(dup.status, 409);
        QVERIFY2(dup.message().contains(QStringLiteral("exists in this organization already")),
                 qPrintable(dup.message()));
        const Reply page = admin("GET", QStringLiteral("/api/secret/paginated?sort=size"));
        QCOMPARE(page.status, 400);
        QCOMPARE(admin("GET", QStringLiteral("/api/secret")).json().array().size(), 1); // nothing added
    }

    void listsPageSortAndFilter() {
        for (const char* name : {"b_second", "c_third"})
            QCOMPARE(admin("POST", QStringLiteral("/api/secret"),
                           QByteArray("{\"name\":\"") + name + "\",\"value\":\"x\"}")
                         .status,
                     201);
        const QJsonObject first =
            admin("GET", QStringLiteral("/api/secret/paginated?limit=2&sort=name&order=asc")).object();
        QCOMPARE(first.value(QStringLiteral("total")).toInt(), 3);
        const QJsonArray items = first.value(QStringLiteral("items")).toArray();
        QCOMPARE(items.size(), 2);
        QCOMPARE(items.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("API_KEY"));
        const QString cursor = first.value(QStringLiteral("nextCursor")).toString();
        QVERIFY(!cursor.isEmpty());
        const QJsonObject second =
            admin("GET", QStringLiteral("/api/secret/paginated?limit=2&sort=name&order=asc&cursor=") + cursor)
                .object();
        QCOMPARE(second.value(QStringLiteral("items"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString(),
                 QStringLiteral("c_third"));
        QVERIFY(second.value(QStringLiteral("nextCursor")).isNull());
        QCOMPARE(admin("GET", QStringLiteral("/api/secret/paginated?name=third"))
                     .object()
                     .value(QStringLiteral("total"))
                     .toInt(),
                 1);
    }

    void anotherOrganizationCannotReadListChangeDeleteOrMount() {
        const QString path = QStringLiteral("/api/secret/") + secretId;
        QCOMPARE(as(intruderKey, "GET", QStringLiteral("/api/secret")).json().array().size(), 0);
        QCOMPARE(as(intruderKey, "GET", QStringLiteral("/api/secret/paginated"))
                     .object()
                     .value(QStringLiteral("total"))
                     .toInt(),
                 0);
        QCOMPARE(as(intruderKey, "GET", path).status, 404);
        QCOMPARE(as(intruderKey, "PATCH", path, "{\"hosts\":[\"evil.example.com\"]}").status, 404);
        QCOMPARE(as(intruderKey, "DELETE", path).status, 404);
        // Its own sandbox naming our secret: the name is looked up in its own organization only.
        const Reply mount =
            as(intruderKey, "POST", QStringLiteral("/api/sandbox"), "{\"secrets\":[{\"K\":\"API_KEY\"}]}");
        QCOMPARE(mount.status, 400);
        QCOMPARE(mount.object().value(QStringLiteral("field")).toString(), QStringLiteral("secrets"));
        QCOMPARE(admin("GET", path).object().value(QStringLiteral("hosts")).toArray().size(), 2); // unchanged
    }

    void aKeyWithoutManageSecretsIsRefused() {
        const QString path = QStringLiteral("/api/secret/") + secretId;
        QCOMPARE(as(narrowKey, "GET", QStringLiteral("/api/secret")).status, 403);
        QCOMPARE(as(narrowKey, "GET", path).status, 403);
        QCOMPARE(
            as(narrowKey, "POST", QStringLiteral("/api/secret"), "{\"name\":\"N\",\"value\":\"v\"}").status,
            403);
        QCOMPARE(as(narrowKey, "PATCH", path, "{\"value\":\"stolen\"}").status, 403);
        QCOMPARE(as(narrowKey, "DELETE", path).status, 403);
    }

    void anUnknownSecretMakesNoSandbox() {
        const int before = sandboxCount();
        const Reply r = admin("POST", QStringLiteral("/api/sandbox"), "{\"secrets\":[{\"K\":\"NO_SUCH\"}]}");
        QCOMPARE(r.status, 400);
        QVERIFY2(r.message().contains(QStringLiteral("Secret 'NO_SUCH' does not exist")),
                 qPrintable(r.message()));
        QCOMPARE(
            admin("POST", QStringLiteral("/api/sandbox"), "{\"secrets\":[{\"1BAD\":\"API_KEY\"}]}").status,
            400);
        QCOMPARE(admin("POST", QStringLiteral("/api/sandbox"), "{\"secrets\":\"API_KEY\"}").status, 400);
        QCOMPARE(admin("POST", QStringLiteral("/api/sandbox"),
                       "{\"env\":{\"K\":\"x\"},\"secrets\":[{\"K\":\"API_KEY\"}]}")
                     .status,
                 400);
        QCOMPARE(sandboxCount(), before);
    }

    void theSandboxSeesThePlaceholderAndNeverTheValue() {
        sandboxId = sb.create("{\"secrets\":[{\"API_KEY\":\"API_KEY\"}]}");
        QVERIFY(!sandboxId.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(sb.state(sandboxId), QStringLiteral("started"), 60000);
        const QJsonArray mounted =
            admin("GET", QStringLiteral("/api/sandbox/%1/secrets").arg(sandboxId)).json().array();
        QCOMPARE(mounted.size(), 1);
        QCOMPARE(mounted.at(0).toObject().value(QStringLiteral("env")).toString(), QStringLiteral("API_KEY"));
        QCOMPARE(mounted.at(0).toObject().value(QStringLiteral("placeholder")).toString(), placeholder);
        QCOMPARE(as(intruderKey, "GET", QStringLiteral("/api/sandbox/%1/secrets").arg(sandboxId)).status,
                 404);
        QCOMPARE(as(intruderKey, "PUT", QStringLiteral("/api/sandbox/%1/secrets").arg(sandboxId),
                    "{\"secrets\":[]}")
                     .status,
                 404);

        QCOMPARE(sb.exec(sandboxId, QStringLiteral("printenv API_KEY")).out.trimmed(), placeholder.toUtf8());
        // The interception CA is there for TLS clients, the host's bundle with it.
        const auto trust =
            sb.exec(sandboxId, QStringLiteral("printenv SSL_CERT_FILE REQUESTS_CA_BUNDLE "
                                              "NODE_EXTRA_CA_CERTS; grep -c BEGIN /run/cove/ca-bundle.pem"));
        QVERIFY2(trust.out.contains("/run/cove/ca-bundle.pem") &&
                     trust.out.contains("/run/cove/secrets-ca.pem"),
                 trust.out.constData());
        // The value: in no file, and in no process's environment, command line or memory.
        const QByteArray scan = scanForSecret(sb, sandboxId, kValue);
        QVERIFY2(secretNowhere(scan), scan.constData());
    }

    void replacingTheSetAndDeletingAMountedSecret() {
        const QString path = QStringLiteral("/api/sandbox/%1/secrets").arg(sandboxId);
        QCOMPARE(admin("PUT", path, "{\"secrets\":[{\"X\":\"NO_SUCH\"}]}").status, 400);
        QCOMPARE(admin("GET", path).json().array().size(), 1); // nothing changed
        const Reply busy = admin("DELETE", QStringLiteral("/api/secret/") + secretId);
        QCOMPARE(busy.status, 409);
        QVERIFY2(busy.message().contains(sandboxId), qPrintable(busy.message()));
        const Reply moved = admin("PUT", path, "{\"secrets\":[{\"OTHER_NAME\":\"API_KEY\"}]}");
        QCOMPARE(moved.status, 200);
        const QJsonObject env = moved.object().value(QStringLiteral("env")).toObject();
        QCOMPARE(env.value(QStringLiteral("OTHER_NAME")).toString(), placeholder);
        QVERIFY(!env.contains(QStringLiteral("API_KEY")));
        QCOMPARE(admin("PUT", path, "{\"secrets\":[]}").status, 200);
        QCOMPARE(admin("GET", path).json().array().size(), 0);
        QCOMPARE(admin("DELETE", QStringLiteral("/api/secret/") + secretId).status, 204);
        QCOMPARE(admin("GET", QStringLiteral("/api/secret/") + secretId).status, 404);
    }

    void theValueIsNowhereElse() {
        QByteArray where;
        QVERIFY2(!leaked(kValue, &where), where.constData());
        const QByteArray audit = admin("GET", QStringLiteral("/api/audit?limit=200")).body;
        QVERIFY(audit.contains("\"secret\""));
        QVERIFY(audit.contains("update_secrets"));
        QFile db(coved.dataDir() + QStringLiteral("/cove.db"));
        if (db.open(QIODevice::ReadOnly))
            QVERIFY(!db.readAll().contains(kValue));
    }
};

QTEST_GUILESS_MAIN(TestSecSecrets)
#include "tst_sec_secrets.moc"
