// The web terminal's WebSocket: coved speaks to the page on one side and to the agent's PTY socket
// (/process/pty/..., the toolbox's own terminal protocol) on the other, and pipes bytes both ways.
//
// Page to coved: binary frames are typed input; text frames are JSON controls: {"type":"resize",
// "cols","rows"}, and {"type":"pause"} / {"type":"resume"} when xterm.js falls behind (coved then stops
// reading from the agent, whose terminal stops reading from the shell: the shell waits, nothing is lost).
// Coved to page: {"type":"control","status":"connected","sessionId","resumeToken"} first, then output
// as binary frames, and {"type":"control","status":"exited","exitCode"} or {"status":"error","error"}
// before the close.
#pragma once

#include "service/api/Route.h"

#include <functional>

namespace cove::proxy {

struct TerminalLink {
    int agentFd = -1;        // a connected socket to the sandbox's agent; the bridge owns it
    std::string agentTarget; // the agent's PTY WebSocket path, with its query
    std::string sessionId;   // the PTY session's id
    // Called once the shell answers: the token the page keeps to reconnect to this session.
    std::function<std::string()> connected;
    // Changes the PTY's size (the agent's REST call); throws ApiError.
    std::function<api::awaitable<void>(unsigned cols, unsigned rows)> resize;
    // Typed input: the sandbox is in use.
    std::function<void()> activity;
};

enum class TerminalEnd { PageLeft, ShellExited, AgentLost };

// Opens the agent's side first (so a refusal is still an HTTP answer: ApiError thrown), then accepts the
// page's WebSocket on `client` (tunnel.streamed is set from then on) and pipes until one side ends.
api::awaitable<TerminalEnd> bridgeTerminal(api::Tunnel& tunnel, http::Request upgrade, TerminalLink link);

} // namespace cove::proxy
