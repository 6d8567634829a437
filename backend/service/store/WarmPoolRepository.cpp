#include "service/store/WarmPoolRepository.h"

namespace cove::store {

namespace {

constexpr const char* kWarmPoolColumns =
    "id, organization_id, snapshot, target, pool, cpu, memory, disk, os_user, env, created_at, updated_at";

WarmPoolRecord warmPoolOf(const Row& c) {
    WarmPoolRecord r;
    r.id = c[0].asText();
    r.organizationId = c[1].asText();
    r.snapshot = c[2].asText();
    r.target = c[3].asText();
    r.pool = static_cast<int>(c[4].asInt());
    r.cpu = static_cast<int>(c[5].asInt());
    r.memory = static_cast<int>(c[6].asInt());
    r.disk = static_cast<int>(c[7].asInt());
    r.osUser = c[8].asText();
    r.env = c[9].asText();
    r.createdAt = c[10].asInt();
    r.updatedAt = c[11].asInt();
    return r;
}

} // namespace

bool WarmPoolRepository::insert(const WarmPoolRecord& r) {
    m_db.exec(std::string("INSERT INTO warm_pools (") + kWarmPoolColumns +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (organization_id, snapshot, target) DO NOTHING",
              {r.id, r.organizationId, r.snapshot, r.target, std::int64_t{r.pool}, std::int64_t{r.cpu},
               std::int64_t{r.memory}, std::int64_t{r.disk}, r.osUser, r.env, r.createdAt, r.updatedAt});
    return m_db.changes() > 0;
}

std::optional<WarmPoolRecord> WarmPoolRepository::find(const std::string& id,
                                                       const std::string& organizationId) {
    const auto row = m_db.queryOne(std::string("SELECT ") + kWarmPoolColumns +
                                       " FROM warm_pools WHERE id = ? AND organization_id = ?",
                                   {id, organizationId});
    if (!row)
        return std::nullopt;
    return warmPoolOf(*row);
}

std::vector<WarmPoolRecord> WarmPoolRepository::list(const std::string& organizationId) {
    std::vector<WarmPoolRecord> out;
    const std::string sql = std::string("SELECT ") + kWarmPoolColumns + " FROM warm_pools" +
                            (organizationId.empty() ? "" : " WHERE organization_id = ?") +
                            " ORDER BY created_at, id";
    const auto rows = organizationId.empty() ? m_db.query(sql, {}) : m_db.query(sql, {organizationId});
    for (const auto& row : rows)
        out.push_back(warmPoolOf(row));
    return out;
}

std::int64_t WarmPoolRepository::count(const std::string& organizationId) {
    return m_db.queryOne("SELECT COUNT(*) FROM warm_pools WHERE organization_id = ?", {organizationId})
        ->at(0)
        .asInt();
}

bool WarmPoolRepository::setSize(const std::string& id, int pool, std::int64_t updatedAtMs) {
    m_db.exec("UPDATE warm_pools SET pool = ?, updated_at = ? WHERE id = ?",
              {std::int64_t{pool}, updatedAtMs, id});
    return m_db.changes() > 0;
}

bool WarmPoolRepository::remove(const std::string& id, const std::string& organizationId) {
    m_db.exec("DELETE FROM warm_pools WHERE id = ? AND organization_id = ?", {id, organizationId});
    return m_db.changes() > 0;
}

} // namespace cove::store
