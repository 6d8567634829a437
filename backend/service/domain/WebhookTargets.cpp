// Where a webhook may go: an endpoint URL's parts, and the addresses deliveries never reach.
#include "service/domain/WebhookDelivery.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <cstring>

namespace cove::domain::webhook {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxUrlBytes = 2048;

bool hasPrefix(const std::string& s, const char* p) {
    return s.rfind(p, 0) == 0;
}

// An address and mask of one of the host's interfaces.
struct Net {
    asio::ip::address address;
    asio::ip::address mask;
    std::string interface;
};

std::vector<Net> hostNetworks() {
    std::vector<Net> out;
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0)
        return out;
    for (ifaddrs* i = list; i; i = i->ifa_next) {
        if (!i->ifa_addr || !i->ifa_netmask)
            continue;
        Net n;
        n.interface = i->ifa_name ? i->ifa_name : "";
        if (i->ifa_addr->sa_family == AF_INET) {
            const auto* a = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
            const auto* m = reinterpret_cast<const sockaddr_in*>(i->ifa_netmask);
            n.address = asio::ip::address_v4(ntohl(a->sin_addr.s_addr));
            n.mask = asio::ip::address_v4(ntohl(m->sin_addr.s_addr));
        } else if (i->ifa_addr->sa_family == AF_INET6) {
            const auto* a = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
            const auto* m = reinterpret_cast<const sockaddr_in6*>(i->ifa_netmask);
            asio::ip::address_v6::bytes_type ab, mb;
            std::memcpy(ab.data(), &a->sin6_addr, 16);
            std::memcpy(mb.data(), &m->sin6_addr, 16);
            n.address = asio::ip::address_v6(ab);
            n.mask = asio::ip::address_v6(mb);
        } else {
            continue;
        }
        out.push_back(std::move(n));
    }
    freeifaddrs(list);
    return out;
}

bool sameNetwork(const asio::ip::address& a, const Net& n) {
    if (a.is_v4() && n.address.is_v4()) {
        const auto m = n.mask.to_v4().to_uint();
        return (a.to_v4().to_uint() & m) == (n.address.to_v4().to_uint() & m);
    }
    if (a.is_v6() && n.address.is_v6()) {
        const auto x = a.to_v6().to_bytes(), y = n.address.to_v6().to_bytes(), m = n.mask.to_v6().to_bytes();
        for (std::size_t i = 0; i < 16; ++i)
            if ((x[i] & m[i]) != (y[i] & m[i]))
                return false;
        return true;
    }
    return false;
}

// The bridges containers live on: Docker's default one, user-defined networks, Cove's sandbox network.
bool containerInterface(const std::string& name) {
    return hasPrefix(name, "docker") || hasPrefix(name, "br-") || hasPrefix(name, "cove-") ||
           hasPrefix(name, "veth");
}

bool inV4(std::uint32_t a, std::uint32_t net, int bits) {
    const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t(0) << (32 - bits);
    return (a & mask) == (net & mask);
}

std::string classifyV4(std::uint32_t a, bool allowLocal) {
    if (inV4(a, 0x00000000, 8))
        return "an unspecified address";
    if (inV4(a, 0xA9FE0000, 16))
        return "a link-local address (where cloud metadata services answer)";
    if (inV4(a, 0xE0000000, 4))
        return "a multicast address";
    if (inV4(a, 0xF0000000, 4))
        return "a reserved or broadcast address";
    if (allowLocal)
        return {};
    if (inV4(a, 0x7F000000, 8))
        return "a loopback address";
    if (inV4(a, 0x0A000000, 8) || inV4(a, 0xAC100000, 12) || inV4(a, 0xC0A80000, 16))
        return "a private address";
    if (inV4(a, 0x64400000, 10))
        return "a shared (carrier-grade NAT) address";
    if (inV4(a, 0xC0000000, 24) || inV4(a, 0xC6120000, 15))
        return "a reserved address";
    return {};
}

} // namespace

