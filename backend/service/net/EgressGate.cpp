#include "service/net/EgressGate.h"
#include "common/Pump.h"

#include "service/net/DnsMessage.h"

#include "common/Random.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/netfilter_ipv4.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>

namespace cove::net {

namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;
using asio::ip::udp;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

bool inCidr(const std::string& cidr, std::uint32_t address) {
    const auto c = parseCidr(cidr);
    return c && (address & maskOf(c->second)) == (c->first & maskOf(c->second));
}

bool inAny(const std::vector<std::string>& cidrs, std::uint32_t address) {
    return std::any_of(cidrs.begin(), cidrs.end(), [&](const std::string& c) { return inCidr(c, address); });
}

// The host's own IPv4 addresses, as they are now.
bool hostAddress(std::uint32_t address) {
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0)
        return true; // cannot tell: treat it as the host's
    bool found = false;
    for (const ifaddrs* i = list; i && !found; i = i->ifa_next)
        if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET)
            found = ntohl(reinterpret_cast<const sockaddr_in*>(i->ifa_addr)->sin_addr.s_addr) == address;
    ::freeifaddrs(list);
    return found;
}

std::uint32_t v4(const asio::ip::address& a) {
    return a.is_v4() ? a.to_v4().to_uint() : 0;
}

// Moves what `from` sends to `to` (common/Pump.h: the bytes never enter coved), then half-closes `to`.
awaitable<void> spliceOneWay(tcp::socket& from, tcp::socket& to) {
    co_await splicePump(from, to, [](std::size_t) {});
    boost::system::error_code ignored;
    to.shutdown(tcp::socket::shutdown_send, ignored);
}

} // namespace

bool internalAddress(std::uint32_t a) {
    static const std::vector<std::string> ranges = {
        "0.0.0.0/8",    "10.0.0.0/8",     "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4"};
    return inAny(ranges, a);
}

// A connection the proxy let through: cut when the sandbox's rules change to refuse it.
struct EgressGate::Link {
    tcp::socket client, upstream;
    Sniffed sniffed;
    std::uint32_t destination = 0;
    void cut() {
        boost::system::error_code ignored;
        client.close(ignored);
        upstream.close(ignored);
    }
};

struct EgressGate::Sandbox {
    std::string id;
    Egress egress;
    bool gone = false;
    // (name, address) → until when the resolver's answer stands.
    std::map<std::pair<std::string, std::uint32_t>, Clock::time_point> answers;
    int pending = 0, dnsStreams = 0, flows = 0;
    std::list<std::weak_ptr<Link>> links;
    Clock::time_point logWindow;
    int logged = 0;
};

EgressGate::EgressGate(asio::any_io_executor executor, NetworkPlan plan, std::vector<udp::endpoint> upstreams,
                       std::vector<std::string> internal)
    : m_executor(executor)
    , m_plan(std::move(plan))
    , m_upstreams(std::move(upstreams))
    , m_internal(std::move(internal))
    , m_dnsUdp(executor)
    , m_dnsTcp(executor)
    , m_proxy(executor) {}

EgressGate::~EgressGate() = default;

void EgressGate::start() {
    const auto gateway = asio::ip::make_address_v4(m_plan.gateway());
    // One port for DNS over UDP and TCP: the first a UDP bind gets that TCP can have too.
    for (int attempt = 0;; ++attempt) {
        udp::socket u(m_executor, udp::endpoint(gateway, 0));
        const auto port = u.local_endpoint().port();
        tcp::acceptor t(m_executor);
        boost::system::error_code ec;
        t.open(tcp::v4());
        t.bind(tcp::endpoint(gateway, port), ec);
        if (ec && attempt < 20)
            continue;
        if (ec)
            throw boost::system::system_error(ec, "binding the sandboxes' resolver");
        t.listen();
        m_dnsUdp = std::move(u);
        m_dnsTcp = std::move(t);
        m_resolverPort = port;
        break;
    }
    m_proxy = tcp::acceptor(m_executor, tcp::endpoint(gateway, 0));
    m_proxyPort = m_proxy.local_endpoint().port();
    asio::co_spawn(m_executor, serveUdp(), asio::detached);
    asio::co_spawn(m_executor, acceptDns(), asio::detached);
    asio::co_spawn(m_executor, acceptFlows(), asio::detached);
}

