// Paths and bodies of the sandbox calls; replies parsed into their types.
#include "app/SandboxesApi.h"

#include "app/ApiClient.h"
#include "app/ResourcesApi.h"

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
    m_client->del(pathOf(id), context, doneReply(std::move(reply)));
}

void SandboxesApi::recover(const QString& id, QObject* context, Reply<Sandbox> reply) {
    change(id, QStringLiteral("/recover"), {}, context, std::move(reply));
}

void SandboxesApi::pause(const QString& id, QObject* context, Reply<Sandbox> reply) {
    change(id, QStringLiteral("/pause"), {}, context, std::move(reply));
}

void SandboxesApi::resize(const QString& id, int cpu, int memory, int disk, QObject* context,
                          Reply<Sandbox> reply) {
    change(id, QStringLiteral("/resize"),
           {{QStringLiteral("cpu"), cpu}, {QStringLiteral("memory"), memory}, {QStringLiteral("disk"), disk}},
           context, std::move(reply));
}

void SandboxesApi::setLabels(const QString& id, const QMap<QString, QString>& labels, QObject* context,
                             Reply<Done> reply) {
    QJsonObject o;
    for (auto it = labels.begin(); it != labels.end(); ++it)
        o.insert(it.key(), it.value());
    m_client->put(pathOf(id) + QStringLiteral("/labels"), {{QStringLiteral("labels"), o}}, context,
                  doneReply(std::move(reply)));
}

void SandboxesApi::setPublic(const QString& id, bool isPublic, QObject* context, Reply<Sandbox> reply) {
    change(id, QStringLiteral("/public/") + (isPublic ? QStringLiteral("true") : QStringLiteral("false")), {},
           context, std::move(reply));
}

void SandboxesApi::setInterval(const QString& id, Interval which, int minutes, QObject* context,
                               Reply<Sandbox> reply) {
    const char* segment = "ttl";
    switch (which) {
    case Interval::AutoStop:
        segment = "autostop";
        break;
    case Interval::AutoPause:
        segment = "autopause";
        break;
    case Interval::AutoArchive:
        segment = "autoarchive";
        break;
    case Interval::AutoDelete:
        segment = "autodelete";
        break;
    case Interval::TimeToLive:
        break;
    }
    change(id, QStringLiteral("/%1/%2").arg(QLatin1String(segment)).arg(minutes), {}, context,
           std::move(reply));
}

void SandboxesApi::setNetwork(const QString& id, const QJsonObject& settings, QObject* context,
                              Reply<Sandbox> reply) {
    change(id, QStringLiteral("/network-settings"), settings, context, std::move(reply));
}

void SandboxesApi::createSnapshot(const QString& id, const QString& name, QObject* context,
                                  Reply<Done> reply) {
    m_client->post(pathOf(id) + QStringLiteral("/snapshot"), {{QStringLiteral("name"), name}}, context,
                   doneReply(std::move(reply)));
}

void SandboxesApi::fork(const QString& id, const QString& name, QObject* context, Reply<Sandbox> reply) {
    QJsonObject body;
    if (!name.isEmpty())
        body.insert(QStringLiteral("name"), name);
    change(id, QStringLiteral("/fork"), body, context, std::move(reply));
}

void SandboxesApi::backup(const QString& id, QObject* context, Reply<Sandbox> reply) {
    change(id, QStringLiteral("/backup"), {}, context, std::move(reply));
}

void SandboxesApi::ancestors(const QString& id, QObject* context, Reply<QList<Sandbox>> reply) {
    sandboxList(pathOf(id) + QStringLiteral("/ancestors"), context, std::move(reply));
}

void SandboxesApi::forks(const QString& id, bool includeDestroyed, QObject* context,
                         Reply<QList<Sandbox>> reply) {
    sandboxList(pathOf(id) + QStringLiteral("/forks") +
                    (includeDestroyed ? QStringLiteral("?includeDestroyed=true") : QString()),
                context, std::move(reply));
}

void SandboxesApi::createSshAccess(const QString& id, int minutes, QObject* context, Reply<SshAccess> reply) {
    m_client->post(pathOf(id) + QStringLiteral("/ssh-access?expiresInMinutes=") + QString::number(minutes),
                   {}, context, [reply = std::move(reply)](const ApiResult& r) {
                       if (!r.ok)
                           return reply(ApiError::fromResult(r));
                       const QJsonObject o = r.json.object();
                       reply(SshAccess{o.value(QStringLiteral("token")).toString(),
                                       o.value(QStringLiteral("sshCommand")).toString(),
                                       QDateTime::fromString(o.value(QStringLiteral("expiresAt")).toString(),
                                                             Qt::ISODateWithMs)});
                   });
}

void SandboxesApi::revokeSshAccess(const QString& id, const QString& token, QObject* context,
                                   Reply<Done> reply) {
    m_client->del(pathOf(id) + QStringLiteral("/ssh-access") +
                      (token.isEmpty()
                           ? QString()
                           : QStringLiteral("?token=") + QString::fromLatin1(QUrl::toPercentEncoding(token))),
                  context, doneReply(std::move(reply)));
}

void SandboxesApi::act(const QString& id, const QString& action, QObject* context, Reply<Done> reply) {
    m_client->post(pathOf(id) + QLatin1Char('/') + action, {}, context, doneReply(std::move(reply)));
}

void SandboxesApi::change(const QString& id, const QString& rest, const QJsonObject& body, QObject* context,
                          Reply<Sandbox> reply) {
    m_client->post(pathOf(id) + rest, body, context, sandboxReply(std::move(reply)));
}

void SandboxesApi::sandboxList(const QString& path, QObject* context, Reply<QList<Sandbox>> reply) {
    m_client->get(path, context, [reply = std::move(reply)](const ApiResult& r) {
        if (!r.ok)
            return reply(ApiError::fromResult(r));
        reply(app::listOf<Sandbox>(r.json.array()));
    });
}

} // namespace cove::app
