// How coved opens a stream to a sandbox's agent. On one machine: the agent's unix socket in the
// sandbox's run folder, trusted because the kernel says the peer is the sandbox's PID 1
// (AgentConnector.h). Where no folder is shared (another machine, a pod): TCP to the sandbox's address,
// opened only after both sides prove they hold the sandbox's secret (common/AgentHandshake.h). Everything
// above — the toolbox proxy, previews, terminals — gets a connected stream either way.
#pragma once

#include "service/domain/AgentConnector.h"
#include "service/domain/Caller.h"

#include <cstdint>
#include <string>
#include <sys/types.h>

namespace cove::domain {

// Where a sandbox's agent is, as far as each transport needs to know.
struct AgentAddress {
    std::string sandboxId;
    std::string runDir;     // unix: <data>/sandboxes/<id>/run
    pid_t pid = 0;          // unix: the host pid of the sandbox's PID 1
    std::string host;       // tcp: the sandbox's address
    std::uint16_t port = 0; // tcp: where its agent's gate listens
    std::string secret;     // tcp: the sandbox's own secret
};

class AgentTransport {
public:
    virtual ~AgentTransport() = default;
    virtual awaitable<ConnectResult> open(const AgentAddress& at) = 0;
};

class UnixAgentTransport final : public AgentTransport {
public:
    awaitable<ConnectResult> open(const AgentAddress& at) override;
};

class TcpAgentTransport final : public AgentTransport {
public:
    awaitable<ConnectResult> open(const AgentAddress& at) override;
};

} // namespace cove::domain
