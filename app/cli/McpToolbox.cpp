// Paths and bodies of coved's sandbox API and of the toolbox it proxies (the agent's /process, /files and
// /computeruse routes); every reply read whole, bounded, and dropped when its MCP request was cancelled.
#include "app/cli/McpToolbox.h"

#include "app/ToolboxApi.h"
#include "app/cli/Command.h"

#include <QNetworkReply>
#include <QUrl>
#include <QUrlQuery>
#include <QUuid>

namespace cove::cli::mcp {

namespace {

// Long enough for a create that waits for its container or an image pull.
constexpr int kApiTimeoutMs = 120000;
// A file read whole into a tool's answer (base64 makes it a third longer, within kMaxMessageBytes).
constexpr qint64 kMostDownloadBytes = 8 * 1024 * 1024;

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

app::RequestOptions options(int timeoutMs, const QByteArray& contentType = {}) {
    app::RequestOptions o;
    o.contentType = contentType;
    o.timeoutMs = timeoutMs;
    o.mostBytes = kMostDownloadBytes;
    return o;
}

} // namespace

Toolbox::Toolbox(const app::ConnectionTarget& target) {
    m_client.setTarget(target);
    m_client.setSource("cli"); // the audit log counts cove-cli as the CLI
    m_client.setUserAgent("cove-cli-mcp");
}

QString Toolbox::toolboxPath(const QString& sandbox, const QString& rest) {
    return app::ToolboxApi::base(sandbox) + rest;
}

QString Toolbox::filePath(const QString& sandbox, const QString& route, const QString& path) {
    return toolboxPath(sandbox, QStringLiteral("/files") + route + QStringLiteral("?path=") + encoded(path));
}

void Toolbox::send(const CallPtr& call, const QByteArray& verb, const QString& path, const QByteArray& body,
                   const app::RequestOptions& options, Done done) {
    const app::ApiClient::Pending reply = m_client.send(
        verb, path, body, options, &m_client, [this, call, done = std::move(done)](CovedReply r) {
            if (call->cancelled() || call->finished())
                return;
            if (r.tooLong)
                r.error = QStringLiteral("The answer is longer than %1 MiB, more than this server passes on.")
                              .arg(kMostDownloadBytes / (1024 * 1024));
            else if (r.status == 0)
                r.error = QStringLiteral("Cannot reach the Cove service at %1 (%2). Start it "
                                         "(installer/setup.sh run, or systemctl start coved), or point "
                                         "cove-cli mcp at another with --url or COVE_URL.")
                              .arg(m_client.target().url, r.networkError);
            done(r);
        });
    call->onCancel([reply] {
        if (reply)
            reply->abort();
    });
}

void Toolbox::get(const CallPtr& call, const QString& path, Done done) {
    send(call, "GET", path, {}, options(kApiTimeoutMs), std::move(done));
}

void Toolbox::createSandbox(const CallPtr& call, const QJsonObject& body, Done done) {
    send(call, "POST", QStringLiteral("/api/sandbox"), compact(body),
         options(kApiTimeoutMs, "application/json"), std::move(done));
}

void Toolbox::getSandbox(const CallPtr& call, const QString& idOrName, Done done) {
    get(call, sandboxPath(idOrName), std::move(done));
}

void Toolbox::listSandboxes(const CallPtr& call, const QString& cursor, Done done) {
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("limit"), QStringLiteral("100"));
    if (!cursor.isEmpty())
        q.addQueryItem(QStringLiteral("cursor"), cursor);
    get(call, QStringLiteral("/api/sandbox?") + q.toString(QUrl::FullyEncoded), std::move(done));
}

void Toolbox::sandboxAction(const CallPtr& call, const QString& idOrName, const QString& action, Done done) {
    send(call, "POST", sandboxPath(idOrName) + QLatin1Char('/') + action, {}, options(kApiTimeoutMs),
         std::move(done));
}

void Toolbox::deleteSandbox(const CallPtr& call, const QString& idOrName, Done done) {
    send(call, "DELETE", sandboxPath(idOrName), {}, options(kApiTimeoutMs), std::move(done));
}

void Toolbox::previewUrl(const CallPtr& call, const QString& idOrName, int port, Done done) {
    get(call, sandboxPath(idOrName) + QStringLiteral("/ports/%1/preview-url").arg(port), std::move(done));
}

void Toolbox::execute(const CallPtr& call, const QString& sandbox, const QString& command, const QString& cwd,
                      const QMap<QString, QString>& env, int timeout, Done done) {
    QJsonObject body{{QStringLiteral("command"), command}};
    if (!cwd.isEmpty())
        body.insert(QStringLiteral("cwd"), cwd);
    runProcess(call, sandbox, QStringLiteral("/process/execute"), body, env, timeout, std::move(done));
}

void Toolbox::codeRun(const CallPtr& call, const QString& sandbox, const QString& code,
                      const QString& language, const QMap<QString, QString>& env, int timeout, Done done) {
    runProcess(call, sandbox, QStringLiteral("/process/code-run"),
               {{QStringLiteral("code"), code}, {QStringLiteral("language"), language}}, env, timeout,
               std::move(done));
}

void Toolbox::runProcess(const CallPtr& call, const QString& sandbox, const QString& route, QJsonObject body,
                         const QMap<QString, QString>& env, int timeout, Done done) {
    if (!env.isEmpty())
        body.insert(QStringLiteral("envs"), envObject(env));
    if (timeout > 0)
        body.insert(QStringLiteral("timeout"), timeout);
    send(call, "POST", toolboxPath(sandbox, route), compact(body),
         options(commandTimeoutMs(timeout), "application/json"), std::move(done));
}

void Toolbox::listFiles(const CallPtr& call, const QString& sandbox, const QString& path, int depth,
                        Done done) {
    get(call, filePath(sandbox, {}, path) + QStringLiteral("&depth=") + QString::number(depth),
        std::move(done));
}

void Toolbox::fileInfo(const CallPtr& call, const QString& sandbox, const QString& path, Done done) {
    get(call, filePath(sandbox, QStringLiteral("/info"), path), std::move(done));
}

void Toolbox::download(const CallPtr& call, const QString& sandbox, const QString& path, Done done) {
    get(call, filePath(sandbox, QStringLiteral("/download"), path), std::move(done));
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
    send(call, "POST", filePath(sandbox, QStringLiteral("/upload"), path), body,
         options(kApiTimeoutMs, "multipart/form-data; boundary=" + boundary), std::move(done));
}

void Toolbox::startComputerUse(const CallPtr& call, const QString& sandbox, Done done) {
    send(call, "POST", toolboxPath(sandbox, QStringLiteral("/computeruse/start")), "{}",
         options(kApiTimeoutMs, "application/json"), std::move(done));
}

void Toolbox::screenshot(const CallPtr& call, const QString& sandbox, Done done) {
    get(call, toolboxPath(sandbox, QStringLiteral("/computeruse/screenshot")), std::move(done));
}

} // namespace cove::cli::mcp
