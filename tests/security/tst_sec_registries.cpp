// Attacks on private registries, on a real coved and a real registry (Debian's docker-registry with
// basic auth): another organization's key, a narrower key, malformed and oversize bodies, URLs carrying
// credentials, and another organization naming the registry's image once it sits in the engine's cache.
#include "support/AnswerLog.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/LocalRegistry.h"
#include "support/Sandboxes.h"

#include "common/Time.h"
#include "service/domain/Keys.h"
#include "service/store/Store.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QtTest>

using namespace cove::test;

namespace {

constexpr const char* kUser = "cove";
constexpr const char* kPassword = "Pw-sec-7c1f0e3a-registry";

QByteArray registryBody(const QString& host, const QString& password = QString::fromLatin1(kPassword)) {
    return QString::fromUtf8("{\"name\":\"private\",\"url\":\"http://"
                             "%1\",\"username\":\"%2\",\"password\":\"%3\",\"project\":\"proj\"}")
        .arg(host, QString::fromLatin1(kUser), password)
        .toUtf8();
}

} // namespace

class TestSecRegistries : public QObject, AnswerLog {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};
    LocalRegistry registry{QString::fromLatin1(kUser), QString::fromLatin1(kPassword)};
    QString otherKey, narrowKey, writeOnlyKey, registryId, image;
    QElapsedTimer elapsed;
    QString snapshotState(const QString& key, const QString& name) {
        return as(key, "GET", QStringLiteral("/api/snapshots/") + name)
            .object()
            .value(QStringLiteral("state"))
            .toString();
    }

public:
    // The log keeps a reference to coved, made just after it.
    TestSecRegistries()
        : AnswerLog(coved) {}

