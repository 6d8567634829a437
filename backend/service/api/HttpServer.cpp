// One coroutine per connection; each request is parsed with limits, authenticated, routed and answered.
#include "service/api/HttpServer.h"

#include "service/domain/AuditLog.h"
#include "service/engine/Engine.h"
#include "service/store/Store.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <list>
#include <memory>

namespace cove::api {

namespace asio = boost::asio;
using asio::ip::tcp;
using Limits = domain::ConnectionLimits;

namespace {
// What a client is told when the database refused: what happened and what to do, not SQLite's words.
ApiError storeFailure(const store::StoreError& e) {
    if (e.busy())
        return ApiError::unavailable("Cove's database is locked by another program (an open sqlite3 prompt "
                                     "or a backup?). Try again once it lets go.");
    if (e.full())
        return {507,
                "The disk holding Cove's data directory is full. Free some space "
                "there and try again.",
                {}};
    return ApiError::unavailable(std::string("Cove's database could not be written (") + e.what() +
                                 "). Check the data directory's disk.");
}

void logFailure(const http::Request& req, const std::string& path, const std::exception& e) {
    std::fprintf(stderr, "coved: %s %s failed: %s\n", std::string(req.method_string()).c_str(), path.c_str(),
                 e.what());
}
} // namespace

awaitable<void> drainBeforeClose(tcp::socket& socket) {
    constexpr std::size_t kMaxDrainBytes = 64u << 20;
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    asio::steady_timer deadline(socket.get_executor(), std::chrono::seconds(5));
    deadline.async_wait([&socket](const boost::system::error_code& ec) {
        if (!ec)
            socket.cancel();
    });
    std::array<char, 64 * 1024> scratch;
    for (std::size_t total = 0; total < kMaxDrainBytes;) {
        auto [ec, n] =
            co_await socket.async_read_some(asio::buffer(scratch), asio::as_tuple(asio::use_awaitable));
        if (ec)
            break;
        total += n;
    }
    deadline.cancel();
}

struct Deadline::State {
    asio::steady_timer timer;
    tcp::socket* socket;
};

Deadline::Deadline(tcp::socket& socket)
    : m_state(std::make_shared<State>(State{asio::steady_timer(socket.get_executor()), &socket})) {}

Deadline::~Deadline() {
    m_state->socket = nullptr;
    m_state->timer.cancel();
}

void Deadline::arm(std::chrono::steady_clock::duration d) {
    m_state->timer.expires_after(d);
    m_state->timer.async_wait([state = m_state](const boost::system::error_code& ec) {
        // A wait that completed just before a re-arm or disarm must not cancel the next operation.
        if (ec || !state->socket || state->timer.expiry() > std::chrono::steady_clock::now())
            return;
        boost::system::error_code ignored;
        state->socket->cancel(ignored);
    });
}

void Deadline::disarm() {
    m_state->timer.expires_at(std::chrono::steady_clock::time_point::max());
}

awaitable<void> idleGuard(const Activity& activity, std::chrono::steady_clock::duration idle) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
        const auto until = activity.last + idle;
        if (std::chrono::steady_clock::now() >= until)
            co_return;
        timer.expires_at(until);
        // Cancelled when what it guards ended first, once a request: a return, not an exception to unwind.
        auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        if (ec)
            co_return;
    }
}

struct HttpServer::Impl {
    asio::io_context& io;
    const Router& router;
    ServerHooks hooks;
    tcp::acceptor acceptor;
    // Open connections; `idle` ones wait for (the rest of) a request's header.
    struct Connection {
        tcp::socket* socket;
        bool idle = true;
        bool evicted = false;
        std::chrono::steady_clock::time_point since = std::chrono::steady_clock::now();
    };
    // Shared with each session's Registration: a session's frame may be destroyed after the server is
    // (the io_context, destroyed later, frees the coroutines still pending then).
    struct Registry {
        std::list<Connection> connections;
        std::size_t live = 0; // connections not evicted
    };
    std::shared_ptr<Registry> registry = std::make_shared<Registry>();
    std::list<Connection>& connections = registry->connections;
    std::size_t& live = registry->live;

    Impl(asio::io_context& io_, const Router& r, ServerHooks h)
        : io(io_)
        , router(r)
        , hooks(std::move(h))
        , acceptor(io_) {}

    // Reads the request's body once it was authorized: nothing, or the answer that refuses it.
    using BodyReader = std::function<awaitable<std::optional<http::Response>>()>;

