// What PID 1 owes a container: reap every orphan and pass on termination. (The image's own command
// runs as the `entrypoint` session, in SessionRoutes.)
#pragma once

namespace cove::agent {

class Init {
public:
    // Collects every exited child; returns how many were reaped.
    static int reapAll();
    // Sends sig to every process in the container but ourselves.
    static void signalAll(int sig);
};

} // namespace cove::agent
