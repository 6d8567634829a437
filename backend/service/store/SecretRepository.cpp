// The SQL of secrets and their mounts.
#include "service/store/SecretRepository.h"

#include "service/store/Columns.h"

namespace cove::store {

namespace {

constexpr const char* kSecretColumns =
    "s.id, s.organization_id, s.name, s.description, s.hosts, s.value_sealed, s.placeholder, s.created_at, "
    "s.updated_at";

SecretRecord secretOf(const Row& c, std::size_t at = 0) {
    return {c[at].asText(),     c[at + 1].asText(), c[at + 2].asText(),
            c[at + 3].asText(), c[at + 4].asText(), c[at + 5].asText(),
            c[at + 6].asText(), c[at + 7].asInt(),  c[at + 8].asInt()};
}

std::optional<SecretRecord> oneSecretOf(const std::optional<Row>& r) {
    return r ? std::optional<SecretRecord>(secretOf(*r)) : std::nullopt;
}

std::string selectSecrets(const char* where) {
    return std::string("SELECT ") + kSecretColumns + " FROM secrets s " + where;
}

} // namespace

std::optional<SecretRecord> SecretRepository::find(const std::string& id, const std::string& organizationId) {
    return oneSecretOf(
        m_db.queryOne(selectSecrets("WHERE s.id = ? AND s.organization_id = ?"), {id, organizationId}));
}

std::optional<SecretRecord> SecretRepository::findByName(const std::string& name,
                                                         const std::string& organizationId) {
    return oneSecretOf(
        m_db.queryOne(selectSecrets("WHERE s.name = ? AND s.organization_id = ?"), {name, organizationId}));
}

std::vector<SecretRecord> SecretRepository::list(const std::string& organizationId) {
    std::vector<SecretRecord> out;
    for (const auto& r : m_db.query(selectSecrets("WHERE s.organization_id = ? ORDER BY s.created_at, s.id"),
                                    {organizationId}))
        out.push_back(secretOf(r));
    return out;
}

std::int64_t SecretRepository::count(const std::string& organizationId) {
    return m_db.queryOne("SELECT COUNT(*) FROM secrets WHERE organization_id = ?", {organizationId})
        ->at(0)
        .asInt();
}

bool SecretRepository::insert(const SecretRecord& r) {
    return !m_db.query("INSERT INTO secrets (id, organization_id, name, description, hosts, value_sealed, "
                       "placeholder, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (organization_id, name) DO NOTHING RETURNING id",
                       {r.id, r.organizationId, r.name, r.description, r.hosts, r.valueSealed, r.placeholder,
                        r.createdAt, r.updatedAt})
                .empty();
}

void SecretRepository::update(const SecretRecord& r) {
    m_db.exec("UPDATE secrets SET description = ?, hosts = ?, value_sealed = ?, updated_at = ? "
              "WHERE id = ? AND organization_id = ?",
              {r.description, r.hosts, r.valueSealed, r.updatedAt, r.id, r.organizationId});
}

void SecretRepository::remove(const std::string& id) {
    m_db.transaction([&] {
        m_db.exec("DELETE FROM sandbox_secrets WHERE secret_id = ?", {id});
        m_db.exec("DELETE FROM secrets WHERE id = ?", {id});
    });
}

std::vector<SecretMount> SecretRepository::mountsOf(const std::string& sandboxId) {
    std::vector<SecretMount> out;
    for (const auto& r : m_db.query(std::string("SELECT m.sandbox_id, m.env, ") + kSecretColumns +
                                        " FROM sandbox_secrets m JOIN secrets s ON s.id = m.secret_id "
                                        "WHERE m.sandbox_id = ? ORDER BY m.env",
                                    {sandboxId}))
        out.push_back({r[0].asText(), r[1].asText(), secretOf(r, 2)});
    return out;
}

void SecretRepository::replaceMounts(const std::string& sandboxId,
                                     const std::vector<std::pair<std::string, std::string>>& mounts) {
    m_db.exec("DELETE FROM sandbox_secrets WHERE sandbox_id = ?", {sandboxId});
    for (const auto& [env, secretId] : mounts)
        m_db.exec("INSERT INTO sandbox_secrets (sandbox_id, env, secret_id) VALUES (?, ?, ?)",
                  {sandboxId, env, secretId});
}

std::vector<std::string> SecretRepository::sandboxesMounting(const std::string& secretId) {
    std::vector<std::string> out;
    for (const auto& r :
         m_db.query("SELECT DISTINCT b.name FROM sandbox_secrets m "
                    "JOIN sandboxes b ON b.id = m.sandbox_id "
                    "WHERE m.secret_id = ? AND b.state <> 'destroyed' AND b.desired_state <> 'destroyed' "
                    "ORDER BY b.name",
                    {secretId}))
        out.push_back(r[0].asText());
    return out;
}

std::vector<SecretMount> SecretRepository::liveMounts() {
    std::vector<SecretMount> out;
    for (const auto& r :
         m_db.query(std::string("SELECT m.sandbox_id, m.env, ") + kSecretColumns +
                        " FROM sandbox_secrets m JOIN secrets s ON s.id = m.secret_id "
                        "JOIN sandboxes b ON b.id = m.sandbox_id WHERE b.state <> 'destroyed' "
                        "ORDER BY m.sandbox_id, m.env",
                    {}))
        out.push_back({r[0].asText(), r[1].asText(), secretOf(r, 2)});
    return out;
}

} // namespace cove::store
