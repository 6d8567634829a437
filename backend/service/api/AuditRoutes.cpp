// /api/audit: the audit log's pages, filters and exports (CSV, JSON).
#include "service/api/RouteHelpers.h"
#include "service/api/Routes.h"

#include "service/domain/AuditLog.h"

namespace cove::api {

namespace {

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

} // namespace

void addAuditRoutes(Router& r, const Governance& g) {
    // The audit log, Daytona's path and Cove's short one; ?format=csv or json exports.
    const Access auditors = Access::scoped(kReadAuditLogs);
    const RouteDoc doc{
        .summary = "The audit log, newest first, a page at a time",
        .reply = "AuditLogPage",
        .query = {{"page", "integer", "from 1"},
                  {"limit", "integer",
                   "rows per page, 1 to " + std::to_string(domain::AuditLog::kMaxLimit) + " (100)"},
                  {"nextToken", "string", "`nextToken` of the previous page (takes precedence over page)"},
                  {"from", "date-time"},
                  {"to", "date-time"},
                  {"action", "string"},
                  {"targetType", "string"},
                  {"targetId", "string"},
                  {"actor", "string", "the key's name"},
                  {"outcome", "string", "success, error or a status code such as 403"},
                  {"format", "string", "csv or json: every matching row at once (text/csv, or an array)"}}};
    r.add(route(verb::get, "/api/audit", auditors,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    const std::string org = c.principal->organizationId;
                    co_return co_await auditAnswer(g, c, org);
                }),
          doc);
    r.add(route(verb::get, "/api/audit/organizations/{organizationId}", auditors,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    requireOwnOrganization(c);
                    const std::string org = c.param("organizationId");
                    co_return co_await auditAnswer(g, c, org);
                }),
          doc);
}

} // namespace cove::api
