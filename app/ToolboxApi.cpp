// Paths under /toolbox/{id}; names in paths are percent-encoded, paths of files go in the query.
#include "app/ToolboxApi.h"

#include "app/ApiClient.h"
#include "app/ResourcesApi.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

namespace cove::app {

namespace {

QString enc(const QString& s) {
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

QString sessionPath(const QString& sandboxId, const QString& sessionId) {
    return ToolboxApi::base(sandboxId) + QStringLiteral("/process/session/") + enc(sessionId);
}

QString commandPath(const QString& sandboxId, const QString& sessionId, const QString& commandId) {
    return sessionPath(sandboxId, sessionId) + QStringLiteral("/command/") + enc(commandId);
}

// The request for a WebSocket on `path`: the key and headers of every call, with ws:// or wss://.
QNetworkRequest socketRequest(ApiClient* client, const QString& path) {
    QNetworkRequest req = client->request(path);
    QUrl url = req.url();
    url.setScheme(url.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    req.setUrl(url);
    return req;
}

CommandLogs logsOf(const QJsonObject& o) {
    return {o.value(QStringLiteral("output")).toString().toUtf8(),
            o.value(QStringLiteral("stdout")).toString().toUtf8(),
            o.value(QStringLiteral("stderr")).toString().toUtf8()};
}

constexpr char kExitControl[] = "X-Daytona-Pty-Exit-Control";

} // namespace

SessionCommand SessionCommand::fromJson(const QJsonObject& dto) {
    SessionCommand c;
    c.id = dto.value(QStringLiteral("id")).toString();
    if (c.id.isEmpty())
        c.id = dto.value(QStringLiteral("cmdId")).toString();
    c.command = dto.value(QStringLiteral("command")).toString();
    const QJsonValue code = dto.value(QStringLiteral("exitCode"));
    if (code.isDouble())
        c.exitCode = code.toInt();
    return c;
}

Session Session::fromJson(const QJsonObject& dto) {
    Session s;
    s.id = dto.value(QStringLiteral("sessionId")).toString();
    s.commands = listOf<SessionCommand>(dto.value(QStringLiteral("commands")).toArray());
    return s;
}

FileInfo FileInfo::fromJson(const QJsonObject& dto) {
    FileInfo f;
    f.name = dto.value(QStringLiteral("name")).toString();
    f.size = dto.value(QStringLiteral("size")).toInteger();
    f.isDir = dto.value(QStringLiteral("isDir")).toBool();
    f.mode = dto.value(QStringLiteral("mode")).toString();
    f.modifiedAt = dto.value(QStringLiteral("modifiedAt")).toString();
    return f;
}

QString ToolboxApi::base(const QString& sandboxId) {
    return QStringLiteral("/toolbox/") + enc(sandboxId);
}

void ToolboxApi::execute(const QString& sandboxId, const QString& command, const QString& cwd,
                         int timeoutSeconds, QObject* context, Reply<ExecResult> reply) {
    QJsonObject body{{QStringLiteral("command"), command}};
    if (!cwd.isEmpty())
        body.insert(QStringLiteral("cwd"), cwd);
    if (timeoutSeconds > 0)
        body.insert(QStringLiteral("timeout"), timeoutSeconds);
    m_client->post(base(sandboxId) + QStringLiteral("/process/execute"), body, context,
                   [reply = std::move(reply)](const ApiResult& r) {
                       if (!r.ok)
                           return reply(ApiError::fromResult(r));
                       const QJsonObject o = r.json.object();
                       reply(ExecResult{o.value(QStringLiteral("exitCode")).toInt(-1),
                                        o.value(QStringLiteral("result")).toString()});
                   });
}

void ToolboxApi::sessions(const QString& sandboxId, QObject* context, Reply<QList<Session>> reply) {
    m_client->get(base(sandboxId) + QStringLiteral("/process/session"), context,
                  [reply = std::move(reply)](const ApiResult& r) {
                      r.ok ? reply(listOf<Session>(r.json.array())) : reply(ApiError::fromResult(r));
                  });
}

void ToolboxApi::createSession(const QString& sandboxId, const QString& sessionId, QObject* context,
                               Reply<Done> reply) {
    m_client->post(base(sandboxId) + QStringLiteral("/process/session"),
                   {{QStringLiteral("sessionId"), sessionId}}, context, doneReply(std::move(reply)));
}

void ToolboxApi::deleteSession(const QString& sandboxId, const QString& sessionId, QObject* context,
                               Reply<Done> reply) {
    m_client->del(sessionPath(sandboxId, sessionId), context, doneReply(std::move(reply)));
}

void ToolboxApi::startCommand(const QString& sandboxId, const QString& sessionId, const QString& command,
                              QObject* context, Reply<SessionCommand> reply) {
    m_client->post(sessionPath(sandboxId, sessionId) + QStringLiteral("/exec"),
                   {{QStringLiteral("command"), command}, {QStringLiteral("runAsync"), true}}, context,
                   [reply = std::move(reply), command](const ApiResult& r) {
                       if (!r.ok)
                           return reply(ApiError::fromResult(r));
                       SessionCommand c = SessionCommand::fromJson(r.json.object());
                       c.command = command;
                       reply(c);
                   });
}

void ToolboxApi::command(const QString& sandboxId, const QString& sessionId, const QString& commandId,
                         QObject* context, Reply<SessionCommand> reply) {
    m_client->get(commandPath(sandboxId, sessionId, commandId), context,
                  [reply = std::move(reply)](const ApiResult& r) {
                      r.ok ? reply(SessionCommand::fromJson(r.json.object()))
                           : reply(ApiError::fromResult(r));
                  });
}

void ToolboxApi::commandLogs(const QString& sandboxId, const QString& sessionId, const QString& commandId,
                             QObject* context, Reply<CommandLogs> reply) {
    m_client->get(commandPath(sandboxId, sessionId, commandId) + QStringLiteral("/logs"), context,
                  [reply = std::move(reply)](const ApiResult& r) {
                      r.ok ? reply(logsOf(r.json.object())) : reply(ApiError::fromResult(r));
                  });
}

void ToolboxApi::entrypointLogs(const QString& sandboxId, QObject* context, Reply<CommandLogs> reply) {
    m_client->get(base(sandboxId) + QStringLiteral("/process/session/entrypoint/logs"), context,
                  [reply = std::move(reply)](const ApiResult& r) {
                      r.ok ? reply(logsOf(r.json.object())) : reply(ApiError::fromResult(r));
                  });
}

LogStream* ToolboxApi::followLogs(const QString& sandboxId, const QString& sessionId,
                                  const QString& commandId, QObject* parent) {
    const QString path =
        commandId.isEmpty()
            ? base(sandboxId) + QStringLiteral("/process/session/entrypoint/logs?follow=true")
            : commandPath(sandboxId, sessionId, commandId) + QStringLiteral("/logs?follow=true");
    return new LogStream(m_client, path, parent);
}

PtySession* ToolboxApi::openTerminal(const QString& sandboxId, const QString& id, int cols, int rows,
                                     const QString& cwd, QObject* parent) {
    return new PtySession(m_client, sandboxId, id, cols, rows, cwd, parent);
}

void ToolboxApi::listFiles(const QString& sandboxId, const QString& path, QObject* context,
                           Reply<QList<FileInfo>> reply) {
    m_client->get(base(sandboxId) + QStringLiteral("/files?path=") + enc(path), context,
                  [reply = std::move(reply)](const ApiResult& r) {
                      r.ok ? reply(listOf<FileInfo>(r.json.array())) : reply(ApiError::fromResult(r));
                  });
}

void ToolboxApi::fileInfo(const QString& sandboxId, const QString& path, QObject* context,
                          Reply<FileInfo> reply) {
    m_client->get(base(sandboxId) + QStringLiteral("/files/info?path=") + enc(path), context,
                  [reply = std::move(reply)](const ApiResult& r) {
                      r.ok ? reply(FileInfo::fromJson(r.json.object())) : reply(ApiError::fromResult(r));
                  });
}

// ---- LogStream

LogStream::LogStream(ApiClient* client, const QString& path, QObject* parent)
    : QObject(parent)
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this)) {
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& frame) {
        if (frame.startsWith(QByteArrayLiteral("\x02\x02\x02")))
            emit errorOutput(frame.mid(3));
        else if (frame.startsWith(QByteArrayLiteral("\x01\x01\x01")))
            emit output(frame.mid(3));
        else
            emit output(frame);
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString& text) { emit output(text.toUtf8()); });
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        if (m_done)
            return;
        m_done = true;
        const bool complete = m_socket->closeCode() == QWebSocketProtocol::CloseCodeNormal;
        emit finished(complete, complete ? QString() : m_socket->errorString());
    });
    m_socket->open(socketRequest(client, path));
}

