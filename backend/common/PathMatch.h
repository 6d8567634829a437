// Route patterns shared by coved's router and the agent's: "/process/session/{id}" matches one segment
// per {name}; a final "{*rest}" takes what remains. Parameters come out percent-decoded.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cove::http {

// The non-empty segments of a path ("//a/b/" has two).
std::vector<std::string_view> splitPath(std::string_view path);
// Whether the segments match the pattern; fills params only then.
bool matchPath(const std::vector<std::string_view>& segments, std::string_view pattern,
               std::map<std::string, std::string>& params);

} // namespace cove::http
