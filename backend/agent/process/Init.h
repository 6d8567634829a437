// What PID 1 owes a container: reap every orphan, run the image's own command, pass on termination.
#pragma once

#include "agent/process/UserInfo.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace cove::agent {

class Init {
public:
    // Starts argv (the image's entrypoint and cmd) as `user` in `cwd` with `env`, stdio inherited so
    // `docker logs` shows it. Returns the child's pid, or -1 with errno set.
    static pid_t spawn(const std::vector<std::string>& argv, const UserInfo& user,
                       const std::vector<std::string>& env, const std::string& cwd);
    // Collects every exited child; returns how many were reaped.
    static int reapAll();
    // Sends sig to every process in the container but ourselves.
    static void signalAll(int sig);
};

} // namespace cove::agent
