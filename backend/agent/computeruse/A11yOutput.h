// What the accessibility helper prints, checked before any of it reaches a client: the helper runs as
// the sandbox user and talks to applications that user controls, so its bytes are untrusted. Only the
// fields of Daytona's AccessibilityNode survive, typed and bounded; anything else is dropped or refused.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <string_view>

namespace cove::agent::computeruse {

constexpr std::size_t kMaxA11yOutput = 4u << 20; // bytes of one helper answer
constexpr int kMaxA11yNodes = 2000;              // nodes in one tree or one find
constexpr int kMaxA11yDepth = 64;                // levels of a tree
constexpr std::size_t kMaxA11yText = 1024;       // bytes of a name or description
constexpr std::size_t kMaxA11yList = 64;         // states or actions of a node

enum class A11yAnswer { Tree, Find, Done };

// The answer for the client ({root, truncated}, {matches, truncated} or {}), or throws ApiError: the
// helper's own refusal mapped to 400/404/503, or 500 for anything malformed.
nlohmann::json parseA11yOutput(std::string_view bytes, A11yAnswer kind);

// An AT-SPI node id as the helper makes them: "<bus name>:<object path>", e.g.
// ":1.23:/org/a11y/atspi/accessible/12".
bool validA11yNodeId(std::string_view id);

} // namespace cove::agent::computeruse
