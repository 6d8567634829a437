// The SSH gateway: `ssh -p <port> <token>@<host>` into a sandbox, as Daytona's. The user name is an SSH
// access token (domain/SshAccess.h); "none", password and public-key attempts are all taken only as
// carriers of that name. A session's shell, command or SFTP server runs in the sandbox through its
// agent's process stream (agent/ProcessStream.h) and a forwarded port (`ssh -L`) reaches the sandbox's
// own loopback the same way: never `docker exec`, never an address outside the token's sandbox.
//
// Threads: the listening socket is accepted on coved's io thread; each connection then runs on a thread
// of its own with libssh (which never runs on the io thread). A connection asks the io thread, by
// posting to it, for the two things that touch the store or the engine: the token's check and a
// connected socket to the sandbox's agent. Everything else (libssh, the agent's bytes) stays on the
// connection's thread.
#pragma once

#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <memory>
#include <string>

namespace cove::domain {
class SandboxService;
}

namespace cove::proxy {

class SshGateway {
public:
    // The host key is <dataDir>/ssh_host_ed25519_key (0600), made on the first start and kept.
    SshGateway(boost::asio::io_context& io, domain::SandboxService& sandboxes, std::string dataDir);
    ~SshGateway();

    // Starts accepting on host:port (0: any free port); throws std::runtime_error with a sentence.
    void listen(const std::string& host, unsigned short port);
    unsigned short port() const;
    // Stops accepting; every connection ends within a fraction of a second (the destructor joins them).
    void close();
    // Connections being served now.
    std::size_t connections() const;

    struct Impl; // the connections' threads use it too

private:
    std::shared_ptr<Impl> d;
};

} // namespace cove::proxy
