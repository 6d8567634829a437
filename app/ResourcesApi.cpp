// Paths and bodies of the snapshot, volume and registry calls; replies parsed into their types.
#include "app/ResourcesApi.h"

#include "app/ApiClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

namespace cove::app {

namespace {

QString snapshotPath(const QString& id) {
    return QStringLiteral("/api/snapshots/") + QString::fromLatin1(QUrl::toPercentEncoding(id));
}

} // namespace

ApiClient::Callback doneReply(Reply<Done> reply) {
    return [reply = std::move(reply)](const ApiResult& r) {
        r.ok ? reply(Done{}) : reply(ApiError::fromResult(r));
    };
}

bool Snapshot::settling() const {
    return state == QLatin1String("pending") || state == QLatin1String("pulling") ||
           state == QLatin1String("building");
}

Snapshot Snapshot::fromJson(const QJsonObject& dto) {
    Snapshot s;
    s.id = dto.value(QStringLiteral("id")).toString();
    s.name = dto.value(QStringLiteral("name")).toString();
    s.imageName = dto.value(QStringLiteral("imageName")).toString();
    s.state = dto.value(QStringLiteral("state")).toString();
    s.errorReason = dto.value(QStringLiteral("errorReason")).toString();
    s.cpu = dto.value(QStringLiteral("cpu")).toInt();
    s.memory = dto.value(QStringLiteral("mem")).toInt();
    s.disk = dto.value(QStringLiteral("disk")).toInt();
    s.sizeGb = dto.value(QStringLiteral("size")).toDouble(-1); // GB, as Daytona gives it
    s.general = dto.value(QStringLiteral("general")).toBool();
    s.createdAt = dto.value(QStringLiteral("createdAt")).toString();
    return s;
}

Volume Volume::fromJson(const QJsonObject& dto) {
    Volume v;
    v.id = dto.value(QStringLiteral("id")).toString();
    v.name = dto.value(QStringLiteral("name")).toString();
    v.state = dto.value(QStringLiteral("state")).toString();
    v.errorReason = dto.value(QStringLiteral("errorReason")).toString();
    v.usedBytes = dto.value(QStringLiteral("usedBytes")).toInteger(-1);
    v.createdAt = dto.value(QStringLiteral("createdAt")).toString();
    v.lastUsedAt = dto.value(QStringLiteral("lastUsedAt")).toString();
    return v;
}

void SnapshotsApi::list(int limit, QObject* context, Reply<QList<Snapshot>> reply) {
    m_client->get(QStringLiteral("/api/snapshots?page=1&limit=%1").arg(limit), context,
                  [reply = std::move(reply)](const ApiResult& r) {
                      if (!r.ok)
                          return reply(ApiError::fromResult(r));
                      reply(listOf<Snapshot>(r.json.object().value(QStringLiteral("items")).toArray()));
                  });
}

QJsonObject CreateSnapshotRequest::toJson() const {
    QJsonObject body{{QStringLiteral("name"), name}};
    if (dockerfile.isEmpty())
        body.insert(QStringLiteral("imageName"), image);
    else
        body.insert(QStringLiteral("buildInfo"),
                    QJsonObject{{QStringLiteral("dockerfileContent"), dockerfile}});
    if (!entrypoint.isEmpty())
        body.insert(QStringLiteral("entrypoint"), QJsonArray::fromStringList(entrypoint));
    for (const auto& [key, value] : {std::pair{"cpu", cpu}, {"memory", memory}, {"disk", disk}})
        if (value)
            body.insert(QLatin1String(key), *value);
    return body;
}

void SnapshotsApi::create(const CreateSnapshotRequest& request, QObject* context, Reply<Snapshot> reply) {
    m_client->post(QStringLiteral("/api/snapshots"), request.toJson(), context,
                   [reply = std::move(reply)](const ApiResult& r) {
                       r.ok ? reply(Snapshot::fromJson(r.json.object())) : reply(ApiError::fromResult(r));
                   });
}

void SnapshotsApi::activate(const QString& id, QObject* context, Reply<Done> reply) {
    m_client->post(snapshotPath(id) + QStringLiteral("/activate"), {}, context, doneReply(std::move(reply)));
}

void SnapshotsApi::deactivate(const QString& id, QObject* context, Reply<Done> reply) {
    m_client->post(snapshotPath(id) + QStringLiteral("/deactivate"), {}, context,
                   doneReply(std::move(reply)));
}

void SnapshotsApi::remove(const QString& id, QObject* context, Reply<Done> reply) {
    m_client->del(snapshotPath(id), context, doneReply(std::move(reply)));
}

void SnapshotsApi::buildLogs(const QString& id, QObject* context, Reply<QByteArray> reply) {
    m_client->get(snapshotPath(id) + QStringLiteral("/build-logs"), context,
                  [reply = std::move(reply)](const ApiResult& r) {
                      r.ok ? reply(r.body) : reply(ApiError::fromResult(r));
                  });
}

void VolumesApi::list(QObject* context, Reply<QList<Volume>> reply) {
    m_client->get(QStringLiteral("/api/volumes"), context, [reply = std::move(reply)](const ApiResult& r) {
        r.ok ? reply(listOf<Volume>(r.json.array())) : reply(ApiError::fromResult(r));
    });
}

void VolumesApi::create(const QString& name, QObject* context, Reply<Volume> reply) {
    m_client->post(QStringLiteral("/api/volumes"), {{QStringLiteral("name"), name}}, context,
                   [reply = std::move(reply)](const ApiResult& r) {
                       r.ok ? reply(Volume::fromJson(r.json.object())) : reply(ApiError::fromResult(r));
                   });
}

void VolumesApi::remove(const QString& id, QObject* context, Reply<Done> reply) {
    m_client->del(QStringLiteral("/api/volumes/") + QString::fromLatin1(QUrl::toPercentEncoding(id)), context,
                  doneReply(std::move(reply)));
}

Registry Registry::fromJson(const QJsonObject& dto) {
    Registry r;
    r.id = dto.value(QStringLiteral("id")).toString();
    r.name = dto.value(QStringLiteral("name")).toString();
    r.url = dto.value(QStringLiteral("url")).toString();
    r.username = dto.value(QStringLiteral("username")).toString();
    r.project = dto.value(QStringLiteral("project")).toString();
    r.isDefault = dto.value(QStringLiteral("isDefault")).toBool();
    r.createdAt = dto.value(QStringLiteral("createdAt")).toString();
    return r;
}

namespace {

QString registryPath(const QString& id) {
    return QStringLiteral("/api/docker-registry/") + QString::fromLatin1(QUrl::toPercentEncoding(id));
}

QJsonObject registryBody(const RegistryFields& f) {
    QJsonObject body{{QStringLiteral("name"), f.name},
                     {QStringLiteral("url"), f.url},
                     {QStringLiteral("username"), f.username},
                     {QStringLiteral("project"), f.project}};
    if (!f.password.isEmpty())
        body.insert(QStringLiteral("password"), f.password);
    return body;
}

std::function<void(const ApiResult&)> registryReply(Reply<Registry> reply) {
    return [reply = std::move(reply)](const ApiResult& r) {
        r.ok ? reply(Registry::fromJson(r.json.object())) : reply(ApiError::fromResult(r));
    };
}

} // namespace

void RegistriesApi::list(QObject* context, Reply<QList<Registry>> reply) {
    m_client->get(QStringLiteral("/api/docker-registry"), context,
                  [reply = std::move(reply)](const ApiResult& r) {
                      r.ok ? reply(listOf<Registry>(r.json.array())) : reply(ApiError::fromResult(r));
                  });
}

void RegistriesApi::create(const RegistryFields& fields, QObject* context, Reply<Registry> reply) {
    m_client->post(QStringLiteral("/api/docker-registry"), registryBody(fields), context,
                   registryReply(std::move(reply)));
}

void RegistriesApi::update(const QString& id, const RegistryFields& fields, QObject* context,
                           Reply<Registry> reply) {
    m_client->send("PATCH", registryPath(id),
                   QJsonDocument(registryBody(fields)).toJson(QJsonDocument::Compact), {}, context,
                   registryReply(std::move(reply)));
}

void RegistriesApi::remove(const QString& id, QObject* context, Reply<Done> reply) {
    m_client->del(registryPath(id), context, doneReply(std::move(reply)));
}

} // namespace cove::app
