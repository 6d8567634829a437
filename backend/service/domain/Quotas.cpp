// Tier table, usage from the sandboxes table, admission, and usage samples.
#include "service/domain/Quotas.h"
#include "service/domain/DomainError.h"

#include "service/store/OrganizationRepository.h"
#include "service/store/SnapshotRepository.h"
#include "service/store/UsageRepository.h"

#include "common/ApiError.h"

namespace cove::domain {

namespace {

// The most samples one history answer holds.
constexpr int kMaxUsageSamples = 100000;

std::string amount(int n, const char* unit) {
    return std::to_string(n) + (unit[0] ? " " : "") + unit;
}

} // namespace

json Limits::toJson() const {
    return {{"tier", tier == 0 ? json("custom") : json(tier)},
            {"totalCpuQuota", totalCpu},
            {"totalMemoryQuota", totalMemory},
            {"totalDiskQuota", totalDisk},
            {"maxCpuPerSandbox", maxCpu},
            {"maxMemoryPerSandbox", maxMemory},
            {"maxDiskPerSandbox", maxDisk},
            {"snapshotQuota", snapshots},
            {"volumeQuota", volumes}};
}

json Usage::toJson() const {
    return {{"cpu", cpu},
            {"memory", memory},
            {"disk", disk},
            {"runningSandboxes", running},
            {"sandboxes", sandboxes},
            {"volumes", volumes},
            {"volumeBytes", volumeBytes}};
}

Limits tierLimits(int tier) {
    Limits l;
    l.tier = tier;
    switch (tier) {
    case 2:
        l.totalCpu = 100, l.totalMemory = 200, l.totalDisk = 300;
        break;
    case 3:
        l.totalCpu = 250, l.totalMemory = 500, l.totalDisk = 2000;
        break;
    case 4:
        l.totalCpu = 500, l.totalMemory = 1000, l.totalDisk = 5000;
        break;
    default:
        l.tier = 1;
        l.totalCpu = 10, l.totalMemory = 10, l.totalDisk = 30;
    }
    return l;
}

Limits limitsOf(store::Database& db, const std::string& organizationId) {
    const auto org = store::OrganizationRepository(db).find(organizationId);
    Limits l = tierLimits(org ? org->tier : 1);
    if (!org)
        return l;
    // Custom numbers replace the tier's, one by one.
    const json custom = json::parse(org->quota, nullptr, false);
    if (custom.is_object() && !custom.empty()) {
        l.tier = 0;
        const auto take = [&](const char* key, int& field) {
            if (custom.contains(key) && custom[key].is_number_integer())
                field = custom[key].get<int>();
        };
        take("totalCpuQuota", l.totalCpu);
        take("totalMemoryQuota", l.totalMemory);
        take("totalDiskQuota", l.totalDisk);
        take("maxCpuPerSandbox", l.maxCpu);
        take("maxMemoryPerSandbox", l.maxMemory);
        take("maxDiskPerSandbox", l.maxDisk);
        take("snapshotQuota", l.snapshots);
        take("volumeQuota", l.volumes);
    }
    return l;
}

Usage usageOf(store::Database& db, const std::string& organizationId) {
    const store::UsageTotals t = store::UsageRepository(db).totals(organizationId);
    Usage u;
    u.cpu = static_cast<int>(t.cpu);
    u.memory = static_cast<int>(t.memory);
    u.disk = static_cast<int>(t.disk);
    u.running = static_cast<int>(t.running);
    u.sandboxes = static_cast<int>(t.sandboxes);
    u.volumes = static_cast<int>(t.volumes);
    u.volumeBytes = t.volumeBytes;
    return u;
}

void admitSandboxSize(const Limits& l, int cpu, int memory, int disk) {
    const auto check = [](int asked, int max, const char* field, const char* what, const char* unit) {
        if (asked > max)
            throw DomainError::forbidden(std::string("A sandbox may have at most ") + amount(max, unit) +
                                         " " + what + "; this one asks for " + amount(asked, unit) + ".")
                .with(errors::kQuotaExceeded, field);
    };
    check(cpu, l.maxCpu, "cpu", "vCPU", "");
    check(memory, l.maxMemory, "memory", "of memory", "GiB");
    check(disk, l.maxDisk, "disk", "of disk", "GiB");
}

void admit(store::Database& db, const std::string& organizationId, int cpu, int memory, int disk) {
    const Limits l = limitsOf(db, organizationId);
    const Usage u = usageOf(db, organizationId);
    const std::string who = l.tier == 0 ? std::string("Your quota") : "Tier " + std::to_string(l.tier);
    const auto check = [&](int asked, int used, int total, const char* field, const char* what,
                           const char* unit) {
        if (asked > 0 && used + asked > total)
            throw DomainError::forbidden(
                who + " allows " + amount(total, unit) + " " + what + "; " + amount(used, unit) +
                " in use; this sandbox asks for " + amount(asked, unit) +
                ". Stop or archive a sandbox, or raise the limit on the Limits page.")
                .with(errors::kQuotaExceeded, field);
    };
    check(cpu, u.cpu, l.totalCpu, "cpu", "vCPU", "");
    check(memory, u.memory, l.totalMemory, "memory", "of memory", "GiB");
    check(disk, u.disk, l.totalDisk, "disk", "of disk", "GiB");
}

std::optional<Organization> organizationOf(store::Database& db, const std::string& organizationId) {
    const auto org = store::OrganizationRepository(db).find(organizationId);
    if (!org)
        return std::nullopt;
    return Organization{org->id, org->name, org->createdAt, org->updatedAt};
}

int snapshotCount(store::Database& db, const std::string& organizationId) {
    return static_cast<int>(store::SnapshotRepository(db).countOwnedBy(organizationId));
}

void setQuota(store::Database& db, const std::string& organizationId, const json& changes,
              std::int64_t nowMs) {
    db.transaction([&] {
        json quota = limitsOf(db, organizationId).toJson();
        quota.erase("tier");
        for (auto it = changes.begin(); it != changes.end(); ++it)
            if (!it.value().is_null())
                quota[it.key()] = it.value();
        store::OrganizationRepository(db).setQuota(organizationId, quota.dump(), nowMs);
    });
}

void setTier(store::Database& db, const std::string& organizationId, int tier, std::int64_t nowMs) {
    db.transaction([&] { store::OrganizationRepository(db).setTier(organizationId, tier, nowMs); });
}

void sampleUsage(store::Database& db, std::int64_t nowMs, std::int64_t retentionMs) {
    store::UsageRepository usage(db);
    db.transaction([&] {
        for (const auto& org : store::OrganizationRepository(db).listIds()) {
            const Usage u = usageOf(db, org);
            usage.recordSample({org, nowMs, u.cpu, u.memory, u.disk, u.running});
        }
        usage.pruneSamplesBefore(nowMs - retentionMs);
    });
}

json usageHistory(store::Database& db, const std::string& organizationId, std::int64_t fromMs,
                  std::int64_t toMs) {
    json out = json::array();
    for (const auto& s : store::UsageRepository(db).samples(organizationId, fromMs, toMs, kMaxUsageSamples))
        out.push_back({{"timestamp", toIso8601(fromMillis(s.at))},
                       {"cpu", s.cpu},
                       {"memory", s.memory},
                       {"disk", s.disk},
                       {"runningSandboxes", s.running}});
    return out;
}

} // namespace cove::domain
