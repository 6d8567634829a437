// Secrets come from /api/secret; adding, changing and deleting go through the same API.
#include "app/SecretsApi.h"

#include "app/ApiClient.h"

#include <QJsonDocument>
#include <QUrl>

namespace cove::app {

namespace {

QStringList strings(const QJsonValue& v) {
    QStringList out;
    for (const auto& item : v.toArray())
        out << item.toString();
    return out;
}

QString secretPath(const QString& id) {
    return QStringLiteral("/api/secret/") + QString::fromLatin1(QUrl::toPercentEncoding(id));
}

std::function<void(const ApiResult&)> secretReply(Reply<Secret> reply) {
    return [reply = std::move(reply)](const ApiResult& r) {
        r.ok ? reply(Secret::fromJson(r.json.object())) : reply(ApiError::fromResult(r));
    };
}

QJsonObject secretBody(const SecretFields& f, bool withName) {
    QJsonObject body{{QStringLiteral("description"), f.description},
                     {QStringLiteral("hosts"), QJsonArray::fromStringList(f.hosts)}};
    if (withName)
        body.insert(QStringLiteral("name"), f.name);
    if (!f.value.isEmpty())
        body.insert(QStringLiteral("value"), f.value);
    return body;
}

} // namespace

Secret Secret::fromJson(const QJsonObject& dto) {
    Secret s;
    s.id = dto.value(QStringLiteral("id")).toString();
    s.name = dto.value(QStringLiteral("name")).toString();
    s.description = dto.value(QStringLiteral("description")).toString();
    s.placeholder = dto.value(QStringLiteral("placeholder")).toString();
    s.hosts = strings(dto.value(QStringLiteral("hosts")));
    s.mountedBy = strings(dto.value(QStringLiteral("mountedBy")));
    s.createdAt = dto.value(QStringLiteral("createdAt")).toString();
    s.updatedAt = dto.value(QStringLiteral("updatedAt")).toString();
    return s;
}

void SecretsApi::list(QObject* context, Reply<QList<Secret>> reply) {
    m_client->get(QStringLiteral("/api/secret"), context, [reply = std::move(reply)](const ApiResult& r) {
        r.ok ? reply(listOf<Secret>(r.json.array())) : reply(ApiError::fromResult(r));
    });
}

void SecretsApi::create(const SecretFields& fields, QObject* context, Reply<Secret> reply) {
    m_client->post(QStringLiteral("/api/secret"), secretBody(fields, true), context,
                   secretReply(std::move(reply)));
}

void SecretsApi::update(const QString& id, const SecretFields& fields, QObject* context,
                        Reply<Secret> reply) {
    m_client->send("PATCH", secretPath(id),
                   QJsonDocument(secretBody(fields, false)).toJson(QJsonDocument::Compact), {}, context,
                   secretReply(std::move(reply)));
}

void SecretsApi::remove(const QString& id, QObject* context, Reply<Done> reply) {
    m_client->del(secretPath(id), context, doneReply(std::move(reply)));
}

} // namespace cove::app
