// Beast's websocket stream with one writer coroutine per connection. Senders only append to the queue
// and wake the writer; reads happen in whoever calls read(). A close (wanted or forced) is bounded in
// time: a peer that never answers it has its socket shut.
#include "agent/ws/WebSocket.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>

namespace cove::agent {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using asio::awaitable;

// How long the handshake and a close may take before the socket is shut.
constexpr std::chrono::seconds kHandshakeTimeout{10};
constexpr std::chrono::seconds kCloseGrace{5};

struct WebSocket::Impl {
    explicit Impl(Socket s)
        : ws(std::move(s))
        , wake(ws.get_executor())
        , grace(ws.get_executor()) {}

    websocket::stream<Socket> ws;
    std::deque<Message> queue;
    std::size_t queuedBytes = 0; // in the queue plus the message being written
    std::optional<websocket::close_reason> closeWanted;
    bool accepted = false;
    bool open = false;     // messages may still be queued
    bool peerGone = false; // a read failed: the connection is over
    asio::steady_timer wake, grace;
    std::function<void()> written;
    boost::beast::flat_buffer readBuffer;
    std::size_t maxMessage = kMaxWebSocketMessage;

    void armGrace() {
        grace.expires_after(kCloseGrace);
        grace.async_wait([this](boost::system::error_code ec) {
            if (ec)
                return;
            boost::system::error_code ignored;
            ws.next_layer().shutdown(Socket::shutdown_both, ignored);
            ws.next_layer().close(ignored);
        });
    }
};

WebSocket::WebSocket(Socket socket)
    : d(std::make_unique<Impl>(std::move(socket))) {}

WebSocket::~WebSocket() = default;

std::shared_ptr<WebSocket> WebSocket::create(Socket socket) {
    return std::shared_ptr<WebSocket>(new WebSocket(std::move(socket)));
}

namespace {
// Drains the queue until a close has gone out or the connection broke; keeps the socket alive meanwhile.
awaitable<void> writeLoop(std::shared_ptr<WebSocket> self, WebSocket::Impl* d) {
    boost::system::error_code ec;
    for (;;) {
        if (d->peerGone)
            break;
        if (!d->queue.empty()) {
            WebSocket::Message m = std::move(d->queue.front());
            d->queue.pop_front();
            d->ws.binary(m.binary);
            const auto buffer = asio::buffer(m.data);
            co_await d->ws.async_write(buffer, asio::redirect_error(asio::use_awaitable, ec));
            d->queuedBytes -= m.data.size();
            if (ec)
                break;
            if (d->written) {
                auto notify = d->written;
                notify();
            }
            continue;
        }
        if (d->closeWanted) {
            const websocket::close_reason reason = *d->closeWanted;
            co_await d->ws.async_close(reason, asio::redirect_error(asio::use_awaitable, ec));
            break;
        }
        d->wake.expires_at(asio::steady_timer::time_point::max());
        co_await d->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    d->open = false;
    d->queue.clear();
    d->queuedBytes = 0;
    d->grace.cancel();
    (void)self;
}
} // namespace

void WebSocket::setMaxMessage(std::size_t bytes) {
    d->maxMessage = bytes;
}

awaitable<bool> WebSocket::accept(http::Request upgrade, std::string protocol) {
    websocket::stream_base::timeout timeouts =
        websocket::stream_base::timeout::suggested(boost::beast::role_type::server);
    timeouts.handshake_timeout = kHandshakeTimeout;
    d->ws.set_option(timeouts);
    d->ws.read_message_max(d->maxMessage);
    d->ws.set_option(websocket::stream_base::decorator([protocol](websocket::response_type& res) {
        res.set(http::bhttp::field::server, "cove-agent");
        if (!protocol.empty())
            res.set(http::bhttp::field::sec_websocket_protocol, protocol);
    }));
    boost::system::error_code ec;
    co_await d->ws.async_accept(upgrade, asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return false;
    d->accepted = true;
    d->open = true;
    asio::co_spawn(d->ws.get_executor(), writeLoop(shared_from_this(), d.get()), asio::detached);
    co_return true;
}

awaitable<void> WebSocket::reject(http::Response response) {
    response.keep_alive(false);
    response.prepare_payload();
    boost::system::error_code ec;
    co_await http::bhttp::async_write(d->ws.next_layer(), response,
                                      asio::redirect_error(asio::use_awaitable, ec));
    d->ws.next_layer().shutdown(Socket::shutdown_both, ec);
}

bool WebSocket::accepted() const {
    return d->accepted;
}

static bool enqueue(WebSocket::Impl& d, bool binary, std::string data) {
    if (!d.open || d.closeWanted)
        return false;
    if (d.queuedBytes + data.size() > kMaxWebSocketQueue) {
        // Too slow to keep: what it has not taken yet is dropped and it is told why.
        d.queue.clear();
        d.closeWanted = websocket::close_reason(websocket::close_code(wsclose::kPolicy), "slow consumer");
        d.open = false;
        d.armGrace();
        d.wake.cancel();
        return false;
    }
    d.queuedBytes += data.size();
    d.queue.push_back({binary, std::move(data)});
    d.wake.cancel();
    return true;
}

bool WebSocket::sendBinary(std::string data) {
    return enqueue(*d, true, std::move(data));
}

bool WebSocket::sendText(std::string data) {
    return enqueue(*d, false, std::move(data));
}

void WebSocket::close(int code, std::string reason) {
    if (!d->accepted || d->closeWanted || d->peerGone)
        return;
    // A close reason is at most 123 bytes on the wire.
    if (reason.size() > 123)
        reason.resize(123);
    d->closeWanted = websocket::close_reason(websocket::close_code(code), reason);
    d->open = false;
    d->armGrace();
    d->wake.cancel();
}

bool WebSocket::isOpen() const {
    return d->open;
}

std::size_t WebSocket::queued() const {
    return d->queuedBytes;
}

void WebSocket::onWritten(std::function<void()> f) {
    d->written = std::move(f);
}

awaitable<std::optional<WebSocket::Message>> WebSocket::read() {
    if (!d->accepted || d->peerGone)
        co_return std::nullopt;
    d->readBuffer.clear();
    boost::system::error_code ec;
    co_await d->ws.async_read(d->readBuffer, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        d->peerGone = true;
        d->open = false;
        d->wake.cancel();
        co_return std::nullopt;
    }
    Message m;
    m.binary = d->ws.got_binary();
    m.data = boost::beast::buffers_to_string(d->readBuffer.data());
    co_return m;
}

std::vector<std::string> offeredProtocols(const http::Request& upgrade) {
    std::vector<std::string> out;
    for (auto range = upgrade.equal_range(http::bhttp::field::sec_websocket_protocol);
         range.first != range.second; ++range.first) {
        const std::string value(range.first->value());
        std::size_t start = 0;
        while (start <= value.size()) {
            auto comma = value.find(',', start);
            if (comma == std::string::npos)
                comma = value.size();
            std::string token = value.substr(start, comma - start);
            const auto first = token.find_first_not_of(" \t");
            const auto last = token.find_last_not_of(" \t");
            if (first != std::string::npos)
                out.push_back(token.substr(first, last - first + 1));
            start = comma + 1;
        }
    }
    return out;
}

} // namespace cove::agent
