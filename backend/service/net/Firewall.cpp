#include "service/net/Firewall.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

extern char** environ;

namespace cove::net {

namespace {

// The static pool: everything in the /20 but the network, the gateway, Docker's range and broadcast.
constexpr std::uint32_t kPoolFirst = 2;

} // namespace

std::uint32_t maskOf(int prefix) {
    return prefix == 0 ? 0 : ~0u << (32 - prefix);
}

namespace {

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

} // namespace

std::optional<std::pair<std::uint32_t, int>> parseCidr(const std::string& text) {
    const auto slash = text.find('/');
    if (slash == std::string::npos)
        return std::nullopt;
    const auto address = parseIpv4(text.substr(0, slash));
    const std::string bits = text.substr(slash + 1);
    if (!address || bits.empty() || bits.size() > 2 || !std::all_of(bits.begin(), bits.end(), ::isdigit) ||
        (bits.size() == 2 && bits[0] == '0'))
        return std::nullopt;
    const int prefix = std::stoi(bits);
    if (prefix > 32)
        return std::nullopt;
    return std::make_pair(*address, prefix);
}

namespace {

bool overlaps(std::uint32_t a, int aPrefix, std::uint32_t b, int bPrefix) {
    const auto m = maskOf(std::min(aPrefix, bPrefix));
    return (a & m) == (b & m);
}

} // namespace

const char* Egress::name() const {
    if (essential && kind != Kind::BlockAll)
        return "essential-services"; // by name or by address
    switch (kind) {
    case Kind::Open:
        return "open";
    case Kind::BlockAll:
        return "block-all";
    case Kind::AllowList:
        return "allow-list";
    case Kind::Essential:
        return "essential-services";
    case Kind::Domains:
        return "domains";
    }
    return "open";
}

bool Egress::allowsName(const std::string& host) const {
    const auto matches = [&](const std::vector<std::string>& patterns) {
        return std::any_of(patterns.begin(), patterns.end(),
                           [&](const std::string& p) { return nameMatches(p, host); });
    };
    if (host.empty() || matches(blockedDomains))
        return false;
    return kind == Kind::Open || (kind == Kind::Domains && matches(domains));
}

bool nameMatches(const std::string& pattern, const std::string& name) {
    if (pattern.rfind("*.", 0) != 0)
        return pattern == name;
    const std::string_view suffix = std::string_view(pattern).substr(1); // ".name"
    return name.size() > suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::optional<std::uint32_t> parseIpv4(const std::string& text) {
    std::uint32_t value = 0;
    int parts = 0;
    std::size_t i = 0;
    while (parts < 4) {
        std::size_t j = i;
        while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])))
            ++j;
        const std::size_t len = j - i;
        if (len == 0 || len > 3 || (len > 1 && text[i] == '0'))
            return std::nullopt;
        const int octet = std::stoi(text.substr(i, len));
        if (octet > 255)
            return std::nullopt;
        value = (value << 8) | static_cast<std::uint32_t>(octet);
        ++parts;
        if (parts < 4) {
            if (j >= text.size() || text[j] != '.')
                return std::nullopt;
            i = j + 1;
        } else if (j != text.size()) {
            return std::nullopt;
        }
    }
    return value;
}

std::string formatIpv4(std::uint32_t a) {
    return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." +
           std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
}

std::optional<std::string> NetworkPlan::allocate(const std::set<std::string>& used) const {
    for (std::uint32_t a = subnet + kPoolFirst; a < dockerRangeStart(); ++a) {
        std::string ip = formatIpv4(a);
        if (!used.count(ip))
            return ip;
    }
    return std::nullopt;
}

std::string NetworkPlan::linkBridge(const std::string& ownerId) const {
    std::string hex;
    for (char c : ownerId)
        if (c != '-' && hex.size() < 8)
            hex += c;
    return linkPrefix + hex; // 15 characters: the kernel's limit for an interface name
}

