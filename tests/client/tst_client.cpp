// The dashboard's client library without a service: canned JSON into typed structs, the sandbox states,
// error bodies, and the list models under QAbstractItemModelTester.
#include "app/ApiError.h"
#include "app/ApiKeyModel.h"
#include "app/AuditLogModel.h"
#include "app/CheckpointsApi.h"
#include "app/Connection.h"
#include "app/GovernanceApi.h"
#include "app/ResourcesApi.h"
#include "app/Sandbox.h"
#include "app/SandboxModel.h"
#include "app/SandboxState.h"
#include "app/SnapshotModel.h"
#include "app/ToolboxApi.h"
#include "app/VolumeModel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace cove::app;

namespace {

QJsonObject sandboxDto(const QString& id, const QString& name, const QString& state, const QString& updated) {
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), name},
        {QStringLiteral("state"), state},
        {QStringLiteral("snapshot"), QStringLiteral("cove-base")},
        {QStringLiteral("cpu"), 2},
        {QStringLiteral("memory"), 4},
        {QStringLiteral("disk"), 8},
        {QStringLiteral("labels"), QJsonObject{{QStringLiteral("team"), QStringLiteral("qa")}}},
        {QStringLiteral("createdAt"), QStringLiteral("2026-01-02T03:04:05.000Z")},
        {QStringLiteral("updatedAt"), updated}};
}

} // namespace

class TestClient : public QObject {
    Q_OBJECT
private slots:
    void everyStateRoundTrips() {
        const QList<SandboxState> all = allSandboxStates();
        QCOMPARE(all.size(), 22);
        for (SandboxState s : all) {
            QCOMPARE(sandboxStateFromString(sandboxStateName(s)), s);
            QVERIFY(!sandboxStateLabel(s).isEmpty());
        }
        QCOMPARE(sandboxStateName(SandboxState::BuildFailed), QStringLiteral("build_failed"));
        QCOMPARE(sandboxStateFromString(u"pending_build"), SandboxState::PendingBuild);
        QCOMPARE(sandboxStateFromString(u"something_new"), SandboxState::Unknown);
        // A state newer than the dashboard is shown by its name rather than as "Unknown".
        QCOMPARE(sandboxStateLabel(QStringLiteral("something_new")), QStringLiteral("something_new"));
        QCOMPARE(sandboxStateLabel(QStringLiteral("pending_build")), QStringLiteral("Waiting for build"));
    }

    void transitionalStates() {
        using S = SandboxState;
        const QList<S> moving = {S::Creating,  S::Restoring,    S::Destroying,       S::Starting,
                                 S::Stopping,  S::PendingBuild, S::BuildingSnapshot, S::PullingSnapshot,
                                 S::Archiving, S::Resizing,     S::Snapshotting,     S::Forking,
                                 S::Pausing,   S::Resuming};
        for (S s : allSandboxStates())
            QVERIFY2(isTransitional(s) == moving.contains(s), qPrintable(sandboxStateName(s)));
    }

    void sandboxFromJson() {
        QJsonObject dto = sandboxDto(QStringLiteral("id-1"), QStringLiteral("one"), QStringLiteral("started"),
                                     QStringLiteral("2026-01-02T03:04:06.500Z"));
        dto.insert(QStringLiteral("errorReason"), QStringLiteral("none"));
        dto.insert(QStringLiteral("diskLimitEnforced"), false);
        const Sandbox s = Sandbox::fromJson(dto);
        QCOMPARE(s.id, QStringLiteral("id-1"));
        QCOMPARE(s.name, QStringLiteral("one"));
        QCOMPARE(s.state, SandboxState::Started);
        QCOMPARE(s.stateName, QStringLiteral("started"));
        QCOMPARE(s.snapshot, QStringLiteral("cove-base"));
        QCOMPARE(s.cpu, 2);
        QCOMPARE(s.memory, 4);
        QCOMPARE(s.disk, 8);
        QCOMPARE(s.diskLimitEnforced, false);
        QCOMPARE(s.errorReason, QStringLiteral("none"));
        QCOMPARE(s.labels.value(QStringLiteral("team")), QStringLiteral("qa"));
        QCOMPARE(s.updatedMs - s.createdMs, 1500);
        QCOMPARE(s.json, dto);
        QCOMPARE(Sandbox::fromJson({}).state, SandboxState::Unknown);
    }

