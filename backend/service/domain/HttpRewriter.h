// The request side of an HTTP/1.1 connection a sandbox opened, rewritten as it streams: every request's
// headers and (up to InterceptLimits::kMaxBufferedBodyBytes) body get the placeholders of the secrets the
// request's host may receive replaced by their values, with Content-Length fixed. Bounded; a request it
// cannot read safely ends the connection. Bytes only, no sockets: the fuzz target drives it directly.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cove::domain {

// Placeholder -> value pairs for one request.
struct Substitutions {
    std::vector<std::pair<std::string, std::string>> pairs;
    bool empty() const { return pairs.empty(); }
    // Replaces every placeholder in `s`; returns whether anything changed.
    bool apply(std::string& s) const;
};

class RequestRewriter {
public:
    // `forHost`: the substitutions for a request whose Host header names this host (lower case, no port);
    // an empty host when the request has none.
    using ForHost = std::function<Substitutions(std::string_view host)>;
    explicit RequestRewriter(ForHost forHost)
        : m_forHost(std::move(forHost)) {}

    // Takes bytes from the client and appends to `out` what goes upstream. False when the stream is not
    // HTTP/1.1 it can frame safely (error() says why): the connection must end; `out` holds only whole,
    // already rewritten requests.
    bool feed(std::string_view in, std::string& out);
    const std::string& error() const { return m_error; }
    // After an upgrade (WebSocket) or CONNECT, bytes pass unchanged.
    bool tunnelling() const { return m_state == State::Tunnel; }

private:
    enum class State { Head, Body, Chunked, Tunnel, Failed };
    enum class ChunkStep { Size, Data, DataEnd, Trailer };
    bool fail(std::string why);
    bool takeHead(std::string& out);
    bool takeBody(std::string& out);
    bool takeChunked(std::string& out);
    // Moves what has come of the m_remaining body bytes to the held body or to `out`; true once all have.
    bool moveBodyBytes(std::string& out);
    void finishBuffered(std::string& out);

    ForHost m_forHost;
    State m_state = State::Head;
    std::string m_in;   // read, not yet consumed
    std::string m_head; // the current request's head, rewritten, while its body is buffered
    std::vector<std::pair<std::string, std::string>> m_headers;
    Substitutions m_subs;
    std::string m_body;                 // the buffered body (decoded when it was chunked)
    bool m_buffering = false;           // false: the body streams through unchanged
    unsigned long long m_remaining = 0; // Content-Length or chunk bytes still to come
    ChunkStep m_chunk = ChunkStep::Size;
    std::string m_error;
};

} // namespace cove::domain
