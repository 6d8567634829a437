// A sandbox's named filesystem checkpoints. The copies themselves are the engine's (saved under the
// checkpoint's id); these rows name and order them.
#pragma once

#include "service/store/Store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cove::store {

struct CheckpointRecord {
    std::string id, sandboxId, name;
    std::int64_t createdAt = 0;
};

class CheckpointRepository {
public:
    explicit CheckpointRepository(Database& db)
        : m_db(db) {}

    // False when the sandbox has a checkpoint of that name already.
    bool insert(const CheckpointRecord& c);
    // Newest first.
    std::vector<CheckpointRecord> list(const std::string& sandboxId);
    // By id or name (the id wins).
    std::optional<CheckpointRecord> find(const std::string& sandboxId, const std::string& idOrName);
    std::int64_t count(const std::string& sandboxId);
    void remove(const std::string& id);

private:
    Database& m_db;
};

} // namespace cove::store