    // The settings, lineage and backup the sandbox page shows; what is absent reads as off or none.
    void sandboxSettingsFromJson() {
        QJsonObject dto = sandboxDto(QStringLiteral("id-2"), QStringLiteral("fork"), QStringLiteral("paused"),
                                     QStringLiteral("2026-01-02T03:04:05.000Z"));
        dto.insert(QStringLiteral("public"), true);
        dto.insert(QStringLiteral("networkBlockAll"), false);
        dto.insert(QStringLiteral("networkAllowList"), QStringLiteral("10.0.0.0/8"));
        dto.insert(QStringLiteral("autoStopInterval"), 0);
        dto.insert(QStringLiteral("autoPauseInterval"), 30);
        dto.insert(QStringLiteral("autoArchiveInterval"), 60);
        dto.insert(QStringLiteral("autoDeleteInterval"), 0);
        dto.insert(QStringLiteral("autoDestroyAt"), QStringLiteral("2026-01-02T04:04:05.000Z"));
        dto.insert(QStringLiteral("parentSandboxId"), QStringLiteral("id-1"));
        dto.insert(QStringLiteral("backupState"), QStringLiteral("Completed"));
        dto.insert(QStringLiteral("backupCreatedAt"), QStringLiteral("2026-01-02T03:34:05.000Z"));
        const Sandbox s = Sandbox::fromJson(dto);
        QCOMPARE(s.state, SandboxState::Paused);
        QVERIFY(s.isPublic);
        QCOMPARE(s.networkAllowList, QStringLiteral("10.0.0.0/8"));
        QCOMPARE(s.autoPauseInterval, 30);
        QCOMPARE(s.autoArchiveInterval, 60);
        QCOMPARE(s.autoDeleteInterval, 0);
        QCOMPARE(s.autoDestroyAtMs - s.createdMs, 3600 * 1000);
        QCOMPARE(s.parentSandboxId, QStringLiteral("id-1"));
        QCOMPARE(s.backupState, QStringLiteral("Completed"));
        QCOMPARE(s.backupCreatedMs - s.createdMs, 1800 * 1000);
        const Sandbox plain = Sandbox::fromJson(sandboxDto(QStringLiteral("id-3"), QStringLiteral("plain"),
                                                           QStringLiteral("started"), QString()));
        QCOMPARE(plain.autoDeleteInterval, -1); // absent: off
        QCOMPARE(plain.autoDestroyAtMs, 0);
        QVERIFY(plain.parentSandboxId.isEmpty());
        QVERIFY(!plain.isPublic);
    }

    void checkpointFromJson() {
        const Checkpoint c =
            Checkpoint::fromJson({{QStringLiteral("id"), QStringLiteral("cp-1")},
                                  {QStringLiteral("name"), QStringLiteral("before")},
                                  {QStringLiteral("sandboxId"), QStringLiteral("id-1")},
                                  {QStringLiteral("createdAt"), QStringLiteral("2026-01-02T03:04:05Z")}});
        QCOMPARE(c.id, QStringLiteral("cp-1"));
        QCOMPARE(c.name, QStringLiteral("before"));
        QCOMPARE(c.sandboxId, QStringLiteral("id-1"));
        QCOMPARE(c.createdAt, QStringLiteral("2026-01-02T03:04:05Z"));
    }

