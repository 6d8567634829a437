// /api/secret: Daytona's SecretService routes, an organization's own; and a sandbox's mounted secrets.
#include "service/api/RouteHelpers.h"
#include "service/api/Routes.h"

#include "service/domain/SandboxService.h"
#include "service/domain/Secrets.h"

namespace cove::api {

void addSecretRoutes(Router& r, domain::SandboxService& sandboxes) {
    using D = RouteDoc;
    domain::Secrets& g = sandboxes.secrets();
    const std::string tag = "secret";
    const Access manage = Access::scoped(kManageSecrets);
    r.add(
        syncRoute(verb::get, "/api/secret", manage,
                  [&g](RequestContext&, const Caller& who) { return g.list(who.who.organizationId); }),
        {.summary = "List the organization's secrets (never their values)", .reply = "Secret[]", .tag = tag});
    // Before /{id}: the router takes the first pattern that matches.
    r.add(syncRoute(verb::get, "/api/secret/paginated", manage,
                    [&g](RequestContext& c, const Caller& who) {
                        return g.listPage(who.who.organizationId, c.listQuery());
                    }),
          {.summary = "A page of the organization's secrets",
           .reply = "ListSecretsResponse",
           .query = {{"cursor", "string", "nextCursor of the page before"},
                     {"limit", "integer", "1 to 200; 100 when left out"},
                     {"name", "string", "a part of the name"},
                     {"sort", "string", "name, createdAt (default) or updatedAt"},
                     {"order", "string", "asc or desc (default)"}},
           .tag = tag});
    Route create{verb::post, "/api/secret", manage, [&g](RequestContext& c) -> awaitable<http::Response> {
                     const Caller caller = c.caller();
                     co_return http::jsonResponse(c.req, 201, g.create(c.jsonBody(), caller));
                 }};
    create.audit = {"create", "secret", ""};
    r.add(std::move(create),
          {.summary = "Store a secret",
           .reply = "Secret",
           .request = "CreateSecret",
           .description =
               "The value is stored sealed and never answered. Sandboxes that mount the secret see "
               "its placeholder; requests from them to one of `hosts` carry the value instead.",
           .status = 201,
           .tag = tag});
    r.add(syncRoute(verb::get, "/api/secret/{id}", manage,
                    [&g](RequestContext& c, const Caller& who) {
                        return g.get(c.param("id"), who.who.organizationId);
                    }),
          {.summary = "Get a secret (never its value)", .reply = "Secret", .tag = tag});
    r.add(syncRoute(verb::patch, "/api/secret/{id}", manage,
                    [&g](RequestContext& c, const Caller& who) {
                        return g.update(c.param("id"), c.jsonBody(), who);
                    },
                    {"update", "secret", "id"}),
          {.summary = "Change a secret's value, description or hosts",
           .reply = "Secret",
           .request = "UpdateSecret",
           .description =
               "Fields left out stay. Sandboxes that mount it use the change from their next request.",
           .tag = tag});
    Route remove{verb::delete_, "/api/secret/{id}", manage,
                 [&g](RequestContext& c) -> awaitable<http::Response> {
                     g.remove(c.param("id"), c.caller());
                     co_return noContent(c);
                 }};
    remove.audit = {"delete", "secret", "id"};
    r.add(std::move(remove), {.summary = "Delete a secret",
                              .reply = D::kNothing,
                              .request = D::kNoBody,
                              .description = "Refused (409, naming them) while sandboxes mount it.",
                              .status = 204,
                              .tag = tag});

    r.add(syncRoute(verb::get, "/api/sandbox/{id}/secrets", Access::anyKey(),
                    [&sandboxes](RequestContext& c, const Caller& who) {
                        return sandboxes.sandboxSecrets(c.param("id"), who);
                    }),
          {.summary = "The secrets a sandbox mounts: variable, secret, placeholder and hosts (never values)",
           .reply = "SandboxSecret[]"});
    r.add(syncRoute(verb::put, "/api/sandbox/{id}/secrets", Access::scoped(kWriteSandboxes),
                    [&sandboxes](RequestContext& c, const Caller& who) {
                        return sandboxes.updateSecrets(c.param("id"), c.jsonBody(), who);
                    },
                    {"update_secrets", "sandbox", "id"}),
          {.summary = "Replace the secrets a sandbox mounts",
           .reply = "Sandbox",
           .request = "UpdateSandboxSecrets",
           .description = "Requests use the new set at once; the environment variables change at the "
                          "sandbox's next start."});
}

} // namespace cove::api
