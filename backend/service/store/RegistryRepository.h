// Private container registries (docker_registries): an organization's credentials for pulling images.
#pragma once

#include "service/store/Store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cove::store {

struct RegistryRecord {
    std::string id, organizationId, name;
    std::string url; // host[:port], as images name it (no scheme, no path)
    std::string username;
    std::string passwordSealed; // domain/Crypto.h seal(), never the password itself
    std::string project;        // "" when the registry's images are not under one project
    std::string registryType = "organization";
    bool isDefault = false;
    std::int64_t createdAt = 0, updatedAt = 0; // ms since the epoch
};

class RegistryRepository {
public:
    explicit RegistryRepository(Database& db)
        : m_db(db) {}

    std::optional<RegistryRecord> find(const std::string& id, const std::string& organizationId);
    // Whichever organization holds it: the installation's admin marks defaults.
    std::optional<RegistryRecord> findAnyOrganization(const std::string& id);
    // Oldest first.
    std::vector<RegistryRecord> list(const std::string& organizationId);
    std::int64_t count(const std::string& organizationId);
    // Every organization's registries at this host[:port].
    std::vector<RegistryRecord> listByHost(const std::string& url);
    std::optional<RegistryRecord> findDefault(const std::string& organizationId);

    void insert(const RegistryRecord& r);
    // Name, URL, username, sealed password and project, as given.
    void update(const RegistryRecord& r);
    void remove(const std::string& id);
    // Makes it its organization's only default.
    void setDefault(const RegistryRecord& r, std::int64_t atMs);

private:
    Database& m_db;
};

} // namespace cove::store
