// Every route coved serves is registered here, one function per resource.
#pragma once

#include "service/api/Route.h"

namespace cove::core {
class SandboxService;
}
namespace cove::docker {
class Engine;
}

namespace cove::api {

class EventChannel;

void addSystemRoutes(Router& r, docker::Engine& engine, core::SandboxService& sandboxes);
void addSandboxRoutes(Router& r, core::SandboxService& sandboxes);
void addToolboxRoutes(Router& r, core::SandboxService& sandboxes);
void addEventRoutes(Router& r, EventChannel& events);
// All of the above: the whole table coved serves.
void addAllRoutes(Router& r, docker::Engine& engine, core::SandboxService& sandboxes, EventChannel& events);

// Scopes, as Daytona names them.
inline constexpr const char* kWriteSandboxes = "write:sandboxes";
inline constexpr const char* kDeleteSandboxes = "delete:sandboxes";

} // namespace cove::api