    awaitable<http::Response> dispatch(http::Request& req, const std::string& ip, Tunnel* tunnel = nullptr,
                                       const BodyReader& readBody = {}) {
        const std::string target(req.target());
        const std::string path(http::pathOf(target));
        auto m = router.match(req.method(), path);
        if (!m.route) {
            if (m.pathKnown)
                co_return http::errorResponse(
                    req, {405,
                          "Method " + std::string(req.method_string()) + " is not allowed on " + path + ".",
                          {}});
            co_return http::errorResponse(
                req, ApiError::notFound("No route " + std::string(req.method_string()) + " " + path + "."));
        }
        if (m.route->access.kind == Access::Kind::Undeclared)
            co_return http::errorResponse(req,
                                          ApiError::internal("Route " + path + " declares no access rule."));
        AuditTrail trail;
        RequestContext ctx{req, std::move(m.params), parseQuery(target), std::nullopt, ip, &trail, tunnel};
        const Route& route = *m.route;
        if (tunnel)
            tunnel->answering = [&](int status) { auditSafely(ctx, route, status, {}); };
        domain::RateLimiter::Decision rate;
        http::Response res;
        try {
            res = co_await authorizeAndRun(ctx, route, path, rate, readBody);
        } catch (const store::StoreError& e) { // from authentication, before the handler's own guard
            logFailure(req, path, e);
            res = http::errorResponse(req, storeFailure(e));
        }
        for (const auto& b : rate.buckets) {
            res.set("X-RateLimit-Limit-" + b.name, std::to_string(b.limit));
            res.set("X-RateLimit-Remaining-" + b.name, std::to_string(std::max(0, b.remaining)));
            res.set("X-RateLimit-Reset-" + b.name, std::to_string(b.resetSeconds));
        }
        if (tunnel)
            tunnel->answering = nullptr;
        if (ctx.principal) {
            const int status = static_cast<int>(res.result_int());
            std::string message;
            if (status >= 400) {
                const auto body = json::parse(res.body(), nullptr, false);
                message = body.is_object() ? body.value("message", "") : std::string();
            }
            auditSafely(ctx, route, status, message);
        }
        if (res.result_int() >= 400 && route.renderError)
            co_return route.renderError(req, res);
        co_return res;
    }

    awaitable<http::Response> authorizeAndRun(RequestContext& ctx, const Route& route,
                                              const std::string& path, domain::RateLimiter::Decision& rate,
                                              const BodyReader& readBody) {
        const http::Request& req = ctx.req;
        const std::string& ip = ctx.clientIp;
        const auto kind = route.access.kind;
        if (kind != Access::Kind::Public && kind != Access::Kind::InBand) {
            const auto auth = req[http::bhttp::field::authorization];
            constexpr std::string_view bearer = "Bearer ";
            std::optional<Principal> who;
            // S3 calls are signed with the object storage's temporary credentials (AWS Signature V4).
            const bool awsSigned = auth.starts_with("AWS4-HMAC-SHA256 ");
            const bool keyless =
                route.signedAuth &&
                (awsSigned ||
                 (auth.empty() && (ctx.queryValue("signature") || !req["X-Daytona-Preview-Token"].empty() ||
                                   ctx.queryValue("DAYTONA_SANDBOX_AUTH_KEY"))));
            if (keyless)
                who = route.signedAuth(ctx);
            else if (auth.size() > bearer.size() && auth.substr(0, bearer.size()) == bearer)
                who = hooks.authenticate(std::string(auth.substr(bearer.size())));
            if (!who) {
                // An address that keeps presenting bad credentials is slowed down; a good one never is.
                if (const auto wait = hooks.limiter ? hooks.limiter->authBlocked(ip) : std::nullopt) {
                    asio::steady_timer brake(co_await asio::this_coro::executor, Limits::kAuthBrakeDelay);
                    co_await brake.async_wait(asio::as_tuple(asio::use_awaitable));
                    auto res =
                        http::errorResponse(req, {429,
                                                  "Too many failed authentications from " + ip +
                                                      "; try again in " + std::to_string(*wait) + " s.",
                                                  {}});
                    res.set(http::bhttp::field::retry_after, std::to_string(*wait));
                    co_return res;
                }
                const bool blocks = hooks.limiter && hooks.limiter->authFailed(ip);
                hooks.authFailed(ip, std::string(req.method_string()), path, blocks);
                co_return http::errorResponse(
                    req,
                    ApiError::unauthorized(
                        awsSigned
                            ? "The request's signature does not match, or its storage access has expired; "
                              "ask /api/object-storage/push-access for new access."
                        : keyless
                            ? "The signed URL or preview token is invalid or has expired; ask for a new one."
                        : auth.empty() ? "Missing API key: send 'Authorization: Bearer <key>'."
                                       : "Invalid, expired or revoked API key."));
            }
            ctx.principal = std::move(who);
            if (hooks.limiter) {
                const auto cls = route.rate == RateClass::Create      ? domain::RateLimiter::Class::Create
                                 : route.rate == RateClass::Lifecycle ? domain::RateLimiter::Class::Lifecycle
                                                                      : domain::RateLimiter::Class::General;
                rate = hooks.limiter->take(ctx.principal->keyId, cls);
                if (!rate.allowed) {
                    auto res = http::errorResponse(req, {429,
                                                         "Rate limit '" + rate.refusedBy +
                                                             "' reached for this API key; retry in " +
                                                             std::to_string(rate.retryAfter) + " s.",
                                                         {}});
                    res.set(http::bhttp::field::retry_after, std::to_string(rate.retryAfter));
                    co_return res;
                }
            }
            if (kind == Access::Kind::Scope && !ctx.principal->hasScope(route.access.scope))
                co_return http::errorResponse(
                    req, ApiError::forbidden("This API key lacks the scope '" + route.access.scope + "'."));
            if (kind == Access::Kind::Admin && !ctx.principal->hasScope("*"))
                co_return http::errorResponse(
                    req, ApiError::forbidden(
                             "Only the admin key (in the data directory's admin.key) may do this."));
        }
        // The body only now, once the request may be made at all.
        if (readBody)
            if (auto refused = co_await readBody())
                co_return std::move(*refused);
        // No exception leaves a handler: each becomes the JSON error its type stands for.
        std::optional<ApiError> error;
        try {
            co_return co_await route.handler(ctx);
        } catch (const ApiError& e) {
            error = e;
        } catch (const domain::DomainError& e) {
            error = toApiError(e);
        } catch (const engine::EngineError& e) {
            error = ApiError::unavailable(e.what());
        } catch (const store::StoreError& e) {
            logFailure(req, path, e);
            error = storeFailure(e);
        } catch (const std::exception& e) {
            logFailure(req, path, e);
            error = ApiError::internal(std::string("Internal error: ") + e.what());
        }
        co_return http::errorResponse(req, *error);
    }

