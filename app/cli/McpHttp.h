// MCP's streamable HTTP transport on a loopback address: POST /mcp answers JSON or, for tool calls, an
// SSE stream (progress, then the result); sessions by Mcp-Session-Id; a bearer key; Host and Origin checked
// against DNS rebinding.
#pragma once

#include "app/cli/McpServer.h"

namespace cove::cli::mcp {

// Serves until the process is ended. `address` is HOST:PORT (a loopback host; port 0 picks one); the key
// comes from `keyFile`, else COVE_MCP_KEY, else it is made up and printed on stderr.
int serveHttp(Provider* provider, const QString& address, const QString& keyFile);

} // namespace cove::cli::mcp