std::variant<EndpointUrl, std::string> parseEndpointUrl(const std::string& url) {
    if (url.empty() || url.size() > kMaxUrlBytes)
        return "The endpoint URL must be 1 to " + std::to_string(kMaxUrlBytes) + " characters long.";
    for (const unsigned char c : url)
        if (c <= 0x20 || c >= 0x7f)
            return std::string("The endpoint URL must not hold spaces, control characters or non-ASCII "
                               "characters; percent-encode them.");
    EndpointUrl u;
    std::string rest;
    if (hasPrefix(url, "https://")) {
        u.https = true;
        u.port = 443;
        rest = url.substr(8);
    } else if (hasPrefix(url, "http://")) {
        u.https = false;
        u.port = 80;
        rest = url.substr(7);
    } else {
        return std::string("The endpoint URL must start with https:// (or http:// for a local receiver).");
    }
    const auto slash = rest.find_first_of("/?#");
    std::string authority = rest.substr(0, slash);
    u.target = slash == std::string::npos ? "/" : rest.substr(slash);
    if (const auto hash = u.target.find('#'); hash != std::string::npos)
        u.target.erase(hash);
    if (u.target.empty() || u.target[0] == '?')
        u.target = "/" + u.target;
    if (authority.find('@') != std::string::npos)
        return std::string("The endpoint URL must not hold a user name or password.");
    std::string port;
    if (!authority.empty() && authority[0] == '[') {
        const auto close = authority.find(']');
        if (close == std::string::npos)
            return std::string("The endpoint URL's IPv6 address lacks its closing ']'.");
        u.host = authority.substr(1, close - 1);
        const std::string after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after[0] != ':')
                return std::string("The endpoint URL's host is malformed.");
            port = after.substr(1);
        }
        boost::system::error_code ec;
        asio::ip::make_address_v6(u.host, ec);
        if (ec)
            return std::string("The endpoint URL's IPv6 address is malformed.");
    } else {
        const auto colon = authority.find(':');
        u.host = authority.substr(0, colon);
        if (colon != std::string::npos)
            port = authority.substr(colon + 1);
    }
    if (u.host.empty() || u.host.size() > 253)
        return std::string("The endpoint URL needs a host name or address.");
    if (u.host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:") !=
        std::string::npos)
        return std::string("The endpoint URL's host may hold letters, digits, '.', '-' (and ':' in IPv6).");
    if (!port.empty()) {
        if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
            std::stoi(port) < 1 || std::stoi(port) > 65535)
            return std::string("The endpoint URL's port must be a number from 1 to 65535.");
        u.port = static_cast<std::uint16_t>(std::stoi(port));
    }
    return u;
}

std::string refusedAddress(const asio::ip::address& address, bool allowLocal) {
    asio::ip::address a = address;
    if (a.is_v6() && a.to_v6().is_v4_mapped())
        a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
    std::string why;
    if (a.is_v4()) {
        why = classifyV4(a.to_v4().to_uint(), allowLocal);
    } else {
        const auto v6 = a.to_v6();
        const auto b = v6.to_bytes();
        if (v6.is_unspecified())
            why = "an unspecified address";
        else if (v6.is_link_local() || (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0))
            why = "a link-local address";
        else if (v6.is_multicast())
            why = "a multicast address";
        else if (b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 &&
                 b[7] == 0 && b[8] == 0 && b[9] == 0 && b[10] == 0 && b[11] == 0 && !v6.is_loopback())
            why = "an IPv4-compatible address"; // deprecated ::a.b.c.d
        else if (!allowLocal && v6.is_loopback())
            why = "a loopback address";
        else if (!allowLocal && (b[0] & 0xfe) == 0xfc)
            why = "a private (unique-local) address";
        else if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
            why = "a NAT64 address";
    }
    if (!why.empty())
        return why;
    for (const auto& n : hostNetworks()) {
        if (containerInterface(n.interface) && sameNetwork(a, n))
            return "an address of the network the host's containers (sandboxes) live on";
        if (!allowLocal && n.address == a)
            return "an address of this host";
    }
    return {};
}

} // namespace cove::domain::webhook
