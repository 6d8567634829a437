// Signed file URLs, as the SDK uses them. Signed file URLs (downloadUrl, uploadUrl): each
// sandbox has a signing key the SDK fetches with an API key; a URL carries path, expiry and "v1_" +
// base64url(HMAC-SHA256(key, "v1:files:<METHOD>:<path>:<expires>")), and opens that one file operation
// without a key.
#include "service/domain/SandboxService.h"

#include "service/domain/Crypto.h"
#include "service/domain/SandboxRow.h"

#include "common/Random.h"

namespace cove::domain {

namespace {

std::string base64url(const unsigned char* data, std::size_t n) {
    static constexpr char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < n; i += 3) {
        const unsigned v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        out += {abc[v >> 18], abc[(v >> 12) & 63], abc[(v >> 6) & 63], abc[v & 63]};
    }
    if (i + 1 == n) {
        const unsigned v = data[i] << 16;
        out += {abc[v >> 18], abc[(v >> 12) & 63]};
    } else if (i + 2 == n) {
        const unsigned v = (data[i] << 16) | (data[i + 1] << 8);
        out += {abc[v >> 18], abc[(v >> 12) & 63], abc[(v >> 6) & 63]};
    }
    return out;
}

} // namespace

std::string SandboxService::fileUrlSignature(const std::string& key, const std::string& method,
                                             const std::string& path, const std::string& expires) {
    const std::string canonical = "v1:files:" + method + ":" + path + ":" + expires;
    const std::string digest = hmacSha256(key, canonical);
    return "v1_" + base64url(reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
}

json SandboxService::signingKey(const std::string& idOrName, const Caller& caller, bool rotate) {
    SandboxRow r = require(idOrName, caller);
    if (!rotate && r.signingKey)
        return *r.signingKey;
    // A new key invalidates every URL signed with the old one; rotating also makes a new preview key, so
    // every preview token handed out before stops working too.
    r.signingKey = randomHex(32);
    m_db.transaction([&] {
        m_repo.setSigningKey(r.id, *r.signingKey);
        if (rotate) {
            m_repo.setPreviewKey(r.id, randomHex(32));
            audit(&caller, "update", "sandbox", r.id, 200);
        }
    });
    return *r.signingKey;
}

std::optional<Principal> SandboxService::verifySignedUrl(const std::string& sandboxId,
                                                         const std::string& method,
                                                         const std::string& operation,
                                                         const std::string& path, const std::string& expires,
                                                         const std::string& signature) {
    if (operation != (method == "GET"    ? "/files/download"
                      : method == "POST" ? "/files/upload-v2"
                                         : "") ||
        path.empty() || signature.size() > 128 || expires.empty() || expires.size() > 12 ||
        expires.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    const auto r = m_repo.findLive(sandboxId);
    if (!r || !r->signingKey)
        return std::nullopt;
    const std::string expected = fileUrlSignature(*r->signingKey, method, path, expires);
    if (!equalConstantTime(expected, signature))
        return std::nullopt;
    const std::int64_t until = std::stoll(expires);
    if (until != 0 && toMillis(m_clock.now()) / 1000 > until)
        return std::nullopt; // 0 never expires, as the SDK documents
    Principal who{"signed:" + sandboxId, "signed URL", r->organizationId, {}};
    if (method == "POST")
        who.scopes = {kWriteSandboxes};
    who.grant = {Principal::Grant::Kind::SignedFile, operation, path};
    return who;
}

} // namespace cove::domain
