// The preview proxy: who may reach which sandbox port, the browser's cookie and warning page, and the
// relay itself (requests and responses re-framed by Beast's parsers and serializers, so bodies stream
// piece by piece and the client's connection can stay open for its next request).
#include "service/proxy/PreviewProxy.h"

#include "common/Pump.h"
#include "service/domain/SandboxService.h"
#include "service/engine/Engine.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace cove::proxy {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using api::awaitable;
using asio::ip::tcp;

namespace {

constexpr const char* kTokenHeader = "X-Daytona-Preview-Token";
constexpr const char* kTokenQuery = "DAYTONA_SANDBOX_AUTH_KEY";
constexpr const char* kSkipWarningHeader = "X-Daytona-Skip-Preview-Warning";
constexpr const char* kSkipActivityHeader = "X-Daytona-Skip-Last-Activity-Update";
constexpr const char* kDisableCorsHeader = "X-Daytona-Disable-CORS";
constexpr std::string_view kAuthCookiePrefix = "daytona-sandbox-auth-";
constexpr std::string_view kWarningCookie = "daytona-preview-page-accepted";
constexpr std::string_view kAcceptWarningPath = "/accept-daytona-preview-warning";
constexpr std::int64_t kAuthCookieSeconds = 3600;     // as Daytona's proxy
constexpr std::int64_t kWarningCookieSeconds = 86400; // as Daytona's proxy
constexpr auto kConnectTimeout = std::chrono::seconds(5);
constexpr auto kActivityInterval = std::chrono::seconds(50); // as Daytona's proxy, well inside a minute
constexpr std::size_t kSignedTokenLength = 56;
// What the path form serves runs, if a browser renders it at all, in an origin of its own: never as coved's.
constexpr const char* kPathFormSandbox =
    "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads";

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool headerIs(const http::Request& req, std::string_view name, std::string_view value) {
    return lower(req[name]) == value;
}

bool acceptsHtml(const http::Request& req) {
    return lower(req[bhttp::field::accept]).find("text/html") != std::string::npos;
}

// A browser loading a page (a tab, a frame), as opposed to a program or a page's fetch of data.
bool browserNavigation(const http::Request& req) {
    if (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head)
        return false;
    const std::string dest = lower(req["Sec-Fetch-Dest"]);
    return acceptsHtml(req) || lower(req["Sec-Fetch-Mode"]) == "navigate" || dest == "document" ||
           dest == "iframe" || dest == "frame" || dest == "embed" || dest == "object";
}

bool isUpgrade(const http::Request& req) {
    return !req[bhttp::field::upgrade].empty() &&
           bhttp::token_list{req[bhttp::field::connection]}.exists("upgrade");
}

// Calls `each` with every "name=value" pair of the request's Cookie headers.
template <class Each> void forEachCookie(const http::Request& req, Each each) {
    const auto [first, last] = req.equal_range(bhttp::field::cookie);
    for (auto h = first; h != last; ++h) {
        std::string_view rest = h->value();
        while (!rest.empty()) {
            const auto semi = rest.find(';');
            std::string_view pair = rest.substr(0, semi);
            rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
            while (!pair.empty() && pair.front() == ' ')
                pair.remove_prefix(1);
            if (!pair.empty())
                each(pair);
        }
    }
}

// The value of cookie `name`, if sent.
std::optional<std::string> cookie(const http::Request& req, std::string_view name) {
    std::optional<std::string> found;
    forEachCookie(req, [&](std::string_view pair) {
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name)
            found = std::string(pair.substr(eq + 1));
    });
    return found;
}

// The Cookie header the sandbox gets: the caller's cookies minus those of the preview itself.
std::string cookiesForSandbox(const http::Request& req) {
    std::string out;
    forEachCookie(req, [&](std::string_view pair) {
        if (pair.rfind(kAuthCookiePrefix, 0) != 0 && pair.rfind(kWarningCookie, 0) != 0)
            out += (out.empty() ? "" : "; ") + std::string(pair);
    });
    return out;
}

// The target without the query parameter `name` (as sent, still percent-encoded).
std::string withoutQueryParam(std::string_view target, std::string_view name) {
    const auto q = target.find('?');
    if (q == std::string_view::npos)
        return std::string(target);
    std::string kept;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view item = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        const std::string key = http::percentDecode(item.substr(0, item.find('=')), true);
        if (item.empty() || key == name)
            continue;
        kept += (kept.empty() ? "" : "&") + std::string(item);
    }
    return std::string(target.substr(0, q)) + (kept.empty() ? "" : "?" + kept);
}

} // namespace

