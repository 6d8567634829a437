// The SQL of private registries.
#include "service/store/RegistryRepository.h"

#include "service/store/Columns.h"

namespace cove::store {

namespace {

constexpr const char* kRegistrySelect =
    "SELECT id, organization_id, name, url, username, password_sealed, project, "
    "registry_type, is_default, created_at, updated_at FROM docker_registries";

RegistryRecord registryOf(const Row& c) {
    return {c[0].asText(), c[1].asText(), c[2].asText(),     c[3].asText(), c[4].asText(), c[5].asText(),
            c[6].asText(), c[7].asText(), c[8].asInt() != 0, c[9].asInt(),  c[10].asInt()};
}

std::optional<RegistryRecord> oneRegistryOf(const std::optional<Row>& r) {
    return r ? std::optional<RegistryRecord>(registryOf(*r)) : std::nullopt;
}

} // namespace

std::optional<RegistryRecord> RegistryRepository::find(const std::string& id,
                                                       const std::string& organizationId) {
    return oneRegistryOf(m_db.queryOne(std::string(kRegistrySelect) + " WHERE id = ? AND organization_id = ?",
                                       {id, organizationId}));
}

std::optional<RegistryRecord> RegistryRepository::findAnyOrganization(const std::string& id) {
    return oneRegistryOf(m_db.queryOne(std::string(kRegistrySelect) + " WHERE id = ?", {id}));
}

std::vector<RegistryRecord> RegistryRepository::list(const std::string& organizationId) {
    std::vector<RegistryRecord> out;
    for (const auto& r :
         m_db.query(std::string(kRegistrySelect) + " WHERE organization_id = ? ORDER BY created_at, id",
                    {organizationId}))
        out.push_back(registryOf(r));
    return out;
}

std::int64_t RegistryRepository::count(const std::string& organizationId) {
    return m_db
        .queryOne("SELECT COUNT(*) FROM docker_registries WHERE organization_id = ?", {organizationId})
        ->at(0)
        .asInt();
}

std::vector<RegistryRecord> RegistryRepository::listByHost(const std::string& url) {
    std::vector<RegistryRecord> out;
    for (const auto& r : m_db.query(std::string(kRegistrySelect) + " WHERE url = ?", {url}))
        out.push_back(registryOf(r));
    return out;
}

std::optional<RegistryRecord> RegistryRepository::findDefault(const std::string& organizationId) {
    return oneRegistryOf(
        m_db.queryOne(std::string(kRegistrySelect) + " WHERE organization_id = ? AND is_default = 1 LIMIT 1",
                      {organizationId}));
}

void RegistryRepository::insert(const RegistryRecord& r) {
    m_db.exec("INSERT INTO docker_registries (id, organization_id, name, url, username, password_sealed, "
              "project, registry_type, is_default, created_at, updated_at) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {r.id, r.organizationId, r.name, r.url, r.username, r.passwordSealed, r.project, r.registryType,
               r.isDefault, r.createdAt, r.updatedAt});
}

void RegistryRepository::update(const RegistryRecord& r) {
    m_db.exec(
        "UPDATE docker_registries SET name = ?, url = ?, username = ?, password_sealed = ?, project = ?, "
        "updated_at = ? WHERE id = ? AND organization_id = ?",
        {r.name, r.url, r.username, r.passwordSealed, r.project, r.updatedAt, r.id, r.organizationId});
}

void RegistryRepository::remove(const std::string& id) {
    m_db.exec("DELETE FROM docker_registries WHERE id = ?", {id});
}

void RegistryRepository::setDefault(const RegistryRecord& r, std::int64_t atMs) {
    m_db.transaction([&] {
        m_db.exec("UPDATE docker_registries SET is_default = 0 WHERE organization_id = ? AND is_default = 1",
                  {r.organizationId});
        m_db.exec("UPDATE docker_registries SET is_default = 1, updated_at = ? WHERE id = ?", {atMs, r.id});
    });
}

} // namespace cove::store
