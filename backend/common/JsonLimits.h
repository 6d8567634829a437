// JSON from untrusted peers (request bodies, WebSocket messages): parsed with a bound on nesting, so a
// deeply nested body is a clear error rather than a deep recursion when the value is used or freed.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cove {

// Deeper than any body Daytona's API or the toolbox takes (a create body nests four levels).
inline constexpr int kMaxJsonDepth = 64;

struct JsonParse {
    std::optional<nlohmann::json> value; // empty when the text was refused
    std::string error;                   // why, in a sentence fragment
};

JsonParse parseUntrustedJson(std::string_view text, int maxDepth = kMaxJsonDepth);

} // namespace cove