// Where a preview request is addressed: the sandbox (or a signed token) and port, the prefix that names
// them in the path form ("" in the host form), and the target the sandbox sees.
struct PreviewProxy::Address {
    std::string idOrToken, port, root, target;
    bool hostForm = false;
};

namespace {

std::optional<PreviewProxy::Address> parseAddress(const http::Request& req) {
    PreviewProxy::Address a;
    // Host form: the first label is "<port>-<id or token>", and more labels follow.
    std::string host = lower(req[bhttp::field::host]);
    if (const auto colon = host.rfind(':'); colon != std::string::npos && host.find(']') == std::string::npos)
        host.resize(colon);
    const auto dot = host.find('.');
    const auto dash = host.find('-');
    if (dot != std::string::npos && dash != std::string::npos && dash < dot && dash > 0 &&
        host.find_first_not_of("0123456789") == dash &&
        host.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz-", dash) == dot && dot > dash + 1) {
        a.hostForm = true;
        a.port = host.substr(0, dash);
        a.idOrToken = host.substr(dash + 1, dot - dash - 1);
        a.target = std::string(req.target());
        if (a.target.empty() || a.target.front() != '/')
            a.target = "/" + a.target;
        return a;
    }
    // Path form: /preview/<id or token>/<port>/...
    const std::string_view target = req.target();
    constexpr std::string_view prefix = "/preview/";
    if (target.rfind(prefix, 0) != 0)
        return std::nullopt;
    const auto idEnd = target.find_first_of("/?", prefix.size());
    a.idOrToken = std::string(target.substr(prefix.size(), idEnd - prefix.size()));
    if (idEnd != std::string_view::npos && target[idEnd] == '/') {
        const auto portEnd = target.find_first_of("/?", idEnd + 1);
        a.port = std::string(target.substr(idEnd + 1, portEnd - idEnd - 1));
        a.root = std::string(target.substr(0, portEnd));
        a.target = portEnd == std::string_view::npos ? std::string() : std::string(target.substr(portEnd));
    }
    return a;
}

} // namespace

// One preview request on its way through: the client's connection, the request head (a copy, as the
// parser is handed to the relay), and what the checks found.
struct PreviewProxy::Exchange {
    tcp::socket& client;
    boost::beast::flat_buffer& buffer;
    bhttp::request_parser<bhttp::string_body>& parser;
    const http::Request head;
    std::string ip;
    Address address;
    int port = 0;
    bool keepAlive = false; // after the relay: the connection may carry another request
    api::Activity activity; // bytes moving either way keep the relay open
};

PreviewProxy::PreviewProxy(domain::SandboxService& sandboxes, engine::Engine& engine, api::ServerHooks hooks)
    : m_sandboxes(sandboxes)
    , m_engine(engine)
    , m_hooks(std::move(hooks)) {}

bool PreviewProxy::claims(const http::Request& head) const {
    return parseAddress(head).has_value();
}

