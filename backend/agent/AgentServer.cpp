// Serves the toolbox API over the unix socket coved connects to.
#include "agent/AgentServer.h"
#include "agent/ProcessStream.h"

#include "agent/Routes.h"
#include "agent/Transfer.h"
#include "agent/ws/WebSocket.h"
#include "common/Http.h"
#include "common/JsonLimits.h"
#include "common/PathMatch.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>

#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cove::agent {

namespace asio = boost::asio;
using asio::local::stream_protocol;
using http::Request;
using http::Response;

// The largest request the agent reads whole; file uploads stream and are not bound by this.
constexpr std::size_t kMaxRequestBody = 16u << 20;
// Answers larger than this are followed by malloc_trim, so the agent's RSS falls back after them.
constexpr std::size_t kTrimAfter = 256u << 10;

std::string Call::requireQuery(const std::string& name) const {
    auto v = queryValue(name);
    if (!v || v->empty())
        throw badRequest("The query parameter '" + name + "' is required.");
    return *v;
}

nlohmann::json Call::jsonBody() const {
    if (req.body().empty())
        return nlohmann::json::object();
    auto parsed = parseUntrustedJson(req.body());
    if (!parsed.value)
        throw apiError(400, "The request body is not valid JSON: " + parsed.error + ".", code::kInvalidBody);
    return std::move(*parsed.value);
}

nlohmann::json objectBody(const Call& c) {
    nlohmann::json body = c.jsonBody();
    if (!body.is_object())
        throw apiError(400, "The body must be a JSON object.", code::kInvalidBody);
    return body;
}

std::string requireString(const nlohmann::json& body, const char* field) {
    const auto it = body.find(field);
    if (it == body.end() || !it->is_string() || it->get<std::string>().empty())
        throw apiError(400, std::string("'") + field + "' is required and must be a non-empty string.",
                       code::kInvalidBody);
    return it->get<std::string>();
}

Response errorReply(const Request& req, const ApiError& e) {
    auto body = e.toJson(std::string(http::pathOf(req.target())));
    body["source"] = "DAYTONA_DAEMON";
    body["method"] = std::string(req.method_string());
    return http::jsonResponse(req, e.status, body);
}

void Routes::addSync(http::bhttp::verb method, std::string pattern, std::function<Response(const Call&)> f) {
    add(method, std::move(pattern), [f = std::move(f)](Call c) -> awaitable<Response> { co_return f(c); });
}

const Route* Routes::match(http::bhttp::verb method, std::string_view path, Call& call,
                           bool& pathKnown) const {
    const auto segs = http::splitPath(path);
    pathKnown = false;
    for (const auto& r : m_routes) {
        std::map<std::string, std::string> params;
        if (!http::matchPath(segs, r.pattern, params))
            continue;
        if (r.method != method) {
            pathKnown = true;
            continue;
        }
        call.params = std::move(params);
        return &r;
    }
    return nullptr;
}

// The first of `routes` whose pattern matches path, its parameters put in call.
template <typename R>
static const R* firstMatch(const std::vector<R>& routes, std::string_view path, Call& call) {
    const auto segs = http::splitPath(path);
    for (const auto& r : routes) {
        std::map<std::string, std::string> params;
        if (!http::matchPath(segs, r.pattern, params))
            continue;
        call.params = std::move(params);
        return &r;
    }
    return nullptr;
}

const WsRoute* Routes::matchWebSocket(std::string_view path, Call& call) const {
    return firstMatch(m_wsRoutes, path, call);
}

const FileRoute* Routes::matchFile(http::bhttp::verb method, std::string_view path, Call& call) const {
    return method == http::bhttp::verb::get ? firstMatch(m_fileRoutes, path, call) : nullptr;
}

static bool isWebSocketUpgrade(const HeaderParser::value_type& header) {
    return header.method() == http::bhttp::verb::get &&
           boost::beast::iequals(header[http::bhttp::field::upgrade], "websocket");
}

