// Build contexts: the object storage the SDK uploads Image.addLocalFile/addLocalDir files to. The store
// itself in-process (real files, a manual clock); then a real coved answering S3 calls signed here with
// AWS Signature V4 (the SDK's own uploads are covered by tests/compat/build-context.mjs), and a build
// whose COPY takes a file from an uploaded context.
#include "service/domain/BuildContexts.h"
#include "service/domain/DomainError.h"

#include "common/ApiError.h"

#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/S3.h"
#include "support/Sandboxes.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using cove::test::CovedProcess;
using cove::test::Reply;
using cove::test::xmlField;

namespace {

// A tar of one file, as tar(1) would write it.
QByteArray tarOf(const std::string& name, const std::string& content) {
    return QByteArray::fromStdString(cove::domain::singleFileTar(name, content));
}

// The hash the SDK names a one-file context by (the key's middle part).
std::string hashOf(const std::string& name, const std::string& content) {
    return cove::test::fileContextHash(QByteArray::fromStdString(name), QByteArray::fromStdString(content))
        .toStdString();
}

int statusOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const cove::domain::DomainError& e) {
        return e.status();
    }
    return 200;
}

} // namespace

class TestBuildContexts : public QObject {
    Q_OBJECT
    CovedProcess coved;
    cove::test::Sandboxes sandboxes{coved};
    QJsonObject access; // push-access of the admin key
    QString tag = QString::number(QRandomGenerator::global()->generate(), 16);

    // An S3 request signed with `access` (or with `secret` instead of its own), as the AWS SDK signs.
    Reply s3(const QByteArray& method, const QString& pathAndQuery, const QByteArray& body = {},
             const QByteArray& secret = {}, const QByteArray& payloadHash = {}) {
        return cove::test::signedS3(coved.url(), access, method, pathAndQuery, body, secret, payloadHash);
    }
    QString objectPath(const QString& hash, const QString& org = QStringLiteral("personal")) const {
        return QStringLiteral("/api/object-storage/s3/cove-build-contexts/") + org + QLatin1Char('/') + hash +
               QStringLiteral("/context.tar");
    }

private slots:
    // --- The store, in-process -------------------------------------------------------------------

    void tarsAreCheckedBeforeTheyAreKept() {
        const std::string good = cove::domain::singleFileTar("a.txt", "hello");
        QVERIFY(!cove::domain::tarProblem(good));
        QVERIFY(cove::domain::tarProblem("not a tar at all"));
        QVERIFY(cove::domain::tarProblem(good.substr(0, 600)));  // cut inside the entry
        QVERIFY(cove::domain::tarProblem(good.substr(0, 1024))); // no end blocks
        std::string damaged = good;
        damaged[10] = 'X'; // the name changed under its checksum
        QVERIFY(cove::domain::tarProblem(damaged)->find("checksum") != std::string::npos);
    }

    void keysStayInTheirOrganizationAndForm() {
        QTemporaryDir dir;
        cove::ManualClock clock;
        cove::domain::BuildContexts store(dir.path().toStdString(), clock);
        const std::string tar = cove::domain::singleFileTar("a.txt", "x");
        const std::string abc = hashOf("a.txt", "x");
        QCOMPARE(statusOf([&] { store.put("org", "org/" + abc + "/context.tar", tar); }), 200);
        QCOMPARE(statusOf([&] { store.put("org", "other/" + abc + "/context.tar", tar); }), 403);
        QCOMPARE(statusOf([&] { store.put("org", "org/../other/context.tar", tar); }), 400);
        QCOMPARE(statusOf([&] { store.put("org", "org/" + abc + "/../../x/context.tar", tar); }), 400);
        QCOMPARE(statusOf([&] { store.put("org", "org/" + abc + "/notes.txt", tar); }), 400);
        QCOMPARE(statusOf([&] { store.put("org", "org/" + abc + "/context.tar", "garbage"); }), 400);
        QCOMPARE(statusOf([&] { store.list("org", "other/", 10); }), 403);
        QCOMPARE(store.list("org", "org/", 10).size(), std::size_t(1));
        QCOMPARE(statusOf([&] { store.requireAll("org", {abc}); }), 200);
        QCOMPARE(statusOf([&] { store.requireAll("org", {"missing"}); }), 400);
        QCOMPARE(statusOf([&] { store.requireAll("org", {".."}); }), 400);
        QCOMPARE(statusOf([&] { store.requireAll("another", {abc}); }), 400); // not theirs
        // Nothing landed outside the store.
        QVERIFY(!QFile::exists(dir.path() + QStringLiteral("/other")));
        QVERIFY(!QFile::exists(dir.path() + QStringLiteral("/x")));
    }

