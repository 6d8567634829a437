#include "service/store/SandboxRepository.h"

#include "service/store/Columns.h"

#include <algorithm>
#include <map>

namespace cove::store {

using nlohmann::json;

namespace {

constexpr const char* kSandboxColumns =
    "id, organization_id, name, snapshot, image, os_user, env, labels, public, cpu, gpu, memory, disk, "
    "auto_stop_interval, auto_archive_interval, auto_delete_interval, state, desired_state, error_reason, "
    "container_id, created_at, updated_at, last_activity_at, state_changed_at, ip, network_block_all, "
    "network_allow_list, domain_allow_list, target, signing_key, preview_key, revoked_preview_tokens, "
    "pooled, "
    "container_spec, archive_bytes, archive_compressed_bytes, build_info, auto_pause_interval, destroy_at, "
    "parent_id, backup_at, domain_block_list, network_strict";

// "Live" is written `state <> 'destroyed'`, a literal, in every query here: SQLite proves such a query
// may use the partial index sandboxes_live_name (WHERE state <> 'destroyed') by comparing the two
// texts, and a bound parameter in its place made it plan the kept statement again at every call.

// JSON text as stored; `fallback` when it does not parse to the type wanted.
json parsed(const Value& v, bool (json::*is)() const noexcept, json fallback) {
    if (v.isNull())
        return fallback;
    json j = json::parse(v.asText(), nullptr, false);
    return (j.*is)() ? j : fallback;
}

Value jsonText(const json& j) {
    return j.is_null() ? Value() : Value(j.dump());
}

} // namespace

const json& LazyJson::get() const {
    if (!m_parsed) {
        m_parsed = true;
        m_value = parsed(Value(std::move(m_text)), &json::is_object, nullptr);
        m_text.reset();
    }
    return m_value;
}

namespace {

SandboxState stateOf(const Value& v) {
    return sandboxStateFromString(v.asText()).value_or(SandboxState::Unknown);
}

SandboxRecord sandboxOf(const Row& c) {
    SandboxRecord r;
    r.id = c[0].asText();
    r.organizationId = c[1].asText();
    r.name = c[2].asText();
    r.snapshot = c[3].asText();
    r.image = c[4].asText();
    r.user = c[5].asText();
    r.env = parsed(c[6], &json::is_object, json::object());
    r.labels = parsed(c[7], &json::is_object, json::object());
    r.isPublic = c[8].asInt() != 0;
    r.cpu = static_cast<int>(c[9].asInt());
    r.gpu = static_cast<int>(c[10].asInt());
    r.memory = static_cast<int>(c[11].asInt());
    r.disk = static_cast<int>(c[12].asInt());
    r.autoStop = static_cast<int>(c[13].asInt());
    r.autoArchive = static_cast<int>(c[14].asInt());
    r.autoDelete = static_cast<int>(c[15].asInt());
    r.state = stateOf(c[16]);
    r.desiredState = stateOf(c[17]);
    r.errorReason = c[18].asText();
    r.containerId = c[19].asText();
    r.createdAt = c[20].asInt();
    r.updatedAt = c[21].asInt();
    r.lastActivityAt = c[22].asInt();
    r.stateChangedAt = c[23].asInt();
    r.ip = optText(c[24]);
    r.networkBlockAll = c[25].asInt() != 0;
    r.networkAllowList = optText(c[26]);
    r.domainAllowList = optText(c[27]);
    r.target = optText(c[28]);
    r.signingKey = optText(c[29]);
    r.previewKey = optText(c[30]);
    for (const auto& t : parsed(c[31], &json::is_array, json::array()))
        if (t.is_string())
            r.revokedPreviewTokens.push_back(t.get<std::string>());
    r.pooled = c[32].asInt() != 0;
    r.containerSpec = LazyJson::fromText(optText(c[33]));
    r.archiveBytes = optInt(c[34]);
    r.archiveCompressedBytes = optInt(c[35]);
    r.buildInfo = parsed(c[36], &json::is_object, nullptr);
    r.autoPause = static_cast<int>(c[37].asInt());
    r.destroyAt = optInt(c[38]);
    r.parentId = optText(c[39]);
    r.backupAt = optInt(c[40]);
    r.domainBlockList = optText(c[41]);
    r.networkStrict = c[42].asInt() != 0;
    return r;
}

// "?, ?, ?" for n parameters.
std::string placeholders(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i)
        out += i ? ", ?" : "?";
    return out;
}

} // namespace