namespace {

// The first block of `prefix` bits in the /12 at `base` that overlaps none of `taken`.
std::optional<std::uint32_t> pickIn(const char* base, int prefix, const std::vector<std::string>& taken) {
    const std::uint32_t first = *parseIpv4(base);
    const std::uint32_t count = 1u << (prefix - 12);
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::uint32_t candidate = first + (i << (32 - prefix));
        bool clash = false;
        for (const auto& t : taken) {
            const auto c = parseCidr(t);
            // The default route (0.0.0.0/0) overlaps everything and decides nothing.
            if (c && c->second > 0 && overlaps(candidate, prefix, c->first, c->second)) {
                clash = true;
                break;
            }
        }
        if (!clash)
            return candidate;
    }
    return std::nullopt;
}

} // namespace

std::optional<std::uint32_t> pickSubnet(const std::vector<std::string>& taken) {
    return pickIn("10.208.0.0", NetworkPlan::kPrefix, taken);
}

std::optional<std::uint32_t> pickLinkSubnet(const std::vector<std::string>& taken) {
    return pickIn("10.224.0.0", NetworkPlan::kLinkPrefix, taken);
}

std::vector<std::string> hostRoutes() {
    std::vector<std::string> out;
    std::ifstream in("/proc/net/route");
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string iface, dest, gateway, flags, refcnt, use, metric, mask;
        if (!(fields >> iface >> dest >> gateway >> flags >> refcnt >> use >> metric >> mask))
            continue;
        // Little-endian hex as the kernel prints it.
        const std::uint32_t d = ntohl(static_cast<std::uint32_t>(std::stoul(dest, nullptr, 16)));
        const std::uint32_t m = ntohl(static_cast<std::uint32_t>(std::stoul(mask, nullptr, 16)));
        out.push_back(formatIpv4(d) + "/" + std::to_string(__builtin_popcount(m)));
    }
    return out;
}

std::vector<std::string> upstreamResolvers() {
    std::vector<std::string> out;
    std::ifstream in("/etc/resolv.conf");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string key, value;
        if (fields >> key >> value && key == "nameserver") {
            const auto a = parseIpv4(value);
            if (a && (*a >> 24) != 127)
                out.push_back(value);
        }
    }
    if (out.empty())
        out = {"8.8.8.8", "8.8.4.4"};
    return out;
}

