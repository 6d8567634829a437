// The warm pool: started sandboxes of the default snapshot that no one owns yet. A create the pool can
// serve takes a member's id and container, gets its limits and environment applied, and answers at once;
// the pool is then topped up in the background. Members have no row in the store, so they count against
// no quota and appear in no listing; the reconciler leaves them to this file.
#include "service/domain/SandboxService.h"
#include "service/domain/Workers.h"
#include "service/store/SnapshotRepository.h"

#include "service/domain/NetworkPolicy.h"
#include "service/domain/SandboxRow.h"

#include "common/Http.h"
#include "common/Random.h"
#include "service/domain/AgentConnector.h"

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/this_coro.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace cove::domain {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

// Clears a flag when the scope ends, however it ends.
struct FlagGuard {
    bool& flag;
    explicit FlagGuard(bool& f)
        : flag(f) {
        flag = true;
    }
    ~FlagGuard() { flag = false; }
    FlagGuard(const FlagGuard&) = delete;
    FlagGuard& operator=(const FlagGuard&) = delete;
};

} // namespace

std::optional<SandboxService::PoolMember> SandboxService::takePoolMember(const SandboxRow& r,
                                                                         const std::string& imageId) {
    // Only what a pooled container can still become: its image, user and disk were fixed when it was
    // made; volumes and network rules need a container made for them.
    const bool plain =
        r.gpu == 0 && !r.networkBlockAll && !r.networkAllowList && !r.domainAllowList && r.volumes.empty();
    if (!plain || imageId.empty())
        return std::nullopt;
    while (!m_pool.empty()) {
        PoolMember m = m_pool.front();
        if (m.imageId != imageId || m.user != r.user || (m_engine.info().diskLimits && m.disk != r.disk))
            return std::nullopt;
        m_pool.pop_front();
        // A member whose agent no longer answers (its container stopped with the engine) is dropped.
        const auto c = connectToAgent(m_config.sandboxRunDir(m.id), m.pid);
        if (c.fd >= 0) {
            ::close(c.fd);
            return m;
        }
        m_poolDead.push_back(m); // removed by the refill that follows every claim
    }
    return std::nullopt;
}

awaitable<void> SandboxService::claimPoolMember(SandboxRow& r) {
    applyNetwork(r); // the member was made with everything blocked
    const engine::Resources limits = resourceLimits(r.cpu, r.memory);
    if (r.cpu != SandboxDefaults::kCpu || r.memory != SandboxDefaults::kMemoryGiB)
        co_await m_engine.updateContainer(r.containerId, limits);
    co_await pushAgentEnv(r);
}

awaitable<void> SandboxService::pushAgentEnv(const SandboxRow& r) {
    if (r.env.empty())
        co_return;
    const pid_t pid = co_await agentPid(r, false);
    const auto c = co_await openAgent(r, pid);
    if (c.fd < 0)
        throw DomainError::unavailable("The sandbox's agent does not answer: " + c.error + ".");
    asio::local::stream_protocol::socket agent(co_await asio::this_coro::executor);
    boost::system::error_code ec;
    agent.assign(asio::local::stream_protocol(), c.fd, ec);
    if (ec) {
        ::close(c.fd);
        throw DomainError::internal("Cannot use the agent's socket: " + ec.message());
    }
    http::Request req{http::bhttp::verb::post, "/env", 11};
    req.set(http::bhttp::field::host, "agent");
    req.set(http::bhttp::field::content_type, "application/json");
    const json body{{"set", r.env}};
    req.body() = body.dump();
    req.prepare_payload();
    const auto x = co_await http::exchange(agent, req, 1 << 20);
    if (x.error || x.response.result_int() != 200)
        throw DomainError::unavailable("The sandbox's agent did not take its environment (" +
                                       (x.error ? x.error.message() : x.response.body()) + ").");
}

awaitable<void> SandboxService::discardPoolMember(PoolMember m) {
    m_agentPids.erase(m.id);
    if (m_poolIps.erase(m.id))
        releaseNetwork(m.id);
    try {
        co_await m_engine.removeContainer(m.containerId);
    } catch (...) {
        // The engine is down; the reconciler removes the container once it is back.
    }
    const std::string gone = m_config.dataDir + "/sandboxes/" + m.id; // GCC 12: no temporaries in co_await
    co_await removeAll(gone);
}

