// /api/api-keys: list, create, the current key, get and revoke.
#include "service/api/RouteHelpers.h"
#include "service/api/Routes.h"

#include "service/domain/AuditLog.h"
#include "service/domain/Keys.h"

namespace cove::api {

void addKeyRoutes(Router& r, const Governance& g) {
    using D = RouteDoc;
    // API keys. Any key may see the organization's keys (values masked) and make keys with at most its
    // own scopes; only the admin key revokes other keys.
    r.add(route(verb::get, "/api/api-keys", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    co_return http::jsonResponse(c.req, 200, g.keys.list(c.principal->organizationId));
                }),
          {.summary = "List the organization's API keys (values masked)", .reply = "ApiKey[]"});
    r.add(route(verb::post, "/api/api-keys", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    const json created = g.keys.create(c.jsonBody(), *c.principal, nowMs(g));
                    g.audit.record(c.caller(), "create", "api_key", created["name"].get<std::string>(), 201);
                    co_return http::jsonResponse(c.req, 201, created);
                },
                {"create", "api_key", ""}),
          {.summary = "Create an API key with at most the caller's scopes",
           .reply = "CreatedApiKey",
           .request = "CreateApiKey",
           .description = "The answer holds the key's value; it is shown this once.",
           .status = 201});
    r.add(route(verb::get, "/api/api-keys/current", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    co_return http::jsonResponse(c.req, 200, g.keys.current(*c.principal));
                }),
          {.summary = "The API key making this call", .reply = "ApiKey"});
    r.add(route(verb::get, "/api/api-keys/{name}", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    co_return http::jsonResponse(c.req, 200,
                                                 g.keys.get(c.param("name"), c.principal->organizationId));
                }),
          {.summary = "Get an API key by name", .reply = "ApiKey"});
    r.add(route(verb::delete_, "/api/api-keys/{name}", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    g.keys.revoke(c.param("name"), *c.principal, nowMs(g));
                    http::Response res{http::bhttp::status::no_content, c.req.version()};
                    res.keep_alive(c.req.keep_alive());
                    res.prepare_payload();
                    co_return res;
                },
                {"delete", "api_key", "name"}),
          {.summary = "Revoke an API key",
           .reply = D::kNothing,
           .request = D::kNoBody,
           .description = "A key may revoke itself; other keys only the admin key revokes.",
           .status = 204});
}

} // namespace cove::api
