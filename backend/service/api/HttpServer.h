// The HTTP front door: accepts connections, bounds requests, authenticates, routes, maps errors.
#pragma once

#include "service/api/Route.h"
#include "service/core/RateLimiter.h"

namespace cove::core {
class AuditLog;
}

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>

namespace cove::api {

struct ServerHooks {
    // The principal for a bearer token, or nothing.
    std::function<std::optional<Principal>(const std::string& token)> authenticate;
    // Called for every refused credential, for the audit log; `blocks` when this one makes the address
    // wait (RateLimits::authFailures reached).
    std::function<void(const std::string& ip, const std::string& method, const std::string& path,
                       bool blocks)>
        authFailed;
    core::RateLimiter* limiter = nullptr; // rate limits; none when null
    core::AuditLog* audit = nullptr;      // rows for audited requests; none when null
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