ProgramResult runProgram(const std::vector<std::string>& argv, const std::string& input) {
    ProgramResult result;
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0)
        return result;
    if (::pipe2(out, O_CLOEXEC) != 0) {
        ::close(in[0]);
        ::close(in[1]);
        return result;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, out[1], 2);
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
        ::close(in[1]);
        ::close(out[0]);
        result.output = argv[0] + ": " + std::strerror(rc);
        return result;
    }
    // Feed stdin and drain stdout together: either side may fill its pipe first.
    std::size_t written = 0;
    int writeFd = in[1];
    if (input.empty()) {
        ::close(writeFd);
        writeFd = -1;
    }
    for (;;) {
        pollfd fds[2] = {{out[0], POLLIN, 0}, {writeFd, POLLOUT, 0}};
        if (::poll(fds, writeFd >= 0 ? 2 : 1, -1) < 0 && errno != EINTR)
            break;
        if (writeFd >= 0 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
            const ssize_t n = ::write(writeFd, input.data() + written, input.size() - written);
            if (n > 0)
                written += static_cast<std::size_t>(n);
            if (n < 0 || written == input.size()) {
                ::close(writeFd);
                writeFd = -1;
            }
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            char buf[4096];
            const ssize_t n = ::read(out[0], buf, sizeof buf);
            if (n <= 0)
                break;
            result.output.append(buf, static_cast<std::size_t>(n));
        }
    }
    if (writeFd >= 0)
        ::close(writeFd);
    ::close(out[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

IptablesFirewall::IptablesFirewall(std::string instanceId, NetworkPlan plan)
    : m_prefix("COVE-" + instanceId.substr(0, 8))
    , m_plan(std::move(plan))
    , m_resolvers(upstreamResolvers()) {}

std::string IptablesFirewall::sandboxChain(const std::string& sandboxId) const {
    std::string hex;
    for (char c : sandboxId)
        if (c != '-' && hex.size() < 12)
            hex += c;
    return m_prefix + "-" + hex; // 26 characters: iptables allows 28
}

std::string IptablesFirewall::natChain(const std::string& sandboxId) const {
    return m_prefix + "-N" + sandboxChain(sandboxId).substr(m_prefix.size() + 1); // 27 characters
}

std::string IptablesFirewall::natDispatcherRules() const {
    const std::string d = natDispatcherChain();
    std::string r = ":" + d + " - [0:0]\n";
    for (const auto& [id, e] : m_sandboxes)
        if (e.egress.proxied)
            r += "-A " + d + " -s " + e.ip + "/32 -m comment --comment cove:" + id + " -g " + natChain(id) +
                 "\n";
    return r;
}

std::string IptablesFirewall::natRulesFor(const std::string& id) const {
    const Egress& egress = m_sandboxes.at(id).egress;
    const std::string c = natChain(id);
    std::string r = ":" + c + " - [0:0]\n";
    if (!egress.proxied)
        return r;
    const std::string gateway = formatIpv4(m_plan.gateway());
    // Every DNS query, whatever server it names (Docker's embedded DNS forwards from the sandbox's own
    // address; root in the sandbox can edit resolv.conf), goes to the resolver.
    for (const char* proto : {"udp", "tcp"})
        r += "-A " + c + " -p " + proto + " --dport 53 -j DNAT --to-destination " + gateway + ":" +
             std::to_string(m_resolverPort) + "\n";
    // The CIDR allow-list is reached directly, with every protocol; all other TCP goes to the proxy.
    if (egress.kind == Egress::Kind::Domains || egress.kind == Egress::Kind::AllowList)
        for (const auto& cidr : egress.cidrs)
            r += "-A " + c + " -d " + cidr + " -j RETURN\n";
    if (egress.kind != Egress::Kind::BlockAll)
        r += "-A " + c + " -p tcp -j DNAT --to-destination " + gateway + ":" + std::to_string(m_proxyPort) +
             "\n";
    return r;
}

void IptablesFirewall::setRedirect(std::uint16_t resolverPort, std::uint16_t proxyPort) {
    m_resolverPort = resolverPort;
    m_proxyPort = proxyPort;
}

std::string IptablesFirewall::dispatcherRules() const {
    const std::string& d = m_prefix;
    const std::string in = d + "-IN";
    std::string r;
    r += ":" + d + " - [0:0]\n";
    // Replies to connections the policy allowed, both ways.
    r += "-A " + d + " -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN\n";
    // Sandbox to sandbox: never (Docker's icc=false drops it too; REJECT fails fast).
    r += "-A " + d + " -o " + m_plan.bridge + " -j REJECT --reject-with icmp-admin-prohibited\n";
    // Into a link network from the bridge: never; its members reach one another on the link alone.
    r += "-A " + d + " -o " + m_plan.linkPrefix + "+ -j REJECT --reject-with icmp-admin-prohibited\n";
    // Goto, not jump: a sandbox chain's RETURN (allowed) goes back to DOCKER-USER and on to Docker's
    // own rules, rather than to this chain's final DROP.
    for (const auto& [id, e] : m_sandboxes)
        r += "-A " + d + " -s " + e.ip + "/32 -m comment --comment cove:" + id + " -g " + sandboxChain(id) +
             "\n";
    // Docker's own range: the steps of the one build running (the engine gives them addresses there).
    r += "-A " + d + " -s " + m_plan.dockerRange() + " -g " + buildChain() + "\n";
    // A source no sandbox has: spoofed, or a container someone attached by hand.
    r += "-A " + d + " -j DROP\n";
    // The host: sandboxes reach none of its ports; replies to what the host opened pass.
    r += ":" + in + " - [0:0]\n";
    r += "-A " + in + " -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN\n";
    // But the resolver and the proxy, for what the nat chains redirected to them (nothing else reaches
    // their ports).
    if (m_proxyPort != 0) {
        const std::string gateway = formatIpv4(m_plan.gateway()) + "/32";
        for (const auto& [proto, port] : {std::pair{"udp", m_resolverPort}, std::pair{"tcp", m_resolverPort},
                                          std::pair{"tcp", m_proxyPort}})
            r += "-A " + in + " -d " + gateway + " -p " + proto + " -m " + proto + " --dport " +
                 std::to_string(port) + " -m conntrack --ctstate DNAT -j RETURN\n";
    }
    r += "-A " + in + " -p tcp -j REJECT --reject-with tcp-reset\n";
    r += "-A " + in + " -j REJECT --reject-with icmp-admin-prohibited\n";
    return r;
}

std::string IptablesFirewall::linkRules() const {
    // ACCEPT, not RETURN: a link network keeps the engine's inter-container DROP (icc off), so what this
    // chain does not accept dies there, and a flushed chain cuts the links rather than opening them.
    const std::string c = linkChain();
    std::string r = ":" + c + " - [0:0]\n";
    r += "-A " + c + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n";
    for (const auto& [owner, link] : m_links) {
        const std::string on = "-A " + c + " -i " + link.bridge + " -o " + link.bridge;
        for (const auto& follower : link.followerIps) {
            r += on + " -s " + follower + "/32 -d " + link.ownerIp + "/32 -j ACCEPT\n";
            r += on + " -s " + link.ownerIp + "/32 -d " + follower + "/32 -j ACCEPT\n";
        }
    }
    // Follower to follower, out of the bridge, anything spoofed: refused.
    r += "-A " + c + " -p tcp -j REJECT --reject-with tcp-reset\n";
    r += "-A " + c + " -j REJECT --reject-with icmp-admin-prohibited\n";
    return r;
}

std::string IptablesFirewall::rulesFor(const std::string& id) const {
    return chainRules(sandboxChain(id), m_sandboxes.at(id).egress);
}

std::string IptablesFirewall::chainRules(const std::string& c, const Egress& egress) const {
    std::string r = ":" + c + " - [0:0]\n";
    const auto allow = [&](const std::string& cidr) { r += "-A " + c + " -d " + cidr + " -j RETURN\n"; };
    if (egress.kind == Egress::Kind::Open) {
        r += "-A " + c + " -j RETURN\n";
        return r;
    }
    if (egress.kind != Egress::Kind::BlockAll) {
        // A proxied sandbox's DNS never leaves the host (its nat chain redirects it to the resolver).
        if (!egress.proxied)
            for (const auto& resolver : m_resolvers)
                for (const char* proto : {"udp", "tcp"})
                    r += "-A " + c + " -d " + resolver + "/32 -p " + proto + " --dport 53 -j RETURN\n";
        for (const auto& cidr : egress.kind == Egress::Kind::Essential ? m_essential : egress.cidrs)
            allow(cidr);
    }
    r += "-A " + c + " -p tcp -j REJECT --reject-with tcp-reset\n";
    r += "-A " + c + " -j REJECT --reject-with icmp-admin-prohibited\n";
    return r;
}

namespace {

// A table's part of an iptables-restore input with every chain declared (`:NAME - [0:0]`, which also
// empties it) before any rule. iptables-restore refuses a rule that jumps to a chain declared further
// down, and the dispatchers come before the sandbox chains they name: when those chains were already
// there it went unseen, but after a reboot (or anyone deleting the chains) coved could not put its
// rules back, and so did not start. Each chain is declared once; the rules keep their order.
std::string declaredFirst(const std::string& rules) {
    std::string declarations, body;
    std::set<std::string> declared;
    std::istringstream lines(rules);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind(':', 0) == 0) {
            if (declared.insert(line.substr(0, line.find(' '))).second)
                declarations += line + "\n";
        } else {
            body += line + "\n";
        }
    }
    return declarations + body;
}

} // namespace