std::vector<SandboxRecord> SandboxRepository::select(const std::string& where,
                                                     const std::vector<Value>& params) {
    std::vector<SandboxRecord> out;
    for (const auto& row :
         m_db.query(std::string("SELECT ") + kSandboxColumns + " FROM sandboxes " + where, params))
        out.push_back(sandboxOf(row));
    // Their mounts, a bounded number of ids at a time.
    constexpr std::size_t kChunk = 500;
    for (std::size_t first = 0; first < out.size(); first += kChunk) {
        const std::size_t n = std::min(kChunk, out.size() - first);
        std::vector<Value> ids;
        std::map<std::string, SandboxRecord*> byId;
        for (std::size_t i = first; i < first + n; ++i) {
            ids.emplace_back(out[i].id);
            byId[out[i].id] = &out[i];
        }
        for (const auto& m :
             m_db.query("SELECT sandbox_id, volume_id, mount_path, subpath, read_only FROM sandbox_volumes "
                        "WHERE sandbox_id IN (" +
                            placeholders(n) + ") ORDER BY sandbox_id, mount_index",
                        ids)) {
            json mount{{"volumeId", m[1].asText()}, {"mountPath", m[2].asText()}};
            if (!m[3].isNull())
                mount["subpath"] = m[3].asText();
            if (!m[4].isNull())
                mount["readOnly"] = m[4].asInt() != 0;
            byId[m[0].asText()]->volumes.push_back(std::move(mount));
        }
    }
    return out;
}

std::optional<SandboxRecord> SandboxRepository::selectOne(const std::string& where,
                                                          const std::vector<Value>& params) {
    auto rows = select(where, params);
    if (rows.empty())
        return std::nullopt;
    return std::move(rows.front());
}

void SandboxRepository::insert(const SandboxRecord& r) {
    json revoked(r.revokedPreviewTokens);
    m_db.exec(std::string("INSERT INTO sandboxes (") + kSandboxColumns + ") VALUES (" + placeholders(43) +
                  ")",
              {r.id,
               r.organizationId,
               r.name,
               r.snapshot,
               r.image,
               r.user,
               r.env.dump(),
               r.labels.dump(),
               r.isPublic,
               r.cpu,
               r.gpu,
               r.memory,
               r.disk,
               r.autoStop,
               r.autoArchive,
               r.autoDelete,
               toString(r.state),
               toString(r.desiredState),
               r.errorReason.empty() ? Value() : Value(r.errorReason),
               r.containerId.empty() ? Value() : Value(r.containerId),
               r.createdAt,
               r.updatedAt,
               r.lastActivityAt,
               r.stateChangedAt,
               r.ip,
               r.networkBlockAll,
               r.networkAllowList,
               r.domainAllowList,
               r.target,
               r.signingKey,
               r.previewKey,
               revoked.dump(),
               r.pooled,
               r.containerSpec.text(),
               nullable(r.archiveBytes),
               nullable(r.archiveCompressedBytes),
               jsonText(r.buildInfo),
               r.autoPause,
               nullable(r.destroyAt),
               r.parentId,
               nullable(r.backupAt),
               r.domainBlockList,
               r.networkStrict});
    int index = 0;
    for (const auto& m : r.volumes) {
        if (!m.is_object() || !m.contains("volumeId") || !m["volumeId"].is_string() ||
            !m.contains("mountPath") || !m["mountPath"].is_string())
            continue;
        Value readOnly;
        if (m.contains("readOnly") && m["readOnly"].is_boolean())
            readOnly = m["readOnly"].get<bool>();
        m_db.exec("INSERT INTO sandbox_volumes (sandbox_id, mount_index, volume_id, mount_path, subpath, "
                  "read_only) VALUES (?, ?, ?, ?, ?, ?)",
                  {r.id, index++, m["volumeId"].get<std::string>(), m["mountPath"].get<std::string>(),
                   m.contains("subpath") && m["subpath"].is_string() ? Value(m["subpath"].get<std::string>())
                                                                     : Value(),
                   readOnly});
    }
}

