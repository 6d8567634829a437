// Domain rules for sandbox egress, enforced: a DNS resolver that answers a sandbox only the names it may
// reach, and a transparent proxy its TCP is redirected to, which lets a connection through only when the
// name it asks for (TLS server name or HTTP Host) is allowed and its destination is an address the resolver
// answered that sandbox for that name. Both listen on the bridge's gateway; the firewall redirects a
// proxied sandbox's DNS (whatever server it asks) and its TCP (but to its CIDR allow-list) to them.
#pragma once

#include "service/net/Firewall.h"
#include "service/net/Interceptor.h"
#include "service/net/Sniff.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>

#include <chrono>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cove::net {

struct EgressLimits {
    // What the resolver remembers an answered address for (and the TTL it gives the sandbox): at least a
    // minute, since programs keep addresses past short TTLs, and at most an hour.
    static constexpr std::chrono::seconds kMinAnswerTtl{60};
    static constexpr std::chrono::seconds kMaxAnswerTtl{3600};
    static constexpr std::size_t kMaxAnswersPerSandbox = 4096; // (name, address) pairs remembered
    static constexpr std::chrono::seconds kUpstreamTimeout{3};
    // Queries of one sandbox waiting for the upstream, and of all: a flood is answered REFUSED.
    static constexpr int kMaxPendingPerSandbox = 32;
    static constexpr int kMaxPending = 512;
    static constexpr int kMaxDnsStreamsPerSandbox = 8; // DNS over TCP connections
    static constexpr std::chrono::seconds kDnsStreamIdle{10};
    // The proxy: time for a connection's first bytes (its ClientHello or request head), and for the
    // upstream to accept.
    static constexpr std::chrono::seconds kHeadTimeout{5};
    static constexpr std::chrono::seconds kConnectTimeout{10};
    static constexpr int kMaxFlowsPerSandbox = 256;
    static constexpr int kMaxFlows = 4096;
    static constexpr int kMaxRefusalLogsPerMinute = 20; // per sandbox; the counter counts all
};

// Addresses no name may lead a sandbox to: loopback, private, shared, link-local, multicast, reserved.
bool internalAddress(std::uint32_t address);

class EgressGate {
public:
    // `internal`: CIDRs of an internal network names may resolve to (--egress-internal).
    EgressGate(boost::asio::any_io_executor executor, NetworkPlan plan,
               std::vector<boost::asio::ip::udp::endpoint> upstreams, std::vector<std::string> internal);
    ~EgressGate();
    // Binds the resolver (UDP and TCP, one port) and the proxy on the gateway and starts serving.
    void start();
    std::uint16_t resolverPort() const { return m_resolverPort; }
    std::uint16_t proxyPort() const { return m_proxyPort; }
    // A sandbox's rules (forgotten when not proxied). Flows the new rules refuse are cut.
    void set(const std::string& sandboxId, const std::string& ip, const Egress& egress);
    void remove(const std::string& sandboxId);
    void setInterceptor(Interceptor* interceptor) { m_interceptor = interceptor; }
    // Queries and connections refused so far.
    std::uint64_t refused() const { return m_refused; }

private:
    struct Link;
    struct Sandbox;
    using Clock = std::chrono::steady_clock;

    std::shared_ptr<Sandbox> bySource(const boost::asio::ip::address& source) const;
    // Why `s` may not go to `destination` with the head `sniffed`; empty when it may. `verified`: the
    // resolver answered `s` that address for that name. `established`: a flow let through before.
    std::string judge(const Sandbox& s, const Sniffed& sniffed, std::uint32_t destination, bool& verified,
                      bool established) const;
    bool forbiddenDestination(std::uint32_t address) const;
    void refuse(Sandbox& s, const std::string& name, const std::string& address, const std::string& why);

    boost::asio::awaitable<std::string> resolve(std::shared_ptr<Sandbox> s, std::string query);
    boost::asio::awaitable<void> serveUdp();
    boost::asio::awaitable<void> acceptDns();
    boost::asio::awaitable<void> serveDnsStream(std::shared_ptr<Sandbox> s, boost::asio::ip::tcp::socket c);
    boost::asio::awaitable<void> acceptFlows();
    boost::asio::awaitable<void> serveFlow(std::shared_ptr<Sandbox> s, boost::asio::ip::tcp::socket c);

    boost::asio::any_io_executor m_executor;
    NetworkPlan m_plan;
    std::vector<boost::asio::ip::udp::endpoint> m_upstreams;
    std::vector<std::string> m_internal;
    boost::asio::ip::udp::socket m_dnsUdp;
    boost::asio::ip::tcp::acceptor m_dnsTcp, m_proxy;
    std::uint16_t m_resolverPort = 0, m_proxyPort = 0;
    std::map<std::uint32_t, std::shared_ptr<Sandbox>> m_byIp;
    std::map<std::string, std::uint32_t> m_ipOf;
    Interceptor* m_interceptor = nullptr;
    int m_pending = 0, m_flows = 0;
    std::uint64_t m_refused = 0;
};

} // namespace cove::net
