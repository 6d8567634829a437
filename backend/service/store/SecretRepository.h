// An organization's secrets (secrets) and the sandboxes that mount them (sandbox_secrets).
#pragma once

#include "service/store/Store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cove::store {

struct SecretRecord {
    std::string id, organizationId, name, description;
    std::string hosts = "[]";                  // a JSON array of host names and `*.` wildcards
    std::string valueSealed;                   // domain/Crypto.h seal(), never the value itself
    std::string placeholder;                   // what a sandbox's environment holds instead of the value
    std::int64_t createdAt = 0, updatedAt = 0; // ms since the epoch
};

// One environment variable of a sandbox that holds a secret's placeholder.
struct SecretMount {
    std::string sandboxId, env;
    SecretRecord secret;
};

class SecretRepository {
public:
    explicit SecretRepository(Database& db)
        : m_db(db) {}

    std::optional<SecretRecord> find(const std::string& id, const std::string& organizationId);
    std::optional<SecretRecord> findByName(const std::string& name, const std::string& organizationId);
    // Oldest first.
    std::vector<SecretRecord> list(const std::string& organizationId);
    std::int64_t count(const std::string& organizationId);

    // False (nothing written) when the organization has a secret of that name already.
    bool insert(const SecretRecord& r);
    // Description, hosts and sealed value, as given.
    void update(const SecretRecord& r);
    void remove(const std::string& id);

    // The sandbox's mounts, by environment variable.
    std::vector<SecretMount> mountsOf(const std::string& sandboxId);
    // Replaces the sandbox's mounts (env -> secret id); the caller holds the transaction.
    void replaceMounts(const std::string& sandboxId,
                       const std::vector<std::pair<std::string, std::string>>& mounts);
    // The names of the sandboxes that mount the secret and are not destroyed.
    std::vector<std::string> sandboxesMounting(const std::string& secretId);
    // Every mount of every sandbox not destroyed.
    std::vector<SecretMount> liveMounts();

private:
    Database& m_db;
};

} // namespace cove::store
