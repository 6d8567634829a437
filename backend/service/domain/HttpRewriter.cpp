// A small HTTP/1.1 request framer (RFC 9112): request line, header fields, Content-Length or chunked bodies,
// one request after another on a connection. It refuses what proxies disagree on (both framings, differing
// lengths, folded lines, codings other than chunked) rather than guess.
#include "service/domain/HttpRewriter.h"

#include "common/Ows.h"
#include "service/domain/Config.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace cove::domain {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool tokenChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// The host of a Host header: lower case, without port or trailing dot ([v6]:port keeps the brackets off).
std::string hostName(std::string_view h) {
    if (!h.empty() && h.front() == '[') {
        const auto end = h.find(']');
        return lower(end == std::string_view::npos ? h : h.substr(1, end - 1));
    }
    if (const auto colon = h.rfind(':'); colon != std::string_view::npos)
        h = h.substr(0, colon);
    if (!h.empty() && h.back() == '.')
        h.remove_suffix(1);
    return lower(h);
}

bool digitsOnly(std::string_view s, std::size_t maxDigits) {
    return !s.empty() && s.size() <= maxDigits &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

constexpr std::size_t kMaxLengthDigits = 18; // fits in 64 bits
constexpr std::size_t kMaxChunkSizeDigits = 15;

std::string serialize(const std::string& requestLine,
                      const std::vector<std::pair<std::string, std::string>>& headers) {
    std::string out = requestLine + "\r\n";
    for (const auto& [name, value] : headers)
        out += name + ": " + value + "\r\n";
    return out + "\r\n";
}

std::string hex(std::size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    do {
        out.insert(out.begin(), digits[n % 16]);
        n /= 16;
    } while (n);
    return out;
}

} // namespace

bool Substitutions::apply(std::string& s) const {
    bool changed = false;
    for (const auto& [placeholder, value] : pairs) {
        if (placeholder.empty())
            continue;
        for (auto at = s.find(placeholder); at != std::string::npos;
             at = s.find(placeholder, at + value.size())) {
            s.replace(at, placeholder.size(), value);
            changed = true;
        }
    }
    return changed;
}

bool RequestRewriter::fail(std::string why) {
    m_state = State::Failed;
    m_error = std::move(why);
    m_in.clear();
    m_body.clear();
    return false;
}

bool RequestRewriter::feed(std::string_view in, std::string& out) {
    if (m_state == State::Failed)
        return false;
    if (m_state == State::Tunnel) {
        out.append(in);
        return true;
    }
    m_in.append(in);
    for (bool progress = true; progress;) {
        switch (m_state) {
        case State::Head:
            progress = takeHead(out);
            break;
        case State::Body:
            progress = takeBody(out);
            break;
        case State::Chunked:
            progress = takeChunked(out);
            break;
        case State::Tunnel:
            out.append(m_in);
            m_in.clear();
            progress = false;
            break;
        case State::Failed:
            return false;
        }
    }
    return m_state != State::Failed;
}

