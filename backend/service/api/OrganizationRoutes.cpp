// /api/organizations: the one personal organization, its usage and history, its quota and tier.
#include "service/api/RouteHelpers.h"
#include "service/api/Routes.h"

#include "service/domain/Quotas.h"
#include "service/domain/RateLimiter.h"

namespace cove::api {

namespace {

json organizationDto(const Governance& g, const std::string& id) {
    const auto org = domain::organizationOf(g.db, id);
    if (!org)
        throw ApiError::notFound("Organization '" + id + "' not found.");
    const domain::Limits l = domain::limitsOf(g.db, id);
    const auto& rl = g.limiter.limits();
    const auto created = toIso8601(fromMillis(org->createdAt));
    const auto updatedMs = org->updatedAt;
    return {{"id", org->id},
            {"name", org->name},
            {"createdBy", "local"},
            {"personal", true},
            {"createdAt", created},
            {"updatedAt", updatedMs ? toIso8601(fromMillis(updatedMs)) : created},
            {"suspended", false},
            {"suspendedAt", nullptr},
            {"suspensionReason", nullptr},
            {"suspendedUntil", nullptr},
            {"suspensionCleanupGracePeriodHours", 0},
            {"maxCpuPerSandbox", l.maxCpu},
            {"maxMemoryPerSandbox", l.maxMemory},
            {"maxDiskPerSandbox", l.maxDisk},
            {"snapshotDeactivationTimeoutMinutes", 0},
            {"sandboxLimitedNetworkEgress", l.tier == 1 || l.tier == 2},
            {"defaultRegionId", "local"},
            {"authenticatedRateLimit", rl.authenticated},
            {"sandboxCreateRateLimit", rl.sandboxCreate},
            {"sandboxLifecycleRateLimit", rl.sandboxLifecycle},
            {"authenticatedRateLimitTtlSeconds", 60},
            {"sandboxCreateRateLimitTtlSeconds", 60},
            {"sandboxLifecycleRateLimitTtlSeconds", 60},
            {"experimentalConfig", nullptr},
            {"tier", l.tier == 0 ? json("custom") : json(l.tier)}};
}

json usageDto(const Governance& g, const std::string& org) {
    const domain::Limits l = domain::limitsOf(g.db, org);
    const domain::Usage u = domain::usageOf(g.db, org);
    const int snapshots = domain::snapshotCount(g.db, org);
    return {{"regionUsage", json::array({{{"regionId", "local"},
                                          {"sandboxClass", "container"},
                                          {"totalCpuQuota", l.totalCpu},
                                          {"currentCpuUsage", u.cpu},
                                          {"totalMemoryQuota", l.totalMemory},
                                          {"currentMemoryUsage", u.memory},
                                          {"totalDiskQuota", l.totalDisk},
                                          {"currentDiskUsage", u.disk},
                                          {"totalGpuQuota", 0},
                                          {"currentGpuUsage", 0},
                                          {"maxCpuPerSandbox", l.maxCpu},
                                          {"maxMemoryPerSandbox", l.maxMemory},
                                          {"maxDiskPerSandbox", l.maxDisk},
                                          {"maxDiskPerNonEphemeralSandbox", l.maxDisk},
                                          {"allowedGpuTypes", json::array()}}})},
            {"totalSnapshotQuota", l.snapshots},
            {"currentSnapshotUsage", snapshots},
            {"totalVolumeQuota", l.volumes},
            {"currentVolumeUsage", u.volumes},
            {"tier", l.tier == 0 ? json("custom") : json(l.tier)},
            {"limits", l.toJson()},
            {"usage", u.toJson()}};
}

} // namespace

void addOrganizationRoutes(Router& r, const Governance& g) {
    // The organization: one personal organization per installation.
    r.add(route(verb::get, "/api/organizations", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    co_return http::jsonResponse(
                        c.req, 200, json::array({organizationDto(g, c.principal->organizationId)}));
                }),
          {.summary = "The caller's organization, as a list of one", .reply = "Organization[]"});
    r.add(route(verb::get, "/api/organizations/{organizationId}", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    requireOwnOrganization(c);
                    co_return http::jsonResponse(c.req, 200, organizationDto(g, c.param("organizationId")));
                }),
          {.summary = "Get the caller's organization", .reply = "Organization"});
    r.add(route(verb::get, "/api/organizations/{organizationId}/usage", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    requireOwnOrganization(c);
                    co_return http::jsonResponse(c.req, 200, usageDto(g, c.param("organizationId")));
                }),
          {.summary = "The organization's quotas and what its sandboxes use", .reply = "OrganizationUsage"});
    r.add(route(verb::get, "/api/organizations/{organizationId}/usage/history", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    requireOwnOrganization(c);
                    const auto to = timeParam(c, "to").value_or(nowMs(g));
                    const auto from = timeParam(c, "from").value_or(to - 24LL * 3600 * 1000);
                    if (from > to)
                        throw ApiError::badRequest("'from' is after 'to'.");
                    co_return http::jsonResponse(
                        c.req, 200, domain::usageHistory(g.db, c.param("organizationId"), from, to));
                }),
          {.summary = "Usage sampled every minute",
           .reply = "UsageSample[]",
           .query = {{"from", "date-time", "(a day before `to`)"}, {"to", "date-time", "(now)"}}});
    // Daytona's quota update: any of the numbers, each replacing the tier's.
    r.add(route(verb::patch, "/api/organizations/{organizationId}/quota", Access::admin(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    requireOwnOrganization(c);
                    const json body = c.jsonBody();
                    const std::string org = c.param("organizationId");
                    static const char* fields[] = {
                        "totalCpuQuota",       "totalMemoryQuota",  "totalDiskQuota", "maxCpuPerSandbox",
                        "maxMemoryPerSandbox", "maxDiskPerSandbox", "snapshotQuota",  "volumeQuota"};
                    for (auto it = body.begin(); it != body.end(); ++it) {
                        if (std::find_if(std::begin(fields), std::end(fields),
                                         [&](const char* f) { return it.key() == f; }) == std::end(fields))
                            throw ApiError::badRequest("Unknown quota field '" + it.key() + "'.");
                        if (!it.value().is_null() &&
                            (!it.value().is_number_integer() || it.value().get<long long>() < 0 ||
                             it.value().get<long long>() > 1000000))
                            throw ApiError::badRequest("'" + it.key() +
                                                       "' must be a whole number from 0 to 1000000.");
                    }
                    if (body.empty()) // nothing to change
                        co_return http::jsonResponse(c.req, 200, usageDto(g, org));
                    domain::setQuota(g.db, org, body, nowMs(g));
                    if (g.limitsChanged)
                        g.limitsChanged(org);
                    co_return http::jsonResponse(c.req, 200, usageDto(g, org));
                },
                {"update_quota", "organization", "organizationId"}),
          {.summary = "Set quota numbers, each replacing the tier's (null: the tier's again)",
           .reply = "OrganizationUsage",
           .request = "QuotaUpdate"});
    // Cove: move to one of Daytona's tiers (custom numbers are dropped).
    r.add(route(verb::put, "/api/organizations/{organizationId}/tier", Access::admin(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    requireOwnOrganization(c);
                    const json body = c.jsonBody();
                    if (!body.contains("tier") || !body["tier"].is_number_integer() ||
                        body["tier"].get<int>() < 1 || body["tier"].get<int>() > 4)
                        throw ApiError::badRequest("The body must be {\"tier\": 1, 2, 3 or 4}.");
                    const std::string org = c.param("organizationId");
                    domain::setTier(g.db, org, body["tier"].get<int>(), nowMs(g));
                    if (g.limitsChanged)
                        g.limitsChanged(org);
                    co_return http::jsonResponse(c.req, 200, usageDto(g, org));
                },
                {"update_quota", "organization", "organizationId"}),
          {.summary = "Move to one of Daytona's tiers, dropping custom numbers (Cove)",
           .reply = "OrganizationUsage",
           .request = "TierUpdate"});
}

} // namespace cove::api
