// What a failed call to coved says, typed: the HTTP status, the service's code and field, its message.
#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace cove::app {

struct ApiResult;

// The codes coved puts in an error body's "code"; Other for any other code, None for a body without one.
enum class ErrorCode {
    None,
    InvalidField,
    QuotaExceeded,
    NameTaken,
    SnapshotNotFound,
    VolumeNotFound,
    Other
};

struct ApiError {
    int status = 0; // HTTP status; 0 when coved could not be reached
    ErrorCode code = ErrorCode::None;
    QString codeName; // "code" as sent, for codes this dashboard does not know
    QString field;    // the top-level key of the request that is wrong ("name", "cpu"…); empty: none
    QString message;  // the service's own sentence
    QString text;     // the sentence for the user (the message, or why coved was not reached)

    bool unreachable() const { return status == 0; }
    // The body {statusCode, error, message, code?, field?, …} of a failed reply.
    static ApiError fromBody(int status, const QByteArray& body, const QString& text = {});
    static ApiError fromResult(const ApiResult& result);
};

ErrorCode errorCodeFromString(const QString& code);

// Nothing but success, for calls that answer with no value the dashboard uses.
struct Done {};

// A typed call's outcome: a value or an ApiError.
template <class T> class Result {
public:
    Result(T value)
        : m_value(std::move(value)) {}
    Result(ApiError error)
        : m_error(std::move(error)) {}

    bool ok() const { return m_value.has_value(); }
    const T& value() const { return *m_value; }
    const ApiError& error() const { return m_error; }

private:
    std::optional<T> m_value;
    ApiError m_error;
};

} // namespace cove::app
