// /api/docker-registry: Daytona's private registries, an organization's own; and the admin's choice of an
// organization's default registry (the one `daytona snapshot push` is given).
#include "service/api/RouteHelpers.h"
#include "service/api/Routes.h"

#include "service/domain/Registries.h"

namespace cove::api {

void addRegistryRoutes(Router& r, domain::Registries& g) {
    using D = RouteDoc;
    const std::string tag = "docker-registry";
    r.add(syncRoute(verb::get, "/api/docker-registry", Access::anyKey(),
                    [&g](RequestContext&, const Caller& who) { return g.list(who.who.organizationId); }),
          {.summary = "List the organization's registries (never their passwords)",
           .reply = "DockerRegistry[]",
           .tag = tag});
    Route create{verb::post, "/api/docker-registry", Access::scoped(kWriteRegistries),
                 [&g](RequestContext& c) -> awaitable<http::Response> {
                     const Caller caller = c.caller();
                     co_return http::jsonResponse(c.req, 201, g.create(c.jsonBody(), caller));
                 }};
    create.audit = {"create", "docker_registry", ""};
    r.add(std::move(create), {.summary = "Add a private registry",
                              .reply = "DockerRegistry",
                              .request = "CreateDockerRegistry",
                              .description = "Snapshots of this organization whose image is in the registry "
                                             "(same host[:port], under `project`) are pulled with these "
                                             "credentials. The password is stored sealed and never answered.",
                              .status = 201,
                              .tag = tag});
    // Before /{id}: the router takes the first pattern that matches.
    r.add(syncRoute(verb::get, "/api/docker-registry/registry-push-access", Access::scoped(kWriteRegistries),
                    [&g](RequestContext&, const Caller& who) { return g.pushAccess(who); }),
          {.summary = "Credentials for pushing a snapshot's image: the organization's default registry's",
           .reply = "RegistryPushAccessDto",
           .query = {{"regionId", "string", "ignored: Cove has one region"}},
           .description = "Cove has no registry of its own to hand out temporary access to: this answers the "
                          "credentials of the registry the admin made the organization's default "
                          "(POST /api/admin/docker-registry/{id}/set-default), or 404 when there is none.",
           .tag = tag});
    r.add(syncRoute(verb::get, "/api/docker-registry/{id}", Access::anyKey(),
                    [&g](RequestContext& c, const Caller& who) {
                        return g.get(c.param("id"), who.who.organizationId);
                    }),
          {.summary = "Get a registry (never its password)", .reply = "DockerRegistry", .tag = tag});
    r.add(syncRoute(verb::patch, "/api/docker-registry/{id}", Access::scoped(kWriteRegistries),
                    [&g](RequestContext& c, const Caller& who) {
                        return g.update(c.param("id"), c.jsonBody(), who);
                    },
                    {"update", "docker_registry", "id"}),
          {.summary = "Change a registry",
           .reply = "DockerRegistry",
           .request = "UpdateDockerRegistry",
           .description = "Fields left out stay; leave `password` out to keep the stored one (a new `url` "
                          "needs it again).",
           .tag = tag});
    Route remove{verb::delete_, "/api/docker-registry/{id}", Access::scoped(kDeleteRegistries),
                 [&g](RequestContext& c) -> awaitable<http::Response> {
                     g.remove(c.param("id"), c.caller());
                     co_return noContent(c);
                 }};
    remove.audit = {"delete", "docker_registry", "id"};
    r.add(std::move(remove), {.summary = "Delete a registry",
                              .reply = D::kNothing,
                              .request = D::kNoBody,
                              .status = 204,
                              .tag = tag});
    r.add(syncRoute(verb::post, "/api/admin/docker-registry/{id}/set-default", Access::admin(),
                    [&g](RequestContext& c, const Caller&) { return g.setDefault(c.param("id")); },
                    {"set_default", "docker_registry", "id"}),
          {.summary = "Make a registry its organization's default (admin key)",
           .reply = "DockerRegistry",
           .request = D::kNoBody,
           .description = "The default registry is the one registry-push-access hands to `daytona snapshot "
                          "push`; one per organization.",
           .tag = "admin"});
}

} // namespace cove::api
