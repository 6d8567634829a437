// Beast types and JSON response helpers shared by coved and cove-agent.
#pragma once

#include "common/ApiError.h"

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace cove::http {

namespace bhttp = boost::beast::http;
using Request = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;

// The request target without its query string.
inline std::string_view pathOf(std::string_view target) {
    const auto q = target.find('?');
    return q == std::string_view::npos ? target : target.substr(0, q);
}

inline Response jsonResponse(const Request& req, int status, const nlohmann::json& body) {
    Response res{static_cast<bhttp::status>(status), req.version()};
    res.set(bhttp::field::content_type, "application/json");
    res.keep_alive(req.keep_alive());
    res.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    res.prepare_payload();
    return res;
}

inline Response errorResponse(const Request& req, const ApiError& e) {
    return jsonResponse(req, e.status, e.toJson(std::string(pathOf(req.target()))));
}

} // namespace cove::http
