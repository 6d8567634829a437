// Percent-decoding and query strings.
#include "common/Url.h"

#include <cctype>

namespace cove::http {

static int hexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string percentDecode(std::string_view s, bool plusIsSpace) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            const int hi = hexValue(s[i + 1]), lo = hexValue(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out.push_back(static_cast<char>(hi * 16 + lo));
                i += 2;
                continue;
            }
        }
        out.push_back(plusIsSpace && s[i] == '+' ? ' ' : s[i]);
    }
    return out;
}

std::multimap<std::string, std::string> parseQuery(std::string_view target) {
    std::multimap<std::string, std::string> out;
    const auto q = target.find('?');
    if (q == std::string_view::npos)
        return out;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const auto part = rest.substr(0, amp);
        if (!part.empty()) {
            const auto eq = part.find('=');
            if (eq == std::string_view::npos)
                out.emplace(percentDecode(part, true), "");
            else
                out.emplace(percentDecode(part.substr(0, eq), true),
                            percentDecode(part.substr(eq + 1), true));
        }
        if (amp == std::string_view::npos)
            break;
        rest = rest.substr(amp + 1);
    }
    return out;
}

QueryValue singleQueryValue(std::string_view target, const std::string& name) {
    const auto query = parseQuery(target);
    QueryValue out;
    const auto [first, last] = query.equal_range(name);
    if (first != last) {
        out.value = first->second;
        out.repeated = std::next(first) != last;
    }
    return out;
}

std::string percentEncode(std::string_view s, bool keepSlash) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/'))
            out += static_cast<char>(c);
        else
            out += {'%', hex[c >> 4], hex[c & 15]};
    }
    return out;
}

std::string escapeMarkup(std::string_view s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace cove::http