void IptablesFirewall::restore(const std::string& rules, const std::string& natRules) const {
    std::string input = "*filter\n" + declaredFirst(rules) + "COMMIT\n";
    if (!natRules.empty())
        input += "*nat\n" + declaredFirst(natRules) + "COMMIT\n";
    const auto result = runProgram({"iptables-restore", "--noflush", "-w", "5"}, input);
    if (result.status != 0)
        throw FirewallError(
            "The sandbox network policy could not be installed, so the sandbox is not started: "
            "iptables-restore " +
            (result.status < 0 ? std::string("is missing (install Debian's iptables package)")
                               : "failed: " + trim(result.output)) +
            ". coved needs root (or CAP_NET_ADMIN) to manage sandbox networks.");
}

std::vector<IptablesFirewall::Hook> IptablesFirewall::hooks() const {
    // The link networks' host guard is the bridge's: their gateway address is the host's too.
    const std::string links = m_plan.linkPrefix + "+";
    return {{"filter", "DOCKER-USER", m_plan.bridge, m_prefix},
            {"filter", "INPUT", m_plan.bridge, m_prefix + "-IN"},
            {"nat", "PREROUTING", m_plan.bridge, natDispatcherChain()},
            {"filter", "DOCKER-USER", links, linkChain()},
            {"filter", "INPUT", links, m_prefix + "-IN"}};
}

