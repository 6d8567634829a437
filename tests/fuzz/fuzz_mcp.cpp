// What cove-cli mcp reads from its clients, on any bytes: any local program may connect to its HTTP
// endpoint, and an agent writes its stdio. The head of an HTTP request and its Host and Origin checks
// (app/cli/McpHttpRequest.cpp): what is accepted has a method and a target without spaces, header names
// in lower case and a body length within the bound; a Host allowed has the server's port or none. A
// JSON-RPC message (app/cli/McpServer.cpp): a request has a method and a string or number id, anything
// else that is not a message says why with JSON-RPC's code. The line reader splits any stream into
// lines that were in it.
#include "FuzzCheck.h"

#include "app/cli/McpHttpRequest.h"
#include "app/cli/McpServer.h"

#include <QUrl>

using namespace cove::cli::mcp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    constexpr qint64 kMost = 1 << 20;
    const auto parsed = parseRequestHead(bytes, kMost);
    if (const auto* r = std::get_if<HttpRequest>(&parsed)) {
        FUZZ_CHECK(!r->method.isEmpty() && !r->target.isEmpty());
        FUZZ_CHECK(!r->method.contains(' ') && !r->target.contains(' '));
        FUZZ_CHECK(r->bodyLength >= 0 && r->bodyLength <= kMost);
        for (auto it = r->headers.cbegin(); it != r->headers.cend(); ++it)
            FUZZ_CHECK(it.key() == it.key().toLower() && !it.key().isEmpty());
    } else {
        const int status = std::get<HeadRefusal>(parsed).status;
        FUZZ_CHECK(status == 400 || status == 411 || status == 413);
    }
    if (hostAllowed(bytes, 8765)) {
        const QUrl u(QStringLiteral("http://") + QString::fromLatin1(bytes));
        FUZZ_CHECK(u.port() == -1 || u.port() == 8765);
        FUZZ_CHECK(u.userInfo().isEmpty() && u.path().isEmpty());
    }
    originAllowed(bytes);

    const Incoming m = parseMessage(bytes);
    if (m.kind == Incoming::Request)
        FUZZ_CHECK(!m.method.isEmpty() && (m.id.isString() || m.id.isDouble()));
    if (m.kind == Incoming::Invalid)
        FUZZ_CHECK(m.errorCode == kParseError || m.errorCode == kInvalidRequest ||
                   m.errorCode == kInvalidParams);

    // The same bytes as a stream in two pieces: each line read is a non-blank newline-ended part of them
    // (a CR before its newline dropped), at most one per newline.
    LineReader reader;
    qsizetype lines = 0;
    const auto each = [&](const QByteArray& line, bool tooLong) {
        FUZZ_CHECK(!tooLong && !line.contains('\n') && !line.trimmed().isEmpty() && bytes.contains(line));
        ++lines;
    };
    reader.feed(bytes.left(bytes.size() / 2), each);
    reader.feed(bytes.mid(bytes.size() / 2), each);
    FUZZ_CHECK(lines <= bytes.count('\n'));
    return 0;
}
