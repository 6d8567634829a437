// Webhook endpoints, messages and the delivery worker. See Webhooks.h.
#include "service/domain/Webhooks.h"

#include "common/Base64.h"
#include "common/Random.h"
#include "service/domain/Crypto.h"
#include "service/domain/DomainError.h"
#include "service/store/WebhookRepository.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace cove::domain {

namespace asio = boost::asio;
using store::WebhookAttemptRecord;
using store::WebhookDeliveryRecord;
using store::WebhookEndpointRecord;
using store::WebhookMessageRecord;
using store::WebhookRepository;

namespace {

constexpr const char* kSecretPrefix = "whsec_";
constexpr std::size_t kSecretBytes = 24;
// How long a claimed delivery stays claimed beyond its attempt's timeout: a coved that dies mid-attempt
// leaves it due again after this.
constexpr std::int64_t kClaimMarginMs = 5000;
constexpr std::chrono::seconds kIdleWake{30};

std::string base64Decode(std::string_view in) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z')
            return c - 'A';
        if (c >= 'a' && c <= 'z')
            return c - 'a' + 26;
        if (c >= '0' && c <= '9')
            return c - '0' + 52;
        if (c == '+' || c == '-')
            return 62;
        if (c == '/' || c == '_')
            return 63;
        return -1;
    };
    std::string out;
    unsigned acc = 0;
    int bits = 0;
    for (const char c : in) {
        if (c == '=')
            break;
        const int v = value(c);
        if (v < 0)
            return {};
        acc = (acc << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    return out;
}

std::string newSecret() {
    std::string bytes(kSecretBytes, '\0');
    randomBytes(bytes.data(), bytes.size());
    return kSecretPrefix + base64Encode(bytes);
}

std::string newId(const char* prefix) {
    return std::string(prefix) + randomHex(12);
}

std::string iso(std::int64_t ms) {
    return toIso8601(fromMillis(ms));
}

json isoOrNull(const std::optional<std::int64_t>& ms) {
    return ms ? json(iso(*ms)) : json(nullptr);
}

bool knownEvent(const std::string& e) {
    const auto& all = Webhooks::eventTypes();
    return std::find(all.begin(), all.end(), e) != all.end();
}

// The event types an endpoint subscribes to, checked; empty: every event.
std::string eventTypesOf(const json& v) {
    if (v.is_null())
        return "[]";
    if (!v.is_array())
        throw DomainError::invalid(
            "'eventTypes' is a list of event names, e.g. [\"sandbox.created\"]; leave it "
            "empty for every event.")
            .with("", "eventTypes");
    json out = json::array();
    for (const auto& e : v) {
        if (!e.is_string() || !knownEvent(e.get<std::string>()))
            throw DomainError::invalid("'eventTypes' holds an unknown event; the events are sandbox.created, "
                                       "sandbox.state.updated, snapshot.created, snapshot.state.updated, "
                                       "snapshot.removed, volume.created and volume.state.updated.")
                .with("", "eventTypes");
        if (std::find(out.begin(), out.end(), e) == out.end())
            out.push_back(e);
    }
    return out.dump();
}

bool subscribes(const WebhookEndpointRecord& e, const std::string& eventType) {
    const json types = json::parse(e.eventTypes, nullptr, false);
    if (!types.is_array() || types.empty())
        return true;
    return std::find(types.begin(), types.end(), eventType) != types.end();
}

std::string checkedUrl(const json& v) {
    if (!v.is_string())
        throw DomainError::invalid("'url' is the endpoint's URL, e.g. https://example.com/hooks.")
            .with("", "url");
    const std::string url = v.get<std::string>();
    const auto parsed = webhook::parseEndpointUrl(url);
    if (const auto* why = std::get_if<std::string>(&parsed))
        throw DomainError::invalid(*why).with("", "url");
    return url;
}

std::string checkedDescription(const json& v) {
    if (v.is_null())
        return {};
    if (!v.is_string() || v.get<std::string>().size() > Webhooks::kMaxDescriptionBytes)
        throw DomainError::invalid("'description' is text of at most " +
                                   std::to_string(Webhooks::kMaxDescriptionBytes) + " bytes.")
            .with("", "description");
    return v.get<std::string>();
}

bool checkedBool(const json& v, const char* name) {
    if (!v.is_boolean())
        throw DomainError::invalid(std::string("'") + name + "' is true or false.").with("", name);
    return v.get<bool>();
}

// Plain http:// reaches only local receivers: a public endpoint must use https://.
void requireTransport(const WebhookEndpointRecord& e) {
    const auto parsed = webhook::parseEndpointUrl(e.url);
    if (const auto* u = std::get_if<webhook::EndpointUrl>(&parsed); u && !u->https && !e.allowLocal)
        throw DomainError::invalid("Plain http:// is for local receivers only: use an https:// URL, or set "
                                   "allowLocal to deliver to a receiver on this host or a private network.")
            .with("", "url");
}

void requireObject(const json& body) {
    if (!body.is_object())
        throw DomainError::invalid("The request body must be a JSON object.");
    static const std::set<std::string> known{"url", "description", "eventTypes", "enabled", "allowLocal"};
    for (const auto& [k, v] : body.items())
        if (!known.count(k))
            throw DomainError::invalid(
                "Unknown field '" + k +
                "'; an endpoint has url, description, eventTypes, enabled and allowLocal.")
                .with("", k);
}

// What Daytona's webhook models carry for each event, from what coved publishes on its event channel.
json dataOf(const std::string& event, const json& payload, const std::string& organizationId,
            const std::string& now) {
    auto str = [](const json& o, const char* k) {
        return o.is_object() ? o.value(k, json(nullptr)) : json(nullptr);
    };
    if (event == "sandbox.created")
        return {{"id", str(payload, "id")},
                {"organizationId", organizationId},
                {"state", str(payload, "state")},
                {"sandboxClass", "container"},
                {"createdAt", str(payload, "createdAt")}};
    const char* inner = event == "sandbox.state.updated"    ? "sandbox"
                        : event == "snapshot.state.updated" ? "snapshot"
                        : event == "volume.state.updated"   ? "volume"
                                                            : nullptr;
    if (inner) {
        const json o = payload.is_object() ? payload.value(inner, json::object()) : json::object();
        json d{{"id", str(o, "id")},
               {"organizationId", organizationId},
               {"oldState", str(payload, "oldState")},
               {"newState", str(payload, "newState")},
               {"updatedAt", o.contains("updatedAt") ? o["updatedAt"] : json(now)}};
        if (std::string(inner) != "sandbox")
            d["name"] = str(o, "name");
        return d;
    }
    json d{{"id", str(payload, "id")}, {"name", str(payload, "name")}, {"organizationId", organizationId}};
    if (event == "snapshot.removed") {
        d["removedAt"] = now;
    } else {
        d["state"] = str(payload, "state");
        d["createdAt"] = str(payload, "createdAt");
    }
    return d;
}

json attemptDto(const WebhookAttemptRecord& a) {
    return {{"id", a.id},
            {"deliveryId", a.deliveryId},
            {"messageId", a.messageId},
            {"endpointId", a.endpointId},
            {"attempt", a.attempt},
            {"statusCode", a.statusCode ? json(*a.statusCode) : json(nullptr)},
            {"response", a.response},
            {"error", a.error.empty() ? json(nullptr) : json(a.error)},
            {"durationMs", a.durationMs},
            {"nextAttemptAt", isoOrNull(a.nextAttemptAt)},
            {"timestamp", iso(a.createdAt)}};
}

} // namespace

