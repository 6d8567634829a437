// The SQL of api_keys.
#include "service/store/KeyRepository.h"

#include "service/store/Columns.h"

namespace cove::store {

namespace {

constexpr const char* kKeySelect =
    "SELECT id, organization_id, name, key_hash, key_prefix, key_suffix, scopes, "
    "created_at, expires_at, last_used_at, revoked_at FROM api_keys";

ApiKeyRecord keyOf(const Row& r) {
    return {r[0].asText(), r[1].asText(), r[2].asText(), r[3].asText(), r[4].asText(), r[5].asText(),
            r[6].asText(), r[7].asInt(),  optInt(r[8]),  optInt(r[9]),  optInt(r[10])};
}

std::optional<ApiKeyRecord> keyOf(const std::optional<Row>& r) {
    return r ? std::optional<ApiKeyRecord>(keyOf(*r)) : std::nullopt;
}

} // namespace

std::optional<ApiKeyRecord> KeyRepository::findByHash(const std::string& keyHash) {
    return keyOf(m_db.queryOne(std::string(kKeySelect) + " WHERE key_hash = ?", {keyHash}));
}

std::optional<ApiKeyRecord> KeyRepository::findById(const std::string& id) {
    return keyOf(m_db.queryOne(std::string(kKeySelect) + " WHERE id = ?", {id}));
}

std::optional<ApiKeyRecord> KeyRepository::findLiveByName(const std::string& organizationId,
                                                          const std::string& name) {
    return keyOf(m_db.queryOne(std::string(kKeySelect) +
                                   " WHERE organization_id = ? AND name = ? AND revoked_at IS NULL",
                               {organizationId, name}));
}

std::vector<ApiKeyRecord> KeyRepository::listLive(const std::string& organizationId) {
    std::vector<ApiKeyRecord> out;
    for (const auto& r :
         m_db.query(std::string(kKeySelect) + " WHERE organization_id = ? AND revoked_at IS NULL "
                                              "ORDER BY created_at, name",
                    {organizationId}))
        out.push_back(keyOf(r));
    return out;
}

bool KeyRepository::insert(const ApiKeyRecord& k) {
    // The live-name index is the one a new key can collide with (a hash of 256 random bits does not).
    return !m_db.query("INSERT INTO api_keys (id, organization_id, name, key_hash, key_prefix, key_suffix, "
                       "scopes, created_at, expires_at, last_used_at, revoked_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (organization_id, name) WHERE revoked_at IS NULL DO NOTHING RETURNING id",
                       {k.id, k.organizationId, k.name, k.keyHash, k.keyPrefix, k.keySuffix, k.scopes,
                        k.createdAt, nullable(k.expiresAt), nullable(k.lastUsedAt), nullable(k.revokedAt)})
                .empty();
}

void KeyRepository::revoke(const std::string& id, std::int64_t atMs) {
    m_db.exec("UPDATE api_keys SET revoked_at = ? WHERE id = ?", {atMs, id});
}

void KeyRepository::revokeLiveNamed(const std::string& name, std::int64_t atMs) {
    m_db.exec("UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", {atMs, name});
}

void KeyRepository::markUsed(const std::string& id, std::int64_t atMs) {
    m_db.exec("UPDATE api_keys SET last_used_at = ? WHERE id = ?", {atMs, id});
}

} // namespace cove::store
