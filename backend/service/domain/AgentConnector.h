// Connects to a sandbox's agent without trusting anything the sandbox controls.
//
// The agent's socket lives in <data>/sandboxes/<id>/run/, which is writable from inside the sandbox, so
// the sandbox could put a symlink there (say, to the Docker socket). We open the entry with
// O_PATH|O_NOFOLLOW, require a socket, connect through /proc/self/fd/N and require that the peer is the
// sandbox's own PID 1 (SO_PEERCRED).
#pragma once

#include <string>
#include <sys/types.h>

namespace cove::domain {

struct ConnectResult {
    int fd = -1;            // a connected, close-on-exec, non-blocking socket; -1 on failure
    std::string error;      // why not, in a sentence
    bool retryable = false; // the socket is not there yet (the agent is starting), or busy
    bool busy = false;      // the socket's queue is full: the agent is swamped, or something squats there
};

// expectedPid: the host pid of the container's PID 1 (Docker's State.Pid).
ConnectResult connectToAgent(const std::string& runDir, pid_t expectedPid);

} // namespace cove::domain
