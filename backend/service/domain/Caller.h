// Who asks the domain to act, and what they may do: the API key (or narrower grant) behind a request,
// with what the audit log records about it. The HTTP layer makes these; the domain only reads them.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cove::domain {

using boost::asio::awaitable;

// Scopes, as Daytona names them.
inline constexpr const char* kWriteSandboxes = "write:sandboxes";
inline constexpr const char* kDeleteSandboxes = "delete:sandboxes";
inline constexpr const char* kReadAuditLogs = "read:audit_logs";
inline constexpr const char* kWriteSnapshots = "write:snapshots";
inline constexpr const char* kDeleteSnapshots = "delete:snapshots";
inline constexpr const char* kReadVolumes = "read:volumes";
inline constexpr const char* kWriteVolumes = "write:volumes";
inline constexpr const char* kDeleteVolumes = "delete:volumes";
inline constexpr const char* kWriteRegistries = "write:registries";
inline constexpr const char* kDeleteRegistries = "delete:registries";
inline constexpr const char* kManageSecrets = "manage:secrets";

// Who is calling: the API key that authenticated the request.
struct Principal {
    std::string keyId;
    std::string keyName;
    std::string organizationId;
    std::vector<std::string> scopes; // "*" grants every scope
    std::int64_t expiresAt = 0;      // ms since the epoch; 0: never
    // A proof of access narrower than a key: a signed file URL opens exactly one operation on one path
    // (and the request forwarded is rebuilt from these, never from what the client wrote); a port-1
    // preview token opens the toolbox's WebSockets only.
    struct Grant {
        enum class Kind { Key, SignedFile, ToolboxSockets } kind = Kind::Key;
        std::string operation; // SignedFile: "/files/download" or "/files/upload-v2"
        std::string path;      // SignedFile: the signed path
    } grant = {};
    // The key's first and last characters, as the audit log shows them (empty for what is not a key).
    std::string keyPrefix, keySuffix;
    bool hasScope(const std::string& s) const {
        return std::any_of(scopes.begin(), scopes.end(),
                           [&](const std::string& x) { return x == "*" || x == s; });
    }
};

// The audit row a request wrote, if its handler recorded one itself (inside the transaction of the
// change); the HTTP layer writes the row of every other mutating request, and corrects the outcome of
// one whose change failed after it was recorded.
struct AuditTrail {
    std::int64_t rowId = 0;
    int status = 0;
};

// Who calls and how they reached us: enough for a service method to act, audit and answer.
struct Caller {
    Principal who;
    std::string ip;
    std::string baseUrl;   // scheme://host:port the client used, for URLs handed back to it
    std::string source;    // sdk, dashboard, cli or api
    std::string userAgent; // as sent, bounded
    AuditTrail* trail = nullptr;
};

// A list request's filters, sorting and paging, as decoded query parameters (a key may repeat).
struct ListQuery {
    std::multimap<std::string, std::string> params;

    std::optional<std::string> value(const std::string& key) const {
        const auto it = params.find(key);
        return it == params.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    // Every value of a repeated key; a value may also hold several, separated by commas.
    std::vector<std::string> values(const std::string& key) const {
        std::vector<std::string> out;
        const auto [b, e] = params.equal_range(key);
        for (auto it = b; it != e; ++it) {
            std::string_view v = it->second;
            while (!v.empty()) {
                const auto comma = v.find(',');
                if (const auto part = v.substr(0, comma); !part.empty())
                    out.emplace_back(part);
                v = comma == std::string_view::npos ? std::string_view() : v.substr(comma + 1);
            }
        }
        return out;
    }
};

} // namespace cove::domain
