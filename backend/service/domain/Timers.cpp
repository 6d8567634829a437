// Lifecycle timers: auto-stop on inactivity; after a stop, auto-delete (ephemeral sandboxes at once) or
// auto-archive.
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

void SandboxService::beginSystemTransition(SandboxRow& r, const std::string& action,
                                           const std::string& desired) {
    const std::string before = reportedState(r.state, r.desiredState);
    m_db.transaction([&] {
        r.desiredState = desired;
        r.updatedAt = toMillis(m_clock.now());
        m_db.exec("UPDATE sandboxes SET desired_state = ?, updated_at = ? WHERE id = ?",
                  {r.desiredState, r.updatedAt, r.id});
        audit(nullptr, action, "sandbox", r.id, 200);
    });
    emitStateChange(r, before);
}

awaitable<int> SandboxService::runTimers() {
    const std::int64_t now = toMillis(m_clock.now());
    int changed = 0;
    const auto rows =
        m_db.query(std::string("SELECT ") + SandboxRow::kColumns +
                   " FROM sandboxes WHERE state = desired_state AND state IN ('started', 'stopped')");
    for (const auto& raw : rows) {
        SandboxRow r = SandboxRow::from(raw);
        if (m_busy.count(r.id))
            continue;
        try {
            // Idle since the last activity or since it started, whichever is later: a sandbox started
            // after a long rest gets its whole interval.
            const std::int64_t idleSince = std::max(r.lastActivityAt, r.stateChangedAt);
            if (r.state == "started" && r.autoStop > 0 && now - idleSince >= minutesMs(r.autoStop)) {
                beginSystemTransition(r, "stop", "stopped");
                co_await converge(r);
                ++changed;
                if (r.autoDelete != 0)
                    continue;
                // Ephemeral: deleted as soon as it stops.
            } else if (r.state == "stopped" && r.autoDelete >= 0 &&
                       now - r.stateChangedAt >= minutesMs(r.autoDelete)) {
                // deleted below
            } else if (r.state == "stopped" &&
                       now - r.stateChangedAt >=
                           minutesMs(r.autoArchive > 0 ? r.autoArchive : kMaxAutoArchiveMinutes)) {
                beginSystemTransition(r, "archive", "archived");
                co_await converge(r);
                ++changed;
                continue;
            } else {
                continue;
            }
            beginSystemTransition(r, "delete", "destroyed");
            co_await converge(r, true);
            ++changed;
        } catch (const ApiError&) {
            // converge() left the sandbox in `error` with the reason; the next round leaves it alone.
        }
    }
    co_return changed;
}

} // namespace cove::domain
