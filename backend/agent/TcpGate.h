// The agent over TCP, for a coved that shares no folder with the sandbox (another machine, a pod): each
// connection must pass the handshake of common/AgentHandshake.h before its bytes are joined to the
// agent's own unix socket, where the toolbox serves it as any other. Off unless --tcp is given.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <string>

namespace cove::agent {

class TcpGate {
public:
    TcpGate(boost::asio::io_context& io, std::string secret, std::string sandboxId, std::string socketPath);
    // Binds "ADDR:PORT" and starts accepting; throws std::system_error or std::invalid_argument.
    void listen(const std::string& hostPort);

private:
    boost::asio::awaitable<void> acceptLoop();
    boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket client);

    boost::asio::io_context& m_io;
    boost::asio::ip::tcp::acceptor m_acceptor;
    std::string m_secret, m_sandboxId, m_socketPath;
};

} // namespace cove::agent
