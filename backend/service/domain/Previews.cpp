// Preview links and what the preview proxy asks of the store: URLs in both forms, preview tokens (one per
// port), signed preview tokens, the browser's auth cookie, and the activity a preview request counts as.
//
// A signed preview token is 56 lowercase hex digits, so it fits a host name label ("3000-<token>.localhost"
// stays under 63 characters, and host names are case-blind): the sandbox id (32), the expiry in Unix
// seconds (8) and the first 8 bytes of HMAC-SHA256(signing key, "v1:preview:<id>:<port>:<expiry>") (16).
// It needs no table; rotating the sandbox's signing key voids every one, expire() revokes one.
#include "service/domain/SandboxService.h"

#include "service/domain/Crypto.h"
#include "service/domain/SandboxRow.h"
#include "service/domain/Validate.h"

#include "common/Random.h"

#include <cstdio>

namespace cove::domain {

namespace {

constexpr std::size_t kIdHex = 32, kExpiryHex = 8, kMacHex = 16;
constexpr std::size_t kSignedTokenLength = kIdHex + kExpiryHex + kMacHex;
// Daytona's bounds for signed preview URLs: a minute unless asked, at most a day.
constexpr int kSignedDefaultSeconds = 60;
constexpr int kSignedMaxSeconds = 24 * 3600;

std::string hmacHex(const std::string& key, const std::string& message, std::size_t hexDigits) {
    return toHex(hmacSha256(key, message)).substr(0, hexDigits);
}

bool isLowerHex(std::string_view s) {
    return s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

std::string expiryHex(std::int64_t unixSeconds) {
    char buf[kExpiryHex + 1];
    std::snprintf(buf, sizeof buf, "%08llx", static_cast<unsigned long long>(unixSeconds));
    return buf;
}

// The two addresses of a preview: by path on coved's own address (any client), and by host name
// "<port>-<id>.localhost:<coved port>" (browsers resolve *.localhost to this machine; apps that use
// absolute paths need it). No host form when coved is reached by a non-loopback address: that name
// would point at the client's own machine.
std::pair<std::string, std::string> previewAddresses(const std::string& base, const std::string& idOrToken,
                                                     int port) {
    const std::string p = std::to_string(port);
    const std::string pathUrl = base + "/preview/" + idOrToken + "/" + p + "/";
    constexpr std::string_view scheme = "http://";
    std::string_view hostPort = std::string_view(base).substr(scheme.size());
    const auto colon = hostPort.rfind(':');
    const std::string_view host =
        colon == std::string_view::npos || hostPort.back() == ']' ? hostPort : hostPort.substr(0, colon);
    const std::string_view portSuffix =
        colon == std::string_view::npos || hostPort.back() == ']' ? "" : hostPort.substr(colon);
    const bool ipLiteral = host.find_first_not_of("0123456789.") == std::string_view::npos ||
                           (!host.empty() && host.front() == '[');
    const bool loopback = host == "localhost" || host.rfind("127.", 0) == 0 || host == "[::1]";
    if (ipLiteral && !loopback)
        return {pathUrl, {}};
    const std::string domain = loopback ? "localhost" : std::string(host);
    return {pathUrl, "http://" + p + "-" + idOrToken + "." + domain + std::string(portSuffix) + "/"};
}

int previewPort(const std::string& port) {
    return validate::intParam(port, "port", 1, 65535);
}

// Preview tokens are 48 hex digits derived from the sandbox's preview key: one per port, and one for
// the toolbox's WebSockets (the SDK fetches it as port 1's token).
constexpr std::size_t kPreviewTokenHex = 48;
constexpr int kToolboxSocketsPort = 1;

std::string portToken(const std::string& key, const std::string& id, int port) {
    return hmacHex(key, "v1:preview-token:" + id + ":" + std::to_string(port), kPreviewTokenHex);
}

std::string socketsToken(const std::string& key, const std::string& id) {
    return hmacHex(key, "v1:toolbox-sockets:" + id, kPreviewTokenHex);
}

} // namespace

json SandboxService::previewUrl(const std::string& idOrName, const std::string& port, const Caller& caller) {
    const int p = previewPort(port);
    SandboxRow r = require(idOrName, caller);
    if (!r.previewKey) {
        r.previewKey = randomHex(32);
        m_repo.setPreviewKey(r.id, *r.previewKey);
    }
    const std::string& key = *r.previewKey;
    // The toolbox's WebSockets run commands: only a caller that may change the sandbox gets that grant.
    const bool sockets = p == kToolboxSocketsPort && caller.who.hasScope(kWriteSandboxes);
    const auto [pathUrl, hostUrl] =
        previewAddresses(caller.baseUrl.empty() ? m_baseUrl : caller.baseUrl, r.id, p);
    json out{{"sandboxId", r.id},
             {"url", pathUrl},
             {"token", sockets ? socketsToken(key, r.id) : portToken(key, r.id, p)}};
    if (!hostUrl.empty())
        out["hostUrl"] = hostUrl;
    return out;
}

json SandboxService::signedPreviewUrl(const std::string& idOrName, const std::string& port,
                                      const std::string& expires, const Caller& caller) {
    const int p = previewPort(port);
    const int seconds = expires.empty()
                            ? kSignedDefaultSeconds
                            : validate::intParam(expires, "expiresInSeconds", 1, kSignedMaxSeconds);
    const std::string key = signingKey(idOrName, caller, false).get<std::string>();
    const SandboxRow r = require(idOrName, caller);
    std::string id = r.id;
    std::erase(id, '-');
    const std::string expiry = expiryHex(toMillis(m_clock.now()) / 1000 + seconds);
    const std::string token =
        id + expiry + hmacHex(key, "v1:preview:" + r.id + ":" + std::to_string(p) + ":" + expiry, kMacHex);
    const auto [pathUrl, hostUrl] =
        previewAddresses(caller.baseUrl.empty() ? m_baseUrl : caller.baseUrl, token, p);
    json out{{"sandboxId", r.id}, {"port", p}, {"token", token}, {"url", pathUrl}};
    if (!hostUrl.empty())
        out["hostUrl"] = hostUrl;
    return out;
}

void SandboxService::expireSignedPreviewUrl(const std::string& idOrName, const std::string& port,
                                            const std::string& token, const Caller& caller) {
    const int p = previewPort(port);
    SandboxRow r = require(idOrName, caller);
    if (verifySignedPreviewToken(token, p) != r.id)
        throw DomainError::notFound("No live signed preview URL of sandbox '" + r.name + "' for port " +
                                    std::to_string(p) + " has that token.");
    // Revoked tokens are kept until they would have expired anyway.
    const std::int64_t now = toMillis(m_clock.now()) / 1000;
    std::vector<std::string> kept{token};
    for (const auto& t : r.revokedPreviewTokens)
        if (t.size() == kSignedTokenLength && isLowerHex(t) &&
            std::stoll(t.substr(kIdHex, kExpiryHex), nullptr, 16) >= now)
            kept.push_back(t);
    m_db.transaction([&] {
        m_repo.setRevokedPreviewTokens(r.id, kept);
        audit(&caller, "update", "sandbox", r.id, 200);
    });
}

std::optional<std::string> SandboxService::verifySignedPreviewToken(const std::string& token, int port) {
    if (token.size() != kSignedTokenLength || !isLowerHex(token))
        return std::nullopt;
    const std::string hex = token.substr(0, kIdHex);
    const std::string id = hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
                           hex.substr(16, 4) + "-" + hex.substr(20);
    const std::string expiry = token.substr(kIdHex, kExpiryHex);
    if (std::stoll(expiry, nullptr, 16) < toMillis(m_clock.now()) / 1000)
        return std::nullopt;
    const auto r = m_repo.findLive(id);
    if (!r || !r->signingKey)
        return std::nullopt;
    const std::string expected =
        hmacHex(*r->signingKey, "v1:preview:" + id + ":" + std::to_string(port) + ":" + expiry, kMacHex);
    if (!equalConstantTime(expected, token.substr(kIdHex + kExpiryHex)))
        return std::nullopt;
    const auto& revoked = r->revokedPreviewTokens;
    if (std::find(revoked.begin(), revoked.end(), token) != revoked.end())
        return std::nullopt;
    return id;
}

std::optional<SandboxService::PreviewSandbox> SandboxService::previewSandbox(const std::string& id,
                                                                             bool countActivity) {
    const auto found = m_repo.findLive(id);
    if (!found || isPoolMember(id))
        return std::nullopt;
    const SandboxRow& r = *found;
    PreviewSandbox out{r.id,
                       r.name,
                       r.organizationId,
                       toString(reportedState(r.state, r.desiredState)),
                       containerName(r),
                       r.isPublic};
    if (countActivity && out.state == toString(SandboxState::Started))
        noteActivity(r);
    return out;
}

std::optional<std::string> SandboxService::previewKeyOf(const std::string& sandboxId) {
    const auto r = m_repo.findLive(sandboxId);
    if (!r || !r->previewKey || r->previewKey->empty())
        return std::nullopt;
    return r->previewKey;
}

bool SandboxService::verifyPreviewToken(const std::string& sandboxId, int port, const std::string& token) {
    if (token.size() != kPreviewTokenHex)
        return false;
    const auto key = previewKeyOf(sandboxId);
    if (!key)
        return false;
    return equalConstantTime(portToken(*key, sandboxId, port), token) ||
           (port == kToolboxSocketsPort && equalConstantTime(socketsToken(*key, sandboxId), token));
}

std::optional<Principal> SandboxService::verifyToolboxSocketToken(const std::string& sandboxId,
                                                                  const std::string& token) {
    if (token.size() != kPreviewTokenHex)
        return std::nullopt;
    const auto key = previewKeyOf(sandboxId);
    if (!key || !equalConstantTime(socketsToken(*key, sandboxId), token))
        return std::nullopt;
    const auto org = m_repo.organizationOf(sandboxId);
    if (!org)
        return std::nullopt;
    Principal who{"preview:" + sandboxId, "preview token", *org, {kWriteSandboxes}};
    who.grant.kind = Principal::Grant::Kind::ToolboxSockets;
    return who;
}

// The cookie a browser gets for a preview token: "<expiry>.<mac>", keyed with the sandbox's preview key
// and bound to the port, so it ends when it says it does, opens no other port and never reveals a token.
std::string SandboxService::previewCookie(const std::string& sandboxId, int port,
                                          std::int64_t maxAgeSeconds) {
    const auto key = previewKeyOf(sandboxId);
    if (!key)
        return {};
    const std::string expiry = expiryHex(toMillis(m_clock.now()) / 1000 + maxAgeSeconds);
    return expiry + "." +
           hmacHex(*key, "v1:preview-cookie:" + sandboxId + ":" + std::to_string(port) + ":" + expiry, 32);
}

bool SandboxService::verifyPreviewCookie(const std::string& sandboxId, int port, const std::string& value) {
    if (value.size() != kExpiryHex + 1 + 32 || value[kExpiryHex] != '.' ||
        !isLowerHex(value.substr(0, kExpiryHex)))
        return false;
    const std::string expiry = value.substr(0, kExpiryHex);
    if (std::stoll(expiry, nullptr, 16) < toMillis(m_clock.now()) / 1000)
        return false;
    const auto key = previewKeyOf(sandboxId);
    if (!key)
        return false;
    return equalConstantTime(
        hmacHex(*key, "v1:preview-cookie:" + sandboxId + ":" + std::to_string(port) + ":" + expiry, 32),
        value.substr(kExpiryHex + 1));
}

} // namespace cove::domain