private slots:
    void initTestCase() {
        elapsed.start();
        QVERIFY2(registry.start(), qPrintable(registry.error()));
        QVERIFY2(registry.push(QStringLiteral("cove-debian:latest"), QStringLiteral("proj/img:1")),
                 qPrintable(registry.error()));
        image = registry.host() + QStringLiteral("/proj/img:1");
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        // Another organization and its all-scopes key, made in the store as an installation with several
        // organizations would have them.
        {
            auto db = cove::store::open(coved.database().toStdString());
            db->exec("INSERT INTO organizations (id, name, created_at) VALUES ('org-b', 'B', 1)");
            cove::domain::Keys keys(*db);
            const cove::domain::Principal maker{"k", "maker", "org-b", {"*"}};
            otherKey = QString::fromStdString(
                keys.create({{"name", "b"}, {"permissions", cove::domain::Keys::knownScopes()}}, maker,
                            cove::toMillis(std::chrono::system_clock::now()))["value"]
                    .get<std::string>());
        }
        const auto keyOf = [&](const char* body) {
            return admin("POST", QStringLiteral("/api/api-keys"), body)
                .object()
                .value(QStringLiteral("value"))
                .toString();
        };
        narrowKey = keyOf("{\"name\":\"narrow\",\"permissions\":[\"write:sandboxes\",\"write:snapshots\"]}");
        writeOnlyKey = keyOf("{\"name\":\"write-only\",\"permissions\":[\"write:registries\"]}");
        QVERIFY(!otherKey.isEmpty() && !narrowKey.isEmpty() && !writeOnlyKey.isEmpty());
        const Reply made =
            admin("POST", QStringLiteral("/api/docker-registry"), registryBody(registry.host()));
        QCOMPARE(made.status, 201);
        registryId = made.object().value(QStringLiteral("id")).toString();
    }

    void cleanupTestCase() {
        sb.removeAll();
        for (const auto* name : {"mine", "theirs"})
            admin("DELETE", QStringLiteral("/api/snapshots/") + QString::fromLatin1(name));
        qInfo("tst_sec_registries took %lld ms", static_cast<long long>(elapsed.elapsed()));
    }

    void anotherOrganizationCannotSeeOrTouchTheRegistry() {
        QCOMPARE(as(otherKey, "GET", QStringLiteral("/api/docker-registry")).json().array().size(), 0);
        const QString path = QStringLiteral("/api/docker-registry/") + registryId;
        QCOMPARE(as(otherKey, "GET", path).status, 404);
        const QByteArray body1 = "{\"name\":\"stolen\",\"url\":\"http://evil.example\",\"password\":\"x\"}";
        QCOMPARE(as(otherKey, "PATCH", path, body1).status, 404);
        QCOMPARE(as(otherKey, "DELETE", path).status, 404);
        QCOMPARE(as(otherKey, "GET", QStringLiteral("/api/docker-registry/registry-push-access")).status,
                 404);
        const QJsonObject mine = admin("GET", path).object();
        QCOMPARE(mine.value(QStringLiteral("name")).toString(), QStringLiteral("private"));
        QCOMPARE(mine.value(QStringLiteral("url")).toString(), registry.host());
    }

    void aNarrowerKeyIsRefused() {
        const QString path = QStringLiteral("/api/docker-registry/") + registryId;
        QCOMPARE(as(narrowKey, "POST", QStringLiteral("/api/docker-registry"), registryBody(registry.host()))
                     .status,
                 403);
        const QByteArray body2 = "{\"name\":\"renamed\"}";
        QCOMPARE(as(narrowKey, "PATCH", path, body2).status, 403);
        QCOMPARE(as(narrowKey, "DELETE", path).status, 403);
        QCOMPARE(as(narrowKey, "GET", QStringLiteral("/api/docker-registry/registry-push-access")).status,
                 403);
        QCOMPARE(as(writeOnlyKey, "DELETE", path).status, 403); // delete:registries is its own scope
        // Only the admin marks the default a push is handed.
        QCOMPARE(as(writeOnlyKey, "POST",
                    QStringLiteral("/api/admin/docker-registry/%1/set-default").arg(registryId))
                     .status,
                 403);
        QCOMPARE(admin("GET", path).object().value(QStringLiteral("name")).toString(),
                 QStringLiteral("private"));
    }

    void malformedBodiesAndUrlsAreRefusedClearly() {
        const auto post = [&](const QByteArray& body) {
            return admin("POST", QStringLiteral("/api/docker-registry"), body);
        };
        QCOMPARE(post("{not json").status, 400);
        QCOMPARE(post("[1,2]").status, 400);
        const QByteArray body3 = "{\"name\":\"x\",\"url\":\"registry.example.com\",\"username\":\"u\"}";
        QCOMPARE(post(body3).message(),
                 QStringLiteral("'password' is required: the registry user's password or token."));
        const QByteArray body4 = "{\"name\":\"x\",\"url\":7,\"username\":\"u\",\"password\":\"p\"}";
        QCOMPARE(post(body4).status, 400);
        const Reply embedded =
            post("{\"name\":\"x\",\"url\":\"https://"
                 "u:hunter2@registry.example.com\",\"username\":\"u\",\"password\":\"p\"}");
        QCOMPARE(embedded.status, 400);
        QVERIFY2(embedded.message().contains(QStringLiteral("must not hold credentials")),
                 qPrintable(embedded.message()));
        QVERIFY(!embedded.body.contains("hunter2"));
        for (const char* url :
             {"ftp://registry.example.com", "registry.example.com/team", "host:99999", "bad host", "https://",
              "reg_istry.example.com", "host:", "a..b", "myregistry"}) {
            const Reply r = post(
                QString::fromUtf8("{\"name\":\"x\",\"url\":\"%1\",\"username\":\"u\",\"password\":\"p\"}")
                    .arg(QString::fromLatin1(url))
                    .toUtf8());
            QVERIFY2(r.status == 400 &&
                         r.object().value(QStringLiteral("field")).toString() == QStringLiteral("url"),
                     url);
        }
        const QByteArray body5 = "{\"name\":\"x\",\"url\":\"r.example.com\",\"username\":\"u\",\"password\":"
                                 "\"p\",\"project\":\"/Up\"}";
        QCOMPARE(post(body5).status, 400);
        const QByteArray longPassword(5000, 'p');
        const Reply oversize =
            post("{\"name\":\"x\",\"url\":\"r.example.com\",\"username\":\"u\",\"password\":\"" +
                 longPassword + "\"}");
        QCOMPARE(oversize.status, 400);
        QVERIFY(!oversize.body.contains(longPassword.left(100)));
        const Reply huge = post("{\"name\":\"" + QByteArray(64 << 20, 'n') + "\"}");
        QVERIFY2(huge.status == 413 || huge.status == 400, qPrintable(QString::number(huge.status)));
        QCOMPARE(admin("GET", QStringLiteral("/api/docker-registry")).json().array().size(),
                 1); // nothing added
    }

    void aNewUrlNeedsThePasswordAgain() {
        const QString path = QStringLiteral("/api/docker-registry/") + registryId;
        const Reply r = admin("PATCH", path, "{\"url\":\"https://collector.example.com\"}");
        QCOMPARE(r.status, 400);
        QCOMPARE(r.object().value(QStringLiteral("field")).toString(), QStringLiteral("password"));
        QCOMPARE(admin("GET", path).object().value(QStringLiteral("url")).toString(), registry.host());
    }

    // Once organization A's snapshot brought the image into the engine, B naming it gets nothing: the
    // registry is asked with B's credentials (none), not the engine's cache or A's.
    void anotherOrganizationCannotUseTheCredentialsOrTheCachedImage() {
        const QByteArray mine =
            QString::fromUtf8("{\"name\":\"mine\",\"imageName\":\"%1\"}").arg(image).toUtf8();
        QCOMPARE(admin("POST", QStringLiteral("/api/snapshots"), mine).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(snapshotState(coved.adminKey(), QStringLiteral("mine")),
                                  QStringLiteral("active"), 120000);
        QCOMPARE(run(QStringLiteral("docker"), {QStringLiteral("image"), QStringLiteral("inspect"), image})
                     .exitCode,
                 0);

        const QByteArray theirsBody =
            QString::fromUtf8("{\"name\":\"theirs\",\"imageName\":\"%1\"}").arg(image).toUtf8();
        QCOMPARE(as(otherKey, "POST", QStringLiteral("/api/snapshots"), theirsBody).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(
            snapshotState(otherKey, QStringLiteral("theirs")) == QStringLiteral("error") ||
                snapshotState(otherKey, QStringLiteral("theirs")) == QStringLiteral("active"),
            120000);
        const QJsonObject theirs = as(otherKey, "GET", QStringLiteral("/api/snapshots/theirs")).object();
        QCOMPARE(theirs.value(QStringLiteral("state")).toString(), QStringLiteral("error"));
        const QString reason = theirs.value(QStringLiteral("errorReason")).toString();
        QVERIFY2(reason.contains(QStringLiteral("wants credentials")), qPrintable(reason));
        QVERIFY(!reason.contains(QString::fromLatin1(kPassword)));
        qInfo("their snapshot's error: %s", qPrintable(reason));
        // A sandbox of theirs built FROM the image fails the same way.
        const Reply built = as(
            otherKey, "POST", QStringLiteral("/api/sandbox"),
            QString::fromUtf8("{\"buildInfo\":{\"dockerfileContent\":\"FROM %1\\n\"}}").arg(image).toUtf8());
        QCOMPARE(built.status, 200);
        const QString id = built.object().value(QStringLiteral("id")).toString();
        sb.adopt(id);
        QTRY_VERIFY_WITH_TIMEOUT(as(otherKey, "GET", QStringLiteral("/api/sandbox/") + id)
                                         .object()
                                         .value(QStringLiteral("state"))
                                         .toString() == QStringLiteral("build_failed"),
                                 120000);
    }

    void thePasswordIsInNoAnswerAndNoLog() {
        QByteArray where;
        QVERIFY2(!leaked(kPassword, &where), where.constData());
    }
};

QTEST_GUILESS_MAIN(TestSecRegistries)
#include "tst_sec_registries.moc"
