// The web terminal: a token route (an API key buys a short-lived token for one sandbox's terminal), the
// page and its scripts (public: static files with no secrets in them), and the terminal's WebSocket,
// which checks the token and the page's Origin, then bridges to a PTY in the sandbox's agent.
//
// The token reaches the page in the URL fragment (never sent to a server, removed from the address bar
// by the page) or, in the dashboard, injected by the app; the page hands it over once, on the socket.
#include "service/api/TerminalRoutes.h"

#include "service/api/Routes.h"
#include "service/domain/SandboxService.h"
#include "service/domain/SshAccess.h"
#include "service/domain/TerminalTokens.h"
#include "service/proxy/TerminalBridge.h"
#include "service/web/WebAssets.h"

#include "common/Random.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <unistd.h>

#include <charconv>

namespace cove::api {

namespace asio = boost::asio;
using domain::TerminalTokens;

namespace {

// Typed input counts as activity (auto-stop) at most this often.
constexpr std::chrono::seconds kActivityEvery{30};

// Pages allowed to open a terminal socket: coved's own (at the address this connection reached, and as
// localhost when that is a loopback address) and the dashboard's local pages. A browser always sends
// Origin on a WebSocket; a client without one is no browser, so no page can be riding on a user's
// session (and it still needs a token).
bool originAllowed(const RequestContext& c) {
    const std::string_view origin = c.req[http::bhttp::field::origin];
    if (origin.empty() || origin == "file://" || origin.rfind("qrc:", 0) == 0)
        return true;
    boost::system::error_code ec;
    const auto local = c.tunnel->client->local_endpoint(ec);
    if (ec)
        return false;
    const std::string port = ":" + std::to_string(local.port());
    const auto addr = local.address();
    const std::string host = addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string();
    if (origin == "http://" + host + port)
        return true;
    return addr.is_loopback() && origin == "http://localhost" + port;
}

unsigned sizeParam(const RequestContext& c, const char* name, unsigned fallback) {
    const auto text = c.queryValue(name);
    if (!text)
        return fallback;
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || end != text->data() + text->size() || v < 1 || v > 1000)
        throw ApiError::badRequest(std::string("'") + name + "' must be a number between 1 and 1000.");
    return v;
}

// One REST call to the sandbox's agent.
awaitable<http::Exchange> agentCall(domain::SandboxService& s, std::string sandboxId, Caller caller,
                                    verb method, std::string target, std::string body) {
    const int fd = co_await s.connectAgent(sandboxId, caller);
    asio::local::stream_protocol::socket agent(co_await asio::this_coro::executor);
    boost::system::error_code ec;
    agent.assign(asio::local::stream_protocol(), fd, ec);
    if (ec) {
        ::close(fd);
        throw ApiError::internal("Cannot use the agent connection: " + ec.message());
    }
    http::Request req{method, target, 11};
    req.set(http::bhttp::field::host, "agent");
    req.set(http::bhttp::field::content_type, "application/json");
    req.body() = std::move(body);
    req.prepare_payload();
    auto x = co_await http::exchange(agent, req, 1 << 20);
    co_return x;
}

// A terminal whose page went away waits kResumeWindow for it; then its shell is ended.
awaitable<void> endUnlessResumed(domain::SandboxService& s, std::shared_ptr<TerminalTokens> tokens,
                                 std::string resumeToken, std::string sandboxId, Caller caller,
                                 std::string ptyId) {
    asio::steady_timer wait(co_await asio::this_coro::executor, TerminalTokens::kResumeWindow);
    auto [ec] = co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
    (void)ec;
    if (!tokens->pending(resumeToken))
        co_return;
    tokens->revoke(resumeToken);
    try {
        auto killing = agentCall(s, sandboxId, caller, verb::delete_, "/process/pty/" + ptyId, {});
        co_await std::move(killing);
    } catch (...) {
        // The sandbox stopped or went: its shell went with it.
    }
}

awaitable<http::Response> openTerminal(domain::SandboxService& s, std::shared_ptr<TerminalTokens> tokens,
                                       RequestContext& c) {
    if (!boost::beast::websocket::is_upgrade(c.req))
        throw ApiError::badRequest("This is the terminal's WebSocket; open /terminal/" + c.param("id") +
                                   " in a browser instead.");
    if (!originAllowed(c))
        throw ApiError::forbidden("Pages from " + std::string(c.req[http::bhttp::field::origin]) +
                                  " may not open Cove terminals.");
    const auto grant = tokens->redeem(c.queryValue("token").value_or(""), c.param("id"));
    if (!grant)
        throw ApiError::unauthorized("The terminal token is missing, invalid, used or expired; open the "
                                     "terminal again from Cove (POST /api/sandbox/{id}/terminal-token).");
    const unsigned cols = sizeParam(c, "cols", 80);
    const unsigned rows = sizeParam(c, "rows", 24);
    c.principal = grant->who;
    const Caller caller = c.caller();
    const std::string sandboxId = grant->sandboxId;

    proxy::TerminalLink link;
    const bool resume = !grant->ptyId.empty();
    link.sessionId = resume ? grant->ptyId : "cove-terminal-" + randomHex(8);
    link.agentTarget = resume ? "/process/pty/" + link.sessionId + "/connect"
                              : "/process/pty/create-connect?id=" + link.sessionId +
                                    "&cols=" + std::to_string(cols) + "&rows=" + std::to_string(rows);
    link.agentFd = co_await s.connectAgent(sandboxId, caller); // 404, 409 and 502 answer the upgrade
    std::string resumeToken;
    link.connected = [&resumeToken, &tokens, &grant, sandboxId, id = link.sessionId] {
        resumeToken = tokens->issueResume(sandboxId, grant->who, id);
        return resumeToken;
    };
    link.resize = [&s, sandboxId, caller, id = link.sessionId](unsigned w, unsigned h) -> awaitable<void> {
        const json body{{"cols", w}, {"rows", h}};
        auto call =
            agentCall(s, sandboxId, caller, verb::post, "/process/pty/" + id + "/resize", body.dump());
        const auto x = co_await std::move(call);
        if (x.error || x.response.result_int() != 200)
            throw ApiError::badGateway("The terminal was not resized.");
    };
    auto lastActivity = std::chrono::steady_clock::now();
    link.activity = [&] {
        const auto now = std::chrono::steady_clock::now();
        if (now - lastActivity < kActivityEvery)
            return;
        lastActivity = now;
        try {
            s.touch(sandboxId, caller);
        } catch (...) {
            // Gone meanwhile: the socket ends on its own.
        }
    };
    const std::string sessionId = link.sessionId;
    auto bridging = proxy::bridgeTerminal(*c.tunnel, c.req, std::move(link));
    const proxy::TerminalEnd end = co_await std::move(bridging);
    if (!resumeToken.empty()) {
        if (end == proxy::TerminalEnd::ShellExited) {
            tokens->revoke(resumeToken);
        } else {
            // The page may come back with its resume token; if it doesn't, the shell is ended.
            tokens->release(resumeToken);
            asio::co_spawn(c.tunnel->client->get_executor(),
                           endUnlessResumed(s, tokens, resumeToken, sandboxId, caller, sessionId),
                           asio::detached);
        }
    }
    co_return http::Response{http::bhttp::status::switching_protocols, 11};
}

http::Response staticResponse(const http::Request& req, const web::Asset& a, const char* cacheControl) {
    http::Response res{http::bhttp::status::ok, req.version()};
    res.set(http::bhttp::field::content_type, a.contentType);
    res.set(http::bhttp::field::cache_control, cacheControl);
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    res.keep_alive(req.keep_alive());
    res.body() = std::string(a.body);
    res.prepare_payload();
    return res;
}

} // namespace

