// The TCP gate (see the header).
#include "agent/TcpGate.h"

#include "common/AgentHandshake.h"
#include "common/Pump.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace cove::agent {

namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;
using asio::local::stream_protocol;
using namespace asio::experimental::awaitable_operators;

namespace {

// How long a peer has to answer the greeting.
constexpr std::chrono::seconds kHandshakeTimeout{10};

} // namespace

TcpGate::TcpGate(asio::io_context& io, std::string secret, std::string sandboxId, std::string socketPath)
    : m_io(io)
    , m_acceptor(io)
    , m_secret(std::move(secret))
    , m_sandboxId(std::move(sandboxId))
    , m_socketPath(std::move(socketPath)) {}

void TcpGate::listen(const std::string& hostPort) {
    const auto colon = hostPort.rfind(':');
    if (colon == std::string::npos || m_secret.size() < 32)
        throw std::invalid_argument(
            "--tcp takes ADDR:PORT, and COVE_AGENT_SECRET must hold at least 32 bytes");
    const tcp::endpoint at(asio::ip::make_address(hostPort.substr(0, colon)),
                           static_cast<unsigned short>(std::stoi(hostPort.substr(colon + 1))));
    m_acceptor.open(at.protocol());
    m_acceptor.set_option(tcp::acceptor::reuse_address(true));
    m_acceptor.bind(at);
    m_acceptor.listen();
    asio::co_spawn(m_io, acceptLoop(), asio::detached);
}

awaitable<void> TcpGate::acceptLoop() {
    for (;;) {
        auto [ec, client] = co_await m_acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
        if (ec == asio::error::operation_aborted)
            co_return;
        if (!ec)
            asio::co_spawn(m_io, serve(std::move(client)), asio::detached);
    }
}

awaitable<void> TcpGate::serve(tcp::socket client) {
    namespace hs = handshake;
    const std::string agentNonce = hs::nonce();
    const std::string greeting = std::string(hs::kGreeting) + agentNonce + "\n";
    auto [wec, wn] =
        co_await asio::async_write(client, asio::buffer(greeting), asio::as_tuple(asio::use_awaitable));
    (void)wn;
    if (wec)
        co_return;
    // "<coved nonce> <proof>\n", within the timeout and kMaxLine bytes.
    std::string line;
    asio::steady_timer timer(m_io, kHandshakeTimeout);
    const auto read = co_await (asio::async_read_until(client, asio::dynamic_buffer(line, hs::kMaxLine), '\n',
                                                       asio::as_tuple(asio::use_awaitable)) ||
                                timer.async_wait(asio::use_awaitable));
    if (read.index() != 0 || std::get<0>(std::get<0>(read)))
        co_return; // timed out, too long, or gone: the connection closes
    const std::size_t end = std::get<1>(std::get<0>(read));
    const auto answer = hs::parseAnswer(std::string_view(line).substr(0, end - 1));
    if (!answer || answer->nonce == agentNonce ||
        !hs::matches(answer->proof, hs::proof(m_secret, "coved", agentNonce, answer->nonce, m_sandboxId))) {
        std::fprintf(stderr, "cove-agent: refused a TCP connection whose handshake failed\n");
        co_return;
    }
    const std::string ok =
        "OK " + hs::proof(m_secret, "agent", agentNonce, answer->nonce, m_sandboxId) + "\n";
    std::tie(wec, wn) =
        co_await asio::async_write(client, asio::buffer(ok), asio::as_tuple(asio::use_awaitable));
    if (wec)
        co_return;
    stream_protocol::socket agent(m_io);
    auto [cec] = co_await agent.async_connect(stream_protocol::endpoint(m_socketPath),
                                              asio::as_tuple(asio::use_awaitable));
    if (cec)
        co_return;
    // What came after the handshake line is the start of the request.
    if (line.size() > end) {
        std::tie(wec, wn) = co_await asio::async_write(
            agent, asio::buffer(line.data() + end, line.size() - end), asio::as_tuple(asio::use_awaitable));
        if (wec)
            co_return;
    }
    const auto none = [](std::size_t) {};
    co_await ([&]() -> awaitable<void> {
        co_await splicePump(client, agent, none);
        boost::system::error_code ignored;
        agent.shutdown(stream_protocol::socket::shutdown_send, ignored);
    }() && [&]() -> awaitable<void> {
        co_await splicePump(agent, client, none);
        boost::system::error_code ignored;
        client.shutdown(tcp::socket::shutdown_send, ignored);
    }());
}

} // namespace cove::agent
