// The event channel at /api/socket.io/: Socket.IO v4 over Engine.IO v4, WebSocket transport only,
// as Daytona's SDK opens it. The key arrives in the Socket.IO CONNECT packet, not in a header.
// Events are broadcast to every connected client of the event's organization; audit rows only to keys
// that may read them (read:audit_logs).
#pragma once

#include "service/api/Route.h"

#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace cove::api {

class EventChannel {
public:
    using Authenticate = std::function<std::optional<Principal>(const std::string& token)>;

    explicit EventChannel(Authenticate authenticate);
    ~EventChannel();

    // Takes over an upgraded connection (the request is the WebSocket handshake).
    void accept(boost::asio::ip::tcp::socket socket, http::Request request);
    // Sends `42["<event>",payload]` to every authenticated client of the organization.
    void publish(const std::string& organizationId, const std::string& event, const nlohmann::json& payload);

    static constexpr std::chrono::seconds kPingInterval{25};
    static constexpr std::chrono::seconds kPingTimeout{20};
    static constexpr std::size_t kMaxPayload = 1000000;

private:
    struct Session;
    struct Impl;
    std::shared_ptr<Impl> d;
};

} // namespace cove::api
