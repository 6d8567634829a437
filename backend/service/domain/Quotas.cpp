// Tier table, usage from the sandboxes table, admission, and usage samples.
#include "service/domain/Quotas.h"

#include "common/ApiError.h"

namespace cove::domain {

namespace {

// Which rows hold what; one definition shared by usage, admission and the samples.
constexpr const char* kHoldsCompute =
    "(state IN ('creating', 'started') OR (desired_state = 'started' AND state NOT IN ('error', "
    "'build_failed', 'destroyed')))";
constexpr const char* kHoldsDisk =
    "(state NOT IN ('archived', 'destroyed') OR (state = 'archived' AND desired_state = 'started'))";

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
    const auto row = db.queryOne("SELECT tier, quota FROM organizations WHERE id = ?", {organizationId});
    Limits l = tierLimits(row ? static_cast<int>(row->at(0).asInt()) : 1);
    if (!row)
        return l;
    // Custom numbers replace the tier's, one by one.
    const json custom = json::parse(row->at(1).asText(), nullptr, false);
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
    const std::string compute = kHoldsCompute, disk = kHoldsDisk;
    const auto row = db.queryOne("SELECT COALESCE(SUM(CASE WHEN " + compute +
                                     " THEN cpu ELSE 0 END), 0), "
                                     "COALESCE(SUM(CASE WHEN " +
                                     compute +
                                     " THEN memory ELSE 0 END), 0), "
                                     "COALESCE(SUM(CASE WHEN " +
                                     disk +
                                     " THEN disk ELSE 0 END), 0), "
                                     "COALESCE(SUM(state = 'started'), 0), COUNT(*) "
                                     "FROM sandboxes WHERE organization_id = ? AND state <> 'destroyed'",
                                 {organizationId});
    Usage u;
    u.cpu = static_cast<int>(row->at(0).asInt());
    u.memory = static_cast<int>(row->at(1).asInt());
    u.disk = static_cast<int>(row->at(2).asInt());
    u.running = static_cast<int>(row->at(3).asInt());
    u.sandboxes = static_cast<int>(row->at(4).asInt());
    const auto volumes = db.queryOne("SELECT COUNT(*), COALESCE(SUM(size_bytes), 0) FROM volumes "
                                     "WHERE organization_id = ? AND state <> 'deleted'",
                                     {organizationId});
    u.volumes = static_cast<int>(volumes->at(0).asInt());
    u.volumeBytes = volumes->at(1).asInt();
    return u;
}

void admitSandboxSize(const Limits& l, int cpu, int memory, int disk) {
    const auto check = [](int asked, int max, const char* field, const char* what, const char* unit) {
        if (asked > max)
            throw ApiError::forbidden(std::string("A sandbox may have at most ") + amount(max, unit) + " " +
                                      what + "; this one asks for " + amount(asked, unit) + ".")
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
            throw ApiError::forbidden(who + " allows " + amount(total, unit) + " " + what + "; " +
                                      amount(used, unit) + " in use; this sandbox asks for " +
                                      amount(asked, unit) +
                                      ". Stop or archive a sandbox, or raise the limit on the Limits page.")
                .with(errors::kQuotaExceeded, field);
    };
    check(cpu, u.cpu, l.totalCpu, "cpu", "vCPU", "");
    check(memory, u.memory, l.totalMemory, "memory", "of memory", "GiB");
    check(disk, u.disk, l.totalDisk, "disk", "of disk", "GiB");
}

std::optional<Organization> organizationOf(store::Database& db, const std::string& organizationId) {
    const auto row = db.queryOne("SELECT id, name, created_at, updated_at FROM organizations WHERE id = ?",
                                 {organizationId});
    if (!row)
        return std::nullopt;
    return Organization{row->at(0).asText(), row->at(1).asText(), row->at(2).asInt(), row->at(3).asInt()};
}

int snapshotCount(store::Database& db, const std::string& organizationId) {
    return static_cast<int>(
        db.queryOne("SELECT COUNT(*) FROM snapshots WHERE organization_id = ?", {organizationId})
            ->at(0)
            .asInt());
}

void setQuota(store::Database& db, const std::string& organizationId, const json& changes,
              std::int64_t nowMs) {
    db.transaction([&] {
        json quota = limitsOf(db, organizationId).toJson();
        quota.erase("tier");
        for (auto it = changes.begin(); it != changes.end(); ++it)
            if (!it.value().is_null())
                quota[it.key()] = it.value();
        db.exec("UPDATE organizations SET quota = ?, updated_at = ? WHERE id = ?",
                {quota.dump(), nowMs, organizationId});
    });
}

void setTier(store::Database& db, const std::string& organizationId, int tier, std::int64_t nowMs) {
    db.transaction([&] {
        db.exec("UPDATE organizations SET tier = ?, quota = '{}', updated_at = ? WHERE id = ?",
                {tier, nowMs, organizationId});
    });
}

void sampleUsage(store::Database& db, std::int64_t nowMs, std::int64_t retentionMs) {
    db.transaction([&] {
        for (const auto& org : db.query("SELECT id FROM organizations")) {
            const Usage u = usageOf(db, org[0].asText());
            db.exec("INSERT OR REPLACE INTO usage_samples (organization_id, at, cpu, memory, disk, running) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    {org[0].asText(), nowMs, u.cpu, u.memory, u.disk, u.running});
        }
        db.exec("DELETE FROM usage_samples WHERE at < ?", {nowMs - retentionMs});
    });
}

json usageHistory(store::Database& db, const std::string& organizationId, std::int64_t fromMs,
                  std::int64_t toMs) {
    json out = json::array();
    for (const auto& r :
         db.query("SELECT at, cpu, memory, disk, running FROM usage_samples "
                  "WHERE organization_id = ? AND at >= ? AND at <= ? ORDER BY at LIMIT 100000",
                  {organizationId, fromMs, toMs}))
        out.push_back({{"timestamp", toIso8601(fromMillis(r[0].asInt()))},
                       {"cpu", r[1].asInt()},
                       {"memory", r[2].asInt()},
                       {"disk", r[3].asInt()},
                       {"runningSandboxes", r[4].asInt()}});
    return out;
}

} // namespace cove::domain
