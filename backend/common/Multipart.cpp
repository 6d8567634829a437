// RFC 7578 parsing, incremental. The first boundary has no leading CRLF, so the preamble searches for
// "--boundary" and every later one for "\r\n--boundary".
#include "common/Multipart.h"

#include <algorithm>
#include <cctype>

namespace cove {

// The largest header block a part may have, and the most transport padding after a boundary. Each limit
// holds however the body is cut into reads: a buffer without the terminator fails only once no terminator
// could still end within the limit.
constexpr std::size_t kMaxPartHeaders = 16 << 10;
constexpr std::size_t kMaxBoundaryPadding = 256;

namespace {
std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// The value of `key=` in a header's parameters, quoted or not; backslash escapes inside quotes. A ';'
// inside a quoted value belongs to the value: a field named `a"; filename="b` is no file.
std::string param(std::string_view header, std::string_view key) {
    for (std::size_t pos = header.find(';'); pos < header.size();) {
        ++pos; // past the ';'
        const auto eq = header.find_first_of("=;", pos);
        if (eq == std::string_view::npos)
            return {};
        if (header[eq] == ';') {
            pos = eq;
            continue;
        }
        const bool wanted = lower(trim(header.substr(pos, eq - pos))) == key;
        std::size_t i = eq + 1;
        std::string out;
        if (i < header.size() && header[i] == '"') {
            for (++i; i < header.size(); ++i) {
                if (header[i] == '\\' && i + 1 < header.size())
                    out.push_back(header[++i]);
                else if (header[i] == '"')
                    break;
                else
                    out.push_back(header[i]);
            }
            pos = header.find(';', i);
        } else {
            pos = header.find(';', i);
            out = std::string(trim(header.substr(i, pos == std::string_view::npos ? pos : pos - i)));
        }
        if (wanted)
            return out;
    }
    return {};
}
} // namespace

std::string MultipartParser::boundaryOf(std::string_view contentType) {
    if (lower(contentType).rfind("multipart/", 0) != 0)
        return {};
    std::string boundary = param(contentType, "boundary");
    // RFC 2046: 1 to 70 characters. A longer one is refused like a missing one (it would only make the
    // parser's search for it costlier).
    if (boundary.size() > kMaxBoundaryLength)
        return {};
    return boundary;
}

MultipartParser::MultipartParser(std::string boundary, Callbacks cb)
    : m_delimiter("\r\n--" + boundary)
    , m_cb(std::move(cb)) {}

bool MultipartParser::fail(std::string why) {
    m_state = State::Failed;
    m_error = std::move(why);
    m_buf.clear();
    return false;
}

bool MultipartParser::parseHeaders(std::string_view block) {
    PartHeader h;
    std::size_t pos = 0;
    while (pos < block.size()) {
        auto eol = block.find("\r\n", pos);
        if (eol == std::string_view::npos)
            eol = block.size();
        const std::string_view line = block.substr(pos, eol - pos);
        pos = eol + 2;
        const auto colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        const std::string key = lower(trim(line.substr(0, colon)));
        const std::string_view value = trim(line.substr(colon + 1));
        if (key == "content-disposition") {
            h.name = param(value, "name");
            h.filename = param(value, "filename");
        } else if (key == "content-type") {
            h.contentType = std::string(value);
        }
    }
    if (h.name.empty())
        return fail("a part has no Content-Disposition name");
    if (m_cb.begin && !m_cb.begin(h))
        return false;
    return true;
}

bool MultipartParser::feed(const char* data, std::size_t n) {
    if (m_state == State::Failed)
        return false;
    if (m_state == State::Done)
        return true; // the epilogue is ignored
    m_buf.append(data, n);
    for (;;) {
        switch (m_state) {
        case State::Preamble: {
            const std::string_view first(m_delimiter.data() + 2, m_delimiter.size() - 2);
            const auto at = m_buf.find(first);
            if (at == std::string::npos) {
                if (m_buf.size() > first.size())
                    m_buf.erase(0, m_buf.size() - first.size());
                return true;
            }
            m_buf.erase(0, at + first.size());
            m_state = State::AfterBoundary;
            break;
        }
        case State::AfterBoundary:
            if (m_buf.size() < 2)
                return true;
            if (m_buf.compare(0, 2, "--") == 0) {
                m_state = State::Done;
                m_buf.clear();
                return true;
            }
            if (m_buf.compare(0, 2, "\r\n") != 0) {
                // Transport padding (spaces) may precede the CRLF.
                const auto crlf = m_buf.find("\r\n");
                if (crlf == std::string::npos)
                    return m_buf.size() > kMaxBoundaryPadding + 1 ? fail("malformed boundary line") : true;
                if (crlf > kMaxBoundaryPadding || m_buf.find_first_not_of(" \t") < crlf)
                    return fail("malformed boundary line");
                m_buf.erase(0, crlf);
            }
            m_buf.erase(0, 2);
            m_state = State::Headers;
            break;
        case State::Headers: {
            const auto end = m_buf.find("\r\n\r\n");
            if (end == std::string::npos) {
                if (m_buf.size() > kMaxPartHeaders + 3)
                    return fail("a part's headers are larger than 16 KiB");
                return true;
            }
            if (end > kMaxPartHeaders)
                return fail("a part's headers are larger than 16 KiB");
            const std::string block = m_buf.substr(0, end);
            m_buf.erase(0, end + 4);
            m_state = State::Body;
            if (!parseHeaders(block)) {
                if (m_state != State::Failed)
                    return fail("the upload was refused");
                return false;
            }
            break;
        }
        case State::Body: {
            const auto at = m_buf.find(m_delimiter);
            if (at == std::string::npos) {
                // Everything but a possible delimiter prefix at the end is data.
                if (m_buf.size() >= m_delimiter.size()) {
                    const std::size_t safe = m_buf.size() - (m_delimiter.size() - 1);
                    if (m_cb.data && !m_cb.data(m_buf.data(), safe))
                        return fail("the upload could not be written");
                    m_buf.erase(0, safe);
                }
                return true;
            }
            if (at > 0 && m_cb.data && !m_cb.data(m_buf.data(), at))
                return fail("the upload could not be written");
            m_buf.erase(0, at + m_delimiter.size());
            if (m_cb.end && !m_cb.end())
                return fail("the upload could not be completed");
            m_state = State::AfterBoundary;
            break;
        }
        case State::Done:
            return true;
        case State::Failed:
            return false;
        }
    }
}

} // namespace cove