bool IptablesFirewall::hasHook(const Hook& h) const {
    return runProgram(
               {"iptables", "-w", "5", "-t", h.table, "-C", h.chain, "-i", h.interface, "-j", h.target})
               .status == 0;
}

std::string IptablesFirewall::allRules() const {
    std::string rules = chainRules(buildChain(), m_build) + dispatcherRules() + linkRules();
    for (const auto& [id, e] : m_sandboxes)
        rules += rulesFor(id);
    return rules;
}

std::string IptablesFirewall::allNatRules() const {
    std::string rules = natDispatcherRules();
    for (const auto& [id, e] : m_sandboxes)
        rules += natRulesFor(id);
    return rules;
}

std::string IptablesFirewall::state() const {
    const auto filter = runProgram({"iptables-save", "-t", "filter"});
    const auto nat = runProgram({"iptables-save", "-t", "nat"});
    // Nothing read: not intact. The nat table's chain names differ from the filter table's.
    return filter.status == 0 && nat.status == 0 ? filter.output + nat.output : std::string();
}

bool IptablesFirewall::intact(const std::string& saved) const {
    // Rules are compared by count per chain, not by text: iptables-save writes some matches differently
    // from how they were given, and what matters is that nothing was taken away. The hooks are single
    // rules in others' chains, written back exactly as given.
    std::map<std::string, int> want, have;
    std::set<std::string> hooksMissing{"-A FORWARD -j DOCKER-USER"};
    for (const auto& h : hooks())
        hooksMissing.insert("-A " + h.chain + " -i " + h.interface + " -j " + h.target);
    const auto forEachRule = [](const std::string& text, const auto& fn) {
        std::istringstream lines(text);
        std::string line;
        while (std::getline(lines, line))
            if (line.rfind("-A ", 0) == 0)
                fn(line.substr(3, line.find(' ', 3) - 3), line);
    };
    forEachRule(allRules() + allNatRules(),
                [&](const std::string& chain, const std::string&) { ++want[chain]; });
    forEachRule(saved, [&](const std::string& chain, const std::string& line) {
        hooksMissing.erase(line);
        if (want.count(chain))
            ++have[chain];
    });
    return have == want && hooksMissing.empty();
}