void EgressGate::set(const std::string& sandboxId, const std::string& ip, const Egress& egress) {
    const auto address = parseIpv4(ip);
    if (!egress.proxied || !address) {
        remove(sandboxId);
        return;
    }
    if (const auto it = m_ipOf.find(sandboxId); it != m_ipOf.end() && it->second != *address)
        remove(sandboxId);
    // An address a deleted sandbox had: its answers and flows are not the new one's.
    if (const auto it = m_byIp.find(*address); it != m_byIp.end() && it->second->id != sandboxId)
        remove(it->second->id);
    auto& s = m_byIp[*address];
    if (!s) {
        s = std::make_shared<Sandbox>();
        s->id = sandboxId;
    }
    m_ipOf[sandboxId] = *address;
    s->egress = egress;
    // Flows the new rules refuse are cut; the answers stand (an address is only ever used with its name).
    for (auto it = s->links.begin(); it != s->links.end();) {
        const auto link = it->lock();
        if (!link) {
            it = s->links.erase(it);
            continue;
        }
        bool verified = false;
        if (!judge(*s, link->sniffed, link->destination, verified, true).empty())
            link->cut();
        ++it;
    }
}

void EgressGate::remove(const std::string& sandboxId) {
    const auto it = m_ipOf.find(sandboxId);
    if (it == m_ipOf.end())
        return;
    if (const auto s = m_byIp.find(it->second); s != m_byIp.end()) {
        s->second->gone = true;
        for (const auto& l : s->second->links)
            if (const auto link = l.lock())
                link->cut();
        m_byIp.erase(s);
    }
    m_ipOf.erase(it);
}

std::shared_ptr<EgressGate::Sandbox> EgressGate::bySource(const asio::ip::address& source) const {
    const auto it = m_byIp.find(v4(source));
    return it == m_byIp.end() ? nullptr : it->second;
}

bool EgressGate::forbiddenDestination(std::uint32_t a) const {
    // What the host itself is or reaches only locally: the proxy connects from the host, so these would
    // pass the isolation the packet filter gives.
    return inCidr("127.0.0.0/8", a) || inCidr("0.0.0.0/8", a) || inCidr("224.0.0.0/3", a) ||
           inCidr(m_plan.cidr(), a) || hostAddress(a);
}

std::string EgressGate::judge(const Sandbox& s, const Sniffed& sniffed, std::uint32_t destination,
                              bool& verified, bool established) const {
    verified = false;
    if (forbiddenDestination(destination))
        return "the address is the host's or another sandbox's";
    const Egress& e = s.egress;
    if (e.kind == Egress::Kind::BlockAll)
        return "the sandbox's egress is blocked";
    const std::string& name = sniffed.host;
    const bool literal = parseIpv4(name).has_value();
    if (!name.empty() && !literal) {
        const auto it = s.answers.find({name, destination});
        verified = it != s.answers.end() && it->second > Clock::now();
    }
    if (e.kind == Egress::Kind::Open) {
        // Open but for the block list: only a blocked name is refused.
        if (!name.empty() && !literal && !e.allowsName(name))
            return "the name is on the sandbox's domainBlockList";
        return {};
    }
    if (sniffed.kind == Sniffed::Kind::Other || sniffed.kind == Sniffed::Kind::NeedMore)
        return "neither TLS nor HTTP, and the address is not on the sandbox's networkAllowList";
    if (name.empty())
        return "no server name (TLS SNI or HTTP Host) was given";
    if (literal)
        return "an IP address is not a name on the sandbox's domainAllowList";
    if (!e.allowsName(name))
        return "the name is not on the sandbox's domainAllowList";
    // A flow already let through was checked then; the answer it used may have expired since.
    if (!verified && !established)
        return "the address is not one Cove's resolver gave the sandbox for that name";
    return {};
}

