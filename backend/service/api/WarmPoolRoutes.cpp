// /api/warm-pools: Daytona's warm pools, started sandboxes of a snapshot an organization keeps ready so
// its creates of that snapshot answer at once (the pool engine is in domain/WarmPool.cpp).
#include "service/api/Routes.h"

#include "service/domain/SandboxService.h"

namespace cove::api {

void addWarmPoolRoutes(Router& r, domain::SandboxService& sandboxes) {
    using D = RouteDoc;
    constexpr const char* kMatch =
        "A pool serves the organization's creates of its snapshot (and target) that ask for no volumes, "
        "GPU or network rules, run as the image's user and have the pool's disk size; their CPU, memory "
        "and environment are applied to the warm sandbox as it is handed over. Warm sandboxes count "
        "against the organization's quota: a pool keeps only as many as fit, and errorReason says so.";
    r.add(
        syncRoute(verb::get, "/api/warm-pools", Access::anyKey(),
                  [&sandboxes](RequestContext&, const Caller& who) { return sandboxes.listWarmPools(who); }),
        {.summary = "List the organization's warm pools", .reply = "WarmPool[]", .description = kMatch});
    r.add(asyncRoute(verb::post, "/api/warm-pools", Access::scoped(kWriteSandboxes),
                     [&sandboxes](RequestContext& c, const Caller& who) {
                         return sandboxes.createWarmPool(c.jsonBody(), who);
                     },
                     {"create", "warm_pool", ""}),
          {.summary = "Create a warm pool for a snapshot",
           .reply = "WarmPool",
           .request = "CreateWarmPool",
           .description = std::string("409 when the organization has a pool for the snapshot and target "
                                      "already. ") +
                          kMatch});
    r.add(asyncRoute(verb::patch, "/api/warm-pools/{id}", Access::scoped(kWriteSandboxes),
                     [&sandboxes](RequestContext& c, const Caller& who) {
                         return sandboxes.updateWarmPool(c.param("id"), c.jsonBody(), who);
                     },
                     {"update", "warm_pool", "id"}),
          {.summary = "Resize a warm pool (0 drains it)",
           .reply = "WarmPool",
           .request = "UpdateWarmPool",
           .description = "Surplus warm sandboxes are removed, missing ones made, in the background."});
    r.add(
        asyncRoute(verb::delete_, "/api/warm-pools/{id}", Access::scoped(kDeleteSandboxes),
                   [&sandboxes](RequestContext& c, const Caller& who) {
                       return sandboxes.deleteWarmPool(c.param("id"), who);
                   },
                   {"delete", "warm_pool", "id"}),
        {.summary = "Delete a warm pool and its warm sandboxes", .reply = D::kEmpty, .request = D::kNoBody});
}

} // namespace cove::api
