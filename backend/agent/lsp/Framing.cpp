// Content-Length framing, read incrementally: a header of "Name: value" lines ending in an empty line,
// then exactly the announced number of bytes.
#include "agent/lsp/Framing.h"

#include "common/Ows.h"

#include <algorithm>
#include <cctype>

namespace cove::agent::lsp {

namespace {
constexpr std::string_view kHeaderEnd = "\r\n\r\n";

bool equalsNoCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}
} // namespace

void FrameReader::feed(std::string_view bytes) {
    if (failed())
        return;
    // Drop what was already returned before growing, so the buffer stays near one message.
    if (m_start > 0 && m_start >= m_buffer.size() / 2) {
        m_buffer.erase(0, m_start);
        m_start = 0;
    }
    m_buffer.append(bytes);
}

void FrameReader::fail(std::string why) {
    m_error = std::move(why);
    m_buffer.clear();
    m_buffer.shrink_to_fit();
    m_start = 0;
    m_bodySize.reset();
}

bool FrameReader::parseHeader(std::string_view header) {
    std::optional<std::size_t> length;
    while (!header.empty()) {
        const auto eol = header.find("\r\n");
        const std::string_view line = header.substr(0, eol);
        header = eol == std::string_view::npos ? std::string_view() : header.substr(eol + 2);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            fail("sent a header line without a colon");
            return false;
        }
        if (!equalsNoCase(trimOws(line.substr(0, colon)), "Content-Length"))
            continue; // Content-Type and anything else carry nothing the agent needs
        const std::string_view value = trimOws(line.substr(colon + 1));
        if (value.empty() || value.size() > 12 ||
            !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            fail("sent a Content-Length that is not a number");
            return false;
        }
        const std::size_t n = std::stoull(std::string(value));
        if (n > kMaxMessageBytes) {
            fail("announced a message of " + std::string(value) + " bytes, more than the " +
                 std::to_string(kMaxMessageBytes >> 20) + " MiB the agent takes");
            return false;
        }
        if (length && *length != n) {
            fail("sent two different Content-Length headers");
            return false;
        }
        length = n;
    }
    if (!length) {
        fail("sent a message without a Content-Length header");
        return false;
    }
    m_bodySize = length;
    return true;
}

std::optional<std::string> FrameReader::next() {
    if (failed())
        return std::nullopt;
    const std::string_view unread = std::string_view(m_buffer).substr(m_start);
    if (!m_bodySize) {
        const auto end = unread.find(kHeaderEnd);
        if (end == std::string_view::npos) {
            if (unread.size() > kMaxHeaderBytes)
                fail("sent more than " + std::to_string(kMaxHeaderBytes) +
                     " bytes without ending a header: it does not speak the Language Server Protocol");
            return std::nullopt;
        }
        if (end > kMaxHeaderBytes) {
            fail("sent a header longer than " + std::to_string(kMaxHeaderBytes) + " bytes");
            return std::nullopt;
        }
        if (!parseHeader(unread.substr(0, end)))
            return std::nullopt;
        m_start += end + kHeaderEnd.size();
    }
    if (m_buffer.size() - m_start < *m_bodySize)
        return std::nullopt;
    std::string body = m_buffer.substr(m_start, *m_bodySize);
    m_start += *m_bodySize;
    m_bodySize.reset();
    return body;
}

std::string frame(std::string_view body) {
    std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    out.append(body);
    return out;
}

} // namespace cove::agent::lsp