void EgressGate::refuse(Sandbox& s, const std::string& name, const std::string& address,
                        const std::string& why) {
    ++m_refused;
    const auto now = Clock::now();
    if (now - s.logWindow > std::chrono::minutes(1)) {
        s.logWindow = now;
        s.logged = 0;
    }
    if (++s.logged <= EgressLimits::kMaxRefusalLogsPerMinute)
        std::fprintf(stderr,
                     "coved: egress refused: sandbox %s, name %s, address %s: %s (%llu refused so far)\n",
                     s.id.c_str(), name.empty() ? "(none)" : name.c_str(), address.c_str(), why.c_str(),
                     static_cast<unsigned long long>(m_refused));
    else if (s.logged == EgressLimits::kMaxRefusalLogsPerMinute + 1)
        std::fprintf(stderr,
                     "coved: egress refusals of sandbox %s are counted but not logged for the rest of "
                     "this minute\n",
                     s.id.c_str());
}

awaitable<std::string> EgressGate::resolve(std::shared_ptr<Sandbox> s, std::string message) {
    const auto q = dns::parseQuery(message);
    if (!q) {
        // The id, when there is one, so the client stops waiting.
        dns::Query bare;
        if (message.size() >= 2)
            bare.id = static_cast<std::uint16_t>(static_cast<std::uint8_t>(message[0]) << 8 |
                                                 static_cast<std::uint8_t>(message[1]));
        co_return dns::makeAnswer(bare, dns::Rcode::FormErr);
    }
    if (q->qclass != dns::kClassIn)
        co_return dns::makeAnswer(*q, dns::Rcode::Refused);
    if (!s->egress.allowsName(q->name))
        co_return dns::makeAnswer(*q, dns::Rcode::NxDomain);
    // Sandboxes have IPv4 only: other types of an allowed name have no records here.
    if (q->type != dns::kTypeA)
        co_return dns::makeAnswer(*q, dns::Rcode::NoError);
    if (s->pending >= EgressLimits::kMaxPendingPerSandbox || m_pending >= EgressLimits::kMaxPending)
        co_return dns::makeAnswer(*q, dns::Rcode::Refused);
    ++s->pending;
    ++m_pending;
    std::optional<dns::Answer> answer;
    for (const auto& upstream : m_upstreams) {
        std::uint16_t id = 0;
        randomBytes(&id, sizeof id);
        udp::socket socket(m_executor);
        boost::system::error_code ec;
        socket.open(udp::v4(), ec);
        if (!ec)
            socket.connect(upstream, ec);
        if (ec)
            continue;
        co_await socket.async_send(asio::buffer(dns::makeQuery(id, q->name, dns::kTypeA)), kTuple);
        asio::steady_timer timer(m_executor, EgressLimits::kUpstreamTimeout);
        std::array<char, dns::DnsLimits::kMaxMessage> buf;
        for (;;) {
            auto got = co_await (socket.async_receive(asio::buffer(buf), kTuple) || timer.async_wait(kTuple));
            if (got.index() != 0 || std::get<0>(std::get<0>(got)))
                break;
            const auto a = dns::parseAnswer({buf.data(), std::get<1>(std::get<0>(got))});
            // Someone else's packet, or a spoofed one: keep waiting for the real answer.
            if (a && a->id == id && a->name == q->name && a->type == dns::kTypeA) {
                answer = a;
                break;
            }
        }
        if (answer)
            break;
    }
    --s->pending;
    --m_pending;
    if (!answer)
        co_return dns::makeAnswer(*q, dns::Rcode::ServFail);
    if (answer->rcode != dns::Rcode::NoError)
        co_return dns::makeAnswer(*q, answer->rcode == dns::Rcode::NxDomain ? dns::Rcode::NxDomain
                                                                            : dns::Rcode::ServFail);
    // DNS rebinding: a name may not lead the sandbox into the host, its neighbours or an internal network
    // (but the sandbox's own networkAllowList, and --egress-internal).
    std::vector<std::uint32_t> addresses;
    for (const auto a : answer->addresses) {
        const bool own = inAny(s->egress.cidrs, a);
        if (own || !(forbiddenDestination(a) || (internalAddress(a) && !inAny(m_internal, a))))
            addresses.push_back(a);
        else
            refuse(*s, q->name, formatIpv4(a),
                   "an answer pointing into the host or an internal network "
                   "(DNS rebinding)");
    }
    if (addresses.empty() && !answer->addresses.empty())
        co_return dns::makeAnswer(*q, dns::Rcode::Refused);
    const auto ttl = std::clamp<std::chrono::seconds>(
        std::chrono::seconds(answer->ttl), EgressLimits::kMinAnswerTtl, EgressLimits::kMaxAnswerTtl);
    if (!s->gone) {
        const auto now = Clock::now();
        if (s->answers.size() + addresses.size() > EgressLimits::kMaxAnswersPerSandbox)
            std::erase_if(s->answers, [&](const auto& kv) { return kv.second <= now; });
        for (const auto a : addresses)
            if (s->answers.size() < EgressLimits::kMaxAnswersPerSandbox || s->answers.count({q->name, a}))
                s->answers[{q->name, a}] = now + ttl;
    }
    co_return dns::makeAnswer(*q, dns::Rcode::NoError, addresses, static_cast<std::uint32_t>(ttl.count()));
}

