// PID 1 duties, on top of the toolbox's spawn and child registry.
#include "agent/process/Init.h"

#include "agent/process/Children.h"
#include "agent/process/Spawn.h"

#include <cerrno>
#include <csignal>

namespace cove::agent {

pid_t Init::spawn(const std::vector<std::string>& argv, const UserInfo& user,
                  const std::vector<std::string>& env, const std::string& cwd) {
    SpawnRequest req;
    req.argv = argv;
    req.env = env;
    req.cwd = cwd;
    const auto r = spawnAs(user, req);
    if (r.pid < 0)
        errno = r.error;
    return r.pid;
}

int Init::reapAll() {
    return Children::reapAll();
}

void Init::signalAll(int sig) {
    kill(-1, sig);
}

} // namespace cove::agent
