// Paths, queries and bodies of the key, audit and limit calls; replies parsed into their types.
#include "app/GovernanceApi.h"

#include "app/ApiClient.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>
#include <QUrlQuery>

namespace cove::app {

namespace {

QString organizationPath(const QString& id) {
    return QStringLiteral("/api/organizations/") + QString::fromLatin1(QUrl::toPercentEncoding(id));
}

QString text(const QJsonObject& o, const char* key) {
    return o.value(QLatin1String(key)).toString();
}

int number(const QJsonObject& o, const char* key) {
    return o.value(QLatin1String(key)).toInt();
}

} // namespace

ApiKey ApiKey::fromJson(const QJsonObject& dto) {
    ApiKey k;
    k.name = text(dto, "name");
    k.value = text(dto, "value");
    for (const auto& s : dto.value(QStringLiteral("permissions")).toArray())
        k.permissions << s.toString();
    k.createdAt = text(dto, "createdAt");
    k.lastUsedAt = text(dto, "lastUsedAt");
    k.expiresAt = text(dto, "expiresAt");
    return k;
}

QJsonObject CreateKeyRequest::toJson() const {
    QJsonObject body{{QStringLiteral("name"), name},
                     {QStringLiteral("permissions"), QJsonArray::fromStringList(permissions)}};
    if (!expiresAt.isEmpty())
        body.insert(QStringLiteral("expiresAt"), expiresAt);
    return body;
}

AuditEntry AuditEntry::fromJson(const QJsonObject& dto) {
    AuditEntry e;
    e.id = text(dto, "id");
    e.createdAt = text(dto, "createdAt");
    e.actorEmail = text(dto, "actorEmail");
    if (!dto.value(QStringLiteral("actorApiKeyPrefix")).isNull() &&
        dto.contains(QStringLiteral("actorApiKeyPrefix")))
        e.actorKey = text(dto, "actorApiKeyPrefix") + QStringLiteral("…") + text(dto, "actorApiKeySuffix");
    e.action = text(dto, "action");
    e.targetType = text(dto, "targetType");
    e.targetId = text(dto, "targetId");
    e.statusCode = number(dto, "statusCode");
    e.errorMessage = text(dto, "errorMessage");
    e.source = text(dto, "source");
    e.raw = dto;
    return e;
}

QString AuditFilter::query() const {
    QUrlQuery q;
    if (!action.isEmpty())
        q.addQueryItem(QStringLiteral("action"), action);
    if (!outcome.isEmpty())
        q.addQueryItem(QStringLiteral("outcome"), outcome);
    if (!targetId.isEmpty())
        q.addQueryItem(QStringLiteral("targetId"), targetId);
    return q.toString(QUrl::FullyEncoded);
}

AuditPage AuditPage::fromJson(const QJsonObject& dto) {
    AuditPage p;
    p.items = listOf<AuditEntry>(dto.value(QStringLiteral("items")).toArray());
    p.total = number(dto, "total");
    p.nextToken = text(dto, "nextToken");
    return p;
}

Organization Organization::fromJson(const QJsonObject& dto) {
    Organization o;
    o.id = text(dto, "id");
    o.requestRateLimit = number(dto, "authenticatedRateLimit");
    o.createRateLimit = number(dto, "sandboxCreateRateLimit");
    o.lifecycleRateLimit = number(dto, "sandboxLifecycleRateLimit");
    return o;
}

Usage Usage::fromJson(const QJsonObject& dto) {
    Usage u;
    const QJsonValue tier = dto.value(QStringLiteral("tier"));
    u.customQuota = tier.isString(); // "custom"
    u.tier = u.customQuota ? 0 : tier.toInt();
    const QJsonObject region = dto.value(QStringLiteral("regionUsage")).toArray().at(0).toObject();
    u.cpu = number(region, "currentCpuUsage");
    u.cpuQuota = number(region, "totalCpuQuota");
    u.memory = number(region, "currentMemoryUsage");
    u.memoryQuota = number(region, "totalMemoryQuota");
    u.disk = number(region, "currentDiskUsage");
    u.diskQuota = number(region, "totalDiskQuota");
    u.maxCpuPerSandbox = number(region, "maxCpuPerSandbox");
    u.maxMemoryPerSandbox = number(region, "maxMemoryPerSandbox");
    u.maxDiskPerSandbox = number(region, "maxDiskPerSandbox");
    u.snapshots = number(dto, "currentSnapshotUsage");
    u.snapshotQuota = number(dto, "totalSnapshotQuota");
    u.volumeQuota = number(dto, "totalVolumeQuota");
    const QJsonObject counts = dto.value(QStringLiteral("usage")).toObject();
    u.volumes = number(counts, "volumes");
    u.runningSandboxes = number(counts, "runningSandboxes");
    u.sandboxes = number(counts, "sandboxes");
    return u;
}

UsageSample UsageSample::fromJson(const QJsonObject& dto) {
    UsageSample s;
    s.at = QDateTime::fromString(text(dto, "timestamp"), Qt::ISODateWithMs).toMSecsSinceEpoch();
    s.cpu = number(dto, "cpu");
    s.memory = number(dto, "memory");
    s.disk = number(dto, "disk");
    return s;
}

void KeysApi::list(QObject* context, Reply<QList<ApiKey>> reply) {
    m_client->get(QStringLiteral("/api/api-keys"), context, [reply = std::move(reply)](const ApiResult& r) {
        r.ok ? reply(listOf<ApiKey>(r.json.array())) : reply(ApiError::fromResult(r));
    });
}

void KeysApi::create(const CreateKeyRequest& request, QObject* context, Reply<ApiKey> reply) {
    m_client->post(QStringLiteral("/api/api-keys"), request.toJson(), context,
                   [reply = std::move(reply)](const ApiResult& r) {
                       r.ok ? reply(ApiKey::fromJson(r.json.object())) : reply(ApiError::fromResult(r));
                   });
}

void KeysApi::revoke(const QString& name, QObject* context, Reply<Done> reply) {
    m_client->del(QStringLiteral("/api/api-keys/") + QString::fromLatin1(QUrl::toPercentEncoding(name)),
                  context, doneReply(std::move(reply)));
}

void AuditApi::list(const AuditFilter& filter, int limit, const QString& nextToken, QObject* context,
                    Reply<AuditPage> reply) {
    QString path = QStringLiteral("/api/audit?limit=%1").arg(limit);
    if (!filter.isEmpty())
        path += QLatin1Char('&') + filter.query();
    if (!nextToken.isEmpty())
        path += QStringLiteral("&nextToken=") + QString::fromLatin1(QUrl::toPercentEncoding(nextToken));
    m_client->get(path, context, [reply = std::move(reply)](const ApiResult& r) {
        r.ok ? reply(AuditPage::fromJson(r.json.object())) : reply(ApiError::fromResult(r));
    });
}

void AuditApi::exportLog(const AuditFilter& filter, const QString& format, QObject* context,
                         Reply<QByteArray> reply) {
    QString path =
        QStringLiteral("/api/audit?format=") + QString::fromLatin1(QUrl::toPercentEncoding(format));
    if (!filter.isEmpty())
        path += QLatin1Char('&') + filter.query();
    m_client->get(path, context, [reply = std::move(reply)](const ApiResult& r) {
        r.ok ? reply(r.body) : reply(ApiError::fromResult(r));
    });
}

void LimitsApi::organization(QObject* context, Reply<Organization> reply) {
    m_client->get(
        QStringLiteral("/api/organizations"), context, [reply = std::move(reply)](const ApiResult& r) {
            if (!r.ok)
                return reply(ApiError::fromResult(r));
            const Organization org = Organization::fromJson(r.json.array().at(0).toObject());
            if (org.id.isEmpty())
                return reply(
                    ApiError::fromBody(r.status, {},
                                       QCoreApplication::translate("cove::app::LimitsApi",
                                                                   "The service lists no organization.")));
            reply(org);
        });
}

void LimitsApi::usage(const QString& organization, QObject* context, Reply<Usage> reply) {
    m_client->get(organizationPath(organization) + QStringLiteral("/usage"), context,
                  [reply = std::move(reply)](const ApiResult& r) {
                      r.ok ? reply(Usage::fromJson(r.json.object())) : reply(ApiError::fromResult(r));
                  });
}

void LimitsApi::history(const QString& organization, int hours, QObject* context,
                        Reply<QList<UsageSample>> reply) {
    const QString from =
        QDateTime::currentDateTimeUtc().addSecs(-qint64(hours) * 3600).toString(Qt::ISODateWithMs);
    m_client->get(organizationPath(organization) + QStringLiteral("/usage/history?from=") +
                      QString::fromLatin1(QUrl::toPercentEncoding(from)),
                  context, [reply = std::move(reply)](const ApiResult& r) {
                      r.ok ? reply(listOf<UsageSample>(r.json.array())) : reply(ApiError::fromResult(r));
                  });
}

void LimitsApi::setTier(const QString& organization, int tier, QObject* context, Reply<Usage> reply) {
    m_client->put(organizationPath(organization) + QStringLiteral("/tier"), {{QStringLiteral("tier"), tier}},
                  context, [reply = std::move(reply)](const ApiResult& r) {
                      r.ok ? reply(Usage::fromJson(r.json.object())) : reply(ApiError::fromResult(r));
                  });
}

WarmPool WarmPool::fromJson(const QJsonObject& dto) {
    WarmPool p;
    p.id = text(dto, "id");
    p.snapshot = text(dto, "snapshot");
    p.target = text(dto, "target");
    p.osUser = text(dto, "osUser");
    p.errorReason = text(dto, "errorReason");
    p.pool = number(dto, "pool");
    p.currentSize = number(dto, "currentSize");
    p.cpu = number(dto, "cpu");
    p.memory = number(dto, "mem");
    p.disk = number(dto, "disk");
    return p;
}

void WarmPoolsApi::list(QObject* context, Reply<QList<WarmPool>> reply) {
    m_client->get(QStringLiteral("/api/warm-pools"), context, [reply = std::move(reply)](const ApiResult& r) {
        r.ok ? reply(listOf<WarmPool>(r.json.array())) : reply(ApiError::fromResult(r));
    });
}

void WarmPoolsApi::create(const QString& snapshot, int size, QObject* context, Reply<WarmPool> reply) {
    m_client->post(QStringLiteral("/api/warm-pools"),
                   {{QStringLiteral("snapshot"), snapshot}, {QStringLiteral("pool"), size}}, context,
                   [reply = std::move(reply)](const ApiResult& r) {
                       r.ok ? reply(WarmPool::fromJson(r.json.object())) : reply(ApiError::fromResult(r));
                   });
}

void WarmPoolsApi::resize(const QString& id, int size, QObject* context, Reply<WarmPool> reply) {
    const QByteArray body =
        QJsonDocument(QJsonObject{{QStringLiteral("pool"), size}}).toJson(QJsonDocument::Compact);
    m_client->send("PATCH",
                   QStringLiteral("/api/warm-pools/") + QString::fromLatin1(QUrl::toPercentEncoding(id)),
                   body, {}, context, [reply = std::move(reply)](const ApiResult& r) {
                       r.ok ? reply(WarmPool::fromJson(r.json.object())) : reply(ApiError::fromResult(r));
                   });
}

void WarmPoolsApi::remove(const QString& id, QObject* context, Reply<Done> reply) {
    m_client->del(QStringLiteral("/api/warm-pools/") + QString::fromLatin1(QUrl::toPercentEncoding(id)),
                  context, doneReply(std::move(reply)));
}

} // namespace cove::app