awaitable<void> EgressGate::serveUdp() {
    std::array<char, dns::DnsLimits::kMaxMessage + 1> buf;
    for (;;) {
        udp::endpoint from;
        auto [ec, n] = co_await m_dnsUdp.async_receive_from(asio::buffer(buf), from, kTuple);
        if (ec == asio::error::operation_aborted || !m_dnsUdp.is_open())
            co_return;
        const auto s = ec ? nullptr : bySource(from.address());
        if (!s || n > dns::DnsLimits::kMaxMessage)
            continue; // not a proxied sandbox, or too large to be a query: silence
        asio::co_spawn(
            m_executor,
            [this, s, from, message = std::string(buf.data(), n)]() -> awaitable<void> {
                const std::string reply = co_await resolve(s, message);
                co_await m_dnsUdp.async_send_to(asio::buffer(reply), from, kTuple);
            },
            asio::detached);
    }
}

awaitable<void> EgressGate::acceptDns() {
    for (;;) {
        auto [ec, c] = co_await m_dnsTcp.async_accept(kTuple);
        if (ec == asio::error::operation_aborted || !m_dnsTcp.is_open())
            co_return;
        if (ec)
            continue;
        boost::system::error_code e;
        const auto s = bySource(c.remote_endpoint(e).address());
        if (!s || s->dnsStreams >= EgressLimits::kMaxDnsStreamsPerSandbox)
            continue; // closes it
        asio::co_spawn(m_executor, serveDnsStream(s, std::move(c)), asio::detached);
    }
}

awaitable<void> EgressGate::serveDnsStream(std::shared_ptr<Sandbox> s, tcp::socket c) {
    ++s->dnsStreams;
    std::array<char, dns::DnsLimits::kMaxMessage> buf;
    for (;;) {
        asio::steady_timer idle(m_executor, EgressLimits::kDnsStreamIdle);
        std::array<unsigned char, 2> prefix;
        auto got = co_await (asio::async_read(c, asio::buffer(prefix), kTuple) || idle.async_wait(kTuple));
        if (got.index() != 0 || std::get<0>(std::get<0>(got)))
            break;
        const std::size_t length = prefix[0] << 8 | prefix[1];
        if (length == 0 || length > buf.size())
            break;
        auto body = co_await (asio::async_read(c, asio::buffer(buf.data(), length), kTuple) ||
                              idle.async_wait(kTuple));
        if (body.index() != 0 || std::get<0>(std::get<0>(body)))
            break;
        const std::string reply = co_await resolve(s, std::string(buf.data(), length));
        const std::array<unsigned char, 2> out{static_cast<unsigned char>(reply.size() >> 8),
                                               static_cast<unsigned char>(reply.size() & 0xFF)};
        const std::array<asio::const_buffer, 2> pieces{asio::buffer(out), asio::buffer(reply)};
        auto [wec, w] = co_await asio::async_write(c, pieces, kTuple);
        (void)w;
        if (wec)
            break;
    }
    --s->dnsStreams;
}

