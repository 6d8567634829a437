// URL pieces shared by coved and the agent: percent-decoding, query strings, and escaping for markup.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace cove::http {

// Decodes %XX escapes (a malformed escape stays as written); '+' becomes a space in query strings.
std::string percentDecode(std::string_view s, bool plusIsSpace);

// The decoded query of a request target ("a=1&b=x%20y&b=z"), keys repeated as the SDK sends arrays; a
// key without '=' has an empty value.
std::multimap<std::string, std::string> parseQuery(std::string_view target);

// RFC 3986: unreserved characters stay, every other byte becomes %XX (upper case); '/' stays if asked.
std::string percentEncode(std::string_view s, bool keepSlash = false);

// Text made safe inside HTML or XML elements and attribute values (&, <, >, " and ').
std::string escapeMarkup(std::string_view s);

} // namespace cove::http
