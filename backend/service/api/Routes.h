// Every route coved serves is registered here, one function per resource.
#pragma once

#include "service/api/Route.h"

#include "common/Time.h"

#include <functional>

namespace cove::store {
class Database;
}
namespace cove::domain {
class SandboxService;
class Keys;
class AuditLog;
class RateLimiter;
class Volumes;
class Registries;
class Webhooks;
} // namespace cove::domain
namespace cove::engine {
class Engine;
}

namespace cove::api {

class EventChannel;

void addSystemRoutes(Router& r, engine::Engine& engine, domain::SandboxService& sandboxes,
                     store::Database& db);
void addSandboxRoutes(Router& r, domain::SandboxService& sandboxes);
void addToolboxRoutes(Router& r, domain::SandboxService& sandboxes);
// Telemetry and /api/config; before addToolboxRoutes (it answers one toolbox path itself).
void addTelemetryRoutes(Router& r, domain::SandboxService& sandboxes);
// What the agent is asked for a toolbox request: for a signed URL, a target rebuilt from what was
// verified; else the client's own path and query after /toolbox/{id}.
std::string agentTarget(const http::Request& req, const Principal& who);
// Whether a toolbox request changes the sandbox (needs write:sandboxes) rather than reads it.
bool toolboxRequestWrites(const http::Request& req);
// The audit action of a toolbox call (toolbox_execute_command, ...), or nothing for calls not audited.
std::optional<std::string> toolboxAuditAction(const RequestContext& c);
void addEventRoutes(Router& r, EventChannel& events);
// /api/snapshots, the sandbox-to-snapshot commit and the sandbox build logs.
void addSnapshotRoutes(Router& r, domain::SandboxService& sandboxes);

using SyncBody = std::function<json(RequestContext&, const Caller&)>;
using AsyncBody = std::function<awaitable<json>(RequestContext&, const Caller&)>;
// A route whose work needs no waiting: it answers 200 with the JSON the body returns.
Route syncRoute(http::bhttp::verb method, std::string pattern, Access access, SyncBody body,
                AuditSpec audit = {});
// A route whose work waits on the engine; the caller outlives the awaited call in its frame.
Route asyncRoute(http::bhttp::verb method, std::string pattern, Access access, AsyncBody body,
                 AuditSpec audit = {}, RateClass rate = RateClass::General);
void addVolumeRoutes(Router& r, domain::Volumes& volumes);
// /api/docker-registry and the admin's /api/admin/docker-registry/{id}/set-default.
void addRegistryRoutes(Router& r, domain::Registries& registries);
void addWarmPoolRoutes(Router& r, domain::SandboxService& sandboxes); // /api/warm-pools
// /api/secret and /api/sandbox/{id}/secrets.
void addSecretRoutes(Router& r, domain::SandboxService& sandboxes);

// What the governance routes (keys, organization, quotas, audit log) work on.
struct Governance {
    store::Database& db;
    domain::Keys& keys;
    domain::AuditLog& audit;
    domain::RateLimiter& limiter;
    const Clock& clock;
    // Told when an organization's tier or quota changed (its sandboxes' network policy follows).
    std::function<void(const std::string& organizationId)> limitsChanged = {};
    // Webhook endpoints and deliveries; absent, the webhook routes answer 503.
    domain::Webhooks* webhooks = nullptr;
};
void addKeyRoutes(Router& r, const Governance& g);          // /api/api-keys
void addOrganizationRoutes(Router& r, const Governance& g); // /api/organizations
void addAuditRoutes(Router& r, const Governance& g);        // /api/audit
void addWebhookRoutes(Router& r, const Governance& g);      // /api/webhooks, /api/admin/webhooks
// The object storage the SDK uploads build contexts to: push-access credentials, and the S3 calls signed
// with them under kObjectStoragePrefix (ObjectStorageRoutes.cpp).
inline constexpr const char* kObjectStoragePrefix = "/api/object-storage/s3";
// Signed calls work while the key that asked for the access is still valid.
void addObjectStorageRoutes(Router& r, domain::SandboxService& sandboxes, const Governance& governance);
// All of the above: the whole table coved serves.
void addAllRoutes(Router& r, engine::Engine& engine, domain::SandboxService& sandboxes, EventChannel& events,
                  const Governance& governance);

} // namespace cove::api
