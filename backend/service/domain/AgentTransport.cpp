// The agent transports (see the header).
#include "service/domain/AgentTransport.h"

#include "common/AgentHandshake.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <fcntl.h>

#include <chrono>

namespace cove::domain {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {

// Connecting and both halves of the handshake, together.
constexpr std::chrono::seconds kTcpHandshakeTimeout{10};

awaitable<ConnectResult> connectAndProve(tcp::socket& s, const AgentAddress& at) {
    namespace hs = handshake;
    ConnectResult r;
    const auto refuse = [&](std::string why) {
        r.error = std::move(why);
        return r;
    };
    auto [cec] = co_await s.async_connect(tcp::endpoint(asio::ip::make_address(at.host), at.port),
                                          asio::as_tuple(asio::use_awaitable));
    if (cec) {
        r.retryable = cec == asio::error::connection_refused; // the agent is starting
        co_return refuse("the sandbox's agent does not answer at " + at.host + ":" + std::to_string(at.port) +
                         " (" + cec.message() + ")");
    }
    std::string line;
    auto [rec, end] = co_await asio::async_read_until(s, asio::dynamic_buffer(line, hs::kMaxLine), '\n',
                                                      asio::as_tuple(asio::use_awaitable));
    const auto greeting = rec ? std::nullopt : hs::parseGreeting(std::string_view(line).substr(0, end - 1));
    if (!greeting)
        co_return refuse("the peer at " + at.host + " did not greet as a Cove agent");
    const std::string agentNonce(*greeting);
    const std::string covedNonce = hs::nonce();
    const std::string answer =
        covedNonce + " " + hs::proof(at.secret, "coved", agentNonce, covedNonce, at.sandboxId) + "\n";
    auto [wec, wn] = co_await asio::async_write(s, asio::buffer(answer), asio::as_tuple(asio::use_awaitable));
    (void)wn;
    line.erase(0, end);
    std::tie(rec, end) = co_await asio::async_read_until(s, asio::dynamic_buffer(line, hs::kMaxLine), '\n',
                                                         asio::as_tuple(asio::use_awaitable));
    if (wec || rec)
        co_return refuse("the sandbox's agent refused the handshake (is the sandbox's secret the one it was "
                         "made with?)");
    // The agent proves the same secret back: a peer that took the sandbox's address cannot.
    const std::string_view ok = std::string_view(line).substr(0, end - 1);
    if (!ok.starts_with("OK ") ||
        !hs::matches(ok.substr(3), hs::proof(at.secret, "agent", agentNonce, covedNonce, at.sandboxId)))
        co_return refuse("the peer at " + at.host + " could not prove it is this sandbox's agent");
    if (line.size() > end)
        co_return refuse("the sandbox's agent spoke before it was asked");
    r.fd = s.release();
    co_return r;
}

} // namespace

awaitable<ConnectResult> UnixAgentTransport::open(const AgentAddress& at) {
    co_return connectToAgent(at.runDir, at.pid);
}

awaitable<ConnectResult> TcpAgentTransport::open(const AgentAddress& at) {
    tcp::socket s(co_await asio::this_coro::executor);
    asio::steady_timer timer(co_await asio::this_coro::executor, kTcpHandshakeTimeout);
    auto outcome = co_await (connectAndProve(s, at) || timer.async_wait(asio::use_awaitable));
    if (outcome.index() == 1) {
        ConnectResult r;
        r.error = "the sandbox's agent at " + at.host + " did not finish the handshake in time";
        co_return r;
    }
    ConnectResult r = std::get<0>(std::move(outcome));
    if (r.fd >= 0) {
        ::fcntl(r.fd, F_SETFD, FD_CLOEXEC);
        ::fcntl(r.fd, F_SETFL, ::fcntl(r.fd, F_GETFL) | O_NONBLOCK);
    }
    co_return r;
}

} // namespace cove::domain
