// Paths and bodies of coved's sandbox API and of the toolbox it proxies (the agent's /process, /files and
// /computeruse routes); every reply read whole, bounded, and dropped when its MCP request was cancelled.
#include "app/cli/McpToolbox.h"

#include <QJsonArray>
#include <QNetworkReply>
#include <QPointer>
#include <QUrl>
#include <QUrlQuery>
#include <QUuid>

namespace cove::cli::mcp {

namespace {

// Long enough for a create that waits for its container or an image pull.
constexpr int kApiTimeoutMs = 120000;
// A file read whole into a tool's answer (base64 makes it a third longer, within kMaxMessageBytes).
constexpr qint64 kMostDownloadBytes = 8 * 1024 * 1024;

QString encoded(const QString& s) {
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

QJsonObject envObject(const QMap<QString, QString>& env) {
    QJsonObject o;
    for (auto it = env.begin(); it != env.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QByteArray compact(const QJsonObject& o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// A command's own timeout plus time for the answer to travel; none when the command has none.
int commandTimeoutMs(int seconds) {
    return seconds > 0 ? (seconds + 30) * 1000 : 0;
}

} // namespace

Toolbox::Toolbox(const app::ConnectionTarget& target) {
    m_client.setTarget(target);
}

QString Toolbox::sandboxPath(const QString& idOrName) {
    return QStringLiteral("/api/sandbox/") + encoded(idOrName);
}

QString Toolbox::toolboxPath(const QString& sandbox, const QString& rest) {
    return QStringLiteral("/toolbox/") + encoded(sandbox) + rest;
}

void Toolbox::send(const CallPtr& call, const QByteArray& verb, const QString& path, const QByteArray& body,
                   const QByteArray& contentType, int timeoutMs, Done done) {
    QNetworkRequest req = m_client.request(path);
    req.setRawHeader("X-Cove-Source", "cli"); // the audit log counts cove-cli as the CLI
    req.setRawHeader("User-Agent", "cove-cli-mcp");
    if (!contentType.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    req.setTransferTimeout(timeoutMs);
    QNetworkReply* reply = m_client.network()->sendCustomRequest(req, verb, body);
    QPointer<QNetworkReply> guard(reply);
    auto tooLong = std::make_shared<bool>(false);
    call->onCancel([guard] {
        if (guard)
            guard->abort();
    });
    QObject::connect(reply, &QNetworkReply::downloadProgress, reply,
                     [reply, tooLong](qint64 received, qint64) {
                         if (received > kMostDownloadBytes && !*tooLong) {
                             *tooLong = true;
                             reply->abort();
                         }
                     });
    QObject::connect(reply, &QNetworkReply::finished, reply,
                     [this, reply, call, path, tooLong, done = std::move(done)] {
                         reply->deleteLater();
                         if (call->cancelled() || call->finished())
                             return;
                         CovedReply r;
                         r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                         r.body = reply->readAll();
                         r.json = QJsonDocument::fromJson(r.body);
                         r.ok = r.status >= 200 && r.status < 300 && !*tooLong;
                         if (*tooLong)
                             r.message = QStringLiteral("The answer is longer than %1 MiB, more than this "
                                                        "server passes on.")
                                             .arg(kMostDownloadBytes / (1024 * 1024));
                         else if (r.status == 0)
                             r.message = QStringLiteral("Cannot reach the Cove service at %1 (%2). Start it "
                                                        "(installer/setup.sh run, or systemctl start coved), "
                                                        "or point cove-cli mcp at another with --url or "
                                                        "COVE_URL.")
                                             .arg(m_client.target().url, reply->errorString());
                         else if (!r.ok)
                             r.message = m_client.errorText(r.status, r.body, path, reply->errorString());
                         done(r);
                     });
}

void Toolbox::createSandbox(const CallPtr& call, const QJsonObject& body, Done done) {
    send(call, "POST", QStringLiteral("/api/sandbox"), compact(body), "application/json", kApiTimeoutMs,
         std::move(done));
}

void Toolbox::getSandbox(const CallPtr& call, const QString& idOrName, Done done) {
    send(call, "GET", sandboxPath(idOrName), {}, {}, kApiTimeoutMs, std::move(done));
}

void Toolbox::listSandboxes(const CallPtr& call, const QString& cursor, Done done) {
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("limit"), QStringLiteral("100"));
    if (!cursor.isEmpty())
        q.addQueryItem(QStringLiteral("cursor"), cursor);
    send(call, "GET", QStringLiteral("/api/sandbox?") + q.toString(QUrl::FullyEncoded), {}, {}, kApiTimeoutMs,
         std::move(done));
}

void Toolbox::sandboxAction(const CallPtr& call, const QString& idOrName, const QString& action, Done done) {
    send(call, "POST", sandboxPath(idOrName) + QLatin1Char('/') + action, {}, {}, kApiTimeoutMs,
         std::move(done));
}

void Toolbox::deleteSandbox(const CallPtr& call, const QString& idOrName, Done done) {
    send(call, "DELETE", sandboxPath(idOrName), {}, {}, kApiTimeoutMs, std::move(done));
}

void Toolbox::previewUrl(const CallPtr& call, const QString& idOrName, int port, Done done) {
    send(call, "GET", sandboxPath(idOrName) + QStringLiteral("/ports/%1/preview-url").arg(port), {}, {},
         kApiTimeoutMs, std::move(done));
}

void Toolbox::execute(const CallPtr& call, const QString& sandbox, const QString& command, const QString& cwd,
                      const QMap<QString, QString>& env, int timeout, Done done) {
    QJsonObject body{{QStringLiteral("command"), command}};
    if (!cwd.isEmpty())
        body.insert(QStringLiteral("cwd"), cwd);
    if (!env.isEmpty())
        body.insert(QStringLiteral("envs"), envObject(env));
    if (timeout > 0)
        body.insert(QStringLiteral("timeout"), timeout);
    send(call, "POST", toolboxPath(sandbox, QStringLiteral("/process/execute")), compact(body),
         "application/json", commandTimeoutMs(timeout), std::move(done));
}

void Toolbox::codeRun(const CallPtr& call, const QString& sandbox, const QString& code,
                      const QString& language, const QMap<QString, QString>& env, int timeout, Done done) {
    QJsonObject body{{QStringLiteral("code"), code}, {QStringLiteral("language"), language}};
    if (!env.isEmpty())
        body.insert(QStringLiteral("envs"), envObject(env));
    if (timeout > 0)
        body.insert(QStringLiteral("timeout"), timeout);
    send(call, "POST", toolboxPath(sandbox, QStringLiteral("/process/code-run")), compact(body),
         "application/json", commandTimeoutMs(timeout), std::move(done));
}

void Toolbox::listFiles(const CallPtr& call, const QString& sandbox, const QString& path, int depth,
                        Done done) {
    send(call, "GET",
         toolboxPath(sandbox, QStringLiteral("/files?path=") + encoded(path) + QStringLiteral("&depth=") +
                                  QString::number(depth)),
         {}, {}, kApiTimeoutMs, std::move(done));
}

void Toolbox::fileInfo(const CallPtr& call, const QString& sandbox, const QString& path, Done done) {
    send(call, "GET", toolboxPath(sandbox, QStringLiteral("/files/info?path=") + encoded(path)), {}, {},
         kApiTimeoutMs, std::move(done));
}

void Toolbox::download(const CallPtr& call, const QString& sandbox, const QString& path, Done done) {
    send(call, "GET", toolboxPath(sandbox, QStringLiteral("/files/download?path=") + encoded(path)), {}, {},
         kApiTimeoutMs, std::move(done));
}

void Toolbox::upload(const CallPtr& call, const QString& sandbox, const QString& path,
                     const QByteArray& content, Done done) {
    // One part named "file", as the agent's single-file upload takes it.
    const QByteArray boundary = "cove-mcp-" + QUuid::createUuid().toByteArray(QUuid::Id128);
    QByteArray body = "--" + boundary +
                      "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\n"
                      "Content-Type: application/octet-stream\r\n\r\n";
    body += content;
    body += "\r\n--" + boundary + "--\r\n";
    send(call, "POST", toolboxPath(sandbox, QStringLiteral("/files/upload?path=") + encoded(path)), body,
         "multipart/form-data; boundary=" + boundary, kApiTimeoutMs, std::move(done));
}

void Toolbox::startComputerUse(const CallPtr& call, const QString& sandbox, Done done) {
    send(call, "POST", toolboxPath(sandbox, QStringLiteral("/computeruse/start")), "{}", "application/json",
         kApiTimeoutMs, std::move(done));
}

void Toolbox::screenshot(const CallPtr& call, const QString& sandbox, Done done) {
    send(call, "GET", toolboxPath(sandbox, QStringLiteral("/computeruse/screenshot")), {}, {}, kApiTimeoutMs,
         std::move(done));
}

} // namespace cove::cli::mcp
