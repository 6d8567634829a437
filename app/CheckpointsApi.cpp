// Paths of the checkpoint calls; a checkpoint is named in a path by its id or its name.
#include "app/CheckpointsApi.h"

#include "app/ApiClient.h"
#include "app/ResourcesApi.h"

#include <QJsonArray>
#include <QUrl>

namespace cove::app {

namespace {

QString pathOf(const QString& sandboxId, const QString& checkpoint = {}) {
    QString path = QStringLiteral("/api/sandbox/") + QString::fromLatin1(QUrl::toPercentEncoding(sandboxId)) +
                   QStringLiteral("/checkpoints");
    if (!checkpoint.isEmpty())
        path += QLatin1Char('/') + QString::fromLatin1(QUrl::toPercentEncoding(checkpoint));
    return path;
}

} // namespace

Checkpoint Checkpoint::fromJson(const QJsonObject& dto) {
    Checkpoint c;
    c.json = dto;
    c.id = dto.value(QStringLiteral("id")).toString();
    c.name = dto.value(QStringLiteral("name")).toString();
    c.sandboxId = dto.value(QStringLiteral("sandboxId")).toString();
    c.createdAt = dto.value(QStringLiteral("createdAt")).toString();
    return c;
}

void CheckpointsApi::list(const QString& sandboxId, QObject* context, Reply<QList<Checkpoint>> reply) {
    m_client->get(pathOf(sandboxId), context, [reply = std::move(reply)](const ApiResult& r) {
        r.ok ? reply(listOf<Checkpoint>(r.json.array())) : reply(ApiError::fromResult(r));
    });
}

void CheckpointsApi::create(const QString& sandboxId, const QString& name, QObject* context,
                            Reply<Checkpoint> reply) {
    m_client->post(pathOf(sandboxId), {{QStringLiteral("name"), name}}, context,
                   [reply = std::move(reply)](const ApiResult& r) {
                       r.ok ? reply(Checkpoint::fromJson(r.json.object())) : reply(ApiError::fromResult(r));
                   });
}

void CheckpointsApi::rollback(const QString& sandboxId, const QString& checkpoint, QObject* context,
                              Reply<Sandbox> reply) {
    m_client->post(pathOf(sandboxId, checkpoint) + QStringLiteral("/rollback"), {}, context,
                   [reply = std::move(reply)](const ApiResult& r) {
                       r.ok ? reply(Sandbox::fromJson(r.json.object())) : reply(ApiError::fromResult(r));
                   });
}

void CheckpointsApi::remove(const QString& sandboxId, const QString& checkpoint, QObject* context,
                            Reply<Done> reply) {
    m_client->del(pathOf(sandboxId, checkpoint), context, doneReply(std::move(reply)));
}

} // namespace cove::app