LogStream::~LogStream() {
    m_done = true;
}

void LogStream::abort() {
    m_done = true;
    m_socket->abort();
}

// ---- PtySession

PtySession::PtySession(ApiClient* client, const QString& sandboxId, const QString& id, int cols, int rows,
                       const QString& cwd, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_sandboxId(sandboxId)
    , m_id(id)
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this)) {
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("id"), id);
    q.addQueryItem(QStringLiteral("cols"), QString::number(cols));
    q.addQueryItem(QStringLiteral("rows"), QString::number(rows));
    if (!cwd.isEmpty())
        q.addQueryItem(QStringLiteral("cwd"), cwd);
    const QString path = ToolboxApi::base(sandboxId) + QStringLiteral("/process/pty/create-connect?") +
                         q.toString(QUrl::FullyEncoded);
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({QString::fromLatin1(kExitControl)});
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &PtySession::output);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &PtySession::control);
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        if (m_exitCode)
            return end(*m_exitCode, {});
        // Daytona's daemon puts {"exitCode"} in the close reason; a bare normal close is exit 0.
        const QJsonObject reason = QJsonDocument::fromJson(m_socket->closeReason().toUtf8()).object();
        if (reason.value(QStringLiteral("exitCode")).isDouble())
            return end(reason.value(QStringLiteral("exitCode")).toInt(), {});
        if (m_socket->closeCode() == QWebSocketProtocol::CloseCodeNormal)
            return end(0, {});
        const QString why = reason.value(QStringLiteral("error")).toString();
        end(-1, why.isEmpty() ? m_socket->errorString() : why);
    });
    m_socket->open(socketRequest(client, path), options);
}

