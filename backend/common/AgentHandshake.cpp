// SHA-256 (FIPS 180-4), HMAC (RFC 2104) and the agent handshake's proofs.
#include "common/AgentHandshake.h"

#include "common/Random.h"

#include <array>
#include <cstdint>

namespace cove::handshake {

namespace {

constexpr std::array<std::uint32_t, 64> kRound = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, int n) {
    return (x >> n) | (x << (32 - n));
}

void compress(std::array<std::uint32_t, 8>& h, const unsigned char* block) {
    std::array<std::uint32_t, 64> w{};
    for (int i = 0; i < 16; ++i)
        w[i] = std::uint32_t(block[4 * i]) << 24 | std::uint32_t(block[4 * i + 1]) << 16 |
               std::uint32_t(block[4 * i + 2]) << 8 | std::uint32_t(block[4 * i + 3]);
    for (int i = 16; i < 64; ++i) {
        const auto s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        const auto s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    auto [a, b, c, d, e, f, g, k] = h;
    for (int i = 0; i < 64; ++i) {
        const auto t1 =
            k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + kRound[i] + w[i];
        const auto t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    const std::array<std::uint32_t, 8> add = {a, b, c, d, e, f, g, k};
    for (int i = 0; i < 8; ++i)
        h[i] += add[i];
}

} // namespace

std::string sha256(std::string_view data) {
    std::array<std::uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::size_t i = 0;
    for (; i + 64 <= data.size(); i += 64)
        compress(h, reinterpret_cast<const unsigned char*>(data.data() + i));
    // The tail, a 1 bit, zeros, and the length in bits: one block or two.
    std::array<unsigned char, 128> tail{};
    const std::size_t rest = data.size() - i;
    for (std::size_t j = 0; j < rest; ++j)
        tail[j] = static_cast<unsigned char>(data[i + j]);
    tail[rest] = 0x80;
    const std::size_t blocks = rest + 9 <= 64 ? 1 : 2;
    const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
    for (int j = 0; j < 8; ++j)
        tail[blocks * 64 - 1 - j] = static_cast<unsigned char>(bits >> (8 * j));
    for (std::size_t b = 0; b < blocks; ++b)
        compress(h, tail.data() + 64 * b);
    std::string out(32, '\0');
    for (int j = 0; j < 8; ++j)
        for (int k = 0; k < 4; ++k)
            out[4 * j + k] = static_cast<char>(h[j] >> (24 - 8 * k));
    return out;
}

std::string hmacSha256(std::string_view key, std::string_view message) {
    std::string k = key.size() > 64 ? sha256(key) : std::string(key);
    k.resize(64, '\0');
    std::string inner(64, '\0'), outer(64, '\0');
    for (int i = 0; i < 64; ++i) {
        inner[i] = static_cast<char>(k[i] ^ 0x36);
        outer[i] = static_cast<char>(k[i] ^ 0x5c);
    }
    return sha256(outer + sha256(inner + std::string(message)));
}

std::string toHex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::string nonce() {
    return randomHex(32);
}

namespace {
bool isNonce(std::string_view s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}
} // namespace

std::optional<std::string_view> parseGreeting(std::string_view line) {
    if (!line.starts_with(kGreeting) || !isNonce(line.substr(kGreeting.size())))
        return std::nullopt;
    return line.substr(kGreeting.size());
}

std::optional<Answer> parseAnswer(std::string_view line) {
    const auto space = line.find(' ');
    if (space == std::string_view::npos || !isNonce(line.substr(0, space)))
        return std::nullopt;
    const auto proof = line.substr(space + 1);
    if (proof.size() != 64 || proof.find_first_not_of("0123456789abcdef") != std::string_view::npos)
        return std::nullopt;
    return Answer{line.substr(0, space), proof};
}

std::string proof(std::string_view secret, std::string_view side, std::string_view agentNonce,
                  std::string_view covedNonce, std::string_view sandboxId) {
    std::string message;
    for (const auto part : {side, agentNonce, covedNonce, sandboxId}) {
        message += part;
        message += ':';
    }
    return toHex(hmacSha256(secret, message));
}

bool matches(std::string_view received, std::string_view expected) {
    if (received.size() != expected.size())
        return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < received.size(); ++i)
        diff |= static_cast<unsigned char>(received[i] ^ expected[i]);
    return diff == 0;
}

} // namespace cove::handshake