Webhooks::Settings Webhooks::defaults() {
    using namespace std::chrono;
    Settings s{{0ms, 5s, 5min, 30min, 2h, 5h, 10h, 10h}, kAttemptTimeout};
    if (const char* v = std::getenv("COVE_WEBHOOK_TEST_SCHEDULE_MS"); v && *v) {
        std::vector<milliseconds> schedule;
        std::string item;
        for (const char* p = v;; ++p) {
            if (*p == ',' || *p == '\0') {
                if (!item.empty() && item.size() < 9 &&
                    item.find_first_not_of("0123456789") == std::string::npos)
                    schedule.emplace_back(std::stoll(item));
                item.clear();
                if (*p == '\0')
                    break;
            } else {
                item += *p;
            }
        }
        if (!schedule.empty())
            s.retrySchedule = schedule;
    }
    if (const char* v = std::getenv("COVE_WEBHOOK_TEST_TIMEOUT_MS"); v && *v) {
        const std::string t = v;
        if (t.size() < 8 && t.find_first_not_of("0123456789") == std::string::npos)
            s.attemptTimeout = milliseconds(std::stoll(t));
    }
    return s;
}

const std::vector<std::string>& Webhooks::eventTypes() {
    static const std::vector<std::string> all{
        "sandbox.created",  "sandbox.state.updated", "snapshot.created",    "snapshot.state.updated",
        "snapshot.removed", "volume.created",        "volume.state.updated"};
    return all;
}

