// /toolbox/{id}/...: tunnels a request (streamed bodies and WebSocket upgrades alike) to the sandbox's
// agent over the trusted unix-socket path, once coved has authenticated, admitted and audited it.
#include "common/Pump.h"
#include "service/api/HttpServer.h"
#include "service/api/Routes.h"
#include "service/domain/SandboxService.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <unistd.h>

#include <array>
#include <cstdlib>

namespace cove::api {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

using asio::local::stream_protocol;

} // namespace

std::string agentTarget(const http::Request& req, const Principal& who) {
    // A signed URL opens exactly what was signed: the agent gets a target made from the checked
    // operation and path alone, so nothing else the client put in the query (a second `path`, say, or
    // one spelled `pa%74h`) can reach it.
    if (who.grant.kind == Principal::Grant::Kind::SignedFile) {
        // A signed upload (the SDK's uploadUrl) is an ordinary single-file upload once checked here.
        const std::string op =
            who.grant.operation == "/files/upload-v2" ? "/files/upload" : who.grant.operation;
        return op + "?path=" + http::percentEncode(who.grant.path);
    }
    // Otherwise the path after /toolbox/{id} exactly as the client wrote it (still percent-encoded); a
    // key may use a signed upload's address too.
    const std::string_view target = req.target();
    const auto idEnd = target.find('/', std::string_view("/toolbox/").size()); // skip /toolbox/{id}
    std::string rest(idEnd == std::string_view::npos ? std::string_view("/") : target.substr(idEnd));
    if (rest.rfind("/files/upload-v2", 0) == 0)
        rest.replace(0, 16, "/files/upload");
    return rest;
}

bool toolboxRequestWrites(const http::Request& req) {
    if (req.method() != http::bhttp::verb::get && req.method() != http::bhttp::verb::head)
        return true;
    // WebSockets run a terminal, a desktop or code, except those that only follow a command's logs.
    return boost::beast::websocket::is_upgrade(req) && !http::pathOf(req.target()).ends_with("/logs");
}

namespace {

// The request head the agent gets: agentTarget(), the client's headers minus its key, and one request
// per connection. An `Expect: 100-continue` is coved's to answer (tunnel()).
std::string agentHead(const http::Request& req, const Principal& who) {
    const std::string rest = agentTarget(req, who);
    const bool upgrade = boost::beast::websocket::is_upgrade(req);
    std::string head = std::string(req.method_string()) + " " + rest + " HTTP/1.1\r\n";
    for (const auto& h : req) {
        // The caller's key stays here: the agent trusts coved, not the key.
        const auto f = h.name();
        if (f == http::bhttp::field::authorization || f == http::bhttp::field::host ||
            f == http::bhttp::field::connection || f == http::bhttp::field::keep_alive ||
            f == http::bhttp::field::proxy_authorization || f == http::bhttp::field::expect)
            continue;
        head += std::string(h.name_string()) + ": " + std::string(h.value()) + "\r\n";
    }
    head +=
        upgrade ? "Host: agent\r\nConnection: Upgrade\r\n\r\n" : "Host: agent\r\nConnection: close\r\n\r\n";
    return head;
}

// Client to agent: the rest of the request body, or a WebSocket's frames, with back-pressure (nothing
// more is read before the last piece was written). At the client's end of input the agent's side is shut.
awaitable<void> upstream(tcp::socket& client, stream_protocol::socket& agent, Activity& activity) {
    co_await splicePump(client, agent, [&](std::size_t) { activity.touch(); });
    boost::system::error_code ignored;
    agent.shutdown(stream_protocol::socket::shutdown_send, ignored);
}

// Agent to client, until the agent is done (it closes after its answer, or when the WebSocket ends).
// Returns the answer's status code, read off its status line: the first piece is read here, the rest
// spliced through (common/Pump.h).
awaitable<int> downstream(stream_protocol::socket& agent, tcp::socket& client, Activity& activity,
                          const std::function<void(int)>& answering) {
    std::array<char, 4096> first;
    std::size_t have = 0;
    int status = 0;
    // The status line, however the agent's writes cut it (at most its first 64 bytes matter).
    while (status == 0 && have < 64) {
        auto [ec, n] = co_await agent.async_read_some(asio::buffer(first.data() + have, first.size() - have),
                                                      asio::as_tuple(asio::use_awaitable));
        if (ec || n == 0)
            break;
        activity.touch();
        have += n;
        if (have >= 12 && std::string_view(first.data(), 5) == "HTTP/") {
            status = std::atoi(std::string(first.data() + 9, 3).c_str());
            if (answering)
                answering(status);
        }
    }
    bool open = have > 0;
    if (open) {
        auto [wec, w] = co_await asio::async_write(client, asio::buffer(first.data(), have),
                                                   asio::as_tuple(asio::use_awaitable));
        (void)w;
        open = !wec;
    }
    if (open && status != 0)
        co_await splicePump(agent, client, [&](std::size_t) { activity.touch(); });
    boost::system::error_code ignored;
    client.shutdown(tcp::socket::shutdown_send, ignored);
    client.cancel(ignored); // ends upstream's wait for more from the client
    co_return status == 0 ? 502 : status;
}

awaitable<http::Response> tunnel(domain::SandboxService& s, RequestContext& c) {
    const Caller caller = c.caller();
    if (toolboxRequestWrites(c.req) && !caller.who.hasScope(kWriteSandboxes))
        throw ApiError::forbidden(
            "This API key lacks the scope " + std::string(kWriteSandboxes) +
            ", which changing a sandbox through its toolbox needs; use a key that has it.");
    if (caller.who.grant.kind == Principal::Grant::Kind::ToolboxSockets &&
        !boost::beast::websocket::is_upgrade(c.req))
        throw ApiError::forbidden("A preview token opens the toolbox's WebSockets only; send an API key.");
    const int fd = co_await s.connectAgent(c.param("id"), caller);
    stream_protocol::socket agent(co_await asio::this_coro::executor);
    boost::system::error_code ec;
    agent.assign(stream_protocol(), fd, ec);
    if (ec) {
        ::close(fd);
        throw ApiError::internal("Cannot use the agent connection: " + ec.message());
    }
    // The head, then what the client sent past its header, then the stream both ways.
    const std::string head = agentHead(c.req, caller.who);
    auto [hec, hn] =
        co_await asio::async_write(agent, asio::buffer(head), asio::as_tuple(asio::use_awaitable));
    (void)hn;
    if (hec)
        throw ApiError::badGateway("The sandbox's agent dropped the request (" + hec.message() + ").");
    Tunnel& t = *c.tunnel;
    // The request was accepted and its agent is listening: a client waiting to send its body may.
    co_await http::continueIfExpected(*t.client, c.req);
    if (t.buffer->size() > 0) {
        auto [bec, bn] =
            co_await asio::async_write(agent, t.buffer->data(), asio::as_tuple(asio::use_awaitable));
        t.buffer->consume(bn);
        if (bec)
            throw ApiError::badGateway("The sandbox's agent dropped the request (" + bec.message() + ").");
    }
    t.streamed = true;
    using namespace asio::experimental::awaitable_operators;
    // A tunnel where nothing moved either way for a long while is ended (WebSockets ping to stay).
    Activity activity;
    const auto outcome = co_await (
        (upstream(*t.client, agent, activity) && downstream(agent, *t.client, activity, t.answering)) ||
        idleGuard(activity, boost::beast::websocket::is_upgrade(c.req)
                                ? domain::ConnectionLimits::kWebSocketIdleTimeout
                                : domain::ConnectionLimits::kTunnelIdleTimeout));
    const int status = outcome.index() == 0 ? std::get<0>(outcome) : 408;
    co_return http::Response{static_cast<http::bhttp::status>(status), 11};
}

} // namespace

