// A sandbox's secrets: which it mounts, the set replaced, the environment that points at them, and the
// interception CA its TLS clients trust.
#include "service/domain/SandboxService.h"

#include "service/domain/Validate.h"
#include "service/store/SecretRepository.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cove::domain {

namespace fs = std::filesystem;

namespace {

// Inside the sandbox, in its run folder (/run/cove, bind-mounted from <data>/sandboxes/<id>/run).
constexpr const char* kCaInside = "/run/cove/secrets-ca.pem";
constexpr const char* kBundleInside = "/run/cove/ca-bundle.pem";
// The host's bundle, which the sandbox's one starts from (Debian's path).
constexpr const char* kHostBundle = "/etc/ssl/certs/ca-certificates.crt";

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void writeAll(const std::string& path, const std::string& data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << data;
    if (!out)
        throw DomainError::internal("Cannot write " + path + ".");
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                              fs::perms::others_read);
}

} // namespace

void SandboxService::applySecretEnv(json& env, const Secrets::Mounts& mounts,
                                    const std::vector<std::string>& previous) const {
    for (const auto& name : previous)
        env.erase(name);
    for (const auto& [name, secret] : mounts) {
        if (env.contains(name))
            throw validate::invalid("secrets",
                                    "Environment variable '" + name +
                                        "' is set in 'env' and mounts a secret; keep it in one of them.");
        env[name] = secret.placeholder;
    }
    if (mounts.empty() || m_secretsCaPem.empty())
        return;
    // curl, OpenSSL (Python's ssl), Python's requests and Node each read the CA from one of these; a value
    // the user set stays.
    for (const auto& [name, path] : {std::pair{"SSL_CERT_FILE", kBundleInside},
                                     {"CURL_CA_BUNDLE", kBundleInside},
                                     {"REQUESTS_CA_BUNDLE", kBundleInside},
                                     {"NODE_EXTRA_CA_CERTS", kCaInside}})
        if (!env.contains(name))
            env[name] = path;
}

void SandboxService::provideSecretsTrust(const SandboxRow& r) const {
    if (m_secretsCaPem.empty() || m_config.dataDir.empty() ||
        store::SecretRepository(m_db).mountsOf(r.id).empty())
        return;
    const std::string dir = m_config.sandboxRunDir(r.id);
    writeAll(dir + "/secrets-ca.pem", m_secretsCaPem);
    std::string bundle = readAll(kHostBundle);
    if (!bundle.empty() && bundle.back() != '\n')
        bundle += '\n';
    writeAll(dir + "/ca-bundle.pem", bundle + m_secretsCaPem);
}

json SandboxService::sandboxSecrets(const std::string& idOrName, const Caller& caller) {
    return m_secrets.mountsDto(require(idOrName, caller).id);
}

json SandboxService::updateSecrets(const std::string& idOrName, json body, const Caller& caller) {
    if (!body.is_object() || !body.contains("secrets"))
        throw DomainError::invalid(
            "The body must be {\"secrets\": [{\"ENV\": \"secret name\"}, ...]}; an empty "
            "list takes every secret out.");
    const Secrets::Mounts mounts = m_secrets.resolveMounts(body["secrets"], caller.who.organizationId);
    SandboxRow r;
    m_db.transaction([&] {
        r = require(idOrName, caller);
        store::SecretRepository repo(m_db);
        std::vector<std::string> previous;
        for (const auto& m : repo.mountsOf(r.id))
            if (r.env.value(m.env, "") == m.secret.placeholder)
                previous.push_back(m.env);
        applySecretEnv(r.env, mounts, previous);
        std::vector<std::pair<std::string, std::string>> rows;
        for (const auto& [env, secret] : mounts)
            rows.emplace_back(env, secret.id);
        repo.replaceMounts(r.id, rows);
        r.updatedAt = toMillis(m_clock.now());
        m_repo.setEnv(r.id, r.env, r.updatedAt);
        audit(&caller, "update_secrets", "sandbox", r.id, 200);
    });
    m_secrets.reload();
    if (fs::exists(m_config.sandboxRunDir(r.id)))
        provideSecretsTrust(r);
    applyNetwork(r);
    return toDto(r, false, caller.baseUrl);
}

} // namespace cove::domain
