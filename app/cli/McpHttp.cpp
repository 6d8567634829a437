// A small HTTP/1.1 server for the MCP endpoint: bounded header and body, Content-Length bodies, keep-alive
// for JSON answers, one SSE stream per tool call (closed with the answer).
#include "app/cli/McpHttp.h"

#include "app/Connection.h"
#include "app/cli/Cli.h"
#include "app/cli/McpHttpRequest.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonDocument>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>
#include <QUrlQuery>
#include <QUuid>

#include <cstdio>
#include <map>

namespace cove::cli::mcp {

namespace {

constexpr qsizetype kMostHeaderBytes = 64 * 1024;
constexpr int kMostSessions = 64;

// The reason phrases of the statuses this server answers with. coved's httpReasonPhrase (backend/common)
// is not shared: the app and the command line do not link backend code.
QByteArray reason(int status) {
    switch (status) {
    case 200:
        return "OK";
    case 202:
        return "Accepted";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 431:
        return "Request Header Fields Too Large";
    case 501:
        return "Not Implemented";
    default:
        return "Error";
    }
}

bool sameKey(const QByteArray& a, const QByteArray& b) {
    // Compared as hashes, so the time taken says nothing about the key.
    return QCryptographicHash::hash(a, QCryptographicHash::Sha256) ==
               QCryptographicHash::hash(b, QCryptographicHash::Sha256) &&
           !b.isEmpty();
}

QByteArray jsonBody(const QJsonObject& o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

class HttpServer;

// One client connection: reads requests one at a time and answers each before reading the next.
class Connection : public QObject {
public:
    Connection(QTcpSocket* socket, HttpServer* server);

private:
    void readMore();
    bool parseHead(qsizetype end);
    void respond(int status, const QByteArray& body, const QByteArray& contentType = "application/json",
                 const QList<QPair<QByteArray, QByteArray>>& extra = {}, bool close = false);
    void refuse(int status, const QString& message, bool close = false);
    void handle();

    QTcpSocket* m_socket;
    HttpServer* m_server;
    QByteArray m_buffer;
    std::optional<HttpRequest> m_request;
    qsizetype m_bodyLength = -1;
    bool m_busy = false;    // a request is being answered
    bool m_closing = false; // the last answer is out; nothing more is read
};

class HttpServer : public QObject {
public:
    HttpServer(Provider* provider, QByteArray key)
        : m_provider(provider)
        , m_key(std::move(key)) {}

    bool listen(const QHostAddress& address, quint16 port) {
        if (!m_tcp.listen(address, port))
            return false;
        connect(&m_tcp, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_tcp.nextPendingConnection())
                new Connection(s, this);
        });
        return true;
    }
    quint16 port() const { return m_tcp.serverPort(); }
    QString error() const { return m_tcp.errorString(); }
    const QByteArray& key() const { return m_key; }
    Provider* provider() const { return m_provider; }

    Server* session(const QByteArray& id) {
        const auto it = m_sessions.find(id);
        if (it == m_sessions.end())
            return nullptr;
        it->second.used.start();
        return it->second.server.get();
    }
    QByteArray newSession() {
        if (int(m_sessions.size()) >= kMostSessions) {
            // The session used longest ago makes room (a client that went away without DELETE).
            auto oldest = m_sessions.begin();
            for (auto it = m_sessions.begin(); it != m_sessions.end(); ++it)
                if (it->second.used.elapsed() > oldest->second.used.elapsed())
                    oldest = it;
            m_sessions.erase(oldest);
        }
        const QByteArray id = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        Session& s = m_sessions[id];
        s.server = std::make_unique<Server>(m_provider);
        s.used.start();
        return id;
    }
    bool endSession(const QByteArray& id) { return m_sessions.erase(id) > 0; }

private:
    struct Session {
        std::unique_ptr<Server> server;
        QElapsedTimer used;
    };
    QTcpServer m_tcp;
    Provider* m_provider;
    QByteArray m_key;
    std::map<QByteArray, Session> m_sessions;
};

Connection::Connection(QTcpSocket* socket, HttpServer* server)
    : QObject(socket)
    , m_socket(socket)
    , m_server(server) {
    connect(socket, &QTcpSocket::readyRead, this, &Connection::readMore);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
}

void Connection::readMore() {
    if (m_closing) {
        m_socket->readAll(); // the answer is out and the connection ends: the rest is not read
        return;
    }
    m_buffer += m_socket->readAll();
    // A client that sends on while its request is being answered may queue one more, no more.
    if (m_busy && m_buffer.size() > kMaxMessageBytes + kMostHeaderBytes) {
        m_closing = true;
        m_buffer.clear();
        m_socket->abort();
        return;
    }
    while (!m_busy && !m_closing) {
        if (!m_request) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0) {
                if (m_buffer.size() > kMostHeaderBytes)
                    refuse(431, QStringLiteral("The request's header is longer than 64 KiB."), true);
                return;
            }
            if (end > kMostHeaderBytes)
                return refuse(431, QStringLiteral("The request's header is longer than 64 KiB."), true);
            if (!parseHead(end))
                return;
        }
        if (m_buffer.size() < m_bodyLength)
            return;
        m_request->body = m_buffer.left(m_bodyLength);
        m_buffer.remove(0, m_bodyLength);
        handle();
    }
}

