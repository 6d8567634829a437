// Linked sandboxes: a follower reaches its owner by the owner's name on a link network of their own (an
// internal Docker network per owner, no route out, the firewall's link chain between its members only).
// Nothing else of either sandbox's isolation changes: each keeps its address, rules and egress on the
// installation's bridge. As Daytona: followers are ephemeral, links do not chain, and deleting the owner
// deletes its followers.
#include "service/domain/SandboxService.h"

#include "service/domain/SandboxRow.h"
#include "service/net/Firewall.h"
#include "service/store/LinkRepository.h"

#include <cstdio>

namespace cove::domain {

namespace {

constexpr const char* kLinkOwnerLabel = "cove.link.owner";

} // namespace

awaitable<std::optional<SandboxService::LinkPlan>> SandboxService::planLink(const std::string& idOrName,
                                                                            const Caller& caller) {
    if (!m_firewall)
        throw DomainError::unavailable("Linked sandboxes need the sandbox network, which is not set up; "
                                       "restart coved.");
    // Another organization's sandbox is as unknown as one that does not exist.
    const auto owner = find(idOrName, caller.who.organizationId);
    if (!owner)
        throw DomainError::notFound("Sandbox '" + idOrName +
                                    "' to link to was not found; give the id or name of one of your "
                                    "organization's sandboxes in 'linkedSandbox'.")
            .with(errors::kInvalidField, "linkedSandbox");
    store::LinkRepository links(m_db);
    const auto row = links.find(owner->id);
    if (row && !row->isOwner())
        throw DomainError::invalid("Sandbox '" + owner->name +
                                   "' is itself linked to another sandbox, and links do not chain; link "
                                   "to that sandbox instead.")
            .with(errors::kInvalidField, "linkedSandbox");
    const SandboxState shown = reportedState(owner->state, owner->desiredState);
    if (shown != SandboxState::Started && shown != SandboxState::Stopped)
        throw DomainError::conflict("Sandbox '" + owner->name + "' is " + toString(shown) +
                                    "; a sandbox can be linked to only while it is started or stopped.");
    LinkPlan plan{owner->id, {}};
    if (row) {
        if (static_cast<int>(links.members(owner->id).size()) - 1 >= LinkLimits::kMaxFollowers)
            throw DomainError::conflict("Sandbox '" + owner->name + "' has " +
                                        std::to_string(LinkLimits::kMaxFollowers) +
                                        " followers already, the most one can have; delete one first.");
        plan.subnet = row->subnet;
        co_return plan;
    }
    // A /28 no route, engine network or other link network uses.
    std::vector<std::string> taken = net::hostRoutes();
    const auto networks = co_await m_engine.listNetworks();
    for (const auto& n : networks)
        taken.insert(taken.end(), n.subnets.begin(), n.subnets.end());
    for (const auto& r : links.all())
        taken.push_back(r.subnet);
    const auto subnet = net::pickLinkSubnet(taken);
    if (!subnet)
        throw DomainError::unavailable("No free address block is left for a link network in 10.224.0.0/12; "
                                       "delete linked sandboxes you no longer need.");
    plan.subnet = net::formatIpv4(*subnet) + "/" + std::to_string(net::NetworkPlan::kLinkPrefix);
    co_return plan;
}

void SandboxService::recordLink(const LinkPlan& plan, const std::string& followerId) {
    store::LinkRepository links(m_db);
    auto members = links.members(plan.ownerId);
    const std::string subnet = members.empty() ? plan.subnet : members.front().subnet;
    const std::uint32_t base = *net::parseIpv4(subnet.substr(0, subnet.find('/')));
    if (members.empty()) {
        // .1 is the gateway (the host's, guarded like the bridge's); .2 the owner.
        const store::LinkRecord owner{plan.ownerId, plan.ownerId, net::formatIpv4(base + 2), subnet};
        links.insert(owner);
        members.push_back(owner);
    }
    std::set<std::string> used;
    for (const auto& m : members)
        used.insert(m.ip);
    const std::uint32_t last = base + (1u << (32 - net::NetworkPlan::kLinkPrefix)) - 2; // before broadcast
    for (std::uint32_t a = base + 3; a <= last; ++a)
        if (const std::string ip = net::formatIpv4(a); !used.count(ip)) {
            links.insert({followerId, plan.ownerId, ip, subnet});
            return;
        }
    throw DomainError::conflict("The sandbox to link to has no room for another follower; delete one first.");
}

std::map<std::string, net::Link> SandboxService::wantedLinks() {
    std::map<std::string, net::Link> wanted;
    for (const auto& r : store::LinkRepository(m_db).all()) {
        net::Link& link = wanted[r.ownerId];
        link.bridge = m_firewall->plan().linkBridge(r.ownerId);
        if (r.isOwner())
            link.ownerIp = r.ip;
        else
            link.followerIps.push_back(r.ip);
    }
    return wanted;
}

void SandboxService::applyLinks() {
    if (m_firewall)
        refusedUnlessApplied([&] { m_firewall->setLinks(wantedLinks()); });
}

awaitable<void> SandboxService::joinLink(const SandboxRow& r) {
    store::LinkRepository links(m_db);
    const auto row = links.find(r.id);
    if (!row || !m_firewall)
        co_return;
    const auto members = links.members(row->ownerId);
    if (members.size() < 2 || !members.front().isOwner())
        co_return; // an owner whose followers are gone
    // The rules first: the link chain refuses everything it does not name, so a member on the network
    // before its rules is cut off, never open.
    applyLinks();
    const std::string network = m_firewall->plan().linkBridge(row->ownerId);
    if (!(co_await m_engine.inspectNetwork(network))) {
        const std::uint32_t base = *net::parseIpv4(row->subnet.substr(0, row->subnet.find('/')));
        engine::NetworkSpec spec;
        spec.name = network;
        spec.bridge = network;
        spec.subnet = row->subnet;
        spec.ipRange = row->subnet;
        spec.gateway = net::formatIpv4(base + 1);
        spec.isolated = true; // the engine drops what the link chain does not accept
        spec.internal = true;
        spec.labels = {
            {kInstanceLabel, m_instance}, {"cove.managed", "true"}, {kLinkOwnerLabel, row->ownerId}};
        co_await m_engine.createNetwork(spec);
    }
    // Each member under its own name, so owner and followers find one another by name.
    for (const auto& m : members) {
        const auto member = m.sandboxId == r.id ? std::optional<SandboxRow>(r) : m_repo.findLive(m.sandboxId);
        if (!member || (member->containerId.empty() && m.sandboxId != r.id))
            continue;
        // A member being destroyed leaves the link once its container is gone (leaveLink); the engine
        // refuses to connect a container it is removing.
        if (m.sandboxId != r.id && member->desiredState == SandboxState::Destroyed)
            continue;
        const std::string container = containerName(*member);
        std::vector<std::string> aliases{member->name};
        co_await m_engine.connectNetwork(network, container, m.ip, aliases);
    }
}

awaitable<void> SandboxService::leaveLink(const SandboxRow& r) {
    if (!m_firewall)
        co_return;
    store::LinkRepository links(m_db);
    const auto row = links.find(r.id);
    if (!row)
        co_return;
    std::vector<std::string> followers;
    bool networkGone = false;
    m_db.transaction([&] {
        if (row->isOwner()) {
            for (const auto& m : links.members(r.id))
                if (!m.isOwner())
                    followers.push_back(m.sandboxId);
            links.removeNetwork(r.id);
            networkGone = true;
        } else {
            links.remove(r.id);
            if (links.members(row->ownerId).size() < 2) { // the owner alone: the network has no use
                links.removeNetwork(row->ownerId);
                networkGone = true;
            }
        }
    });
    try {
        applyLinks();
    } catch (const DomainError& e) {
        // Rules for a member that is gone allow nothing of use; the next repair replaces them.
        std::fprintf(stderr, "coved: cannot update the link rules: %s\n", e.message.c_str());
    }
    if (networkGone) {
        const std::string network = m_firewall->plan().linkBridge(row->ownerId);
        try {
            co_await m_engine.removeNetwork(network);
        } catch (const std::exception& e) {
            // settleLinks() removes it with the next reconcile.
            std::fprintf(stderr, "coved: cannot remove link network %s: %s\n", network.c_str(), e.what());
        }
    }
    // The owner's followers go with it, as in Daytona.
    for (const auto& id : followers) {
        auto follower = m_repo.findLive(id);
        if (!follower || m_busy.count(id))
            continue;
        try {
            if (beginSystemTransition(*follower, "delete", SandboxState::Destroyed))
                co_await converge(*follower, true);
        } catch (const DomainError& e) {
            std::fprintf(stderr, "coved: cannot delete follower %s: %s\n", id.c_str(), e.message.c_str());
        }
    }
}

awaitable<void> SandboxService::settleLinks() {
    if (!m_firewall)
        co_return;
    store::LinkRepository links(m_db);
    // Members destroyed while coved was down (or a failure between their end and their row's).
    for (const auto& r : links.all())
        if (!m_repo.findLive(r.sandboxId)) {
            SandboxRow gone;
            gone.id = r.sandboxId;
            co_await leaveLink(gone);
        }
    // Link networks of this installation whose owner has no followers left.
    const auto networks = co_await m_engine.listNetworks();
    for (const auto& n : networks) {
        const auto owner = n.labels.find(kLinkOwnerLabel);
        const auto instance = n.labels.find(kInstanceLabel);
        if (owner == n.labels.end() || instance == n.labels.end() || instance->second != m_instance ||
            links.members(owner->second).size() >= 2)
            continue;
        try {
            co_await m_engine.removeNetwork(n.name);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "coved: cannot remove link network %s: %s\n", n.name.c_str(), e.what());
        }
    }
}

SandboxService::LinkFields SandboxService::linkFields(const std::string& sandboxId) const {
    LinkFields f;
    store::LinkRepository links(m_db);
    const auto row = links.find(sandboxId);
    if (row && row->isOwner())
        for (const auto& m : links.members(sandboxId))
            if (!m.isOwner())
                f.followers.push_back(m.sandboxId);
    if (row && !row->isOwner())
        f.owner = row->ownerId;
    return f;
}

} // namespace cove::domain
