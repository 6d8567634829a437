// Key hashing, the admin key file, and authentication.
#include "service/domain/Keys.h"
#include "service/domain/DomainError.h"

#include "service/domain/Crypto.h"
#include "service/store/KeyRepository.h"

#include "common/ApiError.h"
#include "common/Random.h"
#include "common/Time.h"

#include <openssl/crypto.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace cove::domain {

using nlohmann::json;

std::string Keys::hash(const std::string& secret) {
    return toHex(sha256(secret));
}

std::string Keys::generateSecret() {
    return "cove_" + randomHex(32);
}

static std::string readKeyFile(const std::string& path) {
    std::ifstream in(path);
    std::string key;
    std::getline(in, key);
    while (!key.empty() && (key.back() == '\r' || key.back() == ' '))
        key.pop_back();
    return key;
}

static void writeKeyFile(const std::string& path, const std::string& key) {
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno) +
                                 "; check that the data directory is writable by this user");
    const std::string line = key + "\n";
    const bool ok =
        ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0)
        throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
}

std::string Keys::ensureAdminKey(const std::string& dataDir, const std::string& organizationId) {
    const std::string path = dataDir + "/admin.key";
    std::string secret = readKeyFile(path);
    if (secret.size() < 32) {
        secret = generateSecret();
        writeKeyFile(path, secret);
    }
    ::chmod(path.c_str(), 0600);
    const std::string h = hash(secret);
    store::KeyRepository keys(m_db);
    m_db.transaction([&] {
        if (keys.findByHash(h))
            return;
        // One admin key at a time: a replaced file retires the old one.
        const auto now = toMillis(SystemClock().now());
        keys.revokeLiveNamed("admin", now);
        keys.insert({uuidV4(), organizationId, "admin", h, secret.substr(0, 8),
                     secret.substr(secret.size() - 4), "[\"*\"]", now, std::nullopt, std::nullopt,
                     std::nullopt});
    });
    return secret;
}

namespace {

// A key's principal, or nothing when it is revoked, expired or its scopes do not parse.
std::optional<Principal> validPrincipal(const store::ApiKeyRecord& key, std::int64_t nowMs) {
    if (key.revokedAt)
        return std::nullopt;
    if (key.expiresAt && *key.expiresAt <= nowMs)
        return std::nullopt;
    Principal p{key.id, key.name, key.organizationId, {}};
    p.expiresAt = key.expiresAt.value_or(0);
    p.keyPrefix = key.keyPrefix;
    p.keySuffix = key.keySuffix;
    try {
        p.scopes = json::parse(key.scopes).get<std::vector<std::string>>();
    } catch (const json::exception&) {
        return std::nullopt;
    }
    return p;
}

} // namespace

std::optional<Principal> Keys::authenticate(const std::string& secret, std::int64_t nowMs) {
    if (secret.empty() || secret.size() > 512)
        return std::nullopt;
    const std::string h = hash(secret);
    store::KeyRepository keys(m_db);
    const auto key = keys.findByHash(h);
    if (!key)
        return std::nullopt;
    // The lookup is by hash; compare again in constant time so no timing reveals a near match.
    const std::string& stored = key->keyHash;
    if (stored.size() != h.size() || CRYPTO_memcmp(stored.data(), h.data(), h.size()) != 0)
        return std::nullopt;
    auto p = validPrincipal(*key, nowMs);
    if (!p)
        return std::nullopt;
    // "Last used" is shown to the minute; a busy key writes it at most once a second. It is a note, not
    // a change the caller asked for: a database that cannot be written (locked by another program, its
    // disk full) does not refuse the request, which may only read. Authentication runs before the
    // request's own work, outside any transaction, so the failed statement aborts nothing else.
    std::int64_t& touched = m_lastTouched[p->keyId];
    if (nowMs - touched >= 1000 || nowMs < touched) {
        touched = nowMs;
        try {
            keys.markUsed(p->keyId, nowMs);
        } catch (const store::StoreError& e) {
            std::fprintf(stderr, "coved: key %s: last use not recorded: %s\n", p->keyId.c_str(), e.what());
        }
    }
    return p;
}

std::optional<Principal> Keys::principalOf(const std::string& keyId, std::int64_t nowMs) {
    const auto key = store::KeyRepository(m_db).findById(keyId);
    return key ? validPrincipal(*key, nowMs) : std::nullopt;
}

const std::vector<std::string>& Keys::knownScopes() {
    static const std::vector<std::string> scopes{
        "write:registries", "delete:registries", "write:snapshots", "delete:snapshots",
        "write:sandboxes",  "delete:sandboxes",  "read:volumes",    "write:volumes",
        "delete:volumes",   "write:regions",     "delete:regions",  "read:runners",
        "write:runners",    "delete:runners",    "read:audit_logs", "manage:secrets"};
    return scopes;
}

