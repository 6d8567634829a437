// SSH access tokens (the `ssh_access` table): rows keyed by the SHA-256 of the token, never the token.
#pragma once

#include "service/store/Store.h"

#include <cstdint>
#include <optional>
#include <string>

namespace cove::store {

struct SshAccessRecord {
    std::string id, sandboxId, organizationId, keyId, tokenHash;
    std::int64_t expiresAt = 0, createdAt = 0, updatedAt = 0;
    std::optional<std::int64_t> revokedAt;
};

class SshAccessRepository {
public:
    explicit SshAccessRepository(Database& db)
        : m_db(db) {}

    void insert(const SshAccessRecord& r);
    std::optional<SshAccessRecord> findByHash(const std::string& tokenHash);
    // Revokes the sandbox's live tokens (only the one with `tokenHash` when given); how many.
    std::int64_t revoke(const std::string& sandboxId, const std::optional<std::string>& tokenHash,
                        std::int64_t nowMs);
    // Forgets the rows that can never open anything again: expired or revoked before `beforeMs`.
    std::int64_t purge(std::int64_t beforeMs);
    // Forgets every row of a sandbox (it is gone).
    void removeSandbox(const std::string& sandboxId);

private:
    Database& m_db;
};

} // namespace cove::store
