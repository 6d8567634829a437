// The Model Context Protocol server's core: JSON-RPC 2.0 messages in, answers out, whatever carries them
// (McpStdio: newline-delimited JSON on stdin/stdout; McpHttp: streamable HTTP on loopback). One Server
// per client session; the tools it offers live in McpTools.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace cove::cli::mcp {

// The most one message may take (a line on stdio, a body over HTTP); longer ones are refused unread.
constexpr qsizetype kMaxMessageBytes = 16 * 1024 * 1024;

// JSON-RPC 2.0's codes, and MCP's for a resource that does not exist.
enum RpcCode : int {
    kParseError = -32700,
    kInvalidRequest = -32600,
    kMethodNotFound = -32601,
    kInvalidParams = -32602,
    kInternalError = -32603,
    kResourceNotFound = -32002,
};

// The protocol revisions this server speaks, newest first.
const QStringList& supportedProtocolVersions();

// One message as read: a request (an id and a method), a notification (a method, no id), a response to
// something the server sent (ignored: it sends no requests), or something that is none of these.
struct Incoming {
    enum Kind { Request, Notification, Response, Invalid } kind = Invalid;
    QJsonValue id; // a string or a number for requests; null when it could not be read
    QString method;
    QJsonObject params;
    int errorCode = 0; // for Invalid: kParseError or kInvalidRequest or kInvalidParams
    QString error;
};

// Reads one JSON-RPC message; never throws, whatever the bytes.
Incoming parseMessage(const QByteArray& bytes);

QJsonObject resultMessage(const QJsonValue& id, const QJsonObject& result);
QJsonObject errorMessage(const QJsonValue& id, int code, const QString& message, const QJsonValue& data = {});

// Splits a byte stream into lines of at most kMaxMessageBytes; a longer line is reported once as too long
// and skipped up to its newline.
class LineReader {
public:
    using Each = std::function<void(const QByteArray& line, bool tooLong)>;
    void feed(const QByteArray& bytes, const Each& each);

private:
    QByteArray m_pending;
    bool m_skipping = false;
};

using Sink = std::function<void(const QJsonObject& message)>;

// A request in flight: its progress token, its answer (once), and what cancelling it stops.
class Call {
public:
    QJsonValue id;
    QString method;
    QJsonObject params;
    QJsonValue progressToken; // undefined when the client asked for no progress

    bool cancelled() const { return m_cancelled; }
    bool finished() const { return m_finished; }
    // notifications/progress, when the client gave a token; `progress` only ever grows.
    void progress(double progress, std::optional<double> total, const QString& message);
    void reply(const QJsonObject& result);
    void fail(int code, const QString& message, const QJsonValue& data = {});
    // Runs when the client cancels the request (or the session ends) before it is answered.
    void onCancel(std::function<void()> stop) { m_onCancel.push_back(std::move(stop)); }

private:
    friend class Server;
    void cancel();
    void finish(const QJsonObject& message);

    Sink m_send;
    std::function<void()> m_done;
    std::vector<std::function<void()>> m_onCancel;
    double m_lastProgress = -1;
    bool m_cancelled = false;
    bool m_finished = false;
};

using CallPtr = std::shared_ptr<Call>;

// What the server offers: the tools and the resources (McpTools implements it on a coved).
class Provider {
public:
    virtual ~Provider() = default;
    virtual QJsonArray tools() const = 0;
    virtual bool hasTool(const QString& name) const = 0;
    virtual void callTool(const QString& name, const QJsonObject& arguments, const CallPtr& call) = 0;
    virtual QJsonArray resourceTemplates() const = 0;
    virtual void listResources(const CallPtr& call) = 0;
    virtual void readResource(const QString& uri, const CallPtr& call) = 0;
    // Work that outlives the requests (stopping what cancelled ones started); a server about to end
    // waits for it, told by `settled`.
    virtual bool busy() const { return false; }
    virtual void onSettled(std::function<void()> settled) { Q_UNUSED(settled); }
};

class Server : public QObject {
    Q_OBJECT
public:
    explicit Server(Provider* provider, QObject* parent = nullptr);
    ~Server() override;

    // Handles one message. `send` carries what the server sends on its account (progress notifications,
    // then the answer); `done` runs once nothing more will be sent for it (at once for notifications).
    void handle(const QByteArray& bytes, const Sink& send, const std::function<void()>& done);
    void handle(const Incoming& message, const Sink& send, const std::function<void()>& done);

    int inFlight() const { return int(m_calls.size()); }
    bool initialized() const { return !m_version.isEmpty(); }
    QString protocolVersion() const { return m_version; }
    // Cancels everything in flight (the client went away).
    void cancelAll();

signals:
    // Nothing is in flight any more.
    void idle();

private:
    void dispatch(const CallPtr& call);
    QJsonObject initialize(const QJsonObject& params);
    void cancelled(const QJsonObject& params);

    Provider* m_provider;
    QString m_version;
    QHash<QString, CallPtr> m_calls; // by id, as its JSON text
};

} // namespace cove::cli::mcp
