#include "app/cli/McpHttpRequest.h"

#include <QHostAddress>
#include <QList>
#include <QUrl>

namespace cove::cli::mcp {

namespace {

bool loopbackHost(QString host) {
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress a(host);
    return !a.isNull() && a.isLoopback();
}

HeadRefusal refusal(int status, const QString& message) {
    return HeadRefusal{status, message};
}

} // namespace

std::variant<HttpRequest, HeadRefusal> parseRequestHead(const QByteArray& head, qint64 mostBody) {
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> start = lines.value(0).trimmed().split(' ');
    if (start.size() != 3 || start[0].isEmpty() || start[1].isEmpty() || !start[2].startsWith("HTTP/1."))
        return refusal(400, QStringLiteral("The request line is malformed."));
    HttpRequest r;
    r.method = start[0];
    r.target = start[1];
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return refusal(400, QStringLiteral("A header line is malformed."));
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        r.headers[name] = r.headers.contains(name) ? r.headers[name] + ", " + value : value;
    }
    if (!r.header("transfer-encoding").isEmpty())
        return refusal(411, QStringLiteral("Send the body with a Content-Length."));
    bool ok = true;
    const QByteArray length = r.header("content-length");
    const qint64 n = length.isEmpty() ? 0 : length.toLongLong(&ok);
    if (!ok || n < 0)
        return refusal(400, QStringLiteral("Content-Length is not a number."));
    if (n > mostBody)
        return refusal(413, QStringLiteral("The body is longer than %1 MiB.").arg(mostBody / (1024 * 1024)));
    r.bodyLength = n;
    return r;
}

bool hostAllowed(const QByteArray& host, quint16 port) {
    if (host.isEmpty())
        return false;
    const QUrl u(QStringLiteral("http://") + QString::fromLatin1(host));
    if (!u.isValid() || !u.userInfo().isEmpty() || !u.path().isEmpty())
        return false;
    return loopbackHost(u.host()) && (u.port() == -1 || u.port() == port);
}

bool originAllowed(const QByteArray& origin) {
    if (origin.isEmpty())
        return true;
    const QUrl u(QString::fromLatin1(origin));
    return u.isValid() && loopbackHost(u.host());
}

} // namespace cove::cli::mcp