Webhooks::Webhooks(store::Database& db, const Clock& clock, asio::any_io_executor ex, Settings settings)
    : m_db(db)
    , m_clock(clock)
    , m_ex(ex)
    , m_settings(std::move(settings))
    , m_wake(ex) {
    if (m_settings.retrySchedule.empty())
        m_settings.retrySchedule.emplace_back(0);
}

Webhooks::~Webhooks() {
    *m_alive = false;
}

std::string Webhooks::sign(const std::string& secret, const std::string& id, std::int64_t timestamp,
                           const std::string& body) {
    if (secret.rfind(kSecretPrefix, 0) != 0)
        return {};
    const std::string key = base64Decode(std::string_view(secret).substr(std::strlen(kSecretPrefix)));
    if (key.empty())
        return {};
    return "v1," + base64Encode(hmacSha256(key, id + "." + std::to_string(timestamp) + "." + body));
}

json Webhooks::endpointDto(const WebhookEndpointRecord& e, bool withSecret) const {
    json types = json::parse(e.eventTypes, nullptr, false);
    if (!types.is_array())
        types = json::array();
    json d{{"id", e.id},
           {"organizationId", e.organizationId},
           {"url", e.url},
           {"description", e.description},
           {"eventTypes", types},
           {"enabled", e.enabled},
           {"allowLocal", e.allowLocal},
           {"createdAt", iso(e.createdAt)},
           {"updatedAt", iso(e.updatedAt)}};
    if (withSecret)
        d["secret"] = e.secret;
    return d;
}

json Webhooks::createEndpoint(const Principal& who, const json& body) {
    requireObject(body);
    WebhookEndpointRecord e;
    e.id = newId("ep_");
    e.organizationId = who.organizationId;
    e.url = checkedUrl(body.value("url", json(nullptr)));
    e.description = checkedDescription(body.value("description", json(nullptr)));
    e.eventTypes = eventTypesOf(body.value("eventTypes", json(nullptr)));
    if (body.contains("enabled"))
        e.enabled = checkedBool(body["enabled"], "enabled");
    if (body.contains("allowLocal"))
        e.allowLocal = checkedBool(body["allowLocal"], "allowLocal");
    requireTransport(e);
    e.secret = newSecret();
    e.createdAt = e.updatedAt = toMillis(m_clock.now());
    WebhookRepository repo(m_db);
    m_db.transaction([&] {
        if (repo.endpointCount(e.organizationId) >= static_cast<std::int64_t>(kMaxEndpoints))
            throw DomainError::conflict("The organization has " + std::to_string(kMaxEndpoints) +
                                        " webhook endpoints, the most it may have; delete one first.");
        repo.insertEndpoint(e);
    });
    return endpointDto(e, true);
}

json Webhooks::listEndpoints(const std::string& organizationId) {
    json out = json::array();
    for (const auto& e : WebhookRepository(m_db).endpoints(organizationId))
        out.push_back(endpointDto(e, false));
    return out;
}

namespace {
WebhookEndpointRecord found(store::Database& db, const std::string& org, const std::string& id) {
    auto e = WebhookRepository(db).endpoint(org, id);
    if (!e)
        throw DomainError::notFound("Webhook endpoint '" + id + "' not found.");
    return *e;
}
} // namespace

json Webhooks::getEndpoint(const std::string& organizationId, const std::string& id) {
    return endpointDto(found(m_db, organizationId, id), false);
}

bool Webhooks::allowsLocal(const std::string& organizationId, const std::string& id) {
    const auto e = WebhookRepository(m_db).endpoint(organizationId, id);
    return e && e->allowLocal;
}

json Webhooks::updateEndpoint(const std::string& organizationId, const std::string& id, const json& body) {
    requireObject(body);
    auto e = found(m_db, organizationId, id);
    if (body.contains("url"))
        e.url = checkedUrl(body["url"]);
    if (body.contains("description"))
        e.description = checkedDescription(body["description"]);
    if (body.contains("eventTypes"))
        e.eventTypes = eventTypesOf(body["eventTypes"]);
    if (body.contains("enabled"))
        e.enabled = checkedBool(body["enabled"], "enabled");
    if (body.contains("allowLocal"))
        e.allowLocal = checkedBool(body["allowLocal"], "allowLocal");
    requireTransport(e);
    e.updatedAt = toMillis(m_clock.now());
    WebhookRepository(m_db).updateEndpoint(e);
    return endpointDto(e, false);
}

