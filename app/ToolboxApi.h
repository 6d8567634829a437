// Typed calls on a sandbox's toolbox, reached through coved at /toolbox/{sandboxId}/…: one-shot commands,
// sessions whose commands run in the background with their output followed live, the terminal (PTY)
// socket, and file listings. Files themselves move with Transfer.
#pragma once

#include "app/ApiError.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <optional>

class QWebSocket;

namespace cove::app {

class ApiClient;

// POST /process/execute: stdout and stderr together, as Daytona's daemon answers.
struct ExecResult {
    int exitCode = -1;
    QString result;
};

// A command started in a session; the exit code once it has ended.
struct SessionCommand {
    QString id;
    QString command;
    std::optional<int> exitCode;

    static SessionCommand fromJson(const QJsonObject& dto);
};

struct Session {
    QString id;
    QList<SessionCommand> commands;

    static Session fromJson(const QJsonObject& dto);
};

// What a command wrote so far, kept by the toolbox (the last few MiB of each stream).
struct CommandLogs {
    QByteArray output; // both streams in the order they came
    QByteArray stdoutText;
    QByteArray stderrText;
};

struct FileInfo {
    QString name;
    qint64 size = 0;
    bool isDir = false;
    QString mode; // "-rw-r--r--"
    QString modifiedAt;

    static FileInfo fromJson(const QJsonObject& dto);
};

// A command's output as it comes (GET …/logs?follow=true over a WebSocket): each frame is one chunk of
// stdout (prefixed 01 01 01) or stderr (02 02 02). Ends when the command does.
class LogStream : public QObject {
    Q_OBJECT
public:
    ~LogStream() override;
    void abort();

signals:
    void output(const QByteArray& chunk);
    void errorOutput(const QByteArray& chunk);
    // complete: the toolbox closed the stream because the command (or the process) ended; otherwise
    // `error` says why the stream broke off.
    void finished(bool complete, const QString& error);

private:
    friend class ToolboxApi;
    LogStream(ApiClient* client, const QString& path, QObject* parent);

    QWebSocket* m_socket;
    bool m_done = false;
};

// An interactive terminal: GET /process/pty/create-connect as a WebSocket. Input and output are raw
// bytes; the size is set with resize() (REST). Daytona's control frames announce the connection and the
// shell's exit code.
class PtySession : public QObject {
    Q_OBJECT
public:
    ~PtySession() override;
    QString id() const { return m_id; }
    void send(const QByteArray& input);
    void resize(int cols, int rows);
    // Kills the shell (DELETE /process/pty/{id}).
    void kill();

signals:
    void connected();
    void output(const QByteArray& data);
    // The shell exited with `exitCode`, or the connection failed (`exitCode` -1 and `error` saying why).
    void finished(int exitCode, const QString& error);

private:
    friend class ToolboxApi;
    PtySession(ApiClient* client, const QString& sandboxId, const QString& id, int cols, int rows,
               const QString& cwd, QObject* parent);
    void control(const QString& text);
    void end(int exitCode, const QString& error);

    ApiClient* m_client;
    QString m_sandboxId;
    QString m_id;
    QWebSocket* m_socket;
    std::optional<int> m_exitCode;
    bool m_ended = false;
};

class ToolboxApi {
public:
    template <class T> using Reply = std::function<void(const Result<T>&)>;

    explicit ToolboxApi(ApiClient* client)
        : m_client(client) {}

    // /toolbox/{sandboxId}: what Transfer and every call here put in front of the toolbox's paths.
    static QString base(const QString& sandboxId);

    // Runs `command` with the sandbox's shell and waits for it (timeout in seconds, 0: none).
    void execute(const QString& sandboxId, const QString& command, const QString& cwd, int timeoutSeconds,
                 QObject* context, Reply<ExecResult> reply);

    void sessions(const QString& sandboxId, QObject* context, Reply<QList<Session>> reply);
    void createSession(const QString& sandboxId, const QString& sessionId, QObject* context,
                       Reply<Done> reply);
    // Kills what still runs in the session.
    void deleteSession(const QString& sandboxId, const QString& sessionId, QObject* context,
                       Reply<Done> reply);
    // Starts `command` in the session and answers at once with its id (runAsync).
    void startCommand(const QString& sandboxId, const QString& sessionId, const QString& command,
                      QObject* context, Reply<SessionCommand> reply);
    void command(const QString& sandboxId, const QString& sessionId, const QString& commandId,
                 QObject* context, Reply<SessionCommand> reply);
    void commandLogs(const QString& sandboxId, const QString& sessionId, const QString& commandId,
                     QObject* context, Reply<CommandLogs> reply);
    // The output of the image's own command (the `entrypoint` session); 404 when the image has none.
    void entrypointLogs(const QString& sandboxId, QObject* context, Reply<CommandLogs> reply);

    // Follows a command's output (what was kept first, then live) until it ends. An empty commandId
    // follows the entrypoint.
    LogStream* followLogs(const QString& sandboxId, const QString& sessionId, const QString& commandId,
                          QObject* parent);

    // A new terminal running the sandbox user's shell; `id` names it (unique in the sandbox).
    PtySession* openTerminal(const QString& sandboxId, const QString& id, int cols, int rows,
                             const QString& cwd, QObject* parent);

    void listFiles(const QString& sandboxId, const QString& path, QObject* context,
                   Reply<QList<FileInfo>> reply);
    void fileInfo(const QString& sandboxId, const QString& path, QObject* context, Reply<FileInfo> reply);

private:
    ApiClient* m_client;
};

} // namespace cove::app