std::optional<SandboxRecord> SandboxRepository::get(const std::string& id) {
    return selectOne("WHERE id = ?", {id});
}

std::optional<SandboxRecord> SandboxRepository::findLive(const std::string& id) {
    return selectOne("WHERE id = ? AND state <> 'destroyed'", {id});
}

std::optional<SandboxRecord> SandboxRepository::findLive(const std::string& organizationId,
                                                         const std::string& idOrName) {
    return selectOne("WHERE organization_id = ? AND state <> 'destroyed' AND (id = ? OR name = ?) "
                     "ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END LIMIT 1",
                     {organizationId, idOrName, idOrName, idOrName});
}

std::optional<std::string> SandboxRepository::organizationOf(const std::string& id) {
    const auto row = m_db.queryOne("SELECT organization_id FROM sandboxes WHERE id = ?", {id});
    return row ? std::optional<std::string>(row->at(0).asText()) : std::nullopt;
}

std::optional<SandboxRecord> SandboxRepository::findLiveByName(const std::string& organizationId,
                                                               const std::string& name) {
    return selectOne("WHERE organization_id = ? AND name = ? AND state <> 'destroyed'",
                     {organizationId, name});
}

std::vector<SandboxRecord> SandboxRepository::listLive(const std::string& organizationId) {
    return select("WHERE organization_id = ? AND state <> 'destroyed'", {organizationId});
}

std::vector<SandboxRecord>
SandboxRepository::listAddressed(const std::optional<std::string>& organizationId) {
    if (organizationId)
        return select("WHERE organization_id = ? AND state <> 'destroyed' AND ip IS NOT NULL",
                      {*organizationId});
    return select("WHERE state <> 'destroyed' AND ip IS NOT NULL", {});
}

std::vector<std::string> SandboxRepository::liveAddresses() {
    std::vector<std::string> out;
    for (const auto& row :
         m_db.query("SELECT ip FROM sandboxes WHERE state <> 'destroyed' AND ip IS NOT NULL"))
        out.push_back(row[0].asText());
    return out;
}

std::vector<SandboxRecord> SandboxRepository::listRunning() {
    const char* started = toString(SandboxState::Started);
    return select("WHERE state = ? AND desired_state = ?", {started, started});
}

std::vector<SandboxRecord> SandboxRepository::listForReconcile() {
    return select("WHERE state <> 'destroyed' OR desired_state <> 'destroyed'", {});
}

std::vector<SandboxRecord> SandboxRepository::listSettled() {
    return select("WHERE state = desired_state AND state IN (?, ?)",
                  {toString(SandboxState::Started), toString(SandboxState::Stopped)});
}

std::vector<SandboxRecord> SandboxRepository::listExpired(std::int64_t now) {
    return select("WHERE state <> 'destroyed' AND destroy_at IS NOT NULL AND destroy_at <= ?", {now});
}

std::vector<SandboxRecord> SandboxRepository::listForks(const std::string& parentId, bool includeDestroyed) {
    if (includeDestroyed)
        return select("WHERE parent_id = ? ORDER BY created_at, id", {parentId});
    return select("WHERE parent_id = ? AND state <> 'destroyed' ORDER BY created_at, id", {parentId});
}