awaitable<void> SandboxService::fillPool() {
    if (m_poolFilling || m_config.warmPool <= 0)
        co_return;
    const FlagGuard filling(m_poolFilling);
    const auto snap = store::SnapshotRepository(m_db).find(m_config.defaultSnapshot, {});
    if (!snap || snap->state != "active")
        co_return;
    const std::string image = snap->imageName;
    std::string failure;
    try {
        const auto info = co_await m_engine.inspectImage(image);
        if (!info)
            throw DomainError::notFound("The image " + image + " is missing.");
        const engine::ImageConfig& imageConfig = info->config;
        const std::string imageId = info->id;
        std::string user = imageConfig.user;
        if (user.empty())
            user = "root";

        // Members made from an older build of the image, or that died, make way for new ones.
        std::deque<PoolMember> keep;
        for (auto& m : m_pool) {
            const auto c = connectToAgent(m_config.sandboxRunDir(m.id), m.pid);
            if (c.fd >= 0)
                ::close(c.fd);
            (c.fd >= 0 && m.imageId == imageId ? keep : m_poolDead).push_back(m);
        }
        m_pool = std::move(keep);
        while (!m_poolDead.empty()) {
            PoolMember m = m_poolDead.front();
            m_poolDead.pop_front();
            co_await discardPoolMember(m);
        }

        while (static_cast<int>(m_pool.size()) < m_config.warmPool) {
            SandboxRow p;
            p.id = uuidV4();
            p.snapshot = m_config.defaultSnapshot;
            p.image = image;
            p.user = user;
            p.cpu = SandboxDefaults::kCpu;
            p.memory = SandboxDefaults::kMemoryGiB;
            p.disk = SandboxDefaults::kDiskGiB;
            m_poolPending.insert(p.id);
            std::optional<std::string> memberFailure;
            try {
                if (m_firewall) { // no one's yet: nothing goes out until a claim sets its owner's policy
                    const std::string ip = allocateIp();
                    p.ip = ip;
                    m_poolIps[p.id] = ip;
                    refusedUnlessApplied([&] {
                        m_firewall->apply(p.id, ip, Egress{Egress::Kind::BlockAll, {}});
                    });
                }
                engine::ContainerSpec spec = containerSpec(p, imageConfig);
                spec.labels["cove.pool"] = "true";
                makeRunDir(p.id);
                const std::string name = containerName(p);
                p.containerId = co_await m_engine.createContainer(name, spec);
                co_await m_engine.startContainer(p.containerId);
                co_await waitForAgent(p);
            } catch (const DomainError& e) {
                memberFailure = e.message;
            } catch (const std::exception& e) {
                memberFailure = e.what();
            }
            m_poolPending.erase(p.id);
            if (memberFailure) {
                PoolMember dead{p.id, p.containerId.empty() ? containerName(p) : p.containerId, imageId,
                                user};
                co_await discardPoolMember(dead);
                throw DomainError::unavailable(*memberFailure);
            }
            const pid_t pid = m_agentPids.count(p.id) ? m_agentPids[p.id] : 0;
            m_pool.push_back({p.id, p.containerId, imageId, user, p.disk, pid});
        }
    } catch (const DomainError& e) {
        failure = e.message;
    } catch (const std::exception& e) {
        failure = e.what();
    }
    // Tried again at the next reconcile; creates meanwhile make their containers the ordinary way.
    if (!failure.empty() && failure != m_poolError)
        std::fprintf(stderr, "coved: cannot fill the warm pool: %s\n", failure.c_str());
    m_poolError = failure;
}

awaitable<void> SandboxService::drainPool() {
    const int target = m_config.warmPool;
    m_config.warmPool = 0; // no refill while we empty it
    while (!m_pool.empty()) {
        PoolMember m = m_pool.front();
        m_pool.pop_front();
        co_await discardPoolMember(m);
    }
    m_config.warmPool = target;
}

bool SandboxService::isPoolMember(const std::string& id) const {
    if (m_poolPending.count(id))
        return true;
    const auto has = [&](const std::deque<PoolMember>& q) {
        return std::any_of(q.begin(), q.end(), [&](const PoolMember& m) { return m.id == id; });
    };
    return has(m_pool) || has(m_poolDead);
}

json SandboxService::poolStatus() const {
    return {{"size", m_config.warmPool},
            {"ready", m_pool.size()},
            {"error", m_poolError.empty() ? json(nullptr) : json(m_poolError)}};
}

} // namespace cove::domain
