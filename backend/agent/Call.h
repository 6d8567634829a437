// One toolbox request as a handler sees it: the request, its path parameters and decoded query, and
// helpers that turn bad input into Daytona-shaped errors.
#pragma once

#include "common/ApiError.h"
#include "common/Http.h"
#include "common/Url.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>

namespace cove::agent {

// Daytona's daemon error codes the agent uses (@daytona/toolbox-api-client DaemonErrorCode).
namespace code {
inline constexpr const char* kBadRequest = "BAD_REQUEST";
inline constexpr const char* kInvalidBody = "INVALID_REQUEST_BODY";
inline constexpr const char* kNotFound = "NOT_FOUND";
inline constexpr const char* kFileNotFound = "FILE_NOT_FOUND";
inline constexpr const char* kFileAccessDenied = "FILE_ACCESS_DENIED";
inline constexpr const char* kInvalidFilePath = "INVALID_FILE_PATH";
inline constexpr const char* kFileReadFailed = "FILE_READ_FAILED";
inline constexpr const char* kTimeout = "PROCESS_EXECUTION_TIMEOUT";
inline constexpr const char* kProcessNotFound = "PROCESS_NOT_FOUND";
inline constexpr const char* kSessionEnded = "SESSION_ENDED";
inline constexpr const char* kCommandCompleted = "COMMAND_ALREADY_COMPLETED";
inline constexpr const char* kConflict = "CONFLICT";
inline constexpr const char* kInternal = "INTERNAL_SERVER_ERROR";
inline constexpr const char* kLspNotInitialized = "LSP_SERVER_NOT_INITIALIZED";
inline constexpr const char* kUnavailable =
    "SERVICE_UNAVAILABLE"; // not in Daytona's list; its 503s have none
} // namespace code

inline ApiError apiError(int status, std::string message, const char* errorCode) {
    return ApiError{status, std::move(message), errorCode};
}
inline ApiError badRequest(std::string message) {
    return apiError(400, std::move(message), code::kBadRequest);
}

using http::parseQuery;
using http::percentDecode;

struct Call {
    http::Request req;
    std::map<std::string, std::string> params;
    std::multimap<std::string, std::string> query;

    const std::string& param(const std::string& name) const { return params.at(name); }
    std::optional<std::string> queryValue(const std::string& name) const {
        const auto it = query.find(name);
        return it == query.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    // A required query parameter; 400 when absent or empty.
    std::string requireQuery(const std::string& name) const;
    // The body as JSON (empty = {}); 400 INVALID_REQUEST_BODY on anything that is not JSON.
    nlohmann::json jsonBody() const;

    http::Response json(int status, const nlohmann::json& body) const {
        return http::jsonResponse(req, status, body);
    }
    // An answer with no body (204).
    http::Response empty(int status) const {
        http::Response res{static_cast<http::bhttp::status>(status), req.version()};
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        return res;
    }
};

// The body as a JSON object; 400 INVALID_REQUEST_BODY otherwise.
nlohmann::json objectBody(const Call& c);
// A required non-empty string field of a body; 400 INVALID_REQUEST_BODY naming it otherwise.
std::string requireString(const nlohmann::json& body, const char* field);

// The daemon's error body: ApiError's fields plus the `source` and `method` the SDK maps errors by.
http::Response errorReply(const http::Request& req, const ApiError& e);

} // namespace cove::agent
