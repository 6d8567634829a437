// The SQL of audit_log.
#include "service/store/AuditRepository.h"

#include "service/store/Columns.h"

namespace cove::store {

namespace {

constexpr const char* kAuditSelect =
    "SELECT a.id, a.organization_id, a.actor_key_id, a.actor_name, k.key_prefix, k.key_suffix, a.action, "
    "a.target_type, a.target_id, a.status_code, a.error_message, a.source, a.ip, a.user_agent, a.created_at "
    "FROM audit_log a LEFT JOIN api_keys k ON k.id = a.actor_key_id";

AuditRecord auditOf(const Row& r) {
    return {r[0].asInt(),   optText(r[1]),  optText(r[2]),  optText(r[3]),  optText(r[4]),
            optText(r[5]),  r[6].asText(),  optText(r[7]),  optText(r[8]),  optInt(r[9]),
            optText(r[10]), optText(r[11]), optText(r[12]), optText(r[13]), r[14].asInt()};
}

// The WHERE clause of a filter, its parameters appended to `args`; the cursor only when `withCursor`.
std::string whereOf(const AuditFilter& f, bool withCursor, std::vector<Value>& args) {
    std::string w = " WHERE a.organization_id = ?";
    args.emplace_back(f.organizationId);
    const auto add = [&](const char* clause, Value v) {
        w += clause;
        args.push_back(std::move(v));
    };
    if (f.fromMs)
        add(" AND a.created_at >= ?", *f.fromMs);
    if (f.toMs)
        add(" AND a.created_at <= ?", *f.toMs);
    if (!f.action.empty())
        add(" AND a.action = ?", f.action);
    if (!f.targetType.empty())
        add(" AND a.target_type = ?", f.targetType);
    if (!f.targetId.empty())
        add(" AND a.target_id = ?", f.targetId);
    if (!f.actorName.empty())
        add(" AND a.actor_name = ?", f.actorName);
    switch (f.outcome) {
    case AuditFilter::Outcome::Any:
        break;
    case AuditFilter::Outcome::Success:
        w += " AND a.status_code < 400";
        break;
    case AuditFilter::Outcome::Error:
        w += " AND a.status_code >= 400";
        break;
    case AuditFilter::Outcome::Status:
        add(" AND a.status_code = ?", f.status);
        break;
    }
    if (withCursor && f.beforeId > 0)
        add(" AND a.id < ?", f.beforeId);
    return w;
}

} // namespace

std::int64_t AuditRepository::insert(const AuditRecord& r) {
    return m_db
        .query("INSERT INTO audit_log (organization_id, actor_key_id, actor_name, action, target_type, "
               "target_id, status_code, error_message, source, ip, user_agent, created_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
               {nullable(r.organizationId), nullable(r.actorKeyId), nullable(r.actorName), r.action,
                nullable(r.targetType), nullable(r.targetId), nullable(r.statusCode),
                nullable(r.errorMessage), nullable(r.source), nullable(r.ip), nullable(r.userAgent),
                r.createdAt})
        .at(0)
        .at(0)
        .asInt();
}

void AuditRepository::setOutcome(std::int64_t id, std::int64_t status,
                                 const std::optional<std::string>& error) {
    m_db.exec("UPDATE audit_log SET status_code = ?, error_message = ? WHERE id = ?",
              {status, nullable(error), id});
}

std::optional<AuditRecord> AuditRepository::find(std::int64_t id) {
    const auto r = m_db.queryOne(std::string(kAuditSelect) + " WHERE a.id = ?", {id});
    return r ? std::optional<AuditRecord>(auditOf(*r)) : std::nullopt;
}

std::int64_t AuditRepository::count(const AuditFilter& f) {
    std::vector<Value> args;
    const std::string w = whereOf(f, false, args);
    return m_db.queryOne("SELECT COUNT(*) FROM audit_log a" + w, args)->at(0).asInt();
}

std::vector<AuditRecord> AuditRepository::page(const AuditFilter& f, int limit, std::int64_t offset) {
    std::vector<Value> args;
    const std::string w = whereOf(f, true, args);
    args.emplace_back(limit);
    args.emplace_back(offset);
    std::vector<AuditRecord> out;
    for (const auto& r : m_db.query(kAuditSelect + w + " ORDER BY a.id DESC LIMIT ? OFFSET ?", args))
        out.push_back(auditOf(r));
    return out;
}

void AuditRepository::pruneBefore(std::int64_t atMs) {
    m_db.exec("DELETE FROM audit_log WHERE created_at < ?", {atMs});
}

} // namespace cove::store
