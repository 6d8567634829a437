// The reconciler: what Docker runs is brought back in line with what the store says should run.
#include "service/domain/SandboxService.h"
#include "service/domain/Workers.h"

#include "service/domain/SandboxRow.h"

#include <filesystem>
#include <map>

namespace cove::domain {

namespace fs = std::filesystem;

namespace {
const char* const kDisappeared =
    "The sandbox's container disappeared from the Docker engine; delete the sandbox and create it again.";

std::string idOr(const engine::ContainerStatus& c, const std::string& fallback) {
    return c.id.empty() ? fallback : c.id;
}
} // namespace

awaitable<SandboxService::ReconcileReport> SandboxService::reconcile() {
    ReconcileReport report;
    const std::string mine = std::string(kInstanceLabel) + "=" + m_instance;
    const auto containers = co_await m_engine.listContainers(mine);
    std::map<std::string, engine::ContainerStatus> bySandbox; // sandbox id -> its container
    for (const auto& c : containers)
        if (const auto label = c.labels.find(kSandboxLabel); label != c.labels.end())
            bySandbox[label->second] = c;

    std::set<std::string> live;
    for (SandboxRow& r : m_repo.listForReconcile()) {
        if (r.state != SandboxState::Destroyed)
            live.insert(r.id);
        if (m_busy.count(r.id))
            continue;
        const auto found = bySandbox.find(r.id);
        const bool exists = found != bySandbox.end();
        const bool running = exists && found->second.running();
        try {
            if (r.state == SandboxState::Creating) {
                // The client never got this sandbox: roll the create back and say so.
                if (exists) {
                    const std::string container = idOr(found->second, containerName(r));
                    co_await m_engine.removeContainer(container);
                }
                const std::string gone =
                    m_config.dataDir + "/sandboxes/" + r.id; // GCC 12: no temporaries in co_await
                co_await removeAll(gone);
                setState(r, SandboxState::Error,
                         "Cove stopped while this sandbox was being created; delete it and create it again.");
                ++report.settled;
            } else if (r.state == SandboxState::Error || r.state == SandboxState::BuildFailed) {
                if (r.desiredState == SandboxState::Destroyed) {
                    co_await converge(r, true);
                    ++report.settled;
                }
            } else if (r.state != r.desiredState) {
                co_await converge(r, r.desiredState == SandboxState::Destroyed);
                ++report.settled;
            } else if (!exists && (r.state == SandboxState::Started || r.state == SandboxState::Stopped ||
                                   r.state == SandboxState::Paused)) {
                setState(r, SandboxState::Error, kDisappeared);
                ++report.failed;
            } else if (r.state == SandboxState::Paused && !running &&
                       found->second.state != engine::ContainerState::Paused) {
                // Its frozen processes ended (the engine restarted): what is left is a stopped sandbox.
                const SandboxState before = reportedState(r.state, r.desiredState);
                if (m_repo.transition(
                        r.id, {SandboxState::Paused},
                        {SandboxState::Stopped, std::nullopt, SandboxState::Stopped, std::nullopt},
                        toMillis(m_clock.now()))) {
                    r.state = r.desiredState = SandboxState::Stopped;
                    emitStateChange(r, before);
                    ++report.settled;
                }
            } else if (r.state == SandboxState::Paused && running) {
                const std::string container = idOr(found->second, containerName(r));
                co_await m_engine.pauseContainer(container); // thawed by hand: it stays paused
                ++report.settled;
            } else if (r.state == SandboxState::Started &&
                       found->second.state == engine::ContainerState::Paused) {
                const std::string container = idOr(found->second, containerName(r));
                co_await thaw(container); // frozen by hand: it should run
                ++report.restarted;
            } else if (r.state == SandboxState::Started && !running) {
                // Stopped under us (the engine restarted, or someone stopped it by hand): it should run.
                r.state = SandboxState::Stopped;
                bool restarted = true;
                try {
                    co_await converge(r);
                } catch (const DomainError&) {
                    restarted = false;
                }
                if (!restarted) {
                    // Seen stopped because it was being removed by hand: say what really happened.
                    const std::string container = idOr(found->second, containerName(r));
                    const auto still = co_await m_engine.inspectContainer(container);
                    const bool removing = still && still->state == engine::ContainerState::Removing;
                    if (!still || removing)
                        setState(r, SandboxState::Error, kDisappeared);
                    ++report.failed;
                    continue;
                }
                ++report.restarted;
            } else if (r.state == SandboxState::Stopped && running) {
                co_await converge(r);
                ++report.settled;
            }
        } catch (const DomainError&) {
            ++report.failed; // converge() left the sandbox in `error` with the reason
        }
    }

    // This installation's containers that no live sandbox owns were never handed to anyone, or their
    // sandbox was deleted: remove them. Warm pool members are this coved's own; those a previous coved
    // left are removed like any other (the pool is made again).
    for (const auto& [id, c] : bySandbox) {
        if (live.count(id) || m_busy.count(id) || isPoolMember(id))
            continue;
        const std::string container = idOr(c, "cove-" + id);
        co_await m_engine.removeContainer(container);
        const std::string gone = m_config.dataDir + "/sandboxes/" + id; // GCC 12: no temporaries in co_await
        co_await removeAll(gone);
        ++report.orphansRemoved;
    }
    co_await settleLinks();
    co_return report;
}

} // namespace cove::domain
