// The SQL of snapshots.
#include "service/store/SnapshotRepository.h"

#include "service/store/Columns.h"

namespace cove::store {

namespace {

constexpr const char* kSnapshotSelect =
    "SELECT id, organization_id, name, image_name, state, general, cpu, memory, disk, "
    "size_bytes, entrypoint, error_reason, created_at, updated_at, last_used_at, "
    "build_info, build_hash, source_sandbox_id, image_owned FROM snapshots";

SnapshotRecord snapshotOf(const Row& c) {
    SnapshotRecord r;
    r.id = c[0].asText();
    r.organizationId = optText(c[1]);
    r.name = c[2].asText();
    r.imageName = c[3].asText();
    r.state = c[4].asText();
    r.general = c[5].asInt() != 0;
    r.cpu = static_cast<int>(c[6].asInt());
    r.memory = static_cast<int>(c[7].asInt());
    r.disk = static_cast<int>(c[8].asInt());
    r.sizeBytes = optInt(c[9]);
    r.entrypoint = optText(c[10]);
    r.errorReason = optText(c[11]);
    r.createdAt = c[12].asInt();
    r.updatedAt = c[13].asInt();
    r.lastUsedAt = optInt(c[14]);
    r.buildInfo = optText(c[15]);
    r.buildHash = optText(c[16]);
    r.sourceSandboxId = optText(c[17]);
    r.imageOwned = c[18].asInt() != 0;
    return r;
}

std::optional<SnapshotRecord> snapshotOf(const std::optional<Row>& r) {
    return r ? std::optional<SnapshotRecord>(snapshotOf(*r)) : std::nullopt;
}

// A column to sort on. A missing time sorts first ascending, as SQLite orders NULL, on every store.
const char* sortColumn(SnapshotListQuery::Sort s) {
    switch (s) {
    case SnapshotListQuery::Sort::Name:
        return "name";
    case SnapshotListQuery::Sort::State:
        return "state";
    case SnapshotListQuery::Sort::UpdatedAt:
        return "updated_at";
    case SnapshotListQuery::Sort::LastUsedAt:
        return "COALESCE(last_used_at, -1)";
    case SnapshotListQuery::Sort::CreatedAt:
        break;
    }
    return "created_at";
}

// A LIKE pattern matching `s` anywhere, in ASCII lower case, its own % _ and \ taken literally.
std::string containsPattern(const std::string& s) {
    std::string out = "%";
    for (char c : s) {
        if (c == '%' || c == '_' || c == '\\')
            out += '\\';
        out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out + '%';
}

} // namespace

std::optional<SnapshotRecord> SnapshotRepository::find(const std::string& idOrName,
                                                       const std::string& organizationId) {
    return snapshotOf(m_db.queryOne(
        std::string(kSnapshotSelect) + " WHERE (organization_id = ? OR general = 1) AND (id = ? OR name = ?) "
                                       "ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END LIMIT 1",
        {organizationId, idOrName, idOrName, idOrName}));
}

std::optional<SnapshotRecord> SnapshotRepository::findById(const std::string& id) {
    return snapshotOf(m_db.queryOne(std::string(kSnapshotSelect) + " WHERE id = ?", {id}));
}

SnapshotPage SnapshotRepository::listPage(const SnapshotListQuery& q) {
    std::string where = " WHERE (organization_id = ? OR general = 1)";
    std::vector<Value> params{q.organizationId};
    if (!q.nameContains.empty()) {
        where += " AND lower(name) LIKE ? ESCAPE '\\'";
        params.emplace_back(containsPattern(q.nameContains));
    }
    if (!q.sourceSandboxId.empty()) {
        where += " AND source_sandbox_id = ?";
        params.emplace_back(q.sourceSandboxId);
    }
    SnapshotPage page;
    page.total = m_db.queryOne("SELECT COUNT(*) FROM snapshots" + where, params)->at(0).asInt();
    params.emplace_back(q.limit);
    params.emplace_back(q.offset);
    for (const auto& r : m_db.query(kSnapshotSelect + where + " ORDER BY " + sortColumn(q.sort) +
                                        (q.ascending ? " ASC" : " DESC") + ", id LIMIT ? OFFSET ?",
                                    params))
        page.items.push_back(snapshotOf(r));
    return page;
}

std::optional<std::string> SnapshotRepository::findReusableBuild(const std::string& buildHash,
                                                                 const std::string& organizationId) {
    const auto r = m_db.queryOne("SELECT id FROM snapshots WHERE build_hash = ? AND (organization_id = ? OR "
                                 "general = 1) AND state IN ('active', 'building', 'pending') "
                                 "ORDER BY CASE WHEN state = 'active' THEN 0 ELSE 1 END, created_at LIMIT 1",
                                 {buildHash, organizationId});
    return r ? std::optional<std::string>(r->at(0).asText()) : std::nullopt;
}

bool SnapshotRepository::nameTaken(const std::string& name) {
    return m_db.queryOne("SELECT 1 FROM snapshots WHERE name = ?", {name}).has_value();
}

std::int64_t SnapshotRepository::countOwnedBy(const std::string& organizationId) {
    return m_db.queryOne("SELECT COUNT(*) FROM snapshots WHERE organization_id = ?", {organizationId})
        ->at(0)
        .asInt();
}

bool SnapshotRepository::imageInUse(const std::string& imageName) {
    return m_db.queryOne("SELECT 1 FROM snapshots WHERE image_name = ?", {imageName}).has_value();
}

bool SnapshotRepository::insert(const SnapshotRecord& r) {
    return !m_db.query("INSERT INTO snapshots (id, organization_id, name, image_name, state, general, cpu, "
                       "memory, disk, size_bytes, entrypoint, error_reason, created_at, updated_at, "
                       "last_used_at, build_info, build_hash, source_sandbox_id, image_owned) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (name) DO NOTHING RETURNING id",
                       {r.id, nullable(r.organizationId), r.name, r.imageName, r.state, r.general ? 1 : 0,
                        r.cpu, r.memory, r.disk, nullable(r.sizeBytes), nullable(r.entrypoint),
                        nullable(r.errorReason), r.createdAt, r.updatedAt, nullable(r.lastUsedAt),
                        nullable(r.buildInfo), nullable(r.buildHash), nullable(r.sourceSandboxId),
                        r.imageOwned ? 1 : 0})
                .empty();
}

std::string SnapshotRepository::upsertGeneralBuilding(const std::string& newId, const std::string& name,
                                                      const std::string& imageName, std::int64_t atMs) {
    return m_db
        .query("INSERT INTO snapshots (id, name, image_name, state, general, created_at, updated_at) "
               "VALUES (?, ?, ?, 'building', 1, ?, ?) ON CONFLICT (name) DO UPDATE SET image_name = "
               "excluded.image_name, state = 'building', error_reason = NULL, updated_at = "
               "excluded.updated_at RETURNING id",
               {newId, name, imageName, atMs, atMs})
        .at(0)
        .at(0)
        .asText();
}

void SnapshotRepository::upsertGeneralActive(const std::string& newId, const std::string& name,
                                             const std::string& imageName, std::int64_t sizeBytes,
                                             std::int64_t atMs) {
    m_db.exec(
        "INSERT INTO snapshots (id, name, image_name, state, general, size_bytes, created_at, updated_at) "
        "VALUES (?, ?, ?, 'active', 1, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET image_name = "
        "excluded.image_name, state = 'active', size_bytes = excluded.size_bytes, updated_at = "
        "excluded.updated_at",
        {newId, name, imageName, sizeBytes, atMs, atMs});
}

void SnapshotRepository::setState(const std::string& id, const std::string& state,
                                  const std::optional<std::string>& errorReason, std::int64_t updatedAtMs,
                                  const std::optional<std::int64_t>& sizeBytes) {
    m_db.exec("UPDATE snapshots SET state = ?, error_reason = ?, updated_at = ?, size_bytes = ? WHERE id = ?",
              {state, nullable(errorReason), updatedAtMs, nullable(sizeBytes), id});
}

void SnapshotRepository::setImage(const std::string& id, const std::string& imageName) {
    m_db.exec("UPDATE snapshots SET image_name = ? WHERE id = ?", {imageName, id});
}

void SnapshotRepository::markImageOwned(const std::string& id) {
    m_db.exec("UPDATE snapshots SET image_owned = 1 WHERE id = ?", {id});
}

void SnapshotRepository::remove(const std::string& id) {
    m_db.exec("DELETE FROM snapshots WHERE id = ?", {id});
}

void SnapshotRepository::failInterrupted(const std::string& reason) {
    m_db.exec("UPDATE snapshots SET state = 'error', error_reason = ? WHERE state IN ('building', 'pending', "
              "'pulling')",
              {reason});
}

} // namespace cove::store