bool Connection::parseHead(qsizetype end) {
    const QByteArray head = m_buffer.left(end);
    m_buffer.remove(0, end + 4);
    auto parsed = parseRequestHead(head, kMaxMessageBytes);
    if (const auto* refusal = std::get_if<HeadRefusal>(&parsed)) {
        refuse(refusal->status, refusal->message, true);
        return false;
    }
    m_request = std::move(std::get<HttpRequest>(parsed));
    m_bodyLength = m_request->bodyLength;
    return true;
}

void Connection::respond(int status, const QByteArray& body, const QByteArray& contentType,
                         const QList<QPair<QByteArray, QByteArray>>& extra, bool close) {
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason(status) + "\r\n";
    if (!body.isEmpty())
        head += "Content-Type: " + contentType + "\r\n";
    head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const auto& [name, value] : extra)
        head += name + ": " + value + "\r\n";
    if (close)
        head += "Connection: close\r\n";
    head += "\r\n";
    m_socket->write(head + body);
    m_request.reset();
    m_bodyLength = -1;
    m_busy = false;
    if (close) {
        m_closing = true;
        m_buffer.clear();
        m_socket->disconnectFromHost();
    }
}

void Connection::refuse(int status, const QString& message, bool close) {
    QList<QPair<QByteArray, QByteArray>> extra;
    if (status == 401)
        extra << qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer realm=\"cove-mcp\""));
    if (status == 405)
        extra << qMakePair(QByteArray("Allow"), QByteArray("POST, DELETE"));
    respond(status, jsonBody(errorMessage(QJsonValue::Null, -32000, message)), "application/json", extra,
            close);
}

void Connection::handle() {
    const HttpRequest& r = *m_request;
    m_busy = true;
    const QUrl target(QString::fromLatin1(r.target));
    if (target.path() != QLatin1String("/mcp"))
        return refuse(404, QStringLiteral("The MCP endpoint is /mcp."));
    // A web page must not reach this server through a name that resolves to loopback.
    if (!hostAllowed(r.header("host"), m_server->port()) || !originAllowed(r.header("origin")))
        return refuse(403, QStringLiteral("The Host or Origin header does not name this loopback server."));
    const QByteArray auth = r.header("authorization");
    const QByteArray given = auth.startsWith("Bearer ")
                                 ? auth.mid(7).trimmed()
                                 : QUrlQuery(target).queryItemValue(QStringLiteral("key")).toUtf8();
    if (!sameKey(given, m_server->key()))
        return refuse(401, QStringLiteral("Send the key cove-cli mcp printed (or was given) as "
                                          "\"Authorization: Bearer KEY\"."));
    const QByteArray sessionId = r.header("mcp-session-id");
    if (r.method == "DELETE") {
        if (sessionId.isEmpty())
            return refuse(400, QStringLiteral("DELETE needs the Mcp-Session-Id header."));
        return m_server->endSession(sessionId) ? respond(200, {})
                                               : refuse(404, QStringLiteral("No such session."));
    }
    if (r.method != "POST")
        return refuse(405, QStringLiteral("This server sends nothing unasked: use POST (and DELETE to end a "
                                          "session)."));
    const QByteArray accept = r.header("accept");
    const bool sse = accept.contains("text/event-stream") || accept.contains("*/*");
    if (!(accept.contains("application/json") || accept.contains("*/*")) || !sse)
        return refuse(406, QStringLiteral("Accept both application/json and text/event-stream."));
    if (!r.header("content-type").startsWith("application/json"))
        return refuse(415, QStringLiteral("Send the message as application/json."));
    const QByteArray version = r.header("mcp-protocol-version");
    if (!version.isEmpty() && !supportedProtocolVersions().contains(QString::fromLatin1(version)))
        return refuse(400, QStringLiteral("Unsupported MCP-Protocol-Version %1; this server speaks %2.")
                               .arg(QString::fromLatin1(version),
                                    supportedProtocolVersions().join(QStringLiteral(", "))));

    const Incoming message = parseMessage(r.body);
    if (message.kind == Incoming::Invalid)
        return respond(400, jsonBody(errorMessage(message.id, message.errorCode, message.error)));
    QList<QPair<QByteArray, QByteArray>> extra;
    Server* server = nullptr;
    if (message.kind == Incoming::Request && message.method == QLatin1String("initialize")) {
        const QByteArray id = m_server->newSession();
        server = m_server->session(id);
        extra << qMakePair(QByteArray("Mcp-Session-Id"), id);
    } else {
        if (sessionId.isEmpty())
            return refuse(400, QStringLiteral("Send the Mcp-Session-Id header initialize answered with."));
        server = m_server->session(sessionId);
        if (!server)
            return refuse(404, QStringLiteral("The session has ended; initialize a new one."));
    }
    if (message.kind != Incoming::Request) {
        server->handle(
            message, [](const QJsonObject&) {}, [] {});
        return respond(202, {});
    }
    QPointer<Connection> self(this);
    if (message.method == QLatin1String("tools/call")) {
        // An event stream: progress notifications as they come, then the result, then the end.
        m_socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                        "Connection: close\r\n\r\n");
        server->handle(
            message,
            [self](const QJsonObject& m) {
                if (self)
                    self->m_socket->write("event: message\ndata: " + jsonBody(m) + "\n\n");
            },
            [self] {
                if (!self)
                    return;
                self->m_request.reset();
                self->m_buffer.clear();
                self->m_closing = true;
                self->m_socket->disconnectFromHost();
            });
        return;
    }
    auto answer = std::make_shared<QJsonObject>();
    server->handle(
        message, [answer](const QJsonObject& m) { *answer = m; },
        [self, answer, extra] {
            if (!self)
                return;
            self->respond(200, jsonBody(*answer), "application/json", extra);
            self->readMore(); // a request sent meanwhile
        });
}

} // namespace

