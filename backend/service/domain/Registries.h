// Private registries: an organization's credentials for the container registries its snapshots' images
// come from (Daytona's /docker-registry). The password is sealed at rest (Crypto.h) and leaves coved only
// towards the Docker engine, for a pull or a build from that registry, and in registry-push-access for
// the registry the installation's admin made the organization's default.
#pragma once

#include "common/Time.h"
#include "service/domain/Caller.h"
#include "service/domain/RegistryNames.h"
#include "service/engine/Engine.h"
#include "service/store/Store.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cove::store {
struct RegistryRecord;
}

namespace cove::domain {

using nlohmann::json;

class Registries {
public:
    // `secretKey`: the installation's key (Crypto.h loadOrCreateSecretKey).
    Registries(store::Database& db, const Clock& clock, std::string secretKey);

    // Daytona's DockerRegistry DTOs: the organization's only, oldest first; never a password.
    json list(const std::string& organizationId);
    json get(const std::string& id, const std::string& organizationId);
    json create(const json& body, const Caller& caller);
    // Fields left out stay; a new URL needs the password again, so a stored password only ever goes to
    // the registry it was entered for.
    json update(const std::string& id, const json& body, const Caller& caller);
    void remove(const std::string& id, const Caller& caller);
    // The admin's: makes the registry its organization's default (the one registry-push-access names).
    json setDefault(const std::string& id);
    // RegistryPushAccessDto of the organization's default registry; 404 saying how to get one otherwise.
    json pushAccess(const Caller& caller);

    // The organization's credentials for an image's registry (the longest matching project wins).
    struct Match {
        std::string registryId, name;
        engine::RegistryAuth auth;
    };
    std::optional<Match> credentialsFor(const std::string& image, const std::string& organizationId);
    // Whether any organization keeps credentials that serve the image (its registry's host and, when
    // set, project; Docker Hub's official `library/` images excepted): such an image is pulled (or a
    // build's base image checked with the registry) every time, even when the engine has it, so the
    // registry, not the engine's cache, decides whether this organization may use it.
    bool privateRegistryImage(const std::string& image);

private:
    json toDto(const store::RegistryRecord& r) const;
    store::RegistryRecord require(const std::string& id, const std::string& organizationId);

    store::Database& m_db;
    const Clock& m_clock;
    std::string m_key;
};

} // namespace cove::domain