namespace {

http::Response page(int status, const std::string& title, const std::string& body) {
    http::Response res{static_cast<bhttp::status>(status), 11};
    res.set(bhttp::field::content_type, "text/html; charset=utf-8");
    res.set(bhttp::field::cache_control, "no-store");
    res.body() = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                 "content=\"width=device-width, initial-scale=1\"><title>" +
                 http::escapeMarkup(title) +
                 "</title><style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem "
                 "auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.6rem "
                 "1.4rem}</style></head><body>" +
                 body + "</body></html>\n";
    res.prepare_payload();
    return res;
}

// An error as the client reads it: a page for a browser, Daytona's JSON for everyone else.
http::Response errorFor(const http::Request& req, const ApiError& e) {
    if (!acceptsHtml(req))
        return http::errorResponse(req, e);
    const std::string title = std::to_string(e.status) + " " + httpReasonPhrase(e.status);
    return page(e.status, title,
                "<h1>" + http::escapeMarkup(title) + "</h1><p>" + http::escapeMarkup(e.message) + "</p>");
}

http::Response redirect(const std::string& location, int status = 302) {
    http::Response res{static_cast<bhttp::status>(status), 11};
    res.set(bhttp::field::location, location);
    res.set(bhttp::field::cache_control, "no-store");
    res.prepare_payload();
    return res;
}

std::string setCookie(std::string_view name, const std::string& value, const std::string& path,
                      std::int64_t maxAge) {
    return std::string(name) + "=" + value + "; Path=" + path + "; Max-Age=" + std::to_string(maxAge) +
           "; HttpOnly; SameSite=Lax";
}

// The warning Daytona shows a browser before it first opens someone's preview.
http::Response warningPage(const http::Request& req, const std::string& root, const std::string& target) {
    const std::string shown = "http://" + std::string(req[bhttp::field::host]) + (root.empty() ? "" : root) +
                              withoutQueryParam(target, kTokenQuery);
    const std::string action = (root.empty() ? "" : root) + std::string(kAcceptWarningPath) +
                               "?redirect=" + http::percentEncode((root.empty() ? "" : root) + target, true);
    return page(200, "Preview URL warning",
                "<h1>Preview URL warning</h1><p>You are about to visit <strong>" + http::escapeMarkup(shown) +
                    "</strong>, a web server running in a Cove sandbox.</p><ul><li>Its content is whatever "
                    "that sandbox serves and may change without notice.</li><li>Only continue if you trust "
                    "whoever sent you this link.</li><li>Do not give it passwords or other personal "
                    "information you would not give its author.</li></ul><form method=\"POST\" action=\"" +
                    http::escapeMarkup(action) +
                    "\"><button type=\"submit\">I understand, continue</button></form><p><small>Programs "
                    "skip this page with the header <code>X-Daytona-Skip-Preview-Warning: "
                    "true</code>.</small></p>");
}

// `path` if it stays inside `inside` (a path ending in '/') on this origin, else `inside`. Browsers drop
// tabs and newlines from a Location and read a backslash as '/', so "/<tab>/evil.example" would be
// "//evil.example", another site: no control byte, space or backslash passes, nor a second leading slash.
// Bytes past ASCII are sent percent-encoded.
std::string sameOriginPath(std::string_view path, const std::string& inside) {
    if (!path.starts_with(inside) || path.starts_with("//"))
        return inside;
    std::string out;
    for (const char c : path) {
        const auto b = static_cast<unsigned char>(c);
        if (b <= 0x20 || b == 0x7f || c == '\\')
            return inside;
        out += b < 0x80 ? std::string(1, c) : http::percentEncode(std::string_view(&c, 1));
    }
    return out;
}

// The origin that serves this preview by host name ("http://<port>-<id>.localhost:<coved port>"), or none
// when coved was reached by an address no such name can point at.
std::optional<std::string> hostFormOrigin(const http::Request& req, const PreviewProxy::Address& a) {
    const std::string hostPort = lower(req[bhttp::field::host]);
    // "host", "host:port", "[v6]" or "[v6]:port".
    const auto bracket = hostPort.find(']');
    const auto colon = hostPort.find(':', bracket == std::string::npos ? 0 : bracket);
    const std::string host = hostPort.substr(0, colon);
    const std::string port = colon == std::string::npos ? std::string() : hostPort.substr(colon);
    if (host.empty())
        return std::nullopt;
    const bool ipLiteral = host.find_first_not_of("0123456789.") == std::string::npos || host.front() == '[';
    const bool loopback = host == "localhost" || host.rfind("127.", 0) == 0 || host == "[::1]";
    if (ipLiteral && !loopback)
        return std::nullopt;
    return "http://" + a.port + "-" + lower(a.idOrToken) + "." + (loopback ? "localhost" : host) + port;
}

// Whether `origin` is another port of the same preview's sandbox by host name: the only pages that may
// call this one with the user's credentials.
bool sameSandboxOrigin(std::string_view origin, const http::Request& req, const PreviewProxy::Address& a) {
    if (!a.hostForm)
        return false;
    const std::string host = lower(req[bhttp::field::host]);
    const std::string rest = "-" + a.idOrToken + host.substr(host.find('.'));
    constexpr std::string_view scheme = "http://";
    if (!origin.starts_with(scheme))
        return false;
    origin.remove_prefix(scheme.size());
    const auto digits = origin.find_first_not_of("0123456789");
    return digits != 0 && digits != std::string_view::npos && lower(origin.substr(digits)) == rest;
}

// CORS: any page may read what it could fetch without credentials; only the sandbox's own pages may send
// the user's (a cookie of another preview never serves a foreign page).
void allowOrigin(bhttp::fields& res, const http::Request& req, const PreviewProxy::Address& a) {
    const std::string_view origin = req[bhttp::field::origin];
    if (sameSandboxOrigin(origin, req, a)) {
        res.set(bhttp::field::access_control_allow_origin, origin);
        res.set(bhttp::field::access_control_allow_credentials, "true");
    } else {
        res.set(bhttp::field::access_control_allow_origin, "*");
        res.erase(bhttp::field::access_control_allow_credentials);
    }
    res.set(bhttp::field::vary, "Origin");
}

} // namespace

