// /api/health, /api/info and the Socket.IO event channel; and the whole table, resource by resource.
#include "service/api/Routes.h"

#include "cove/Version.h"
#include "service/api/EventChannel.h"
#include "service/api/OpenApi.h"
#include "service/api/TerminalRoutes.h"
#include "service/domain/SandboxService.h"
#include "service/engine/Engine.h"

namespace cove::api {

void addSystemRoutes(Router& r, engine::Engine& engine, domain::SandboxService& sandboxes,
                     store::Database& db) {
    r.add({verb::get, "/api/health", Access::publicRoute(),
           [](RequestContext& c) -> awaitable<http::Response> {
               co_return http::jsonResponse(c.req, 200, {{"status", "ok"}, {"version", kVersion}});
           }},
          {.summary = "Whether coved serves, and its version", .reply = "Health"});
    // Ready: the store answers a query and the engine its ping. Public like /api/health, so a load
    // balancer or an orchestrator can ask; the reasons name the part, not its address or credentials.
    r.add({verb::get, "/api/health/ready", Access::publicRoute(),
           [&engine, &db](RequestContext& c) -> awaitable<http::Response> {
               json reasons = json::array();
               bool storeUp = true, engineUp = true;
               try {
                   db.query("SELECT 1");
               } catch (const std::exception&) {
                   storeUp = false;
                   reasons.push_back("The store does not answer a query; see coved's log.");
               }
               try {
                   co_await engine.ping();
               } catch (const std::exception&) {
                   engineUp = false;
               }
               if (!engineUp)
                   reasons.push_back("The container engine does not answer; start it (coved reconnects by "
                                     "itself) and see coved's log.");
               const bool ready = storeUp && engineUp;
               json body{
                   {"status", ready ? "ok" : "unavailable"},
                   {"version", kVersion},
                   {"checks", {{"store", storeUp ? "ok" : "down"}, {"engine", engineUp ? "ok" : "down"}}}};
               if (!ready)
                   body["message"] =
                       reasons.size() == 1
                           ? reasons[0]
                           : json(reasons[0].get<std::string>() + " " + reasons[1].get<std::string>());
               co_return http::jsonResponse(c.req, ready ? 200 : 503, body);
           }},
          {.summary = "Whether coved can serve: its store and its container engine answer (Cove)",
           .reply = "Readiness"});
    r.add({verb::get, "/api/info", Access::anyKey(),
           [&engine, &sandboxes](RequestContext& c) -> awaitable<http::Response> {
               const auto& e = engine.info();
               const json warnings =
                   e.userNamespaces ? json::array() : json::array({engine::kNoUserNamespacesWarning});
               co_return http::jsonResponse(c.req, 200,
                                            {{"version", kVersion},
                                             {"organizationId", c.principal->organizationId},
                                             {"engine",
                                              {{"name", "docker"},
                                               {"version", e.version},
                                               {"apiVersion", e.usedApiVersion},
                                               {"storageDriver", e.storageDriver},
                                               {"backingFilesystem", e.backingFilesystem},
                                               {"diskLimits", e.diskLimits},
                                               {"userNamespaces", e.userNamespaces}}},
                                             {"instanceId", sandboxes.instanceId()},
                                             {"warmPool", sandboxes.poolStatus()},
                                             {"warnings", warnings}});
           }},
          {.summary = "coved, its engine and its warm pool (Cove)", .reply = "Info"});
}

void addAllRoutes(Router& r, engine::Engine& engine, domain::SandboxService& sandboxes, EventChannel& events,
                  const Governance& governance) {
    addSystemRoutes(r, engine, sandboxes, governance.db);
    addKeyRoutes(r, governance);
    addOrganizationRoutes(r, governance);
    addAuditRoutes(r, governance);
    addWebhookRoutes(r, governance);
    addEventRoutes(r, events);
    addSandboxRoutes(r, sandboxes);
    addTelemetryRoutes(r, sandboxes);
    addToolboxRoutes(r, sandboxes);
    addSnapshotRoutes(r, sandboxes);
    addVolumeRoutes(r, sandboxes.volumes());
    addRegistryRoutes(r, sandboxes.registries());
    addSecretRoutes(r, sandboxes);
    addWarmPoolRoutes(r, sandboxes);
    addObjectStorageRoutes(r, sandboxes, governance);
    addTerminalRoutes(r, sandboxes, governance.clock);
    addOpenApiRoute(r); // last: it documents the table above, itself included
}

void addEventRoutes(Router& r, EventChannel& events) {
    Route route{verb::get, "/api/socket.io", Access::inBand(),
                [](RequestContext& c) -> awaitable<http::Response> {
                    co_return http::errorResponse(c.req, {400,
                                                          "The event channel speaks Socket.IO v4 over a "
                                                          "WebSocket only (transport=websocket).",
                                                          {}});
                }};
    route.upgrade = [&events](boost::asio::ip::tcp::socket socket, http::Request request) {
        events.accept(std::move(socket), std::move(request));
    };
    r.add(std::move(route),
          {.summary = "The event channel: Socket.IO v4 over a WebSocket",
           .reply = RouteDoc::kWebSocket,
           .query = {{"EIO", "string", "4"}, {"transport", "string", "websocket"}},
           .description =
               "The API key goes in Socket.IO's CONNECT packet ({\"token\": key}). Events: "
               "sandbox.created, sandbox.state.updated, sandbox.archive.progress, snapshot.created, "
               "snapshot.state.updated, snapshot.removed, volume.created, volume.state.updated, "
               "usage.updated and audit.created (keys with read:audit_logs only)."});
}

} // namespace cove::api
