// URL pieces shared by coved and the agent: percent-decoding, query strings, and escaping for markup.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cove::http {

// Decodes %XX escapes (a malformed escape stays as written); '+' becomes a space in query strings.
std::string percentDecode(std::string_view s, bool plusIsSpace);

// The decoded query of a request target ("a=1&b=x%20y&b=z"), keys repeated as the SDK sends arrays; a
// key without '=' has an empty value.
std::multimap<std::string, std::string> parseQuery(std::string_view target);

// The value of `name` in a target's query, read exactly as parseQuery reads it (keys decoded too, so
// "pa%74h" is "path"): `value` is empty when the key is absent; `repeated` when it appears more than
// once, which a request that names one file must not do.
struct QueryValue {
    std::optional<std::string> value;
    bool repeated = false;
};
QueryValue singleQueryValue(std::string_view target, const std::string& name);

// RFC 3986: unreserved characters stay, every other byte becomes %XX (upper case); '/' stays if asked.
std::string percentEncode(std::string_view s, bool keepSlash = false);

// Text made safe inside HTML or XML elements and attribute values (&, <, >, " and ').
std::string escapeMarkup(std::string_view s);

} // namespace cove::http
