// Webhooks: endpoints, messages (one per event), deliveries (one per message and endpoint) and their
// attempts. Every query that takes an organization keeps to it: one organization never reads another's.
#pragma once

#include "service/store/Store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cove::store {

struct WebhookEndpointRecord {
    std::string id, organizationId, url, description;
    std::string eventTypes = "[]"; // JSON array; empty array: every event
    bool enabled = true;
    bool allowLocal = false;
    std::string secret; // whsec_<base64>
    std::int64_t createdAt = 0, updatedAt = 0;
};

struct WebhookMessageRecord {
    std::string id, organizationId, eventType, body;
    std::int64_t createdAt = 0;
};

struct WebhookDeliveryRecord {
    std::string id, messageId, endpointId, organizationId;
    std::string status; // pending, succeeded, failed
    int attempts = 0;
    std::optional<std::int64_t> nextAttemptAt;
    std::optional<std::int64_t> lastStatusCode;
    std::string lastError;
    std::int64_t createdAt = 0, updatedAt = 0;
    std::string eventType; // of its message, when listed
};

struct WebhookAttemptRecord {
    std::int64_t id = 0;
    std::string deliveryId, messageId, endpointId, organizationId;
    int attempt = 0;
    std::optional<std::int64_t> statusCode;
    std::string response, error;
    std::int64_t durationMs = 0;
    std::optional<std::int64_t> nextAttemptAt;
    std::int64_t createdAt = 0;
};

class WebhookRepository {
public:
    explicit WebhookRepository(Database& db)
        : m_db(db) {}

    void insertEndpoint(const WebhookEndpointRecord& e);
    void updateEndpoint(const WebhookEndpointRecord& e);
    bool removeEndpoint(const std::string& organizationId, const std::string& id);
    std::optional<WebhookEndpointRecord> endpoint(const std::string& organizationId, const std::string& id);
    std::optional<WebhookEndpointRecord> endpointById(const std::string& id);
    std::vector<WebhookEndpointRecord> endpoints(const std::string& organizationId);
    std::int64_t endpointCount(const std::string& organizationId);

    void insertMessage(const WebhookMessageRecord& m);
    std::optional<WebhookMessageRecord> message(const std::string& organizationId, const std::string& id);
    std::optional<WebhookMessageRecord> messageById(const std::string& id);

    void insertDelivery(const WebhookDeliveryRecord& d);
    void updateDelivery(const WebhookDeliveryRecord& d);
    std::optional<WebhookDeliveryRecord> delivery(const std::string& organizationId, const std::string& id);
    // Pending deliveries whose time has come (nextAttemptAt <= nowMs), soonest first.
    std::vector<WebhookDeliveryRecord> due(std::int64_t nowMs, int limit);
    // The earliest time a pending delivery is due, if any is pending.
    std::optional<std::int64_t> nextDue();
    // Newest first; endpointId and status narrow the list when not empty.
    std::vector<WebhookDeliveryRecord> deliveries(const std::string& organizationId,
                                                  const std::string& endpointId, const std::string& status,
                                                  const std::string& messageId, int limit);

    void insertAttempt(const WebhookAttemptRecord& a);
    // Oldest first.
    std::vector<WebhookAttemptRecord> attemptsOfDelivery(const std::string& deliveryId);
    std::vector<WebhookAttemptRecord> attemptsOfMessage(const std::string& organizationId,
                                                        const std::string& messageId);
    // Removes messages, deliveries and attempts finished before `beforeMs`.
    void prune(std::int64_t beforeMs);

private:
    Database& m_db;
};

} // namespace cove::store