void Webhooks::deleteEndpoint(const std::string& organizationId, const std::string& id) {
    if (!WebhookRepository(m_db).removeEndpoint(organizationId, id))
        throw DomainError::notFound("Webhook endpoint '" + id + "' not found.");
}

json Webhooks::secret(const std::string& organizationId, const std::string& id, bool rotate) {
    auto e = found(m_db, organizationId, id);
    if (rotate) {
        e.secret = newSecret();
        e.updatedAt = toMillis(m_clock.now());
        WebhookRepository(m_db).updateEndpoint(e);
    }
    return {{"id", e.id}, {"secret", e.secret}};
}

void Webhooks::onEvent(const std::string& organizationId, const std::string& event, const json& payload) {
    if (!knownEvent(event))
        return;
    try {
        enqueue(organizationId, event, dataOf(event, payload, organizationId, iso(toMillis(m_clock.now()))),
                newId("msg_"), {}, false);
    } catch (const std::exception& e) {
        // The change the event reports is done; a store that cannot take the message loses the webhook,
        // not the change.
        std::fprintf(stderr, "coved: webhook message for %s not stored: %s\n", event.c_str(), e.what());
    }
}

json Webhooks::send(const std::string& organizationId, const std::string& eventType, const json& data,
                    const std::string& eventId, const std::string& onlyEndpoint) {
    if (!knownEvent(eventType))
        throw DomainError::invalid(
            "'eventType' must be one of sandbox.created, sandbox.state.updated, "
            "snapshot.created, snapshot.state.updated, snapshot.removed, volume.created, "
            "volume.state.updated.")
            .with("", "eventType");
    if (!data.is_object())
        throw DomainError::invalid("'payload' must be a JSON object.").with("", "payload");
    if (data.dump().size() > kMaxPayloadBytes)
        throw DomainError::invalid("'payload' is larger than " + std::to_string(kMaxPayloadBytes / 1024) +
                                   " KiB; send the details a receiver needs and let it fetch the rest.");
    std::string id = newId("msg_");
    if (!eventId.empty()) {
        if (eventId.size() > 64 ||
            eventId.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") !=
                std::string::npos)
            throw DomainError::invalid("'eventId' is at most 64 letters, digits, '_', '-' or '.'.")
                .with("", "eventId");
        // Idempotent: the same event id is one message per organization.
        id = "msg_" + toHex(sha256(organizationId + "\n" + eventId)).substr(0, 24);
        if (WebhookRepository(m_db).messageById(id))
            return message(organizationId, id);
    }
    if (!onlyEndpoint.empty())
        found(m_db, organizationId, onlyEndpoint);
    enqueue(organizationId, eventType, data, id, onlyEndpoint, true);
    return message(organizationId, id);
}

void Webhooks::enqueue(const std::string& organizationId, const std::string& eventType, const json& data,
                       const std::string& messageId, const std::string& onlyEndpoint, bool byHand) {
    WebhookRepository repo(m_db);
    std::vector<WebhookEndpointRecord> targets;
    for (auto& e : repo.endpoints(organizationId))
        if ((!onlyEndpoint.empty() ? e.id == onlyEndpoint : e.enabled && subscribes(e, eventType)))
            targets.push_back(std::move(e));
    if (targets.empty() && !byHand)
        return; // an event nobody listens to: nothing to keep
    const std::int64_t now = toMillis(m_clock.now());
    const json body{{"event", eventType}, {"timestamp", iso(now)}, {"data", data}};
    m_db.transaction([&] {
        repo.insertMessage({messageId, organizationId, eventType, body.dump(), now});
        for (const auto& e : targets) {
            WebhookDeliveryRecord d;
            d.id = newId("dlv_");
            d.messageId = messageId;
            d.endpointId = e.id;
            d.organizationId = organizationId;
            d.status = "pending";
            d.nextAttemptAt = now + m_settings.retrySchedule.front().count();
            d.createdAt = d.updatedAt = now;
            repo.insertDelivery(d);
        }
    });
    wake();
}

