// The SQL of organizations.
#include "service/store/OrganizationRepository.h"

namespace cove::store {

std::optional<OrganizationRecord> OrganizationRepository::find(const std::string& id) {
    const auto r = m_db.queryOne(
        "SELECT id, name, tier, quota, created_at, updated_at FROM organizations WHERE id = ?", {id});
    if (!r)
        return std::nullopt;
    return OrganizationRecord{r->at(0).asText(), r->at(1).asText(), static_cast<int>(r->at(2).asInt()),
                              r->at(3).asText(), r->at(4).asInt(),  r->at(5).asInt()};
}

std::vector<std::string> OrganizationRepository::listIds() {
    std::vector<std::string> out;
    for (const auto& r : m_db.query("SELECT id FROM organizations ORDER BY id"))
        out.push_back(r[0].asText());
    return out;
}

bool OrganizationRepository::ensure(const std::string& id, const std::string& name,
                                    std::int64_t createdAtMs) {
    return !m_db.query("INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?) "
                       "ON CONFLICT (id) DO NOTHING RETURNING id",
                       {id, name, createdAtMs})
                .empty();
}

void OrganizationRepository::setQuota(const std::string& id, const std::string& quotaJson,
                                      std::int64_t atMs) {
    m_db.exec("UPDATE organizations SET quota = ?, updated_at = ? WHERE id = ?", {quotaJson, atMs, id});
}

void OrganizationRepository::setTier(const std::string& id, int tier, std::int64_t atMs) {
    m_db.exec("UPDATE organizations SET tier = ?, quota = '{}', updated_at = ? WHERE id = ?",
              {tier, atMs, id});
}

} // namespace cove::store
