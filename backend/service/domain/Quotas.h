// Tiers, quotas and usage: what an organization may hold, what it holds now, and the admission check
// that runs inside the transaction of every change that takes resources.
#pragma once

#include "common/Time.h"
#include "service/domain/DomainError.h"
#include "service/store/Store.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace cove::domain {

using nlohmann::json;

struct Limits {
    int tier = 1;                                     // 1-4 as Daytona's table; 0 = custom numbers
    int totalCpu = 0, totalMemory = 0, totalDisk = 0; // vCPU, GiB, GiB for the whole organization
    int maxCpu = 4, maxMemory = 8, maxDisk = 10;      // per sandbox
    int snapshots = 100, volumes = 100;
    json toJson() const;
};

// Daytona's tiers: vCPU / memory GiB / storage GiB.
Limits tierLimits(int tier);

struct Usage {
    int cpu = 0, memory = 0, disk = 0, running = 0, sandboxes = 0;
    int volumes = 0;              // not deleted
    std::int64_t volumeBytes = 0; // what their files held when last measured
    json toJson() const;
};

// What the organization's sandboxes hold, derived from the sandboxes table alone (never a separate
// counter that could drift): a sandbox that runs or is on its way to run holds CPU and memory; every
// sandbox whose container exists, or is being made or restored, holds its disk; archived and
// destroyed ones hold nothing.
Usage usageOf(store::Database& db, const std::string& organizationId);
Limits limitsOf(store::Database& db, const std::string& organizationId);

// Call inside the transaction that records the change. Throws DomainError 403 naming the limit, the use
// and the request when `cpu`/`memory`/`disk` more would not fit.
void admit(store::Database& db, const std::string& organizationId, int cpu, int memory, int disk);
// The per-sandbox maxima, for create and resize; DomainError 403 when exceeded.
void admitSandboxSize(const Limits& l, int cpu, int memory, int disk);

struct Organization {
    std::string id, name;
    std::int64_t createdAt = 0, updatedAt = 0; // ms since the epoch; updatedAt 0: never changed
};
std::optional<Organization> organizationOf(store::Database& db, const std::string& organizationId);
int snapshotCount(store::Database& db, const std::string& organizationId);
// Custom numbers on top of those in force (the tier's or earlier custom ones); a null value keeps the
// number in force. `changes` holds only checked quota fields.
void setQuota(store::Database& db, const std::string& organizationId, const json& changes,
              std::int64_t nowMs);
// Moves the organization to one of Daytona's tiers, dropping custom numbers.
void setTier(store::Database& db, const std::string& organizationId, int tier, std::int64_t nowMs);

// Records one usage sample per organization and drops samples older than the retention.
void sampleUsage(store::Database& db, std::int64_t nowMs, std::int64_t retentionMs);
json usageHistory(store::Database& db, const std::string& organizationId, std::int64_t fromMs,
                  std::int64_t toMs);

} // namespace cove::domain
