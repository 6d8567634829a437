// Snapshots end to end: a real coved and Docker engine; images made from local images, Dockerfiles and
// sandboxes; build logs followed while a build runs; sandboxes created from them and from buildInfo.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QtTest>

using cove::test::CovedProcess;
using cove::test::Reply;
using cove::test::run;

class TestSnapshots : public QObject {
    Q_OBJECT
    CovedProcess coved;
    cove::test::Sandboxes sandboxes{coved};
    QStringList madeSnapshots; // deleted at the end, with their images
    QString tag = QString::number(QRandomGenerator::global()->generate(), 16);

    Reply api(const QByteArray& method, const QString& path, const QByteArray& body = {}) {
        return sandboxes.call(method, path, body);
    }
    QJsonObject snapshot(const QString& idOrName) {
        return api("GET", QStringLiteral("/api/snapshots/") + idOrName).object();
    }
    QString state(const QString& idOrName) {
        return snapshot(idOrName).value(QStringLiteral("state")).toString();
    }
    // POST /api/snapshots; remembers the snapshot for cleanup.
    Reply createSnapshot(const QJsonObject& body) {
        const Reply r = api("POST", QStringLiteral("/api/snapshots"), QJsonDocument(body).toJson());
        if (r.status == 200)
            madeSnapshots << r.object().value(QStringLiteral("id")).toString();
        return r;
    }
    QString name(const char* base) const { return QString::fromLatin1(base) + QLatin1Char('-') + tag; }
    static QByteArray dockerfile(const QString& content) {
        return QJsonDocument(QJsonObject{{QStringLiteral("dockerfileContent"), content}}).toJson();
    }
    QJsonObject exec(const QString& sandboxId, const QString& command) {
        return api("POST", QStringLiteral("/toolbox/") + sandboxId + QStringLiteral("/process/execute"),
                   QJsonDocument(QJsonObject{{QStringLiteral("command"), command}}).toJson())
            .object();
    }
    static bool imageExists(const QString& ref) {
        return run(QStringLiteral("docker"), {QStringLiteral("image"), QStringLiteral("inspect"), ref})
                   .exitCode == 0;
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        QCOMPARE(api("PUT", QStringLiteral("/api/organizations/personal/tier"), R"({"tier":4})").status, 200);
    }

    void cleanupTestCase() {
        sandboxes.removeAll();
        for (const auto& id : madeSnapshots)
            api("DELETE", QStringLiteral("/api/snapshots/") + id);
    }

    void defaultsArePresentAndGeneral() {
        for (const auto& n : {QStringLiteral("cove-base"), QStringLiteral("cove-desktop")}) {
            const Reply r = api("GET", QStringLiteral("/api/snapshots/") + n);
            QCOMPARE(r.status, 200);
            const auto s = r.object();
            QCOMPARE(s.value(QStringLiteral("general")).toBool(), true);
            QCOMPARE(s.value(QStringLiteral("state")).toString(), QStringLiteral("active"));
            QCOMPARE(s.value(QStringLiteral("imageName")).toString(), n + QStringLiteral(":latest"));
            // The DTO's fields, as the contract lists them.
            for (const char* key :
                 {"id", "organizationId", "name", "size", "entrypoint", "cpu", "gpu", "mem", "disk",
                  "errorReason", "createdAt", "updatedAt", "lastUsedAt", "sourceSandboxId"})
                QVERIFY2(s.contains(QLatin1String(key)), key);
            QVERIFY(s.value(QStringLiteral("size")).toDouble() > 0.5);
            // General snapshots belong to Cove, not to users.
            const Reply del = api("DELETE", QStringLiteral("/api/snapshots/") + n);
            QCOMPARE(del.status, 403);
            QVERIFY(del.message().contains(QStringLiteral("default snapshots")));
        }
    }

