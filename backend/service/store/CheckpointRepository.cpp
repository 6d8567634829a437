#include "service/store/CheckpointRepository.h"

namespace cove::store {

namespace {

CheckpointRecord checkpointOf(const Row& c) {
    return {c[0].asText(), c[1].asText(), c[2].asText(), c[3].asInt()};
}

} // namespace

bool CheckpointRepository::insert(const CheckpointRecord& c) {
    m_db.exec("INSERT INTO sandbox_checkpoints (id, sandbox_id, name, created_at) VALUES (?, ?, ?, ?) "
              "ON CONFLICT (sandbox_id, name) DO NOTHING",
              {c.id, c.sandboxId, c.name, c.createdAt});
    return m_db.changes() > 0;
}

std::vector<CheckpointRecord> CheckpointRepository::list(const std::string& sandboxId) {
    std::vector<CheckpointRecord> out;
    for (const auto& row : m_db.query("SELECT id, sandbox_id, name, created_at FROM sandbox_checkpoints "
                                      "WHERE sandbox_id = ? ORDER BY created_at DESC, id",
                                      {sandboxId}))
        out.push_back(checkpointOf(row));
    return out;
}

std::optional<CheckpointRecord> CheckpointRepository::find(const std::string& sandboxId,
                                                           const std::string& idOrName) {
    const auto row = m_db.queryOne("SELECT id, sandbox_id, name, created_at FROM sandbox_checkpoints "
                                   "WHERE sandbox_id = ? AND (id = ? OR name = ?) "
                                   "ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END LIMIT 1",
                                   {sandboxId, idOrName, idOrName, idOrName});
    if (!row)
        return std::nullopt;
    return checkpointOf(*row);
}

std::int64_t CheckpointRepository::count(const std::string& sandboxId) {
    return m_db.queryOne("SELECT COUNT(*) FROM sandbox_checkpoints WHERE sandbox_id = ?", {sandboxId})
        ->at(0)
        .asInt();
}

void CheckpointRepository::remove(const std::string& id) {
    m_db.exec("DELETE FROM sandbox_checkpoints WHERE id = ?", {id});
}

} // namespace cove::store
