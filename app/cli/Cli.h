// cove-cli's entry points: the commands for people and scripts, and the MCP server for agents.
#pragma once

#include <QStringList>

namespace cove::cli {

// Exit codes scripts can rely on (documented in cove-cli.1).
enum Exit : int {
    kOk = 0,
    kFailed = 1,      // the operation failed (coved said why)
    kUsage = 2,       // the command line is wrong
    kUnreachable = 3, // no coved answers at the target
    kAuth = 4,        // the key is missing or refused, or lacks the scope
    kNotFound = 5,    // the sandbox, snapshot, volume or key does not exist
    kConflict = 6,    // the state does not allow it (409) or a quota is exhausted (403/429)
};

// `cove-cli <command> …` (args without the program name).
int runCommand(const QStringList& args);
// `cove-cli mcp …`: the Model Context Protocol server.
int runMcp(const QStringList& args);

} // namespace cove::cli
