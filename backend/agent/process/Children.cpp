// Child exit dispatch for the agent's single io thread.
#include "agent/process/Children.h"

#include <sys/wait.h>

namespace cove::agent {

std::map<pid_t, Children::OnExit>& Children::waiters() {
    static std::map<pid_t, OnExit> w;
    return w;
}

void Children::watch(pid_t pid, OnExit onExit) {
    waiters()[pid] = std::move(onExit);
}

int Children::reapAll() {
    int n = 0;
    for (;;) {
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid <= 0)
            return n;
        ++n;
        if (auto it = waiters().find(pid); it != waiters().end()) {
            auto onExit = std::move(it->second);
            waiters().erase(it);
            if (onExit)
                onExit(status);
        }
    }
}

int Children::exitCode(int waitStatus) {
    if (WIFEXITED(waitStatus))
        return WEXITSTATUS(waitStatus);
    if (WIFSIGNALED(waitStatus))
        return 128 + WTERMSIG(waitStatus);
    return -1;
}

} // namespace cove::agent
