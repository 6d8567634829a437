// The route table's types: every route declares who may call it (public, any valid key, or a scope).
#pragma once

#include "common/ApiError.h"
#include "common/Http.h"
#include "common/Url.h"
#include "service/domain/Caller.h"
#include "service/domain/DomainError.h"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cove::api {

// An HTTP method, as the route tables name it (verb::get).
using verb = http::bhttp::verb;

// A domain error as the client reads it: its status, message, code and field.
inline ApiError toApiError(const domain::DomainError& e) {
    return ApiError{e.status(), e.message, e.code, e.field};
}

using boost::asio::awaitable;
using nlohmann::json;

using domain::AuditTrail;
using domain::Caller;
using domain::kDeleteRegistries;
using domain::kDeleteSandboxes;
using domain::kDeleteSnapshots;
using domain::kDeleteVolumes;
using domain::kManageSecrets;
using domain::kReadAuditLogs;
using domain::kReadVolumes;
using domain::kWriteRegistries;
using domain::kWriteSandboxes;
using domain::kWriteSnapshots;
using domain::kWriteVolumes;
using domain::Principal;

struct Access {
    // Undeclared is refused at run time and by the route-table test: every route must say who may call it.
    // InBand routes authenticate inside their own protocol (the event channel's CONNECT packet).
    // Admin routes need the admin key (every scope): changing tiers and quotas.
    enum class Kind { Undeclared, Public, AnyKey, Scope, InBand, Admin } kind = Kind::Undeclared;
    std::string scope;

    static Access publicRoute() { return {Kind::Public, {}}; }
    static Access anyKey() { return {Kind::AnyKey, {}}; }
    static Access admin() { return {Kind::Admin, {}}; }
    static Access inBand() { return {Kind::InBand, {}}; }
    static Access scoped(std::string s) { return {Kind::Scope, std::move(s)}; }
};

// A tunnelled request's connection: the route reads the rest of the request from the client itself and
// writes the answer itself (streamed bodies, WebSocket upgrades). `status` is what it answered.
struct Tunnel {
    boost::asio::ip::tcp::socket* client = nullptr;
    boost::beast::flat_buffer* buffer = nullptr; // bytes already read past the header
    bool streamed = false;                       // the answer went out; the connection is spent
    // Called with the answer's status before its first byte goes to the client, so the request's audit
    // row exists before the client can send its next request.
    std::function<void(int status)> answering;
};

// What a mutating route's audit row says: Daytona's action and target type, and which path parameter
// names the target (empty: the target is the caller's organization, or made by the request). A route
// whose action depends on the request (the toolbox) resolves it; nothing means "not audited" (a read).
struct AuditSpec {
    std::string action, targetType, targetParam;
    std::function<std::optional<std::string>(const struct RequestContext&)> resolveAction = {};
};

// Which rate-limit buckets a request counts against besides the general one.
enum class RateClass { General, Create, Lifecycle };

struct RequestContext {
    const http::Request& req;
    std::map<std::string, std::string> params;     // from {name} segments of the pattern
    std::multimap<std::string, std::string> query; // decoded query string
    std::optional<Principal> principal;            // empty on public routes
    std::string clientIp;
    AuditTrail* trail = nullptr;
    Tunnel* tunnel = nullptr; // set on tunnel routes only

    const std::string& param(const std::string& name) const { return params.at(name); }
    std::optional<std::string> queryValue(const std::string& name) const;
    domain::ListQuery listQuery() const { return {query}; }
    // Requires an authenticated route.
    Caller caller() const;
    // The body as a JSON object; an empty body is {}. Throws ApiError 400 on anything else.
    json jsonBody() const;
};

// What GET /api/openapi.json says about a route (OpenApi.cpp turns it into an operation). Its strings are
// names: `request` and `reply` name a schema of OpenApi.cpp's components ("Sandbox"; "Sandbox[]" for an
// array of them) or one of the kinds below.
struct QueryParam {
    std::string name;
    std::string type = "string"; // string, integer, boolean, date-time; "string[]": the key may repeat
    std::string description = {};
};
struct RouteDoc {
    // Request bodies besides a schema's name: none at all, a file's bytes (plain or multipart/form-data),
    // or whatever the client sends (tunnels).
    static constexpr const char* kNoBody = "none";
    static constexpr const char* kUpload = "upload";
    static constexpr const char* kAny = "any";
    // Replies besides a schema's name: "{}" (an empty object), nothing (with a 204), text/plain,
    // application/octet-stream, an HTML page, S3's XML, whatever the target answers, a WebSocket upgrade.
    static constexpr const char* kEmpty = "{}";
    static constexpr const char* kNothing = "none";
    static constexpr const char* kText = "text";
    static constexpr const char* kBinary = "binary";
    static constexpr const char* kHtml = "html";
    static constexpr const char* kXml = "xml";
    static constexpr const char* kWebSocket = "websocket";

    std::string summary;
    std::string reply;        // required: a schema name or one of the kinds above
    std::string request = {}; // required on POST, PUT, PATCH and DELETE: a schema name or a kind above
    std::vector<QueryParam> query = {};
    std::string description = {}; // more than the summary: what to know before calling
    int status = 200;             // of a successful answer
    std::string tag = {};         // unset: from the path (/api/<tag>/...)
    // Other proofs of access than an API key that the route takes (Route::signedAuth): names of the
    // document's security schemes.
    std::vector<std::string> alsoAuth = {};
};

using Handler = std::function<awaitable<http::Response>(RequestContext&)>;
// Takes over a connection whose request asked for a WebSocket upgrade.
using UpgradeHandler = std::function<void(boost::asio::ip::tcp::socket, http::Request)>;

struct Route {
    http::bhttp::verb method;
    std::string pattern; // "/api/sandbox/{id}"; a final "{*rest}" takes the remaining path
    Access access;
    Handler handler;
    UpgradeHandler upgrade = {}; // set on WebSocket routes
    AuditSpec audit = {};        // required on POST/PUT/PATCH/DELETE (the route-table test checks)
    RateClass rate = RateClass::General;
    // The body is not read for the handler: it gets the connection (RequestContext::tunnel) once the
    // caller is authenticated and admitted.
    bool tunnel = false;
    // For requests with no Authorization header: another proof of access (a signed URL), or nothing.
    std::function<std::optional<Principal>(const RequestContext&)> signedAuth = {};
    // Its refusals in the form its clients read (an S3 client wants XML), made from Cove's JSON error;
    // unset, the JSON goes out as it is.
    std::function<http::Response(const http::Request&, const http::Response&)> renderError = {};
    RouteDoc doc = {}; // what the OpenAPI document says of it (tst_openapi requires it)
};

class Router {
public:
    void add(Route r) { m_routes.push_back(std::move(r)); }
    // A route with what the OpenAPI document says of it.
    void add(Route r, RouteDoc doc) {
        r.doc = std::move(doc);
        m_routes.push_back(std::move(r));
    }
    const std::vector<Route>& routes() const { return m_routes; }

    struct Match {
        const Route* route = nullptr;
        std::map<std::string, std::string> params;
        bool pathKnown = false; // some route has this path, with another method (405)
    };
    Match match(http::bhttp::verb method, std::string_view path) const;

private:
    std::vector<Route> m_routes;
};

using http::parseQuery;
using http::percentDecode;

} // namespace cove::api
