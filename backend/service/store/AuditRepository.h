// The audit log (audit_log): appended, its outcome corrected, read back filtered and paged, pruned.
#pragma once

#include "service/store/Store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cove::store {

struct AuditRecord {
    std::int64_t id = 0;                              // assigned by insert()
    std::optional<std::string> organizationId;        // none: about no organization (a refused key)
    std::optional<std::string> actorKeyId, actorName; // none: the service itself
    std::optional<std::string> keyPrefix, keySuffix;  // of the actor's key, when it is known (read only)
    std::string action;
    std::optional<std::string> targetType, targetId;
    std::optional<std::int64_t> statusCode;
    std::optional<std::string> errorMessage, source, ip, userAgent;
    std::int64_t createdAt = 0; // ms since the epoch
};

struct AuditFilter {
    enum class Outcome { Any, Success, Error, Status };
    std::string organizationId;
    std::optional<std::int64_t> fromMs, toMs;
    // Empty: any.
    std::string action, targetType, targetId, actorName;
    Outcome outcome = Outcome::Any; // Success: status < 400; Error: >= 400; Status: exactly `status`
    std::int64_t status = 0;
    std::int64_t beforeId = 0; // cursor for pages: rows with a smaller id (0: from the newest)
};

class AuditRepository {
public:
    explicit AuditRepository(Database& db)
        : m_db(db) {}

    // Returns the new row's id.
    std::int64_t insert(const AuditRecord& r);
    void setOutcome(std::int64_t id, std::int64_t status, const std::optional<std::string>& error);
    std::optional<AuditRecord> find(std::int64_t id);
    // Rows matching the filter, its cursor left out.
    std::int64_t count(const AuditFilter& f);
    // Newest first.
    std::vector<AuditRecord> page(const AuditFilter& f, int limit, std::int64_t offset);
    void pruneBefore(std::int64_t atMs);

private:
    Database& m_db;
};

} // namespace cove::store
