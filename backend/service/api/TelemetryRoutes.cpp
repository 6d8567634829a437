// Telemetry, as Daytona's API declares it: a sandbox's metrics history (coved's own samples), its logs
// (what its main process wrote) and its traces (none: Cove records no spans), the toolbox's
// /system/metrics with the sandbox's own disk figures, and /api/config, where the SDK looks for an
// analytics service before it asks these routes.
#include "service/api/RouteHelpers.h"
#include "service/api/Routes.h"

#include "cove/Version.h"
#include "service/domain/SandboxService.h"

#include <algorithm>
#include <cctype>

namespace cove::api {

using D = RouteDoc;

namespace {

std::int64_t requiredTime(const RequestContext& c, const char* name) {
    const auto t = timeParam(c, name);
    if (!t)
        throw ApiError::badRequest(std::string("'") + name +
                                   "' is required: an ISO 8601 time such as 2026-01-01T00:00:00Z.");
    return *t;
}

// A query key that may repeat or hold a comma-separated list (the SDK sends either).
std::vector<std::string> listParam(const RequestContext& c, const std::string& name) {
    std::vector<std::string> out;
    const auto [from, to] = c.query.equal_range(name);
    for (auto it = from; it != to; ++it) {
        std::size_t start = 0;
        while (start <= it->second.size()) {
            auto end = it->second.find(',', start);
            if (end == std::string::npos)
                end = it->second.size();
            if (end > start)
                out.push_back(it->second.substr(start, end - start));
            start = end + 1;
        }
    }
    return out;
}

void checkRange(std::int64_t from, std::int64_t to) {
    if (to < from)
        throw ApiError::badRequest("'to' is before 'from'; give the range in time order.");
}

} // namespace

void addTelemetryRoutes(Router& r, domain::SandboxService& s) {
    const std::string range = "`from` and `to` (ISO 8601) bound the range. ";
    r.add(route(verb::get, "/api/sandbox/{id}/telemetry/metrics", Access::anyKey(),
                [&s](RequestContext& c) -> awaitable<http::Response> {
                    const std::int64_t from = requiredTime(c, "from"), to = requiredTime(c, "to");
                    checkRange(from, to);
                    const auto names = listParam(c, "metricNames");
                    const Caller caller = c.caller();
                    const json body = co_await s.telemetryMetrics(c.param("id"), caller, from, to, names);
                    co_return http::jsonResponse(c.req, 200, body);
                }),
          {.summary = "The sandbox's CPU, memory, disk and network over a time range",
           .reply = "MetricsResponse",
           .query = {{"from", "date-time"},
                     {"to", "date-time"},
                     {"metricNames", "string[]", "the series wanted (all when absent)"}},
           .description =
               range +
               "coved samples each started sandbox every 30 s (and when asked with no sample that recent) "
               "and keeps 24 h in memory: a restarted coved starts a new history. Series: Daytona's "
               "daytona.sandbox.{cpu.utilization, cpu.limit, memory.usage, memory.limit, memory.cache, "
               "filesystem.usage, filesystem.total} and Cove's cove.sandbox.network.{receive, transmit} "
               "(bytes since the sandbox started). The filesystem figures are the sandbox's own: what it "
               "wrote into its writable layer, and its disk size, where the engine's storage is btrfs."});
    r.add(route(verb::get, "/api/sandbox/{id}/telemetry/logs", Access::anyKey(),
                [&s](RequestContext& c) -> awaitable<http::Response> {
                    domain::SandboxService::LogQuery q;
                    q.fromMs = requiredTime(c, "from");
                    q.toMs = requiredTime(c, "to");
                    checkRange(q.fromMs, q.toMs);
                    q.page = intQuery(c, "page", 1, 1, 1 << 20);
                    q.limit = intQuery(c, "limit", domain::MetricsLimits::kDefaultLogPage, 1,
                                       domain::MetricsLimits::kMaxLogPage);
                    q.severities = listParam(c, "severities");
                    for (auto& sev : q.severities)
                        std::transform(sev.begin(), sev.end(), sev.begin(),
                                       [](unsigned char ch) { return char(std::toupper(ch)); });
                    q.search = c.queryValue("search").value_or("");
                    const Caller caller = c.caller();
                    const json body = co_await s.telemetryLogs(c.param("id"), caller, std::move(q));
                    co_return http::jsonResponse(c.req, 200, body);
                }),
          {.summary = "What the sandbox's main process wrote over a time range",
           .reply = "PaginatedLogs",
           .query = {{"from", "date-time"},
                     {"to", "date-time"},
                     {"page", "integer"},
                     {"limit", "integer", "lines a page (100; at most 1000)"},
                     {"severities", "string[]", "INFO (stdout), ERROR (stderr)"},
                     {"search", "string", "a substring the line holds"}},
           .description = range +
                          "The lines the container's main process wrote, newest first: the agent's own "
                          "and the image's command's (the `entrypoint` session passes its output on), "
                          "as the engine keeps them (the newest 10000 of the range are searched). "
                          "Commands run through the toolbox log to their sessions, not here."});
    r.add(route(verb::get, "/api/sandbox/{id}/telemetry/traces", Access::anyKey(),
                [&s](RequestContext& c) -> awaitable<http::Response> {
                    checkRange(requiredTime(c, "from"), requiredTime(c, "to"));
                    const Caller caller = c.caller();
                    (void)s.get(c.param("id"), caller); // 404 for a sandbox that is not there
                    co_return http::jsonResponse(
                        c.req, 200, {{"items", json::array()}, {"total", 0}, {"page", 1}, {"totalPages", 0}});
                }),
          {.summary = "The sandbox's traces: none, Cove records no spans",
           .reply = "PaginatedTraces",
           .query = {{"from", "date-time"}, {"to", "date-time"}, {"page", "integer"}, {"limit", "integer"}},
           .description = "Always an empty page: Cove runs no OpenTelemetry collector. Spans the SDK or "
                          "code in the sandbox makes go to the collector they are configured for."});
    r.add(route(verb::get, "/api/sandbox/{id}/telemetry/traces/{traceId}", Access::anyKey(),
                [&s](RequestContext& c) -> awaitable<http::Response> {
                    const Caller caller = c.caller();
                    (void)s.get(c.param("id"), caller);
                    co_return http::jsonResponse(c.req, 200, json::array());
                }),
          {.summary = "A trace's spans: none, Cove records no spans",
           .reply = "TraceSpan[]",
           .description = "Always an empty list (see /telemetry/traces)."});
    // Before the toolbox's tunnel, which would answer it with the agent's view of the disk: the whole
    // volume the sandbox's layer lives on.
    for (const char* pattern : {"/toolbox/{id}/system/metrics", "/toolbox/{id}/toolbox/system/metrics"}) {
        Route metrics =
            route(verb::get, pattern, Access::anyKey(), [&s](RequestContext& c) -> awaitable<http::Response> {
                const Caller caller = c.caller();
                const json body = co_await s.systemMetrics(c.param("id"), caller);
                co_return http::jsonResponse(c.req, 200, body);
            });
        r.add(std::move(metrics),
              {.summary = "The sandbox's resources now, its disk as its own quota and use",
               .reply = "SystemMetrics",
               .description = "The toolbox's /system/metrics (the sandbox's cgroup, read by its agent) "
                              "with diskTotal, diskUsed and diskFree replaced by the sandbox's disk size "
                              "and its writable layer's use where the engine's storage can tell them "
                              "(btrfs); netRxBytes and netTxBytes are Cove's.",
               .tag = "toolbox"});
    }
    r.add(route(verb::get, "/api/config", Access::anyKey(),
                [](RequestContext& c) -> awaitable<http::Response> {
                    const std::string base = "http://" + std::string(c.req[http::bhttp::field::host]);
                    co_return http::jsonResponse(
                        c.req, 200,
                        {{"version", kVersion},
                         {"oidc", {{"issuer", ""}, {"clientId", ""}, {"audience", ""}}},
                         {"linkedAccountsEnabled", false},
                         {"announcements", json::object()},
                         {"proxyTemplateUrl", base + "/preview/{{sandboxId}}/{{PORT}}"},
                         {"proxyToolboxUrl", base + "/toolbox"},
                         {"defaultSnapshot", "cove-base"},
                         {"dashboardUrl", base},
                         {"maxAutoArchiveInterval", 30 * 24 * 60},
                         {"maintananceMode", false},
                         {"environment", "local"}});
                }),
          {.summary = "What the SDK and dashboard read before they start: no analytics service here",
           .reply = "DaytonaConfiguration",
           .description = "Daytona's configuration with no analyticsApiUrl: the SDK's getMetrics then asks "
                          "/api/sandbox/{id}/telemetry/metrics. No OIDC: Cove takes API keys."});
}

} // namespace cove::api