PtySession::~PtySession() {
    m_ended = true;
}

void PtySession::control(const QString& text) {
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    if (o.value(QStringLiteral("type")).toString() != QLatin1String("control")) {
        emit output(text.toUtf8()); // text that is no control message is output too
        return;
    }
    const QString status = o.value(QStringLiteral("status")).toString();
    if (status == QLatin1String("connected"))
        emit connected();
    else if (status == QLatin1String("exited"))
        m_exitCode = o.value(QStringLiteral("exitCode")).toInt();
    else if (status == QLatin1String("error"))
        end(-1, o.value(QStringLiteral("error")).toString());
}

void PtySession::end(int exitCode, const QString& error) {
    if (m_ended)
        return;
    m_ended = true;
    emit finished(exitCode, error);
}

void PtySession::send(const QByteArray& input) {
    m_socket->sendBinaryMessage(input);
}

void PtySession::resize(int cols, int rows) {
    m_client->post(ToolboxApi::base(m_sandboxId) + QStringLiteral("/process/pty/") + enc(m_id) +
                       QStringLiteral("/resize"),
                   {{QStringLiteral("cols"), cols}, {QStringLiteral("rows"), rows}}, this,
                   [](const ApiResult&) {});
}

void PtySession::kill() {
    m_client->del(ToolboxApi::base(m_sandboxId) + QStringLiteral("/process/pty/") + enc(m_id), this,
                  [](const ApiResult&) {});
}

} // namespace cove::app
