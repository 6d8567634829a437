// Sandbox state changes: the desired state is recorded (with its audit row) before Docker is touched,
// then converge() drives the container there. The same converge() settles what a crashed coved left.
#include "service/domain/DomainError.h"
#include "service/domain/SandboxService.h"
#include "service/domain/SshAccess.h"
#include "service/domain/Workers.h"

#include "service/domain/Quotas.h"
#include "service/domain/SandboxRow.h"
#include "service/domain/Validate.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>

namespace cove::domain {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace validate;

namespace {

// How long a stopping container gets to exit after SIGTERM, as Daytona's runner waits.
constexpr int kStopGraceSeconds = 10;
constexpr int kMaxIntervalMinutes = 1 << 30;
constexpr int kMaxCpu = 1024;
constexpr int kMaxMemoryGiB = 1 << 16;
constexpr int kMaxDiskGiB = 1 << 20;

} // namespace

SandboxRow SandboxService::require(const std::string& idOrName, const Caller& caller) {
    auto r = find(idOrName, caller.who.organizationId);
    if (!r)
        throw DomainError::notFound("Sandbox '" + idOrName + "' not found.");
    return std::move(*r);
}

SandboxRow SandboxService::beginTransition(const std::string& idOrName, const Caller& caller,
                                           const std::string& action,
                                           std::initializer_list<SandboxState> allowedFrom,
                                           SandboxState desired) {
    SandboxRow r = require(idOrName, caller);
    const SandboxState before = reportedState(r.state, r.desiredState);
    const auto refuse = [&](SandboxState shown) {
        return DomainError::conflict("Sandbox '" + r.name + "' is " + toString(shown) + "; it can " + action +
                                     " only when " + joined(allowedFrom) + ".");
    };
    if (std::find(allowedFrom.begin(), allowedFrom.end(), before) == allowedFrom.end())
        throw refuse(before);
    const std::int64_t now = toMillis(m_clock.now());
    m_db.transaction([&] {
        // Resources are taken in the transaction that records the intent to run: CPU and memory for
        // any start, the disk too when the sandbox comes back from the archive.
        // A paused sandbox holds its CPU and memory already (its processes keep their memory).
        if (desired == SandboxState::Started && before != SandboxState::Started &&
            before != SandboxState::Paused)
            admit(m_db, r.organizationId, r.cpu, r.memory, before == SandboxState::Archived ? r.disk : 0);
        // Conditional on the states read: another coved sharing the store may have moved first.
        if (!m_repo.setDesired(r.id, r.state, r.desiredState, desired, now)) {
            const auto stored = m_repo.get(r.id);
            throw refuse(stored ? reportedState(stored->state, stored->desiredState)
                                : SandboxState::Destroyed);
        }
        audit(&caller, action, "sandbox", r.id, 200);
    });
    r.desiredState = desired;
    r.updatedAt = now;
    emitStateChange(r, before);
    return r;
}

void SandboxService::emitStateChange(const SandboxRow& r, SandboxState before) {
    const SandboxState after = reportedState(r.state, r.desiredState);
    if (!m_publish || after == before)
        return;
    m_publish(
        r.organizationId, "sandbox.state.updated",
        {{"sandbox", toDto(r, false, {})}, {"oldState", toString(before)}, {"newState", toString(after)}});
    m_publish(r.organizationId, "usage.updated", usageOf(m_db, r.organizationId).toJson());
}

void SandboxService::setState(SandboxRow& r, SandboxState state, const std::string& errorReason) {
    const SandboxState before = reportedState(r.state, r.desiredState);
    const std::int64_t now = toMillis(m_clock.now());
    const std::int64_t changedAt = r.state != state ? now : r.stateChangedAt;
    const std::optional<std::string> reason =
        errorReason.empty() ? std::nullopt : std::optional<std::string>(errorReason);
    if (!m_repo.transition(r.id, sourcesOf(state), {state, reason, std::nullopt, changedAt}, now)) {
        const auto stored = m_repo.get(r.id);
        throw DomainError::conflict(
            "Sandbox '" + r.name + "' was changed by another request (it is " +
            toString(stored ? reportedState(stored->state, stored->desiredState) : SandboxState::Destroyed) +
            "); it cannot become " + toString(state) + ".");
    }
    r.stateChangedAt = changedAt;
    r.state = state;
    r.errorReason = errorReason;
    r.updatedAt = now;
    emitStateChange(r, before);
}

awaitable<void> SandboxService::converge(SandboxRow& r, bool force) {
    const BusyMark busy(m_busy, r.id);
    const std::string container = containerName(r);
    std::optional<DomainError> failure;
    try {
        // A frozen container is thawed before it is stopped or removed: its processes must see the signal.
        if (r.state == SandboxState::Paused && r.desiredState != SandboxState::Paused &&
            r.desiredState != SandboxState::Started)
            co_await thaw(container);
        if (r.desiredState == SandboxState::Destroyed) {
            co_await m_engine.removeContainer(container);
            co_await dropCheckpoints(r);
            const std::string forkImage = "cove-fork:" + r.id;
            co_await m_engine.removeImage(forkImage);
            const std::string archiveImage = "cove-archive:" + r.id;
            co_await m_engine.removeImage(archiveImage);
            const std::string gone =
                m_config.dataDir + "/sandboxes/" + r.id; // GCC 12: no temporaries in co_await
            co_await removeAll(gone);
            std::error_code ec;
            fs::remove(archivePath(r.id), ec);
            releaseNetwork(r.id);
            co_await leaveLink(r);
            m_agentPids.erase(r.id);
            m_sshAccess->forgetSandbox(r.id);
            setState(r, SandboxState::Destroyed);
        } else if (r.desiredState == SandboxState::Stopped) {
            co_await m_engine.stopContainer(container, force ? 0 : kStopGraceSeconds);
            m_agentPids.erase(r.id);
            setState(r, SandboxState::Stopped);
        } else if (r.desiredState == SandboxState::Paused) {
            co_await m_engine.pauseContainer(container);
            setState(r, SandboxState::Paused);
        } else if (r.desiredState == SandboxState::Started && r.state == SandboxState::Paused) {
            co_await m_engine.unpauseContainer(container);
            setState(r, SandboxState::Started);
        } else if (r.desiredState == SandboxState::Archived) {
            co_await archiveContainer(r);
            setState(r, SandboxState::Archived);
        } else if (r.desiredState == SandboxState::Started && r.state != SandboxState::Creating) {
            if (r.state == SandboxState::Archived)
                co_await restoreContainer(r);
            requireFirewall();
            // Docker resolves bind sources again at every start: subpaths are checked and pinned again.
            const auto pins = m_volumes.prepareMounts(r.id, mountExtras(r));
            // A link network removed behind coved's back, or a container made again from its archive.
            co_await joinLink(r);
            const std::string current = containerName(r);
            co_await m_engine.startContainer(current);
            co_await waitForAgent(r);
            // A pooled container was made before the sandbox's env was known; secrets mounted since the
            // container was made are in the env from this start on.
            if (r.pooled || m_secrets.mountsAny(r.id))
                co_await pushAgentEnv(r);
            setState(r, SandboxState::Started);
        }
    } catch (const DomainError& e) {
        failure = e;
    } catch (const engine::EngineError& e) {
        failure = DomainError::unavailable(e.what());
    }
    if (failure) {
        // The engine may be gone too; the sandbox shows the reason and can be recovered or deleted.
        setState(r, SandboxState::Error, failure->message);
        throw *failure;
    }
}

awaitable<json> SandboxService::start(const std::string& idOrName, const Caller& caller) {
    SandboxRow r = require(idOrName, caller);
    if (reportedState(r.state, r.desiredState) == SandboxState::Started) {
        audit(&caller, "start", "sandbox", r.id, 200); // nothing to do, but asked for all the same
        co_return toDto(r, false, caller.baseUrl);
    }
    requireFirewall(); // refused before anything changes: the sandbox stays as it was
    // From paused this resumes it: its processes go on where they were frozen.
    r = beginTransition(idOrName, caller, "start",
                        {SandboxState::Stopped, SandboxState::Archived, SandboxState::Paused},
                        SandboxState::Started);
    // Starting is activity: the auto-stop interval counts from here.
    r.lastActivityAt = toMillis(m_clock.now());
    m_repo.touch(r.id, r.lastActivityAt);
    co_await converge(r);
    co_return toDto(r, false, caller.baseUrl);
}

awaitable<json> SandboxService::stop(const std::string& idOrName, bool force, const Caller& caller) {
    SandboxRow r = require(idOrName, caller);
    if (reportedState(r.state, r.desiredState) == SandboxState::Stopped) {
        audit(&caller, "stop", "sandbox", r.id, 200);
        co_return toDto(r, false, caller.baseUrl);
    }
    r = beginTransition(idOrName, caller, "stop", {SandboxState::Started, SandboxState::Paused},
                        SandboxState::Stopped);
    co_await converge(r, force);
    co_return toDto(r, false, caller.baseUrl);
}

awaitable<json> SandboxService::recover(const std::string& idOrName, const Caller& caller) {
    requireFirewall();
    SandboxRow r = beginTransition(idOrName, caller, "recover", {SandboxState::Error}, SandboxState::Started);
    const BusyMark busy(m_busy, r.id);
    // From error the container may be running, stopped or gone: restart it cleanly.
    const std::string container = containerName(r);
    const auto info = co_await m_engine.inspectContainer(container);
    if (!info) {
        setState(r, SandboxState::Error,
                 "The sandbox's container is gone; delete the sandbox and create a new one.");
        throw DomainError::conflict(r.errorReason);
    }
    co_await m_engine.stopContainer(container, 0);
    r.state = SandboxState::Stopped;
    co_await converge(r);
    co_return toDto(r, false, caller.baseUrl);
}

awaitable<json> SandboxService::pause(const std::string& idOrName, const Caller& caller) {
    SandboxRow r = require(idOrName, caller);
    if (reportedState(r.state, r.desiredState) == SandboxState::Paused) {
        audit(&caller, "pause", "sandbox", r.id, 200);
        co_return toDto(r, false, caller.baseUrl);
    }
    // The cgroup freezer stops every process where it is; memory, files and connections stay.
    r = beginTransition(idOrName, caller, "pause", {SandboxState::Started}, SandboxState::Paused);
    co_await converge(r);
    co_return toDto(r, false, caller.baseUrl);
}

awaitable<void> SandboxService::thaw(const std::string& container) {
    try {
        co_await m_engine.unpauseContainer(container);
    } catch (const engine::EngineError& e) {
        if (!e.conflict() && !e.notFound()) // not paused (any more), or gone: nothing to thaw
            throw;
    }
}

awaitable<json> SandboxService::archive(const std::string& idOrName, const Caller& caller) {
    SandboxRow r = require(idOrName, caller);
    if (reportedState(r.state, r.desiredState) == SandboxState::Archived)
        co_return toDto(r, false, caller.baseUrl);
    r = beginTransition(idOrName, caller, "archive", {SandboxState::Stopped}, SandboxState::Archived);
    // Archiving copies the whole filesystem (a minute or more for a large image): as Daytona's does,
    // the request answers at once with `archiving`; progress and the end arrive as events.
    asio::co_spawn(co_await asio::this_coro::executor, convergeInBackground(r), asio::detached);
    co_return toDto(r, false, caller.baseUrl);
}

awaitable<void> SandboxService::convergeInBackground(SandboxRow r, bool force) {
    try {
        co_await converge(r, force);
    } catch (const DomainError&) {
        // converge() left the sandbox in `error` with the reason, for the caller to see.
    }
}

awaitable<json> SandboxService::remove(const std::string& idOrName, const Caller& caller) {
    SandboxRow r = require(idOrName, caller);
    if (reportedState(r.state, r.desiredState) == SandboxState::Destroying) {
        audit(&caller, "delete", "sandbox", r.id, 200); // on its way already: asking again changes nothing
        co_return toDto(r, false, caller.baseUrl);
    }
    r = beginTransition(idOrName, caller, "delete",
                        {SandboxState::Started, SandboxState::Stopped, SandboxState::Paused,
                         SandboxState::Error, SandboxState::BuildFailed, SandboxState::Archived,
                         SandboxState::PendingBuild, SandboxState::BuildingSnapshot},
                        SandboxState::Destroyed);
    // As Daytona's does, the request answers at once with `destroying`: the engine takes seconds to
    // remove a container and its filesystem. The quota and the sandbox count are free from here on;
    // the name stays taken until the sandbox is `destroyed` (an event, or a 404 on GET). Should coved
    // stop first, the reconciler finishes the removal at its next start.
    asio::co_spawn(co_await asio::this_coro::executor, convergeInBackground(r, true), asio::detached);
    co_return toDto(r, false, caller.baseUrl);
}

awaitable<json> SandboxService::resize(const std::string& idOrName, json body, const Caller& caller) {
    SandboxRow r = require(idOrName, caller);
    const int cpu = optInt(body, "cpu", r.cpu, 1, kMaxCpu);
    const int memory = optInt(body, "memory", r.memory, 1, kMaxMemoryGiB);
    const int disk = optInt(body, "disk", r.disk, 1, kMaxDiskGiB);
    if (disk < r.disk)
        throw DomainError::invalid("'disk' can only grow: the sandbox has " + std::to_string(r.disk) +
                                   " GiB, asked " + std::to_string(disk) + ".");
    const SandboxState shown = reportedState(r.state, r.desiredState);
    if (shown != SandboxState::Started && shown != SandboxState::Stopped)
        throw DomainError::conflict("Sandbox '" + r.name + "' is " + toString(shown) +
                                    "; it can be resized only when started or stopped.");
    // The new size is admitted and recorded first; CPU and memory then change live (Docker applies
    // both to a running or a stopped container). Should Docker refuse, the old size is put back.
    m_db.transaction([&] {
        const bool running = shown == SandboxState::Started;
        admitSandboxSize(limitsOf(m_db, r.organizationId), cpu, memory, disk);
        admit(m_db, r.organizationId, running ? cpu - r.cpu : 0, running ? memory - r.memory : 0,
              disk - r.disk);
        m_repo.setSize(r.id, cpu, memory, disk, toMillis(m_clock.now()));
        audit(&caller, "update", "sandbox", r.id, 200);
    });
    const std::string container = containerName(r);
    const engine::Resources limits = resourceLimits(cpu, memory);
    std::optional<std::string> refused;
    try {
        co_await m_engine.updateContainer(container, limits);
    } catch (const engine::EngineError& e) {
        refused = e.what();
    }
    if (refused) {
        m_repo.setSize(r.id, r.cpu, r.memory, r.disk);
        throw DomainError::unavailable("The Docker engine did not apply the new size: " + *refused);
    }
    r.cpu = cpu;
    r.memory = memory;
    r.disk = disk;
    co_return toDto(r, false, caller.baseUrl);
}

json SandboxService::replaceLabels(const std::string& idOrName, const json& body, const Caller& caller) {
    if (!body.contains("labels"))
        throw DomainError::invalid("The body must be {\"labels\": {...}}.");
    const json labels = stringMap(body, "labels");
    m_db.transaction([&] {
        const SandboxRow r = require(idOrName, caller);
        m_repo.setLabels(r.id, labels, toMillis(m_clock.now()));
        audit(&caller, "replace_labels", "sandbox", r.id, 200);
    });
    return {{"labels", labels}};
}

json SandboxService::setPublic(const std::string& idOrName, const std::string& value, const Caller& caller) {
    if (value != "true" && value != "false")
        throw DomainError::invalid("The public flag must be 'true' or 'false'; got '" + value + "'.");
    SandboxRow r;
    m_db.transaction([&] {
        r = require(idOrName, caller);
        r.isPublic = value == "true";
        m_repo.setPublic(r.id, r.isPublic, toMillis(m_clock.now()));
        audit(&caller, "update_public_status", "sandbox", r.id, 200);
    });
    return toDto(r, false, caller.baseUrl);
}

json SandboxService::setInterval(const std::string& idOrName, Interval which, const std::string& minutes,
                                 const Caller& caller) {
    const store::SandboxInterval column = which == Interval::AutoStop ? store::SandboxInterval::AutoStop
                                          : which == Interval::AutoArchive
                                              ? store::SandboxInterval::AutoArchive
                                          : which == Interval::AutoPause ? store::SandboxInterval::AutoPause
                                                                         : store::SandboxInterval::AutoDelete;
    const char* action = which == Interval::AutoStop      ? "set_auto_stop_interval"
                         : which == Interval::AutoArchive ? "set_auto_archive_interval"
                         : which == Interval::AutoPause   ? "set_auto_pause_interval"
                                                          : "set_auto_delete_interval";
    // -1 turns auto-delete off; the other intervals use 0 for that.
    const int value =
        intParam(minutes, "interval", which == Interval::AutoDelete ? -1 : 0, kMaxIntervalMinutes);
    SandboxRow r;
    m_db.transaction([&] {
        r = require(idOrName, caller);
        // As Daytona: at most one of auto-stop and auto-pause is on.
        if (value > 0 && which == Interval::AutoPause && r.autoStop > 0)
            throw validate::invalid("interval", "Sandbox '" + r.name + "' stops after " +
                                                    std::to_string(r.autoStop) +
                                                    " idle minutes; turn auto-stop off (autostop/0) before "
                                                    "setting an auto-pause interval.");
        if (value > 0 && which == Interval::AutoStop && r.autoPause > 0)
            throw validate::invalid("interval", "Sandbox '" + r.name + "' pauses after " +
                                                    std::to_string(r.autoPause) +
                                                    " idle minutes; turn auto-pause off (autopause/0) before "
                                                    "setting an auto-stop interval.");
        m_repo.setInterval(r.id, column, value, toMillis(m_clock.now()));
        audit(&caller, action, "sandbox", r.id, 200);
    });
    (which == Interval::AutoStop      ? r.autoStop
     : which == Interval::AutoArchive ? r.autoArchive
     : which == Interval::AutoPause   ? r.autoPause
                                      : r.autoDelete) = value;
    return toDto(r, false, caller.baseUrl);
}

json SandboxService::setTtl(const std::string& idOrName, const std::string& minutes, const Caller& caller) {
    const int value = intParam(minutes, "ttlMinutes", 0, kMaxIntervalMinutes);
    SandboxRow r;
    m_db.transaction([&] {
        r = require(idOrName, caller);
        // Counted from now, in wall-clock time, whatever the sandbox's state; 0 turns it off.
        const std::int64_t now = toMillis(m_clock.now());
        r.destroyAt =
            value > 0 ? std::optional<std::int64_t>(now + value * std::int64_t{60000}) : std::nullopt;
        m_repo.setDestroyAt(r.id, r.destroyAt, now);
        audit(&caller, "set_ttl", "sandbox", r.id, 200);
    });
    return toDto(r, false, caller.baseUrl);
}

void SandboxService::touch(const std::string& idOrName, const Caller& caller) {
    const SandboxRow r = require(idOrName, caller);
    m_repo.touch(r.id, toMillis(m_clock.now()));
}

json SandboxService::toolboxProxyUrl(const std::string& idOrName, const Caller& caller) {
    require(idOrName, caller);
    return {{"url", (caller.baseUrl.empty() ? m_baseUrl : caller.baseUrl) + "/toolbox"}};
}

} // namespace cove::domain