namespace {

json isoOrNull(const std::optional<std::int64_t>& ms) {
    return ms ? json(toIso8601(fromMillis(*ms))) : json(nullptr);
}

json listEntry(const store::ApiKeyRecord& k) {
    json scopes = json::parse(k.scopes, nullptr, false);
    if (!scopes.is_array())
        scopes = json::array();
    // The admin key's "*" reads as every scope there is.
    if (scopes.size() == 1 && scopes[0] == "*")
        scopes = Keys::knownScopes();
    return {{"name", k.name},
            {"value", k.keyPrefix + std::string(8, '*') + k.keySuffix},
            {"createdAt", toIso8601(fromMillis(k.createdAt))},
            {"permissions", scopes},
            {"lastUsedAt", isoOrNull(k.lastUsedAt)},
            {"expiresAt", isoOrNull(k.expiresAt)},
            {"userId", "local"}};
}

} // namespace

json Keys::create(const json& body, const Principal& who, std::int64_t nowMs) {
    if (!body.contains("name") || !body["name"].is_string())
        throw DomainError::invalid("'name' is required: a string naming the key.");
    const std::string name = body["name"].get<std::string>();
    if (name.empty() || name.size() > 64 ||
        std::any_of(name.begin(), name.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }) ||
        name.front() == ' ' || name.back() == ' ')
        throw DomainError::invalid("'name' must be 1 to 64 characters, no control characters and no "
                                   "leading or trailing spaces.");
    if (!body.contains("permissions") || !body["permissions"].is_array())
        throw DomainError::invalid("'permissions' is required: an array of scopes such as "
                                   "[\"write:sandboxes\"].");
    std::vector<std::string> scopes;
    for (const auto& p : body["permissions"]) {
        if (!p.is_string())
            throw DomainError::invalid("Each permission must be a string.");
        const std::string scope = p.get<std::string>();
        const auto& known = knownScopes();
        if (std::find(known.begin(), known.end(), scope) == known.end())
            throw DomainError::invalid("Unknown permission '" + scope +
                                       "'. Known: write:sandboxes, "
                                       "delete:sandboxes, write:snapshots, delete:snapshots, read:volumes, "
                                       "write:volumes, delete:volumes, read:audit_logs, and the registry, "
                                       "region and runner scopes.");
        if (!who.hasScope(scope))
            throw DomainError::forbidden("This API key cannot grant '" + scope +
                                         "', which it does not hold.");
        if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end())
            scopes.push_back(scope);
    }
    std::optional<std::int64_t> expires;
    if (body.contains("expiresAt") && !body["expiresAt"].is_null()) {
        const auto t =
            body["expiresAt"].is_string() ? parseIso8601(body["expiresAt"].get<std::string>()) : std::nullopt;
        if (!t)
            throw DomainError::invalid("'expiresAt' must be an ISO 8601 date, e.g. 2027-01-31T00:00:00Z.");
        if (toMillis(*t) <= nowMs)
            throw DomainError::invalid("'expiresAt' is in the past; pick a later date or leave it out.");
        expires = toMillis(*t);
    }
    // A key cannot outlive the key that made it: one that expires makes keys that expire no later.
    if (who.expiresAt != 0) {
        if (!expires)
            expires = who.expiresAt;
        else if (*expires > who.expiresAt)
            throw DomainError::invalid("'expiresAt' is later than this API key's own expiry (" +
                                       toIso8601(fromMillis(who.expiresAt)) +
                                       "); a key cannot outlive the key that creates it.");
    }
    const std::string secret = generateSecret();
    const json scopeJson = scopes;
    const bool inserted = store::KeyRepository(m_db).insert(
        {uuidV4(), who.organizationId, name, hash(secret), secret.substr(0, 8),
         secret.substr(secret.size() - 4), scopeJson.dump(), nowMs, expires, std::nullopt, std::nullopt});
    if (!inserted)
        throw DomainError::conflict("An API key named '" + name + "' already exists; pick another name.");
    return {{"name", name},
            {"value", secret},
            {"createdAt", toIso8601(fromMillis(nowMs))},
            {"permissions", scopeJson},
            {"expiresAt", isoOrNull(expires)}};
}

json Keys::list(const std::string& organizationId) {
    json out = json::array();
    for (const auto& k : store::KeyRepository(m_db).listLive(organizationId))
        out.push_back(listEntry(k));
    return out;
}

json Keys::get(const std::string& name, const std::string& organizationId) {
    const auto k = store::KeyRepository(m_db).findLiveByName(organizationId, name);
    if (!k)
        throw DomainError::notFound("API key '" + name + "' not found.");
    return listEntry(*k);
}

json Keys::current(const Principal& who) {
    const auto k = store::KeyRepository(m_db).findById(who.keyId);
    if (!k)
        throw DomainError::notFound("The current API key is gone.");
    return listEntry(*k);
}

std::string Keys::revoke(const std::string& name, const Principal& who, std::int64_t nowMs) {
    store::KeyRepository keys(m_db);
    const auto k = keys.findLiveByName(who.organizationId, name);
    if (!k)
        throw DomainError::notFound("API key '" + name + "' not found.");
    const std::string id = k->id;
    if (!who.hasScope("*") && id != who.keyId)
        throw DomainError::forbidden(
            "Only the admin key may revoke other keys; this key may revoke only itself.");
    if (name == "admin" && who.hasScope("*") && id == who.keyId)
        throw DomainError::conflict("The admin key cannot revoke itself; replace "
                                    "<data>/admin.key and restart coved to rotate it.");
    keys.revoke(id, nowMs);
    return id;
}

} // namespace cove::domain