awaitable<bool> PreviewProxy::serve(tcp::socket& client, boost::beast::flat_buffer& buffer,
                                    bhttp::request_parser<bhttp::string_body>& parser, std::string clientIp) {
    const bool bodyPending = parser.chunked() || parser.content_length().value_or(0) > 0;
    Exchange x{client, buffer, parser, parser.get(), std::move(clientIp), *parseAddress(parser.get())};
    std::optional<http::Response> res;
    std::optional<ApiError> error;
    try {
        res = co_await handle(x);
    } catch (const ApiError& e) {
        error = e;
    } catch (const domain::DomainError& e) {
        error = api::toApiError(e);
    } catch (const engine::EngineError& e) {
        error = ApiError::unavailable(std::string("The container engine did not answer: ") + e.what());
    } catch (const std::exception& e) {
        error = ApiError::internal(std::string("Internal error: ") + e.what());
    }
    if (error)
        res = errorFor(x.head, *error);
    if (!res)
        co_return x.keepAlive;
    // Answered here, before the request's body (if any) was read: that connection ends with it.
    const bool again = x.head.keep_alive() && !bodyPending;
    res->keep_alive(again);
    if (!x.head[bhttp::field::origin].empty() && !headerIs(x.head, kDisableCorsHeader, "true"))
        allowOrigin(*res, x.head, x.address);
    if (!x.address.hostForm)
        res->insert("Content-Security-Policy", kPathFormSandbox);
    auto [wec, written] = co_await bhttp::async_write(client, *res, asio::as_tuple(asio::use_awaitable));
    (void)written;
    if (!wec && bodyPending)
        co_await api::drainBeforeClose(client);
    co_return again && !wec;
}

