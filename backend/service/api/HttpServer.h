// The HTTP front door: accepts connections, bounds requests, authenticates, routes, maps errors.
#pragma once

#include "service/api/Route.h"
#include "service/domain/Config.h"
#include "service/domain/RateLimiter.h"

namespace cove::domain {
class AuditLog;
}

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace cove::api {

// Takes over requests that are not the API's before they are routed: the preview proxy
// (proxy/PreviewProxy.h) claims those addressed to a sandbox's port, by Host name or by path.
class RequestTakeover {
public:
    virtual ~RequestTakeover() = default;
    virtual bool claims(const http::Request& head) const = 0;
    // Answers the request whose header `parser` holds, reading its body (if any) from `client` past
    // `buffer`. True when the connection may carry another request.
    virtual awaitable<bool> serve(boost::asio::ip::tcp::socket& client, boost::beast::flat_buffer& buffer,
                                  http::bhttp::request_parser<http::bhttp::string_body>& parser,
                                  std::string clientIp) = 0;
};

// After refusing a request mid-body, reads (and drops) what the client is still sending before closing:
// closing with unread data resets the connection and the client never sees the answer.
awaitable<void> drainBeforeClose(boost::asio::ip::tcp::socket& socket);

// Cancels what a socket is waiting for once its deadline passes: a read or write that must end in time.
class Deadline {
public:
    explicit Deadline(boost::asio::ip::tcp::socket& socket);
    ~Deadline();
    Deadline(const Deadline&) = delete;
    Deadline& operator=(const Deadline&) = delete;
    void arm(std::chrono::steady_clock::duration d);
    void disarm();

private:
    struct State;
    std::shared_ptr<State> m_state;
};

// When bytes last moved through a tunnel, either way.
struct Activity {
    std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
    void touch() { last = std::chrono::steady_clock::now(); }
};

// Returns once `activity` saw no byte for `idle`; raced (||) against a tunnel's pumps, it ends the tunnel.
awaitable<void> idleGuard(const Activity& activity, std::chrono::steady_clock::duration idle);

struct ServerHooks {
    // The principal for a bearer token, or nothing.
    std::function<std::optional<Principal>(const std::string& token)> authenticate;
    // Called for every refused credential, for the audit log; `blocks` when this one makes the address
    // wait (RateLimits::authFailures reached).
    std::function<void(const std::string& ip, const std::string& method, const std::string& path,
                       bool blocks)>
        authFailed;
    domain::RateLimiter* limiter = nullptr; // rate limits; none when null
    domain::AuditLog* audit = nullptr;      // rows for audited requests; none when null
    RequestTakeover* takeover = nullptr;    // the preview proxy; none when null
};

class HttpServer {
public:
    HttpServer(boost::asio::io_context& io, const Router& router, ServerHooks hooks);
    ~HttpServer();
    // Binds and starts accepting. Throws std::runtime_error with a sentence a user can act on.
    void listen(const std::string& host, unsigned short port);
    unsigned short port() const;
    // Stops accepting connections (at shutdown); those open finish their request.
    void close();

    static constexpr std::size_t kMaxBodyBytes = 10u << 20; // larger requests get 413
    static constexpr std::size_t kMaxHeaderBytes = 64u << 10;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace cove::api
