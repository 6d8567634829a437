// Requests to coved with the bearer key; replies parsed into ApiResult on the GUI thread.
#include "app/ApiClient.h"

#include <QNetworkReply>
#include <QPointer>

namespace cove::app {

ApiClient::ApiClient(QObject* parent)
    : QObject(parent) {}

void ApiClient::setTarget(const ConnectionTarget& target) {
    m_target = target;
    m_connected = false;
    m_events.setTarget(target);
}

ApiClient::Pending ApiClient::get(const QString& path, QObject* context, Callback cb) {
    return send("GET", path, {}, {}, context, std::move(cb));
}

ApiClient::Pending ApiClient::post(const QString& path, const QJsonObject& body, QObject* context,
                                   Callback cb) {
    return send("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), {}, context, std::move(cb));
}

ApiClient::Pending ApiClient::put(const QString& path, const QJsonObject& body, QObject* context,
                                  Callback cb) {
    return send("PUT", path, QJsonDocument(body).toJson(QJsonDocument::Compact), {}, context, std::move(cb));
}

ApiClient::Pending ApiClient::del(const QString& path, QObject* context, Callback cb) {
    return send("DELETE", path, {}, {}, context, std::move(cb));
}

QNetworkRequest ApiClient::request(const QString& path) const {
    QNetworkRequest req(QUrl(m_target.url + path));
    req.setRawHeader("Authorization", "Bearer " + m_target.apiKey.toUtf8());
    req.setRawHeader("Accept", "application/json");
    req.setRawHeader("X-Cove-Source", m_source); // the audit log tells the dashboard and the CLI apart
    if (!m_userAgent.isEmpty())
        req.setHeader(QNetworkRequest::UserAgentHeader, m_userAgent);
    return req;
}

QString ApiClient::errorText(int status, const QByteArray& body, const QString& path,
                             const QString& netError) const {
    if (status == 0)
        return tr("Cannot reach the Cove service at %1 (%2). Start it with \"installer/setup.sh run\" "
                  "or change the address in Settings.")
            .arg(m_target.url, netError);
    const QString message =
        QJsonDocument::fromJson(body).object().value(QStringLiteral("message")).toString();
    if (status == 401)
        return tr("The service refused the API key (%1). Check the key in Settings.").arg(message);
    return message.isEmpty() ? tr("The service answered %1 to %2.").arg(status).arg(path) : message;
}

ApiClient::Pending ApiClient::send(const QByteArray& verb, const QString& path, const QByteArray& body,
                                   const RequestOptions& options, QObject* context, Callback cb) {
    QNetworkRequest req = request(path);
    if (!options.contentType.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, options.contentType);
    else if (!body.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    req.setTransferTimeout(options.timeoutMs);
    QNetworkReply* reply = m_net.sendCustomRequest(req, verb, body);
    emit requestStarted(verb, path);
    auto tooLong = std::make_shared<bool>(false);
    if (options.mostBytes > 0)
        connect(reply, &QNetworkReply::downloadProgress, reply,
                [reply, tooLong, most = options.mostBytes](qint64 received, qint64) {
                    if (received > most && !*tooLong) {
                        *tooLong = true;
                        reply->abort();
                    }
                });
    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, guard, cb = std::move(cb), path, tooLong, most = options.mostBytes] {
                reply->deleteLater();
                ApiResult r;
                r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                const QByteArray data = reply->readAll();
                r.json = QJsonDocument::fromJson(data);
                r.body = data;
                r.tooLong = *tooLong;
                r.ok = r.status >= 200 && r.status < 300 && !r.tooLong;
                if (r.tooLong) {
                    r.error = tr("The answer is longer than %1 MiB.").arg(most / (1024 * 1024));
                } else if (!r.ok) {
                    r.error = errorText(r.status, data, path, reply->errorString());
                    if (r.status == 0)
                        r.networkError = reply->errorString();
                }
                // Any call may be the first to notice that the service went away or stopped taking the key.
                if (m_connected && (r.status == 0 || r.status == 401)) {
                    m_lastStatus = r.status;
                    setConnected(false, r.error);
                }
                if (guard)
                    cb(r);
            });
    return reply;
}

void ApiClient::checkConnection() {
    get(QStringLiteral("/api/info"), this, [this](const ApiResult& r) {
        m_lastStatus = r.status;
        if (r.ok) {
            const auto engine = r.json.object().value(QStringLiteral("engine")).toObject();
            m_engineRemapsUsers = engine.value(QStringLiteral("userNamespaces")).toBool(true);
            setConnected(true, engine.value(QStringLiteral("version")).toString());
        } else {
            setConnected(false, r.error);
        }
    });
}

void ApiClient::setConnected(bool on, const QString& detail) {
    m_connected = on;
    if (on)
        emit connected(detail);
    else
        emit disconnected(detail);
}

} // namespace cove::app
