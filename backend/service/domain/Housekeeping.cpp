// The background rounds (see the header).
#include "service/domain/Housekeeping.h"

#include "service/domain/AuditLog.h"
#include "service/domain/Config.h"
#include "service/domain/Quotas.h"
#include "service/domain/SandboxService.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdio>

namespace cove::domain {

namespace asio = boost::asio;

Housekeeping::Schedule Housekeeping::defaults(std::int64_t auditRetentionMs) {
    Schedule s{ServiceDefaults::kReconcileInterval, 60'000, ServiceDefaults::kUsageRetentionMs,
               auditRetentionMs, std::chrono::minutes(30)};
    return s;
}

Housekeeping::Housekeeping(SandboxService& sandboxes, store::Database& db, const Clock& clock,
                           Schedule schedule)
    : m_sandboxes(sandboxes)
    , m_db(db)
    , m_clock(clock)
    , m_schedule(schedule)
    , m_lastSample(toMillis(clock.now())) {
    sampleUsage(m_db, m_lastSample, m_schedule.usageRetentionMs);
    m_tasks.add("network check", [this]() -> awaitable<void> { co_await m_sandboxes.checkNetwork(); });
    m_tasks.add("reconcile", [this]() -> awaitable<void> {
        const auto report = co_await m_sandboxes.reconcile();
        if (report.restarted + report.failed > 0)
            std::fprintf(stderr, "coved: reconciled: %d settled, %d restarted, %d failed\n", report.settled,
                         report.restarted, report.failed);
    });
    m_tasks.add("timers", [this]() -> awaitable<void> { co_await m_sandboxes.runTimers(); });
    m_tasks.add("warm pool", [this]() -> awaitable<void> { co_await m_sandboxes.fillPool(); });
    m_tasks.add("metrics samples", [this]() -> awaitable<void> { co_await m_sandboxes.sampleMetrics(); });
    m_tasks.add("usage samples", [this]() -> awaitable<void> {
        sampleIfDue();
        co_return;
    });
}

void Housekeeping::sampleIfDue() {
    const auto now = toMillis(m_clock.now());
    if (now - m_lastSample < m_schedule.usageSampleEveryMs)
        return;
    m_lastSample = now;
    sampleUsage(m_db, now, m_schedule.usageRetentionMs);
    m_sandboxes.auditLog().prune(m_schedule.auditRetentionMs);
}

awaitable<void> Housekeeping::runRound() {
    co_await m_tasks.runRound();
}

awaitable<void> Housekeeping::run() {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
        timer.expires_after(m_schedule.round);
        co_await timer.async_wait(asio::use_awaitable);
        co_await runRound();
    }
}

awaitable<void> Housekeeping::refreshEssentialServices() {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
        co_await m_sandboxes.refreshEssentialServices();
        timer.expires_after(m_schedule.essentialRefresh);
        co_await timer.async_wait(asio::use_awaitable);
    }
}

} // namespace cove::domain
