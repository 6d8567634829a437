// Volumes (volumes): found by id or name, their state, and the last measure of what they hold.
#pragma once

#include "service/store/Store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cove::store {

struct VolumeRecord {
    std::string id, organizationId, name;
    std::string state; // Daytona's VolumeState names; names are unique among those not `deleted`
    std::optional<std::string> errorReason;
    std::int64_t sizeBytes = 0;                // what its files held when last measured
    std::int64_t createdAt = 0, updatedAt = 0; // ms since the epoch
    std::optional<std::int64_t> lastUsedAt;
};

class VolumeRepository {
public:
    explicit VolumeRepository(Database& db)
        : m_db(db) {}

    // By id or by name (the id wins); a deleted volume only by its id, and only with `includeDeleted`:
    // its name may belong to a new one.
    std::optional<VolumeRecord> find(const std::string& idOrName, const std::string& organizationId,
                                     bool includeDeleted);
    std::optional<VolumeRecord> findLiveByName(const std::string& organizationId, const std::string& name);
    // Oldest first.
    std::vector<VolumeRecord> list(const std::string& organizationId, bool includeDeleted);
    std::vector<VolumeRecord> listInState(const std::string& organizationId, const std::string& state);
    bool liveNameTaken(const std::string& organizationId, const std::string& name);
    std::int64_t countLive(const std::string& organizationId);

    // False (nothing written) when a volume not deleted has the name in the organization.
    bool insert(const VolumeRecord& r);
    void setState(const std::string& id, const std::string& state,
                  const std::optional<std::string>& errorReason, std::int64_t updatedAtMs);
    // Records a measure, unless the volume has left `state` meanwhile.
    void setSizeIfState(const std::string& id, std::int64_t sizeBytes, const std::string& state);
    void setSize(const std::string& id, std::int64_t sizeBytes);
    void markUsed(const std::string& id, std::int64_t atMs);

private:
    Database& m_db;
};

} // namespace cove::store
