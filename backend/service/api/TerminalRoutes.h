// The web terminal's routes: POST /api/sandbox/{id}/terminal-token, the page /terminal/{id}, its files
// /web/{name} and its WebSocket /terminal/{id}/socket.
#pragma once

#include "service/api/Route.h"

#include "common/Time.h"

namespace cove::domain {
class SandboxService;
}

namespace cove::api {

void addTerminalRoutes(Router& r, domain::SandboxService& sandboxes, const Clock& clock);

} // namespace cove::api
