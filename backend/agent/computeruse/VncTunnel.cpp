// Pumps bytes between one WebSocket and one TCP connection to x11vnc, with back-pressure both ways.
#include "agent/computeruse/VncTunnel.h"

#include "agent/ws/WebSocket.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>

namespace cove::agent::computeruse {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// Output waiting for the client past which reading from the VNC server pauses.
constexpr std::size_t kHighWater = 1u << 20;

struct Link {
    explicit Link(const asio::any_io_executor& ex)
        : vnc(ex)
        , drained(ex) {}
    tcp::socket vnc;
    asio::steady_timer drained; // cancelled when the WebSocket has written something
};

// VNC server to client. Ends the WebSocket when the server goes (computer use stopped, say).
awaitable<void> serverToClient(std::shared_ptr<Link> link, std::shared_ptr<WebSocket> ws) {
    std::array<char, 64 * 1024> buf;
    for (;;) {
        auto [ec, n] =
            co_await link->vnc.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
        if (ec || n == 0)
            break;
        if (!ws->sendBinary(std::string(buf.data(), n)))
            break;
        while (ws->queued() > kHighWater && ws->isOpen()) {
            link->drained.expires_at(asio::steady_timer::time_point::max());
            boost::system::error_code ignored;
            co_await link->drained.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        }
    }
    ws->close(wsclose::kNormal,
              "The VNC server closed the connection (computer use was stopped or restarted).");
}

} // namespace

awaitable<void> vncTunnel(const Desktop& desktop, Call c, std::shared_ptr<WebSocket> ws) {
    desktop.requireActive();
    auto link = std::make_shared<Link>(co_await asio::this_coro::executor);
    const tcp::endpoint server(asio::ip::address_v4::loopback(), desktop.vncPort());
    auto [cec] = co_await link->vnc.async_connect(server, asio::as_tuple(asio::use_awaitable));
    if (cec)
        throw apiError(502, "The sandbox's VNC server did not answer (" + cec.message() + ").",
                       code::kInternal);
    link->vnc.set_option(tcp::no_delay(true));

    const auto offered = offeredProtocols(c.req);
    const bool binary = std::find(offered.begin(), offered.end(), "binary") != offered.end();
    const std::string protocol = binary ? "binary" : (offered.empty() ? std::string() : offered.front());
    auto accepting = ws->accept(std::move(c.req), protocol);
    if (!co_await std::move(accepting))
        co_return;
    ws->onWritten([weak = std::weak_ptr<Link>(link)] {
        if (auto l = weak.lock())
            l->drained.cancel();
    });
    asio::co_spawn(link->vnc.get_executor(), serverToClient(link, ws), asio::detached);

    // Client to VNC server, until either side goes.
    for (;;) {
        auto reading = ws->read();
        auto message = co_await std::move(reading);
        if (!message)
            break;
        auto [wec, wn] = co_await asio::async_write(link->vnc, asio::buffer(message->data),
                                                    asio::as_tuple(asio::use_awaitable));
        (void)wn;
        if (wec)
            break;
    }
    boost::system::error_code ignored;
    link->vnc.shutdown(tcp::socket::shutdown_both, ignored);
    link->vnc.close(ignored);
    link->drained.cancel();
}

} // namespace cove::agent::computeruse
