// What the routes of several resources share: reading times and numbers from the query, the caller's
// own organization, an empty answer, and a route with its audit spec.
#pragma once

#include "service/api/Routes.h"

#include <optional>

namespace cove::api {

std::int64_t nowMs(const Governance& g);
// The caller's own organization; another id is not found, as it would be on a multi-tenant server.
void requireOwnOrganization(const RequestContext& c);
// An ISO 8601 time from the query, in ms; nothing when absent; 400 when malformed.
std::optional<std::int64_t> timeParam(const RequestContext& c, const char* name);
// A whole number from the query within [min, max]; fallback when absent; 400 otherwise.
int intQuery(const RequestContext& c, const char* name, int fallback, int min, int max);
// 204 with no body, keeping the connection as the request asked.
http::Response noContent(const RequestContext& c);
Route route(http::bhttp::verb method, std::string pattern, Access access, Handler h, AuditSpec audit = {});

} // namespace cove::api
