// API keys: random secrets stored only as a SHA-256 hash plus a prefix and suffix for display.
#pragma once

#include "common/ApiError.h"
#include "service/domain/Caller.h"
#include "service/store/Store.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>

namespace cove::domain {

class Keys {
public:
    explicit Keys(store::Database& db)
        : m_db(db) {}

    static std::string hash(const std::string& secret);
    static std::string generateSecret(); // "cove_" + 64 hex digits (256 bits)

    // The admin key lives in <data>/admin.key (0600). Reuses the file's key when there is one (so a
    // fresh database keeps the key the desktop app already has), else writes a new one.
    // Returns the secret. Throws std::runtime_error with a user-facing sentence.
    std::string ensureAdminKey(const std::string& dataDir, const std::string& organizationId);

    // The key's principal if it is known, not revoked and not expired; marks it used.
    std::optional<Principal> authenticate(const std::string& secret, std::int64_t nowMs);
    // The key's principal as it stands now (its stored scopes), or nothing once it is revoked or expired:
    // for credentials handed out in its name, which must not outlive it.
    std::optional<Principal> principalOf(const std::string& keyId, std::int64_t nowMs);

    // Daytona's key scopes.
    static const std::vector<std::string>& knownScopes();

    // /api/api-keys. create() answers ApiKeyResponse with the secret, shown this once; the others
    // answer ApiKeyList entries, the value masked. A key may grant only scopes it holds itself.
    nlohmann::json create(const nlohmann::json& body, const Principal& who, std::int64_t nowMs);
    nlohmann::json list(const std::string& organizationId);
    nlohmann::json get(const std::string& name, const std::string& organizationId);
    nlohmann::json current(const Principal& who);
    // Revokes the key (it stops working at once; its row stays for the audit log). Returns its id.
    // Only the admin key, or a key revoking itself, may.
    std::string revoke(const std::string& name, const Principal& who, std::int64_t nowMs);

private:
    store::Database& m_db;
    // When each key's "last used" was last written (or tried): at most once a second per key.
    std::map<std::string, std::int64_t> m_lastTouched;
};

} // namespace cove::domain
