// Query readers and route helpers the governance resources share.
#include "service/api/RouteHelpers.h"

namespace cove::api {

std::int64_t nowMs(const Governance& g) {
    return toMillis(g.clock.now());
}

void requireOwnOrganization(const RequestContext& c) {
    if (c.param("organizationId") != c.principal->organizationId)
        throw ApiError::notFound("Organization '" + c.param("organizationId") + "' not found.");
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

Route route(http::bhttp::verb method, std::string pattern, Access access, Handler h, AuditSpec audit) {
    Route r{method, std::move(pattern), std::move(access), std::move(h)};
    r.audit = std::move(audit);
    return r;
}

http::Response noContent(const RequestContext& c) {
    http::Response res{http::bhttp::status::no_content, c.req.version()};
    res.keep_alive(c.req.keep_alive());
    res.prepare_payload();
    return res;
}

} // namespace cove::api
