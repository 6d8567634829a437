// JSON-RPC 2.0 framing and MCP's lifecycle: initialize with version negotiation, ping, the tool and
// resource methods, progress and cancellation.
#include "app/cli/McpServer.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace cove::cli::mcp {

const QStringList& supportedProtocolVersions() {
    static const QStringList versions{QStringLiteral("2025-11-25"), QStringLiteral("2025-06-18"),
                                      QStringLiteral("2025-03-26"), QStringLiteral("2024-11-05")};
    return versions;
}

namespace {

bool validId(const QJsonValue& id) {
    return id.isString() || (id.isDouble() && id.toDouble() == double(qint64(id.toDouble())));
}

QString idKey(const QJsonValue& id) {
    return id.isString() ? QStringLiteral("s:") + id.toString()
                         : QStringLiteral("n:") + QString::number(qint64(id.toDouble()));
}

Incoming invalid(int code, const QString& error, const QJsonValue& id = QJsonValue::Null) {
    Incoming m;
    m.kind = Incoming::Invalid;
    m.errorCode = code;
    m.error = error;
    m.id = id;
    return m;
}

} // namespace

Incoming parseMessage(const QByteArray& bytes) {
    if (bytes.size() > kMaxMessageBytes)
        return invalid(
            kParseError,
            QStringLiteral("The message is longer than %1 MiB.").arg(kMaxMessageBytes / (1024 * 1024)));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError) {
        // A lone number, string or literal is JSON, just not a message.
        QJsonParseError scalar{};
        const QJsonDocument wrapped = QJsonDocument::fromJson('[' + bytes + ']', &scalar);
        if (scalar.error == QJsonParseError::NoError && wrapped.array().size() == 1)
            return invalid(kInvalidRequest, QStringLiteral("A message must be a JSON object."));
        return invalid(kParseError, QStringLiteral("The message is not valid JSON (%1 at offset %2).")
                                        .arg(error.errorString())
                                        .arg(error.offset));
    }
    if (doc.isArray())
        return invalid(kInvalidRequest,
                       QStringLiteral("Batches are not supported; send one message at a time."));
    if (!doc.isObject())
        return invalid(kInvalidRequest, QStringLiteral("A message must be a JSON object."));
    const QJsonObject o = doc.object();
    const QJsonValue id = o.value(QStringLiteral("id"));
    const bool hasId = o.contains(QStringLiteral("id"));
    const QJsonValue replyId = hasId && validId(id) ? id : QJsonValue(QJsonValue::Null);
    if (o.value(QStringLiteral("jsonrpc")).toString() != QLatin1String("2.0"))
        return invalid(kInvalidRequest, QStringLiteral("'jsonrpc' must be \"2.0\"."), replyId);
    const QJsonValue method = o.value(QStringLiteral("method"));
    if (!o.contains(QStringLiteral("method"))) {
        if (o.contains(QStringLiteral("result")) || o.contains(QStringLiteral("error"))) {
            Incoming m;
            m.kind = Incoming::Response;
            m.id = id;
            return m;
        }
        return invalid(kInvalidRequest, QStringLiteral("The message has no 'method'."), replyId);
    }
    if (!method.isString() || method.toString().isEmpty())
        return invalid(kInvalidRequest, QStringLiteral("'method' must be a non-empty string."), replyId);
    if (hasId && !validId(id))
        return invalid(kInvalidRequest, QStringLiteral("'id' must be a string or an integer."));
    const QJsonValue params = o.value(QStringLiteral("params"));
    if (!params.isUndefined() && !params.isObject())
        return invalid(kInvalidParams, QStringLiteral("'params' must be an object."), replyId);
    Incoming m;
    m.kind = hasId ? Incoming::Request : Incoming::Notification;
    m.id = id;
    m.method = method.toString();
    m.params = params.toObject();
    return m;
}

