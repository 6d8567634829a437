// Private registries: their rows, the checks of what a user types, and the credentials a pull uses.
#include "service/domain/Registries.h"

#include "common/ApiError.h"
#include "common/Random.h"
#include "service/domain/Config.h"
#include "service/domain/Crypto.h"
#include "service/domain/DomainError.h"
#include "service/domain/Validate.h"
#include "service/store/RegistryRepository.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace cove::domain {

namespace {

// Where Docker itself sends Docker Hub's credentials.
constexpr const char* kDockerHubAuthAddress = "https://index.docker.io/v1/";

std::string serverAddressOf(const std::string& host) {
    return host == kDockerHub ? kDockerHubAuthAddress : host;
}

std::string requiredText(const json& body, const char* key, std::size_t maxBytes, const char* what) {
    auto v = validate::optText(body, key, maxBytes);
    if (!v || v->empty())
        throw validate::invalid(key, std::string("'") + key + "' is required: " + what + ".");
    return *v;
}

// A password: any bytes but control characters, bounded. The messages never hold it.
std::optional<std::string> passwordOf(const json& body) {
    auto p = validate::optText(body, "password", RegistryLimits::kMaxPasswordBytes);
    if (p && p->empty())
        throw validate::invalid("password", "'password' must not be empty.");
    return p;
}

std::string projectOf(const json& body) {
    const auto p = validate::optText(body, "project", RegistryLimits::kMaxProjectBytes).value_or("");
    const bool ok = std::all_of(p.begin(), p.end(),
                                [](char c) {
                                    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                                           c == '_' || c == '-' || c == '/';
                                }) &&
                    (p.empty() || (p.front() != '/' && p.back() != '/' && p.find("//") == std::string::npos));
    if (!ok)
        throw validate::invalid("project",
                                "'project' must be a path of lower-case letters, digits, '.', '_', "
                                "'-' and '/' as images name it (e.g. team or team/tools), or empty.");
    return p;
}

} // namespace

Registries::Registries(store::Database& db, const Clock& clock, std::string secretKey)
    : m_db(db)
    , m_clock(clock)
    , m_key(std::move(secretKey)) {}

json Registries::toDto(const store::RegistryRecord& r) const {
    return {{"id", r.id},
            {"name", r.name},
            {"url", r.url},
            {"username", r.username},
            {"project", r.project},
            {"registryType", r.registryType},
            {"isDefault", r.isDefault},
            {"createdAt", toIso8601(fromMillis(r.createdAt))},
            {"updatedAt", toIso8601(fromMillis(r.updatedAt))}};
}

store::RegistryRecord Registries::require(const std::string& id, const std::string& organizationId) {
    auto r = store::RegistryRepository(m_db).find(id, organizationId);
    if (!r)
        throw DomainError::notFound("Registry '" + id +
                                    "' does not exist in this organization; list them with GET "
                                    "/api/docker-registry.");
    return *r;
}

json Registries::list(const std::string& organizationId) {
    json out = json::array();
    for (const auto& r : store::RegistryRepository(m_db).list(organizationId))
        out.push_back(toDto(r));
    return out;
}

json Registries::get(const std::string& id, const std::string& organizationId) {
    return toDto(require(id, organizationId));
}

json Registries::create(const json& body, const Caller& caller) {
    if (!body.is_object())
        throw DomainError::invalid(
            "The body must be a JSON object: {name, url, username, password, project}.");
    store::RegistryRecord r;
    r.organizationId = caller.who.organizationId;
    r.name = requiredText(body, "name", RegistryLimits::kMaxNameBytes, "a name for the registry");
    r.url = registryHostOf(validate::optText(body, "url", RegistryLimits::kMaxUrlBytes * 2).value_or(""));
    r.username =
        requiredText(body, "username", RegistryLimits::kMaxUsernameBytes, "the registry user's name");
    const auto password = passwordOf(body);
    if (!password)
        throw validate::invalid("password", "'password' is required: the registry user's password or token.");
    r.project = projectOf(body);
    store::RegistryRepository repo(m_db);
    if (repo.count(r.organizationId) >= static_cast<std::int64_t>(RegistryLimits::kMaxPerOrganization))
        throw DomainError::conflict("This organization has " +
                                    std::to_string(RegistryLimits::kMaxPerOrganization) +
                                    " registries, the most Cove keeps for one; delete one first.");
    r.id = uuidV4();
    r.passwordSealed = seal(m_key, *password, r.id);
    r.createdAt = r.updatedAt = toMillis(m_clock.now());
    repo.insert(r);
    return toDto(r);
}