    void listShapeAndPagination() {
        const auto all = api("GET", QStringLiteral("/api/snapshots")).object();
        QVERIFY(all.value(QStringLiteral("items")).isArray());
        const int total = all.value(QStringLiteral("total")).toInt();
        QVERIFY(total >= 2);
        QCOMPARE(all.value(QStringLiteral("page")).toInt(), 1);
        QCOMPARE(all.value(QStringLiteral("totalPages")).toInt(), 1);
        const auto p2 =
            api("GET", QStringLiteral("/api/snapshots?page=2&limit=1&sort=name&order=asc")).object();
        QCOMPARE(p2.value(QStringLiteral("items")).toArray().size(), 1);
        QCOMPARE(p2.value(QStringLiteral("totalPages")).toInt(), total);
        const auto p1 =
            api("GET", QStringLiteral("/api/snapshots?page=1&limit=1&sort=name&order=asc")).object();
        QVERIFY(p1.value(QStringLiteral("items"))
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(QStringLiteral("name"))
                    .toString() < p2.value(QStringLiteral("items"))
                                      .toArray()
                                      .at(0)
                                      .toObject()
                                      .value(QStringLiteral("name"))
                                      .toString());
        const auto named = api("GET", QStringLiteral("/api/snapshots?name=DESKTOP")).object();
        QCOMPARE(named.value(QStringLiteral("total")).toInt(), 1);
        QCOMPARE(api("GET", QStringLiteral("/api/snapshots?limit=0")).status, 400);
        QCOMPARE(api("GET", QStringLiteral("/api/snapshots?page=x")).message(),
                 QStringLiteral("'page' must be a whole number; got 'x'."));
        QCOMPARE(api("GET", QStringLiteral("/api/snapshots?sort=size")).status, 400);
        QCOMPARE(api("GET", QStringLiteral("/api/snapshots?order=up")).status, 400);
    }

    void badInput() {
        const auto post = [&](const QByteArray& body) {
            return api("POST", QStringLiteral("/api/snapshots"), body);
        };
        QCOMPARE(post("{nope").status, 400);
        QVERIFY(post("{nope").message().startsWith(QStringLiteral("The request body is not valid JSON")));
        QCOMPARE(post("[]").message(), QStringLiteral("The request body must be a JSON object."));
        QCOMPARE(post(R"({"imageName":"cove-debian:latest"})").message(),
                 QStringLiteral("'name' is required: give the snapshot a name."));
        QCOMPARE(post(R"({"name":7,"imageName":"cove-debian:latest"})").message(),
                 QStringLiteral("'name' must be a string."));
        QCOMPARE(
            post(R"({"name":"x"})").message(),
            QStringLiteral("Give either 'imageName' (an image) or 'buildInfo' (a Dockerfile), not neither."));
        QCOMPARE(post(R"({"name":"x","imageName":"Bad Image"})").status, 400);
        QCOMPARE(post(R"({"name":"x","imageName":"cove-debian:latest","cpu":"2"})").message(),
                 QStringLiteral("'cpu' must be a whole number."));
        QCOMPARE(post(R"({"name":"x","imageName":"cove-debian:latest","entrypoint":"sh"})").message(),
                 QStringLiteral("'entrypoint' must be a non-empty array of strings."));
        QCOMPARE(
            post(R"({"name":"x","buildInfo":{"dockerfileContent":"FROM a","contextHashes":["h"]}})").status,
            400);
        const Reply copy =
            post(R"({"name":"x","buildInfo":{"dockerfileContent":"FROM a\nCOPY app /app\n"}})");
        QCOMPARE(copy.status, 400);
        QVERIFY(copy.message().contains(QStringLiteral("line 2 (COPY app /app)")));
        // A Dockerfile over the limit is refused as too large, saying what to do instead.
        const QByteArray huge = "FROM cove-debian:latest\n# " + QByteArray(9 << 20, 'x') + "\n";
        const Reply big = post("{\"name\":\"x\",\"buildInfo\":{\"dockerfileContent\":\"" +
                               QByteArray(huge).replace("\n", "\\n") + "\"}}");
        QCOMPARE(big.status, 413);
        QVERIFY(big.message().contains(QStringLiteral("at most 8 MiB")));
        QCOMPARE(post(R"({"name":"cove-base","imageName":"cove-debian:latest"})").status, 409);
        QCOMPARE(api("GET", QStringLiteral("/api/snapshots/nothing-here")).status, 404);
        QCOMPARE(api("DELETE", QStringLiteral("/api/snapshots/nothing-here")).status, 404);
        QCOMPARE(api("POST", QStringLiteral("/api/snapshots/nothing-here/activate")).status, 404);
        QCOMPARE(api("GET", QStringLiteral("/api/snapshots/nothing-here/build-logs")).status, 404);
        QCOMPARE(api("POST", QStringLiteral("/api/snapshots/cove-base/activate")).status, 403);
    }

