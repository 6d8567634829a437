// An organization's secrets (Daytona's SecretService): values a sandbox may use but never read. The value
// is sealed at rest (Crypto.h) and never answered; a sandbox that mounts a secret gets its placeholder in an
// environment variable, and the egress interceptor (SecretInterceptor.h) swaps the placeholder for the value
// only in requests to the secret's hosts.
#pragma once

#include "common/Time.h"
#include "service/domain/Caller.h"
#include "service/store/SecretRepository.h"
#include "service/store/Store.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cove::domain {

using nlohmann::json;

// A sandbox's mounted secret as the interceptor uses it: the value in the clear, in coved's memory only.
struct LiveSecret {
    std::string placeholder, value;
    std::vector<std::string> hosts;
};
// Sandbox id -> its mounted secrets.
using LiveSecrets = std::map<std::string, std::vector<LiveSecret>>;

// Whether `host` (lower case, no port) is one of `hosts`: equal to an entry, or under a `*.` entry's domain
// (`*.example.com` takes a.example.com and a.b.example.com, not example.com itself).
bool hostAllowed(const std::vector<std::string>& hosts, std::string_view host);

class Secrets {
public:
    // `secretKey`: the installation's key (Crypto.h loadOrCreateSecretKey).
    Secrets(store::Database& db, const Clock& clock, std::string secretKey);

    // Daytona's Secret DTOs, never a value: every one of the organization's, oldest first, and a page of
    // them (ListSecretsResponse: cursor, limit, name, sort, order).
    json list(const std::string& organizationId);
    json listPage(const std::string& organizationId, const ListQuery& q);
    json get(const std::string& id, const std::string& organizationId);
    json create(const json& body, const Caller& caller);
    // Fields left out stay.
    json update(const std::string& id, const json& body, const Caller& caller);
    // Refused (409, naming them) while sandboxes mount the secret.
    void remove(const std::string& id, const Caller& caller);

    // A sandbox's `secrets` field ([{ENV: secretName}, ...], the SDK's form, or {ENV: secretName}),
    // checked in full: env -> the secret, 400 on an unknown name.
    using Mounts = std::vector<std::pair<std::string, store::SecretRecord>>;
    Mounts resolveMounts(const json& field, const std::string& organizationId);
    // What GET /api/sandbox/{id}/secrets answers: env, the secret's id, name, placeholder and hosts.
    json mountsDto(const std::string& sandboxId);
    // Reads every sandbox's mounts again (after a change to mounts or to a secret).
    void reload();
    // The mounts in force, as of the last reload; safe from any thread.
    std::shared_ptr<const LiveSecrets> live() const;
    bool mountsAny(const std::string& sandboxId) const;

private:
    json toDto(const store::SecretRecord& r) const;
    store::SecretRecord require(const std::string& id, const std::string& organizationId);

    store::Database& m_db;
    const Clock& m_clock;
    std::string m_key;
    mutable std::mutex m_mutex;
    std::shared_ptr<const LiveSecrets> m_live = std::make_shared<LiveSecrets>();
};

} // namespace cove::domain
