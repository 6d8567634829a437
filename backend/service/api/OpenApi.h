// GET /api/openapi.json: an OpenAPI 3.1 document made from coved's route table (each route's Route::doc)
// and the JSON Schemas of what its routes take and answer (OpenApi.cpp).
#pragma once

#include "service/api/Route.h"

#include <string>

namespace cove::api {

// The document of every route in `router`: path, method, access, body, reply and query parameters.
json openApiDocument(const Router& router);
// A route's pattern as an OpenAPI path: "{*rest}" (the rest of the path) becomes "{rest}".
std::string openApiPath(const std::string& pattern);
// Adds GET /api/openapi.json (public), which serves the document of the table it was added to, as it
// stands at the first request (every route is added before coved serves).
void addOpenApiRoute(Router& r);

} // namespace cove::api
