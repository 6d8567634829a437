// Audit rows: written by the service inside the transactions of the changes they record, or by the
// HTTP layer for requests refused before any change.
#include "service/domain/AuditLog.h"

#include <iterator>

namespace cove::domain {

namespace {

constexpr const char* kColumns =
    "a.id, a.actor_key_id, a.actor_name, k.key_prefix, k.key_suffix, a.organization_id, a.action, "
    "a.target_type, a.target_id, a.status_code, a.error_message, a.ip, a.user_agent, a.source, a.created_at";

store::Value orNull(const std::string& s) {
    return s.empty() ? store::Value() : store::Value(s);
}

json textOrNull(const store::Value& v) {
    return v.isNull() ? json(nullptr) : json(v.asText());
}

json toDto(const store::Row& r) {
    return {{"id", std::to_string(r[0].asInt())},
            {"actorId", r[1].isNull() ? "system" : r[1].asText()},
            {"actorEmail", r[2].isNull() ? "system" : r[2].asText()},
            {"actorApiKeyPrefix", textOrNull(r[3])},
            {"actorApiKeySuffix", textOrNull(r[4])},
            {"organizationId", textOrNull(r[5])},
            {"action", r[6].asText()},
            {"targetType", textOrNull(r[7])},
            {"targetId", textOrNull(r[8])},
            {"statusCode", r[9].isNull() ? json(nullptr) : json(r[9].asInt())},
            {"errorMessage", textOrNull(r[10])},
            {"ipAddress", textOrNull(r[11])},
            {"userAgent", textOrNull(r[12])},
            {"source", textOrNull(r[13])},
            {"metadata", json::object()},
            {"createdAt", toIso8601(fromMillis(r[14].asInt()))}};
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
    const auto at = toMillis(m_clock.now());
    const std::int64_t id =
        m_db.queryOne(
                "INSERT INTO audit_log (organization_id, actor_key_id, actor_name, action, target_type, "
                "target_id, status_code, error_message, source, ip, user_agent, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                {orNull(e.organizationId), orNull(e.keyId), orNull(e.keyName), e.action, orNull(e.targetType),
                 orNull(e.targetId), e.status, orNull(e.error), orNull(e.source), orNull(e.ip),
                 orNull(e.userAgent), at})
            ->at(0)
            .asInt();
    // The dashboard's audit page updates live. Rows about no organization (refused keys) reach nobody.
    if (m_publish && !e.organizationId.empty()) {
        const auto row = m_db.queryOne(std::string("SELECT ") + kColumns +
                                           " FROM audit_log a LEFT JOIN api_keys k ON k.id = a.actor_key_id "
                                           "WHERE a.id = ?",
                                       {id});
        if (row)
            m_publish(e.organizationId, "audit.created", toDto(*row));
    }
    return id;
}

std::int64_t AuditLog::record(const Caller& caller, const std::string& action, const std::string& targetType,
                              const std::string& targetId, int status, const std::string& error) {
    AuditEntry e;
    e.organizationId = caller.who.organizationId;
    e.keyId = caller.who.keyId;
    e.keyName = caller.who.keyName;
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
    m_db.exec("UPDATE audit_log SET status_code = ?, error_message = ? WHERE id = ?",
              {status, orNull(error), row});
}

std::string AuditLog::where(const std::string& organizationId, const AuditQuery& q,
                            std::vector<store::Value>& args) {
    std::string w = " WHERE a.organization_id = ?";
    args.push_back(organizationId);
    const auto add = [&](const char* clause, store::Value v) {
        w += clause;
        args.push_back(std::move(v));
    };
    if (q.fromMs)
        add(" AND a.created_at >= ?", *q.fromMs);
    if (q.toMs)
        add(" AND a.created_at <= ?", *q.toMs);
    if (!q.action.empty())
        add(" AND a.action = ?", q.action);
    if (!q.targetType.empty())
        add(" AND a.target_type = ?", q.targetType);
    if (!q.targetId.empty())
        add(" AND a.target_id = ?", q.targetId);
    if (!q.actor.empty())
        add(" AND a.actor_name = ?", q.actor);
    if (q.outcome == "success")
        w += " AND a.status_code < 400";
    else if (q.outcome == "error")
        w += " AND a.status_code >= 400";
    else if (!q.outcome.empty())
        add(" AND a.status_code = ?", static_cast<std::int64_t>(std::stoll(q.outcome)));
    return w;
}

std::vector<json> AuditLog::rows(const std::string& organizationId, const AuditQuery& q, int limit,
                                 int offset) {
    std::vector<store::Value> args;
    std::string w = where(organizationId, q, args);
    if (q.before > 0) {
        w += " AND a.id < ?";
        args.push_back(q.before);
    }
    args.push_back(static_cast<std::int64_t>(limit));
    args.push_back(static_cast<std::int64_t>(offset));
    std::vector<json> out;
    for (const auto& r : m_db.query(std::string("SELECT ") + kColumns +
                                        " FROM audit_log a LEFT JOIN api_keys k ON k.id = a.actor_key_id" +
                                        w + " ORDER BY a.id DESC LIMIT ? OFFSET ?",
                                    args))
        out.push_back(toDto(r));
    return out;
}

json AuditLog::query(const std::string& organizationId, const AuditQuery& q) {
    std::vector<store::Value> args;
    const std::string w = where(organizationId, q, args);
    const auto total = m_db.queryOne("SELECT COUNT(*) FROM audit_log a" + w, args)->at(0).asInt();
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
        m_db.exec("DELETE FROM audit_log WHERE created_at < ?", {toMillis(m_clock.now()) - retentionMs});
}

} // namespace cove::domain
