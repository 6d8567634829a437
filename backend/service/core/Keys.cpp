// Key hashing, the admin key file, and authentication.
#include "service/core/Keys.h"

#include "common/Random.h"
#include "common/Time.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace cove::core {

using nlohmann::json;

std::string Keys::hash(const std::string& secret) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), digest);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : digest) {
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
    }
    return out;
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
    m_db.transaction([&] {
        if (m_db.queryOne("SELECT id FROM api_keys WHERE key_hash = ?", {h}))
            return;
        // One admin key at a time: a replaced file retires the old one.
        m_db.exec("UPDATE api_keys SET revoked_at = ? WHERE name = 'admin' AND revoked_at IS NULL",
                  {toMillis(SystemClock().now())});
        m_db.exec(
            "INSERT INTO api_keys (id, organization_id, name, key_hash, key_prefix, key_suffix, scopes, "
            "created_at) VALUES (?, ?, 'admin', ?, ?, ?, '[\"*\"]', ?)",
            {uuidV4(), organizationId, h, secret.substr(0, 8), secret.substr(secret.size() - 4),
             toMillis(SystemClock().now())});
    });
    return secret;
}

std::optional<api::Principal> Keys::authenticate(const std::string& secret, std::int64_t nowMs) {
    if (secret.empty() || secret.size() > 512)
        return std::nullopt;
    const std::string h = hash(secret);
    const auto row =
        m_db.queryOne("SELECT id, name, organization_id, scopes, expires_at, revoked_at, key_hash "
                      "FROM api_keys WHERE key_hash = ?",
                      {h});
    if (!row)
        return std::nullopt;
    // The lookup is by hash; compare again in constant time so no timing reveals a near match.
    const std::string& stored = (*row)[6].asText();
    if (stored.size() != h.size() || CRYPTO_memcmp(stored.data(), h.data(), h.size()) != 0)
        return std::nullopt;
    if (!(*row)[5].isNull())
        return std::nullopt;
    if (!(*row)[4].isNull() && (*row)[4].asInt() <= nowMs)
        return std::nullopt;
    api::Principal p{(*row)[0].asText(), (*row)[1].asText(), (*row)[2].asText(), {}};
    try {
        p.scopes = json::parse((*row)[3].asText()).get<std::vector<std::string>>();
    } catch (const json::exception&) {
        return std::nullopt;
    }
    m_db.exec("UPDATE api_keys SET last_used_at = ? WHERE id = ?", {nowMs, p.keyId});
    return p;
}

} // namespace cove::core
