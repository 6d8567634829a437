// The few OpenSSL primitives coved signs, checks and seals with, over strings of raw bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cove::domain {

std::string sha256(std::string_view data);
std::string hmacSha256(std::string_view key, std::string_view message);
std::string toHex(std::string_view bytes); // lower case
// Compares without a timing that tells how much of a secret matched.
bool equalConstantTime(std::string_view a, std::string_view b);

// Secrets coved must give back later (a registry's password) are sealed with AES-256-GCM under the
// installation's key (<data>/secrets.key, 32 random bytes, mode 0600). `context` (the owning row's id) is
// bound into the seal: a sealed value copied to another row does not open there.
inline constexpr std::size_t kSecretKeyBytes = 32;
// The key in `path`, made (random, mode 0600) when there is none. Throws std::runtime_error with a
// sentence a user can act on when it cannot be read or written, or holds something else than a key.
std::string loadOrCreateSecretKey(const std::string& path);
// "v1:" + hex(nonce | ciphertext | tag).
std::string seal(std::string_view key, std::string_view plaintext, std::string_view context);
// Nothing when the value was not sealed with this key and context, or has been altered.
std::optional<std::string> unseal(std::string_view key, std::string_view sealed, std::string_view context);

} // namespace cove::domain