std::vector<std::string> SandboxRepository::liveNamesUsingSnapshot(const std::string& name,
                                                                   const std::string& id) {
    std::vector<std::string> out;
    for (const auto& row :
         m_db.query("SELECT name FROM sandboxes WHERE state <> 'destroyed' AND (snapshot = ? OR "
                    "snapshot = ?) ORDER BY created_at",
                    {name, id}))
        out.push_back(row[0].asText());
    return out;
}

std::vector<std::string> SandboxRepository::liveNamesMountingVolume(const std::string& organizationId,
                                                                    const std::string& volumeId, int limit) {
    std::vector<std::string> out;
    for (const auto& row :
         m_db.query("SELECT s.name FROM sandboxes s WHERE s.organization_id = ? AND s.state <> 'destroyed' "
                    "AND EXISTS "
                    "(SELECT 1 FROM sandbox_volumes m WHERE m.sandbox_id = s.id AND m.volume_id = ?) "
                    "ORDER BY s.created_at LIMIT ?",
                    {organizationId, volumeId, limit}))
        out.push_back(row[0].asText());
    return out;
}

bool SandboxRepository::transition(const std::string& id, const std::vector<SandboxState>& allowedFrom,
                                   SandboxState to, std::int64_t now) {
    return transition(id, allowedFrom, StateChange{to, std::nullopt, std::nullopt, std::nullopt}, now);
}

bool SandboxRepository::transition(const std::string& id, const std::vector<SandboxState>& allowedFrom,
                                   const StateChange& change, std::int64_t now) {
    if (allowedFrom.empty())
        return false;
    const char* to = toString(change.to);
    std::vector<Value> params{to, change.errorReason, now};
    std::string sql = "UPDATE sandboxes SET state = ?, error_reason = ?, updated_at = ?, state_changed_at = ";
    if (change.stateChangedAt) {
        sql += "?";
        params.emplace_back(*change.stateChangedAt);
    } else {
        sql += "CASE WHEN state = ? THEN state_changed_at ELSE ? END";
        params.emplace_back(to);
        params.emplace_back(now);
    }
    if (change.desired) {
        sql += ", desired_state = ?";
        params.emplace_back(toString(*change.desired));
    }
    sql += " WHERE id = ? AND state IN (" + placeholders(allowedFrom.size()) + ")";
    params.emplace_back(id);
    for (const SandboxState s : allowedFrom)
        params.emplace_back(toString(s));
    m_db.exec(sql, params);
    return m_db.changes() > 0;
}

bool SandboxRepository::setDesired(const std::string& id, SandboxState seenState, SandboxState seenDesired,
                                   SandboxState desired, std::int64_t now) {
    m_db.exec("UPDATE sandboxes SET desired_state = ?, updated_at = ? WHERE id = ? AND state = ? AND "
              "desired_state = ?",
              {toString(desired), now, id, toString(seenState), toString(seenDesired)});
    return m_db.changes() > 0;
}

void SandboxRepository::settleInterrupted(const std::string& buildFailure) {
    m_db.exec("UPDATE sandboxes SET state = ?, error_reason = ? WHERE state IN (?, ?)",
              {toString(SandboxState::BuildFailed), buildFailure, toString(SandboxState::PendingBuild),
               toString(SandboxState::BuildingSnapshot)});
    m_db.exec("UPDATE sandboxes SET state = ? WHERE state = ?",
              {toString(SandboxState::Started), toString(SandboxState::Snapshotting)});
}

void SandboxRepository::setContainer(const std::string& id, const std::string& containerId,
                                     const json& spec) {
    m_db.exec("UPDATE sandboxes SET container_id = ?, container_spec = ?, archive_bytes = NULL, "
              "archive_compressed_bytes = NULL WHERE id = ?",
              {containerId, jsonText(spec), id});
}

void SandboxRepository::setArchived(const std::string& id, std::int64_t bytes, std::int64_t compressedBytes) {
    m_db.exec("UPDATE sandboxes SET container_id = NULL, archive_bytes = ?, archive_compressed_bytes = ? "
              "WHERE id = ?",
              {bytes, compressedBytes, id});
}

