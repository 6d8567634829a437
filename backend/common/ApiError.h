// An error a request handler returns: HTTP status plus a message that tells the user what to do next.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace cove {

struct ApiError {
    int status = 500;
    std::string message;
    std::string code;  // optional machine-readable code, e.g. FILE_NOT_FOUND
    std::string field; // optional: the request field at fault, e.g. "cpu" (clients highlight it)

    static ApiError badRequest(std::string m) { return {400, std::move(m), {}}; }
    static ApiError unauthorized(std::string m) { return {401, std::move(m), {}}; }
    static ApiError forbidden(std::string m) { return {403, std::move(m), {}}; }
    static ApiError notFound(std::string m) { return {404, std::move(m), {}}; }
    static ApiError conflict(std::string m) { return {409, std::move(m), {}}; }
    static ApiError tooLarge(std::string m) { return {413, std::move(m), {}}; }
    static ApiError internal(std::string m) { return {500, std::move(m), {}}; }
    static ApiError badGateway(std::string m) { return {502, std::move(m), {}}; }
    static ApiError unavailable(std::string m) { return {503, std::move(m), {}}; }

    // The same error with a code and the field it concerns (both extra to what Daytona's clients read).
    ApiError with(std::string errorCode, std::string fieldName = {}) && {
        code = std::move(errorCode);
        field = std::move(fieldName);
        return std::move(*this);
    }

    // The body Daytona's clients parse: {statusCode, error, message, code?, field?, timestamp, path}.
    nlohmann::json toJson(const std::string& path) const;
};

const char* httpReasonPhrase(int status);

// Codes coved's own errors carry, for clients that act on the kind of failure rather than its words.
namespace errors {
inline constexpr const char* kInvalidField = "INVALID_FIELD";          // with the field at fault
inline constexpr const char* kQuotaExceeded = "QUOTA_EXCEEDED";        // field: cpu, memory or disk, if one
inline constexpr const char* kNameTaken = "NAME_TAKEN";                // field: name
inline constexpr const char* kSnapshotNotFound = "SNAPSHOT_NOT_FOUND"; // field: snapshot
inline constexpr const char* kSnapshotNotReady = "SNAPSHOT_NOT_READY"; // field: snapshot
inline constexpr const char* kVolumeNotFound = "VOLUME_NOT_FOUND";     // field: volumes
} // namespace errors

} // namespace cove
