// Organizations (organizations): their tier and custom quota numbers.
#pragma once

#include "service/store/Store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cove::store {

struct OrganizationRecord {
    std::string id, name;
    int tier = 1;                              // 1-4, Daytona's table
    std::string quota = "{}";                  // JSON object of custom numbers; empty: the tier's
    std::int64_t createdAt = 0, updatedAt = 0; // ms since the epoch; updatedAt 0: never changed
};

class OrganizationRepository {
public:
    explicit OrganizationRepository(Database& db)
        : m_db(db) {}

    std::optional<OrganizationRecord> find(const std::string& id);
    std::vector<std::string> listIds();
    // Records the organization unless one with its id exists; true when it was new.
    bool ensure(const std::string& id, const std::string& name, std::int64_t createdAtMs);
    void setQuota(const std::string& id, const std::string& quotaJson, std::int64_t atMs);
    // A tier drops the custom numbers.
    void setTier(const std::string& id, int tier, std::int64_t atMs);

private:
    Database& m_db;
};

} // namespace cove::store
