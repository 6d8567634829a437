// What the domain refuses or fails at, in its own terms: a kind, a sentence that says what to do, and
// where a client can act on it a code and the request field at fault (common/ApiError.h, `errors::`).
// The domain knows nothing of HTTP; the api layer turns each kind into a status (api/HttpServer.cpp).
#pragma once

#include <string>

namespace cove::domain {

struct DomainError {
    enum class Kind {
        Invalid,         // the request is wrong: 400
        Unauthenticated, // no valid key: 401
        Forbidden,       // the key may not: 403
        NotFound,        // 404
        Conflict,        // not in this state, or the name is taken: 409
        TooLarge,        // 413
        Internal,        // Cove's own fault: 500
        EngineFailed,    // the engine or the sandbox's agent answered badly: 502
        Unavailable,     // try again later: 503
        TimedOut,        // the sandbox's agent took no connection in time: 504
        NoSpace,         // the disk is full: 507
    };
    Kind kind = Kind::Internal;
    std::string message;
    std::string code;  // optional machine-readable code
    std::string field; // optional: the request field at fault

    static DomainError invalid(std::string m) { return {Kind::Invalid, std::move(m), {}, {}}; }
    static DomainError unauthenticated(std::string m) {
        return {Kind::Unauthenticated, std::move(m), {}, {}};
    }
    static DomainError forbidden(std::string m) { return {Kind::Forbidden, std::move(m), {}, {}}; }
    static DomainError notFound(std::string m) { return {Kind::NotFound, std::move(m), {}, {}}; }
    static DomainError conflict(std::string m) { return {Kind::Conflict, std::move(m), {}, {}}; }
    static DomainError tooLarge(std::string m) { return {Kind::TooLarge, std::move(m), {}, {}}; }
    static DomainError internal(std::string m) { return {Kind::Internal, std::move(m), {}, {}}; }
    static DomainError engineFailed(std::string m) { return {Kind::EngineFailed, std::move(m), {}, {}}; }
    static DomainError unavailable(std::string m) { return {Kind::Unavailable, std::move(m), {}, {}}; }
    static DomainError timedOut(std::string m) { return {Kind::TimedOut, std::move(m), {}, {}}; }
    static DomainError noSpace(std::string m) { return {Kind::NoSpace, std::move(m), {}, {}}; }

    // The HTTP status Daytona's API answers such an error with, and its audit log records.
    static int statusOf(Kind kind) {
        static constexpr int kStatus[] = {400, 401, 403, 404, 409, 413, 500, 502, 503, 504, 507};
        return kStatus[static_cast<int>(kind)];
    }
    int status() const { return statusOf(kind); }
    // The kind for an HTTP status (what an S3 error names, say); 500 for one no kind has.
    static Kind kindOf(int status) {
        for (int k = 0; k <= static_cast<int>(Kind::NoSpace); ++k)
            if (statusOf(static_cast<Kind>(k)) == status)
                return static_cast<Kind>(k);
        return Kind::Internal;
    }

    // The same error with a code and the field it concerns.
    DomainError with(std::string errorCode, std::string fieldName = {}) && {
        code = std::move(errorCode);
        field = std::move(fieldName);
        return std::move(*this);
    }
};

} // namespace cove::domain