QJsonObject resultMessage(const QJsonValue& id, const QJsonObject& result) {
    return {{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
            {QStringLiteral("id"), id},
            {QStringLiteral("result"), result}};
}

QJsonObject errorMessage(const QJsonValue& id, int code, const QString& message, const QJsonValue& data) {
    QJsonObject error{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    if (!data.isUndefined() && !data.isNull())
        error.insert(QStringLiteral("data"), data);
    return {{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
            {QStringLiteral("id"), id.isUndefined() ? QJsonValue(QJsonValue::Null) : id},
            {QStringLiteral("error"), error}};
}

void LineReader::feed(const QByteArray& bytes, const Each& each) {
    qsizetype start = 0;
    while (start < bytes.size()) {
        const qsizetype nl = bytes.indexOf('\n', start);
        const qsizetype end = nl < 0 ? bytes.size() : nl;
        if (!m_skipping) {
            m_pending.append(bytes.constData() + start, end - start);
            if (m_pending.size() > kMaxMessageBytes) {
                m_pending.clear();
                m_skipping = true;
                each({}, true);
            }
        }
        if (nl < 0)
            break;
        if (m_skipping) {
            m_skipping = false;
        } else {
            QByteArray line = std::exchange(m_pending, {});
            if (line.endsWith('\r'))
                line.chop(1);
            if (!line.trimmed().isEmpty())
                each(line, false);
        }
        start = nl + 1;
    }
}

void Call::progress(double progress, std::optional<double> total, const QString& message) {
    if (progressToken.isUndefined() || progressToken.isNull() || m_finished || m_cancelled)
        return;
    if (progress <= m_lastProgress)
        progress = m_lastProgress + 0.001; // the spec wants it to grow with every notification
    m_lastProgress = progress;
    QJsonObject p{{QStringLiteral("progressToken"), progressToken}, {QStringLiteral("progress"), progress}};
    if (total)
        p.insert(QStringLiteral("total"), *total);
    if (!message.isEmpty())
        p.insert(QStringLiteral("message"), message);
    m_send({{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
            {QStringLiteral("method"), QStringLiteral("notifications/progress")},
            {QStringLiteral("params"), p}});
}

void Call::reply(const QJsonObject& result) {
    finish(resultMessage(id, result));
}

void Call::fail(int code, const QString& message, const QJsonValue& data) {
    finish(errorMessage(id, code, message, data));
}

void Call::finish(const QJsonObject& message) {
    if (m_finished)
        return;
    m_finished = true;
    if (!m_cancelled) // a cancelled request gets no answer
        m_send(message);
    m_onCancel.clear();
    if (auto done = std::exchange(m_done, nullptr))
        done();
}

void Call::cancel() {
    if (m_finished || m_cancelled)
        return;
    m_cancelled = true;
    for (const auto& stop : std::exchange(m_onCancel, {}))
        stop();
    // Whatever the work does when stopped, the request is over.
    finish({});
}

Server::Server(Provider* provider, QObject* parent)
    : QObject(parent)
    , m_provider(provider) {}

Server::~Server() {
    cancelAll();
}

void Server::cancelAll() {
    const auto calls = m_calls.values();
    for (const auto& c : calls)
        c->cancel();
}

void Server::handle(const QByteArray& bytes, const Sink& send, const std::function<void()>& done) {
    handle(parseMessage(bytes), send, done);
}

void Server::handle(const Incoming& m, const Sink& send, const std::function<void()>& done) {
    switch (m.kind) {
    case Incoming::Invalid:
        send(errorMessage(m.id, m.errorCode, m.error));
        done();
        return;
    case Incoming::Response:
        done(); // this server asks nothing of clients
        return;
    case Incoming::Notification:
        if (m.method == QLatin1String("notifications/cancelled"))
            cancelled(m.params);
        // notifications/initialized and any other: nothing to answer
        done();
        return;
    case Incoming::Request:
        break;
    }
    const QString key = idKey(m.id);
    if (m_calls.contains(key)) {
        send(errorMessage(m.id, kInvalidRequest,
                          QStringLiteral("A request with this id is still in flight; use a new id.")));
        done();
        return;
    }
    auto call = std::make_shared<Call>();
    call->id = m.id;
    call->method = m.method;
    call->params = m.params;
    call->progressToken =
        m.params.value(QStringLiteral("_meta")).toObject().value(QStringLiteral("progressToken"));
    if (!call->progressToken.isString() && !call->progressToken.isDouble())
        call->progressToken = QJsonValue(QJsonValue::Undefined);
    call->m_send = send;
    call->m_done = [this, key, done] {
        m_calls.remove(key);
        done();
        if (m_calls.isEmpty())
            emit idle();
    };
    m_calls.insert(key, call);
    dispatch(call);
}

void Server::dispatch(const CallPtr& call) {
    const QString& method = call->method;
    const QJsonObject& params = call->params;
    if (method == QLatin1String("initialize"))
        return call->reply(initialize(params));
    if (method == QLatin1String("ping"))
        return call->reply({});
    if (method == QLatin1String("logging/setLevel"))
        return call->reply({}); // the server logs to its own stderr only
    if (method == QLatin1String("tools/list"))
        return call->reply({{QStringLiteral("tools"), m_provider->tools()}});
    if (method == QLatin1String("tools/call")) {
        const QJsonValue name = params.value(QStringLiteral("name"));
        const QJsonValue arguments = params.value(QStringLiteral("arguments"));
        if (!name.isString())
            return call->fail(kInvalidParams, QStringLiteral("tools/call needs 'name', the tool to call."));
        if (!m_provider->hasTool(name.toString()))
            return call->fail(kInvalidParams,
                              QStringLiteral("Unknown tool: %1. tools/list lists the tools there are.")
                                  .arg(name.toString()));
        if (!arguments.isUndefined() && !arguments.isNull() && !arguments.isObject())
            return call->fail(kInvalidParams, QStringLiteral("'arguments' must be an object."));
        return m_provider->callTool(name.toString(), arguments.toObject(), call);
    }
    if (method == QLatin1String("resources/list"))
        return m_provider->listResources(call);
    if (method == QLatin1String("resources/templates/list"))
        return call->reply({{QStringLiteral("resourceTemplates"), m_provider->resourceTemplates()}});
    if (method == QLatin1String("resources/read")) {
        const QJsonValue uri = params.value(QStringLiteral("uri"));
        if (!uri.isString() || uri.toString().isEmpty())
            return call->fail(kInvalidParams, QStringLiteral("resources/read needs 'uri'."));
        return m_provider->readResource(uri.toString(), call);
    }
    if (method == QLatin1String("prompts/list"))
        return call->fail(kMethodNotFound, QStringLiteral("This server offers no prompts."));
    call->fail(kMethodNotFound, QStringLiteral("Method not found: %1.").arg(method));
}

QJsonObject Server::initialize(const QJsonObject& params) {
    const QString asked = params.value(QStringLiteral("protocolVersion")).toString();
    // The client's revision when this server speaks it, else the newest it does (the client decides
    // whether it can go on).
    m_version = supportedProtocolVersions().contains(asked) ? asked : supportedProtocolVersions().first();
    const QJsonObject capabilities{
        {QStringLiteral("tools"), QJsonObject{{QStringLiteral("listChanged"), false}}},
        {QStringLiteral("resources"),
         QJsonObject{{QStringLiteral("subscribe"), false}, {QStringLiteral("listChanged"), false}}},
        {QStringLiteral("logging"), QJsonObject{}},
    };
    return {
        {QStringLiteral("protocolVersion"), m_version},
        {QStringLiteral("capabilities"), capabilities},
        {QStringLiteral("serverInfo"),
         QJsonObject{{QStringLiteral("name"), QStringLiteral("cove")},
                     {QStringLiteral("title"), QStringLiteral("Cove sandboxes")},
                     {QStringLiteral("version"), QStringLiteral(COVE_VERSION)}}},
        {QStringLiteral("instructions"),
         QStringLiteral("Cove runs sandboxes (containers with their own filesystem and processes) on this "
                        "machine. Make one with create_sandbox, then run commands and code, and read and "
                        "write files in it by its id; delete it with delete_sandbox when done. A sandbox "
                        "made from the cove-desktop snapshot has a screen for the screenshot tool.")},
    };
}

void Server::cancelled(const QJsonObject& params) {
    const QJsonValue id = params.value(QStringLiteral("requestId"));
    if (!validId(id))
        return;
    const auto it = m_calls.find(idKey(id));
    if (it == m_calls.end() || it.value()->method == QLatin1String("initialize"))
        return;                      // already answered (or never sent): nothing to stop
    const CallPtr call = it.value(); // cancel() removes it from m_calls
    call->cancel();
}

} // namespace cove::cli::mcp
