// The agent's HTTP API on its unix socket: one coroutine per connection, routes by path.
#pragma once

#include "agent/process/UserInfo.h"

#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>
#include <vector>

namespace cove::agent {

struct AgentConfig {
    std::string socketPath = "/run/cove/agent.sock";
    UserInfo user;                       // the sandbox user processes run as
    std::string workDir;                 // the image's WORKDIR, else the user's home
    std::vector<std::string> entrypoint; // the image's own command: the `entrypoint` session
};

class AgentServer {
public:
    AgentServer(boost::asio::io_context& io, AgentConfig config);
    ~AgentServer();
    // Binds the socket (replacing a stale one) and starts accepting. Throws std::system_error.
    void start();
    // The environment a process the agent starts now gets ("K=V").
    std::vector<std::string> environment() const;
    // The route table as "METHOD /pattern" lines ("WS /pattern" for WebSockets), for `--routes`.
    std::vector<std::string> routeList() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace cove::agent
