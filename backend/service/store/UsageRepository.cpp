// The SQL of usage: sums over sandboxes and volumes, and usage_samples.
#include "service/store/UsageRepository.h"

namespace cove::store {

namespace {

// Which sandbox rows hold what; one definition for usage, admission and the samples. A paused sandbox
// holds its CPU and memory: its processes keep their memory, and resuming it must not fail on a quota.
// A sandbox being destroyed holds nothing (totals() leaves it out): its delete has answered, and its
// container is on its way out.
constexpr const char* kHoldsCompute =
    "(state IN ('creating', 'started', 'paused') OR (desired_state = 'started' AND state NOT IN ('error', "
    "'build_failed', 'destroyed')))";
constexpr const char* kHoldsDisk =
    "(state NOT IN ('archived', 'destroyed') OR (state = 'archived' AND desired_state = 'started'))";

} // namespace

UsageTotals UsageRepository::totals(const std::string& organizationId) {
    const std::string compute = kHoldsCompute, disk = kHoldsDisk;
    // SUM may come back as a real (PostgreSQL's numeric); asInt() reads either.
    const auto s =
        m_db.queryOne("SELECT COALESCE(SUM(CASE WHEN " + compute + " THEN cpu ELSE 0 END), 0), " +
                          "COALESCE(SUM(CASE WHEN " + compute + " THEN memory ELSE 0 END), 0), " +
                          "COALESCE(SUM(CASE WHEN " + disk + " THEN disk ELSE 0 END), 0), " +
                          "COALESCE(SUM(CASE WHEN state = 'started' THEN 1 ELSE 0 END), 0), COUNT(*) "
                          "FROM sandboxes WHERE organization_id = ? AND state <> 'destroyed' AND "
                          "desired_state <> 'destroyed'",
                      {organizationId});
    const auto v = m_db.queryOne("SELECT COUNT(*), COALESCE(SUM(size_bytes), 0) FROM volumes "
                                 "WHERE organization_id = ? AND state <> 'deleted'",
                                 {organizationId});
    UsageTotals u;
    u.cpu = s->at(0).asInt();
    u.memory = s->at(1).asInt();
    u.disk = s->at(2).asInt();
    u.running = s->at(3).asInt();
    u.sandboxes = s->at(4).asInt();
    u.volumes = v->at(0).asInt();
    u.volumeBytes = v->at(1).asInt();
    return u;
}

void UsageRepository::recordSample(const UsageSampleRecord& s) {
    m_db.exec("INSERT INTO usage_samples (organization_id, at, cpu, memory, disk, running) "
              "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (organization_id, at) DO UPDATE SET cpu = excluded.cpu, "
              "memory = excluded.memory, disk = excluded.disk, running = excluded.running",
              {s.organizationId, s.at, s.cpu, s.memory, s.disk, s.running});
}

void UsageRepository::pruneSamplesBefore(std::int64_t atMs) {
    m_db.exec("DELETE FROM usage_samples WHERE at < ?", {atMs});
}

std::vector<UsageSampleRecord> UsageRepository::samples(const std::string& organizationId,
                                                        std::int64_t fromMs, std::int64_t toMs, int limit) {
    std::vector<UsageSampleRecord> out;
    for (const auto& r : m_db.query("SELECT at, cpu, memory, disk, running FROM usage_samples "
                                    "WHERE organization_id = ? AND at >= ? AND at <= ? ORDER BY at LIMIT ?",
                                    {organizationId, fromMs, toMs, limit}))
        out.push_back({organizationId, r[0].asInt(), r[1].asInt(), r[2].asInt(), r[3].asInt(), r[4].asInt()});
    return out;
}

} // namespace cove::store
