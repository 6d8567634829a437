// Private registries end to end: a real registry (Debian's docker-registry with basic auth) holding an
// image pushed by the engine, registered through coved's API; a snapshot and a sandbox built from the
// image are pulled with its credentials, a wrong password fails clearly, and the password shows up in no
// answer, audit row, log line, or the sandbox.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/LocalRegistry.h"
#include "support/Sandboxes.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QtTest>

using namespace cove::test;

namespace {

constexpr const char* kUser = "pusher";
constexpr const char* kPassword = "Pw-e2e-5b9d2c71-registry";

} // namespace

class TestRegistries : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};
    LocalRegistry registry{QString::fromLatin1(kUser), QString::fromLatin1(kPassword)};
    QString registryId, image;
    QElapsedTimer elapsed;
    QList<QByteArray> answers;

    Reply call(const QByteArray& method, const QString& path, const QByteArray& body = {}) {
        Reply r = sb.call(method, path, body);
        answers << r.body;
        return r;
    }
    QJsonObject snapshot(const QString& name) {
        return call("GET", QStringLiteral("/api/snapshots/") + name).object();
    }
    QString settled(const QString& name) {
        const QString s = snapshot(name).value(QStringLiteral("state")).toString();
        return s == QStringLiteral("active") || s == QStringLiteral("error") ? s : QString();
    }

