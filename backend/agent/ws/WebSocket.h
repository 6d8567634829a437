// A server-side WebSocket on one of the agent's connections. Whatever feeds it never waits: messages go
// to a bounded queue that one writer drains, and a peer that lets the queue overflow is disconnected
// (1008 "slow consumer"). Beast stays inside WebSocket.cpp, the only translation unit that pays for it.
#pragma once

#include "common/Http.h"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cove::agent {

// What one client may have waiting to be sent before it counts as too slow to keep.
constexpr std::size_t kMaxWebSocketQueue = 4u << 20;
// The largest message a client may send (Daytona's daemon reads at most 64 KiB per frame).
constexpr std::size_t kMaxWebSocketMessage = 64u << 10;

// Close codes the toolbox uses (RFC 6455 §7.4.1).
namespace wsclose {
inline constexpr int kNormal = 1000;
inline constexpr int kPolicy = 1008; // a slow consumer, a refused request
inline constexpr int kError = 1011;
} // namespace wsclose

class WebSocket : public std::enable_shared_from_this<WebSocket> {
public:
    using Socket = boost::asio::local::stream_protocol::socket;
    struct Impl; // Beast's stream and the queue, in WebSocket.cpp
    struct Message {
        bool binary = false;
        std::string data;
    };

    // Takes over a connection whose upgrade request has been read; nothing is answered yet.
    static std::shared_ptr<WebSocket> create(Socket socket);
    ~WebSocket();
    WebSocket(const WebSocket&) = delete;
    WebSocket& operator=(const WebSocket&) = delete;

    // The largest message the peer may send (kMaxWebSocketMessage unless set before accept()).
    void setMaxMessage(std::size_t bytes);
    // Answers the upgrade (101), echoing `protocol` in Sec-WebSocket-Protocol when it is not empty,
    // and starts the writer. False when the handshake failed.
    boost::asio::awaitable<bool> accept(http::Request upgrade, std::string protocol);
    // Answers the upgrade with a plain HTTP response instead (an error); the connection then ends.
    boost::asio::awaitable<void> reject(http::Response response);
    bool accepted() const;

    // Queue a message. False when the socket is closing or the peer was dropped as too slow.
    bool sendBinary(std::string data);
    bool sendText(std::string data);
    // Sends a close frame once everything queued before it has gone out.
    void close(int code, std::string reason = {});
    bool isOpen() const;
    // Bytes queued and not yet written.
    std::size_t queued() const;
    // Called on the io thread after each message has been written (to resume a paused producer).
    void onWritten(std::function<void()> f);

    // The next message from the peer; nothing once the connection is closed (by either side).
    boost::asio::awaitable<std::optional<Message>> read();

private:
    explicit WebSocket(Socket socket);
    std::unique_ptr<Impl> d;
};

// The subprotocols a client offered, in order (Sec-WebSocket-Protocol, comma separated).
std::vector<std::string> offeredProtocols(const http::Request& upgrade);

} // namespace cove::agent
