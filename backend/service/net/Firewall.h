// The host side of sandbox networking: each installation's sandboxes live on a Docker bridge of their
// own (inter-container traffic off), and a firewall gives every sandbox's address a chain of its own,
// installed before the container exists, so there is never an open window. Sandboxes reach neither each
// other nor the host's ports. What a sandbox may reach (Egress) is decided by the domain.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace cove::net {

using nlohmann::json;

// What a sandbox may reach.
struct Egress {
    // Domains: `domains` by name, through the resolver and proxy (EgressGate.h), and `cidrs` directly.
    enum class Kind { Open, BlockAll, AllowList, Essential, Domains };
    Kind kind = Kind::Open;
    std::vector<std::string> cidrs;          // AllowList, Domains: normalised "a.b.c.d/n"
    std::vector<std::string> domains;        // Domains: canonical names and "*.name" patterns
    std::vector<std::string> blockedDomains; // never reachable by name, whatever else allows
    // Whether its DNS and its TCP (but to `cidrs`) go through the resolver and proxy: with name rules, or
    // when something must see inside its flows (net::Interceptor).
    bool proxied = false;
    bool strict = false;    // no essential services and no other exception (for the DTO)
    bool essential = false; // the essential services are reachable (for the DTO)
    bool operator==(const Egress&) const = default;
    // "open", "block-all", "allow-list", "essential-services", "domains": for the DTO and messages.
    const char* name() const;
    // Whether a proxied sandbox may reach `name` (canonical) by name.
    bool allowsName(const std::string& name) const;
    // Whether the packet filter's part differs (what is reachable directly, not by name).
    bool sameFilter(const Egress& other) const {
        return kind == other.kind && cidrs == other.cidrs && proxied == other.proxied;
    }
};

// Whether `name` (canonical) matches `pattern`: the same name, or for "*.suffix" any name under suffix
// (not suffix itself, as Daytona's "google.com,*.google.com" lists both).
bool nameMatches(const std::string& pattern, const std::string& name);

// IPv4 address arithmetic on host-order integers.
std::optional<std::uint32_t> parseIpv4(const std::string& text);
std::string formatIpv4(std::uint32_t address);
std::uint32_t maskOf(int prefix);
// "a.b.c.d/n" (strict dotted quad, prefix 0-32) as address and prefix.
std::optional<std::pair<std::uint32_t, int>> parseCidr(const std::string& text);

// The bridge network and the address plan of one installation.
struct NetworkPlan {
    std::string name;         // the Docker network, cove-<8 hex of the instance id>
    std::string bridge;       // the host interface, the same name (at most 15 characters)
    std::uint32_t subnet = 0; // a /20
    static constexpr int kPrefix = 20;
    std::uint32_t gateway() const { return subnet + 1; }
    // Docker's own dynamic range: the last /24, kept apart from Cove's static pool.
    std::uint32_t dockerRangeStart() const { return subnet + (1u << (32 - kPrefix)) - 256; }
    std::string cidr() const { return formatIpv4(subnet) + "/" + std::to_string(kPrefix); }
    std::string dockerRange() const { return formatIpv4(dockerRangeStart()) + "/24"; }
    // The first free static address, skipping `used`; nothing when the pool is exhausted.
    std::optional<std::string> allocate(const std::set<std::string>& used) const;

    // Link networks (one per sandbox with followers): their bridges are named linkPrefix + 8 hex of the
    // owner's id, so one wildcard rule (`-i <linkPrefix>+`) covers every one of them.
    std::string linkPrefix; // cl<5 hex of the instance id>
    std::string linkBridge(const std::string& ownerId) const;
    static constexpr int kLinkPrefix = 28; // gateway, owner and up to 13 followers
};

// One link network: the owner and its followers, each at its address there. Followers and owner reach
// one another in both directions, followers never each other, and nothing leaves the bridge.
struct Link {
    std::string bridge;
    std::string ownerIp;
    std::vector<std::string> followerIps;
    bool operator==(const Link&) const = default;
};

// Picks a /20 in 10.208.0.0/12 that overlaps none of `taken` (CIDRs of the host's routes and the
// engine's networks).
std::optional<std::uint32_t> pickSubnet(const std::vector<std::string>& taken);
// Picks a link network's /28 in 10.224.0.0/12 that overlaps none of `taken`.
std::optional<std::uint32_t> pickLinkSubnet(const std::vector<std::string>& taken);
// The host's IPv4 routes as CIDRs (from /proc/net/route).
std::vector<std::string> hostRoutes();
// The resolvers sandbox DNS goes to: Docker's embedded DNS forwards to the host's non-loopback
// nameservers from inside the sandbox's namespace, or to Google's when the host has none.
std::vector<std::string> upstreamResolvers();