    // One audit row per audited request: the handler's own (corrected if the request ended otherwise),
    // or one written here, for refusals and for routes that leave it to the HTTP layer.
    void auditRequest(const RequestContext& ctx, const Route& route, int status, const std::string& message) {
        if (!hooks.audit || !ctx.principal)
            return;
        if (ctx.trail->rowId) {
            if (ctx.trail->status != status)
                hooks.audit->setOutcome(ctx.trail->rowId, status, message);
            return;
        }
        std::optional<std::string> action;
        if (route.audit.resolveAction)
            action = route.audit.resolveAction(ctx);
        else if (!route.audit.action.empty())
            action = route.audit.action;
        if (!action)
            return;
        const auto p = ctx.params.find(route.audit.targetParam);
        const std::string targetId = p == ctx.params.end() ? std::string() : p->second;
        hooks.audit->record(ctx.caller(), *action, route.audit.targetType, targetId, status, message);
    }

    // The answer stands when its audit row cannot be written; the missing row is in coved's log instead.
    void auditSafely(const RequestContext& ctx, const Route& route, int status, const std::string& message) {
        try {
            auditRequest(ctx, route, status, message);
        } catch (const store::StoreError& e) {
            std::fprintf(stderr, "coved: the audit row for %s %s (%d) could not be written: %s\n",
                         std::string(ctx.req.method_string()).c_str(), std::string(ctx.req.target()).c_str(),
                         status, e.what());
        }
    }

    // Closes the connection that has waited longest for a request, to make room; false when none waits.
    bool evictIdle() {
        auto oldest = connections.end();
        for (auto it = connections.begin(); it != connections.end(); ++it)
            if (it->idle && !it->evicted && (oldest == connections.end() || it->since < oldest->since))
                oldest = it;
        if (oldest == connections.end())
            return false;
        oldest->evicted = true;
        --live;
        boost::system::error_code ignored;
        oldest->socket->close(ignored); // its descriptor is free at once; its session ends
        return true;
    }

    // A connection's place in `connections`, for as long as its session lasts.
    struct Registration {
        std::shared_ptr<Registry> registry;
        std::list<Connection>::iterator it;
        Registration(Impl& i, tcp::socket& s)
            : registry(i.registry)
            , it(registry->connections.insert(registry->connections.end(), Connection{&s})) {
            ++registry->live;
        }
        ~Registration() {
            if (!it->evicted)
                --registry->live;
            registry->connections.erase(it);
        }
        void idle(bool waiting) {
            it->idle = waiting;
            it->since = std::chrono::steady_clock::now();
        }
    };

