// What the MCP endpoint reads from a client before handling it: the request's head, and whether its Host
// and Origin name this machine. Pure functions of the bytes (Qt Core only), so a fuzz target runs them.
#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

#include <variant>

namespace cove::cli::mcp {

struct HttpRequest {
    QByteArray method;
    QByteArray target;
    QMap<QByteArray, QByteArray> headers; // names in lower case; a repeated header's values joined by ", "
    qint64 bodyLength = 0;                // from Content-Length
    QByteArray body;
    QByteArray header(const char* name) const { return headers.value(QByteArray(name)); }
};

// Why a head is refused: the status to answer and a sentence for the client.
struct HeadRefusal {
    int status = 400;
    QString message;
};

// The head of a request: the bytes before its blank line (CRLF CRLF). Bodies come with a Content-Length
// of at most `mostBody` bytes; a chunked one is refused (411).
std::variant<HttpRequest, HeadRefusal> parseRequestHead(const QByteArray& head, qint64 mostBody);

// The Host header names this server: a loopback name or address, with `port` or no port.
bool hostAllowed(const QByteArray& host, quint16 port);
// No Origin (not a browser), or one on a loopback name or address.
bool originAllowed(const QByteArray& origin);

} // namespace cove::cli::mcp
