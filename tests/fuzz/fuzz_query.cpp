// Percent-decoding and query strings (common/Url.cpp) on any bytes: decoding undoes encoding in both
// modes, encoding leaves only unreserved characters, and any list of pairs encoded into a query string
// comes back from parseQuery as it was, in order.
#include "FuzzCheck.h"

#include "common/Url.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

using namespace cove;

static bool unreservedOnly(std::string_view s, bool slash) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (slash && c == '/'))
            continue;
        if (c != '%' || i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
            !std::isxdigit(static_cast<unsigned char>(s[i + 2])))
            return false;
        i += 2;
    }
    return true;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);

    // Decoding never grows; encoding only uses unreserved characters and escapes; decoding undoes it.
    FUZZ_CHECK(http::percentDecode(in, false).size() <= in.size());
    FUZZ_CHECK(http::percentDecode(in, true).size() <= in.size());
    for (const bool slash : {false, true}) {
        const std::string encoded = http::percentEncode(in, slash);
        FUZZ_CHECK(unreservedOnly(encoded, slash));
        FUZZ_CHECK(http::percentDecode(encoded, false) == in);
        FUZZ_CHECK(http::percentDecode(encoded, true) == in); // '+' is always escaped
    }

    // Whatever the target, parseQuery takes nothing from before the '?' and yields at most one pair per '&'.
    const auto raw = http::parseQuery(in);
    const auto q = in.find('?');
    if (q == std::string_view::npos)
        FUZZ_CHECK(raw.empty());
    else
        FUZZ_CHECK(raw.size() <= static_cast<std::size_t>(std::count(in.begin() + q, in.end(), '&')) + 1);

    // The input as NUL-separated keys and values: encoded into a target, parsed back unchanged.
    cove::fuzz::Input pieces(data, size);
    std::vector<std::pair<std::string, std::string>> pairs;
    while (!pieces.empty()) {
        std::string key(pieces.until('\0'));
        std::string value(pieces.until('\0'));
        pairs.emplace_back(std::move(key), std::move(value));
    }
    std::string target = "/api/sandbox?";
    std::multimap<std::string, std::string> expected;
    for (const auto& [k, v] : pairs) {
        if (k.empty() && v.empty())
            continue; // "=" and "" are both legal, but an empty part is skipped: nothing to compare
        target += (target.back() == '?' ? "" : "&") + http::percentEncode(k) + "=" + http::percentEncode(v);
        expected.emplace(k, v);
    }
    FUZZ_CHECK(http::parseQuery(target) == expected);

    // Markup escaping leaves none of the five special characters bare.
    const std::string escaped = http::escapeMarkup(in);
    FUZZ_CHECK(escaped.find_first_of("<>\"'") == std::string::npos);
    return 0;
}
