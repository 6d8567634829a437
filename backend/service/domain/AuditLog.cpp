// Audit rows: written by the service inside the transactions of the changes they record, or by the
// HTTP layer for requests refused before any change.
#include "service/domain/AuditLog.h"

#include "service/store/AuditRepository.h"
#include "service/store/Columns.h"

#include <iterator>

namespace cove::domain {

namespace {

json textOrNull(const std::optional<std::string>& v) {
    return v ? json(*v) : json(nullptr);
}

json toDto(const store::AuditRecord& r) {
    return {{"id", std::to_string(r.id)},
            {"actorId", r.actorKeyId.value_or("system")},
            {"actorEmail", r.actorName.value_or("system")},
            {"actorApiKeyPrefix", textOrNull(r.keyPrefix)},
            {"actorApiKeySuffix", textOrNull(r.keySuffix)},
            {"organizationId", textOrNull(r.organizationId)},
            {"action", r.action},
            {"targetType", textOrNull(r.targetType)},
            {"targetId", textOrNull(r.targetId)},
            {"statusCode", r.statusCode ? json(*r.statusCode) : json(nullptr)},
            {"errorMessage", textOrNull(r.errorMessage)},
            {"ipAddress", textOrNull(r.ip)},
            {"userAgent", textOrNull(r.userAgent)},
            {"source", textOrNull(r.source)},
            {"metadata", json::object()},
            {"createdAt", toIso8601(fromMillis(r.createdAt))}};
}

store::AuditFilter filterOf(const std::string& organizationId, const AuditQuery& q) {
    store::AuditFilter f;
    f.organizationId = organizationId;
    f.fromMs = q.fromMs;
    f.toMs = q.toMs;
    f.action = q.action;
    f.targetType = q.targetType;
    f.targetId = q.targetId;
    f.actorName = q.actor;
    if (q.outcome == "success") {
        f.outcome = store::AuditFilter::Outcome::Success;
    } else if (q.outcome == "error") {
        f.outcome = store::AuditFilter::Outcome::Error;
    } else if (!q.outcome.empty()) {
        f.outcome = store::AuditFilter::Outcome::Status;
        f.status = std::stoll(q.outcome);
    }
    f.beforeId = q.before;
    return f;
}

// One CSV field: quoted when needed, and a leading = + - @ tab or CR neutralised so a spreadsheet does not
// run it as a formula (OWASP's list).
std::string csvField(const json& v) {
    std::string s = v.is_null() ? "" : v.is_string() ? v.get<std::string>() : v.dump();
    if (!s.empty() && std::string_view("=+-@\t\r").find(s[0]) != std::string_view::npos)
        s.insert(s.begin(), '\'');
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + '"';
}

} // namespace

std::int64_t AuditLog::write(const AuditEntry& e) {
    store::AuditRepository audit(m_db);
    store::AuditRecord r;
    r.organizationId = store::nonEmpty(e.organizationId);
    r.actorKeyId = store::nonEmpty(e.keyId);
    r.actorName = store::nonEmpty(e.keyName);
    r.action = e.action;
    r.targetType = store::nonEmpty(e.targetType);
    r.targetId = store::nonEmpty(e.targetId);
    r.statusCode = e.status;
    r.errorMessage = store::nonEmpty(e.error);
    r.source = store::nonEmpty(e.source);
    r.ip = store::nonEmpty(e.ip);
    r.userAgent = store::nonEmpty(e.userAgent);
    r.createdAt = toMillis(m_clock.now());
    r.id = audit.insert(r);
    // The dashboard's audit page updates live. Rows about no organization (refused keys) reach nobody.
    // The event is the row as written, with the key's ends the reading joins in: no read back.
    if (m_publish && !e.organizationId.empty()) {
        r.keyPrefix = store::nonEmpty(e.keyPrefix);
        r.keySuffix = store::nonEmpty(e.keySuffix);
        m_publish(e.organizationId, "audit.created", toDto(r));
    }
    return r.id;
}

std::int64_t AuditLog::record(const Caller& caller, const std::string& action, const std::string& targetType,
                              const std::string& targetId, int status, const std::string& error) {
    AuditEntry e;
    e.organizationId = caller.who.organizationId;
    e.keyId = caller.who.keyId;
    e.keyName = caller.who.keyName;
    e.keyPrefix = caller.who.keyPrefix;
    e.keySuffix = caller.who.keySuffix;
    e.source = caller.source.empty() ? "api" : caller.source;
    e.ip = caller.ip;
    e.userAgent = caller.userAgent;
    e.action = action;
    e.targetType = targetType;
    e.targetId = targetId;
    e.status = status;
    e.error = error;
    const std::int64_t row = write(e);
    if (caller.trail)
        *caller.trail = {row, status};
    return row;
}

void AuditLog::setOutcome(std::int64_t row, int status, const std::string& error) {
    store::AuditRepository(m_db).setOutcome(row, status, store::nonEmpty(error));
}

std::vector<json> AuditLog::rows(const std::string& organizationId, const AuditQuery& q, int limit,
                                 int offset) {
    std::vector<json> out;
    for (const auto& r : store::AuditRepository(m_db).page(filterOf(organizationId, q), limit, offset))
        out.push_back(toDto(r));
    return out;
}

json AuditLog::query(const std::string& organizationId, const AuditQuery& q) {
    const auto total = store::AuditRepository(m_db).count(filterOf(organizationId, q));
    // A cursor takes precedence over the page number, as in Daytona.
    const int offset = q.before > 0 ? 0 : (q.page - 1) * q.limit;
    const auto items = rows(organizationId, q, q.limit, offset);
    json out{{"items", items},
             {"total", total},
             {"page", q.page},
             {"totalPages", (total + q.limit - 1) / q.limit}};
    if (static_cast<int>(items.size()) == q.limit)
        out["nextToken"] = items.back()["id"];
    return out;
}

std::string AuditLog::exportCsv(const std::string& organizationId, const AuditQuery& q) {
    static const char* fields[] = {"createdAt",    "actorEmail", "actorApiKeyPrefix", "actorApiKeySuffix",
                                   "action",       "targetType", "targetId",          "statusCode",
                                   "errorMessage", "source",     "ipAddress",         "userAgent"};
    std::string out;
    for (std::size_t i = 0; i < std::size(fields); ++i)
        out += (i ? "," : "") + std::string(fields[i]);
    out += "\r\n";
    for (const auto& row : rows(organizationId, q, kMaxExport, 0)) {
        for (std::size_t i = 0; i < std::size(fields); ++i)
            out += (i ? "," : "") + csvField(row[fields[i]]);
        out += "\r\n";
    }
    return out;
}

json AuditLog::exportJson(const std::string& organizationId, const AuditQuery& q) {
    return rows(organizationId, q, kMaxExport, 0);
}

void AuditLog::prune(std::int64_t retentionMs) {
    if (retentionMs > 0)
        store::AuditRepository(m_db).pruneBefore(toMillis(m_clock.now()) - retentionMs);
}

} // namespace cove::domain