void addToolboxRoutes(Router& r, domain::SandboxService& s) {
    for (const auto method : {http::bhttp::verb::get, http::bhttp::verb::post, http::bhttp::verb::put,
                              http::bhttp::verb::delete_, http::bhttp::verb::patch}) {
        Route route{
            method, "/toolbox/{id}/{*path}", Access::anyKey(),
            [&s](RequestContext& c) -> awaitable<http::Response> { co_return co_await tunnel(s, c); }};
        route.audit = {"", "sandbox", "id", toolboxAuditAction};
        route.tunnel = true;
        // Without a key: a signed file URL, or the sandbox's preview token (header, or query where a
        // browser cannot send headers).
        route.signedAuth = [&s](const RequestContext& c) -> std::optional<Principal> {
            if (c.queryValue("signature")) {
                // One of each, or the URL means two things: refused rather than guessed at.
                for (const char* key : {"path", "expires", "signature"})
                    if (c.query.count(key) != 1)
                        return std::nullopt;
                return s.verifySignedUrl(c.param("id"), std::string(c.req.method_string()),
                                         "/" + c.param("path"), c.queryValue("path").value_or(""),
                                         c.queryValue("expires").value_or(""),
                                         c.queryValue("signature").value_or(""));
            }
            // The browser SDK's WebSockets carry port 1's preview token; it opens nothing else here.
            if (!boost::beast::websocket::is_upgrade(c.req))
                return std::nullopt;
            const std::string header(c.req["X-Daytona-Preview-Token"]);
            const std::string token =
                header.empty() ? c.queryValue("DAYTONA_SANDBOX_AUTH_KEY").value_or("") : header;
            return s.verifyToolboxSocketToken(c.param("id"), token);
        };
        const bool writes = method != http::bhttp::verb::get;
        r.add(std::move(route),
              {.summary = writes ? "A call that changes the sandbox, tunnelled to its toolbox"
                                 : "A call that reads the sandbox, tunnelled to its toolbox",
               .reply = RouteDoc::kAny,
               .request = writes ? RouteDoc::kAny : "",
               .description =
                   "`{path}` is the rest of the path, slashes included: any route of the toolbox API "
                   "(Daytona's daemon API: process/execute, process/session, process/pty, files, git, "
                   "computeruse, system/metrics, ...), passed to the sandbox's agent as it is. Bodies and "
                   "answers stream; WebSocket upgrades pass through. " +
                   std::string(writes ? "Besides a key of the organization this needs the scope "
                                        "write:sandboxes; a signed upload URL also opens its one upload."
                                      : "Any key of the organization reads; a WebSocket (terminals, "
                                        "desktops, code; not a command's logs) needs write:sandboxes, or "
                                        "port 1's preview token. A signed download URL opens its one "
                                        "download."),
               .alsoAuth = {"signedUrl", "previewToken"}});
    }
}

} // namespace cove::api