    void assembledContextHoldsEveryEntryAndTheDockerfile() {
        QTemporaryDir dir;
        cove::ManualClock clock;
        cove::domain::BuildContexts store(dir.path().toStdString(), clock);
        const std::string one = hashOf("a.txt", "A"), two = hashOf("b/c.txt", "C");
        store.put("org", "org/" + one + "/context.tar", cove::domain::singleFileTar("a.txt", "A"));
        store.put("org", "org/" + two + "/context.tar", cove::domain::singleFileTar("b/c.txt", "C"));
        const std::string whole = store.assemble("org", {one, two}, "FROM x\n");
        QVERIFY(!cove::domain::tarProblem(whole));
        QTemporaryDir out;
        QFile f(out.filePath(QStringLiteral("ctx.tar")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(whole.data(), qint64(whole.size()));
        f.close();
        const auto listed = cove::test::run(QStringLiteral("tar"), {QStringLiteral("-tf"), f.fileName()});
        QCOMPARE(listed.exitCode, 0);
        QCOMPARE(QString::fromUtf8(listed.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts),
                 (QStringList{QStringLiteral("a.txt"), QStringLiteral("b/c.txt"),
                              QStringLiteral(".cove-build/Dockerfile")}));
    }

    void accessExpiresAndMultipartStaysWithinBounds() {
        QTemporaryDir dir;
        cove::ManualClock clock;
        cove::domain::BuildContexts store(dir.path().toStdString(), clock);
        const auto dto = store.pushAccess({"k1", "ci", "org", {"write:sandboxes"}}, "http://h/s3");
        const std::string key = dto["accessKey"];
        QVERIFY(store.grant(key));
        QCOMPARE(store.grant(key)->who.organizationId, std::string("org"));
        QVERIFY(!store.grant("COVE-unknown"));
        clock.advance(cove::domain::BuildContextLimits::kGrantLifetime + std::chrono::seconds(1));
        QVERIFY(!store.grant(key));

        const std::string tar = cove::domain::singleFileTar("a.txt", std::string(3000, 'a'));
        const std::string multi = "org/" + hashOf("a.txt", std::string(3000, 'a')) + "/context.tar";
        const std::string id = store.startUpload("org", multi);
        const std::string e1 = store.putPart("org", multi, id, 1, std::string_view(tar).substr(0, 1024));
        const std::string e2 = store.putPart("org", multi, id, 2, std::string_view(tar).substr(1024));
        QCOMPARE(statusOf([&] { store.putPart("org", multi, "f00d", 3, "x"); }), 404);
        QCOMPARE(statusOf([&] { store.putPart("org", "org/other/context.tar", id, 3, "x"); }), 404);
        QCOMPARE(statusOf([&] { store.complete("org", multi, id, {{2, e2}, {1, e1}}); }), 400);
        QCOMPARE(statusOf([&] { store.complete("org", multi, id, {{1, e2}, {2, e2}}); }), 400);
        store.complete("org", multi, id, {{1, e1}, {2, e2}});
        QCOMPARE(store.list("org", multi.substr(0, multi.rfind('/')), 10).at(0).size,
                 std::uint64_t(tar.size()));
        QCOMPARE(QDir(dir.path() + QStringLiteral("/org/.uploads"))
                     .entryList(QDir::NoDotAndDotDot | QDir::AllEntries),
                 QStringList());
    }

    void sweepRemovesStaleUploadsAndUnusedContexts() {
        QTemporaryDir dir;
        cove::ManualClock clock;
        std::string stale;
        const std::string oldHash = hashOf("a", "old"), newHash = hashOf("a", "new");
        {
            cove::domain::BuildContexts store(dir.path().toStdString(), clock);
            store.put("org", "org/" + oldHash + "/context.tar", cove::domain::singleFileTar("a", "old"));
            store.put("org", "org/" + newHash + "/context.tar", cove::domain::singleFileTar("a", "new"));
            stale = store.startUpload("org", "org/x/context.tar");
            store.startUpload("org", "org/y/context.tar");
        }
        namespace fs = std::filesystem;
        const auto back = [&](const QString& path, std::chrono::hours h) {
            fs::last_write_time(path.toStdString(), fs::file_time_type::clock::now() - h);
        };
        back(dir.path() + QStringLiteral("/org/") + QString::fromStdString(oldHash) +
                 QStringLiteral("/context.tar"),
             cove::domain::BuildContextLimits::kContextRetention + std::chrono::hours(1));
        back(dir.path() + QStringLiteral("/org/.uploads/") + QString::fromStdString(stale),
             cove::domain::BuildContextLimits::kUploadRetention + std::chrono::hours(1));
        cove::domain::BuildContexts again(dir.path().toStdString(), clock);
        QVERIFY(!QFile::exists(dir.path() + QStringLiteral("/org/") + QString::fromStdString(oldHash)));
        QVERIFY(QFile::exists(dir.path() + QStringLiteral("/org/") + QString::fromStdString(newHash) +
                              QStringLiteral("/context.tar")));
        QCOMPARE(QDir(dir.path() + QStringLiteral("/org/.uploads"))
                     .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                     .size(),
                 1);
    }

    // --- A real coved ----------------------------------------------------------------------------

    void startCoved() {
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        const Reply r = sandboxes.call("GET", QStringLiteral("/api/object-storage/push-access"));
        QCOMPARE(r.status, 200);
        access = r.object();
        for (const char* field :
             {"accessKey", "secret", "sessionToken", "storageUrl", "organizationId", "bucket"})
            QVERIFY2(!access.value(QLatin1String(field)).toString().isEmpty(), field);
        QCOMPARE(access.value(QStringLiteral("storageUrl")).toString(),
                 coved.url() + QStringLiteral("/api/object-storage/s3"));
        QCOMPARE(access.value(QStringLiteral("organizationId")).toString(), QStringLiteral("personal"));
        // Tier 1 keeps few snapshots; the build below needs one of its own.
        QCOMPARE(
            sandboxes.call("PUT", QStringLiteral("/api/organizations/personal/tier"), R"({"tier":4})").status,
            200);
    }

    void pushAccessNeedsAWriteScope() {
        const auto made =
            sandboxes.call("POST", QStringLiteral("/api/api-keys"),
                           R"({"name":"reader-)" + tag.toLatin1() + R"(","permissions":["read:volumes"]})");
        QCOMPARE(made.status, 201);
        const QString reader = made.object().value(QStringLiteral("value")).toString();
        const Reply r = cove::test::request(
            "GET", coved.apiUrl() + QStringLiteral("/object-storage/push-access"), reader);
        QCOMPARE(r.status, 403);
        QVERIFY2(r.message().contains(QLatin1String("write:snapshots")), r.body.constData());
        QCOMPARE(
            cove::test::request("GET", coved.apiUrl() + QStringLiteral("/object-storage/push-access")).status,
            401);
    }

    void accessEndsWithTheKeyThatAskedForIt() {
        const QString name = QStringLiteral("builder-") + tag;
        const auto made =
            sandboxes.call("POST", QStringLiteral("/api/api-keys"),
                           R"({"name":")" + name.toLatin1() + R"(","permissions":["write:sandboxes"]})");
        QCOMPARE(made.status, 201);
        const Reply granted =
            cove::test::request("GET", coved.apiUrl() + QStringLiteral("/object-storage/push-access"),
                                made.object().value(QStringLiteral("value")).toString());
        QCOMPARE(granted.status, 200);
        const QJsonObject admins = std::exchange(access, granted.object());
        const QByteArray tar = tarOf("a.txt", "a");
        QCOMPARE(s3("PUT", objectPath(QString::fromStdString(hashOf("a.txt", "a"))), tar).status, 200);
        QCOMPARE(sandboxes.call("DELETE", QStringLiteral("/api/api-keys/") + name).status, 204);
        const Reply after = s3("PUT", objectPath(QStringLiteral("after") + tag), tar);
        access = admins;
        QCOMPARE(after.status, 401);
        QVERIFY(!QFile::exists(coved.dataDir() + QStringLiteral("/build-contexts/personal/after") + tag));
    }

    void signedUploadIsListedOnlyToItsOwner() {
        const QString hash = QString::fromStdString(hashOf("note.txt", "noted"));
        QCOMPARE(
            xmlField(
                s3("GET",
                   QStringLiteral(
                       "/api/object-storage/s3/cove-build-contexts?list-type=2&max-keys=1&prefix=personal/") +
                       hash + QLatin1Char('/'))
                    .body,
                "KeyCount"),
            QStringLiteral("0"));
        const Reply put = s3("PUT", objectPath(hash), tarOf("note.txt", "noted"));
        QCOMPARE(put.status, 200);
        const Reply listed = s3(
            "GET", QStringLiteral(
                       "/api/object-storage/s3/cove-build-contexts?list-type=2&max-keys=1&prefix=personal/") +
                       hash + QLatin1Char('/'));
        QCOMPARE(listed.status, 200);
        QCOMPARE(xmlField(listed.body, "KeyCount"), QStringLiteral("1"));
        QCOMPARE(xmlField(listed.body, "Key"),
                 QStringLiteral("personal/") + hash + QStringLiteral("/context.tar"));
        // Another organization's folder: refused, in S3's words.
        const Reply other = s3(
            "GET", QStringLiteral("/api/object-storage/s3/cove-build-contexts?list-type=2&prefix=someone/"));
        QCOMPARE(other.status, 403);
        QCOMPARE(xmlField(other.body, "Code"), QStringLiteral("AccessDenied"));
        QCOMPARE(s3("PUT", objectPath(hash, QStringLiteral("someone")), tarOf("a", "a")).status, 403);
        // The upload is in the audit log, under the key that asked for access.
        const auto audit = sandboxes.call("GET", QStringLiteral("/api/audit?limit=20"))
                               .object()
                               .value(QStringLiteral("items"))
                               .toArray();
        bool found = false;
        for (const auto& e : audit)
            found = found || (e.toObject().value(QStringLiteral("targetType")).toString() ==
                                  QLatin1String("build_context") &&
                              e.toObject().value(QStringLiteral("targetId")).toString().contains(hash));
        QVERIFY(found);
    }

    void badRequestsAreRefusedAndKeepNothing() {
        const QString hash = QStringLiteral("bad") + tag;
        const QByteArray tar = tarOf("a.txt", "a");
        // A wrong secret, a body other than the signed one, no signature at all.
        Reply r = s3("PUT", objectPath(hash), tar, "not-the-secret");
        QCOMPARE(r.status, 401);
        QCOMPARE(xmlField(r.body, "Code"), QStringLiteral("AccessDenied"));
        QVERIFY2(xmlField(r.body, "Message").contains(QLatin1String("push-access")), r.body.constData());
        QCOMPARE(s3("PUT", objectPath(hash), tar, {},
                    QCryptographicHash::hash("something else", QCryptographicHash::Sha256).toHex())
                     .status,
                 401);
        QCOMPARE(cove::test::request("PUT", coved.url() + objectPath(hash), {}, tar).status, 401);
        // Not a tar; a key of another form; another bucket.
        r = s3("PUT", objectPath(hash), "just text");
        QCOMPARE(r.status, 400);
        QVERIFY2(xmlField(r.body, "Message").contains(QLatin1String("tar archive")), r.body.constData());
        QCOMPARE(s3("PUT",
                    QStringLiteral("/api/object-storage/s3/cove-build-contexts/personal/") + hash +
                        QStringLiteral("/x.sh"),
                    tar)
                     .status,
                 400);
        QCOMPARE(xmlField(s3("PUT",
                             QStringLiteral("/api/object-storage/s3/other-bucket/personal/") + hash +
                                 QStringLiteral("/context.tar"),
                             tar)
                              .body,
                          "Code"),
                 QStringLiteral("NoSuchBucket"));
        QVERIFY(!QFile::exists(coved.dataDir() + QStringLiteral("/build-contexts/personal/") + hash));
    }

    void aTwoGigabyteContextIsRefusedBeforeItsBody() {
        // One PutObject that says it carries 2 GB: answered at once, without waiting for the body.
        QTcpSocket socket;
        socket.connectToHost(QUrl(coved.url()).host(), quint16(QUrl(coved.url()).port()));
        QVERIFY(socket.waitForConnected(5000));
        socket.write("PUT " + objectPath(QStringLiteral("huge")).toLatin1() +
                     " HTTP/1.1\r\nHost: x\r\nContent-Length: 2147483648\r\n\r\n");
        QByteArray answer;
        QTRY_VERIFY_WITH_TIMEOUT((answer += socket.readAll()).contains("</Error>"), 10000);
        QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.constData());
        QVERIFY2(answer.contains("<Code>EntityTooLarge</Code>"), answer.constData());
    }

    void multipartPastTheLimitIsRefusedAndAbortLeavesNothing() {
        const QString key = objectPath(QStringLiteral("big") + tag);
        const Reply started = s3("POST", key + QStringLiteral("?uploads="));
        QCOMPARE(started.status, 200);
        const QString uploadId = xmlField(started.body, "UploadId");
        QVERIFY(!uploadId.isEmpty());
        const QByteArray part(10 << 20, 'x');
        const qsizetype parts = qsizetype(cove::domain::BuildContextLimits::kMaxBytes / part.size());
        for (int n = 1; n <= parts; ++n)
            QCOMPARE(s3("PUT", key + QStringLiteral("?partNumber=%1&uploadId=%2").arg(n).arg(uploadId), part,
                        {}, "UNSIGNED-PAYLOAD")
                         .status,
                     200);
        const Reply over =
            s3("PUT", key + QStringLiteral("?partNumber=%1&uploadId=%2").arg(parts + 1).arg(uploadId), part,
               {}, "UNSIGNED-PAYLOAD");
        QCOMPARE(over.status, 413);
        QCOMPARE(xmlField(over.body, "Code"), QStringLiteral("EntityTooLarge"));
        QVERIFY2(xmlField(over.body, "Message").contains(QLatin1String("256 MiB")), over.body.constData());
        QCOMPARE(s3("DELETE", key + QStringLiteral("?uploadId=") + uploadId).status, 204);
        QCOMPARE(QDir(coved.dataDir() + QStringLiteral("/build-contexts/personal/.uploads"))
                     .entryList(QDir::NoDotAndDotDot | QDir::AllEntries),
                 QStringList());
        QCOMPARE(xmlField(s3("PUT", key + QStringLiteral("?partNumber=1&uploadId=") + uploadId, part, {},
                             "UNSIGNED-PAYLOAD")
                              .body,
                          "Code"),
                 QStringLiteral("NoSuchUpload"));
    }

    void buildsTakeFilesFromUploadedContexts() {
        // The context has its own file called Dockerfile: the build still runs the Dockerfile it was sent.
        const std::string hello = ("hello " + tag).toStdString();
        const QString theirs = QString::fromStdString(hashOf("Dockerfile", "FROM scratch\n"));
        const QString hash = QString::fromStdString(hashOf("src/hello.txt", hello));
        QCOMPARE(s3("PUT", objectPath(theirs), tarOf("Dockerfile", "FROM scratch\n")).status, 200);
        QCOMPARE(s3("PUT", objectPath(hash), tarOf("src/hello.txt", hello)).status, 200);
        const QString name = QStringLiteral("ctx-") + tag;
        const QJsonObject body{
            {QStringLiteral("name"), name},
            {QStringLiteral("buildInfo"),
             QJsonObject{{QStringLiteral("dockerfileContent"),
                          QStringLiteral("FROM cove-base:latest\nCOPY src/hello.txt /opt/hello.txt\nCOPY "
                                         "Dockerfile /opt/their.Dockerfile\n")},
                         {QStringLiteral("contextHashes"), QJsonArray{theirs, hash}}}}};
        const Reply made =
            sandboxes.call("POST", QStringLiteral("/api/snapshots"), QJsonDocument(body).toJson());
        QCOMPARE(made.status, 200);
        const QString id = made.object().value(QStringLiteral("id")).toString();
        QTRY_VERIFY_WITH_TIMEOUT(
            QStringList({QStringLiteral("active"), QStringLiteral("build_failed"), QStringLiteral("error")})
                .contains(sandboxes.call("GET", QStringLiteral("/api/snapshots/") + id)
                              .object()
                              .value(QStringLiteral("state"))
                              .toString()),
            180000);
        const QJsonObject snap = sandboxes.call("GET", QStringLiteral("/api/snapshots/") + id).object();
        QVERIFY2(snap.value(QStringLiteral("state")).toString() == QLatin1String("active"),
                 QJsonDocument(snap).toJson().constData());
        const QString sandbox = sandboxes.create(R"({"snapshot":")" + name.toLatin1() + R"("})");
        QVERIFY(!sandbox.isEmpty());
        const auto out =
            sandboxes
                .call("POST", QStringLiteral("/toolbox/") + sandbox + QStringLiteral("/process/execute"),
                      R"({"command":"sh -c 'cat /opt/hello.txt; echo; cat /opt/their.Dockerfile'"})")
                .object();
        QCOMPARE(out.value(QStringLiteral("result")).toString().trimmed(),
                 QStringLiteral("hello ") + tag + QStringLiteral("\nFROM scratch"));
        sandboxes.removeAll();
        QCOMPARE(sandboxes.call("DELETE", QStringLiteral("/api/snapshots/") + id).status, 200);
    }

    void buildInfoNamesContextsItCannotUse() {
        const auto create = [&](const QJsonObject& buildInfo) {
            return sandboxes.call(
                "POST", QStringLiteral("/api/sandbox"),
                QJsonDocument(QJsonObject{{QStringLiteral("buildInfo"), buildInfo}}).toJson());
        };
        Reply r = create(
            {{QStringLiteral("dockerfileContent"), QStringLiteral("FROM cove-base:latest\nCOPY x /x\n")},
             {QStringLiteral("contextHashes"), QJsonArray{QStringLiteral("never-uploaded")}}});
        QCOMPARE(r.status, 400);
        QVERIFY2(r.message().contains(QLatin1String("never-uploaded")), r.body.constData());
        r = create(
            {{QStringLiteral("dockerfileContent"), QStringLiteral("FROM cove-base:latest\nCOPY x /x\n")}});
        QCOMPARE(r.status, 400);
        QVERIFY2(r.message().contains(QLatin1String("addLocalFile")), r.body.constData());
        r = create({{QStringLiteral("dockerfileContent"), QStringLiteral("FROM cove-base:latest\n")},
                    {QStringLiteral("contextHashes"), QJsonArray{42}}});
        QCOMPARE(r.status, 400);
        // None of them left a sandbox behind.
        QCOMPARE(sandboxes.call("GET", QStringLiteral("/api/sandbox"))
                     .object()
                     .value(QStringLiteral("total"))
                     .toInt(),
                 0);
    }

    void cleanupTestCase() {
        sandboxes.removeAll();
        coved.stop();
        coved.removeInstanceNetwork();
    }
};

QTEST_GUILESS_MAIN(TestBuildContexts)
#include "tst_build_contexts.moc"
