// /api/sandbox: Daytona's sandbox resource, and /api/health and /api/info.
#include "service/api/Routes.h"

#include "cove/Version.h"
#include "service/core/SandboxService.h"
#include "service/docker/Engine.h"

namespace cove::api {

using bhttp = http::bhttp::verb;

void addSystemRoutes(Router& r, docker::Engine& engine) {
    r.add({bhttp::get, "/api/health", Access::publicRoute(),
           [](RequestContext& c) -> awaitable<http::Response> {
               co_return http::jsonResponse(c.req, 200, {{"status", "ok"}, {"version", kVersion}});
           }});
    r.add({bhttp::get, "/api/info", Access::anyKey(),
           [&engine](RequestContext& c) -> awaitable<http::Response> {
               const auto& e = engine.info();
               co_return http::jsonResponse(c.req, 200,
                                            {{"version", kVersion},
                                             {"organizationId", c.principal->organizationId},
                                             {"engine",
                                              {{"name", "docker"},
                                               {"version", e.version},
                                               {"apiVersion", e.usedApiVersion},
                                               {"storageDriver", e.storageDriver}}}});
           }});
}

void addAllRoutes(Router& r, docker::Engine& engine, core::SandboxService& sandboxes) {
    addSystemRoutes(r, engine);
    addSandboxRoutes(r, sandboxes);
    addToolboxRoutes(r, sandboxes);
}

void addSandboxRoutes(Router& r, core::SandboxService& s) {
    r.add({bhttp::post, "/api/sandbox", Access::scoped(kWriteSandboxes),
           [&s](RequestContext& c) -> awaitable<http::Response> {
               const json body = c.jsonBody();
               const Caller caller = c.caller();
               const json created = co_await s.create(body, caller);
               co_return http::jsonResponse(c.req, 200, created);
           }});
    r.add(
        {bhttp::get, "/api/sandbox", Access::anyKey(), [&s](RequestContext& c) -> awaitable<http::Response> {
             co_return http::jsonResponse(c.req, 200, s.list(c));
         }});
    r.add({bhttp::get, "/api/sandbox/{id}", Access::anyKey(),
           [&s](RequestContext& c) -> awaitable<http::Response> {
               co_return http::jsonResponse(c.req, 200, s.get(c.param("id"), c.caller()));
           }});
    r.add({bhttp::delete_, "/api/sandbox/{id}", Access::scoped(kDeleteSandboxes),
           [&s](RequestContext& c) -> awaitable<http::Response> {
               const Caller caller = c.caller();
               const json removed = co_await s.remove(c.param("id"), caller);
               co_return http::jsonResponse(c.req, 200, removed);
           }});
}

} // namespace cove::api
