// /api/webhooks: Daytona's webhook routes (initialization, app portal, refresh; the admin send, status and
// attempts) answered for Cove, which has no Svix and manages endpoints itself, and Cove's own routes for
// endpoints, test sends, messages and deliveries. Every route takes the organization's admin key: an
// endpoint's secret and its deliveries are the organization's business only.
#include "service/api/RouteHelpers.h"
#include "service/api/Routes.h"

#include "service/domain/AuditLog.h"
#include "service/domain/Webhooks.h"
#include "service/store/OrganizationRepository.h"

namespace cove::api {

namespace {

domain::Webhooks& hooksOf(const Governance& g) {
    if (!g.webhooks)
        throw ApiError::unavailable("Webhooks are not running in this coved.");
    return *g.webhooks;
}

json initializationStatus(const Governance& g, const std::string& org) {
    const auto o = store::OrganizationRepository(g.db).find(org);
    const std::string created = toIso8601(fromMillis(o ? o->createdAt : nowMs(g)));
    return {{"organizationId", org}, {"svixApplicationId", nullptr}, {"lastError", nullptr},
            {"retryCount", 0},       {"createdAt", created},         {"updatedAt", created}};
}

// Turning allowLocal on is a change of what the endpoint may reach: it gets its own audit row.
void auditAllowLocal(const Governance& g, const RequestContext& c, const std::string& id, bool before,
                     const json& after) {
    if (before || !after.value("allowLocal", false))
        return;
    const Caller who = c.caller();
    domain::AuditEntry e;
    e.organizationId = who.who.organizationId;
    e.keyId = who.who.keyId;
    e.keyName = who.who.keyName;
    e.keyPrefix = who.who.keyPrefix;
    e.keySuffix = who.who.keySuffix;
    e.action = "update_access";
    e.targetType = "webhook_endpoint";
    e.targetId = id;
    e.status = 200;
    e.error = "allowLocal: deliveries may go to loopback, private and this host's addresses";
    e.source = who.source;
    e.ip = who.ip;
    e.userAgent = who.userAgent;
    g.audit.write(e);
}

} // namespace

void addWebhookRoutes(Router& r, const Governance& g) {
    using D = RouteDoc;
    const Access admin = Access::admin();
    const std::string tag = "webhooks";

    // Daytona's routes.
    r.add(route(verb::get, "/api/webhooks/organizations/{organizationId}/initialization-status", admin,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    requireOwnOrganization(c);
                    co_return http::jsonResponse(c.req, 200,
                                                 initializationStatus(g, c.param("organizationId")));
                }),
          {.summary = "Webhook initialization status of an organization",
           .reply = "WebhookInitializationStatus",
           .description = "Cove's webhooks need no initialization: every organization has them.",
           .tag = tag});
    r.add(route(verb::post, "/api/webhooks/organizations/{organizationId}/initialize", admin,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    requireOwnOrganization(c);
                    co_return http::jsonResponse(c.req, 201,
                                                 initializationStatus(g, c.param("organizationId")));
                },
                {"initialize_webhooks", "organization", "organizationId"}),
          {.summary = "Initialize webhooks for an organization",
           .reply = "WebhookInitializationStatus",
           .request = D::kNoBody,
           .description = "Nothing to do in Cove (no Svix application); answers the status.",
           .status = 201,
           .tag = tag});
    r.add(route(verb::post, "/api/webhooks/organizations/{organizationId}/app-portal-access", admin,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    requireOwnOrganization(c);
                    (void)g;
                    const std::string base = c.caller().baseUrl;
                    co_return http::jsonResponse(
                        c.req, 200,
                        {{"url", base + "/api/webhooks/endpoints"},
                         {"token", ""},
                         {"message",
                          "Cove has no Svix app portal: manage endpoints on the Webhooks page of the "
                          "Cove dashboard, or with /api/webhooks/endpoints and this API key."}});
                },
                {"get_webhook_app_portal_access", "organization", "organizationId"}),
          {.summary = "Where the organization's webhook endpoints are managed",
           .reply = "WebhookAppPortalAccess",
           .request = D::kNoBody,
           .tag = tag});
    r.add(route(verb::post, "/api/webhooks/organizations/{organizationId}/refresh-endpoints", admin,
                [](RequestContext& c) -> awaitable<http::Response> {
                    requireOwnOrganization(c);
                    co_return noContent(c);
                },
                {"update", "organization", "organizationId"}),
          {.summary = "Refresh the cached endpoint flag (nothing is cached in Cove)",
           .reply = D::kNothing,
           .request = D::kNoBody,
           .status = 204,
           .tag = tag});
    r.add(route(verb::post, "/api/admin/webhooks/organizations/{organizationId}/send", admin,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    requireOwnOrganization(c);
                    const json body = c.jsonBody();
                    const std::string eventType = body.value("eventType", json("")).is_string()
                                                      ? body.value("eventType", std::string())
                                                      : std::string("?");
                    const json eventId = body.value("eventId", json(""));
                    if (!eventId.is_string())
                        throw ApiError::badRequest("'eventId' must be a string.");
                    co_return http::jsonResponse(c.req, 200,
                                                 hooksOf(g).send(c.param("organizationId"), eventType,
                                                                 body.value("payload", json(nullptr)),
                                                                 eventId.get<std::string>()));
                },
                {"send_webhook_message", "organization", "organizationId"}),
          {.summary = "Send a webhook message to the organization's endpoints",
           .reply = "WebhookMessage",
           .request = "SendWebhook",
           .description = "The payload is the message's data; every enabled endpoint subscribed to the event "
                          "gets it. The same eventId sends one message only.",
           .tag = "admin"});
    r.add(route(verb::get, "/api/admin/webhooks/organizations/{organizationId}/messages/{messageId}/attempts",
                admin,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    requireOwnOrganization(c);
                    co_return http::jsonResponse(
                        c.req, 200, hooksOf(g).attempts(c.param("organizationId"), c.param("messageId")));
                }),
          {.summary = "Delivery attempts of a webhook message", .reply = "WebhookAttempt[]", .tag = "admin"});
    r.add(route(verb::get, "/api/admin/webhooks/status", admin,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    co_return http::jsonResponse(c.req, 200, {{"enabled", g.webhooks != nullptr}});
                }),
          {.summary = "Whether webhooks are delivered", .reply = "WebhookStatus", .tag = "admin"});
    r.add(route(verb::post, "/api/admin/webhooks/organizations/{organizationId}/initialize", admin,
                [](RequestContext& c) -> awaitable<http::Response> {
                    requireOwnOrganization(c);
                    co_return http::jsonResponse(c.req, 201, json::object());
                },
                {"initialize_webhooks", "organization", "organizationId"}),
          {.summary = "Initialize webhooks for an organization (nothing to do in Cove)",
           .reply = D::kEmpty,
           .request = D::kNoBody,
           .status = 201,
           .tag = "admin"});

    // Cove's endpoints.
    r.add(route(verb::get, "/api/webhooks/endpoints", admin,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    co_return http::jsonResponse(c.req, 200,
                                                 hooksOf(g).listEndpoints(c.principal->organizationId));
                }),
          {.summary = "The organization's webhook endpoints", .reply = "WebhookEndpoint[]", .tag = tag});
    r.add(route(verb::post, "/api/webhooks/endpoints", admin,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    const json body = c.jsonBody();
                    const json created = hooksOf(g).createEndpoint(*c.principal, body);
                    const std::string id = created["id"].get<std::string>();
                    g.audit.record(c.caller(), "create", "webhook_endpoint", id, 201);
                    auditAllowLocal(g, c, id, false, created);
                    co_return http::jsonResponse(c.req, 201, created);
                },
                {"create", "webhook_endpoint", ""}),
          {.summary = "Add a webhook endpoint",
           .reply = "CreatedWebhookEndpoint",
           .request = "CreateWebhookEndpoint",
           .description =
               "The answer holds the signing secret; later only /secret shows it. Deliveries go to "
               "public addresses over https:// unless allowLocal is set (then http:// and loopback, "
               "private and this host's addresses are allowed too).",
           .status = 201,
           .tag = tag});
    r.add(route(verb::get, "/api/webhooks/endpoints/{id}", admin,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    co_return http::jsonResponse(
                        c.req, 200, hooksOf(g).getEndpoint(c.principal->organizationId, c.param("id")));
                }),
          {.summary = "A webhook endpoint", .reply = "WebhookEndpoint", .tag = tag});
    r.add(route(verb::patch, "/api/webhooks/endpoints/{id}", admin,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    const json body = c.jsonBody();
                    const std::string org = c.principal->organizationId;
                    const bool before = hooksOf(g).allowsLocal(org, c.param("id"));
                    const json updated = hooksOf(g).updateEndpoint(org, c.param("id"), body);
                    g.audit.record(c.caller(), "update", "webhook_endpoint", c.param("id"), 200);
                    auditAllowLocal(g, c, c.param("id"), before, updated);
                    co_return http::jsonResponse(c.req, 200, updated);
                },
                {"update", "webhook_endpoint", "id"}),
          {.summary = "Change a webhook endpoint",
           .reply = "WebhookEndpoint",
           .request = "UpdateWebhookEndpoint",
           .tag = tag});
    r.add(route(verb::delete_, "/api/webhooks/endpoints/{id}", admin,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    hooksOf(g).deleteEndpoint(c.principal->organizationId, c.param("id"));
                    co_return noContent(c);
                },
                {"delete", "webhook_endpoint", "id"}),
          {.summary = "Delete a webhook endpoint",
           .reply = D::kNothing,
           .request = D::kNoBody,
           .description = "Its pending deliveries fail; its delivery log stays until it ages out.",
           .status = 204,
           .tag = tag});
    // The secret: revealed (a POST, so that every reveal is in the audit log) or replaced.
    for (const bool rotate : {false, true})
        r.add(route(verb::post,
                    rotate ? "/api/webhooks/endpoints/{id}/secret/rotate"
                           : "/api/webhooks/endpoints/{id}/secret",
                    admin,
                    [&g, rotate](RequestContext& c) -> awaitable<http::Response> {
                        co_return http::jsonResponse(
                            c.req, 200,
                            hooksOf(g).secret(c.principal->organizationId, c.param("id"), rotate));
                    },
                    {rotate ? "update" : "read", "webhook_endpoint", "id"}),
              {.summary = rotate ? "Replace a webhook endpoint's signing secret"
                                 : "Reveal a webhook endpoint's signing secret",
               .reply = "WebhookSecret",
               .request = D::kNoBody,
               .description =
                   rotate ? "Deliveries from now on (retries included) are signed with the new secret."
                          : "A POST, so that every reveal is in the audit log.",
               .tag = tag});
    r.add(route(verb::post, "/api/webhooks/endpoints/{id}/test", admin,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    const json body = c.jsonBody();
                    const json type = body.value("eventType", json("sandbox.created"));
                    const std::string eventType = type.is_string() ? type.get<std::string>() : "?";
                    const std::string org = c.principal->organizationId;
                    const json data{{"id", "test"},
                                    {"organizationId", org},
                                    {"test", true},
                                    {"message", "A test message sent from Cove."}};
                    co_return http::jsonResponse(c.req, 200,
                                                 hooksOf(g).send(org, eventType, data, {}, c.param("id")));
                },
                {"send_webhook_message", "webhook_endpoint", "id"}),
          {.summary = "Send a test message to one endpoint",
           .reply = "WebhookMessage",
           .request = "WebhookTest",
           .description = "Sent even when the endpoint is not subscribed to the event (a disabled endpoint "
                          "gets nothing: the delivery fails and says so); the data says \"test\": true.",
           .tag = tag});
    r.add(route(verb::get, "/api/webhooks/deliveries", admin,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    const int limit = intQuery(c, "limit", 100, 1, domain::Webhooks::kMaxListLimit);
                    co_return http::jsonResponse(
                        c.req, 200,
                        hooksOf(g).deliveries(c.principal->organizationId,
                                              c.queryValue("endpointId").value_or(""),
                                              c.queryValue("status").value_or(""),
                                              c.queryValue("messageId").value_or(""), limit));
                }),
          {.summary = "The delivery log, newest first, with every attempt",
           .reply = "WebhookDelivery[]",
           .query = {{"endpointId", "string"},
                     {"status", "string", "pending, succeeded or failed"},
                     {"messageId", "string"},
                     {"limit", "integer",
                      "1 to " + std::to_string(domain::Webhooks::kMaxListLimit) + " (100)"}},
           .tag = tag});
    r.add(route(verb::get, "/api/webhooks/messages/{messageId}", admin,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    co_return http::jsonResponse(
                        c.req, 200, hooksOf(g).message(c.principal->organizationId, c.param("messageId")));
                }),
          {.summary = "A webhook message with its deliveries", .reply = "WebhookMessage", .tag = tag});
    r.add(route(verb::get, "/api/webhooks/messages/{messageId}/attempts", admin,
                [&g](RequestContext& c) -> awaitable<http::Response> {
                    co_return http::jsonResponse(
                        c.req, 200, hooksOf(g).attempts(c.principal->organizationId, c.param("messageId")));
                }),
          {.summary = "Delivery attempts of a webhook message", .reply = "WebhookAttempt[]", .tag = tag});
}

} // namespace cove::api
