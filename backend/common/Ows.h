// HTTP's optional whitespace (RFC 9110 §5.6.3), as header-field values are read by the parsers of coved and
// cove-agent.
#pragma once

#include <string_view>

namespace cove {

// `s` without the spaces and tabs around it.
inline std::string_view trimOws(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

} // namespace cove
