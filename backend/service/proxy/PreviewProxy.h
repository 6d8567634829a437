// Preview URLs, as Daytona serves them: a request addressed to a port of a sandbox, by host name
// ("<port>-<sandboxId>.localhost:<coved port>", what browsers use) or by path
// ("/preview/<sandboxId>/<port>/...", what any client can use), is relayed to that port on the container's
// own address: any method, HTTP or WebSocket, streamed both ways. A signed preview token may stand where the
// sandbox id stands.
//
// Private sandboxes (and the reserved ports, even on public ones) need the sandbox's preview token
// (header X-Daytona-Preview-Token, query DAYTONA_SANDBOX_AUTH_KEY, or the cookie a browser gets for it), a
// signed preview URL, or an API key of the sandbox's organization. None of these reaches the sandbox.
// A browser's first visit shows Daytona's warning page until the user confirms it once.
#pragma once

#include "service/api/HttpServer.h"

#include <map>

namespace cove::domain {
class SandboxService;
}
namespace cove::engine {
class Engine;
}

namespace cove::proxy {

class PreviewProxy : public api::RequestTakeover {
public:
    PreviewProxy(domain::SandboxService& sandboxes, engine::Engine& engine, api::ServerHooks hooks);

    bool claims(const http::Request& head) const override;
    api::awaitable<bool> serve(boost::asio::ip::tcp::socket& client, boost::beast::flat_buffer& buffer,
                               http::bhttp::request_parser<http::bhttp::string_body>& parser,
                               std::string clientIp) override;

    // Daytona previews ports 3000-9999 and its reserved ports: 22222 (web terminal) and 33333 (recording
    // dashboard), which need the token even on a public sandbox.
    static bool portAllowed(int port) { return (port >= 3000 && port <= 9999) || alwaysPrivate(port); }
    static bool alwaysPrivate(int port) { return port == 22222 || port == 33333; }

    struct Address;

private:
    struct Exchange;
    api::awaitable<std::optional<http::Response>> handle(Exchange& x);
    api::awaitable<boost::asio::ip::tcp::socket> connectUpstream(const std::string& sandboxId,
                                                                 const std::string& container, int port,
                                                                 const std::string& name);
    api::awaitable<std::string> containerAddress(const std::string& sandboxId, const std::string& container,
                                                 bool refresh);
    api::awaitable<bool> relay(Exchange& x, boost::asio::ip::tcp::socket& upstream);
    // Counts the sandbox as active every so often, until cancelled.
    api::awaitable<void> keepActive(std::string sandboxId);

    domain::SandboxService& m_sandboxes;
    engine::Engine& m_engine;
    api::ServerHooks m_hooks;
    std::map<std::string, std::string> m_addresses; // sandbox id -> container IP, until a connect fails
};

} // namespace cove::proxy