void SandboxRepository::forgetPooledContainer(const std::string& id) {
    m_db.exec("UPDATE sandboxes SET container_id = NULL, pooled = 0, container_spec = NULL WHERE id = ?",
              {id});
}

void SandboxRepository::setUser(const std::string& id, const std::string& user) {
    m_db.exec("UPDATE sandboxes SET os_user = ? WHERE id = ?", {user, id});
}

void SandboxRepository::touch(const std::string& id, std::int64_t now) {
    m_db.exec("UPDATE sandboxes SET last_activity_at = ? WHERE id = ?", {now, id});
}

void SandboxRepository::setSize(const std::string& id, int cpu, int memory, int disk,
                                std::optional<std::int64_t> updatedAt) {
    if (updatedAt)
        m_db.exec("UPDATE sandboxes SET cpu = ?, memory = ?, disk = ?, updated_at = ? WHERE id = ?",
                  {cpu, memory, disk, *updatedAt, id});
    else
        m_db.exec("UPDATE sandboxes SET cpu = ?, memory = ?, disk = ? WHERE id = ?", {cpu, memory, disk, id});
}

void SandboxRepository::setLabels(const std::string& id, const json& labels, std::int64_t now) {
    m_db.exec("UPDATE sandboxes SET labels = ?, updated_at = ? WHERE id = ?", {labels.dump(), now, id});
}

void SandboxRepository::setEnv(const std::string& id, const json& env, std::int64_t now) {
    m_db.exec("UPDATE sandboxes SET env = ?, updated_at = ? WHERE id = ?", {env.dump(), now, id});
}

void SandboxRepository::setPublic(const std::string& id, bool isPublic, std::int64_t now) {
    m_db.exec("UPDATE sandboxes SET public = ?, updated_at = ? WHERE id = ?", {isPublic, now, id});
}

void SandboxRepository::setInterval(const std::string& id, SandboxInterval which, int minutes,
                                    std::int64_t now) {
    const char* column = which == SandboxInterval::AutoStop      ? "auto_stop_interval"
                         : which == SandboxInterval::AutoArchive ? "auto_archive_interval"
                         : which == SandboxInterval::AutoPause   ? "auto_pause_interval"
                                                                 : "auto_delete_interval";
    m_db.exec(std::string("UPDATE sandboxes SET ") + column + " = ?, updated_at = ? WHERE id = ?",
              {minutes, now, id});
}

void SandboxRepository::setDestroyAt(const std::string& id, std::optional<std::int64_t> at,
                                     std::int64_t now) {
    m_db.exec("UPDATE sandboxes SET destroy_at = ?, updated_at = ? WHERE id = ?", {nullable(at), now, id});
}

void SandboxRepository::setBackupAt(const std::string& id, std::optional<std::int64_t> at) {
    m_db.exec("UPDATE sandboxes SET backup_at = ? WHERE id = ?", {nullable(at), id});
}

void SandboxRepository::setNetwork(const SandboxRecord& r) {
    m_db.exec("UPDATE sandboxes SET network_block_all = ?, network_allow_list = ?, domain_allow_list = ?, "
              "domain_block_list = ?, network_strict = ?, updated_at = ? WHERE id = ?",
              {r.networkBlockAll, r.networkAllowList, r.domainAllowList, r.domainBlockList, r.networkStrict,
               r.updatedAt, r.id});
}

void SandboxRepository::setSigningKey(const std::string& id, const std::string& key) {
    m_db.exec("UPDATE sandboxes SET signing_key = ? WHERE id = ?", {key, id});
}

void SandboxRepository::setPreviewKey(const std::string& id, const std::string& key) {
    m_db.exec("UPDATE sandboxes SET preview_key = ? WHERE id = ?", {key, id});
}

void SandboxRepository::setRevokedPreviewTokens(const std::string& id,
                                                const std::vector<std::string>& tokens) {
    m_db.exec("UPDATE sandboxes SET revoked_preview_tokens = ? WHERE id = ?", {json(tokens).dump(), id});
}

} // namespace cove::store