awaitable<std::optional<http::Response>> PreviewProxy::handle(Exchange& x) {
    const http::Request& req = x.head;
    const Address& a = x.address;
    const std::string& root = a.root;
    if (a.idOrToken.empty() || a.port.empty())
        throw ApiError::notFound("A preview URL is /preview/<sandboxId>/<port>/ or "
                                 "http://<port>-<sandboxId>.localhost:<coved port>/.");
    if (a.port.size() > 5 || a.port.find_first_not_of("0123456789") != std::string::npos)
        throw ApiError::badRequest("'" + a.port + "' is not a port number.");
    x.port = std::stoi(a.port);
    if (!portAllowed(x.port))
        throw ApiError::badRequest("Port " + a.port +
                                   " cannot be previewed: previews reach ports 3000-9999, 22222 (web "
                                   "terminal) and 33333 (recording dashboard).");
    const std::string portText = std::to_string(x.port);
    // The path form's root without a slash: relative links only work below "<root>/".
    if (!a.hostForm && (a.target.empty() || a.target.front() == '?'))
        co_return redirect(root + "/" + a.target, 308);

    const std::string_view path = http::pathOf(a.target);
    // Cookies are set only in the host form, for its whole origin.
    const std::string cookiePath = "/";
    // A browser opens a preview at its own origin, never at coved's: the path form shares coved's
    // origin with every other preview and with coved's own pages.
    const bool navigation = browserNavigation(req);
    if (!a.hostForm && navigation && !isUpgrade(req))
        if (const auto origin = hostFormOrigin(req, a))
            co_return redirect(*origin + a.target);
    if (req.method() == bhttp::verb::options && !req[bhttp::field::origin].empty() &&
        !req[bhttp::field::access_control_request_method].empty() &&
        !headerIs(req, kDisableCorsHeader, "true")) {
        http::Response res{bhttp::status::no_content, 11};
        res.set(bhttp::field::access_control_allow_methods, req[bhttp::field::access_control_request_method]);
        if (!req[bhttp::field::access_control_request_headers].empty())
            res.set(bhttp::field::access_control_allow_headers,
                    req[bhttp::field::access_control_request_headers]);
        res.set(bhttp::field::access_control_max_age, "600");
        co_return res;
    }
    if (req.method() == bhttp::verb::post && path == kAcceptWarningPath) {
        // Back to where the user was going, if that is inside this preview; else to its start.
        const std::string inside = a.hostForm ? "/" : root + "/";
        const auto back = http::singleQueryValue(a.target, "redirect");
        auto res = redirect(back.repeated ? inside : sameOriginPath(back.value.value_or(""), inside));
        if (a.hostForm) // no cookie on coved's own origin
            res.set(bhttp::field::set_cookie,
                    setCookie(kWarningCookie, "true", cookiePath, kWarningCookieSeconds));
        co_return res;
    }

    // Which sandbox: named, or by a signed token that also proves access.
    std::string sandboxId = a.idOrToken;
    bool authorized = false;
    if (a.idOrToken.size() == kSignedTokenLength && a.idOrToken.find('-') == std::string::npos) {
        const auto id = m_sandboxes.verifySignedPreviewToken(a.idOrToken, x.port);
        if (!id) {
            if (m_hooks.authFailed)
                m_hooks.authFailed(x.ip, std::string(req.method_string()), "preview port " + portText,
                                   m_hooks.limiter && m_hooks.limiter->authFailed(x.ip));
            throw ApiError::unauthorized(
                "This signed preview URL is invalid or has expired; ask for a new one.");
        }
        sandboxId = *id;
        authorized = true;
    }
    const auto sandbox = m_sandboxes.previewSandbox(sandboxId, false);
    if (!sandbox)
        throw ApiError::notFound("Sandbox '" + sandboxId + "' not found.");

    const auto query = http::parseQuery(a.target);
    const auto queryToken = query.find(kTokenQuery);
    const bool hasQueryToken = queryToken != query.end();
    if (!authorized && (!sandbox->isPublic || alwaysPrivate(x.port))) {
        const std::string header(req[kTokenHeader]);
        // Cookies reach the path form from any page of coved's origin: only the host form takes them.
        const auto authCookie =
            a.hostForm ? cookie(req, std::string(kAuthCookiePrefix) + sandbox->id) : std::nullopt;
        const auto auth = req[bhttp::field::authorization];
        constexpr std::string_view bearer = "Bearer ";
        bool presented = false;
        const auto tokenOk = [&](const std::string& t) {
            presented = true;
            return m_sandboxes.verifyPreviewToken(sandbox->id, x.port, t);
        };
        if (!header.empty())
            authorized = tokenOk(header);
        if (!authorized && hasQueryToken)
            authorized = tokenOk(queryToken->second);
        if (!authorized && authCookie) {
            presented = true;
            authorized = m_sandboxes.verifyPreviewCookie(sandbox->id, x.port, *authCookie);
        }
        if (!authorized && auth.size() > bearer.size() && auth.substr(0, bearer.size()) == bearer) {
            presented = true;
            const auto who = m_hooks.authenticate(std::string(auth.substr(bearer.size())));
            authorized = who && who->organizationId == sandbox->organizationId;
        }
        if (!authorized) {
            // An address that keeps presenting bad credentials is slowed down; a good one never is.
            if (const auto wait = m_hooks.limiter ? m_hooks.limiter->authBlocked(x.ip) : std::nullopt) {
                asio::steady_timer brake(co_await asio::this_coro::executor,
                                         domain::ConnectionLimits::kAuthBrakeDelay);
                co_await brake.async_wait(asio::as_tuple(asio::use_awaitable));
                auto res = errorFor(req, {429,
                                          "Too many failed authentications from " + x.ip + "; try again in " +
                                              std::to_string(*wait) + " s.",
                                          {}});
                res.set(bhttp::field::retry_after, std::to_string(*wait));
                co_return res;
            }
            if (presented && m_hooks.authFailed)
                m_hooks.authFailed(x.ip, std::string(req.method_string()), "preview port " + portText,
                                   m_hooks.limiter && m_hooks.limiter->authFailed(x.ip));
            throw ApiError::unauthorized(
                presented ? "The preview token is invalid for this sandbox; get the current one from GET "
                            "/api/sandbox/" +
                                sandbox->id + "/ports/" + portText + "/preview-url."
                          : "Sandbox '" + sandbox->name +
                                "' is private: send its preview token in the header X-Daytona-Preview-Token "
                                "(GET /api/sandbox/" +
                                sandbox->id + "/ports/" + portText +
                                "/preview-url gives it), or open a signed preview URL.");
        }
    }

    // A browser that brought the token in the address keeps it in a cookie instead, and the address
    // loses it (history, screenshots, the Referer header).
    if (hasQueryToken && navigation && a.hostForm) {
        auto res = redirect(withoutQueryParam(a.target, kTokenQuery));
        const std::string value = m_sandboxes.previewCookie(sandbox->id, x.port, kAuthCookieSeconds);
        res.set(bhttp::field::set_cookie, setCookie(std::string(kAuthCookiePrefix) + sandbox->id, value,
                                                    cookiePath, kAuthCookieSeconds));
        co_return res;
    }
    if (a.hostForm && navigation && !isUpgrade(req) && !headerIs(req, kSkipWarningHeader, "true") &&
        cookie(req, kWarningCookie) != "true" && !alwaysPrivate(x.port))
        co_return warningPage(req, root, a.target);

    if (sandbox->state != "started")
        throw ApiError::conflict("Sandbox '" + sandbox->name + "' is " + sandbox->state +
                                 "; start it to reach port " + portText + ".");
    tcp::socket upstream = co_await connectUpstream(sandbox->id, sandbox->container, x.port, sandbox->name);
    // The relay ends when nothing moved either way for a long while.
    using namespace asio::experimental::awaitable_operators;
    const std::chrono::steady_clock::duration idle = isUpgrade(req)
                                                         ? domain::ConnectionLimits::kWebSocketIdleTimeout
                                                         : domain::ConnectionLimits::kTunnelIdleTimeout;
    if (headerIs(req, kSkipActivityHeader, "true")) {
        const auto outcome = co_await (relay(x, upstream) || api::idleGuard(x.activity, idle));
        x.keepAlive = outcome.index() == 0 && std::get<0>(outcome);
        co_return std::nullopt;
    }
    // A long answer or an open WebSocket is activity for as long as it lasts, not just when it began.
    m_sandboxes.previewSandbox(sandbox->id, true);
    const auto outcome =
        co_await (relay(x, upstream) || keepActive(sandbox->id) || api::idleGuard(x.activity, idle));
    x.keepAlive = outcome.index() == 0 && std::get<0>(outcome);
    co_return std::nullopt;
}

