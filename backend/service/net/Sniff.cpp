#include "service/net/Sniff.h"

#include "service/net/DnsMessage.h"

#include <algorithm>
#include <cctype>

namespace cove::net {

namespace {

using Kind = Sniffed::Kind;

struct Cursor {
    std::string_view s;
    std::size_t pos = 0;
    bool ok = true;
    std::size_t take(std::size_t n) {
        if (!ok || n > s.size() - pos) {
            ok = false;
            return 0;
        }
        std::size_t value = 0;
        for (std::size_t i = 0; i < n; ++i)
            value = value << 8 | static_cast<std::uint8_t>(s[pos + i]);
        pos += n;
        return value;
    }
    void skip(std::size_t n) {
        if (!ok || n > s.size() - pos)
            ok = false;
        else
            pos += n;
    }
    // A sub-cursor over the next `n` bytes (a length-prefixed vector).
    Cursor sub(std::size_t n) {
        Cursor c{{}, 0, false};
        if (ok && n <= s.size() - pos) {
            c = Cursor{s.substr(pos, n)};
            pos += n;
        } else {
            ok = false;
        }
        return c;
    }
};

// A host name: letters, digits, '-', '_' and dots between non-empty labels (one trailing dot allowed).
bool hostChars(std::string_view h) {
    return !h.empty() && h.size() <= 254 && h.front() != '.' && h.find("..") == std::string_view::npos &&
           std::all_of(h.begin(), h.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '_'; });
}

Sniffed tls(std::string_view head) {
    // Record header: type 22 (handshake), version 3.x, length.
    if (head.size() < 5)
        return {Kind::NeedMore, {}};
    Cursor rec{head};
    rec.take(1);
    if (rec.take(1) != 3)
        return {Kind::Other, {}};
    rec.take(1);
    const std::size_t length = rec.take(2);
    if (length == 0 || length > 16384 + 256)
        return {Kind::Other, {}};
    if (head.size() < 5 + length)
        return {Kind::NeedMore, {}};
    Cursor hs = rec.sub(length);
    // A ClientHello that does not fit its first record is not read: the name must be in the first record.
    if (hs.take(1) != 1)
        return {Kind::Other, {}};
    const std::size_t helloLength = hs.take(3);
    Cursor hello = hs.sub(std::min(helloLength, hs.s.size() - std::min(hs.pos, hs.s.size())));
    hello.skip(2 + 32);        // version, random
    hello.skip(hello.take(1)); // session id
    hello.skip(hello.take(2)); // cipher suites
    hello.skip(hello.take(1)); // compression methods
    if (!hello.ok || hello.pos == hello.s.size())
        return {hello.ok ? Kind::Tls : Kind::Other, {}}; // no extensions: no name
    Cursor extensions = hello.sub(hello.take(2));
    while (extensions.ok && extensions.pos < extensions.s.size()) {
        const std::size_t type = extensions.take(2);
        Cursor ext = extensions.sub(extensions.take(2));
        if (!extensions.ok)
            break;
        if (type != 0) // server_name
            continue;
        Cursor list = ext.sub(ext.take(2));
        while (list.ok && list.pos < list.s.size()) {
            const std::size_t nameType = list.take(1);
            const std::size_t nameLength = list.take(2);
            if (!list.ok || nameLength > list.s.size() - list.pos)
                return {Kind::Other, {}};
            const std::string_view name = list.s.substr(list.pos, nameLength);
            list.skip(nameLength);
            if (nameType == 0) {
                if (!hostChars(name))
                    return {Kind::Other, {}};
                return {Kind::Tls, dns::canonicalName(name)};
            }
        }
        return {Kind::Other, {}};
    }
    return {extensions.ok ? Kind::Tls : Kind::Other, {}};
}

Sniffed http(std::string_view head) {
    // A method token (at most kMaxMethod capital letters), a space, then the request target.
    constexpr std::size_t kMaxMethod = 16;
    std::size_t i = 0;
    while (i < head.size() && i <= kMaxMethod && head[i] >= 'A' && head[i] <= 'Z')
        ++i;
    if (i > kMaxMethod)
        return {Kind::Other, {}};
    if (i == head.size())
        return {Kind::NeedMore, {}};
    if (i == 0 || head[i] != ' ')
        return {Kind::Other, {}};
    const auto end = head.find("\r\n\r\n");
    if (end == std::string_view::npos)
        return {Kind::NeedMore, {}};
    const std::string_view fields = head.substr(0, end + 2);
    std::string host;
    bool seen = false;
    for (std::size_t line = fields.find("\r\n") + 2; line < fields.size();) {
        const std::size_t next = fields.find("\r\n", line);
        const std::string_view field = fields.substr(line, next - line);
        line = next + 2;
        const auto colon = field.find(':');
        if (colon != 4)
            continue;
        std::string key(field.substr(0, 4));
        std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
        if (key != "host")
            continue;
        // Two Host fields (RFC 9112 3.2 says reject) could be read one way here and another upstream.
        if (seen)
            return {Kind::Other, {}};
        seen = true;
        std::string_view value = field.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
            value.remove_suffix(1);
        if (!value.empty() && value.front() == '[')
            return {Kind::Other, {}}; // IPv6 literal: sandboxes have IPv4 only
        if (const auto c = value.find(':'); c != std::string_view::npos) {
            const std::string_view port = value.substr(c + 1);
            if (port.empty() || port.size() > 5 ||
                !std::all_of(port.begin(), port.end(), [](unsigned char d) { return std::isdigit(d); }))
                return {Kind::Other, {}};
            value = value.substr(0, c);
        }
        if (!hostChars(value))
            return {Kind::Other, {}};
        host = dns::canonicalName(value);
    }
    return {Kind::Http, host};
}

} // namespace

Sniffed sniff(std::string_view head) {
    if (head.empty())
        return {Kind::NeedMore, {}};
    Sniffed s = head[0] == 0x16 ? tls(head) : http(head);
    if (s.kind == Kind::NeedMore && head.size() >= SniffLimits::kMaxHead)
        s.kind = Kind::Other;
    return s;
}

} // namespace cove::net
