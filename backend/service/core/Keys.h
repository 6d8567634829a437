// API keys: random secrets stored only as a SHA-256 hash plus a prefix and suffix for display.
#pragma once

#include "service/api/Route.h"
#include "service/store/Store.h"

#include <optional>
#include <string>

namespace cove::core {

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
    std::optional<api::Principal> authenticate(const std::string& secret, std::int64_t nowMs);

private:
    store::Database& m_db;
};

} // namespace cove::core
