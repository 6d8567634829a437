// API keys (api_keys): looked up by their hash for authentication, listed and revoked by name.
#pragma once

#include "service/store/Store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cove::store {

struct ApiKeyRecord {
    std::string id, organizationId, name;
    std::string keyHash;              // SHA-256 of the secret, hex
    std::string keyPrefix, keySuffix; // of the secret, for display
    std::string scopes;               // JSON array; ["*"] for the admin key
    std::int64_t createdAt = 0;       // ms since the epoch, as the other times
    std::optional<std::int64_t> expiresAt, lastUsedAt, revokedAt;
};

class KeyRepository {
public:
    explicit KeyRepository(Database& db)
        : m_db(db) {}

    std::optional<ApiKeyRecord> findByHash(const std::string& keyHash);
    std::optional<ApiKeyRecord> findById(const std::string& id);
    // A key not revoked, by its name within the organization.
    std::optional<ApiKeyRecord> findLiveByName(const std::string& organizationId, const std::string& name);
    // The organization's keys not revoked, oldest first.
    std::vector<ApiKeyRecord> listLive(const std::string& organizationId);

    // False (nothing written) when a key not revoked already has the name in the organization.
    bool insert(const ApiKeyRecord& key);
    void revoke(const std::string& id, std::int64_t atMs);
    // Revokes every live key of that name, in any organization (the admin key, replaced).
    void revokeLiveNamed(const std::string& name, std::int64_t atMs);
    void markUsed(const std::string& id, std::int64_t atMs);

private:
    Database& m_db;
};

} // namespace cove::store
