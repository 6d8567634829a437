// Governance on a real coved: API keys, scopes enforced on every route of the table, tiers and quotas
// across every state change, rate limits, and an audit log that records exactly what happened.
#include "service/api/EventChannel.h"
#include "service/api/Routes.h"
#include "service/domain/Keys.h"
#include "service/domain/RateLimiter.h"
#include "service/domain/SandboxService.h"
#include "service/engine/DockerClient.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QDateTime>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace cove;
using namespace cove::test;

namespace {

QString key(const QJsonObject& created) {
    return created.value(QStringLiteral("value")).toString();
}

QString orgPath(const QString& suffix = {}) {
    return QStringLiteral("/api/organizations/personal") + suffix;
}

} // namespace

class TestGovernance : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};

    Reply as(const QString& apiKey, const QByteArray& method, const QString& path,
             const QByteArray& body = {}) {
        return request(method, coved.url() + path, apiKey, body);
    }
    QJsonObject makeKey(const QString& name, const QStringList& scopes, const QString& expiresAt = {}) {
        QJsonObject body{{QStringLiteral("name"), name},
                         {QStringLiteral("permissions"), QJsonArray::fromStringList(scopes)}};
        if (!expiresAt.isEmpty())
            body.insert(QStringLiteral("expiresAt"), expiresAt);
        const auto r = sb.call("POST", QStringLiteral("/api/api-keys"), QJsonDocument(body).toJson());
        if (r.status != 201)
            qWarning() << "key" << name << r.status << r.body;
        return r.object();
    }
    QJsonObject region() {
        return sb.call("GET", orgPath(QStringLiteral("/usage")))
            .object()
            .value(QStringLiteral("regionUsage"))
            .toArray()
            .at(0)
            .toObject();
    }
    int used(const char* what) { return region().value(QLatin1String(what)).toInt(); }
    void setQuota(const QByteArray& body) {
        QCOMPARE(sb.call("PATCH", orgPath(QStringLiteral("/quota")), body).status, 200);
    }
    void setTier(int tier) {
        QCOMPARE(sb.call("PUT", orgPath(QStringLiteral("/tier")),
                         QStringLiteral("{\"tier\":%1}").arg(tier).toUtf8())
                     .status,
                 200);
    }
    int post(const QString& id, const char* action) {
        return sb
            .call("POST", QStringLiteral("/api/sandbox/") + id + QLatin1Char('/') + QLatin1String(action))
            .status;
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("1")}),
                 qPrintable(coved.error()));
    }

    // --- API keys ---------------------------------------------------------------------------------------

    void keysAreShownOnceAndStoredMasked() {
        const auto created = makeKey(QStringLiteral("agent"), {QStringLiteral("write:sandboxes")});
        const QString secret = key(created);
        QVERIFY(secret.startsWith(QStringLiteral("cove_")));
        QVERIFY(secret.size() >= 5 + 64); // 256 random bits in hex
        QCOMPARE(created.value(QStringLiteral("permissions")).toArray().size(), 1);

        const auto list = sb.call("GET", QStringLiteral("/api/api-keys")).json().array();
        QCOMPARE(list.size(), 2); // admin and agent
        for (const auto& k : list) {
            const QString value = k.toObject().value(QStringLiteral("value")).toString();
            QVERIFY2(value.contains(QStringLiteral("****")), qPrintable(value));
            QVERIFY(!value.contains(secret.mid(8, 20)));
        }
        for (const char* file : {"/cove.db", "/cove.db-wal"}) {
            QFile f(coved.dataDir() + QLatin1String(file));
            if (f.open(QIODevice::ReadOnly))
                QVERIFY(!f.readAll().contains(secret.toUtf8()));
        }

        // The new key works, knows itself, and records its last use.
        const auto me = as(secret, "GET", QStringLiteral("/api/api-keys/current")).object();
        QCOMPARE(me.value(QStringLiteral("name")).toString(), QStringLiteral("agent"));
        QVERIFY(!sb.call("GET", QStringLiteral("/api/api-keys/agent"))
                     .object()
                     .value(QStringLiteral("lastUsedAt"))
                     .isNull());
        // It cannot hand out what it does not hold.
        const auto escalate = as(secret, "POST", QStringLiteral("/api/api-keys"),
                                 R"({"name":"more","permissions":["delete:sandboxes"]})");
        QCOMPARE(escalate.status, 403);
        // Revoked: refused at once.
        QCOMPARE(sb.call("DELETE", QStringLiteral("/api/api-keys/agent")).status, 204);
        QCOMPARE(as(secret, "GET", QStringLiteral("/api/sandbox")).status, 401);
        QCOMPARE(sb.call("GET", QStringLiteral("/api/api-keys/agent")).status, 404);
    }

    void badKeyRequestsAreRefusedClearly() {
        const struct {
            const char* body;
            int status;
            const char* says;
        } cases[] = {
            {R"({"name":"x","permissions":["write:everything"]})", 400, "Unknown permission"},
            {R"({"name":" padded ","permissions":[]})", 400, "leading or trailing"},
            {R"({"name":"x","permissions":"write:sandboxes"})", 400, "array"},
            {R"({"name":"x","permissions":[],"expiresAt":"2001-01-01T00:00:00Z"})", 400, "in the past"},
            {R"({"name":"x","permissions":[],"expiresAt":"soon"})", 400, "ISO 8601"},
            {R"({"permissions":[]})", 400, "'name' is required"},
            {R"({"name":"admin","permissions":[]})", 409, "already exists"},
            {R"([1,2)", 400, ""},
        };
        for (const auto& c : cases) {
            const auto r = sb.call("POST", QStringLiteral("/api/api-keys"), c.body);
            QVERIFY2(r.status == c.status, c.body);
            QVERIFY2(r.message().contains(QLatin1String(c.says)), qPrintable(r.message()));
        }
    }

    void expiredKeysStopWorking() {
        const QString soon = QDateTime::currentDateTimeUtc().addSecs(2).toString(Qt::ISODateWithMs);
        const QString secret = key(makeKey(QStringLiteral("short-lived"), {}, soon));
        QCOMPARE(as(secret, "GET", QStringLiteral("/api/sandbox")).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(as(secret, "GET", QStringLiteral("/api/sandbox")).status, 401, 10000);
    }

    // --- Scopes on every route ------------------------------------------------------------------------

    void everyScopedRouteRefusesKeysWithoutItsScope() {
        // The table coved serves, built the same way coved builds it.
        QTemporaryDir dir;
        boost::asio::io_context io;
        const TestDatabase where(dir.path());
        const auto store = store::open(where.spec());
        auto& db = *store;
        engine::DockerClient engine(io.get_executor(), "unix:///nonexistent");
        SystemClock clock;
        domain::SandboxService sandboxes(db, engine, clock, domain::ServiceConfig{});
        api::EventChannel events([](const std::string&) { return std::nullopt; });
        domain::Keys keys(db);
        domain::RateLimiter limiter(clock, {});
        api::Router router;
        api::addAllRoutes(router, engine, sandboxes, events,
                          api::Governance{db, keys, sandboxes.auditLog(), limiter, clock});

        const auto all = domain::Keys::knownScopes();
        QMap<QString, QString> with, without; // scope -> key holding only it / every other scope
        const QString everything = key(makeKey(QStringLiteral("everything"), [&] {
            QStringList l;
            for (const auto& s : all)
                l << QString::fromStdString(s);
            return l;
        }()));
        int scoped = 0, admin = 0;
        for (const auto& r : router.routes()) {
            QString path = QString::fromStdString(r.pattern);
            path.replace(QStringLiteral("{id}"), QStringLiteral("no-such-sandbox"))
                .replace(QStringLiteral("{name}"), QStringLiteral("no-such-key"))
                .replace(QStringLiteral("{organizationId}"), QStringLiteral("personal"))
                .replace(QStringLiteral("{isPublic}"), QStringLiteral("true"))
                .replace(QStringLiteral("{interval}"), QStringLiteral("5"))
                .replace(QStringLiteral("{*path}"), QStringLiteral("version"));
            const QByteArray method(std::string(http::bhttp::to_string(r.method)).c_str());
            const QString name = QString::fromLatin1(method) + QLatin1Char(' ') + path;
            if (r.access.kind == api::Access::Kind::Scope) {
                const QString scope = QString::fromStdString(r.access.scope);
                if (!with.contains(scope)) {
                    QStringList others;
                    for (const auto& s : all)
                        if (QString::fromStdString(s) != scope)
                            others << QString::fromStdString(s);
                    with[scope] = key(makeKey(QStringLiteral("only ") + scope, {scope}));
                    without[scope] = key(makeKey(QStringLiteral("all but ") + scope, others));
                }
                const auto refused = as(without[scope], method, path, "{}");
                QVERIFY2(refused.status == 403, qPrintable(name + QStringLiteral(" without ") + scope));
                QVERIFY2(refused.message().contains(scope), qPrintable(refused.message()));
                const auto allowed = as(with[scope], method, path, "{}");
                QVERIFY2(allowed.status != 403 && allowed.status != 401,
                         qPrintable(name + QStringLiteral(" with ") + scope + QStringLiteral(": ") +
                                    QString::number(allowed.status)));
                ++scoped;
            } else if (r.access.kind == api::Access::Kind::Admin) {
                QCOMPARE(as(everything, method, path, "{}").status, 403);
                QVERIFY2(sb.call(method, path, "{}").status != 403, qPrintable(name));
                ++admin;
            }
        }
        QVERIFY(scoped >= 10);
        QVERIFY(admin >= 2);
        sb.removeAll(); // what the allowed calls made
        for (const auto& s :
             sb.call("GET", QStringLiteral("/api/sandbox")).object().value(QStringLiteral("items")).toArray())
            sb.call("DELETE",
                    QStringLiteral("/api/sandbox/") + s.toObject().value(QStringLiteral("id")).toString());
    }

    // --- Tiers and quotas -----------------------------------------------------------------------------

    void tierOneByDefaultAndPoolIsFree() {
        const auto usage = sb.call("GET", orgPath(QStringLiteral("/usage"))).object();
        QCOMPARE(usage.value(QStringLiteral("tier")).toInt(), 1);
        QCOMPARE(region().value(QStringLiteral("totalCpuQuota")).toInt(), 10);
        QCOMPARE(region().value(QStringLiteral("totalMemoryQuota")).toInt(), 10);
        QCOMPARE(region().value(QStringLiteral("totalDiskQuota")).toInt(), 30);
        QCOMPARE(region().value(QStringLiteral("maxCpuPerSandbox")).toInt(), 4);
        // The warm pool's running containers count for nothing.
        QTRY_COMPARE_WITH_TIMEOUT(sb.call("GET", QStringLiteral("/api/info"))
                                      .object()
                                      .value(QStringLiteral("warmPool"))
                                      .toObject()
                                      .value(QStringLiteral("ready"))
                                      .toInt(),
                                  1, 60000);
        QCOMPARE(used("currentCpuUsage"), 0);
        const auto orgs = sb.call("GET", QStringLiteral("/api/organizations")).json().array();
        QCOMPARE(orgs.size(), 1);
        QCOMPARE(orgs.at(0).toObject().value(QStringLiteral("personal")).toBool(), true);
    }

    void admissionAndReleaseAcrossStates() {
        setQuota(R"({"totalCpuQuota":2,"totalMemoryQuota":4,"totalDiskQuota":9})");
        const QString a = sb.create(), b = sb.create();
        QVERIFY(!a.isEmpty() && !b.isEmpty());
        QCOMPARE(used("currentCpuUsage"), 2);
        QCOMPARE(used("currentDiskUsage"), 6);

        // Full: a third is refused with the limit, the use and the request.
        auto r = sb.call("POST", QStringLiteral("/api/sandbox"), "{}");
        QCOMPARE(r.status, 403);
        QVERIFY2(r.message().contains(QStringLiteral("allows 2 vCPU; 2 in use; this sandbox asks for 1")),
                 qPrintable(r.message()));
        QCOMPARE(r.object().value(QStringLiteral("code")).toString(), QStringLiteral("QUOTA_EXCEEDED"));
        QCOMPARE(r.object().value(QStringLiteral("field")).toString(), QStringLiteral("cpu"));
        // Live resize beyond the quota is refused too, and changes nothing.
        r = sb.call("POST", QStringLiteral("/api/sandbox/") + a + QStringLiteral("/resize"), R"({"cpu":2})");
        QCOMPARE(r.status, 403);
        QCOMPARE(sb.get(a).value(QStringLiteral("cpu")).toInt(), 1);

        // Stopping frees CPU and memory, not disk.
        QCOMPARE(post(b, "stop"), 200);
        QCOMPARE(used("currentCpuUsage"), 1);
        QCOMPARE(used("currentMemoryUsage"), 1);
        QCOMPARE(used("currentDiskUsage"), 6);
        const QString c = sb.create();
        QVERIFY(!c.isEmpty());
        QCOMPARE(used("currentDiskUsage"), 9);
        // b cannot start again while a and c run.
        r = sb.call("POST", QStringLiteral("/api/sandbox/") + b + QStringLiteral("/start"));
        QCOMPARE(r.status, 403);
        QCOMPARE(sb.state(b), QStringLiteral("stopped"));
        // Archiving frees its disk; deleting frees everything.
        QCOMPARE(post(b, "archive"), 200);
        QTRY_COMPARE_WITH_TIMEOUT(sb.state(b), QStringLiteral("archived"), 120000);
        QCOMPARE(used("currentDiskUsage"), 6);
        QCOMPARE(sb.call("DELETE", QStringLiteral("/api/sandbox/") + c).status, 200);
        QCOMPARE(used("currentCpuUsage"), 1);
        QCOMPARE(used("currentDiskUsage"), 3);
        // Restoring from the archive takes CPU, memory and disk again.
        QCOMPARE(post(b, "start"), 200);
        QCOMPARE(used("currentCpuUsage"), 2);
        QCOMPARE(used("currentDiskUsage"), 6);
    }

    void perSandboxMaximaAndTierChangeAtOnce() {
        auto r = sb.call("POST", QStringLiteral("/api/sandbox"), R"({"cpu":5})");
        QCOMPARE(r.status, 403);
        QVERIFY2(r.message().contains(QStringLiteral("at most 4 vCPU")), qPrintable(r.message()));
        QCOMPARE(sb.call("POST", QStringLiteral("/api/sandbox"), "{}").status, 403); // still full
        setTier(2);
        QCOMPARE(region().value(QStringLiteral("totalCpuQuota")).toInt(), 100);
        const QString d = sb.create();
        QVERIFY(!d.isEmpty());
        // Only the admin key changes tiers; the change is audited.
        const QString writer = key(makeKey(QStringLiteral("writer"), {QStringLiteral("write:sandboxes")}));
        QCOMPARE(as(writer, "PUT", orgPath(QStringLiteral("/tier")), R"({"tier":4})").status, 403);
        QCOMPARE(sb.call("PUT", orgPath(QStringLiteral("/tier")), R"({"tier":7})").status, 400);
        const auto audit = sb.call("GET", QStringLiteral("/api/audit?action=update_quota")).object();
        QVERIFY(audit.value(QStringLiteral("total")).toInt() >= 3);
    }

    void usageSurvivesRestartAndMatchesTheSandboxes() {
        const auto before = region();
        coved.stop();
        QVERIFY2(coved.start(), qPrintable(coved.error()));
        const auto after = region();
        for (const char* k : {"currentCpuUsage", "currentMemoryUsage", "currentDiskUsage"})
            QCOMPARE(after.value(QLatin1String(k)).toInt(), before.value(QLatin1String(k)).toInt());
        // Recomputed from the sandboxes themselves.
        int cpu = 0, disk = 0;
        for (const auto& v : sb.call("GET", QStringLiteral("/api/sandbox"))
                                 .object()
                                 .value(QStringLiteral("items"))
                                 .toArray()) {
            const auto s = v.toObject();
            const QString state = s.value(QStringLiteral("state")).toString();
            if (state == QLatin1String("started"))
                cpu += s.value(QStringLiteral("cpu")).toInt();
            if (state != QLatin1String("archived"))
                disk += s.value(QStringLiteral("disk")).toInt();
        }
        QCOMPARE(after.value(QStringLiteral("currentCpuUsage")).toInt(), cpu);
        QCOMPARE(after.value(QStringLiteral("currentDiskUsage")).toInt(), disk);
        // And sampled for the charts.
        const auto history = sb.call("GET", orgPath(QStringLiteral("/usage/history"))).json().array();
        QVERIFY(!history.isEmpty());
        QCOMPARE(history.last().toObject().value(QStringLiteral("cpu")).toInt(), cpu);
        QCOMPARE(sb.call("GET", orgPath(QStringLiteral("/usage/history?from=yesterday"))).status, 400);
        sb.removeAll();
        setTier(1);
    }

    // --- Rate limits ----------------------------------------------------------------------------------

    void rateLimitsAnswer429WithHeaders() {
        CovedProcess limited;
        QVERIFY2(limited.start({QStringLiteral("--warm-pool"), QStringLiteral("0"),
                                QStringLiteral("--rate-limit"), QStringLiteral("sandbox-create=2"),
                                QStringLiteral("--rate-limit"), QStringLiteral("auth-failures=3")}),
                 qPrintable(limited.error()));
        QNetworkAccessManager net;
        const auto get = [&](const QString& path, const QByteArray& method, const QString& apiKey,
                             const QByteArray& body) {
            QNetworkRequest req(QUrl(limited.url() + path));
            req.setRawHeader("Authorization", "Bearer " + apiKey.toUtf8());
            req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
            QNetworkReply* reply = net.sendCustomRequest(req, method, body);
            QSignalSpy done(reply, &QNetworkReply::finished);
            done.wait(60000);
            reply->deleteLater();
            return reply;
        };
        auto* r = get(QStringLiteral("/api/sandbox"), "GET", limited.adminKey(), {});
        QCOMPARE(r->rawHeader("X-RateLimit-Limit-authenticated"), QByteArray("6000"));
        QVERIFY(r->rawHeader("X-RateLimit-Remaining-authenticated").toInt() >= 5990);
        QVERIFY(r->rawHeader("X-RateLimit-Remaining-authenticated").toInt() < 6000);
        // Two creates fit (these two are refused as bad input, but they count); the third waits.
        for (int i = 0; i < 2; ++i) {
            r = get(QStringLiteral("/api/sandbox"), "POST", limited.adminKey(), R"({"cpu":"many"})");
            QCOMPARE(r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 400);
            QCOMPARE(r->rawHeader("X-RateLimit-Remaining-sandbox-create"), QByteArray::number(1 - i));
        }
        r = get(QStringLiteral("/api/sandbox"), "POST", limited.adminKey(), "{}");
        QCOMPARE(r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 429);
        QVERIFY(r->rawHeader("Retry-After").toInt() >= 1);
        QVERIFY(QJsonDocument::fromJson(r->readAll())
                    .object()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("sandbox-create")));
        // Other calls are not held up by the create bucket.
        r = get(QStringLiteral("/api/sandbox"), "GET", limited.adminKey(), {});
        QCOMPARE(r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        // The refusal is in the audit log.
        const auto rows =
            request("GET", limited.apiUrl() + QStringLiteral("/audit?outcome=429"), limited.adminKey())
                .object()
                .value(QStringLiteral("items"))
                .toArray();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.at(0).toObject().value(QStringLiteral("action")).toString(), QStringLiteral("create"));

        // Three bad keys from one address, and it must wait.
        for (int i = 0; i < 3; ++i)
            QCOMPARE(request("GET", limited.apiUrl() + QStringLiteral("/sandbox"), QStringLiteral("cove_bad"))
                         .status,
                     401);
        r = get(QStringLiteral("/api/sandbox"), "GET", QStringLiteral("cove_bad"), {});
        QCOMPARE(r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 429);
        QVERIFY(r->rawHeader("Retry-After").toInt() >= 1);
    }

    // --- The audit log --------------------------------------------------------------------------------

    void auditRecordsExactlyWhatHappened() {
        CovedProcess fresh;
        QVERIFY2(fresh.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(fresh.error()));
        Sandboxes fsb(fresh);
        const auto call = [&](const QByteArray& method, const QString& path, const QByteArray& body = {}) {
            return fsb.call(method, path, body).status;
        };
        // A scripted session: 10 audited calls (reads are not audited) and one bad key.
        const QString id = fsb.create(R"({"name":"audited"})"); // 1
        QVERIFY(!id.isEmpty());
        // From the SDK, as its header says.
        QCOMPARE(request("PUT", fresh.url() + QStringLiteral("/api/sandbox/audited/labels"), fresh.adminKey(),
                         R"({"labels":{"a":"b"}})", {{"X-Daytona-Source", "sdk-typescript-legacy"}})
                     .status,
                 200);                                                                // 2
        QCOMPARE(call("POST", QStringLiteral("/api/sandbox/audited/stop")), 200);     // 3
        QCOMPARE(call("POST", QStringLiteral("/api/sandbox/audited/stop")), 200);     // 4 (no-op)
        QCOMPARE(call("POST", QStringLiteral("/api/sandbox/audited/start")), 200);    // 5
        QCOMPARE(call("POST", QStringLiteral("/api/sandbox"), R"({"cpu":-1})"), 400); // 6
        QCOMPARE(call("DELETE", QStringLiteral("/api/sandbox/nothing")), 404);        // 7
        QCOMPARE(call("POST", QStringLiteral("/api/api-keys"), R"({"name":"ci","permissions":[]})"),
                 201); // 8
        QCOMPARE(call("POST", QStringLiteral("/toolbox/") + id + QStringLiteral("/process/execute"),
                      R"({"command":"true"})"),
                 200);                                              // 8b
        QCOMPARE(call("GET", QStringLiteral("/api/sandbox")), 200); // read, not audited
        QCOMPARE(
            request("GET", fresh.apiUrl() + QStringLiteral("/sandbox"), QStringLiteral("cove_nope")).status,
            401);                                                            // 9
        QCOMPARE(call("DELETE", QStringLiteral("/api/sandbox/") + id), 200); // 10

        const auto page = fsb.call("GET", QStringLiteral("/api/audit?limit=1000")).object();
        const auto items = page.value(QStringLiteral("items")).toArray();
        QStringList got;
        for (auto it = items.end(); it != items.begin();) { // oldest first
            const auto row = (--it)->toObject();
            got << row.value(QStringLiteral("action")).toString() + QLatin1Char(' ') +
                       QString::number(row.value(QStringLiteral("statusCode")).toInt());
        }
        const QStringList expected{QStringLiteral("create 200"),
                                   QStringLiteral("replace_labels 200"),
                                   QStringLiteral("stop 200"),
                                   QStringLiteral("stop 200"),
                                   QStringLiteral("start 200"),
                                   QStringLiteral("create 400"),
                                   QStringLiteral("delete 404"),
                                   QStringLiteral("create 201"),
                                   QStringLiteral("toolbox_execute_command 200"),
                                   QStringLiteral("authenticate 401"),
                                   QStringLiteral("delete 200")};
        QCOMPARE(got, expected);
        QCOMPARE(page.value(QStringLiteral("total")).toInt(), expected.size());
        const auto first = items.last().toObject();
        QCOMPARE(first.value(QStringLiteral("targetId")).toString(), id);
        QCOMPARE(first.value(QStringLiteral("actorEmail")).toString(), QStringLiteral("admin"));
        QCOMPARE(first.value(QStringLiteral("actorApiKeyPrefix")).toString(), fresh.adminKey().left(8));
        QCOMPARE(first.value(QStringLiteral("ipAddress")).toString(), QStringLiteral("127.0.0.1"));
        QVERIFY(
            !items.at(4).toObject().value(QStringLiteral("errorMessage")).toString().isEmpty()); // the 404

        // Filters return the right subsets.
        const auto count = [&](const QString& query) {
            return fsb.call("GET", QStringLiteral("/api/audit?") + query)
                .object()
                .value(QStringLiteral("total"))
                .toInt();
        };
        QCOMPARE(count(QStringLiteral("action=stop")), 2);
        QCOMPARE(count(QStringLiteral("outcome=error")), 3);
        QCOMPARE(count(QStringLiteral("outcome=success")), 8);
        QCOMPARE(count(QStringLiteral("outcome=404")), 1);
        QCOMPARE(count(QStringLiteral("targetType=api_key")), 2);
        QCOMPARE(count(QStringLiteral("targetType=sandbox&targetId=") + id), 7);
        QCOMPARE(count(QStringLiteral("action=replace_labels")), 1);
        QCOMPARE(fsb.call("GET", QStringLiteral("/api/audit?action=replace_labels"))
                     .object()
                     .value(QStringLiteral("items"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("source"))
                     .toString(),
                 QStringLiteral("sdk"));
        QCOMPARE(count(QStringLiteral("actor=admin")), 10);
        QCOMPARE(count(QStringLiteral("from=2199-01-01T00:00:00Z")), 0);
        QCOMPARE(fsb.call("GET", QStringLiteral("/api/audit?from=2999-01-01T00:00:00Z")).status, 400);
        QCOMPARE(count(QStringLiteral("to=2000-01-01T00:00:00Z")), 0);
        QCOMPARE(fsb.call("GET", QStringLiteral("/api/audit?from=tuesday")).status, 400);
        QCOMPARE(fsb.call("GET", QStringLiteral("/api/audit?outcome=maybe")).status, 400);

        // Cursor pages cover every row once.
        QStringList paged;
        QString token;
        for (int pages = 0; pages < 10; ++pages) {
            const auto p =
                fsb.call("GET", QStringLiteral("/api/audit/organizations/personal?limit=3") +
                                    (token.isEmpty() ? QString() : QStringLiteral("&nextToken=") + token))
                    .object();
            for (const auto& v : p.value(QStringLiteral("items")).toArray())
                paged << v.toObject().value(QStringLiteral("id")).toString();
            token = p.value(QStringLiteral("nextToken")).toString();
            if (token.isEmpty())
                break;
        }
        QCOMPARE(paged.size(), expected.size());
        QCOMPARE(QSet<QString>(paged.begin(), paged.end()).size(), expected.size());

        // Exports.
        const auto csv = fsb.call("GET", QStringLiteral("/api/audit?format=csv")).body;
        const auto lines = csv.trimmed().split('\n');
        QCOMPARE(lines.size(), expected.size() + 1);
        QCOMPARE(lines.at(0).trimmed(),
                 QByteArray("createdAt,actorEmail,actorApiKeyPrefix,actorApiKeySuffix,action,"
                            "targetType,targetId,"
                            "statusCode,errorMessage,source,ipAddress,userAgent"));
        QCOMPARE(fsb.call("GET", QStringLiteral("/api/audit?format=json")).json().array().size(),
                 expected.size());
        // Append-only: no route deletes rows.
        QCOMPARE(fsb.call("DELETE", QStringLiteral("/api/audit")).status, 405);
    }
};

QTEST_GUILESS_MAIN(TestGovernance)
#include "tst_governance.moc"
