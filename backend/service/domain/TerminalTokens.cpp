// Issue, redeem and expiry of the web terminal's tokens.
#include "service/domain/TerminalTokens.h"

#include "common/Random.h"

#include <openssl/crypto.h>

namespace cove::domain {

namespace {
constexpr std::size_t kIdBytes = 8;
constexpr std::size_t kSecretBytes = 32;

// The id part of "<id>.<secret>", or nothing when the token has not that shape.
std::optional<std::pair<std::string, std::string>> split(const std::string& token) {
    const auto dot = token.find('.');
    if (dot != kIdBytes * 2 || token.size() != dot + 1 + kSecretBytes * 2)
        return std::nullopt;
    return std::make_pair(token.substr(0, dot), token.substr(dot + 1));
}
} // namespace

std::string TerminalTokens::mint(Grant grant) {
    purge();
    std::string id = randomHex(kIdBytes);
    std::string secret = randomHex(kSecretBytes);
    std::string token = id + "." + secret;
    m_grants.emplace(std::move(id), std::make_pair(std::move(secret), std::move(grant)));
    return token;
}

TerminalTokens::Issued TerminalTokens::issue(const std::string& sandboxId, const Principal& who) {
    const TimePoint expires = m_clock.now() + kOpenWindow;
    return {mint({sandboxId, who, {}, expires}), expires};
}

std::string TerminalTokens::issueResume(const std::string& sandboxId, const Principal& who,
                                        const std::string& ptyId) {
    return mint({sandboxId, who, ptyId, TimePoint::max()});
}

std::optional<TerminalTokens::Grant> TerminalTokens::redeem(const std::string& token,
                                                            const std::string& sandboxId) {
    const auto parts = split(token);
    if (!parts)
        return std::nullopt;
    const auto it = m_grants.find(parts->first);
    if (it == m_grants.end())
        return std::nullopt;
    const std::string& secret = it->second.first;
    if (CRYPTO_memcmp(secret.data(), parts->second.data(), secret.size()) != 0)
        return std::nullopt;
    Grant grant = it->second.second;
    // A resume token is good only once its own terminal has let go of the shell.
    if (grant.sandboxId != sandboxId || grant.expiresAt == TimePoint::max() ||
        m_clock.now() > grant.expiresAt)
        return std::nullopt;
    m_grants.erase(it);
    return grant;
}

void TerminalTokens::release(const std::string& token) {
    if (const auto parts = split(token))
        if (const auto it = m_grants.find(parts->first); it != m_grants.end())
            it->second.second.expiresAt = m_clock.now() + kResumeWindow;
}

bool TerminalTokens::pending(const std::string& token) const {
    const auto parts = split(token);
    return parts && m_grants.count(parts->first) > 0;
}

void TerminalTokens::revoke(const std::string& token) {
    if (const auto parts = split(token))
        m_grants.erase(parts->first);
}

void TerminalTokens::purge() {
    const TimePoint now = m_clock.now();
    std::erase_if(m_grants, [&](const auto& g) { return g.second.second.expiresAt < now; });
}

} // namespace cove::domain
