// Route matching, query parsing and request helpers.
#include "service/api/Route.h"

#include "service/api/Routes.h"

#include "common/JsonLimits.h"
#include "common/PathMatch.h"

#include <algorithm>
#include <cctype>

namespace cove::api {

std::optional<std::string> RequestContext::queryValue(const std::string& name) const {
    const auto it = query.find(name);
    if (it == query.end())
        return std::nullopt;
    return it->second;
}

Caller RequestContext::caller() const {
    // The Host header names the address the client reached; echo it back only if it looks like one.
    const std::string_view host = req[http::bhttp::field::host];
    const bool plausible =
        !host.empty() && host.size() < 256 && std::all_of(host.begin(), host.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == ':' || c == '-' ||
                   c == '[' || c == ']';
        });
    // Where the request came from, for the audit log: the SDKs say so, the dashboard says so, and
    // anything else with a command-line user agent is the CLI.
    const std::string_view daytonaSource = req["X-Daytona-Source"];
    const std::string_view coveSource = req["X-Cove-Source"];
    const std::string userAgent(req[http::bhttp::field::user_agent].substr(0, 256));
    std::string source = "api";
    if (daytonaSource.substr(0, 3) == "sdk")
        source = "sdk";
    else if (coveSource == "dashboard")
        source = "dashboard";
    else if (userAgent.rfind("curl/", 0) == 0 || userAgent.rfind("Wget/", 0) == 0 || coveSource == "cli")
        source = "cli";
    return {*principal, clientIp,  plausible ? "http://" + std::string(host) : std::string(),
            source,     userAgent, trail};
}

json RequestContext::jsonBody() const {
    if (req.body().empty())
        return json::object();
    auto parsed = parseUntrustedJson(req.body());
    if (!parsed.value)
        throw ApiError::badRequest("The request body is not valid JSON: " + parsed.error + ".");
    json j = std::move(*parsed.value);
    if (!j.is_object())
        throw ApiError::badRequest("The request body must be a JSON object.");
    return j;
}

Router::Match Router::match(http::bhttp::verb method, std::string_view path) const {
    Match result;
    const auto segs = http::splitPath(path);
    for (const auto& r : m_routes) {
        std::map<std::string, std::string> params;
        if (!http::matchPath(segs, r.pattern, params))
            continue;
        if (r.method != method) {
            result.pathKnown = true;
            continue;
        }
        result.route = &r;
        result.params = std::move(params);
        return result;
    }
    return result;
}

Route syncRoute(http::bhttp::verb method, std::string pattern, Access access, SyncBody body,
                AuditSpec audit) {
    Route r{method, std::move(pattern), std::move(access),
            [body = std::move(body)](RequestContext& c) -> awaitable<http::Response> {
                const Caller caller = c.caller();
                co_return http::jsonResponse(c.req, 200, body(c, caller));
            }};
    r.audit = std::move(audit);
    return r;
}

Route asyncRoute(http::bhttp::verb method, std::string pattern, Access access, AsyncBody body,
                 AuditSpec audit, RateClass rate) {
    Route r{method, std::move(pattern), std::move(access),
            [body = std::move(body)](RequestContext& c) -> awaitable<http::Response> {
                const Caller caller = c.caller();
                const json result = co_await body(c, caller);
                co_return http::jsonResponse(c.req, 200, result);
            }};
    r.audit = std::move(audit);
    r.rate = rate;
    return r;
}

} // namespace cove::api