void addTerminalRoutes(Router& r, domain::SandboxService& s, const Clock& clock) {
    auto tokens = std::make_shared<TerminalTokens>(clock);

    r.add(syncRoute(
              verb::post, "/api/sandbox/{id}/terminal-token", Access::scoped(kWriteSandboxes),
              [&s, tokens](RequestContext& c, const Caller& caller) -> json {
                  const json sandbox = s.get(c.param("id"), caller);
                  const std::string state = sandbox.value("state", "");
                  const std::string id = sandbox.value("id", "");
                  if (state != "started")
                      throw ApiError::conflict("Sandbox '" + sandbox.value("name", id) + "' is " + state +
                                               "; start it to open a terminal.");
                  const auto issued = tokens->issue(id, caller.who);
                  std::string socketUrl = caller.baseUrl;
                  if (socketUrl.rfind("http", 0) == 0)
                      socketUrl.replace(0, 4, "ws");
                  return {{"token", issued.token},
                          {"url", caller.baseUrl + "/terminal/" + id + "#token=" + issued.token},
                          {"socketUrl", socketUrl + "/terminal/" + id + "/socket"},
                          {"sandboxId", id},
                          {"expiresAt", toIso8601(issued.expiresAt)}};
              },
              AuditSpec{"create_ssh_access", "sandbox", "id"}),
          {.summary = "A one-use token (60 s) for the sandbox's web terminal",
           .reply = "TerminalToken",
           .request = RouteDoc::kNoBody,
           .tag = "terminal"});

    // SSH access, as Daytona's: a token that is the user name of `ssh <token>@host` (the gateway,
    // SshGateway).
    domain::SshAccess& ssh = s.sshAccess();
    r.add(syncRoute(
              verb::post, "/api/sandbox/{id}/ssh-access", Access::scoped(kWriteSandboxes),
              [&ssh](RequestContext& c, const Caller& caller) -> json {
                  return ssh.create(c.param("id"), c.queryValue("expiresInMinutes"), caller);
              },
              AuditSpec{"create_ssh_access", "sandbox", "id"}),
          {.summary = "Create SSH access for the sandbox",
           .reply = "SshAccessDto",
           .request = RouteDoc::kNoBody,
           .query = {{"expiresInMinutes", "integer",
                      "minutes the token lasts (default 60, at most " +
                          std::to_string(domain::SshLimits::kMaxExpiryMinutes) + ")"}},
           .tag = "sandbox"});
    r.add(syncRoute(
              verb::delete_, "/api/sandbox/{id}/ssh-access", Access::scoped(kWriteSandboxes),
              [&ssh](RequestContext& c, const Caller& caller) -> json {
                  return ssh.revoke(c.param("id"), c.queryValue("token"), caller);
              },
              AuditSpec{"revoke_ssh_access", "sandbox", "id"}),
          {.summary = "Revoke SSH access for the sandbox: one token, or all of them",
           .reply = "Sandbox",
           .request = RouteDoc::kNoBody,
           .query = {{"token", "string", "the token to revoke; absent: every token of the sandbox"}},
           .tag = "sandbox"});
    r.add(syncRoute(verb::get, "/api/sandbox/ssh-access/validate", Access::anyKey(),
                    [&ssh](RequestContext& c, const Caller& caller) -> json {
                        const auto token = c.queryValue("token");
                        if (!token || token->empty())
                            throw ApiError::badRequest("Pass the SSH access token to check as ?token=.");
                        return ssh.validate(*token, caller);
                    }),
          {.summary = "Whether an SSH access token is valid (only your organization's tokens are)",
           .reply = "SshAccessValidationDto",
           .query = {{"token", "string", "the SSH access token"}},
           .tag = "sandbox"});

    // The page is the same for every sandbox and holds no secret: it is public, framed by nobody.
    r.add({verb::get, "/terminal/{id}", Access::publicRoute(),
           [](RequestContext& c) -> awaitable<http::Response> {
               http::Response res = staticResponse(c.req, web::terminalPage(), "no-store");
               res.set("Content-Security-Policy",
                       "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                       "connect-src 'self' ws: wss:; img-src 'self' data:; font-src 'self' data:; "
                       "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
               co_return res;
           }},
          {.summary = "The web terminal's page (token in the fragment)", .reply = RouteDoc::kHtml});
    r.add({verb::get, "/web/{name}", Access::publicRoute(),
           [](RequestContext& c) -> awaitable<http::Response> {
               const web::Asset* a = web::asset(c.param("name"));
               if (!a)
                   throw ApiError::notFound("No web asset '" + c.param("name") + "'.");
               co_return staticResponse(c.req, *a, "no-cache");
           }},
          {.summary = "The web terminal's scripts and styles", .reply = RouteDoc::kBinary});

    Route socket{verb::get, "/terminal/{id}/socket", Access::inBand(),
                 [&s, tokens](RequestContext& c) -> awaitable<http::Response> {
                     co_return co_await openTerminal(s, tokens, c);
                 }};
    socket.tunnel = true; // the handler answers the upgrade itself, after checking token and Origin
    r.add(std::move(socket), {.summary = "The web terminal's WebSocket",
                              .reply = RouteDoc::kWebSocket,
                              .query = {{"token", "string", "from POST /api/sandbox/{id}/terminal-token"}},
                              .description = "Checks the terminal token and the page's Origin."});
}

} // namespace cove::api
