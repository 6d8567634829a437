// The sandboxes' network: the installation's bridge, each sandbox's address, and its egress policy
// (NetworkPolicy.h) kept in iptables from the moment its container exists until it is deleted.
#include "service/domain/SandboxService.h"
#include "service/store/SettingsRepository.h"

#include "service/domain/NetworkPolicy.h"
#include "service/domain/Quotas.h"
#include "service/domain/SandboxRow.h"
#include "service/domain/Validate.h"
#include "service/domain/Workers.h"
#include "service/net/EgressGate.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdio>

namespace cove::domain {

namespace asio = boost::asio;

namespace {
constexpr const char* kSubnetSetting = "network.subnet";
constexpr const char* kEssentialSetting = "network.essential";

} // namespace

awaitable<void> SandboxService::setupNetwork() {
    NetworkPlan plan;
    plan.name = "cove-" + m_instance.substr(0, 8);
    plan.bridge = plan.name;
    plan.linkPrefix = "cl" + m_instance.substr(0, 5);

    // The engine's network is the truth when it exists; else the subnet this installation had (its
    // sandboxes' addresses are in the store), else a free one.
    const auto existing = co_await m_engine.inspectNetwork(plan.name);
    std::optional<std::uint32_t> subnet;
    if (existing && !existing->subnets.empty()) {
        const std::string& cidr = existing->subnets.front();
        subnet = parseIpv4(cidr.substr(0, cidr.find('/')));
    }
    if (!subnet) {
        if (const auto saved = store::SettingsRepository(m_db).get(kSubnetSetting))
            subnet = parseIpv4(*saved);
    }
    // A free subnet can be taken by another program (or another Cove) between the look and the
    // create: the engine refuses the overlap, and the next free one is tried.
    std::vector<std::string> refused;
    for (int attempt = 1;; ++attempt) {
        if (!subnet) {
            std::vector<std::string> taken = hostRoutes();
            taken.insert(taken.end(), refused.begin(), refused.end());
            const auto networks = co_await m_engine.listNetworks();
            for (const auto& n : networks)
                taken.insert(taken.end(), n.subnets.begin(), n.subnets.end());
            subnet = pickSubnet(taken);
            if (!subnet)
                throw DomainError::unavailable("No free /20 in 10.208.0.0/12 for the sandbox network; remove "
                                               "unused Docker networks (docker network prune).");
        }
        plan.subnet = *subnet;
        if (existing)
            break;
        engine::NetworkSpec spec;
        spec.name = plan.name;
        spec.subnet = plan.cidr();
        spec.gateway = formatIpv4(plan.gateway());
        spec.ipRange = plan.dockerRange();
        spec.bridge = plan.bridge;
        spec.isolated = true;
        spec.labels = {{kInstanceLabel, m_instance}, {"cove.managed", "true"}};
        std::exception_ptr failure;
        bool overlap = false;
        try {
            co_await m_engine.createNetwork(spec);
        } catch (const std::exception& e) {
            failure = std::current_exception();
            // "Pool overlaps with other one…", or "failed to allocate gateway…: Address already in use".
            const std::string_view why = e.what();
            overlap = why.find("overlap") != why.npos || why.find("already in use") != why.npos;
        }
        if (!failure)
            break;
        if (!overlap || attempt == 5)
            std::rethrow_exception(failure);
        refused.push_back(plan.cidr());
        subnet.reset();
    }
    store::SettingsRepository(m_db).put(kSubnetSetting, formatIpv4(plan.subnet));
    m_firewall = std::make_unique<net::IptablesFirewall>(m_instance, plan);
    // The sandboxes' resolver and egress proxy, on the gateway, before any rule redirects to them.
    std::vector<asio::ip::udp::endpoint> upstreams;
    for (const auto& text : m_config.egressDns.empty() ? net::upstreamResolvers() : m_config.egressDns) {
        const auto colon = text.find(':');
        const auto address = parseIpv4(text.substr(0, colon));
        if (address)
            upstreams.emplace_back(asio::ip::make_address_v4(*address),
                                   colon == std::string::npos ? 53 : std::stoi(text.substr(colon + 1)));
    }
    m_egressGate = std::make_unique<net::EgressGate>(co_await asio::this_coro::executor, plan, upstreams,
                                                     m_config.egressInternal);
    m_egressGate->setInterceptor(m_interceptor);
    try {
        m_egressGate->start();
    } catch (const std::exception& e) {
        throw DomainError::unavailable(
            std::string("The sandboxes' egress resolver and proxy cannot listen on the "
                        "bridge's gateway (") +
            e.what() + "); check that nothing else holds its ports.");
    }
    m_firewall->setRedirect(m_egressGate->resolverPort(), m_egressGate->proxyPort());
    // The essential services as last resolved, until the lookup that follows start-up refreshes them.
    if (const auto saved = store::SettingsRepository(m_db).get(kEssentialSetting)) {
        const json known = json::parse(*saved, nullptr, false);
        if (known.is_array())
            m_firewall->setEssential(known.get<std::vector<std::string>>());
    }
    installFirewall();
    co_await settleLinks();
}

void SandboxService::installFirewall() {
    std::map<std::string, std::pair<std::string, Egress>> all;
    for (const SandboxRow& r : m_repo.listAddressed()) {
        const Egress e = storedEgress(r);
        all[r.id] = {r.ip.value_or(""), e};
        if (r.ip)
            m_egressGate->set(r.id, *r.ip, e);
    }
    for (const auto& [id, ip] : m_poolIps)
        all[id] = {ip, Egress{Egress::Kind::BlockAll, {}}};
    m_firewall->setLinks(wantedLinks());
    m_firewall->installAll(all);
}

bool SandboxService::organizationRestricted(const std::string& organizationId) const {
    const int tier = limitsOf(m_db, organizationId).tier;
    return tier == 1 || tier == 2;
}

void SandboxService::refusedUnlessApplied(const std::function<void()>& change) {
    try {
        change();
    } catch (const net::FirewallError& e) {
        throw DomainError::unavailable(e.what());
    }
}

Egress SandboxService::storedEgress(const SandboxRow& r, std::optional<bool> restricted) const {
    try {
        return egressOf(r, restricted);
    } catch (const DomainError&) {
        Egress blocked;
        blocked.kind = Egress::Kind::BlockAll;
        return blocked;
    }
}

Egress SandboxService::egressOf(const SandboxRow& r, std::optional<bool> restricted) const {
    return effectiveEgress({r.networkBlockAll, r.networkAllowList.value_or(""),
                            r.domainAllowList.value_or(""), r.domainBlockList.value_or(""), r.networkStrict},
                           restricted ? *restricted : organizationRestricted(r.organizationId),
                           m_secretsMounted(r.id));
}

void SandboxService::setSecretsMounted(std::function<bool(const std::string& sandboxId)> mounted) {
    m_secretsMounted = std::move(mounted);
}

void SandboxService::setEgressInterceptor(net::Interceptor* interceptor) {
    m_interceptor = interceptor;
    if (m_egressGate)
        m_egressGate->setInterceptor(interceptor);
}

std::string SandboxService::allocateIp() {
    std::set<std::string> used;
    for (auto& ip : m_repo.liveAddresses())
        used.insert(std::move(ip));
    for (const auto& [id, ip] : m_poolIps)
        used.insert(ip);
    const auto ip = m_firewall->plan().allocate(used);
    if (!ip)
        throw DomainError::unavailable(
            "The sandbox network has no free address left; delete sandboxes you no "
            "longer need.");
    return *ip;
}

void SandboxService::applyNetwork(const SandboxRow& r) {
    if (!m_firewall || !r.ip)
        return;
    const Egress egress = egressOf(r);
    refusedUnlessApplied([&] { m_firewall->apply(r.id, *r.ip, egress); });
    m_egressGate->set(r.id, *r.ip, egress);
}

void SandboxService::releaseNetwork(const std::string& sandboxId) {
    if (!m_firewall)
        return;
    m_egressGate->remove(sandboxId);
    try {
        m_firewall->remove(sandboxId);
    } catch (const net::FirewallError& e) {
        // The chain stays until the next start-up repair, which drops chains of deleted sandboxes.
        std::fprintf(stderr, "coved: cannot remove the network rules of %s: %s\n", sandboxId.c_str(),
                     e.what());
    }
}

std::optional<engine::Address> SandboxService::addressOf(const SandboxRow& r) const {
    if (!m_firewall || !r.ip)
        return std::nullopt;
    return engine::Address{m_firewall->plan().name, *r.ip};
}

json SandboxService::updateNetworkSettings(const std::string& idOrName, json body, const Caller& caller) {
    if (!body.is_object())
        throw DomainError::invalid(
            "The body must be {\"networkBlockAll\": bool, \"networkAllowList\": \"CIDR,...\", "
            "\"domainAllowList\": \"name,*.name\", \"domainBlockList\": \"name,...\", "
            "\"networkStrict\": bool}.");
    validate::networkFields(body);
    SandboxRow r = require(idOrName, caller);
    const SandboxRow before = r;
    // Absent: unchanged; null or empty: back to the default.
    const auto given = [&](const char* key) {
        return body.contains(key) && !body[key].is_null() &&
               !(body[key].is_string() && body[key].get<std::string>().empty());
    };
    if (body.contains("networkBlockAll"))
        r.networkBlockAll = given("networkBlockAll") && body["networkBlockAll"].get<bool>();
    if (body.contains("networkStrict"))
        r.networkStrict = given("networkStrict") && body["networkStrict"].get<bool>();
    for (auto [key, field] : {std::pair{"networkAllowList", &r.networkAllowList},
                              {"domainAllowList", &r.domainAllowList},
                              {"domainBlockList", &r.domainBlockList}})
        if (body.contains(key))
            *field = given(key) ? std::optional<std::string>(body[key].get<std::string>()) : std::nullopt;
    // The rules change first: if iptables refuses, nothing is recorded and the old policy stays.
    applyNetwork(r);
    try {
        m_db.transaction([&] {
            r.updatedAt = toMillis(m_clock.now());
            m_repo.setNetwork(r);
            audit(&caller, "update_network_settings", "sandbox", r.id, 200);
        });
    } catch (...) {
        r = before;
        applyNetwork(r);
        throw;
    }
    return toDto(r, false, caller.baseUrl);
}

void SandboxService::reapplyOrganizationNetwork(const std::string& organizationId) {
    if (!m_firewall)
        return;
    for (const SandboxRow& r : m_repo.listAddressed(organizationId)) {
        try {
            applyNetwork(r);
        } catch (const DomainError& e) {
            std::fprintf(stderr, "coved: cannot update network rules: %s\n", e.message.c_str());
        }
    }
}

std::string SandboxService::beginBuildNetwork(const std::string& organizationId) {
    if (!m_firewall)
        throw DomainError::unavailable("The sandbox network is not set up, and builds run only inside it; "
                                       "restart coved.");
    requireFirewall();
    refusedUnlessApplied([&] {
        m_firewall->setBuildEgress(organizationRestricted(organizationId)
                                       ? Egress{Egress::Kind::Essential, {}}
                                       : Egress{Egress::Kind::Open, {}});
    });
    return m_firewall->plan().name;
}

void SandboxService::endBuildNetwork() {
    if (!m_firewall)
        return;
    try {
        m_firewall->setBuildEgress({Egress::Kind::BlockAll, {}});
    } catch (const net::FirewallError& e) {
        std::fprintf(stderr, "coved: cannot close the build network: %s\n", e.what());
    }
}

awaitable<void> SandboxService::checkNetwork() {
    if (!m_firewall)
        co_return;
    if (m_firewallFailure.empty()) {
        // iptables-save walks the whole table: off the io thread; the comparison stays on it.
        const auto saved = co_await offload([&firewall = *m_firewall] { return firewall.state(); });
        if (m_firewall->intact(saved))
            co_return;
    }
    std::fprintf(stderr, "coved: sandbox network rules were missing or changed (engine restart, or "
                         "iptables edited by hand?); re-installing them\n");
    try {
        installFirewall();
        m_firewallFailure.clear();
        co_return;
    } catch (const net::FirewallError& e) {
        m_firewallFailure = e.what();
    }
    const std::string why = m_firewallFailure;
    // Fail closed: no sandbox runs without its rules. They stop now, and start again only once the rules
    // can be installed (requireFirewall).
    int stopped = 0;
    for (SandboxRow& r : m_repo.listRunning()) {
        if (m_busy.count(r.id))
            continue;
        try {
            if (!beginSystemTransition(r, "stop", SandboxState::Stopped))
                continue; // another coved changed it meanwhile

            co_await converge(r, true);
            ++stopped;
        } catch (const DomainError&) {
            // converge() left it in `error` with the reason; an errored container is stopped or gone.
        }
    }
    throw DomainError::unavailable("the sandbox network's rules cannot be installed (" + why + "); stopped " +
                                   std::to_string(stopped) + " running sandbox(es) until they can");
}

void SandboxService::requireFirewall() {
    // The periodic check (every ServiceDefaults::kReconcileInterval) watches the hooks; asking iptables
    // here too would cost each start tens of milliseconds.
    if (!m_firewall || m_firewallFailure.empty())
        return;
    try {
        installFirewall();
        m_firewallFailure.clear();
    } catch (const net::FirewallError& e) {
        m_firewallFailure = e.what();
        throw DomainError::unavailable(
            "The sandbox network's firewall rules cannot be installed, so no sandbox "
            "may start (" +
            std::string(e.what()) + "). Check that iptables works, then try again.");
    }
}

awaitable<void> SandboxService::refreshEssentialServices() {
    if (!m_firewall)
        co_return;
    // Asio resolves on a thread of its own, so slow or failing lookups never hold up requests.
    asio::ip::tcp::resolver resolver(co_await asio::this_coro::executor);
    std::set<std::string> cidrs;
    for (const auto& domain : essentialDomains()) {
        boost::system::error_code ec;
        const auto results = co_await resolver.async_resolve(asio::ip::tcp::v4(), domain, "",
                                                             asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            continue;
        for (const auto& entry : results)
            cidrs.insert(entry.endpoint().address().to_string() + "/32");
    }
    try {
        if (cidrs.empty()) // no answers at all (no network?): keep what was known
            co_return;
        m_firewall->setEssential({cidrs.begin(), cidrs.end()});
        const json list(cidrs);
        store::SettingsRepository(m_db).put(kEssentialSetting, list.dump());
    } catch (const DomainError& e) {
        std::fprintf(stderr, "coved: cannot update the essential-services rules: %s\n", e.message.c_str());
    }
}

} // namespace cove::domain
