// Starts a process the way every toolbox command starts: as the sandbox user (groups, gid, uid), with
// the given environment and directory, in its own session and process group, with clean signal
// dispositions and no descriptor of the agent's but the ones asked for.
#pragma once

#include "agent/process/UserInfo.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace cove::agent {

struct SpawnRequest {
    std::vector<std::string> argv; // argv[0] is looked up in PATH of `env`
    std::vector<std::string> env;  // "K=V"
    std::string cwd;               // must exist; empty means the user's home
    int stdinFd = -1;              // -1: inherit the agent's
    int stdoutFd = -1;
    int stderrFd = -1;
    int extraFd = -1; // when set, the child's descriptor 3 (a private channel, as the interpreter's)
    bool controllingTty = false; // stdin is a pty slave that becomes the controlling terminal
};

struct SpawnResult {
    pid_t pid = -1;
    int error = 0;    // errno of the step that failed
    std::string what; // which step: "chdir", "exec", ...
    std::string message() const;
};

// Returns once the child has exec'd or failed; a failure to change directory or exec is reported
// here, not as an exit code.
SpawnResult spawnAs(const UserInfo& user, const SpawnRequest& request);

// Searches PATH of `env` as execvpe would: the first executable hit, else `name` unchanged.
std::string findProgram(const std::string& name, const std::vector<std::string>& env);

// The shell commands run in: the user's login shell when it exists, else bash, else sh.
std::string userShell(const UserInfo& user);

} // namespace cove::agent
