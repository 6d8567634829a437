// Paths and bodies of the sandbox calls; replies parsed into their types.
#include "app/SandboxesApi.h"

#include "app/ApiClient.h"

#include <QJsonArray>
#include <QUrl>
#include <QUrlQuery>

namespace cove::app {

namespace {

QString pathOf(const QString& id) {
    return QStringLiteral("/api/sandbox/") + QString::fromLatin1(QUrl::toPercentEncoding(id));
}

ApiClient::Callback sandboxReply(SandboxesApi::Reply<Sandbox> reply) {
    return [reply = std::move(reply)](const ApiResult& r) {
        if (r.ok)
            reply(Sandbox::fromJson(r.json.object()));
        else
            reply(ApiError::fromResult(r));
    };
}

} // namespace

void SandboxesApi::create(const CreateSandboxRequest& request, QObject* context, Reply<Sandbox> reply) {
    m_client->post(QStringLiteral("/api/sandbox"), request.toJson(), context, sandboxReply(std::move(reply)));
}

void SandboxesApi::get(const QString& idOrName, QObject* context, Reply<Sandbox> reply) {
    m_client->get(pathOf(idOrName), context, sandboxReply(std::move(reply)));
}

void SandboxesApi::list(const QString& cursor, int limit, QObject* context, Reply<SandboxPage> reply) {
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    if (!cursor.isEmpty())
        q.addQueryItem(QStringLiteral("cursor"), cursor);
    m_client->get(QStringLiteral("/api/sandbox?") + q.toString(QUrl::FullyEncoded), context,
                  [reply = std::move(reply)](const ApiResult& r) {
                      if (!r.ok)
                          return reply(ApiError::fromResult(r));
                      const QJsonObject o = r.json.object();
                      SandboxPage page;
                      for (const auto& v : o.value(QStringLiteral("items")).toArray())
                          page.items << Sandbox::fromJson(v.toObject());
                      page.nextCursor = o.value(QStringLiteral("nextCursor")).toString();
                      reply(page);
                  });
}

void SandboxesApi::start(const QString& id, QObject* context, Reply<Done> reply) {
    act(id, QStringLiteral("start"), context, std::move(reply));
}

void SandboxesApi::stop(const QString& id, QObject* context, Reply<Done> reply) {
    act(id, QStringLiteral("stop"), context, std::move(reply));
}

void SandboxesApi::archive(const QString& id, QObject* context, Reply<Done> reply) {
    act(id, QStringLiteral("archive"), context, std::move(reply));
}

void SandboxesApi::remove(const QString& id, QObject* context, Reply<Done> reply) {
    m_client->del(pathOf(id), context, [reply = std::move(reply)](const ApiResult& r) {
        r.ok ? reply(Done{}) : reply(ApiError::fromResult(r));
    });
}

void SandboxesApi::act(const QString& id, const QString& action, QObject* context, Reply<Done> reply) {
    m_client->post(pathOf(id) + QLatin1Char('/') + action, {}, context,
                   [reply = std::move(reply)](const ApiResult& r) {
                       r.ok ? reply(Done{}) : reply(ApiError::fromResult(r));
                   });
}

} // namespace cove::app