    awaitable<void> refuse(tcp::socket socket) {
        http::Request head;
        head.version(11);
        head.keep_alive(false);
        auto res = http::errorResponse(head, ApiError::unavailable("coved is serving its limit of " +
                                                                   std::to_string(Limits::kMaxConnections) +
                                                                   " connections; try again in a moment."));
        res.set(http::bhttp::field::retry_after, "1");
        Deadline deadline(socket);
        deadline.arm(Limits::kHeaderTimeout);
        auto [wec, w] = co_await http::bhttp::async_write(socket, res, asio::as_tuple(asio::use_awaitable));
        (void)w;
        deadline.disarm();
        if (!wec)
            co_await drainBeforeClose(socket);
    }

    awaitable<void> session(tcp::socket socket) {
        Registration registration(*this, socket);
        boost::system::error_code ec;
        const std::string ip = socket.remote_endpoint(ec).address().to_string();
        boost::beast::flat_buffer buffer;
        Deadline deadline(socket);
        for (bool first = true;; first = false) {
            http::bhttp::request_parser<http::bhttp::string_body> parser;
            parser.header_limit(kMaxHeaderBytes);
            parser.body_limit(boost::none); // set below, once we know the route reads the body itself
            // A kept-alive connection may rest between requests; a request's header must come in time.
            registration.idle(true);
            if (!first && buffer.size() == 0) {
                deadline.arm(Limits::kIdleTimeout);
                auto [wec] =
                    co_await socket.async_wait(tcp::socket::wait_read, asio::as_tuple(asio::use_awaitable));
                if (wec)
                    co_return;
            }
            deadline.arm(Limits::kHeaderTimeout);
            // The header first: a tunnel route takes the body (or the upgraded connection) as it comes.
            auto [hec, hn] = co_await http::bhttp::async_read_header(socket, buffer, parser,
                                                                     asio::as_tuple(asio::use_awaitable));
            (void)hn;
            deadline.disarm();
            registration.idle(false);
            if (!hec && hooks.takeover && hooks.takeover->claims(parser.get())) {
                const bool again = co_await hooks.takeover->serve(socket, buffer, parser, ip);
                if (!again)
                    co_return;
                continue;
            }
            const Router::Match m =
                hec ? Router::Match{}
                    : router.match(parser.get().method(), http::pathOf(parser.get().target()));
            const bool hasBody = !hec && (parser.chunked() || parser.content_length().value_or(0) > 0);
            if (!hec && m.route && m.route->tunnel) {
                http::Request req = parser.release();
                Tunnel tunnel{&socket, &buffer};
                http::Response res = co_await dispatch(req, ip, &tunnel);
                if (tunnel.streamed)
                    co_return;
                // Refused before the tunnel opened: answer, and drop whatever body is on its way.
                res.keep_alive(false);
                co_await http::bhttp::async_write(socket, res, asio::as_tuple(asio::use_awaitable));
                if (hasBody)
                    co_await drainBeforeClose(socket);
                co_return;
            }
            boost::system::error_code rec = hec;
            if (!hec && parser.content_length() && *parser.content_length() > kMaxBodyBytes)
                rec = http::bhttp::error::body_limit;
            if (rec == http::bhttp::error::body_limit || rec == http::bhttp::error::header_limit) {
                co_await refuseTooLarge(socket, rec, m);
                co_return;
            }
            if (rec)
                co_return;
            // The body is read once the request was authorized, never for a request refused anyway.
            bool bodyRead = false;
            const BodyReader readBody = [&]() -> awaitable<std::optional<http::Response>> {
                parser.body_limit(kMaxBodyBytes);
                deadline.arm(Limits::kBodyTimeout);
                if (!parser.is_done())
                    co_await http::continueIfExpected(socket, parser.get());
                auto [bec, n] = co_await http::bhttp::async_read(socket, buffer, parser,
                                                                 asio::as_tuple(asio::use_awaitable));
                (void)n;
                deadline.disarm();
                if (!bec) {
                    bodyRead = true;
                    co_return std::nullopt;
                }
                co_return http::errorResponse(
                    parser.get(),
                    bec == http::bhttp::error::body_limit
                        ? ApiError::tooLarge("The request body exceeds " +
                                             std::to_string(kMaxBodyBytes >> 20) + " MiB.")
                        : ApiError{408,
                                   "The request body did not arrive within " +
                                       std::to_string(Limits::kBodyTimeout.count()) + " s; send it at once.",
                                   {}});
            };
            if (boost::beast::websocket::is_upgrade(parser.get()) && m.route && m.route->upgrade) {
                // An upgrade authenticates inside its protocol, after the handshake: no body before it.
                if (hasBody) {
                    auto res = http::errorResponse(
                        parser.get(), ApiError::badRequest("A WebSocket handshake carries no body; send "
                                                           "the request without one."));
                    res.keep_alive(false);
                    co_await http::bhttp::async_write(socket, res, asio::as_tuple(asio::use_awaitable));
                    co_await drainBeforeClose(socket);
                    co_return;
                }
                m.route->upgrade(std::move(socket), parser.release());
                co_return;
            }
            http::Request& req = parser.get();
            http::Response res = co_await dispatch(req, ip, nullptr, readBody);
            // A body left unread (the request was refused first) ends the connection.
            const bool again = req.keep_alive() && (bodyRead || !hasBody);
            res.keep_alive(again);
            deadline.arm(Limits::kBodyTimeout);
            auto [wec, w] =
                co_await http::bhttp::async_write(socket, res, asio::as_tuple(asio::use_awaitable));
            (void)w;
            deadline.disarm();
            if (!wec && hasBody && !bodyRead)
                co_await drainBeforeClose(socket);
            if (wec || !again)
                co_return;
        }
    }

