// `cove-cli mcp`: the Model Context Protocol server, over stdio (the default: newline-delimited JSON on
// stdin and stdout, logs on stderr only) or streamable HTTP on loopback (--http).
#include "app/cli/Cli.h"
#include "app/cli/McpHttp.h"
#include "app/cli/McpServer.h"
#include "app/cli/McpTools.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QPointer>

#include <cstdio>
#include <thread>

#include <unistd.h>

namespace cove::cli {

namespace {

const char* const kMcpUsage =
    "usage: cove-cli mcp [--url URL] [--api-key-file FILE] [--http ADDRESS:PORT [--http-key-file FILE]]\n"
    "\n"
    "Serves the Model Context Protocol to an agent: tools to create and use Cove sandboxes.\n"
    "\n"
    "  --url URL             the Cove service (default: COVE_URL, the dashboard's settings, or the local "
    "one)\n"
    "  --api-key-file FILE   its API key (default: COVE_API_KEY, the settings, or the local service's key)\n"
    "  --http ADDRESS:PORT   serve streamable HTTP at http://ADDRESS:PORT/mcp instead of stdio; loopback\n"
    "                        addresses only, port 0 picks a free one\n"
    "  --http-key-file FILE  the bearer key HTTP clients must send (default: COVE_MCP_KEY, else a new one,\n"
    "                        printed on stderr)\n";

// Reads stdin on a thread of its own (a blocking read works on pipes, files and terminals alike) and hands
// each chunk to the main thread.
class StdinReader : public QObject {
    Q_OBJECT
public:
    void start() {
        // The reader is never destroyed (see serveStdio), so the thread may always post to it.
        std::thread([this] {
            char buffer[65536];
            for (;;) {
                const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
                if (n < 0 && errno == EINTR)
                    continue;
                const QByteArray chunk = n > 0 ? QByteArray(buffer, n) : QByteArray();
                QMetaObject::invokeMethod(
                    this, [this, chunk] { chunk.isEmpty() ? emit ended() : emit received(chunk); },
                    Qt::QueuedConnection);
                if (n <= 0)
                    return;
            }
        }).detach();
    }
signals:
    void received(const QByteArray& chunk);
    void ended();
};

void writeLine(const QJsonObject& message) {
    QByteArray line = QJsonDocument(message).toJson(QJsonDocument::Compact);
    line.append('\n');
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}

int serveStdio(mcp::Provider* provider) {
    mcp::Server server(provider);
    mcp::LineReader lines;
    bool ended = false;
    auto* reader = new StdinReader; // outlives the blocked read() of its thread: never deleted
    QObject::connect(reader, &StdinReader::received, &server, [&](const QByteArray& chunk) {
        lines.feed(chunk, [&](const QByteArray& line, bool tooLong) {
            if (tooLong)
                return writeLine(
                    mcp::errorMessage(QJsonValue::Null, mcp::kParseError,
                                      QStringLiteral("The message is longer than %1 MiB; it was skipped.")
                                          .arg(mcp::kMaxMessageBytes / (1024 * 1024))));
            server.handle(line, writeLine, [] {});
        });
    });
    // When the client closes stdin, the answers still owed are given, then the server ends.
    const auto quitWhenDone = [&] {
        if (ended && server.inFlight() == 0 && !provider->busy())
            QCoreApplication::quit();
    };
    provider->onSettled(quitWhenDone);
    QObject::connect(reader, &StdinReader::ended, &server, [&] {
        ended = true;
        quitWhenDone();
    });
    QObject::connect(&server, &mcp::Server::idle, &server, quitWhenDone);
    reader->start();
    return QCoreApplication::exec();
}

} // namespace

int runMcp(const QStringList& args) {
    QString url, keyFile, http, httpKeyFile;
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        const auto value = [&](QString& into) {
            if (i + 1 >= args.size())
                return false;
            into = args[++i];
            return true;
        };
        bool ok = true;
        if (a == QLatin1String("-h") || a == QLatin1String("--help")) {
            std::fputs(kMcpUsage, stdout);
            return kOk;
        } else if (a == QLatin1String("--url"))
            ok = value(url);
        else if (a == QLatin1String("--api-key-file"))
            ok = value(keyFile);
        else if (a == QLatin1String("--http"))
            ok = value(http);
        else if (a == QLatin1String("--http-key-file"))
            ok = value(httpKeyFile);
        else
            ok = false;
        if (!ok) {
            std::fprintf(stderr, "cove-cli mcp: unknown or incomplete option '%s'\n\n%s", qPrintable(a),
                         kMcpUsage);
            return kUsage;
        }
    }
    const app::ConnectionTarget target = app::Connection::resolve(url, keyFile);
    if (!keyFile.isEmpty() && target.apiKey.isEmpty()) {
        std::fprintf(stderr, "cove-cli mcp: cannot read a key from %s\n", qPrintable(keyFile));
        return kAuth;
    }
    mcp::Toolbox toolbox(target);
    mcp::Tools tools(&toolbox);
    std::fprintf(stderr, "cove-cli mcp: using the Cove service at %s (%s)%s\n", qPrintable(target.url),
                 qPrintable(target.source), target.apiKey.isEmpty() ? ", with no API key" : "");
    if (http.isEmpty())
        return serveStdio(&tools);
    return mcp::serveHttp(&tools, http, httpKeyFile);
}

} // namespace cove::cli

#include "Mcp.moc"
