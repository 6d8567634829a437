// The work coved does on its own, and when. Every round (ServiceDefaults::kReconcileInterval): the
// network check, the reconciler, the lifecycle timers, the warm pool, and — once a minute by the
// injectable clock — a usage sample with the pruning of old samples and audit rows. The essential
// services' addresses are looked up at start and every half hour. Each task fails on its own
// (BackgroundTasks): one broken row never stops the others.
#pragma once

#include "common/Time.h"
#include "service/domain/BackgroundTasks.h"
#include "service/domain/Caller.h"

#include <chrono>
#include <cstdint>

namespace cove::store {
class Database;
}

namespace cove::domain {

class SandboxService;

class Housekeeping {
public:
    struct Schedule {
        std::chrono::milliseconds round;            // between rounds (wall time)
        std::int64_t usageSampleEveryMs = 60'000;   // by the clock
        std::int64_t usageRetentionMs = 0;          // usage samples older than this go
        std::int64_t auditRetentionMs = 0;          // audit rows older than this go
        std::chrono::milliseconds essentialRefresh; // between lookups of the essential services
    };
    static Schedule defaults(std::int64_t auditRetentionMs);

    // Takes the first usage sample now.
    Housekeeping(SandboxService& sandboxes, store::Database& db, const Clock& clock, Schedule schedule);
    Housekeeping(const Housekeeping&) = delete; // its tasks hold `this`
    Housekeeping& operator=(const Housekeeping&) = delete;

    // One round now: every task once, in order.
    awaitable<void> runRound();
    // A round after every Schedule::round, forever (co_spawn it on the io thread).
    awaitable<void> run();
    // Looks up the essential services now and after every Schedule::essentialRefresh, forever.
    awaitable<void> refreshEssentialServices();
    std::vector<BackgroundTasks::Health> health() const { return m_tasks.health(); }

private:
    void sampleIfDue();

    SandboxService& m_sandboxes;
    store::Database& m_db;
    const Clock& m_clock;
    Schedule m_schedule;
    BackgroundTasks m_tasks;
    std::int64_t m_lastSample = 0;
};

} // namespace cove::domain
