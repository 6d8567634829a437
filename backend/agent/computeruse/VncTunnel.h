// The VNC byte stream over a WebSocket: the client's binary frames go to x11vnc on localhost and its
// output comes back as binary frames, so a noVNC-style client reaches the desktop through the toolbox
// (and coved's authenticated proxy) without the sandbox's network.
#pragma once

#include "agent/Call.h"
#include "agent/computeruse/Desktop.h"

#include <memory>

namespace cove::agent {
class WebSocket;
}

namespace cove::agent::computeruse {

// Refuses (before the upgrade is answered) when computer use is not running; echoes the "binary"
// subprotocol noVNC offers.
awaitable<void> vncTunnel(const Desktop& desktop, Call c, std::shared_ptr<WebSocket> ws);

} // namespace cove::agent::computeruse
