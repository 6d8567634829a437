// Warm pools (warm_pools): how many started sandboxes of a snapshot an organization keeps ready. The
// members are the running coved's; only the wish is stored.
#pragma once

#include "service/store/Store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cove::store {

struct WarmPoolRecord {
    std::string id, organizationId, snapshot, target;
    int pool = 0;                      // desired number of ready sandboxes
    int cpu = 1, memory = 1, disk = 3; // of each member (the snapshot's defaults)
    std::string osUser;
    std::string env = "{}";                    // JSON object of the members' environment
    std::int64_t createdAt = 0, updatedAt = 0; // ms since the epoch
};

class WarmPoolRepository {
public:
    explicit WarmPoolRepository(Database& db)
        : m_db(db) {}

    // False (nothing written) when the organization has a pool for that snapshot and target already.
    bool insert(const WarmPoolRecord& r);
    std::optional<WarmPoolRecord> find(const std::string& id, const std::string& organizationId);
    // Oldest first; an empty organization id lists every organization's (the pool engine).
    std::vector<WarmPoolRecord> list(const std::string& organizationId);
    std::int64_t count(const std::string& organizationId);
    // False when the pool is gone.
    bool setSize(const std::string& id, int pool, std::int64_t updatedAtMs);
    bool remove(const std::string& id, const std::string& organizationId);

private:
    Database& m_db;
};

} // namespace cove::store
