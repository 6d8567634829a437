// One chain of asynchronous calls at a time: callers that ask while it runs wait for the same outcome.
#include "ui/pages/playground/PlaygroundSandbox.h"

#include "app/ApiClient.h"
#include "app/SandboxState.h"

#include <QJsonArray>
#include <QPointer>
#include <QTimer>
#include <QUrl>

namespace cove::ui::playground {

namespace {
constexpr int kPollMs = 500;
constexpr int kMaxPolls = 360; // three minutes

QString str(const QJsonObject& o, const char* key) {
    return o.value(QLatin1String(key)).toString();
}

int num(const QJsonObject& o, const char* key) {
    return qRound(o.value(QLatin1String(key)).toDouble(-1));
}

// The sandboxes that carry the playground label.
QString listPath() {
    const QString labels = QStringLiteral("{\"%1\":\"true\"}").arg(QLatin1String(kPlaygroundLabel));
    return QStringLiteral("/api/sandbox?labels=") + QString::fromLatin1(QUrl::toPercentEncoding(labels));
}

// The first listed sandbox that is not broken, or an empty object.
QJsonObject firstUsable(const app::ApiResult& r) {
    for (const auto& v : r.json.object().value(QStringLiteral("items")).toArray()) {
        const QJsonObject dto = v.toObject();
        if (str(dto, "state") != QLatin1String("error"))
            return dto;
    }
    return {};
}
} // namespace

QJsonObject SandboxParams::createBody() const {
    return QJsonObject{
        {QStringLiteral("snapshot"), snapshot},
        {QStringLiteral("cpu"), cpu},
        {QStringLiteral("memory"), memory},
        {QStringLiteral("disk"), disk},
        {QStringLiteral("autoStopInterval"), autoStop},
        {QStringLiteral("autoArchiveInterval"), autoArchive},
        {QStringLiteral("autoDeleteInterval"), autoDelete},
        {QStringLiteral("labels"), QJsonObject{{QLatin1String(kPlaygroundLabel), QStringLiteral("true")},
                                               {QStringLiteral("code-toolbox-language"), language}}},
    };
}

QString SandboxParams::mismatch(const QJsonObject& dto) const {
    if (str(dto, "snapshot") != snapshot)
        return PlaygroundSandbox::tr("the snapshot changed from %1 to %2")
            .arg(str(dto, "snapshot"), snapshot);
    if (num(dto, "cpu") != cpu || num(dto, "memory") != memory || num(dto, "disk") != disk)
        return PlaygroundSandbox::tr("the resources changed");
    return {};
}

PlaygroundSandbox::PlaygroundSandbox(app::ApiClient* client, QObject* parent)
    : QObject(parent)
    , m_client(client) {}

void PlaygroundSandbox::ensure(const SandboxParams& params, Ready done) {
    m_params = params;
    m_waiting.push_back(std::move(done));
    if (m_waiting.size() > 1)
        return; // the chain under way answers this caller too
    m_polls = 0;
    if (m_id.isEmpty()) {
        emit progress(tr("Looking for the playground sandbox…"));
        find();
        return;
    }
    m_client->get(QStringLiteral("/api/sandbox/") + m_id, this, [this](const app::ApiResult& r) {
        if (r.status == 404) { // deleted elsewhere: look again, then make a new one
            m_id.clear();
            find();
        } else if (!r.ok) {
            finish(r.error);
        } else {
            inspect(r.json.object());
        }
    });
}

void PlaygroundSandbox::toolbox(const SandboxParams& params, const QByteArray& verb, const QString& rest,
                                const QJsonObject& body, QObject* context,
                                std::function<void(const app::ApiResult&)> cb) {
    QPointer<QObject> guard(context);
    ensure(params,
           [this, guard, verb, rest, body, cb = std::move(cb)](const QString& error, const QJsonObject&) {
               if (!guard)
                   return;
               if (!error.isEmpty()) {
                   app::ApiResult failed;
                   failed.error = error;
                   cb(failed);
                   return;
               }
               const QString path = QStringLiteral("/toolbox/%1%2").arg(m_id, rest);
               if (verb == "GET")
                   m_client->get(path, guard, cb);
               else if (verb == "DELETE")
                   m_client->del(path, guard, cb);
               else
                   m_client->post(path, body, guard, cb);
           });
}

void PlaygroundSandbox::lookUp() {
    if (!m_id.isEmpty() || busy())
        return;
    m_client->get(listPath(), this, [this](const app::ApiResult& r) {
        const QJsonObject dto = firstUsable(r);
        if (m_id.isEmpty() && !dto.isEmpty()) {
            emit foundEarlier(dto); // first: the parameters then match it, and nothing is recreated
            remember(dto);
        }
    });
}

void PlaygroundSandbox::find() {
    m_client->get(listPath(), this, [this](const app::ApiResult& r) {
        if (!r.ok)
            return finish(r.error);
        const QJsonObject dto = firstUsable(r);
        if (dto.isEmpty())
            return create();
        inspect(dto);
    });
}

void PlaygroundSandbox::inspect(const QJsonObject& dto) {
    remember(dto);
    const QString state = str(dto, "state");
    const QString why = m_params.mismatch(dto);
    if (!why.isEmpty() || state == QLatin1String("error") || state == QLatin1String("build_failed")) {
        const QString reason = why.isEmpty() ? tr("it is in an error state") : why;
        emit progress(tr("Replacing the playground sandbox (%1)…").arg(reason));
        m_client->del(QStringLiteral("/api/sandbox/") + m_id, this, [this](const app::ApiResult& r) {
            if (!r.ok && r.status != 404)
                return finish(tr("The old playground sandbox could not be deleted: %1").arg(r.error));
            m_id.clear();
            create();
        });
        return;
    }
    if (state == QLatin1String("started")) {
        syncIntervals(dto);
        return finish({}, dto);
    }
    if (state == QLatin1String("stopped") || state == QLatin1String("archived"))
        return start();
    if (app::isTransitional(app::sandboxStateFromString(state))) {
        emit progress(tr("Waiting for the playground sandbox (%1)…").arg(state));
        return poll();
    }
    finish(tr("The playground sandbox is %1; it cannot run code now.").arg(state));
}

void PlaygroundSandbox::create() {
    emit progress(tr("Creating the playground sandbox from %1…").arg(m_params.snapshot));
    m_client->post(QStringLiteral("/api/sandbox"), m_params.createBody(), this,
                   [this](const app::ApiResult& r) {
                       if (!r.ok)
                           return finish(tr("The playground sandbox could not be created: %1").arg(r.error));
                       const QJsonObject dto = r.json.object();
                       remember(dto);
                       if (str(dto, "state") == QLatin1String("started"))
                           return finish({}, dto);
                       poll();
                   });
}

void PlaygroundSandbox::start() {
    emit progress(tr("Starting the playground sandbox…"));
    m_client->post(QStringLiteral("/api/sandbox/%1/start").arg(m_id), {}, this,
                   [this](const app::ApiResult& r) {
                       if (!r.ok)
                           return finish(tr("The playground sandbox could not be started: %1").arg(r.error));
                       poll();
                   });
}

void PlaygroundSandbox::poll() {
    if (++m_polls > kMaxPolls)
        return finish(tr("The playground sandbox did not become ready within three minutes; look at it on "
                         "the Sandboxes page."));
    QTimer::singleShot(kPollMs, this, [this] {
        m_client->get(QStringLiteral("/api/sandbox/") + m_id, this, [this](const app::ApiResult& r) {
            if (!r.ok)
                return finish(r.error);
            const QJsonObject dto = r.json.object();
            const QString state = str(dto, "state");
            if (state == QLatin1String("started"))
                return finish({}, dto);
            if (state == QLatin1String("error") || state == QLatin1String("build_failed"))
                return finish(tr("The playground sandbox failed: %1")
                                  .arg(str(dto, "errorReason").isEmpty() ? state : str(dto, "errorReason")));
            if (state == QLatin1String("stopped") || state == QLatin1String("archived"))
                return start();
            poll();
        });
    });
}

void PlaygroundSandbox::syncIntervals(const QJsonObject& dto) {
    // Intervals change in place; nothing else waits for these.
    const struct {
        const char* field;
        const char* segment;
        int wanted;
    } intervals[] = {{"autoStopInterval", "autostop", m_params.autoStop},
                     {"autoArchiveInterval", "autoarchive", m_params.autoArchive},
                     {"autoDeleteInterval", "autodelete", m_params.autoDelete}};
    for (const auto& i : intervals) {
        if (num(dto, i.field) == i.wanted)
            continue;
        m_client->post(
            QStringLiteral("/api/sandbox/%1/%2/%3").arg(m_id, QLatin1String(i.segment)).arg(i.wanted), {},
            this, [this](const app::ApiResult& r) {
                if (!r.ok)
                    emit progress(tr("An interval could not be changed: %1").arg(r.error));
            });
    }
}

void PlaygroundSandbox::remember(const QJsonObject& dto) {
    const QString id = str(dto, "id");
    const QString snapshot = str(dto, "snapshot");
    if (id.isEmpty() || (id == m_id && snapshot == m_snapshot))
        return;
    m_id = id;
    m_snapshot = snapshot;
    emit sandboxChanged(m_id, m_snapshot);
}

void PlaygroundSandbox::finish(const QString& error, const QJsonObject& dto) {
    emit progress(QString());
    auto waiting = std::move(m_waiting);
    m_waiting.clear();
    for (auto& done : waiting)
        done(error, dto);
}

} // namespace cove::ui::playground