int serveHttp(Provider* provider, const QString& address, const QString& keyFile) {
    const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const uint port = address.mid(colon + 1).toUInt(&portOk);
    QString host = address.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (host == QLatin1String("localhost"))
        host = QStringLiteral("127.0.0.1");
    const QHostAddress bind(host);
    if (colon < 0 || !portOk || port > 65535 || bind.isNull()) {
        std::fprintf(stderr, "cove-cli mcp: --http takes ADDRESS:PORT, such as 127.0.0.1:8765\n");
        return kUsage;
    }
    if (!bind.isLoopback()) {
        std::fprintf(stderr, "cove-cli mcp: --http serves on loopback addresses only (127.0.0.1, ::1)\n");
        return kUsage;
    }
    QByteArray key;
    if (!keyFile.isEmpty()) {
        key = app::Connection::readKeyFile(keyFile).toUtf8();
        if (key.isEmpty()) {
            std::fprintf(stderr, "cove-cli mcp: cannot read a key from %s\n", qPrintable(keyFile));
            return kUsage;
        }
    } else if (!qEnvironmentVariableIsEmpty("COVE_MCP_KEY")) {
        key = qgetenv("COVE_MCP_KEY");
    } else {
        quint32 words[8];
        QRandomGenerator::system()->fillRange(words);
        key = QByteArray(reinterpret_cast<const char*>(words), sizeof words).toHex();
    }
    HttpServer server(provider, key);
    if (!server.listen(bind, quint16(port))) {
        std::fprintf(stderr, "cove-cli mcp: cannot listen on %s: %s\n", qPrintable(address),
                     qPrintable(server.error()));
        return kFailed;
    }
    const QString hostPart = bind.protocol() == QAbstractSocket::IPv6Protocol
                                 ? QLatin1Char('[') + bind.toString() + QLatin1Char(']')
                                 : bind.toString();
    std::fprintf(stderr, "cove-cli mcp: serving MCP at http://%s:%u/mcp\n", qPrintable(hostPart),
                 server.port());
    if (keyFile.isEmpty() && qEnvironmentVariableIsEmpty("COVE_MCP_KEY"))
        std::fprintf(stderr, "cove-cli mcp: key %s\n", key.constData());
    std::fprintf(stderr,
                 "cove-cli mcp: clients send \"Authorization: Bearer <key>\" (or add ?key=<key> to the "
                 "URL)\n");
    return QCoreApplication::exec();
}

} // namespace cove::cli::mcp
