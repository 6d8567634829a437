// /api/api-keys, /api/organizations (usage, quota, tier, usage history) and /api/audit.
#include "service/api/Routes.h"

#include "service/domain/AuditLog.h"
#include "service/domain/Keys.h"
#include "service/domain/Quotas.h"
#include "service/domain/RateLimiter.h"

namespace cove::api {

using bhttp = http::bhttp::verb;

namespace {

using domain::Limits;

std::int64_t nowMs(const Governance& g) {
    return toMillis(g.clock.now());
}

// The caller's own organization; another id is not found, as it would be on a multi-tenant server.
void requireOwnOrganization(const RequestContext& c) {
    if (c.param("organizationId") != c.principal->organizationId)
        throw ApiError::notFound("Organization '" + c.param("organizationId") + "' not found.");
}

json organizationDto(const Governance& g, const std::string& id) {
    const auto org = domain::organizationOf(g.db, id);
    if (!org)
        throw ApiError::notFound("Organization '" + id + "' not found.");
    const Limits l = domain::limitsOf(g.db, id);
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
    const Limits l = domain::limitsOf(g.db, org);
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

std::optional<std::int64_t> timeParam(const RequestContext& c, const char* name) {
    const auto v = c.queryValue(name);
    if (!v || v->empty())
        return std::nullopt;
    const auto t = parseIso8601(*v);
    if (!t)
        throw ApiError::badRequest(std::string("'") + name +
                                   "' must be an ISO 8601 date, e.g. 2026-11-22T00:00:00Z.");
    return toMillis(*t);
}

int intQuery(const RequestContext& c, const char* name, int fallback, int min, int max) {
    const auto v = c.queryValue(name);
    if (!v || v->empty())
        return fallback;
    if (v->size() > 9 || v->find_first_not_of("0123456789") != std::string::npos || std::stoi(*v) < min ||
        std::stoi(*v) > max)
        throw ApiError::badRequest(std::string("'") + name + "' must be a whole number from " +
                                   std::to_string(min) + " to " + std::to_string(max) + ".");
    return std::stoi(*v);
}

domain::AuditQuery auditQuery(const RequestContext& c) {
    domain::AuditQuery q;
    q.fromMs = timeParam(c, "from");
    q.toMs = timeParam(c, "to");
    q.action = c.queryValue("action").value_or("");
    q.targetType = c.queryValue("targetType").value_or("");
    q.targetId = c.queryValue("targetId").value_or("");
    q.actor = c.queryValue("actor").value_or("");
    q.outcome = c.queryValue("outcome").value_or("");
    if (!q.outcome.empty() && q.outcome != "success" && q.outcome != "error" &&
        (q.outcome.size() != 3 || q.outcome.find_first_not_of("0123456789") != std::string::npos))
        throw ApiError::badRequest("'outcome' is success, error or a status code such as 403.");
    q.limit = intQuery(c, "limit", 100, 1, domain::AuditLog::kMaxLimit);
    q.page = intQuery(c, "page", 1, 1, 1 << 20);
    const auto token = c.queryValue("nextToken");
    if (token && !token->empty()) {
        if (token->size() > 18 || token->find_first_not_of("0123456789") != std::string::npos)
            throw ApiError::badRequest("'nextToken' is not one this server handed out.");
        q.before = std::stoll(*token);
    }
    return q;
}

awaitable<http::Response> auditAnswer(const Governance& g, RequestContext& c, const std::string& org) {
    const auto q = auditQuery(c);
    const std::string format = c.queryValue("format").value_or("");
    if (format == "csv") {
        http::Response res{http::bhttp::status::ok, c.req.version()};
        res.set(http::bhttp::field::content_type, "text/csv; charset=utf-8");
        res.set(http::bhttp::field::content_disposition, "attachment; filename=\"cove-audit.csv\"");
        res.keep_alive(c.req.keep_alive());
        res.body() = g.audit.exportCsv(org, q);
        res.prepare_payload();
        co_return res;
    }
    if (format == "json")
        co_return http::jsonResponse(c.req, 200, g.audit.exportJson(org, q));
    if (!format.empty())
        throw ApiError::badRequest("'format' is csv or json; leave it out for pages.");
    co_return http::jsonResponse(c.req, 200, g.audit.query(org, q));
}

Route route(bhttp method, std::string pattern, Access access, Handler h, AuditSpec audit = {}) {
    Route r{method, std::move(pattern), std::move(access), std::move(h)};
    r.audit = std::move(audit);
    return r;
}

} // namespace

void addGovernanceRoutes(Router& r, const Governance& g) {
    // API keys. Any key may see the organization's keys (values masked) and make keys with at most its
    // own scopes; only the admin key revokes other keys.
    r.add(route(bhttp::get, "/api/api-keys", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    co_return http::jsonResponse(c.req, 200, g.keys.list(c.principal->organizationId));
                }));
    r.add(route(bhttp::post, "/api/api-keys", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    const json created = g.keys.create(c.jsonBody(), *c.principal, nowMs(g));
                    g.audit.record(c.caller(), "create", "api_key", created["name"].get<std::string>(), 201);
                    co_return http::jsonResponse(c.req, 201, created);
                },
                {"create", "api_key", ""}));
    r.add(route(bhttp::get, "/api/api-keys/current", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    co_return http::jsonResponse(c.req, 200, g.keys.current(*c.principal));
                }));
    r.add(route(bhttp::get, "/api/api-keys/{name}", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    co_return http::jsonResponse(c.req, 200,
                                                 g.keys.get(c.param("name"), c.principal->organizationId));
                }));
    r.add(route(bhttp::delete_, "/api/api-keys/{name}", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    g.keys.revoke(c.param("name"), *c.principal, nowMs(g));
                    http::Response res{http::bhttp::status::no_content, c.req.version()};
                    res.keep_alive(c.req.keep_alive());
                    res.prepare_payload();
                    co_return res;
                },
                {"delete", "api_key", "name"}));

    // The organization: one personal organization per installation.
    r.add(route(bhttp::get, "/api/organizations", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    co_return http::jsonResponse(
                        c.req, 200, json::array({organizationDto(g, c.principal->organizationId)}));
                }));
    r.add(route(bhttp::get, "/api/organizations/{organizationId}", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    requireOwnOrganization(c);
                    co_return http::jsonResponse(c.req, 200, organizationDto(g, c.param("organizationId")));
                }));
    r.add(route(bhttp::get, "/api/organizations/{organizationId}/usage", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    requireOwnOrganization(c);
                    co_return http::jsonResponse(c.req, 200, usageDto(g, c.param("organizationId")));
                }));
    r.add(route(bhttp::get, "/api/organizations/{organizationId}/usage/history", Access::anyKey(),
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    requireOwnOrganization(c);
                    const auto to = timeParam(c, "to").value_or(nowMs(g));
                    const auto from = timeParam(c, "from").value_or(to - 24LL * 3600 * 1000);
                    if (from > to)
                        throw ApiError::badRequest("'from' is after 'to'.");
                    co_return http::jsonResponse(
                        c.req, 200, domain::usageHistory(g.db, c.param("organizationId"), from, to));
                }));
    // Daytona's quota update: any of the numbers, each replacing the tier's.
    r.add(route(bhttp::patch, "/api/organizations/{organizationId}/quota", Access::admin(),
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
                {"update_quota", "organization", "organizationId"}));
    // Cove: move to one of Daytona's tiers (custom numbers are dropped).
    r.add(route(bhttp::put, "/api/organizations/{organizationId}/tier", Access::admin(),
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
                {"update_quota", "organization", "organizationId"}));

    // The audit log, Daytona's path and Cove's short one; ?format=csv or json exports.
    const Access auditors = Access::scoped(kReadAuditLogs);
    r.add(route(bhttp::get, "/api/audit", auditors, [&g](RequestContext& c) -> awaitable<http::Response> {
        const std::string org = c.principal->organizationId;
        co_return co_await auditAnswer(g, c, org);
    }));
    r.add(route(bhttp::get, "/api/audit/organizations/{organizationId}", auditors,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    requireOwnOrganization(c);
                    const std::string org = c.param("organizationId");
                    co_return co_await auditAnswer(g, c, org);
                }));
}

} // namespace cove::api