awaitable<void> PreviewProxy::keepActive(std::string sandboxId) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
        timer.expires_after(kActivityInterval);
        auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        if (ec)
            co_return; // the request ended (cancelled as idleGuard is)
        try {
            m_sandboxes.previewSandbox(sandboxId, true);
        } catch (const std::exception& e) {
            // A busy store must not end the user's connection; the next tick tries again.
            std::fprintf(stderr, "coved: cannot record preview activity of %s: %s\n", sandboxId.c_str(),
                         e.what());
        } catch (const domain::DomainError&) {
            co_return; // the sandbox stopped or went: its previews end with it
        }
    }
}

awaitable<std::string> PreviewProxy::containerAddress(const std::string& sandboxId,
                                                      const std::string& container, bool refresh) {
    if (!refresh)
        if (const auto it = m_addresses.find(sandboxId); it != m_addresses.end())
            co_return it->second;
    const auto info = co_await m_engine.inspectContainer(container);
    const std::string ip = info ? info->ipAddress : std::string();
    if (ip.empty())
        m_addresses.erase(sandboxId);
    else
        m_addresses[sandboxId] = ip;
    co_return ip;
}

awaitable<tcp::socket> PreviewProxy::connectUpstream(const std::string& sandboxId,
                                                     const std::string& container, int port,
                                                     const std::string& name) {
    using namespace asio::experimental::awaitable_operators;
    const auto executor = co_await asio::this_coro::executor;
    std::string last;
    for (const bool refresh : {false, true}) {
        const std::string ip = co_await containerAddress(sandboxId, container, refresh);
        if (ip.empty())
            throw ApiError::badGateway("Sandbox '" + name + "' has no network address; restart it.");
        if (refresh && ip == last)
            break; // the address was right; the port is what is missing
        last = ip;
        boost::system::error_code aec;
        const auto address = asio::ip::make_address(ip, aec);
        if (aec)
            throw ApiError::badGateway("Sandbox '" + name + "' has an address Cove cannot use: " + ip + ".");
        tcp::socket socket(executor);
        asio::steady_timer timer(executor, kConnectTimeout);
        const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
        auto result = co_await (socket.async_connect(endpoint, asio::as_tuple(asio::use_awaitable)) ||
                                timer.async_wait(asio::as_tuple(asio::use_awaitable)));
        if (result.index() == 0 && !std::get<0>(std::get<0>(result))) {
            socket.set_option(tcp::no_delay(true), aec);
            co_return socket;
        }
        if (result.index() == 1)
            throw ApiError{504,
                           "Port " + std::to_string(port) + " of sandbox '" + name +
                               "' did not answer within " + std::to_string(kConnectTimeout.count()) + " s.",
                           {}};
    }
    throw ApiError::badGateway("Nothing listens on port " + std::to_string(port) + " in sandbox '" + name +
                               "'; start a server there that binds 0.0.0.0:" + std::to_string(port) +
                               " (not 127.0.0.1).");
}

