#include "service/store/SshAccessRepository.h"

namespace cove::store {

void SshAccessRepository::insert(const SshAccessRecord& r) {
    m_db.exec(
        "INSERT INTO ssh_access (id, sandbox_id, organization_id, key_id, token_hash, expires_at, "
        "created_at, updated_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        {r.id, r.sandboxId, r.organizationId, r.keyId, r.tokenHash, r.expiresAt, r.createdAt, r.updatedAt});
}

std::optional<SshAccessRecord> SshAccessRepository::findByHash(const std::string& tokenHash) {
    const auto row = m_db.queryOne("SELECT id, sandbox_id, organization_id, key_id, token_hash, expires_at, "
                                   "created_at, updated_at, revoked_at FROM ssh_access WHERE token_hash = ?",
                                   {tokenHash});
    if (!row)
        return std::nullopt;
    const Row& c = *row;
    SshAccessRecord r{c[0].asText(), c[1].asText(), c[2].asText(), c[3].asText(), c[4].asText(),
                      c[5].asInt(),  c[6].asInt(),  c[7].asInt(),  std::nullopt};
    if (!c[8].isNull())
        r.revokedAt = c[8].asInt();
    return r;
}

std::int64_t SshAccessRepository::revoke(const std::string& sandboxId,
                                         const std::optional<std::string>& tokenHash, std::int64_t nowMs) {
    if (tokenHash)
        m_db.exec("UPDATE ssh_access SET revoked_at = ?, updated_at = ? "
                  "WHERE sandbox_id = ? AND token_hash = ? AND revoked_at IS NULL",
                  {nowMs, nowMs, sandboxId, *tokenHash});
    else
        m_db.exec("UPDATE ssh_access SET revoked_at = ?, updated_at = ? WHERE sandbox_id = ? AND revoked_at "
                  "IS NULL",
                  {nowMs, nowMs, sandboxId});
    return m_db.changes();
}

std::int64_t SshAccessRepository::purge(std::int64_t beforeMs) {
    m_db.exec("DELETE FROM ssh_access WHERE expires_at < ? OR revoked_at < ?", {beforeMs, beforeMs});
    return m_db.changes();
}

void SshAccessRepository::removeSandbox(const std::string& sandboxId) {
    m_db.exec("DELETE FROM ssh_access WHERE sandbox_id = ?", {sandboxId});
}

} // namespace cove::store