    awaitable<void> refuseTooLarge(tcp::socket& socket, boost::system::error_code rec,
                                   const Router::Match& m) {
        http::Request head;
        head.version(11);
        head.keep_alive(false);
        auto res = http::errorResponse(
            head, ApiError::tooLarge(
                      rec == http::bhttp::error::body_limit
                          ? "The request body exceeds " + std::to_string(kMaxBodyBytes >> 20) + " MiB."
                          : "The request headers exceed " + std::to_string(kMaxHeaderBytes >> 10) + " KiB."));
        if (m.route && m.route->renderError)
            res = m.route->renderError(head, res);
        co_await http::bhttp::async_write(socket, res, asio::as_tuple(asio::use_awaitable));
        co_await drainBeforeClose(socket);
    }

    static bool outOfDescriptors(const boost::system::error_code& ec) {
        return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
               ec == asio::error::no_memory ||
               (ec.category() == boost::system::system_category() && ec.value() == ENFILE);
    }

    awaitable<void> acceptLoop() {
        asio::steady_timer pause(io);
        auto backoff = Limits::kAcceptBackoff;
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec == asio::error::operation_aborted)
                co_return;
            if (outOfDescriptors(ec)) {
                // Accepting again at once would fail again at once: free a waiting connection's
                // descriptor, or wait for one to end.
                if (evictIdle())
                    continue;
                pause.expires_after(backoff);
                co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
                backoff = std::min<std::chrono::milliseconds>(backoff * 2, Limits::kMaxAcceptBackoff);
                continue;
            }
            backoff = Limits::kAcceptBackoff;
            if (ec)
                continue;
            if (live >= Limits::kMaxConnections && !evictIdle()) {
                asio::co_spawn(io, refuse(std::move(socket)), asio::detached);
                continue;
            }
            asio::co_spawn(io, session(std::move(socket)), asio::detached);
        }
    }
};

HttpServer::HttpServer(asio::io_context& io, const Router& router, ServerHooks hooks)
    : d(std::make_unique<Impl>(io, router, std::move(hooks))) {}

HttpServer::~HttpServer() = default;

void HttpServer::listen(const std::string& host, unsigned short port) {
    boost::system::error_code ec;
    const auto addr = asio::ip::make_address(host, ec);
    if (ec)
        throw std::runtime_error("'" + host +
                                 "' is not an IP address; give --listen ADDRESS:PORT, e.g. 127.0.0.1:3986");
    const tcp::endpoint ep(addr, port);
    d->acceptor.open(ep.protocol());
    d->acceptor.set_option(tcp::acceptor::reuse_address(true));
    d->acceptor.bind(ep, ec);
    if (ec == asio::error::address_in_use)
        throw std::runtime_error(
            "port " + std::to_string(port) + " on " + host +
            " is already in use (another coved?); stop that program or pass --listen with "
            "another port");
    if (ec)
        throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " +
                                 ec.message());
    d->acceptor.listen();
    asio::co_spawn(d->io, d->acceptLoop(), asio::detached);
}

void HttpServer::close() {
    boost::system::error_code ec;
    d->acceptor.close(ec);
}

unsigned short HttpServer::port() const {
    return d->acceptor.local_endpoint().port();
}

} // namespace cove::api