namespace {

// Moves one message's body from `in` to `out` as it arrives: each piece the parser yields is written
// before the next is read (back-pressure both ways), re-framed by the serializer (chunked stays chunked).
template <bool isRequest, class In, class Out>
awaitable<boost::system::error_code>
relayBody(In& in, boost::beast::flat_buffer& inBuffer, bhttp::parser<isRequest, bhttp::buffer_body>& p,
          Out& out, bhttp::serializer<isRequest, bhttp::buffer_body>& sr, api::Activity& activity) {
    std::array<char, 64 * 1024> piece;
    // Beast reads into `inBuffer` at most its free room at a time (512 bytes when it has none): room
    // for a whole piece.
    inBuffer.reserve(piece.size());
    auto [hec, hn] = co_await bhttp::async_write_header(out, sr, asio::as_tuple(asio::use_awaitable));
    (void)hn;
    if (hec)
        co_return hec;
    for (;;) {
        if (!p.is_done()) {
            p.get().body().data = piece.data();
            p.get().body().size = piece.size();
            auto [ec, n] =
                co_await bhttp::async_read_some(in, inBuffer, p, asio::as_tuple(asio::use_awaitable));
            (void)n;
            if (ec == bhttp::error::need_buffer)
                ec = {};
            if (ec)
                co_return ec;
            activity.touch();
            const std::size_t got = piece.size() - p.get().body().size;
            if (got == 0 && !p.is_done())
                continue; // framing only (a chunk header); nothing to pass on yet
            p.get().body().size = got;
            p.get().body().data = piece.data();
            p.get().body().more = !p.is_done();
        } else {
            p.get().body().data = nullptr;
            p.get().body().size = 0;
            p.get().body().more = false;
        }
        auto [wec, w] = co_await bhttp::async_write(out, sr, asio::as_tuple(asio::use_awaitable));
        (void)w;
        if (wec == bhttp::error::need_buffer)
            wec = {};
        if (wec)
            co_return wec;
        if (!p.get().body().more)
            break;
    }
    co_return boost::system::error_code{};
}

// After a 101: raw bytes from one side to the other until the sender is done.
awaitable<void> pipe(tcp::socket& from, tcp::socket& to, bool cancelFrom, api::Activity& activity) {
    co_await splicePump(from, to, [&](std::size_t) { activity.touch(); });
    boost::system::error_code ignored;
    to.shutdown(tcp::socket::shutdown_send, ignored);
    if (cancelFrom)
        to.cancel(ignored); // the sandbox is done: stop waiting for more from the client
}

void stripHopByHop(bhttp::fields& f) {
    for (const auto field : {bhttp::field::keep_alive, bhttp::field::proxy_connection, bhttp::field::te,
                             bhttp::field::trailer, bhttp::field::upgrade, bhttp::field::proxy_authorization})
        f.erase(field);
}

} // namespace

