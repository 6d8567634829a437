// /toolbox/{id}/...: forwards a request to the sandbox's agent over the trusted unix-socket path.
#include "service/api/Routes.h"
#include "service/core/SandboxService.h"

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>

namespace cove::api {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

// Toolbox answers can be file contents; streaming large ones is the toolbox's own business later.
constexpr std::size_t kMaxAgentReply = 256u << 20;

static awaitable<http::Response> forward(core::SandboxService& s, RequestContext& c) {
    const Caller caller = c.caller();
    const int fd = co_await s.connectAgent(c.param("id"), caller);
    asio::local::stream_protocol::socket agent(co_await asio::this_coro::executor);
    boost::system::error_code ec;
    agent.assign(asio::local::stream_protocol(), fd, ec);
    if (ec) {
        ::close(fd);
        throw ApiError::internal("Cannot use the agent connection: " + ec.message());
    }

    const std::string_view target = c.req.target();
    const auto q = target.find('?');
    http::Request out{
        c.req.method(),
        "/" + c.param("path") + std::string(q == std::string_view::npos ? "" : target.substr(q)), 11};
    for (const auto& h : c.req) {
        // The caller's key stays here: the agent trusts coved, not the key.
        if (h.name() == bhttp::field::authorization || h.name() == bhttp::field::host ||
            h.name() == bhttp::field::connection || h.name() == bhttp::field::content_length)
            continue;
        out.set(h.name_string(), h.value());
    }
    out.set(bhttp::field::host, "agent");
    out.body() = c.req.body();
    out.keep_alive(false);
    out.prepare_payload();

    auto x = co_await http::exchange(agent, out, kMaxAgentReply);
    if (x.error)
        throw ApiError::badGateway("The sandbox's agent dropped the request (" + x.error.message() + ").");
    auto& reply = x.response;
    http::Response res{reply.result(), c.req.version()};
    for (const auto& h : reply) {
        if (h.name() == bhttp::field::connection || h.name() == bhttp::field::content_length ||
            h.name() == bhttp::field::transfer_encoding)
            continue;
        res.set(h.name_string(), h.value());
    }
    res.body() = std::move(reply.body());
    res.prepare_payload();
    co_return res;
}

void addToolboxRoutes(Router& r, core::SandboxService& s) {
    for (const auto method :
         {bhttp::verb::get, bhttp::verb::post, bhttp::verb::put, bhttp::verb::delete_, bhttp::verb::patch}) {
        Route route{
            method, "/toolbox/{id}/{*path}", Access::anyKey(),
            [&s](RequestContext& c) -> awaitable<http::Response> { co_return co_await forward(s, c); }};
        route.audit = {"", "sandbox", "id", toolboxAuditAction};
        r.add(std::move(route));
    }
}

} // namespace cove::api
