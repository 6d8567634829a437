// What organizations hold, summed from the sandboxes and volumes tables (never a separate counter that
// could drift), and the per-minute usage samples (usage_samples) kept for the history graph.
#pragma once

#include "service/store/Store.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cove::store {

struct UsageTotals {
    std::int64_t cpu = 0, memory = 0, disk = 0; // vCPU, GiB, GiB held by the sandboxes
    std::int64_t running = 0, sandboxes = 0;    // started; not destroyed
    std::int64_t volumes = 0, volumeBytes = 0;  // not deleted; their last measured size
};

struct UsageSampleRecord {
    std::string organizationId;
    std::int64_t at = 0; // ms since the epoch
    std::int64_t cpu = 0, memory = 0, disk = 0, running = 0;
};

class UsageRepository {
public:
    explicit UsageRepository(Database& db)
        : m_db(db) {}

    // A sandbox that runs or is on its way to run holds CPU and memory; every sandbox whose container
    // exists, or is being made or restored, holds its disk; archived and destroyed ones hold nothing.
    UsageTotals totals(const std::string& organizationId);

    // One sample per organization and instant; a second one at the same instant replaces the first.
    void recordSample(const UsageSampleRecord& sample);
    void pruneSamplesBefore(std::int64_t atMs);
    // Oldest first, at most `limit`.
    std::vector<UsageSampleRecord> samples(const std::string& organizationId, std::int64_t fromMs,
                                           std::int64_t toMs, int limit);

private:
    Database& m_db;
};

} // namespace cove::store