    void snapshotRequestToJson() {
        CreateSnapshotRequest r;
        r.name = QStringLiteral("s");
        r.image = QStringLiteral("python:3.12");
        QCOMPARE(r.toJson(), QJsonObject({{QStringLiteral("name"), QStringLiteral("s")},
                                          {QStringLiteral("imageName"), QStringLiteral("python:3.12")}}));
        r.entrypoint = {QStringLiteral("sleep"), QStringLiteral("infinity")};
        r.cpu = 2;
        r.disk = 10;
        const QJsonObject body = r.toJson();
        QCOMPARE(body.value(QStringLiteral("entrypoint")).toArray(),
                 QJsonArray({QStringLiteral("sleep"), QStringLiteral("infinity")}));
        QCOMPARE(body.value(QStringLiteral("cpu")).toInt(), 2);
        QCOMPARE(body.value(QStringLiteral("disk")).toInt(), 10);
        QVERIFY(!body.contains(QStringLiteral("memory")));
        r.dockerfile = QStringLiteral("FROM alpine");
        QVERIFY(!r.toJson().contains(QStringLiteral("imageName")));
        QCOMPARE(r.toJson()
                     .value(QStringLiteral("buildInfo"))
                     .toObject()
                     .value(QStringLiteral("dockerfileContent")),
                 QJsonValue(QStringLiteral("FROM alpine")));
    }

    void createRequestToJson() {
        CreateSandboxRequest r;
        QCOMPARE(r.toJson(), QJsonObject()); // nothing set: the service's defaults
        r.name = QStringLiteral("n");
        r.snapshot = QStringLiteral("cove-desktop");
        r.cpu = 2;
        r.env.insert(QStringLiteral("A"), QStringLiteral("1"));
        r.isPublic = false;
        r.networkAllowList = QStringLiteral("10.0.0.0/8");
        r.volumes << VolumeMount{QStringLiteral("v"), QStringLiteral("/data"), QString(), true};
        const QJsonObject body = r.toJson();
        QCOMPARE(body.value(QStringLiteral("name")).toString(), QStringLiteral("n"));
        QCOMPARE(body.value(QStringLiteral("snapshot")).toString(), QStringLiteral("cove-desktop"));
        QCOMPARE(body.value(QStringLiteral("cpu")).toInt(), 2);
        QVERIFY(!body.contains(QStringLiteral("memory")));
        QCOMPARE(body.value(QStringLiteral("env")).toObject().value(QStringLiteral("A")).toString(),
                 QStringLiteral("1"));
        QCOMPARE(body.value(QStringLiteral("public")).toBool(true), false);
        QCOMPARE(body.value(QStringLiteral("networkAllowList")).toString(), QStringLiteral("10.0.0.0/8"));
        const QJsonObject mount = body.value(QStringLiteral("volumes")).toArray().at(0).toObject();
        QCOMPARE(mount.value(QStringLiteral("volumeId")).toString(), QStringLiteral("v"));
        QVERIFY(!mount.contains(QStringLiteral("subpath")));
        QCOMPARE(mount.value(QStringLiteral("readOnly")).toBool(), true);
        // A Dockerfile replaces the snapshot; blocking all traffic replaces the allow list.
        r.dockerfile = QStringLiteral("FROM python:3.12\n");
        r.networkBlockAll = true;
        const QJsonObject built = r.toJson();
        QVERIFY(!built.contains(QStringLiteral("snapshot")));
        QCOMPARE(
            built.value(QStringLiteral("buildInfo")).toObject().value(QStringLiteral("dockerfileContent")),
            QJsonValue(QStringLiteral("FROM python:3.12\n")));
        QVERIFY(!built.contains(QStringLiteral("networkAllowList")));
        QCOMPARE(built.value(QStringLiteral("networkBlockAll")).toBool(), true);
    }

