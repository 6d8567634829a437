// Serves the toolbox API over the unix socket coved connects to.
#include "agent/AgentServer.h"

#include "common/Http.h"
#include "cove/Version.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <functional>
#include <map>

namespace cove::agent {

namespace asio = boost::asio;
using asio::local::stream_protocol;
using http::Request;
using http::Response;

// The largest request the agent reads whole; file uploads stream and are not bound by this.
constexpr std::size_t kMaxRequestBody = 1 << 20;

struct AgentServer::Impl {
    asio::io_context& io;
    AgentConfig config;
    stream_protocol::acceptor acceptor;
    std::map<std::string, std::function<Response(const Request&)>> getRoutes;

    Impl(asio::io_context& io_, AgentConfig c)
        : io(io_)
        , config(std::move(c))
        , acceptor(io_) {
        getRoutes["/version"] = [](const Request& r) {
            return http::jsonResponse(r, 200, {{"version", kVersion}});
        };
        getRoutes["/user-home-dir"] = [this](const Request& r) {
            return http::jsonResponse(r, 200, {{"dir", config.user.home}});
        };
        getRoutes["/work-dir"] = [this](const Request& r) {
            return http::jsonResponse(r, 200, {{"dir", config.workDir}});
        };
    }

    Response handle(const Request& req) {
        const std::string path(http::pathOf(req.target()));
        if (req.method() == http::bhttp::verb::get) {
            if (auto it = getRoutes.find(path); it != getRoutes.end())
                return it->second(req);
        }
        return http::errorResponse(req,
                                   ApiError::notFound("The toolbox has no route " +
                                                      std::string(req.method_string()) + " " + path + "."));
    }

    asio::awaitable<void> serve(stream_protocol::socket socket) {
        boost::beast::flat_buffer buffer;
        boost::system::error_code ec;
        for (;;) {
            http::bhttp::request_parser<http::bhttp::string_body> parser;
            parser.body_limit(kMaxRequestBody);
            co_await http::bhttp::async_read(socket, buffer, parser,
                                             asio::redirect_error(asio::use_awaitable, ec));
            if (ec)
                co_return;
            Request req = parser.release();
            Response res = handle(req);
            const bool keepAlive = res.keep_alive();
            co_await http::bhttp::async_write(socket, res, asio::redirect_error(asio::use_awaitable, ec));
            if (ec || !keepAlive)
                co_return;
        }
    }

    asio::awaitable<void> acceptLoop() {
        for (;;) {
            boost::system::error_code ec;
            auto socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec == asio::error::operation_aborted)
                co_return;
            if (ec)
                continue;
            asio::co_spawn(io, serve(std::move(socket)), asio::detached);
        }
    }
};

AgentServer::AgentServer(asio::io_context& io, AgentConfig config)
    : d(std::make_unique<Impl>(io, std::move(config))) {}

AgentServer::~AgentServer() = default;

void AgentServer::start() {
    ::unlink(d->config.socketPath.c_str());
    const stream_protocol::endpoint ep(d->config.socketPath);
    d->acceptor.open(ep.protocol());
    d->acceptor.bind(ep);
    // coved guards the host side of this directory; inside the sandbox any process may talk to us.
    ::chmod(d->config.socketPath.c_str(), 0666);
    d->acceptor.listen();
    asio::co_spawn(d->io, d->acceptLoop(), asio::detached);
}

} // namespace cove::agent
