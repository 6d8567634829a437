// The base protocol of the Language Server Protocol: messages framed by a "Content-Length" header on
// the server's stdio. The server is untrusted (root in the sandbox can replace it with anything), so
// the reader bounds the header, the announced body and what it buffers, and fails for good on the first
// malformed frame.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cove::agent::lsp {

// The header of one message (all its lines); real servers send one or two short lines.
inline constexpr std::size_t kMaxHeaderBytes = 4096;
// One message's body. Completion lists of a big TypeScript project run to a few megabytes.
inline constexpr std::size_t kMaxMessageBytes = 32u << 20;

class FrameReader {
public:
    // Appends bytes read from the server; ignored once failed().
    void feed(std::string_view bytes);
    // The next complete body, or nothing until more bytes come (or after a failure).
    std::optional<std::string> next();

    bool failed() const { return !m_error.empty(); }
    // Why the stream was refused, as a sentence fragment ("announced 99999999999 bytes, ...").
    const std::string& error() const { return m_error; }
    // Bytes held and not yet returned: never more than a header, a body and one feed.
    std::size_t buffered() const { return m_buffer.size() - m_start; }

private:
    bool parseHeader(std::string_view header);
    void fail(std::string why);

    std::string m_buffer;
    std::size_t m_start = 0;               // where the unread bytes begin in m_buffer
    std::optional<std::size_t> m_bodySize; // set once the current message's header is read
    std::string m_error;
};

// Frames one body for the server's stdin.
std::string frame(std::string_view body);

} // namespace cove::agent::lsp