    void errorBodies_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::newRow("name taken") << QByteArray(
                                           R"({"statusCode":409,"error":"Conflict","message":"A sandbox )"
                                           R"(named 'x' exists","code":"NAME_TAKEN","field":"name",)"
                                           R"("timestamp":"2026-01-01T00:00:00Z","path":"/api/sandbox"})")
                                    << int(ErrorCode::NameTaken) << QStringLiteral("name")
                                    << QStringLiteral("A sandbox named 'x' exists");
        QTest::newRow("quota of one resource")
            << QByteArray(R"({"statusCode":403,"message":"m","code":"QUOTA_EXCEEDED","field":"memory"})")
            << int(ErrorCode::QuotaExceeded) << QStringLiteral("memory") << QStringLiteral("m");
        QTest::newRow("quota of a count")
            << QByteArray(R"({"statusCode":403,"message":"m","code":"QUOTA_EXCEEDED"})")
            << int(ErrorCode::QuotaExceeded) << QString() << QStringLiteral("m");
        QTest::newRow("invalid field")
            << QByteArray(
                   R"({"statusCode":400,"message":"m","code":"INVALID_FIELD","field":"networkAllowList"})")
            << int(ErrorCode::InvalidField) << QStringLiteral("networkAllowList") << QStringLiteral("m");
        QTest::newRow("snapshot") << QByteArray(
                                         R"({"message":"m","code":"SNAPSHOT_NOT_FOUND","field":"snapshot"})")
                                  << int(ErrorCode::SnapshotNotFound) << QStringLiteral("snapshot")
                                  << QStringLiteral("m");
        QTest::newRow("volume") << QByteArray(
                                       R"({"message":"m","code":"VOLUME_NOT_FOUND","field":"volumes"})")
                                << int(ErrorCode::VolumeNotFound) << QStringLiteral("volumes")
                                << QStringLiteral("m");
        QTest::newRow("another code") << QByteArray(R"({"message":"m","code":"SOMETHING"})")
                                      << int(ErrorCode::Other) << QString() << QStringLiteral("m");
        QTest::newRow("no code") << QByteArray(R"({"statusCode":500,"message":"m"})") << int(ErrorCode::None)
                                 << QString() << QStringLiteral("m");
        QTest::newRow("not JSON") << QByteArray("<html>") << int(ErrorCode::None) << QString() << QString();
    }

    void errorBodies() {
        QFETCH(QByteArray, body);
        QFETCH(int, code);
        QFETCH(QString, field);
        QFETCH(QString, message);
        const ApiError e = ApiError::fromBody(409, body);
        QCOMPARE(e.status, 409);
        QCOMPARE(int(e.code), code);
        QCOMPARE(e.field, field);
        QCOMPARE(e.message, message);
        QCOMPARE(e.text, message); // with no sentence of the client's own, the service's
        QVERIFY(!e.unreachable());
        QCOMPARE(ApiError::fromBody(0, {}, QStringLiteral("gone")).text, QStringLiteral("gone"));
        QVERIFY(ApiError::fromBody(0, {}).unreachable());
    }

    void resultHoldsValueOrError() {
        const Result<int> good(7);
        QVERIFY(good.ok());
        QCOMPARE(good.value(), 7);
        ApiError e;
        e.status = 404;
        const Result<int> bad(e);
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().status, 404);
    }

    void sandboxModelUnderTester() {
        SandboxModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.setSandboxes(
            QJsonArray{sandboxDto(QStringLiteral("a"), QStringLiteral("alpha"), QStringLiteral("started"),
                                  QStringLiteral("2026-01-02T03:04:05.000Z")),
                       sandboxDto(QStringLiteral("b"), QStringLiteral("bravo"), QStringLiteral("stopping"),
                                  QStringLiteral("2026-01-02T03:04:05.000Z"))});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(
            model.index(model.rowOf(QStringLiteral("b")), 0).data(SandboxModel::TransitionalRole).toBool(),
            true);
        QCOMPARE(model.index(model.rowOf(QStringLiteral("a")), SandboxModel::State).data().toString(),
                 QStringLiteral("Started"));
        QCOMPARE(model.entry(model.rowOf(QStringLiteral("a"))).sandbox.state, SandboxState::Started);
        QVERIFY(
            model.upsert(sandboxDto(QStringLiteral("c"), QStringLiteral("charlie"),
                                    QStringLiteral("creating"), QStringLiteral("2026-01-02T03:04:06.000Z")),
                         {SandboxEvent::Kind::Created, {}, {}}));
        model.applyStateChange(sandboxDto(QStringLiteral("b"), QStringLiteral("bravo"),
                                          QStringLiteral("destroyed"),
                                          QStringLiteral("2026-01-02T03:04:07.000Z")),
                               QStringLiteral("destroying"), QStringLiteral("destroyed"));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowOf(QStringLiteral("b")), -1);
        // The event is kept as states, so its text follows the language when asked for.
        QCOMPARE(model.entry(model.rowOf(QStringLiteral("c"))).lastEventText(), QStringLiteral("Created"));
        model.applyStateChange(sandboxDto(QStringLiteral("c"), QStringLiteral("charlie"),
                                          QStringLiteral("started"),
                                          QStringLiteral("2026-01-02T03:04:08.000Z")),
                               QStringLiteral("creating"), QStringLiteral("started"));
        QCOMPARE(model.entry(model.rowOf(QStringLiteral("c"))).lastEventText(),
                 QStringLiteral("Creating → Started"));
        QCOMPARE(model.entry(model.rowOf(QStringLiteral("a"))).lastEventText(), QStringLiteral("→ Started"));
        model.setSandboxes(QList<Sandbox>{});
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(resets.count(), 0); // rows come and go one by one; nothing resets the table
    }

    void snapshotModelUnderTester() {
        SnapshotModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QJsonArray items = QJsonDocument::fromJson(R"([
            {"id":"s1","name":"cove-base","imageName":"cove-base:latest","state":"active","cpu":1,"mem":1,
             "disk":3,"size":1.25,"general":true,"createdAt":"2026-01-02T03:04:05.000Z"},
            {"id":"s2","name":"mine","imageName":"python:3.12","state":"building","cpu":2,"mem":4,"disk":8,
             "size":null,"errorReason":"","createdAt":"2026-01-02T03:04:05.000Z"}])")
                                     .array();
        QList<Snapshot> snapshots;
        for (const auto& v : items)
            snapshots << Snapshot::fromJson(v.toObject());
        QCOMPARE(snapshots[0].memory, 1);
        QVERIFY(snapshots[0].general);
        QVERIFY(!snapshots[0].settling());
        QVERIFY(snapshots[1].settling());
        QCOMPARE(snapshots[1].sizeGb, -1.0);
        model.setRecords(snapshots);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowOf(QStringLiteral("s2")), 1);
        QCOMPARE(model.index(0, SnapshotModel::State).data().toString(), QStringLiteral("Active"));
        QCOMPARE(model.index(1, SnapshotModel::Resources).data().toString(),
                 QStringLiteral("2 vCPU · 4 GiB · 8 GiB"));
        QCOMPARE(model.index(1, SnapshotModel::Size).data().toString(), QStringLiteral("—"));
        QCOMPARE(model.index(0, SnapshotModel::Size).data(kSortRole).toDouble(), 1.25);
        QCOMPARE(model.headerData(SnapshotModel::Image, Qt::Horizontal).toString(), QStringLiteral("Image"));
        QSignalSpy headers(&model, &QAbstractItemModel::headerDataChanged);
        model.retranslate();
        QCOMPARE(headers.count(), 1);
        model.setRecords({});
        QCOMPARE(model.rowCount(), 0);
    }

    void volumeModelUnderTester() {
        VolumeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const Volume v = Volume::fromJson(QJsonDocument::fromJson(R"({"id":"v1","name":"data","state":"ready",
            "usedBytes":2048,"createdAt":"2026-01-02T03:04:05.000Z","lastUsedAt":null})")
                                              .object());
        QCOMPARE(v.usedBytes, 2048);
        QCOMPARE(v.lastUsedAt, QString());
        model.setRecords({v, Volume::fromJson({{QStringLiteral("id"), QStringLiteral("v2")}})});
        QCOMPARE(model.index(0, VolumeModel::State).data().toString(), QStringLiteral("Ready"));
        QCOMPARE(model.index(0, VolumeModel::Id).data().toString(), QStringLiteral("v1"));
        QCOMPARE(model.index(1, VolumeModel::Used).data().toString(), QStringLiteral("—"));
        QCOMPARE(model.index(0, VolumeModel::LastUsed).data().toString(), QStringLiteral("—"));
        QVERIFY(model.index(0, VolumeModel::Created).data().toString().contains(QStringLiteral(" ago (")));
        QCOMPARE(model.headerData(VolumeModel::Used, Qt::Horizontal).toString(), QStringLiteral("Used"));
    }

    void apiKeyModelUnderTester() {
        ApiKeyModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QJsonArray items = QJsonDocument::fromJson(R"([
            {"name":"admin","value":"cove_ab********yz","permissions":["a","b","c","d","e","f","g","h","i"],
             "createdAt":"2026-01-02T03:04:05.000Z","lastUsedAt":null,"expiresAt":null},
            {"name":"ci","value":"cove_cd********wx","permissions":[],
             "createdAt":"2026-01-02T03:04:05.000Z","lastUsedAt":"2026-01-03T03:04:05.000Z",
             "expiresAt":"2030-01-01T00:00:00.000Z"}])")
                                     .array();
        const QList<ApiKey> keys = listOf<ApiKey>(items);
        QCOMPARE(keys[0].permissions.size(), 9);
        QCOMPARE(keys[0].lastUsedAt, QString());
        QCOMPARE(keys[1].expiresAt, QStringLiteral("2030-01-01T00:00:00.000Z"));
        model.setRecords(keys);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowOfName(QStringLiteral("ci")), 1);
        QCOMPARE(model.rowOfName(QStringLiteral("gone")), -1);
        QCOMPARE(model.index(0, ApiKeyModel::Permissions).data().toString(),
                 QStringLiteral("all (9 scopes)"));
        QCOMPARE(model.index(1, ApiKeyModel::Permissions).data().toString(), QStringLiteral("none"));
        QCOMPARE(model.index(0, ApiKeyModel::Expires).data().toString(), QStringLiteral("never"));
        QCOMPARE(model.index(0, ApiKeyModel::LastUsed).data().toString(), QStringLiteral("—"));
        QVERIFY(model.index(1, ApiKeyModel::Expires).data().toString().startsWith(QStringLiteral("in ")));
        QCOMPARE(model.index(1, ApiKeyModel::Key).data().toString(), QStringLiteral("cove_cd********wx"));
        QCOMPARE(model.headerData(ApiKeyModel::LastUsed, Qt::Horizontal).toString(),
                 QStringLiteral("Last used"));

        const CreateKeyRequest request{QStringLiteral("agent"), {QStringLiteral("write:sandboxes")}, {}};
        QCOMPARE(request.toJson(),
                 QJsonDocument::fromJson(R"({"name":"agent","permissions":["write:sandboxes"]})").object());
        CreateKeyRequest expiring = request;
        expiring.expiresAt = QStringLiteral("2030-01-01T00:00:00Z");
        QCOMPARE(expiring.toJson().value(QStringLiteral("expiresAt")).toString(), expiring.expiresAt);
    }

    void auditLogModelUnderTester() {
        AuditLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const AuditPage page = AuditPage::fromJson(QJsonDocument::fromJson(R"({"items":[
            {"id":"a1","createdAt":"2026-01-02T03:04:05.000Z","actorEmail":"admin@cove.local",
             "actorApiKeyPrefix":"cove_ab","actorApiKeySuffix":"yz","action":"create","targetType":"sandbox",
             "targetId":"s1","statusCode":201,"errorMessage":null,"source":"dashboard"},
            {"id":"a2","createdAt":"2026-01-02T03:04:05.000Z","actorEmail":"","actorApiKeyPrefix":null,
             "action":"authenticate","targetType":"api_key","targetId":null,"statusCode":401,
             "errorMessage":"Invalid key","source":"sdk"}],"total":7,"nextToken":"next"})")
                                                       .object());
        QCOMPARE(page.total, 7);
        QCOMPARE(page.nextToken, QStringLiteral("next"));
        QCOMPARE(page.items.size(), 2);
        QCOMPARE(page.items[0].actorKey, QStringLiteral("cove_ab…yz"));
        QCOMPARE(page.items[1].actorKey, QString());
        QVERIFY(page.items[1].failed());
        QCOMPARE(page.items[1].raw.value(QStringLiteral("id")).toString(), QStringLiteral("a2"));
        model.setRecords(page.items);
        QCOMPARE(model.index(0, AuditLogModel::Target).data().toString(), QStringLiteral("sandbox (s1)"));
        QCOMPARE(model.index(1, AuditLogModel::Target).data().toString(), QStringLiteral("api_key"));
        QCOMPARE(model.index(0, AuditLogModel::Outcome).data().toString(), QStringLiteral("Success (201)"));
        QCOMPARE(model.index(1, AuditLogModel::Outcome).data().toString(),
                 QStringLiteral("Error (401): Invalid key"));
        QCOMPARE(model.index(0, AuditLogModel::Actor).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("cove_ab…yz"));
        QVERIFY(!model.index(0, AuditLogModel::Time).data(AuditLogModel::FailedRole).toBool());
        QVERIFY(model.index(1, AuditLogModel::Source).data(AuditLogModel::FailedRole).toBool());
        model.appendRecords(page.items);
        QCOMPARE(model.rowCount(), 4);
        model.prependRecord(AuditEntry::fromJson({{QStringLiteral("action"), QStringLiteral("stop")}}));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.at(0).action, QStringLiteral("stop"));
        QCOMPARE(model.headerData(AuditLogModel::Outcome, Qt::Horizontal).toString(),
                 QStringLiteral("Outcome"));

        AuditFilter filter;
        QVERIFY(filter.isEmpty());
        QCOMPARE(filter.query(), QString());
        filter.action = QStringLiteral("replace labels");
        filter.outcome = QStringLiteral("error");
        filter.targetId = QStringLiteral("a&b");
        QCOMPARE(filter.query(), QStringLiteral("action=replace%20labels&outcome=error&targetId=a%26b"));
    }

    void limitsParsing() {
        const Usage usage = Usage::fromJson(QJsonDocument::fromJson(R"({"tier":2,
            "regionUsage":[{"currentCpuUsage":3,"totalCpuQuota":10,"currentMemoryUsage":4,"totalMemoryQuota":20,
              "currentDiskUsage":5,"totalDiskQuota":30,"maxCpuPerSandbox":4,"maxMemoryPerSandbox":8,
              "maxDiskPerSandbox":10}],
            "currentSnapshotUsage":2,"totalSnapshotQuota":50,"totalVolumeQuota":100,
            "usage":{"volumes":1,"runningSandboxes":2,"sandboxes":6}})")
                                                .object());
        QCOMPARE(usage.tier, 2);
        QVERIFY(!usage.customQuota);
        QCOMPARE(usage.cpu, 3);
        QCOMPARE(usage.cpuQuota, 10);
        QCOMPARE(usage.memoryQuota, 20);
        QCOMPARE(usage.disk, 5);
        QCOMPARE(usage.maxDiskPerSandbox, 10);
        QCOMPARE(usage.snapshots, 2);
        QCOMPARE(usage.volumeQuota, 100);
        QCOMPARE(usage.volumes, 1);
        QCOMPARE(usage.runningSandboxes, 2);
        QCOMPARE(usage.sandboxes, 6);
        const Usage custom = Usage::fromJson({{QStringLiteral("tier"), QStringLiteral("custom")}});
        QVERIFY(custom.customQuota);
        QCOMPARE(custom.tier, 0);

        const Organization org = Organization::fromJson(
            QJsonDocument::fromJson(
                R"({"id":"o1","authenticatedRateLimit":600,"sandboxCreateRateLimit":60,"sandboxLifecycleRateLimit":120})")
                .object());
        QCOMPARE(org.id, QStringLiteral("o1"));
        QCOMPARE(org.requestRateLimit, 600);
        QCOMPARE(org.createRateLimit, 60);
        QCOMPARE(org.lifecycleRateLimit, 120);

        const UsageSample sample = UsageSample::fromJson(
            QJsonDocument::fromJson(R"({"timestamp":"2026-01-02T03:04:05.000Z","cpu":1,"memory":2,"disk":3})")
                .object());
        QCOMPARE(sample.at, QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC).toMSecsSinceEpoch());
        QCOMPARE(sample.memory, 2);
        QCOMPARE(sample.disk, 3);
    }

    // The Daytona SDKs' variables point the dashboard and cove-cli at coved too; Cove's own win.
    void connectionFromDaytonaEnvironment() {
        const QByteArray saved[] = {qgetenv("COVE_URL"), qgetenv("COVE_API_KEY"), qgetenv("DAYTONA_API_URL"),
                                    qgetenv("DAYTONA_API_KEY")};
        qunsetenv("COVE_URL");
        qunsetenv("COVE_API_KEY");
        qputenv("DAYTONA_API_URL", "http://daytona.example:3986/api/");
        qputenv("DAYTONA_API_KEY", "dtn-key");
        ConnectionTarget t = Connection::resolve({}, {});
        QCOMPARE(t.url, QStringLiteral("http://daytona.example:3986"));
        QCOMPARE(t.apiKey, QStringLiteral("dtn-key"));
        QCOMPARE(t.source, QStringLiteral("DAYTONA_API_URL"));

        qputenv("COVE_URL", "http://cove.example:1");
        qputenv("COVE_API_KEY", "cove-key");
        t = Connection::resolve({}, {});
        QCOMPARE(t.url, QStringLiteral("http://cove.example:1"));
        QCOMPARE(t.apiKey, QStringLiteral("cove-key"));
        QCOMPARE(t.source, QStringLiteral("COVE_URL"));

        const char* names[] = {"COVE_URL", "COVE_API_KEY", "DAYTONA_API_URL", "DAYTONA_API_KEY"};
        for (int i = 0; i < 4; ++i)
            saved[i].isNull() ? qunsetenv(names[i]) : qputenv(names[i], saved[i]);
    }

    void toolboxRecords() {
        const Session s = Session::fromJson(QJsonDocument::fromJson(R"({"sessionId":"s1","commands":[
            {"id":"c1","command":"ls","exitCode":0},{"id":"c2","command":"sleep 9"}]})")
                                                .object());
        QCOMPARE(s.id, QStringLiteral("s1"));
        QCOMPARE(s.commands.size(), 2);
        QCOMPARE(s.commands.at(0).exitCode, std::optional<int>(0));
        QVERIFY(!s.commands.at(1).exitCode.has_value()); // still running
        // An async exec answers {cmdId}.
        QCOMPARE(SessionCommand::fromJson({{QStringLiteral("cmdId"), QStringLiteral("c3")}}).id,
                 QStringLiteral("c3"));
        QCOMPARE(ToolboxApi::base(QStringLiteral("a b")), QStringLiteral("/toolbox/a%20b"));
    }
};

QTEST_GUILESS_MAIN(TestClient)
#include "tst_client.moc"
