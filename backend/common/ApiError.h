// An error a request handler returns: HTTP status plus a message that tells the user what to do next.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace cove {

struct ApiError {
    int status = 500;
    std::string message;
    std::string code; // optional machine-readable code, e.g. FILE_NOT_FOUND

    static ApiError badRequest(std::string m) { return {400, std::move(m), {}}; }
    static ApiError unauthorized(std::string m) { return {401, std::move(m), {}}; }
    static ApiError forbidden(std::string m) { return {403, std::move(m), {}}; }
    static ApiError notFound(std::string m) { return {404, std::move(m), {}}; }
    static ApiError conflict(std::string m) { return {409, std::move(m), {}}; }
    static ApiError tooLarge(std::string m) { return {413, std::move(m), {}}; }
    static ApiError internal(std::string m) { return {500, std::move(m), {}}; }
    static ApiError badGateway(std::string m) { return {502, std::move(m), {}}; }
    static ApiError unavailable(std::string m) { return {503, std::move(m), {}}; }

    // The body Daytona's clients parse: {statusCode, error, message, code?, timestamp, path}.
    nlohmann::json toJson(const std::string& path) const;
};

const char* httpReasonPhrase(int status);

} // namespace cove