private slots:
    void initTestCase() {
        elapsed.start();
        QVERIFY2(registry.start(), qPrintable(registry.error()));
        QVERIFY2(registry.push(QStringLiteral("cove-debian:latest"), QStringLiteral("team/tools/img:1")),
                 qPrintable(registry.error()));
        image = registry.host() + QStringLiteral("/team/tools/img:1");
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
    }

    void cleanupTestCase() {
        sb.removeAll();
        for (const auto* name : {"private", "private-wrong"})
            call("DELETE", QStringLiteral("/api/snapshots/") + QString::fromLatin1(name));
        // The snapshot the image-name sandbox was built into, and its image with it.
        const auto listed = call("GET", QStringLiteral("/api/snapshots?limit=200")).object();
        for (const auto& item : listed.value(QStringLiteral("items")).toArray()) {
            const QString name = item.toObject().value(QStringLiteral("name")).toString();
            if (name.startsWith(QStringLiteral("build-")))
                call("DELETE", QStringLiteral("/api/snapshots/") + name);
        }
        qInfo("tst_registries took %lld ms", static_cast<long long>(elapsed.elapsed()));
    }

    void registerTheRegistry() {
        const Reply made =
            call("POST", QStringLiteral("/api/docker-registry"),
                 QString::fromUtf8("{\"name\":\"team\",\"url\":\"https://%1/"
                                   "\",\"username\":\"%2\",\"password\":\"%3\",\"project\":\"team\"}")
                     .arg(registry.host(), QString::fromLatin1(kUser), QString::fromLatin1(kPassword))
                     .toUtf8());
        QCOMPARE(made.status, 201);
        const QJsonObject r = made.object();
        registryId = r.value(QStringLiteral("id")).toString();
        QCOMPARE(r.value(QStringLiteral("url")).toString(),
                 registry.host()); // host[:port], as images name it
        QCOMPARE(r.value(QStringLiteral("username")).toString(), QString::fromLatin1(kUser));
        QCOMPARE(r.value(QStringLiteral("project")).toString(), QStringLiteral("team"));
        QCOMPARE(r.value(QStringLiteral("registryType")).toString(), QStringLiteral("organization"));
        QVERIFY(!r.contains(QStringLiteral("password")));
        const QJsonArray all = call("GET", QStringLiteral("/api/docker-registry")).json().array();
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.at(0).toObject().value(QStringLiteral("id")).toString(), registryId);
        // An unrelated change keeps the stored password.
        const QByteArray body1 = "{\"name\":\"team registry\"}";
        QCOMPARE(call("PATCH", QStringLiteral("/api/docker-registry/") + registryId, body1).status, 200);
    }

    void aSnapshotOfTheImageIsPulledWithTheCredentials() {
        QCOMPARE(run(QStringLiteral("docker"), {QStringLiteral("image"), QStringLiteral("inspect"), image})
                     .exitCode,
                 1);
        const QByteArray body =
            QString::fromUtf8("{\"name\":\"private\",\"imageName\":\"%1\"}").arg(image).toUtf8();
        QCOMPARE(call("POST", QStringLiteral("/api/snapshots"), body).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(settled(QStringLiteral("private")), QStringLiteral("active"), 120000);
        const QByteArray log = call("GET", QStringLiteral("/api/snapshots/private/build-logs")).body;
        QVERIFY2(log.contains("with the credentials of registry 'team registry'"), log.constData());
        QCOMPARE(run(QStringLiteral("docker"), {QStringLiteral("image"), QStringLiteral("inspect"), image})
                     .exitCode,
                 0);

        const QString id = sb.create("{\"snapshot\":\"private\"}");
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(sb.state(id), QStringLiteral("started"), 60000);
        // Nothing of the credentials inside: not in the environment of PID 1 or a shell, not in any file.
        const auto inside =
            sb.exec(id, QStringLiteral("cat /proc/1/environ; env; grep -rlsF '%1' / "
                                       "--exclude-dir=proc --exclude-dir=sys --exclude-dir=dev; true")
                            .arg(QString::fromLatin1(kPassword)));
        QCOMPARE(inside.exitCode, 0);
        QVERIFY2(!inside.out.contains(kPassword), inside.out.constData());
        QVERIFY(!inside.out.contains("X-Registry"));
    }

    // What the SDK sends for `image: "<name>"`: a Dockerfile FROM it, built with the credentials.
    void aSandboxFromTheImageNameIsBuiltWithTheCredentials() {
        const QString id =
            sb.create(QString::fromUtf8(
                          "{\"buildInfo\":{\"dockerfileContent\":\"FROM %1\\nRUN echo built > /built\\n\"}}")
                          .arg(image)
                          .toUtf8());
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(sb.state(id), QStringLiteral("started"), 180000);
        QCOMPARE(sb.exec(id, QStringLiteral("cat /built")).out.trimmed(), QByteArray("built"));
    }

    void aWrongPasswordGivesAClearSnapshotError() {
        const QByteArray body2 = "{\"password\":\"Wrong-pw-0042\"}";
        QCOMPARE(call("PATCH", QStringLiteral("/api/docker-registry/") + registryId, body2).status, 200);
        // The engine has the image now: the registry is asked all the same.
        const QByteArray body =
            QString::fromUtf8("{\"name\":\"private-wrong\",\"imageName\":\"%1\"}").arg(image).toUtf8();
        QCOMPARE(call("POST", QStringLiteral("/api/snapshots"), body).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(settled(QStringLiteral("private-wrong")), QStringLiteral("error"), 120000);
        const QString reason =
            snapshot(QStringLiteral("private-wrong")).value(QStringLiteral("errorReason")).toString();
        QVERIFY2(reason.contains(QStringLiteral("refused the credentials of registry 'team registry'")),
                 qPrintable(reason));
        QVERIFY(!reason.contains(QStringLiteral("Wrong-pw-0042")));
        qInfo("the snapshot's error: %s", qPrintable(reason));
    }

    void pushAccessNamesTheDefaultRegistry() {
        QCOMPARE(call("GET", QStringLiteral("/api/docker-registry/registry-push-access")).status, 404);
        const Reply made =
            call("POST", QStringLiteral("/api/admin/docker-registry/%1/set-default").arg(registryId));
        QCOMPARE(made.status, 200);
        QCOMPARE(made.object().value(QStringLiteral("isDefault")).toBool(), true);
        // Its own credentials, deliberately (see README, "Registries"): checked apart from the other answers.
        const QJsonObject access =
            sb.call("GET", QStringLiteral("/api/docker-registry/registry-push-access")).object();
        QCOMPARE(access.value(QStringLiteral("registryUrl")).toString(), registry.host());
        QCOMPARE(access.value(QStringLiteral("registryId")).toString(), registryId);
        QCOMPARE(access.value(QStringLiteral("project")).toString(), QStringLiteral("team"));
        QCOMPARE(access.value(QStringLiteral("username")).toString(), QString::fromLatin1(kUser));
        QCOMPARE(access.value(QStringLiteral("secret")).toString(), QStringLiteral("Wrong-pw-0042"));
        QVERIFY(!access.value(QStringLiteral("expiresAt")).toString().isEmpty());
    }

    void thePasswordIsNowhereElse() {
        for (const auto& body : answers)
            QVERIFY2(!body.contains(kPassword) && !body.contains("Wrong-pw-0042"), body.constData());
        const QByteArray audit = call("GET", QStringLiteral("/api/audit?limit=200")).body;
        QVERIFY(audit.contains("docker_registry"));
        QVERIFY(!audit.contains(kPassword));
        QVERIFY(!coved.log().contains(kPassword));
        QVERIFY(!coved.log().contains("Wrong-pw-0042"));
        // At rest: sealed, not in the database file in the clear.
        QFile db(coved.dataDir() + QStringLiteral("/cove.db"));
        if (db.open(QIODevice::ReadOnly))
            QVERIFY(!db.readAll().contains(kPassword));
        QCOMPARE(call("DELETE", QStringLiteral("/api/docker-registry/") + registryId).status, 204);
        QCOMPARE(call("GET", QStringLiteral("/api/docker-registry")).json().array().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRegistries)
#include "tst_registries.moc"
