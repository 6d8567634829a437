#include "service/domain/Crypto.h"

#include "common/AgentHandshake.h"
#include "common/Random.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace cove::domain {

std::string sha256(std::string_view data) {
    std::string out(SHA256_DIGEST_LENGTH, '\0');
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           reinterpret_cast<unsigned char*>(out.data()));
    return out;
}

std::string hmacSha256(std::string_view key, std::string_view message) {
    std::string out(EVP_MAX_MD_SIZE, '\0');
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(),
         reinterpret_cast<unsigned char*>(out.data()), &len);
    out.resize(len);
    return out;
}

std::string toHex(std::string_view bytes) {
    return handshake::toHex(bytes);
}

bool equalConstantTime(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

namespace {

constexpr std::string_view kSealVersion = "v1:";
constexpr int kNonceBytes = 12, kTagBytes = 16;

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

std::optional<std::string> fromHex(std::string_view hex) {
    if (hex.size() % 2 != 0)
        return std::nullopt;
    const auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        return -1;
    };
    std::string out(hex.size() / 2, '\0');
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        out[i] = static_cast<char>(hi << 4 | lo);
    }
    return out;
}

const unsigned char* bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

} // namespace

std::string loadOrCreateSecretKey(const std::string& path) {
    const auto fail = [&](const std::string& what) {
        return std::runtime_error(what + " " + path + " (" + std::strerror(errno) +
                                  "); check that the data directory belongs to the user coved runs as");
    };
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT) {
        // Written under a temporary name and renamed, so a crash never leaves half a key behind.
        const std::string tmp = path + ".new";
        std::string key(kSecretKeyBytes, '\0');
        randomBytes(key.data(), key.size());
        const int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (out < 0)
            throw fail("cannot write the secrets key");
        const bool written =
            ::write(out, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(out) == 0;
        ::close(out);
        if (!written || ::rename(tmp.c_str(), path.c_str()) != 0)
            throw fail("cannot write the secrets key");
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    }
    if (fd < 0)
        throw fail("cannot read the secrets key");
    std::string key(kSecretKeyBytes + 1, '\0');
    const ssize_t n = ::read(fd, key.data(), key.size());
    ::close(fd);
    if (n != static_cast<ssize_t>(kSecretKeyBytes))
        throw std::runtime_error("The secrets key " + path + " is not a key Cove wrote (" +
                                 std::to_string(kSecretKeyBytes) +
                                 " bytes); restore it from a backup, or remove it and enter the stored "
                                 "registry passwords again.");
    key.resize(kSecretKeyBytes);
    return key;
}

std::string seal(std::string_view key, std::string_view plaintext, std::string_view context) {
    std::string nonce(kNonceBytes, '\0');
    randomBytes(nonce.data(), nonce.size());
    std::string out(plaintext.size() + kTagBytes, '\0');
    auto* cipherText = reinterpret_cast<unsigned char*>(out.data());
    CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    int len = 0, total = 0;
    if (!ctx || key.size() != kSecretKeyBytes ||
        EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(context), static_cast<int>(context.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), cipherText, &len, bytes(plaintext),
                          static_cast<int>(plaintext.size())) != 1 ||
        (total = len, EVP_EncryptFinal_ex(ctx.get(), cipherText + total, &len)) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, cipherText + total + len) != 1)
        throw std::runtime_error("Cannot seal a secret (OpenSSL's AES-256-GCM failed).");
    return std::string(kSealVersion) + toHex(nonce + out);
}

std::optional<std::string> unseal(std::string_view key, std::string_view sealed, std::string_view context) {
    if (key.size() != kSecretKeyBytes || sealed.substr(0, kSealVersion.size()) != kSealVersion)
        return std::nullopt;
    const auto raw = fromHex(sealed.substr(kSealVersion.size()));
    if (!raw || raw->size() < static_cast<std::size_t>(kNonceBytes + kTagBytes))
        return std::nullopt;
    const std::string_view all(*raw);
    const auto nonce = all.substr(0, kNonceBytes);
    const auto cipherText = all.substr(kNonceBytes, all.size() - kNonceBytes - kTagBytes);
    std::string tag(all.substr(all.size() - kTagBytes));
    std::string out(cipherText.size(), '\0');
    CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    int len = 0;
    if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(context), static_cast<int>(context.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, bytes(cipherText),
                          static_cast<int>(cipherText.size())) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &len) != 1)
        return std::nullopt;
    return out;
}

} // namespace cove::domain