awaitable<void> EgressGate::acceptFlows() {
    for (;;) {
        auto [ec, c] = co_await m_proxy.async_accept(kTuple);
        if (ec == asio::error::operation_aborted || !m_proxy.is_open())
            co_return;
        if (ec)
            continue;
        boost::system::error_code e;
        const auto s = bySource(c.remote_endpoint(e).address());
        if (!s)
            continue;
        if (s->flows >= EgressLimits::kMaxFlowsPerSandbox || m_flows >= EgressLimits::kMaxFlows) {
            refuse(*s, {}, "-", "too many connections at once");
            continue;
        }
        asio::co_spawn(m_executor, serveFlow(s, std::move(c)), asio::detached);
    }
}

awaitable<void> EgressGate::serveFlow(std::shared_ptr<Sandbox> s, tcp::socket client) {
    ++s->flows;
    ++m_flows;
    struct Count {
        Sandbox& s;
        int& all;
        ~Count() {
            --s.flows;
            --all;
        }
    } count{*s, m_flows};
    sockaddr_in original{};
    socklen_t length = sizeof original;
    if (::getsockopt(client.native_handle(), SOL_IP, SO_ORIGINAL_DST, &original, &length) != 0)
        co_return;
    const std::uint32_t destination = ntohl(original.sin_addr.s_addr);
    const std::uint16_t port = ntohs(original.sin_port);
    const std::string where = formatIpv4(destination) + ":" + std::to_string(port);

    // The head, until it names its server or cannot, within the time limit. An open sandbox (proxied for
    // its block list or its secrets) may speak first-from-server protocols: the limit ends the wait.
    std::string head;
    Sniffed sniffed;
    asio::steady_timer deadline(m_executor, EgressLimits::kHeadTimeout);
    std::array<char, 4096> buf;
    while (sniffed.kind == Sniffed::Kind::NeedMore) {
        const std::size_t room = std::min(buf.size(), SniffLimits::kMaxHead - head.size());
        auto got = co_await (client.async_read_some(asio::buffer(buf.data(), room), kTuple) ||
                             deadline.async_wait(kTuple));
        if (got.index() != 0)
            break; // the time limit
        const auto [ec, n] = std::get<0>(got);
        if (ec)
            co_return;
        head.append(buf.data(), n);
        sniffed = sniff(head);
    }
    bool verified = false;
    if (s->gone)
        co_return;
    if (const std::string why = judge(*s, sniffed, destination, verified, false); !why.empty()) {
        refuse(*s, sniffed.host, where, why);
        co_return;
    }
    Flow flow{s->id,
              sniffed.host,
              port,
              tcp::endpoint(asio::ip::make_address_v4(destination), port),
              sniffed.kind == Sniffed::Kind::Tls,
              verified};
    if (m_interceptor && m_interceptor->wants(flow)) {
        co_await m_interceptor->relay(std::move(client), std::move(head), std::move(flow));
        co_return;
    }
    auto link =
        std::make_shared<Link>(Link{std::move(client), tcp::socket(m_executor), sniffed, destination});
    if (s->links.size() >= static_cast<std::size_t>(EgressLimits::kMaxFlowsPerSandbox))
        s->links.remove_if([](const std::weak_ptr<Link>& l) { return l.expired(); });
    s->links.push_back(link);
    asio::steady_timer connectLimit(m_executor, EgressLimits::kConnectTimeout);
    auto connected =
        co_await (link->upstream.async_connect(flow.destination, kTuple) || connectLimit.async_wait(kTuple));
    if (connected.index() != 0 || std::get<0>(std::get<0>(connected)))
        co_return;
    auto [wec, w] = co_await asio::async_write(link->upstream, asio::buffer(head), kTuple);
    (void)w;
    if (wec)
        co_return;
    boost::system::error_code ignored;
    link->client.non_blocking(true, ignored);
    link->upstream.non_blocking(true, ignored);
    co_await (spliceOneWay(link->client, link->upstream) && spliceOneWay(link->upstream, link->client));
}

} // namespace cove::net