// A firewall could not install or check rules; the sentence says what to do. Whoever asked must not let
// a sandbox run without its rules (fail closed).
class FirewallError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The firewall every sandbox's traffic goes through, one chain per sandbox address. Used from the
// service's io thread only, except state(), which may block and is read off it.
class Firewall {
public:
    virtual ~Firewall() = default;
    // Installs the installation's chains and hooks and every known sandbox's chain, replacing whatever
    // was there. Used at start-up and to repair.
    virtual void installAll(const std::map<std::string, std::pair<std::string, Egress>>& sandboxes) = 0;
    // What is installed now, as the firewall reports it (blocking; safe off the io thread).
    virtual std::string state() const = 0;
    // Whether every rule installed is still in place, judged from state().
    virtual bool intact(const std::string& state) const = 0;
    // Where a proxied sandbox's DNS and TCP are redirected to on the gateway (EgressGate); before
    // installAll().
    virtual void setRedirect(std::uint16_t resolverPort, std::uint16_t proxyPort) = 0;
    // Sets one sandbox's chain (creating it when new). Established connections the new policy would
    // refuse are cut.
    virtual void apply(const std::string& sandboxId, const std::string& ip, const Egress& egress) = 0;
    virtual void remove(const std::string& sandboxId) = 0;
    // The essential services' addresses (tiers 1-2); changing them re-applies the affected chains.
    virtual void setEssential(std::vector<std::string> cidrs) = 0;
    // What the steps of an image build may reach (builds run one at a time); block-all while none runs.
    virtual void setBuildEgress(const Egress& egress) = 0;
    // The link networks, by owner id: replaces the rules of all of them.
    virtual void setLinks(std::map<std::string, Link> links) = 0;
    virtual const NetworkPlan& plan() const = 0;
};

// The Linux implementation: iptables chains hung from DOCKER-USER and INPUT. Every change is one
// `iptables-restore --noflush` transaction; a failure throws FirewallError.
class IptablesFirewall final : public Firewall {
public:
    IptablesFirewall(std::string instanceId, NetworkPlan plan);

    // Installs the installation's chains and hooks (dispatcher in DOCKER-USER, the host guard in INPUT)
    // and every known sandbox's chain, replacing whatever was there. Used at start-up and to repair.
    void installAll(const std::map<std::string, std::pair<std::string, Egress>>& sandboxes) override;
    // Whether every rule installed is still in place, judged from `iptables-save` output of the filter
    // and nat tables: the hooks, FORWARD's jump to DOCKER-USER, and each of the installation's chains with
    // exactly as many rules as were put in (an engine restart, someone's `iptables -F`, a chain flushed or a
    // rule deleted behind coved's back all show). The caller runs iptables-save, which may be done off the io
    // thread.
    bool intact(const std::string& saved) const override;
    void setRedirect(std::uint16_t resolverPort, std::uint16_t proxyPort) override;
    // Sets one sandbox's chain (creating it and its dispatcher entry when new), and for a proxied sandbox
    // its nat chain. Established connections the new policy would refuse are cut.
    void apply(const std::string& sandboxId, const std::string& ip, const Egress& egress) override;
    // Removes the sandbox's chain and its dispatcher entry.
    void remove(const std::string& sandboxId) override;
    // The essential services' addresses (tiers 1-2); changing them re-applies the affected chains.
    void setEssential(std::vector<std::string> cidrs) override;
    // What the steps of an image build may reach: builds run one at a time on the bridge, with addresses
    // from Docker's own range (the engine's builder takes no fixed address), whose chain this sets.
    // Block-all while no build runs.
    void setBuildEgress(const Egress& egress) override;
    std::string buildChain() const { return m_prefix + "-BUILD"; }
    // Traffic entering from a link network: between owner and followers only (Link).
    void setLinks(std::map<std::string, Link> links) override;
    std::string linkChain() const { return m_prefix + "-LINK"; }
    const NetworkPlan& plan() const override { return m_plan; }
    // `iptables-save -t filter` and `-t nat`.
    std::string state() const override;
    std::string dispatcherChain() const { return m_prefix; }
    std::string sandboxChain(const std::string& sandboxId) const;
    // In the nat table: the dispatcher (hung from PREROUTING) and a proxied sandbox's redirects.
    std::string natDispatcherChain() const { return m_prefix + "-NAT"; }
    std::string natChain(const std::string& sandboxId) const;

private:
    std::string rulesFor(const std::string& sandboxId) const;
    std::string natRulesFor(const std::string& sandboxId) const;
    std::string natDispatcherRules() const;
    std::string chainRules(const std::string& chain, const Egress& egress) const;
    std::string linkRules() const;
    // Where the installation's chains hang: for traffic from an interface (the bridge, or any link
    // network's), a jump from a chain of a table to a target.
    struct Hook {
        std::string table, chain, interface, target;
    };
    std::vector<Hook> hooks() const;
    bool hasHook(const Hook& hook) const;
    std::string dispatcherRules() const;
    // Everything installAll() puts in, for the installation's chains: the filter table's and the nat
    // table's.
    std::string allRules() const;
    std::string allNatRules() const;
    void restore(const std::string& rules, const std::string& natRules = {}) const;

    std::string m_prefix; // COVE-<8 hex>
    NetworkPlan m_plan;
    std::vector<std::string> m_resolvers;
    std::vector<std::string> m_essential;
    struct Entry {
        std::string ip;
        Egress egress;
    };
    std::map<std::string, Entry> m_sandboxes;
    Egress m_build{Egress::Kind::BlockAll};
    std::uint16_t m_resolverPort = 0, m_proxyPort = 0;
    std::map<std::string, Link> m_links;
};

// The essential-services domains (DAYTONA-FEATURES §7), resolved in the background.
const std::vector<std::string>& essentialDomains();

// Runs a program with `input` on its stdin; returns its exit status (or -1 if it could not run) and
// what it wrote to stdout and stderr.
struct ProgramResult {
    int status = -1;
    std::string output;
};
ProgramResult runProgram(const std::vector<std::string>& argv, const std::string& input = {});

} // namespace cove::net
