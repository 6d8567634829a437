// The SQL of webhook endpoints, messages, deliveries and attempts.
#include "service/store/WebhookRepository.h"

#include "service/store/Columns.h"

namespace cove::store {

namespace {

constexpr const char* kEndpointColumns = "id, organization_id, url, description, event_types, enabled, "
                                         "allow_local, secret, created_at, updated_at";

WebhookEndpointRecord endpointOf(const Row& r) {
    WebhookEndpointRecord e;
    e.id = r[0].asText();
    e.organizationId = r[1].asText();
    e.url = r[2].asText();
    e.description = r[3].asText();
    e.eventTypes = r[4].asText();
    e.enabled = r[5].asInt() != 0;
    e.allowLocal = r[6].asInt() != 0;
    e.secret = r[7].asText();
    e.createdAt = r[8].asInt();
    e.updatedAt = r[9].asInt();
    return e;
}

constexpr const char* kDeliveryColumns =
    "d.id, d.message_id, d.endpoint_id, d.organization_id, d.status, d.attempts, d.next_attempt_at, "
    "d.last_status_code, d.last_error, d.created_at, d.updated_at, m.event_type";

WebhookDeliveryRecord deliveryOf(const Row& r) {
    WebhookDeliveryRecord d;
    d.id = r[0].asText();
    d.messageId = r[1].asText();
    d.endpointId = r[2].asText();
    d.organizationId = r[3].asText();
    d.status = r[4].asText();
    d.attempts = static_cast<int>(r[5].asInt());
    d.nextAttemptAt = optInt(r[6]);
    d.lastStatusCode = optInt(r[7]);
    d.lastError = r[8].asText();
    d.createdAt = r[9].asInt();
    d.updatedAt = r[10].asInt();
    d.eventType = r[11].asText();
    return d;
}

constexpr const char* kAttemptColumns =
    "id, delivery_id, message_id, endpoint_id, organization_id, attempt, status_code, response, error, "
    "duration_ms, next_attempt_at, created_at";

WebhookAttemptRecord attemptOf(const Row& r) {
    WebhookAttemptRecord a;
    a.id = r[0].asInt();
    a.deliveryId = r[1].asText();
    a.messageId = r[2].asText();
    a.endpointId = r[3].asText();
    a.organizationId = r[4].asText();
    a.attempt = static_cast<int>(r[5].asInt());
    a.statusCode = optInt(r[6]);
    a.response = r[7].asText();
    a.error = r[8].asText();
    a.durationMs = r[9].asInt();
    a.nextAttemptAt = optInt(r[10]);
    a.createdAt = r[11].asInt();
    return a;
}

WebhookMessageRecord messageOf(const Row& r) {
    return {r[0].asText(), r[1].asText(), r[2].asText(), r[3].asText(), r[4].asInt()};
}

} // namespace

void WebhookRepository::insertEndpoint(const WebhookEndpointRecord& e) {
    m_db.exec(std::string("INSERT INTO webhook_endpoints (") + kEndpointColumns +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {e.id, e.organizationId, e.url, e.description, e.eventTypes, e.enabled, e.allowLocal, e.secret,
               e.createdAt, e.updatedAt});
}

void WebhookRepository::updateEndpoint(const WebhookEndpointRecord& e) {
    m_db.exec("UPDATE webhook_endpoints SET url = ?, description = ?, event_types = ?, enabled = ?, "
              "allow_local = ?, secret = ?, updated_at = ? WHERE id = ? AND organization_id = ?",
              {e.url, e.description, e.eventTypes, e.enabled, e.allowLocal, e.secret, e.updatedAt, e.id,
               e.organizationId});
}

bool WebhookRepository::removeEndpoint(const std::string& organizationId, const std::string& id) {
    bool removed = false;
    m_db.transaction([&] {
        m_db.exec("DELETE FROM webhook_endpoints WHERE id = ? AND organization_id = ?", {id, organizationId});
        removed = m_db.changes() > 0;
        if (removed)
            m_db.exec("UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, "
                      "last_error = 'The endpoint was deleted.' WHERE endpoint_id = ? AND status = 'pending'",
                      {id});
    });
    return removed;
}

std::optional<WebhookEndpointRecord> WebhookRepository::endpoint(const std::string& organizationId,
                                                                 const std::string& id) {
    const auto r = m_db.queryOne(std::string("SELECT ") + kEndpointColumns +
                                     " FROM webhook_endpoints WHERE id = ? AND organization_id = ?",
                                 {id, organizationId});
    return r ? std::optional(endpointOf(*r)) : std::nullopt;
}

std::optional<WebhookEndpointRecord> WebhookRepository::endpointById(const std::string& id) {
    const auto r = m_db.queryOne(
        std::string("SELECT ") + kEndpointColumns + " FROM webhook_endpoints WHERE id = ?", {id});
    return r ? std::optional(endpointOf(*r)) : std::nullopt;
}

std::vector<WebhookEndpointRecord> WebhookRepository::endpoints(const std::string& organizationId) {
    std::vector<WebhookEndpointRecord> out;
    for (const auto& r :
         m_db.query(std::string("SELECT ") + kEndpointColumns +
                        " FROM webhook_endpoints WHERE organization_id = ? ORDER BY created_at, id",
                    {organizationId}))
        out.push_back(endpointOf(r));
    return out;
}

std::int64_t WebhookRepository::endpointCount(const std::string& organizationId) {
    return m_db
        .queryOne("SELECT COUNT(*) FROM webhook_endpoints WHERE organization_id = ?", {organizationId})
        ->at(0)
        .asInt();
}

void WebhookRepository::insertMessage(const WebhookMessageRecord& m) {
    m_db.exec(
        "INSERT INTO webhook_messages (id, organization_id, event_type, body, created_at) VALUES (?, ?, ?, "
        "?, ?)",
        {m.id, m.organizationId, m.eventType, m.body, m.createdAt});
}

std::optional<WebhookMessageRecord> WebhookRepository::message(const std::string& organizationId,
                                                               const std::string& id) {
    const auto r =
        m_db.queryOne("SELECT id, organization_id, event_type, body, created_at FROM webhook_messages "
                      "WHERE id = ? AND organization_id = ?",
                      {id, organizationId});
    return r ? std::optional(messageOf(*r)) : std::nullopt;
}

std::optional<WebhookMessageRecord> WebhookRepository::messageById(const std::string& id) {
    const auto r = m_db.queryOne(
        "SELECT id, organization_id, event_type, body, created_at FROM webhook_messages WHERE id = ?", {id});
    return r ? std::optional(messageOf(*r)) : std::nullopt;
}

void WebhookRepository::insertDelivery(const WebhookDeliveryRecord& d) {
    m_db.exec(
        "INSERT INTO webhook_deliveries (id, message_id, endpoint_id, organization_id, status, attempts, "
        "next_attempt_at, last_status_code, last_error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?)",
        {d.id, d.messageId, d.endpointId, d.organizationId, d.status, d.attempts, nullable(d.nextAttemptAt),
         nullable(d.lastStatusCode), d.lastError, d.createdAt, d.updatedAt});
}

void WebhookRepository::updateDelivery(const WebhookDeliveryRecord& d) {
    m_db.exec(
        "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_status_code = ?, "
        "last_error = ?, updated_at = ? WHERE id = ?",
        {d.status, d.attempts, nullable(d.nextAttemptAt), nullable(d.lastStatusCode), d.lastError,
         d.updatedAt, d.id});
}

std::optional<WebhookDeliveryRecord> WebhookRepository::delivery(const std::string& organizationId,
                                                                 const std::string& id) {
    const auto r =
        m_db.queryOne(std::string("SELECT ") + kDeliveryColumns +
                          " FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id "
                          "WHERE d.id = ? AND d.organization_id = ?",
                      {id, organizationId});
    return r ? std::optional(deliveryOf(*r)) : std::nullopt;
}

std::vector<WebhookDeliveryRecord> WebhookRepository::due(std::int64_t nowMs, int limit) {
    std::vector<WebhookDeliveryRecord> out;
    for (const auto& r :
         m_db.query(std::string("SELECT ") + kDeliveryColumns +
                        " FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id "
                        "WHERE d.status = 'pending' AND d.next_attempt_at <= ? "
                        "ORDER BY d.next_attempt_at, d.id LIMIT ?",
                    {nowMs, limit}))
        out.push_back(deliveryOf(r));
    return out;
}

std::optional<std::int64_t> WebhookRepository::nextDue() {
    const auto r =
        m_db.queryOne("SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'");
    return r ? optInt(r->at(0)) : std::nullopt;
}

std::vector<WebhookDeliveryRecord> WebhookRepository::deliveries(const std::string& organizationId,
                                                                 const std::string& endpointId,
                                                                 const std::string& status,
                                                                 const std::string& messageId, int limit) {
    std::string sql = std::string("SELECT ") + kDeliveryColumns +
                      " FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id "
                      "WHERE d.organization_id = ?";
    std::vector<Value> params{organizationId};
    if (!endpointId.empty()) {
        sql += " AND d.endpoint_id = ?";
        params.emplace_back(endpointId);
    }
    if (!status.empty()) {
        sql += " AND d.status = ?";
        params.emplace_back(status);
    }
    if (!messageId.empty()) {
        sql += " AND d.message_id = ?";
        params.emplace_back(messageId);
    }
    sql += " ORDER BY d.created_at DESC, d.id DESC LIMIT ?";
    params.emplace_back(limit);
    std::vector<WebhookDeliveryRecord> out;
    for (const auto& r : m_db.query(sql, params))
        out.push_back(deliveryOf(r));
    return out;
}

void WebhookRepository::insertAttempt(const WebhookAttemptRecord& a) {
    m_db.exec(
        "INSERT INTO webhook_attempts (delivery_id, message_id, endpoint_id, organization_id, attempt, "
        "status_code, response, error, duration_ms, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?)",
        {a.deliveryId, a.messageId, a.endpointId, a.organizationId, a.attempt, nullable(a.statusCode),
         a.response, a.error, a.durationMs, nullable(a.nextAttemptAt), a.createdAt});
}

std::vector<WebhookAttemptRecord> WebhookRepository::attemptsOfDelivery(const std::string& deliveryId) {
    std::vector<WebhookAttemptRecord> out;
    for (const auto& r : m_db.query(std::string("SELECT ") + kAttemptColumns +
                                        " FROM webhook_attempts WHERE delivery_id = ? ORDER BY id",
                                    {deliveryId}))
        out.push_back(attemptOf(r));
    return out;
}

std::vector<WebhookAttemptRecord> WebhookRepository::attemptsOfMessage(const std::string& organizationId,
                                                                       const std::string& messageId) {
    std::vector<WebhookAttemptRecord> out;
    for (const auto& r :
         m_db.query(std::string("SELECT ") + kAttemptColumns +
                        " FROM webhook_attempts WHERE message_id = ? AND organization_id = ? ORDER BY id",
                    {messageId, organizationId}))
        out.push_back(attemptOf(r));
    return out;
}

void WebhookRepository::prune(std::int64_t beforeMs) {
    m_db.transaction([&] {
        m_db.exec(
            "DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE "
            "status <> 'pending' AND updated_at < ?)",
            {beforeMs});
        m_db.exec("DELETE FROM webhook_deliveries WHERE status <> 'pending' AND updated_at < ?", {beforeMs});
        m_db.exec("DELETE FROM webhook_messages WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM "
                  "webhook_deliveries d WHERE d.message_id = webhook_messages.id)",
                  {beforeMs});
    });
}

} // namespace cove::store
