// /process/stream: one process with its streams apart, for coved's SSH gateway. The request is an HTTP
// upgrade ("Upgrade: cove-stream"); after the 101 the connection carries common/StreamFrames.h frames:
// stdin in, stdout and stderr out (or one terminal's output with pty=1), then the exit code. With
// ?port=N it is instead a raw TCP connection to 127.0.0.1:N inside the sandbox (SSH port forwarding).
#pragma once

#include "agent/Routes.h"

#include <boost/asio/local/stream_protocol.hpp>

namespace cove::agent {

inline constexpr std::string_view kStreamPath = "/process/stream";
inline constexpr std::string_view kStreamProtocol = "cove-stream";

// Takes the connection: answers the upgrade (or refuses with an HTTP error) and runs until the stream
// ends. `early` is what was read past the request's header.
awaitable<void> serveProcessStream(Toolbox& t, boost::asio::local::stream_protocol::socket socket,
                                   http::Request req, std::string early);

} // namespace cove::agent
