// The canonical request of AWS Signature Version 4, as S3 clients build it.
#include "service/api/SigV4.h"

#include <algorithm>

namespace cove::api::sigv4 {

std::string canonicalQuery(std::string_view target) {
    const auto q = target.find('?');
    std::vector<std::pair<std::string, std::string>> pairs;
    for (std::string_view rest = q == std::string_view::npos ? "" : target.substr(q + 1); !rest.empty();) {
        const auto amp = rest.find('&');
        const std::string_view part = rest.substr(0, amp);
        if (!part.empty()) {
            const auto eq = part.find('=');
            pairs.emplace_back(http::percentEncode(http::percentDecode(part.substr(0, eq), false)),
                               eq == std::string_view::npos
                                   ? std::string()
                                   : http::percentEncode(http::percentDecode(part.substr(eq + 1), false)));
        }
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    }
    std::sort(pairs.begin(), pairs.end());
    std::string out;
    for (const auto& [k, v] : pairs)
        out += (out.empty() ? "" : "&") + k + "=" + v;
    return out;
}

std::string trimmedHeader(std::string_view v) {
    std::string out;
    bool space = false;
    for (char c : v) {
        if (c == ' ' || c == '\t') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    return out;
}

std::map<std::string, std::string> authorizationFields(std::string_view auth) {
    std::map<std::string, std::string> out;
    auth.remove_prefix(std::min(auth.size(), kAlgorithm.size()));
    while (!auth.empty()) {
        const auto comma = auth.find(',');
        std::string_view part = auth.substr(0, comma);
        while (!part.empty() && part.front() == ' ')
            part.remove_prefix(1);
        if (const auto eq = part.find('='); eq != std::string_view::npos)
            out[std::string(part.substr(0, eq))] = std::string(part.substr(eq + 1));
        auth = comma == std::string_view::npos ? std::string_view() : auth.substr(comma + 1);
    }
    return out;
}

std::vector<std::string> credentialScope(const std::string& credential) {
    std::vector<std::string> scope;
    for (std::size_t at = 0;;) {
        const auto slash = credential.find('/', at);
        scope.push_back(credential.substr(at, slash - at));
        if (slash == std::string::npos)
            break;
        at = slash + 1;
    }
    return scope;
}

std::optional<TimePoint> parseAmzDate(const std::string& s) {
    // 20261122T153000Z
    if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z')
        return std::nullopt;
    return parseIso8601(s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6, 2) + "T" + s.substr(9, 2) +
                        ":" + s.substr(11, 2) + ":" + s.substr(13, 2) + "Z");
}

std::optional<std::string> canonicalRequest(const http::Request& req, const std::string& signedHeaders,
                                            const std::string& payload) {
    // Every signed header, and at least host and the date.
    std::string headers;
    bool host = false, date = false;
    for (std::size_t at = 0; at <= signedHeaders.size();) {
        const auto semi = std::min(signedHeaders.find(';', at), signedHeaders.size());
        const std::string name = signedHeaders.substr(at, semi - at);
        host = host || name == "host";
        date = date || name == "x-amz-date";
        headers += name + ":" + trimmedHeader(req[name]) + "\n";
        at = semi + 1;
    }
    if (!host || !date)
        return std::nullopt;
    const std::string_view target = req.target();
    return std::string(req.method_string()) + "\n" +
           http::percentEncode(http::percentDecode(http::pathOf(target), false), true) + "\n" +
           canonicalQuery(target) + "\n" + headers + "\n" + signedHeaders + "\n" + payload;
}

} // namespace cove::api::sigv4
