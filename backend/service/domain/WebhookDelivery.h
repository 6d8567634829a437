// One webhook delivery attempt over the network, and the rules of where it may go.
//
// An endpoint's URL is parsed once when it is saved (parseEndpointUrl) and its host resolved again on every
// attempt; every address the name resolves to is checked (refusedAddress) before anything connects, so a
// name that turns into a private address later (DNS rebinding) is refused then. Redirects are never
// followed: a 3xx is a failed attempt.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cove::domain::webhook {

struct EndpointUrl {
    bool https = true;
    std::string host; // a name, or an address ([] removed from IPv6)
    std::uint16_t port = 443;
    std::string target = "/"; // path and query
};

// The URL's parts, or a sentence saying what is wrong with it (scheme, host, user info, length).
std::variant<EndpointUrl, std::string> parseEndpointUrl(const std::string& url);

// Why a delivery must not go to this address, or empty when it may. Always refused: unspecified,
// link-local (the cloud metadata address among them), multicast and reserved addresses, and the networks
// the host's containers live on (Cove's sandbox network, Docker's bridges). Refused unless the endpoint
// allows local addresses: loopback, private (RFC 1918, unique-local, shared), and the host's own addresses.
std::string refusedAddress(const boost::asio::ip::address& address, bool allowLocal);

struct Outcome {
    std::optional<int> status; // the HTTP status, when an answer came
    std::string response;      // the first bytes of the answer's body
    std::string error;         // why there was no (acceptable) answer
    std::int64_t durationMs = 0;
    bool succeeded() const { return status && *status >= 200 && *status < 300; }
};

struct Limits {
    std::chrono::milliseconds timeout; // the whole attempt: resolve, connect, TLS, request, answer
    std::size_t maxResponseBytes;      // read at most this much of the answer's body
    std::size_t excerptBytes;          // keep this much of it
};

// POSTs `body` with `headers` to the endpoint. Never throws: every failure is in the outcome.
boost::asio::awaitable<Outcome> post(boost::asio::any_io_executor ex, EndpointUrl url, bool allowLocal,
                                     std::vector<std::pair<std::string, std::string>> headers,
                                     std::string body, Limits limits);

} // namespace cove::domain::webhook