void IptablesFirewall::installAll(const std::map<std::string, std::pair<std::string, Egress>>& sandboxes) {
    // Chains of sandboxes this installation no longer has (deleted while coved was down).
    std::set<std::string> wanted;
    for (const auto& [id, v] : sandboxes)
        wanted.insert(sandboxChain(id));
    std::set<std::string> wantedNat;
    for (const auto& [id, v] : sandboxes)
        wantedNat.insert(natChain(id));
    const auto staleOf = [&](const char* table, const std::set<std::string>& keep) {
        std::string out;
        const auto saved = runProgram({"iptables-save", "-t", table});
        std::istringstream lines(saved.output);
        std::string line;
        while (std::getline(lines, line))
            if (line.rfind(":" + m_prefix + "-", 0) == 0) {
                const std::string chain = line.substr(1, line.find(' ') - 1);
                if (!keep.count(chain))
                    out += ":" + chain + " - [0:0]\n-X " + chain + "\n";
            }
        return out;
    };
    wanted.insert({m_prefix + "-IN", buildChain(), linkChain()});
    wantedNat.insert(natDispatcherChain());
    std::string rules = staleOf("filter", wanted);
    std::string natRules = staleOf("nat", wantedNat);
    m_sandboxes.clear();
    for (const auto& [id, v] : sandboxes)
        m_sandboxes[id] = Entry{v.first, v.second};
    // Stale chains are emptied first and deleted after the dispatchers no longer name them.
    rules = allRules() + rules;
    natRules = allNatRules() + natRules;
    // The hooks, at the top of their chains, added only where missing (so never twice).
    for (const auto& h : hooks())
        if (!hasHook(h))
            (h.table == "nat" ? natRules : rules) +=
                "-I " + h.chain + " 1 -i " + h.interface + " -j " + h.target + "\n";
    restore(rules, natRules);
    if (runProgram({"iptables", "-w", "5", "-C", "FORWARD", "-j", "DOCKER-USER"}).status != 0)
        throw FirewallError("FORWARD no longer sends traffic through DOCKER-USER, so sandbox network policy "
                            "cannot apply; restart the Docker engine to restore its chains.");
}

void IptablesFirewall::apply(const std::string& id, const std::string& ip, const Egress& egress) {
    const auto it = m_sandboxes.find(id);
    const bool fresh = it == m_sandboxes.end() || it->second.ip != ip;
    // The same policy at the same address is already in place: rulesFor() depends on nothing else that
    // changes without rewriting these chains itself (setEssential rewrites them).
    if (!fresh && it->second.egress == egress)
        return;
    const std::optional<Entry> before =
        it == m_sandboxes.end() ? std::nullopt : std::optional<Entry>(it->second);
    m_sandboxes[id] = Entry{ip, egress};
    try {
        // The sandbox's chain first, then the dispatcher entry that jumps to it.
        std::string rules = rulesFor(id);
        if (fresh)
            rules += dispatcherRules();
        std::string natRules = natRulesFor(id);
        if (fresh || !before || before->egress.proxied != egress.proxied)
            natRules += natDispatcherRules();
        restore(rules, natRules);
    } catch (...) {
        if (before)
            m_sandboxes[id] = *before;
        else
            m_sandboxes.erase(id);
        throw;
    }
    // Tightening: connections the old policy let through would live on as ESTABLISHED (or keep their old
    // redirect). Names alone changing is the proxy's to judge: it cuts its own flows. Under block-all
    // (a warm pool member's, say) nothing went out, so nothing can have lived on.
    if (before && before->egress.kind != Egress::Kind::BlockAll &&
        (egress.kind != Egress::Kind::Open || egress.proxied) && !before->egress.sameFilter(egress))
        runProgram({"conntrack", "-D", "-s", ip});
}