bool RequestRewriter::takeHead(std::string& out) {
    // Empty lines between requests are ignored (RFC 9112 §2.2).
    while (m_in.size() >= 2 && m_in.compare(0, 2, "\r\n") == 0)
        m_in.erase(0, 2);
    const auto end = m_in.find("\r\n\r\n");
    if (end == std::string::npos || end > InterceptLimits::kMaxHeadBytes) {
        // (+4: the terminator of a head just within the bound may still be arriving.)
        if (end != std::string::npos || m_in.size() > InterceptLimits::kMaxHeadBytes + 4)
            return fail("the request's headers are larger than " +
                        std::to_string(InterceptLimits::kMaxHeadBytes) + " bytes");
        return false;
    }
    const std::string head = m_in.substr(0, end + 2);
    m_in.erase(0, end + 4);

    const auto lineEnd = head.find("\r\n");
    const std::string requestLine = head.substr(0, lineEnd);
    const auto sp1 = requestLine.find(' ');
    const auto sp2 = requestLine.rfind(' ');
    if (sp1 == std::string::npos || sp1 == sp2 || sp1 == 0 ||
        !std::all_of(requestLine.begin(), requestLine.begin() + static_cast<long>(sp1), tokenChar) ||
        std::any_of(requestLine.begin(), requestLine.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
        return fail("the request line is malformed");
    const std::string version = requestLine.substr(sp2 + 1);
    if (version != "HTTP/1.1" && version != "HTTP/1.0")
        return fail("only HTTP/1.0 and HTTP/1.1 requests are relayed");
    const std::string method = requestLine.substr(0, sp1);

    m_headers.clear();
    std::optional<std::string> host, length;
    bool chunked = false, upgrade = false;
    for (std::size_t at = lineEnd + 2; at < head.size();) {
        const auto next = head.find("\r\n", at);
        const std::string_view line(head.data() + at, next - at);
        at = next + 2;
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0 ||
            !std::all_of(line.begin(), line.begin() + static_cast<long>(colon), tokenChar))
            return fail("a header line is malformed (or folded)");
        const std::string_view value = trimOws(line.substr(colon + 1));
        if (std::any_of(value.begin(), value.end(), [](char c) {
                return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f;
            }))
            return fail("a header value holds control characters");
        const std::string name = lower(line.substr(0, colon));
        if (name == "host") {
            if (host)
                return fail("the request has two Host headers");
            host = std::string(value);
        } else if (name == "content-length") {
            if (!digitsOnly(value, kMaxLengthDigits) || (length && *length != value))
                return fail("the request's Content-Length is malformed or repeated with another value");
            length = std::string(value);
        } else if (name == "transfer-encoding") {
            if (lower(value) != "chunked" || chunked)
                return fail("the only transfer coding relayed is a single chunked");
            chunked = true;
        } else if (name == "upgrade") {
            upgrade = true;
        }
        m_headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    if (chunked && length)
        return fail("the request has both Content-Length and Transfer-Encoding");

    m_subs = m_forHost(host ? hostName(*host) : std::string());
    if (!m_subs.empty())
        for (auto& [name, value] : m_headers)
            m_subs.apply(value);
    m_head = requestLine;
    m_body.clear();

    if (upgrade || method == "CONNECT") {
        out += serialize(m_head, m_headers);
        m_state = State::Tunnel;
        return true;
    }
    const unsigned long long n = length ? std::stoull(*length) : 0;
    m_buffering = !m_subs.empty() && (chunked || (n > 0 && n <= InterceptLimits::kMaxBufferedBodyBytes));
    if (!m_buffering)
        out += serialize(m_head, m_headers);
    if (chunked) {
        m_state = State::Chunked;
        m_chunk = ChunkStep::Size;
    } else if (n > 0) {
        m_state = State::Body;
        m_remaining = n;
    } else {
        m_state = State::Head;
    }
    return true;
}

bool RequestRewriter::moveBodyBytes(std::string& out) {
    const auto n = static_cast<std::size_t>(std::min<unsigned long long>(m_remaining, m_in.size()));
    (m_buffering ? m_body : out).append(m_in, 0, n);
    m_in.erase(0, n);
    m_remaining -= n;
    return m_remaining == 0;
}

bool RequestRewriter::takeBody(std::string& out) {
    if (!moveBodyBytes(out))
        return false;
    if (m_buffering)
        finishBuffered(out);
    m_state = State::Head;
    return true;
}

bool RequestRewriter::takeChunked(std::string& out) {
    switch (m_chunk) {
    case ChunkStep::Size:
    case ChunkStep::Trailer: {
        const auto end = m_in.find("\r\n");
        if (end == std::string::npos || end > InterceptLimits::kMaxChunkLineBytes) {
            if (end != std::string::npos || m_in.size() > InterceptLimits::kMaxChunkLineBytes + 2)
                return fail("a chunk size or trailer line is too long");
            return false;
        }
        const std::string line = m_in.substr(0, end);
        m_in.erase(0, end + 2);
        if (m_chunk == ChunkStep::Trailer) {
            if (!m_buffering) // a buffered body is framed again by length: its trailers go
                out += line + "\r\n";
            if (line.empty()) {
                if (m_buffering)
                    finishBuffered(out);
                m_state = State::Head;
            }
            return true;
        }
        const std::string size = line.substr(0, line.find(';'));
        if (size.empty() || size.size() > kMaxChunkSizeDigits ||
            !std::all_of(size.begin(), size.end(),
                         [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
            return fail("a chunk size is malformed");
        const unsigned long long n = std::stoull(size, nullptr, 16);
        if (m_buffering && m_body.size() + n > InterceptLimits::kMaxBufferedBodyBytes) {
            // Too large to hold: what was held goes as one chunk, and the rest streams as it comes.
            out += serialize(m_head, m_headers);
            if (!m_body.empty())
                out += hex(m_body.size()) + "\r\n" + m_body + "\r\n";
            m_body.clear();
            m_buffering = false;
        }
        if (!m_buffering)
            out += line + "\r\n";
        m_remaining = n;
        m_chunk = n == 0 ? ChunkStep::Trailer : ChunkStep::Data;
        return true;
    }
    case ChunkStep::Data:
        if (!moveBodyBytes(out))
            return false;
        m_chunk = ChunkStep::DataEnd;
        return true;
    case ChunkStep::DataEnd:
        if (m_in.size() < 2)
            return false;
        if (m_in.compare(0, 2, "\r\n") != 0)
            return fail("a chunk does not end with CRLF");
        m_in.erase(0, 2);
        if (!m_buffering)
            out += "\r\n";
        m_chunk = ChunkStep::Size;
        return true;
    }
    return false;
}

void RequestRewriter::finishBuffered(std::string& out) {
    m_subs.apply(m_body);
    std::erase_if(m_headers, [](const auto& h) {
        const std::string name = lower(h.first);
        return name == "content-length" || name == "transfer-encoding";
    });
    m_headers.emplace_back("Content-Length", std::to_string(m_body.size()));
    out += serialize(m_head, m_headers) + m_body;
    m_body.clear();
}

} // namespace cove::domain