awaitable<bool> PreviewProxy::relay(Exchange& x, tcp::socket& upstream) {
    const bool upgrade = isUpgrade(x.head);
    const bool expectContinue = headerIs(x.head, "Expect", "100-continue");
    const unsigned clientVersion = x.head.version();
    const std::string upgradeTo(x.head[bhttp::field::upgrade]);

    // The request as the sandbox gets it: its own path, none of the caller's credentials for Cove.
    bhttp::request_parser<bhttp::buffer_body> request(std::move(x.parser));
    request.body_limit(boost::none);
    auto& m = request.get();
    m.target(withoutQueryParam(x.address.target, kTokenQuery));
    const std::string cookies = cookiesForSandbox(x.head);
    stripHopByHop(m);
    for (const auto name : {kTokenHeader, kSkipWarningHeader, kSkipActivityHeader, kDisableCorsHeader})
        m.erase(name);
    m.erase(bhttp::field::authorization);
    m.erase(bhttp::field::expect);
    m.erase(bhttp::field::cookie);
    if (!cookies.empty())
        m.set(bhttp::field::cookie, cookies);
    m.set("X-Forwarded-For", x.ip);
    m.set("X-Forwarded-Host", x.head[bhttp::field::host]);
    m.set("X-Forwarded-Proto", "http");
    if (!x.address.hostForm)
        m.set("X-Forwarded-Prefix", x.address.root);
    m.version(11);
    if (upgrade) {
        m.set(bhttp::field::connection, "Upgrade");
        m.set(bhttp::field::upgrade, upgradeTo);
    } else {
        m.set(bhttp::field::connection, "close"); // one request per upstream connection
    }
    if (expectContinue && !request.is_done()) {
        auto [cec, cn] = co_await asio::async_write(x.client, asio::buffer(http::kContinue),
                                                    asio::as_tuple(asio::use_awaitable));
        (void)cn;
        if (cec)
            co_return false;
    }
    bhttp::request_serializer<bhttp::buffer_body> requestOut(m);
    const auto sent = co_await relayBody(x.client, x.buffer, request, upstream, requestOut, x.activity);
    // A sandbox may answer before it read the whole body (say, 413): its answer still goes out.
    const bool requestComplete = !sent && request.is_done();
    if (sent) {
        // The client stopped sending: the sandbox sees the request end where it did.
        boost::system::error_code ignored;
        upstream.shutdown(tcp::socket::shutdown_send, ignored);
    }

    boost::beast::flat_buffer upstreamBuffer;
    for (bool first = true;; first = false) {
        bhttp::response_parser<bhttp::buffer_body> response;
        response.header_limit(api::HttpServer::kMaxHeaderBytes);
        response.body_limit(boost::none);
        if (x.head.method() == bhttp::verb::head)
            response.skip(true);
        auto [hec, hn] = co_await bhttp::async_read_header(upstream, upstreamBuffer, response,
                                                           asio::as_tuple(asio::use_awaitable));
        (void)hn;
        if (hec) {
            if (!first)
                co_return false;
            auto res = errorFor(x.head, ApiError::badGateway("The server on port " + std::to_string(x.port) +
                                                             " closed the connection without answering (" +
                                                             hec.message() + ")."));
            res.keep_alive(false);
            co_await bhttp::async_write(x.client, res, asio::as_tuple(asio::use_awaitable));
            co_return false;
        }
        auto& r = response.get();
        const int status = r.result_int();
        if (status == 101 && upgrade) {
            bhttp::response_serializer<bhttp::buffer_body> head(r);
            auto [wec, wn] =
                co_await bhttp::async_write_header(x.client, head, asio::as_tuple(asio::use_awaitable));
            (void)wn;
            if (wec)
                co_return false;
            // What either side sent past its head belongs to the new protocol.
            if (upstreamBuffer.size() > 0)
                co_await asio::async_write(x.client, upstreamBuffer.data(),
                                           asio::as_tuple(asio::use_awaitable));
            if (x.buffer.size() > 0) {
                co_await asio::async_write(upstream, x.buffer.data(), asio::as_tuple(asio::use_awaitable));
                x.buffer.consume(x.buffer.size());
            }
            using namespace asio::experimental::awaitable_operators;
            co_await (pipe(x.client, upstream, false, x.activity) &&
                      pipe(upstream, x.client, true, x.activity));
            co_return false;
        }
        stripHopByHop(r);
        bool keepAlive = x.head.keep_alive() && requestComplete && !upgrade && status >= 200;
        // A body that ends when the sandbox closes is re-framed as chunks, so the client's connection
        // can outlive it.
        if (!response.is_done() && !response.chunked() && !response.content_length()) {
            if (clientVersion >= 11)
                r.chunked(true);
            else
                keepAlive = false;
        }
        r.version(clientVersion >= 11 ? 11 : 10);
        if (status >= 200)
            r.keep_alive(keepAlive);
        if (!x.head[bhttp::field::origin].empty() && !headerIs(x.head, kDisableCorsHeader, "true"))
            allowOrigin(r, x.head, x.address);
        if (!x.address.hostForm)
            r.insert("Content-Security-Policy", kPathFormSandbox);
        bhttp::response_serializer<bhttp::buffer_body> out(r);
        const auto ec = co_await relayBody(upstream, upstreamBuffer, response, x.client, out, x.activity);
        if (ec)
            co_return false;
        if (status < 200)
            continue; // an interim answer (103 Early Hints); the real one follows
        co_return keepAlive;
    }
}

} // namespace cove::proxy