json Registries::update(const std::string& id, const json& body, const Caller& caller) {
    if (!body.is_object())
        throw DomainError::invalid(
            "The body must be a JSON object: {name, url, username, password, project}.");
    store::RegistryRecord r = require(id, caller.who.organizationId);
    if (const auto name = validate::optText(body, "name", RegistryLimits::kMaxNameBytes)) {
        if (name->empty())
            throw validate::invalid("name", "'name' must not be empty.");
        r.name = *name;
    }
    if (const auto user = validate::optText(body, "username", RegistryLimits::kMaxUsernameBytes)) {
        if (user->empty())
            throw validate::invalid("username", "'username' must not be empty.");
        r.username = *user;
    }
    const auto password = passwordOf(body);
    if (const auto url = validate::optText(body, "url", RegistryLimits::kMaxUrlBytes * 2)) {
        const std::string host = registryHostOf(*url);
        if (host != r.url && !password)
            throw validate::invalid("password", "A new URL needs the password again: Cove sends a stored "
                                                "password only to the registry it was entered for.");
        r.url = host;
    }
    if (body.contains("project"))
        r.project = projectOf(body);
    if (password)
        r.passwordSealed = seal(m_key, *password, r.id);
    r.updatedAt = toMillis(m_clock.now());
    store::RegistryRepository(m_db).update(r);
    return toDto(r);
}

void Registries::remove(const std::string& id, const Caller& caller) {
    require(id, caller.who.organizationId);
    store::RegistryRepository(m_db).remove(id);
}

json Registries::setDefault(const std::string& id) {
    store::RegistryRepository repo(m_db);
    auto r = repo.findAnyOrganization(id);
    if (!r)
        throw DomainError::notFound("Registry '" + id + "' does not exist.");
    r->updatedAt = toMillis(m_clock.now());
    repo.setDefault(*r, r->updatedAt);
    r->isDefault = true;
    return toDto(*r);
}

json Registries::pushAccess(const Caller& caller) {
    const auto r = store::RegistryRepository(m_db).findDefault(caller.who.organizationId);
    if (!r)
        throw DomainError::notFound(
            "This organization has no default registry to push snapshots to: add the registry with POST "
            "/api/docker-registry and have Cove's admin make it the default with POST "
            "/api/admin/docker-registry/{id}/set-default.");
    const auto password = unseal(m_key, r->passwordSealed, r->id);
    if (!password)
        throw DomainError::internal("The password of registry '" + r->name +
                                    "' cannot be read with this installation's secrets key; enter it again "
                                    "with PATCH /api/docker-registry/" +
                                    r->id + ".");
    return {{"username", r->username},
            {"secret", *password},
            {"registryUrl", r->url},
            {"registryId", r->id},
            {"project", r->project},
            {"expiresAt", toIso8601(m_clock.now() + RegistryLimits::kPushAccessValidity)}};
}

std::optional<Registries::Match> Registries::credentialsFor(const std::string& image,
                                                            const std::string& organizationId) {
    const ImageLocation where = imageLocationOf(image);
    std::optional<store::RegistryRecord> best;
    for (auto& r : store::RegistryRepository(m_db).list(organizationId))
        if (registryServes(r.url, r.project, where) && (!best || r.project.size() > best->project.size()))
            best = std::move(r);
    if (!best)
        return std::nullopt;
    const auto password = unseal(m_key, best->passwordSealed, best->id);
    if (!password)
        throw DomainError::internal("The password of registry '" + best->name +
                                    "' cannot be read with this installation's secrets key; enter it again "
                                    "with PATCH /api/docker-registry/" +
                                    best->id + ".");
    return Match{best->id, best->name, {best->username, *password, serverAddressOf(best->url)}};
}

bool Registries::privateRegistryImage(const std::string& image) {
    const ImageLocation where = imageLocationOf(image);
    // Docker Hub's official images are public, and Cove's own local images (cove-base, cove-snapshot:…)
    // read as such: they stay served from the engine's cache.
    if (where.host == kDockerHub && where.path.rfind("library/", 0) == 0)
        return false;
    const auto all = store::RegistryRepository(m_db).listByHost(where.host);
    return std::any_of(all.begin(), all.end(),
                       [&](const auto& r) { return registryServes(r.url, r.project, where); });
}

} // namespace cove::domain
