// Lifecycle timers: the TTL; auto-stop or auto-pause on inactivity; after a stop, auto-delete (ephemeral
// sandboxes at once) or auto-archive.
#include "service/domain/SandboxService.h"

#include "service/domain/SandboxRow.h"

namespace cove::domain {

namespace {
std::int64_t minutesMs(int minutes) {
    return static_cast<std::int64_t>(minutes) * 60 * 1000;
}
// An auto-archive interval of 0 means the longest one, as Daytona documents: 30 days.
constexpr int kMaxAutoArchiveMinutes = 30 * 24 * 60;
} // namespace

bool SandboxService::beginSystemTransition(SandboxRow& r, const std::string& action, SandboxState desired) {
    const SandboxState before = reportedState(r.state, r.desiredState);
    bool won = false;
    m_db.transaction([&] {
        const std::int64_t now = toMillis(m_clock.now());
        won = m_repo.setDesired(r.id, r.state, r.desiredState, desired, now);
        if (!won)
            return; // another coved (or request) changed it since it was read
        r.desiredState = desired;
        r.updatedAt = now;
        audit(nullptr, action, "sandbox", r.id, 200);
    });
    if (won)
        emitStateChange(r, before);
    return won;
}

awaitable<int> SandboxService::runTimers() {
    const std::int64_t now = toMillis(m_clock.now());
    int changed = 0;
    // The TTL first: past its deadline a sandbox is destroyed, whatever its state.
    for (SandboxRow& r : m_repo.listExpired(now)) {
        if (m_busy.count(r.id) || r.desiredState == SandboxState::Destroyed)
            continue;
        try {
            if (!beginSystemTransition(r, "delete", SandboxState::Destroyed))
                continue;
            co_await converge(r, true);
            ++changed;
        } catch (const DomainError&) {
            // converge() left the sandbox in `error` with the reason; the next round tries again.
        }
    }
    for (SandboxRow& r : m_repo.listSettled()) {
        if (m_busy.count(r.id))
            continue;
        try {
            // Idle since the last activity or since it started, whichever is later: a sandbox started
            // after a long rest gets its whole interval.
            const std::int64_t idleSince = std::max(r.lastActivityAt, r.stateChangedAt);
            if (r.state == SandboxState::Started && r.autoPause > 0 &&
                now - idleSince >= minutesMs(r.autoPause)) {
                if (beginSystemTransition(r, "pause", SandboxState::Paused)) {
                    co_await converge(r);
                    ++changed;
                }
                continue;
            }
            if (r.state == SandboxState::Started && r.autoStop > 0 &&
                now - idleSince >= minutesMs(r.autoStop)) {
                if (!beginSystemTransition(r, "stop", SandboxState::Stopped))
                    continue;
                co_await converge(r);
                ++changed;
                if (r.autoDelete != 0)
                    continue;
                // Ephemeral: deleted as soon as it stops.
            } else if (r.state == SandboxState::Stopped && r.autoDelete >= 0 &&
                       now - r.stateChangedAt >= minutesMs(r.autoDelete)) {
                // deleted below
            } else if (r.state == SandboxState::Stopped &&
                       now - r.stateChangedAt >=
                           minutesMs(r.autoArchive > 0 ? r.autoArchive : kMaxAutoArchiveMinutes)) {
                if (!beginSystemTransition(r, "archive", SandboxState::Archived))
                    continue;
                co_await converge(r);
                ++changed;
                continue;
            } else {
                continue;
            }
            if (!beginSystemTransition(r, "delete", SandboxState::Destroyed))
                continue;
            co_await converge(r, true);
            ++changed;
        } catch (const DomainError&) {
            // converge() left the sandbox in `error` with the reason; the next round leaves it alone.
        }
    }
    co_return changed;
}

} // namespace cove::domain
