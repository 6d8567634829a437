// The warm pool: started sandboxes of the default snapshot that no one owns yet. A create the pool can
// serve takes a member's id and container, gets its limits and environment applied, and answers at once;
// the pool is then topped up in the background. Members have no row in the store, so they count against
// no quota and appear in no listing; the reconciler leaves them to this file.
#include "service/domain/SandboxService.h"
#include "service/domain/Workers.h"
#include "service/store/SnapshotRepository.h"
#include "service/store/WarmPoolRepository.h"

#include "service/domain/Quotas.h"

#include "service/domain/NetworkPolicy.h"
#include "service/domain/SandboxRow.h"

#include "common/Http.h"
#include "common/Random.h"
#include "service/domain/AgentConnector.h"
#include "service/domain/Validate.h"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
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
    const bool plain = r.gpu == 0 && !r.networkBlockAll && !r.networkAllowList && !r.domainAllowList &&
                       !r.domainBlockList && !r.networkStrict && r.volumes.empty();
    if (!plain || imageId.empty())
        return std::nullopt;
    const auto fits = [&](const PoolMember& m) {
        if (m.imageId != imageId || m.user != r.user || (m_engine.info().diskLimits && m.disk != r.disk))
            return false;
        // An organization's pool serves that organization alone, in its target; the default pool anyone.
        return m.poolId.empty() ||
               (m.organizationId == r.organizationId && (!r.target || *r.target == m.target));
    };
    for (const bool own : {true, false}) // the organization's own pool first
        for (auto it = m_pool.begin(); it != m_pool.end();) {
            if (it->poolId.empty() == own || !fits(*it)) {
                ++it;
                continue;
            }
            PoolMember m = *it;
            it = m_pool.erase(it);
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

awaitable<void> SandboxService::claimPoolMember(SandboxRow& r, const PoolMember& m) {
    applyNetwork(r); // the member was made with everything blocked
    const engine::Resources limits = resourceLimits(r.cpu, r.memory);
    if (r.cpu != m.cpu || r.memory != m.memory)
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

struct SandboxService::PoolWish {
    std::string poolId, organizationId, snapshot, target;
    int size = 0;
    int cpu = SandboxDefaults::kCpu, memory = SandboxDefaults::kMemoryGiB, disk = SandboxDefaults::kDiskGiB;
    std::string user; // empty: the image's
    json env = json::object();
};

awaitable<void> SandboxService::fillPool() {
    if (m_poolStopped)
        co_return;
    if (m_poolFilling) { // the running fill goes round once more and sees what changed
        m_poolAgain = true;
        co_return;
    }
    const FlagGuard filling(m_poolFilling);
    do {
        m_poolAgain = false;
        co_await fillPoolsOnce();
    } while (m_poolAgain && !m_poolStopped);
}

awaitable<void> SandboxService::topUpPoolSoon() {
    // A claimed member's user runs a first command at once: the engine's work for the next member (a
    // container made and started, its rules written) would take the machine from under it.
    constexpr auto kTopUpDelay = std::chrono::milliseconds(300);
    asio::steady_timer wait(co_await asio::this_coro::executor, kTopUpDelay);
    co_await wait.async_wait(asio::use_awaitable);
    co_await fillPool();
}

awaitable<void> SandboxService::fillPoolsOnce() {
    std::vector<PoolWish> wishes;
    PoolWish builtIn;
    builtIn.snapshot = m_config.defaultSnapshot;
    builtIn.target = WarmPoolLimits::kDefaultTarget;
    builtIn.size = m_config.warmPool;
    wishes.push_back(builtIn);
    try {
        for (const auto& p : store::WarmPoolRepository(m_db).list({})) {
            PoolWish w{p.id,  p.organizationId, p.snapshot, p.target, p.pool,
                       p.cpu, p.memory,         p.disk,     p.osUser, json::parse(p.env, nullptr, false)};
            if (!w.env.is_object())
                w.env = json::object();
            wishes.push_back(std::move(w));
        }
    } catch (const std::exception& e) { // the store is out of reach: keep what is there, fill nothing new
        std::fprintf(stderr, "coved: cannot read the warm pools: %s\n", e.what());
        co_return;
    }

    // Members that died, whose pool is gone, or beyond their pool's size make way.
    std::map<std::string, int> sizeOf, kept;
    for (const auto& w : wishes)
        sizeOf[w.poolId] = w.size;
    std::deque<PoolMember> keep;
    for (auto& m : m_pool) {
        const auto c = connectToAgent(m_config.sandboxRunDir(m.id), m.pid);
        if (c.fd >= 0)
            ::close(c.fd);
        const auto want = sizeOf.find(m.poolId);
        const bool stays = c.fd >= 0 && want != sizeOf.end() && kept[m.poolId] < want->second;
        if (stays)
            ++kept[m.poolId];
        (stays ? keep : m_poolDead).push_back(m);
    }
    m_pool = std::move(keep);
    co_await discardDeadMembers();
    for (auto it = m_poolErrors.begin(); it != m_poolErrors.end();)
        it = sizeOf.count(it->first) ? std::next(it) : m_poolErrors.erase(it);

    for (const auto& w : wishes) {
        if (m_poolStopped)
            break;
        std::string failure;
        try {
            co_await growPool(w);
        } catch (const DomainError& e) {
            failure = e.message;
        } catch (const std::exception& e) {
            failure = e.what();
        }
        // Tried again at the next reconcile; creates meanwhile make their containers the ordinary way.
        std::string& last = w.poolId.empty() ? m_poolError : m_poolErrors[w.poolId];
        if (!failure.empty() && failure != last)
            std::fprintf(stderr, "coved: cannot fill the warm pool %s: %s\n",
                         w.poolId.empty() ? "of the default snapshot" : w.poolId.c_str(), failure.c_str());
        last = failure;
    }
}

awaitable<void> SandboxService::discardDeadMembers() {
    while (!m_poolDead.empty()) {
        PoolMember m = m_poolDead.front();
        m_poolDead.pop_front();
        co_await discardPoolMember(m);
    }
}

int SandboxService::readyIn(const std::string& poolId) const {
    return static_cast<int>(
        std::count_if(m_pool.begin(), m_pool.end(), [&](const PoolMember& m) { return m.poolId == poolId; }));
}

awaitable<void> SandboxService::growPool(const PoolWish& w) {
    if (w.size <= 0)
        co_return;
    const bool builtIn = w.poolId.empty();
    const auto snap = store::SnapshotRepository(m_db).find(w.snapshot, w.organizationId);
    if (builtIn && (!snap || snap->state != "active"))
        co_return; // the default snapshot is still being registered
    if (!snap)
        throw DomainError::notFound("The snapshot '" + w.snapshot +
                                    "' no longer exists; delete this pool or make the snapshot again.");
    if (snap->state != "active")
        throw DomainError::unavailable("The snapshot '" + w.snapshot + "' is " + snap->state +
                                       "; the pool fills once it is active.");
    const std::string image = snap->imageName;
    const auto info = co_await m_engine.inspectImage(image);
    if (!info)
        throw DomainError::notFound("The image " + image + " is missing.");
    const engine::ImageConfig& imageConfig = info->config;
    const std::string imageId = info->id;
    std::string user = w.user.empty() ? imageConfig.user : w.user;
    if (user.empty())
        user = "root";

    // Members made from an older build of the image make way for new ones.
    for (auto it = m_pool.begin(); it != m_pool.end();)
        if (it->poolId == w.poolId && it->imageId != imageId) {
            m_poolDead.push_back(*it);
            it = m_pool.erase(it);
        } else {
            ++it;
        }
    co_await discardDeadMembers();

    // An organization's members count against its quota, beside its sandboxes and its other pools'.
    int want = w.size;
    std::string short_;
    if (!builtIn) {
        const Limits l = limitsOf(m_db, w.organizationId);
        const Usage u = usageOf(m_db, w.organizationId);
        int cpu = u.cpu, memory = u.memory, disk = u.disk;
        for (const auto& m : m_pool)
            if (m.organizationId == w.organizationId && m.poolId != w.poolId) {
                cpu += m.cpu;
                memory += m.memory;
                disk += m.disk;
            }
        const auto roomFor = [](int total, int used, int each) {
            return each <= 0 ? WarmPoolLimits::kMaxSize : std::max(0, (total - used) / each);
        };
        const int room = std::min({roomFor(l.totalCpu, cpu, w.cpu), roomFor(l.totalMemory, memory, w.memory),
                                   roomFor(l.totalDisk, disk, w.disk)});
        if (room < want) {
            want = room;
            short_ = "The organization's quota (" + std::to_string(l.totalCpu) + " vCPU, " +
                     std::to_string(l.totalMemory) + " GiB memory, " + std::to_string(l.totalDisk) +
                     " GiB disk; in use with the other pools: " + std::to_string(cpu) + " vCPU, " +
                     std::to_string(memory) + " GiB, " + std::to_string(disk) + " GiB) leaves room for " +
                     std::to_string(room) + " of the " + std::to_string(w.size) +
                     " warm sandboxes; stop or delete sandboxes, make the pool smaller or raise the quota.";
            for (int surplus = readyIn(w.poolId) - want; surplus > 0; --surplus) {
                const auto it = std::find_if(m_pool.begin(), m_pool.end(),
                                             [&](const PoolMember& m) { return m.poolId == w.poolId; });
                m_poolDead.push_back(*it);
                m_pool.erase(it);
            }
            co_await discardDeadMembers();
        }
    }

    while (readyIn(w.poolId) < want && !m_poolStopped) {
        SandboxRow p;
        p.id = uuidV4();
        p.snapshot = snap->name;
        p.image = image;
        p.user = user;
        p.cpu = w.cpu;
        p.memory = w.memory;
        p.disk = w.disk;
        p.env = w.env;
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
        PoolMember m{p.id,     p.containerId.empty() ? containerName(p) : p.containerId,
                     imageId,  user,
                     p.disk,   0,
                     w.poolId, w.organizationId,
                     w.target, w.cpu,
                     w.memory};
        // A failed member goes, and so does one made while coved began to stop; either stays pending until
        // its container is gone, so drainPool waits for it.
        if (memberFailure || m_poolStopped) {
            try {
                co_await discardPoolMember(m);
            } catch (...) {
                m_poolPending.erase(p.id);
                throw;
            }
            m_poolPending.erase(p.id);
            if (memberFailure)
                throw DomainError::unavailable(*memberFailure);
            break;
        }
        m_poolPending.erase(p.id);
        m.pid = m_agentPids.count(p.id) ? m_agentPids[p.id] : 0;
        m_pool.push_back(m);
    }
    if (!short_.empty())
        throw DomainError::forbidden(short_);
}

awaitable<void> SandboxService::drainPool() {
    m_poolStopped = true; // no refill while we empty it, nor after
    // A member being made has its container already, perhaps: its fill removes it once made (above), so
    // wait for that before coved's io stops, or the container would outlive it.
    asio::steady_timer wait(co_await asio::this_coro::executor);
    const auto giveUp = std::chrono::steady_clock::now() + std::chrono::minutes(2); // the engine hangs
    while (!m_poolPending.empty() && std::chrono::steady_clock::now() < giveUp) {
        wait.expires_after(std::chrono::milliseconds(20));
        co_await wait.async_wait(asio::use_awaitable);
    }
    while (!m_pool.empty()) {
        PoolMember m = m_pool.front();
        m_pool.pop_front();
        co_await discardPoolMember(m);
    }
    co_await discardDeadMembers();
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
            {"ready", readyIn({})},
            {"error", m_poolError.empty() ? json(nullptr) : json(m_poolError)}};
}

// --- /api/warm-pools ---

namespace {

// The desired size: required, a whole number from 0 (drained) to the most one pool may hold.
int poolSizeOf(const json& body) {
    if (!body.contains("pool") || body["pool"].is_null())
        throw validate::invalid("pool", "'pool' is required: how many warm sandboxes to keep ready, 0 to " +
                                            std::to_string(WarmPoolLimits::kMaxSize) + ".");
    return validate::optInt(body, "pool", 0, 0, WarmPoolLimits::kMaxSize);
}

// A pool of `size` members of these resources within the organization's quota (what the quota allows
// in all; what its sandboxes use now only limits how many are kept, which errorReason then says).
void admitPoolSize(const Limits& l, int size, int cpu, int memory, int disk) {
    admitSandboxSize(l, cpu, memory, disk);
    const auto check = [&](int each, int total, const char* what) {
        if (each > 0 && size * each > total)
            throw DomainError::forbidden("A pool of " + std::to_string(size) + " warm sandboxes needs " +
                                         std::to_string(size * each) + " " + what + "; the organization's " +
                                         "quota allows " + std::to_string(total) + ". Ask for at most " +
                                         std::to_string(total / each) +
                                         ", or raise the quota on the Limits page.")
                .with(errors::kQuotaExceeded, "pool");
    };
    check(cpu, l.totalCpu, "vCPU");
    check(memory, l.totalMemory, "GiB of memory");
    check(disk, l.totalDisk, "GiB of disk");
}

DomainError unknownPool(const std::string& id) {
    return DomainError::notFound("No warm pool '" + id +
                                 "' in this organization; list them with GET /api/warm-pools.");
}

} // namespace

json SandboxService::warmPoolDto(const store::WarmPoolRecord& p) const {
    json env = json::parse(p.env, nullptr, false);
    const auto error = m_poolErrors.find(p.id);
    const bool failing = error != m_poolErrors.end() && !error->second.empty() && p.pool > 0;
    return {{"id", p.id},
            {"organizationId", p.organizationId},
            {"snapshot", p.snapshot},
            {"target", p.target},
            {"pool", p.pool},
            {"currentSize", readyIn(p.id)},
            {"cpu", p.cpu},
            {"mem", p.memory},
            {"disk", p.disk},
            {"osUser", p.osUser},
            {"env", env.is_object() ? env : json::object()},
            {"errorReason", failing ? json(error->second) : json(nullptr)},
            {"createdAt", toIso8601(fromMillis(p.createdAt))},
            {"updatedAt", toIso8601(fromMillis(p.updatedAt))}};
}

json SandboxService::listWarmPools(const Caller& caller) {
    json out = json::array();
    for (const auto& p : store::WarmPoolRepository(m_db).list(caller.who.organizationId))
        out.push_back(warmPoolDto(p));
    return out;
}

awaitable<json> SandboxService::createWarmPool(json body, const Caller& caller) {
    const std::string& org = caller.who.organizationId;
    if (!body.contains("snapshot") || !body["snapshot"].is_string() ||
        body["snapshot"].get<std::string>().empty())
        throw validate::invalid("snapshot", "'snapshot' is required: the name or id of the snapshot to keep "
                                            "warm sandboxes of.");
    const std::string ref =
        validate::optText(body, "snapshot", WarmPoolLimits::kMaxSnapshotBytes).value_or("");
    const int size = poolSizeOf(body);
    std::string target = WarmPoolLimits::kDefaultTarget;
    if (const auto t = validate::optText(body, "target", WarmPoolLimits::kMaxTargetBytes)) {
        if (t->empty() ||
            t->find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
                std::string::npos)
            throw validate::invalid("target",
                                    "'target' must be a region name (letters, digits, '.', '_', '-').");
        target = *t;
    }
    const auto snap = store::SnapshotRepository(m_db).find(ref, org);
    if (!snap)
        throw DomainError::notFound("Snapshot '" + ref +
                                    "' does not exist; list snapshots with GET /api/snapshots.")
            .with(errors::kSnapshotNotFound, "snapshot");
    admitPoolSize(limitsOf(m_db, org), size, snap->cpu, snap->memory, snap->disk);
    const std::string image = snap->imageName;
    const auto info = co_await m_engine.inspectImage(image);

    store::WarmPoolRecord p;
    p.id = uuidV4();
    p.organizationId = org;
    p.snapshot = snap->name;
    p.target = target;
    p.pool = size;
    p.cpu = snap->cpu;
    p.memory = snap->memory;
    p.disk = snap->disk;
    p.osUser = info && !info->config.user.empty() ? info->config.user : "root";
    p.createdAt = p.updatedAt = toMillis(m_clock.now());
    store::WarmPoolRepository repo(m_db);
    m_db.transaction([&] {
        for (const auto& other : repo.list(org))
            if (other.snapshot == p.snapshot && other.target == p.target)
                throw DomainError::conflict(
                    "A warm pool for snapshot '" + p.snapshot + "' in " + p.target + " exists already (" +
                    other.id + "); change its size with PATCH /api/warm-pools/" + other.id + ".");
        if (repo.count(org) >= WarmPoolLimits::kMaxPoolsPerOrganization)
            throw DomainError::forbidden("An organization may keep at most " +
                                         std::to_string(WarmPoolLimits::kMaxPoolsPerOrganization) +
                                         " warm pools; delete one first.");
        if (!repo.insert(p)) // another request made it in between
            throw DomainError::conflict("A warm pool for snapshot '" + p.snapshot + "' in " + p.target +
                                        " exists already; list them with GET /api/warm-pools.");
        audit(&caller, "create", "warm_pool", p.id, 200);
    });
    asio::co_spawn(co_await asio::this_coro::executor, fillPool(), asio::detached);
    co_return warmPoolDto(p);
}

awaitable<json> SandboxService::updateWarmPool(std::string id, json body, const Caller& caller) {
    const std::string& org = caller.who.organizationId;
    const int size = poolSizeOf(body);
    store::WarmPoolRepository repo(m_db);
    auto p = repo.find(id, org);
    if (!p)
        throw unknownPool(id);
    admitPoolSize(limitsOf(m_db, org), size, p->cpu, p->memory, p->disk);
    p->pool = size;
    p->updatedAt = toMillis(m_clock.now());
    m_db.transaction([&] {
        if (!repo.setSize(p->id, size, p->updatedAt))
            throw unknownPool(id);
        audit(&caller, "update", "warm_pool", p->id, 200);
    });
    asio::co_spawn(co_await asio::this_coro::executor, fillPool(), asio::detached);
    co_return warmPoolDto(*p);
}

awaitable<json> SandboxService::deleteWarmPool(std::string id, const Caller& caller) {
    store::WarmPoolRepository repo(m_db);
    m_db.transaction([&] {
        if (!repo.remove(id, caller.who.organizationId))
            throw unknownPool(id);
        audit(&caller, "delete", "warm_pool", id, 200);
    });
    m_poolErrors.erase(id);
    asio::co_spawn(co_await asio::this_coro::executor, fillPool(), asio::detached); // drains it
    co_return json::object();
}

} // namespace cove::domain
