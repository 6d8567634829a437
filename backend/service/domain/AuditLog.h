// The audit log: one append-only row per mutating request, per refused credential and per change the
// service makes on its own; read back with filters and cursor pages, or exported as CSV or JSON.
#pragma once

#include "common/ApiError.h"
#include "common/Time.h"
#include "service/domain/Caller.h"
#include "service/store/Store.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>

namespace cove::domain {

using nlohmann::json;

struct AuditEntry {
    std::string organizationId;       // empty: about no organization (a refused key)
    std::string keyId, keyName;       // empty: the service itself
    std::string keyPrefix, keySuffix; // of the key's secret, as Principal has them; empty: none
    std::string action, targetType, targetId;
    int status = 200;
    std::string error;
    std::string source; // sdk, dashboard, cli, api or system
    std::string ip, userAgent;
};

struct AuditQuery {
    std::optional<std::int64_t> fromMs, toMs;
    std::string action, targetType, targetId, actor;
    std::string outcome;     // "success" (status < 400), "error", or a status code
    std::int64_t before = 0; // cursor: rows with a smaller id (0: from the newest)
    int page = 1;
    int limit = 100;
};

class AuditLog {
public:
    AuditLog(store::Database& db, const Clock& clock)
        : m_db(db)
        , m_clock(clock) {}

    // Appends a row (inside the caller's transaction, if any) and announces it; returns its id.
    std::int64_t write(const AuditEntry& e);
    // A row by an API caller, its id noted in the caller's trail (so the request is not recorded twice).
    std::int64_t record(const Caller& caller, const std::string& action, const std::string& targetType,
                        const std::string& targetId, int status, const std::string& error = {});
    // The request that wrote `row` ended otherwise than the row says (a failure after the change was
    // recorded): the row gets the final outcome.
    void setOutcome(std::int64_t row, int status, const std::string& error);

    // Daytona's PaginatedAuditLogs {items, total, page, totalPages, nextToken}.
    json query(const std::string& organizationId, const AuditQuery& q);
    // Every matching row, newest first (at most kMaxExport), as CSV with a header line or a JSON array.
    std::string exportCsv(const std::string& organizationId, const AuditQuery& q);
    json exportJson(const std::string& organizationId, const AuditQuery& q);
    // Removes rows older than the retention; 0 keeps everything.
    void prune(std::int64_t retentionMs);

    using Publish =
        std::function<void(const std::string& organizationId, const std::string& event, const json&)>;
    void onEvent(Publish publish) { m_publish = std::move(publish); }

    static constexpr int kMaxLimit = 1000;
    static constexpr int kMaxExport = 100000;

private:
    std::vector<json> rows(const std::string& organizationId, const AuditQuery& q, int limit, int offset);

    store::Database& m_db;
    const Clock& m_clock;
    Publish m_publish;
};

} // namespace cove::domain
