// The SQL of volumes.
#include "service/store/VolumeRepository.h"

#include "service/store/Columns.h"

namespace cove::store {

namespace {

constexpr const char* kVolumeSelect =
    "SELECT id, organization_id, name, state, error_reason, size_bytes, created_at, "
    "updated_at, last_used_at FROM volumes";

VolumeRecord volumeOf(const Row& c) {
    return {c[0].asText(), c[1].asText(), c[2].asText(), c[3].asText(), optText(c[4]),
            c[5].asInt(),  c[6].asInt(),  c[7].asInt(),  optInt(c[8])};
}

std::vector<VolumeRecord> volumesOf(const std::vector<Row>& rows) {
    std::vector<VolumeRecord> out;
    for (const auto& r : rows)
        out.push_back(volumeOf(r));
    return out;
}

} // namespace

std::optional<VolumeRecord> VolumeRepository::find(const std::string& idOrName,
                                                   const std::string& organizationId, bool includeDeleted) {
    const std::string byId = includeDeleted ? "id = ?" : "(id = ? AND state <> 'deleted')";
    const auto r = m_db.queryOne(std::string(kVolumeSelect) + " WHERE organization_id = ? AND (" + byId +
                                     " OR (name = ? AND state <> 'deleted')) "
                                     "ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END LIMIT 1",
                                 {organizationId, idOrName, idOrName, idOrName});
    return r ? std::optional<VolumeRecord>(volumeOf(*r)) : std::nullopt;
}

std::optional<VolumeRecord> VolumeRepository::findLiveByName(const std::string& organizationId,
                                                             const std::string& name) {
    const auto r = m_db.queryOne(std::string(kVolumeSelect) +
                                     " WHERE organization_id = ? AND name = ? AND state <> 'deleted'",
                                 {organizationId, name});
    return r ? std::optional<VolumeRecord>(volumeOf(*r)) : std::nullopt;
}

std::vector<VolumeRecord> VolumeRepository::list(const std::string& organizationId, bool includeDeleted) {
    return volumesOf(m_db.query(std::string(kVolumeSelect) + " WHERE organization_id = ?" +
                                    (includeDeleted ? "" : " AND state <> 'deleted'") +
                                    " ORDER BY created_at, id",
                                {organizationId}));
}

std::vector<VolumeRecord> VolumeRepository::listInState(const std::string& organizationId,
                                                        const std::string& state) {
    return volumesOf(m_db.query(std::string(kVolumeSelect) + " WHERE organization_id = ? AND state = ? "
                                                             "ORDER BY created_at, id",
                                {organizationId, state}));
}

bool VolumeRepository::liveNameTaken(const std::string& organizationId, const std::string& name) {
    return m_db
        .queryOne("SELECT 1 FROM volumes WHERE organization_id = ? AND name = ? AND state <> 'deleted'",
                  {organizationId, name})
        .has_value();
}

std::int64_t VolumeRepository::countLive(const std::string& organizationId) {
    return m_db
        .queryOne("SELECT COUNT(*) FROM volumes WHERE organization_id = ? AND state <> 'deleted'",
                  {organizationId})
        ->at(0)
        .asInt();
}

bool VolumeRepository::insert(const VolumeRecord& r) {
    return !m_db.query("INSERT INTO volumes (id, organization_id, name, state, error_reason, size_bytes, "
                       "created_at, updated_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (organization_id, name) WHERE state <> 'deleted' DO NOTHING RETURNING id",
                       {r.id, r.organizationId, r.name, r.state, nullable(r.errorReason), r.sizeBytes,
                        r.createdAt, r.updatedAt, nullable(r.lastUsedAt)})
                .empty();
}

void VolumeRepository::setState(const std::string& id, const std::string& state,
                                const std::optional<std::string>& errorReason, std::int64_t updatedAtMs) {
    m_db.exec("UPDATE volumes SET state = ?, error_reason = ?, updated_at = ? WHERE id = ?",
              {state, nullable(errorReason), updatedAtMs, id});
}

void VolumeRepository::setSizeIfState(const std::string& id, std::int64_t sizeBytes,
                                      const std::string& state) {
    m_db.exec("UPDATE volumes SET size_bytes = ? WHERE id = ? AND state = ?", {sizeBytes, id, state});
}

void VolumeRepository::setSize(const std::string& id, std::int64_t sizeBytes) {
    m_db.exec("UPDATE volumes SET size_bytes = ? WHERE id = ?", {sizeBytes, id});
}

void VolumeRepository::markUsed(const std::string& id, std::int64_t atMs) {
    m_db.exec("UPDATE volumes SET last_used_at = ? WHERE id = ?", {atMs, id});
}

} // namespace cove::store