    void fromLocalImageTurnsActive() {
        const Reply r = createSnapshot({{QStringLiteral("name"), name("debian")},
                                        {QStringLiteral("imageName"), QStringLiteral("cove-debian:latest")}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
        QTRY_COMPARE_WITH_TIMEOUT(state(name("debian")), QStringLiteral("active"), 60000);
        // Validated with a real sandbox container, which is gone again.
        const QString log = QString::fromUtf8(
            api("GET", QStringLiteral("/api/snapshots/") + name("debian") + QStringLiteral("/build-logs"))
                .body);
        QVERIFY2(log.contains(QStringLiteral("Validating cove-debian:latest")), qPrintable(log));
        // Duplicate names are refused.
        const Reply again =
            createSnapshot({{QStringLiteral("name"), name("debian")},
                            {QStringLiteral("imageName"), QStringLiteral("cove-debian:latest")}});
        QCOMPARE(again.status, 409);
    }

    void unreachableImageEndsInError() {
        const Reply r =
            createSnapshot({{QStringLiteral("name"), name("unreachable")},
                            {QStringLiteral("imageName"), QStringLiteral("registry.invalid/x:1")}});
        QCOMPARE(r.status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(state(name("unreachable")), QStringLiteral("error"), 120000);
        const QString reason = snapshot(name("unreachable")).value(QStringLiteral("errorReason")).toString();
        QVERIFY2(reason.contains(QStringLiteral("could not pull registry.invalid/x:1: ")),
                 qPrintable(reason));
    }

    void dockerfileBuildStreamsLogsAndRuns() {
        // The run's tag keeps the engine's build cache out of it: every step really runs.
        const QString content = QStringLiteral("FROM cove-base:latest\n"
                                               "RUN echo building-first-step %1\n"
                                               "RUN sleep 4 && echo built > /tmp/built.txt\n"
                                               "RUN echo building-last-step\n")
                                    .arg(tag);
        const Reply r = createSnapshot(
            {{QStringLiteral("name"), name("built")},
             {QStringLiteral("buildInfo"), QJsonObject{{QStringLiteral("dockerfileContent"), content}}}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("state")).toString(), QStringLiteral("building"));
        const QString id = r.object().value(QStringLiteral("id")).toString();

        // Follow the log as the SDK does: the URL, then ?follow=true; lines arrive while it builds.
        const Reply url =
            api("GET", QStringLiteral("/api/snapshots/") + id + QStringLiteral("/build-logs-url"));
        QCOMPARE(url.status, 200);
        const QString logUrl = url.object().value(QStringLiteral("url")).toString();
        QVERIFY(logUrl.endsWith(QStringLiteral("/api/snapshots/") + id + QStringLiteral("/build-logs")));
        QNetworkAccessManager net;
        QNetworkRequest req{QUrl(logUrl + QStringLiteral("?follow=true"))};
        req.setRawHeader("Authorization", "Bearer " + coved.adminKey().toUtf8());
        QNetworkReply* follow = net.get(req);
        QByteArray streamed;
        QElapsedTimer clock;
        clock.start();
        qint64 firstAt = -1;      // when the first step's output arrived
        bool lastAlready = false; // whether the last step's had too, by then
        connect(follow, &QNetworkReply::readyRead, this, [&] {
            streamed += follow->readAll();
            if (firstAt < 0 && streamed.contains("building-first-step")) {
                firstAt = clock.elapsed();
                lastAlready = streamed.contains("building-last-step");
            }
        });
        QTRY_VERIFY_WITH_TIMEOUT(follow->isFinished(), 180000);
        streamed += follow->readAll();
        follow->deleteLater();
        // The next step sleeps 4 s: a live stream shows the first step's line without the last one's.
        QVERIFY2(
            firstAt >= 0 && !lastAlready,
            qPrintable(
                QStringLiteral("first step at %1 ms, end at %2 ms:\n").arg(firstAt).arg(clock.elapsed()) +
                QString::fromUtf8(streamed)));
        QVERIFY(streamed.contains("building-last-step"));
        QTRY_COMPARE_WITH_TIMEOUT(state(id), QStringLiteral("active"), 60000);
        QVERIFY(streamed.contains("is active"));
        const auto dto = snapshot(id);
        QCOMPARE(dto.value(QStringLiteral("buildInfo"))
                     .toObject()
                     .value(QStringLiteral("dockerfileContent"))
                     .toString(),
                 content);

        // A sandbox of it runs and holds what the build made.
        const QString sb = sandboxes.create(
            QJsonDocument(QJsonObject{{QStringLiteral("snapshot"), name("built")}}).toJson());
        QVERIFY(!sb.isEmpty());
        QCOMPARE(sandboxes.state(sb), QStringLiteral("started"));
        QCOMPARE(exec(sb, QStringLiteral("cat /tmp/built.txt"))
                     .value(QStringLiteral("result"))
                     .toString()
                     .trimmed(),
                 QStringLiteral("built"));

        // In use: it cannot go, and the refusal names the sandbox.
        const Reply del = api("DELETE", QStringLiteral("/api/snapshots/") + id);
        QCOMPARE(del.status, 409);
        QVERIFY2(del.message().contains(sandboxes.get(sb).value(QStringLiteral("name")).toString()),
                 qPrintable(del.message()));

        // Deactivated, it refuses new sandboxes; activated again, it takes them.
        QCOMPARE(api("POST", QStringLiteral("/api/snapshots/") + id + QStringLiteral("/deactivate")).status,
                 204);
        QCOMPARE(state(id), QStringLiteral("inactive"));
        const Reply refused =
            api("POST", QStringLiteral("/api/sandbox"),
                QJsonDocument(QJsonObject{{QStringLiteral("snapshot"), name("built")}}).toJson());
        QCOMPARE(refused.status, 400);
        QVERIFY(refused.message().contains(QStringLiteral("inactive")));
        QCOMPARE(api("POST", QStringLiteral("/api/snapshots/") + id + QStringLiteral("/activate")).status,
                 200);
        QCOMPARE(api("POST", QStringLiteral("/api/snapshots/") + id + QStringLiteral("/activate")).status,
                 400);

        // Once its sandbox is gone it can be deleted, and its image goes with it.
        const QString image = dto.value(QStringLiteral("imageName")).toString();
        QVERIFY(imageExists(image));
        QCOMPARE(sandboxes.destroy(sb).status, 200);
        QCOMPARE(api("DELETE", QStringLiteral("/api/snapshots/") + id).status, 200);
        QCOMPARE(api("GET", QStringLiteral("/api/snapshots/") + id).status, 404);
        QVERIFY(!imageExists(image));
    }

    void failingBuildNamesTheStep() {
        const Reply r = createSnapshot(
            {{QStringLiteral("name"), name("broken")},
             {QStringLiteral("buildInfo"),
              QJsonObject{
                  {QStringLiteral("dockerfileContent"),
                   QStringLiteral("FROM cove-debian:latest\nRUN echo fine\nRUN false\nRUN echo never\n")}}}});
        QCOMPARE(r.status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(state(name("broken")), QStringLiteral("build_failed"), 120000);
        const QString reason = snapshot(name("broken")).value(QStringLiteral("errorReason")).toString();
        QCOMPARE(reason, QStringLiteral("Step 3/4 : RUN false: The command '/bin/sh -c false' returned a "
                                        "non-zero code: 1"));
        const QByteArray log =
            api("GET", QStringLiteral("/api/snapshots/") + name("broken") + QStringLiteral("/build-logs"))
                .body;
        QVERIFY(log.contains("Step 2/4 : RUN echo fine"));
        QVERIFY(log.contains("ERROR: Step 3/4 : RUN false"));
        QVERIFY(!log.contains("Step 4/4"));
    }

    void sandboxBecomesSnapshot() {
        const QString source = sandboxes.create(R"({"snapshot":"cove-base"})");
        QVERIFY(!source.isEmpty());
        QCOMPARE(exec(source, QStringLiteral("sh -c 'echo kept-by-commit > /home/cove/mark.txt'"))
                     .value(QStringLiteral("exitCode"))
                     .toInt(),
                 0);
        QCOMPARE(
            api("POST", QStringLiteral("/api/sandbox/") + source + QStringLiteral("/snapshot"), "{}").status,
            400);
        const Reply r = api("POST", QStringLiteral("/api/sandbox/") + source + QStringLiteral("/snapshot"),
                            QJsonDocument(QJsonObject{{QStringLiteral("name"), name("committed")}}).toJson());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("id")).toString(), source);
        QCOMPARE(r.object().value(QStringLiteral("state")).toString(), QStringLiteral("started"));
        const auto snap = snapshot(name("committed"));
        madeSnapshots << snap.value(QStringLiteral("id")).toString();
        QCOMPARE(snap.value(QStringLiteral("sourceSandboxId")).toString(), source);
        QTRY_COMPARE_WITH_TIMEOUT(state(name("committed")), QStringLiteral("active"), 60000);
        const auto bySource = api("GET", QStringLiteral("/api/snapshots?sourceSandboxId=") + source).object();
        QCOMPARE(bySource.value(QStringLiteral("total")).toInt(), 1);

        const QString copy = sandboxes.create(
            QJsonDocument(QJsonObject{{QStringLiteral("snapshot"), name("committed")}}).toJson());
        QVERIFY(!copy.isEmpty());
        QCOMPARE(sandboxes.get(copy).value(QStringLiteral("user")).toString(), QStringLiteral("cove"));
        QCOMPARE(exec(copy, QStringLiteral("cat /home/cove/mark.txt"))
                     .value(QStringLiteral("result"))
                     .toString()
                     .trimmed(),
                 QStringLiteral("kept-by-commit"));
        QCOMPARE(api("POST", QStringLiteral("/api/sandbox/nothing/snapshot"),
                     QJsonDocument(QJsonObject{{QStringLiteral("name"), name("none")}}).toJson())
                     .status,
                 404);
        QCOMPARE(api("DELETE", QStringLiteral("/api/snapshots/") + name("committed")).status, 409);
    }

    void sandboxFromBuildInfoReusesIdenticalBuilds() {
        // What Daytona.create({image: Image...}) sends: buildInfo, resources, no snapshot.
        const QString content =
            QStringLiteral("FROM cove-base:latest\nRUN echo %1 > /tmp/declared.txt\n").arg(tag);
        const QByteArray body =
            QJsonDocument(QJsonObject{{QStringLiteral("buildInfo"),
                                       QJsonObject{{QStringLiteral("dockerfileContent"), content}}},
                                      {QStringLiteral("cpu"), 1},
                                      {QStringLiteral("memory"), 1}})
                .toJson();
        const Reply first = api("POST", QStringLiteral("/api/sandbox"), body);
        QCOMPARE(first.status, 200);
        const QString a = first.object().value(QStringLiteral("id")).toString();
        QVERIFY(QStringList({QStringLiteral("pending_build"), QStringLiteral("building_snapshot")})
                    .contains(first.object().value(QStringLiteral("state")).toString()));
        // Its build log is there to follow, as onSnapshotCreateLogs does.
        const Reply url = api("GET", QStringLiteral("/api/sandbox/") + a + QStringLiteral("/build-logs-url"));
        QCOMPARE(url.status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(sandboxes.state(a), QStringLiteral("started"), 180000);
        const QByteArray log =
            api("GET", QStringLiteral("/api/sandbox/") + a + QStringLiteral("/build-logs")).body;
        QVERIFY2(log.contains("RUN echo " + tag.toUtf8()), log.constData());
        QCOMPARE(exec(a, QStringLiteral("cat /tmp/declared.txt"))
                     .value(QStringLiteral("result"))
                     .toString()
                     .trimmed(),
                 tag);
        const auto dto = sandboxes.get(a);
        const QString snap = dto.value(QStringLiteral("snapshot")).toString();
        QCOMPARE(dto.value(QStringLiteral("buildInfo"))
                     .toObject()
                     .value(QStringLiteral("dockerfileContent"))
                     .toString(),
                 content);
        madeSnapshots << snapshot(snap).value(QStringLiteral("id")).toString();

        // The same Dockerfile again: the same snapshot, no new build; the sandbox starts at once.
        const Reply second = api("POST", QStringLiteral("/api/sandbox"), body);
        QCOMPARE(second.status, 200);
        const QString b = second.object().value(QStringLiteral("id")).toString();
        QCOMPARE(second.object().value(QStringLiteral("snapshot")).toString(), snap);
        QCOMPARE(second.object().value(QStringLiteral("state")).toString(), QStringLiteral("started"));
        for (const auto& id : {a, b})
            QCOMPARE(sandboxes.destroy(id).status, 200);
        cove::test::removeSandboxContainers({a, b});

        // A build that fails leaves the sandbox in build_failed with the reason.
        const Reply bad =
            api("POST", QStringLiteral("/api/sandbox"),
                dockerfile(QStringLiteral("FROM cove-debian:latest\nRUN exit 3 # %1\n").arg(tag))
                    .prepend("{\"buildInfo\":")
                    .append("}"));
        QCOMPARE(bad.status, 200);
        const QString c = bad.object().value(QStringLiteral("id")).toString();
        QTRY_COMPARE_WITH_TIMEOUT(sandboxes.state(c), QStringLiteral("build_failed"), 120000);
        const QString reason = sandboxes.get(c).value(QStringLiteral("errorReason")).toString();
        QVERIFY2(reason.contains(QStringLiteral("Step 2/2 : RUN exit 3")), qPrintable(reason));
        madeSnapshots << snapshot(sandboxes.get(c).value(QStringLiteral("snapshot")).toString())
                             .value(QStringLiteral("id"))
                             .toString();
        QCOMPARE(api("DELETE", QStringLiteral("/api/sandbox/") + c).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestSnapshots)
#include "tst_snapshots.moc"