json Webhooks::deliveries(const std::string& organizationId, const std::string& endpointId,
                          const std::string& status, const std::string& messageId, int limit) {
    if (!status.empty() && status != "pending" && status != "succeeded" && status != "failed")
        throw DomainError::invalid("'status' is pending, succeeded or failed.").with("", "status");
    WebhookRepository repo(m_db);
    json out = json::array();
    for (const auto& d : repo.deliveries(organizationId, endpointId, status, messageId, limit)) {
        json attempts = json::array();
        for (const auto& a : repo.attemptsOfDelivery(d.id))
            attempts.push_back(attemptDto(a));
        out.push_back({{"id", d.id},
                       {"messageId", d.messageId},
                       {"endpointId", d.endpointId},
                       {"eventType", d.eventType},
                       {"status", d.status},
                       {"attempts", d.attempts},
                       {"nextAttemptAt", d.status == "pending" ? isoOrNull(d.nextAttemptAt) : json(nullptr)},
                       {"lastStatusCode", d.lastStatusCode ? json(*d.lastStatusCode) : json(nullptr)},
                       {"lastError", d.lastError.empty() ? json(nullptr) : json(d.lastError)},
                       {"createdAt", iso(d.createdAt)},
                       {"updatedAt", iso(d.updatedAt)},
                       {"attemptLog", attempts}});
    }
    return out;
}

json Webhooks::attempts(const std::string& organizationId, const std::string& messageId) {
    WebhookRepository repo(m_db);
    if (!repo.message(organizationId, messageId))
        throw DomainError::notFound("Webhook message '" + messageId + "' not found.");
    json out = json::array();
    for (const auto& a : repo.attemptsOfMessage(organizationId, messageId))
        out.push_back(attemptDto(a));
    return out;
}

json Webhooks::message(const std::string& organizationId, const std::string& messageId) {
    const auto m = WebhookRepository(m_db).message(organizationId, messageId);
    if (!m)
        throw DomainError::notFound("Webhook message '" + messageId + "' not found.");
    return {{"id", m->id},
            {"eventType", m->eventType},
            {"payload", json::parse(m->body, nullptr, false)},
            {"timestamp", iso(m->createdAt)},
            {"deliveries", deliveries(organizationId, {}, {}, m->id, kMaxEndpoints)}};
}

void Webhooks::wake() {
    m_wake.cancel();
}

void Webhooks::prune() {
    WebhookRepository(m_db).prune(toMillis(m_clock.now()) - kRetentionMs);
}

bool Webhooks::dispatchDue() {
    bool waiting = false;
    WebhookRepository repo(m_db);
    const std::int64_t now = toMillis(m_clock.now());
    for (const auto& d : repo.due(now, kMaxInFlight * 2)) {
        if (m_inFlight >= kMaxInFlight || m_running.count(d.id) ||
            m_perEndpoint[d.endpointId] >= kMaxPerEndpoint) {
            waiting = true; // the end of a running attempt wakes the worker
            continue;
        }
        // Claim it: another coved on the same database sees it due only once the claim lapses.
        const std::int64_t lease = now + m_settings.attemptTimeout.count() + kClaimMarginMs;
        bool claimed = false;
        m_db.transaction([&] {
            m_db.exec(
                "UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending' AND "
                "next_attempt_at = ?",
                {lease, d.id, *d.nextAttemptAt});
            claimed = m_db.changes() == 1;
        });
        if (!claimed)
            continue;
        ++m_inFlight;
        ++m_perEndpoint[d.endpointId];
        m_running.insert(d.id);
        asio::co_spawn(m_ex, attempt(d.id), asio::detached);
    }
    return waiting;
}

