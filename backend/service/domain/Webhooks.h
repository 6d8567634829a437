// Webhooks, as Daytona delivers them (Svix-style): each of the seven lifecycle events of an organization
// becomes a stored message, delivered to each of its enabled endpoints that subscribe to it, signed with
// the endpoint's secret:
//   webhook-id: msg_…   webhook-timestamp: <unix seconds>
//   webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>" keyed with the secret's bytes>
// A delivery is pending until an attempt gets a 2xx answer or its retries (kRetrySchedule) run out. The
// worker (run(), on the io thread) claims due deliveries in the store, so they survive a restart and are
// never sent twice at once by two coveds sharing a database; a slow endpoint holds at most
// kMaxPerEndpoint of the kMaxInFlight attempts running at once.
#pragma once

#include "common/Time.h"
#include "service/domain/Caller.h"
#include "service/domain/WebhookDelivery.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace cove::store {
class Database;
struct WebhookEndpointRecord;
} // namespace cove::store

namespace cove::domain {

using nlohmann::json;

class Webhooks {
public:
    struct Settings {
        // Delays before attempt 1, 2, ... (Svix's schedule): immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
        // 10 h. The delivery fails after the last.
        std::vector<std::chrono::milliseconds> retrySchedule;
        std::chrono::milliseconds attemptTimeout;
    };
    // The schedule above and kAttemptTimeout; COVE_WEBHOOK_TEST_SCHEDULE_MS (comma-separated ms) and
    // COVE_WEBHOOK_TEST_TIMEOUT_MS replace them for tests, which cannot wait hours.
    static Settings defaults();

    static constexpr std::chrono::milliseconds kAttemptTimeout{15000};
    static constexpr std::size_t kMaxResponseBytes = 64 << 10; // read of an endpoint's answer
    static constexpr std::size_t kExcerptBytes = 1024;         // kept of it per attempt
    static constexpr std::size_t kMaxEndpoints = 50;           // per organization
    static constexpr std::size_t kMaxDescriptionBytes = 1024;
    static constexpr std::size_t kMaxPayloadBytes = 256 << 10; // of a message sent by hand
    static constexpr int kMaxInFlight = 32;
    static constexpr int kMaxPerEndpoint = 4;
    static constexpr int kMaxListLimit = 500;
    static constexpr std::int64_t kRetentionMs = 30LL * 24 * 3600 * 1000;

    Webhooks(store::Database& db, const Clock& clock, boost::asio::any_io_executor ex,
             Settings settings = defaults());
    ~Webhooks();

    // Daytona's event names, in its order.
    static const std::vector<std::string>& eventTypes();

    // An event coved published: stored as a message with one delivery per subscribed endpoint (a no-op for
    // events that are not webhook events, or when nobody subscribes).
    void onEvent(const std::string& organizationId, const std::string& event, const json& payload);
    // A message sent by hand (Daytona's admin send, or a test send to one endpoint). Returns the message.
    json send(const std::string& organizationId, const std::string& eventType, const json& data,
              const std::string& eventId, const std::string& onlyEndpoint = {});

    // Endpoints of the caller's organization. create() and secret() answer with the secret; the others
    // never show it.
    json createEndpoint(const Principal& who, const json& body);
    json listEndpoints(const std::string& organizationId);
    json getEndpoint(const std::string& organizationId, const std::string& id);
    json updateEndpoint(const std::string& organizationId, const std::string& id, const json& body);
    void deleteEndpoint(const std::string& organizationId, const std::string& id);
    json secret(const std::string& organizationId, const std::string& id, bool rotate);
    // Whether an endpoint allows local addresses (for the audit of that change).
    bool allowsLocal(const std::string& organizationId, const std::string& id);

    json deliveries(const std::string& organizationId, const std::string& endpointId,
                    const std::string& status, const std::string& messageId, int limit);
    json attempts(const std::string& organizationId, const std::string& messageId);
    json message(const std::string& organizationId, const std::string& messageId);

    // Svix's signature of a message, "v1,<base64>"; empty for a malformed secret.
    static std::string sign(const std::string& secret, const std::string& id, std::int64_t timestamp,
                            const std::string& body);

    // Delivers due messages, forever (co_spawn it on the io thread).
    boost::asio::awaitable<void> run();
    // Removes finished deliveries older than kRetentionMs.
    void prune();

private:
    json endpointDto(const store::WebhookEndpointRecord& e, bool withSecret) const;
    void enqueue(const std::string& organizationId, const std::string& eventType, const json& data,
                 const std::string& messageId, const std::string& onlyEndpoint, bool byHand);
    // Starts the due deliveries it may; true when some due ones wait for a running attempt to end.
    bool dispatchDue();
    boost::asio::awaitable<void> attempt(std::string deliveryId);
    void wake();

    store::Database& m_db;
    const Clock& m_clock;
    boost::asio::any_io_executor m_ex;
    Settings m_settings;
    boost::asio::steady_timer m_wake;
    int m_inFlight = 0;
    std::map<std::string, int> m_perEndpoint;
    std::int64_t m_lastPrune = 0;
    static constexpr std::int64_t kPruneEveryMs = 3600 * 1000;
    std::set<std::string> m_running;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace cove::domain
