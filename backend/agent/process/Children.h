// Who waits for which child. PID 1 reaps every process in the container; the exit status of a child
// the toolbox started goes to whoever registered for it, the rest are just collected.
#pragma once

#include <functional>
#include <map>
#include <sys/types.h>

namespace cove::agent {

class Children {
public:
    using OnExit = std::function<void(int waitStatus)>;

    // Call right after fork, on the io thread (the reaper runs there too, so no exit is missed).
    static void watch(pid_t pid, OnExit onExit);
    // Collects every exited child and calls the waiters; returns how many were reaped.
    static int reapAll();
    // Exit code as a shell reports it: the code, or 128 + signal.
    static int exitCode(int waitStatus);

private:
    static std::map<pid_t, OnExit>& waiters();
};

} // namespace cove::agent
