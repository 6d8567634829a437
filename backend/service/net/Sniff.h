// What the egress proxy reads from the first bytes a sandbox sends on a connection: the server name of a
// TLS ClientHello or the Host of an HTTP request. The bytes are the sandbox's (hostile): every read is
// bounds-checked, and a head that has not decided within SniffLimits::kMaxHead bytes is "other".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cove::net {

struct SniffLimits {
    static constexpr std::size_t kMaxHead = 16 * 1024 + 5; // one TLS record, or an HTTP request head
};

struct Sniffed {
    enum class Kind {
        NeedMore, // the head may still turn out to be TLS or HTTP
        Tls,
        Http,
        Other // neither (or too long to tell)
    };
    Kind kind = Kind::NeedMore;
    // Lower case, no port, no trailing dot; empty when the head names no server (TLS without SNI, HTTP/1.0
    // without Host).
    std::string host;
};

Sniffed sniff(std::string_view head);

} // namespace cove::net