struct AgentServer::Impl {
    asio::io_context& io;
    stream_protocol::acceptor acceptor;
    Toolbox toolbox;
    Routes routes;

    Impl(asio::io_context& io_, AgentConfig c)
        : io(io_)
        , acceptor(io_)
        , toolbox{io_, c, Environment(Environment::processEnviron(), c.user)} {
        addInfoRoutes(routes, toolbox);
        addProcessRoutes(routes, toolbox);
        addSystemRoutes(routes, toolbox);
        addFileRoutes(routes, toolbox);
        addSessionRoutes(routes, toolbox);
        addPtyRoutes(routes, toolbox);
        addGitRoutes(routes, toolbox);
        addComputerUseRoutes(routes, toolbox);
        addInterpreterRoutes(routes, toolbox);
        addLspRoutes(routes, toolbox);
    }

    // A WebSocket owns its connection until it ends; there is no next request on it.
    awaitable<void> serveWebSocket(stream_protocol::socket socket, Request req) {
        const Request head(req.base());
        const std::string path(http::pathOf(req.target()));
        Call call;
        call.query = parseQuery(req.target());
        const WsRoute* route = routes.matchWebSocket(path, call);
        auto ws = WebSocket::create(std::move(socket));
        std::optional<ApiError> refused;
        if (!route) {
            refused = apiError(404, "The toolbox has no WebSocket route " + path + ".", code::kNotFound);
        } else {
            call.req = std::move(req);
            try {
                auto running = route->handler(std::move(call), ws);
                co_await std::move(running);
            } catch (const ApiError& e) {
                refused = e;
            } catch (const std::exception& e) {
                refused = apiError(500, std::string("The toolbox failed: ") + e.what(), code::kInternal);
            }
        }
        if (refused && !ws->accepted()) {
            Response res = errorReply(head, *refused);
            auto rejecting = ws->reject(std::move(res));
            co_await std::move(rejecting);
        } else if (refused) {
            ws->close(wsclose::kError, refused->message);
        } else {
            ws->close(wsclose::kNormal);
        }
    }

    awaitable<Response> handle(Request req) {
        const std::string path(http::pathOf(req.target()));
        Call call;
        call.query = parseQuery(req.target());
        bool pathKnown = false;
        const Route* route = routes.match(req.method(), path, call, pathKnown);
        if (!route) {
            const std::string method(req.method_string());
            if (pathKnown)
                co_return errorReply(
                    req, apiError(405, "The toolbox route " + path + " does not take " + method + ".",
                                  code::kBadRequest));
            co_return errorReply(
                req, apiError(404, "The toolbox has no route " + method + " " + path + ".", code::kNotFound));
        }
        const Request head(req.base()); // the handler owns the request; an error reply needs its header
        call.req = std::move(req);
        try {
            auto running = route->handler(std::move(call));
            Response res = co_await std::move(running);
            co_return res;
        } catch (const ApiError& e) {
            co_return errorReply(head, e);
        } catch (const std::exception& e) {
            const std::string message = std::string("The toolbox failed: ") + e.what();
            co_return errorReply(head, apiError(500, message, code::kInternal));
        }
    }

