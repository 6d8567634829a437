// The accessibility tree through AT-SPI: a small Python helper (pyatspi's GObject bindings) run as the
// sandbox user on the desktop's session bus, one run per request, its answer checked by A11yOutput.
#pragma once

#include "agent/computeruse/A11yOutput.h"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace cove::agent::computeruse {

class Desktop;

// Runs one helper command ("tree", "find", "focus", "invoke", "value") with its arguments (already
// checked by the route) and returns the checked answer. 503 when the desktop has no accessibility bus.
boost::asio::awaitable<nlohmann::json> runA11y(const Desktop& d, std::string command, nlohmann::json args,
                                               A11yAnswer kind);

} // namespace cove::agent::computeruse
