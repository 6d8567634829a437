#include "service/domain/SshAccess.h"

#include "common/Random.h"
#include "service/domain/Config.h"
#include "service/domain/Crypto.h"
#include "service/domain/DomainError.h"
#include "service/domain/SandboxService.h"
#include "service/store/KeyRepository.h"

#include <charconv>
#include <cmath>

namespace cove::domain {

namespace {

// Tokens are 48 hex digits (192 bits): any SSH client takes them as a user name.
constexpr std::size_t kTokenBytes = 24;
// Longer "tokens" are not looked up at all.
constexpr std::size_t kMaxTokenLength = 128;

int minutesOf(const std::optional<std::string>& text) {
    if (!text || text->empty())
        return SshLimits::kDefaultExpiryMinutes;
    double v = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || end != text->data() + text->size() || !std::isfinite(v) || v < 1 ||
        v > SshLimits::kMaxExpiryMinutes)
        throw DomainError::invalid("'expiresInMinutes' must be a number of minutes from 1 to " +
                                   std::to_string(SshLimits::kMaxExpiryMinutes) + ".");
    return static_cast<int>(v);
}

} // namespace

std::string SshAccess::hashOf(const std::string& token) {
    return toHex(sha256(token));
}

nlohmann::json SshAccess::create(const std::string& idOrName, const std::optional<std::string>& minutes,
                                 const Caller& caller) {
    const int expiry = minutesOf(minutes);
    const nlohmann::json sandbox = m_sandboxes.get(idOrName, caller); // 404 for another organization's
    const std::string token = randomHex(kTokenBytes);
    const auto now = toMillis(m_clock.now());
    store::SshAccessRecord r;
    r.id = uuidV4();
    r.sandboxId = sandbox.value("id", "");
    r.organizationId = caller.who.organizationId;
    r.keyId = caller.who.keyId;
    r.tokenHash = hashOf(token);
    r.createdAt = r.updatedAt = now;
    r.expiresAt = now + std::int64_t(expiry) * 60'000;
    m_repo.insert(r);
    // Expired and long-revoked rows go as new ones come: the table holds what can still be used.
    m_repo.purge(now);
    std::string command;
    if (gatewayOn())
        command = "ssh -p " + std::to_string(m_port) + " " + token + "@" + m_host;
    return {{"id", r.id},
            {"sandboxId", r.sandboxId},
            {"token", token},
            {"expiresAt", toIso8601(fromMillis(r.expiresAt))},
            {"createdAt", toIso8601(fromMillis(r.createdAt))},
            {"updatedAt", toIso8601(fromMillis(r.updatedAt))},
            {"sshCommand", command}};
}

nlohmann::json SshAccess::revoke(const std::string& idOrName, const std::optional<std::string>& token,
                                 const Caller& caller) {
    nlohmann::json sandbox = m_sandboxes.get(idOrName, caller);
    const std::string id = sandbox.value("id", "");
    if (token && !token->empty()) {
        if (token->size() > kMaxTokenLength ||
            m_repo.revoke(id, hashOf(*token), toMillis(m_clock.now())) == 0)
            throw DomainError::notFound("Sandbox '" + sandbox.value("name", id) +
                                        "' has no live SSH access with that token; it may have expired or "
                                        "been revoked already.");
    } else {
        m_repo.revoke(id, std::nullopt, toMillis(m_clock.now()));
    }
    return sandbox;
}

std::optional<store::SshAccessRecord> SshAccess::live(const std::string& token) {
    if (token.empty() || token.size() > kMaxTokenLength)
        return std::nullopt;
    auto r = m_repo.findByHash(hashOf(token));
    if (!r || r->revokedAt || r->expiresAt <= toMillis(m_clock.now()))
        return std::nullopt;
    return r;
}

nlohmann::json SshAccess::validate(const std::string& token, const Caller& caller) {
    const auto r = live(token);
    if (!r || r->organizationId != caller.who.organizationId)
        return {{"valid", false}, {"sandboxId", ""}};
    Caller owner = caller;
    try {
        m_sandboxes.get(r->sandboxId, owner);
    } catch (const DomainError&) {
        return {{"valid", false}, {"sandboxId", ""}}; // its sandbox is gone
    }
    return {{"valid", true}, {"sandboxId", r->sandboxId}};
}

std::optional<SshAccess::Grant> SshAccess::authenticate(const std::string& token) {
    const auto r = live(token);
    if (!r)
        return std::nullopt;
    Grant g;
    g.sandboxId = r->sandboxId;
    g.who.keyId = r->keyId;
    g.who.keyName = "ssh-access";
    // The ends of the key that made the access, as the audit log shows them.
    if (const auto key = store::KeyRepository(m_db).findById(r->keyId)) {
        g.who.keyPrefix = key->keyPrefix;
        g.who.keySuffix = key->keySuffix;
    }
    g.who.organizationId = r->organizationId;
    g.who.scopes = {kWriteSandboxes};
    Caller c;
    c.who = g.who;
    try {
        m_sandboxes.get(r->sandboxId, c);
    } catch (const DomainError&) {
        return std::nullopt;
    }
    return g;
}

void SshAccess::forgetSandbox(const std::string& sandboxId) {
    m_repo.removeSandbox(sandboxId);
}

} // namespace cove::domain