void IptablesFirewall::remove(const std::string& id) {
    const auto it = m_sandboxes.find(id);
    const std::string chain = sandboxChain(id);
    std::string ip;
    if (it != m_sandboxes.end()) {
        ip = it->second.ip;
        m_sandboxes.erase(it);
    }
    const std::string nat = natChain(id);
    restore(dispatcherRules() + ":" + chain + " - [0:0]\n-X " + chain + "\n",
            natDispatcherRules() + ":" + nat + " - [0:0]\n-X " + nat + "\n");
    if (!ip.empty())
        runProgram({"conntrack", "-D", "-s", ip});
}

void IptablesFirewall::setEssential(std::vector<std::string> cidrs) {
    std::sort(cidrs.begin(), cidrs.end());
    if (cidrs == m_essential)
        return;
    m_essential = std::move(cidrs);
    std::string rules;
    for (const auto& [id, e] : m_sandboxes)
        if (e.egress.kind == Egress::Kind::Essential)
            rules += rulesFor(id);
    if (m_build.kind == Egress::Kind::Essential)
        rules += chainRules(buildChain(), m_build);
    if (!rules.empty())
        restore(rules);
}

void IptablesFirewall::setBuildEgress(const Egress& egress) {
    const Egress before = m_build;
    m_build = egress;
    try {
        restore(chainRules(buildChain(), m_build));
    } catch (...) {
        m_build = before;
        throw;
    }
    if (egress.kind != Egress::Kind::Open && !(before == egress))
        runProgram({"conntrack", "-D", "-s", m_plan.dockerRange()});
}

void IptablesFirewall::setLinks(std::map<std::string, Link> links) {
    if (links == m_links)
        return;
    std::map<std::string, Link> before = std::move(m_links);
    m_links = std::move(links);
    try {
        restore(linkRules());
    } catch (...) {
        m_links = std::move(before);
        throw;
    }
    // A member that left keeps no connection the rules no longer allow.
    for (const auto& [owner, link] : before) {
        const auto now = m_links.find(owner);
        for (const auto& ip : link.followerIps)
            if (now == m_links.end() ||
                std::find(now->second.followerIps.begin(), now->second.followerIps.end(), ip) ==
                    now->second.followerIps.end())
                runProgram({"conntrack", "-D", "-s", ip});
    }
}

const std::vector<std::string>& essentialDomains() {
    static const std::vector<std::string> domains = {
        // npm, yarn
        "registry.npmjs.org", "registry.npmjs.com", "nodejs.org", "nodesource.com", "npm.pkg.github.com",
        "classic.yarnpkg.com", "registry.yarnpkg.com", "repo.yarnpkg.com", "releases.yarnpkg.com",
        "yarn.npmjs.org", "yarnpkg.netlify.com", "dl.yarnpkg.com", "yarnpkg.com",
        // PyPI, Maven
        "pypi.org", "pypi.python.org", "files.pythonhosted.org", "bootstrap.pypa.io", "repo1.maven.org",
        "repo.maven.apache.org",
        // Container registries
        "download.docker.com", "registry-1.docker.io", "registry.docker.io", "auth.docker.io",
        "index.docker.io", "hub.docker.com", "docker.io", "gcr.io", "asia.gcr.io", "eu.gcr.io", "us.gcr.io",
        "marketplace.gcr.io", "registry.cloud.google.com", "mcr.microsoft.com", "quay.io",
        "quay-registry.s3.amazonaws.com", "registry.k8s.io",
        // Source hosting
        "github.com", "api.github.com", "raw.githubusercontent.com", "github-releases.githubusercontent.com",
        "codeload.github.com", "ghcr.io", "packages.github.com", "gitlab.com", "registry.gitlab.com",
        "bitbucket.org",
        // Distributions
        "archive.ubuntu.com", "security.ubuntu.com", "deb.debian.org", "security.debian.org",
        "cdn-fastly.deb.debian.org", "ftp.debian.org",
        // CDNs, AI, Daytona
        "cloudflare.com", "fastly.com", "unpkg.com", "jsdelivr.net", "api.anthropic.com", "app.daytona.io"};
    return domains;
}

} // namespace cove::net
