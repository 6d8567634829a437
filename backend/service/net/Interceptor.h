// The seam between the egress proxy (net/), which decides where a sandbox's connections may go, and
// whoever must see inside the ones it allows: the organization's secrets (domain/), whose placeholders are
// swapped for their values only on the way to a secret's allowed hosts.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <string>

namespace cove::net {

// One connection the egress proxy has accepted from a sandbox and allowed.
struct Flow {
    std::string sandboxId;
    // The name the sandbox asked for: the TLS ClientHello's server name, or the HTTP Host header (lower
    // case, no port, no trailing dot).
    std::string host;
    std::uint16_t port = 0;
    // Where the sandbox sent the connection (its original destination).
    boost::asio::ip::tcp::endpoint destination;
    bool tls = false;
    // Whether `destination` is known to belong to `host`: an address Cove's resolver answered the sandbox
    // for that name, or one the proxy resolved itself. A plain-HTTP flow whose destination is not verified
    // may be anyone's server claiming the name.
    bool destinationVerified = false;
};

class Interceptor {
public:
    virtual ~Interceptor() = default;
    // Whether this flow must go through relay() instead of being spliced through unchanged. Called on the
    // proxy's thread; must not block.
    virtual bool wants(const Flow& flow) = 0;
    // Takes the connection over: `client` is the sandbox's socket and `head` what the proxy already read
    // from it (a TLS ClientHello, or the start of an HTTP request). Connects to the destination itself and
    // relays both ways until either side closes.
    virtual boost::asio::awaitable<void> relay(boost::asio::ip::tcp::socket client, std::string head,
                                               Flow flow) = 0;
};

} // namespace cove::net