asio::awaitable<void> Webhooks::attempt(std::string deliveryId) {
    const auto alive = m_alive;
    std::string endpointId;
    std::string organizationId;
    std::optional<webhook::Outcome> outcome;
    std::string refusal; // the delivery cannot be attempted at all
    try {
        WebhookRepository repo(m_db);
        auto d = m_db.queryOne(
            "SELECT endpoint_id, organization_id, message_id FROM webhook_deliveries WHERE id = ?",
            {deliveryId});
        if (d) {
            endpointId = d->at(0).asText();
            organizationId = d->at(1).asText();
            const std::string messageId = d->at(2).asText();
            const auto endpoint = repo.endpoint(organizationId, endpointId);
            const auto message = repo.messageById(messageId);
            if (!endpoint)
                refusal = "The endpoint was deleted.";
            else if (!endpoint->enabled)
                refusal = "The endpoint is disabled.";
            else if (!message)
                refusal = "The message is gone.";
            else {
                const auto parsed = webhook::parseEndpointUrl(endpoint->url);
                if (const auto* why = std::get_if<std::string>(&parsed))
                    refusal = *why;
                else {
                    const std::int64_t ts = toMillis(m_clock.now()) / 1000;
                    std::vector<std::pair<std::string, std::string>> headers{
                        {"webhook-id", message->id},
                        {"webhook-timestamp", std::to_string(ts)},
                        {"webhook-signature", sign(endpoint->secret, message->id, ts, message->body)}};
                    const webhook::Limits limits{m_settings.attemptTimeout, kMaxResponseBytes, kExcerptBytes};
                    const webhook::EndpointUrl url = std::get<webhook::EndpointUrl>(parsed);
                    const bool allowLocal = endpoint->allowLocal;
                    std::string body = message->body;
                    outcome = co_await webhook::post(m_ex, url, allowLocal, headers, body, limits);
                }
            }
        }
    } catch (const std::exception& e) {
        refusal = std::string("The delivery could not be prepared: ") + e.what();
    }
    if (!*alive)
        co_return;
    try {
        WebhookRepository repo(m_db);
        const auto row = m_db.queryOne(
            "SELECT status, attempts, message_id, created_at FROM webhook_deliveries WHERE id = ?",
            {deliveryId});
        if (row && row->at(0).asText() == "pending") {
            const std::int64_t now = toMillis(m_clock.now());
            WebhookDeliveryRecord d;
            d.id = deliveryId;
            d.attempts = static_cast<int>(row->at(1).asInt());
            d.createdAt = row->at(3).asInt();
            d.updatedAt = now;
            WebhookAttemptRecord a;
            a.deliveryId = deliveryId;
            a.messageId = row->at(2).asText();
            a.endpointId = endpointId;
            a.organizationId = organizationId;
            a.createdAt = now;
            if (!refusal.empty()) {
                // Nothing was sent: the delivery ends here, recorded without an attempt.
                d.status = "failed";
                d.lastError = refusal;
                m_db.exec("UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, "
                          "last_error = ?, "
                          "updated_at = ? WHERE id = ?",
                          {refusal, now, deliveryId});
            } else if (outcome) {
                d.attempts += 1;
                a.attempt = d.attempts;
                a.statusCode = outcome->status ? std::optional<std::int64_t>(*outcome->status) : std::nullopt;
                a.response = outcome->response;
                a.error = outcome->error;
                a.durationMs = outcome->durationMs;
                d.lastStatusCode = a.statusCode;
                d.lastError = outcome->error;
                if (outcome->succeeded()) {
                    d.status = "succeeded";
                } else if (static_cast<std::size_t>(d.attempts) < m_settings.retrySchedule.size()) {
                    d.status = "pending";
                    d.nextAttemptAt = now + m_settings.retrySchedule[d.attempts].count();
                    a.nextAttemptAt = d.nextAttemptAt;
                } else {
                    d.status = "failed";
                }
                m_db.transaction([&] {
                    repo.insertAttempt(a);
                    repo.updateDelivery(d);
                });
            }
        }
    } catch (const std::exception& e) {
        // The claim lapses and the delivery is tried again.
        std::fprintf(stderr, "coved: webhook delivery %s not recorded: %s\n", deliveryId.c_str(), e.what());
    }
    --m_inFlight;
    if (--m_perEndpoint[endpointId] <= 0)
        m_perEndpoint.erase(endpointId);
    m_running.erase(deliveryId);
    wake();
}

asio::awaitable<void> Webhooks::run() {
    const auto alive = m_alive;
    for (;;) {
        std::chrono::milliseconds wait = kIdleWake;
        try {
            if (const std::int64_t now = toMillis(m_clock.now()); now - m_lastPrune >= kPruneEveryMs) {
                m_lastPrune = now;
                prune();
            }
            const bool waiting = dispatchDue();
            if (waiting) {
                wait = std::chrono::seconds(1); // or sooner, when a running attempt ends
            } else if (const auto next = WebhookRepository(m_db).nextDue()) {
                const std::int64_t ms = *next - toMillis(m_clock.now());
                wait = std::clamp(std::chrono::milliseconds(ms), std::chrono::milliseconds(0),
                                  std::chrono::milliseconds(kIdleWake));
            }
        } catch (const std::exception& e) {
            std::fprintf(stderr, "coved: webhook worker: %s\n", e.what());
            wait = std::chrono::seconds(1);
        }
        m_wake.expires_after(wait);
        boost::system::error_code ec;
        co_await m_wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (!*alive)
            co_return;
    }
}

} // namespace cove::domain