    awaitable<void> serve(stream_protocol::socket socket) {
        boost::beast::flat_buffer buffer;
        boost::system::error_code ec;
        for (;;) {
            // The header first: uploads and downloads stream, everything else is read whole.
            HeaderParser header;
            header.body_limit(boost::none);
            co_await http::bhttp::async_read_header(socket, buffer, header,
                                                    asio::redirect_error(asio::use_awaitable, ec));
            if (ec)
                co_return;
            const auto method = header.get().method();
            const std::string path(http::pathOf(header.get().target()));
            if (isWebSocketUpgrade(header.get())) {
                http::bhttp::request_parser<http::bhttp::string_body> parser(std::move(header));
                parser.body_limit(0);
                if (!parser.is_done())
                    co_return; // an upgrade request carries no body
                auto upgrading = serveWebSocket(std::move(socket), parser.release());
                co_await std::move(upgrading);
                co_return;
            }
            if (path == kStreamPath &&
                boost::beast::iequals(header.get()[http::bhttp::field::upgrade], kStreamProtocol)) {
                http::bhttp::request_parser<http::bhttp::string_body> parser(std::move(header));
                parser.body_limit(0);
                if (!parser.is_done())
                    co_return;
                std::string early(static_cast<const char*>(buffer.data().data()), buffer.size());
                auto streaming =
                    serveProcessStream(toolbox, std::move(socket), parser.release(), std::move(early));
                co_await std::move(streaming);
                co_return;
            }
            if (isUploadRoute(method, path)) {
                auto upload = serveUpload(toolbox, socket, buffer, header);
                if (!co_await std::move(upload))
                    co_return;
                continue;
            }

            http::bhttp::request_parser<http::bhttp::string_body> parser(std::move(header));
            parser.body_limit(kMaxRequestBody);
            if (!parser.is_done())
                co_await http::bhttp::async_read(socket, buffer, parser,
                                                 asio::redirect_error(asio::use_awaitable, ec));
            if (ec == http::bhttp::error::body_limit) {
                Request head = parser.get();
                head.keep_alive(false);
                Response tooLarge =
                    errorReply(head, apiError(413, "The request body is larger than the toolbox accepts.",
                                              code::kBadRequest));
                co_await http::bhttp::async_write(socket, tooLarge,
                                                  asio::redirect_error(asio::use_awaitable, ec));
                co_return;
            }
            if (ec)
                co_return;
            Request req = parser.release();
            if (isDownloadRoute(method, path)) {
                auto download = serveDownload(toolbox, socket, std::move(req));
                if (!co_await std::move(download))
                    co_return;
                continue;
            }
            Call fileCall;
            if (const FileRoute* fileRoute = routes.matchFile(method, path, fileCall)) {
                fileCall.query = parseQuery(req.target());
                auto serving = serveFile(socket, std::move(req), *fileRoute, std::move(fileCall));
                if (!co_await std::move(serving))
                    co_return;
                continue;
            }
            auto handling = handle(std::move(req));
            Response res = co_await std::move(handling);
            const bool keepAlive = res.keep_alive();
            co_await http::bhttp::async_write(socket, res, asio::redirect_error(asio::use_awaitable, ec));
            if (res.body().size() > kTrimAfter) {
                // A big answer (a command's output) leaves freed heap behind; give it back.
                res = {};
                ::malloc_trim(0);
            }
            if (ec || !keepAlive)
                co_return;
        }
    }

    awaitable<void> acceptLoop() {
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

std::vector<std::string> AgentServer::routeList() const {
    std::vector<std::string> out;
    for (const auto& r : d->routes.all())
        out.push_back(std::string(http::bhttp::to_string(r.method)) + " " + r.pattern);
    for (const auto& r : d->routes.allWebSockets())
        out.push_back("WS " + r.pattern);
    for (const auto& r : d->routes.allFiles())
        out.push_back("GET " + r.pattern);
    for (auto& line : transferRoutes()) // streamed before the table is asked
        out.push_back(std::move(line));
    return out;
}

std::vector<std::string> AgentServer::environment() const {
    return d->toolbox.env.block();
}

void AgentServer::start() {
    ::unlink(d->toolbox.config.socketPath.c_str());
    const stream_protocol::endpoint ep(d->toolbox.config.socketPath);
    d->acceptor.open(ep.protocol());
    d->acceptor.bind(ep);
    // coved guards the host side of this directory; inside the sandbox any process may talk to us.
    ::chmod(d->toolbox.config.socketPath.c_str(), 0666);
    d->acceptor.listen();
    asio::co_spawn(d->io, d->acceptLoop(), asio::detached);
    for (const auto& hook : d->toolbox.onStart)
        hook();
}

} // namespace cove::agent
