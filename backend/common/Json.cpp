// JSON renderings shared by the service and the agent.
#include "common/ApiError.h"
#include "common/JsonLimits.h"
#include "common/Time.h"

namespace cove {

const char* httpReasonPhrase(int status) {
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 507:
        return "Insufficient Storage";
    default:
        return "Error";
    }
}

nlohmann::json ApiError::toJson(const std::string& path) const {
    nlohmann::json j{{"statusCode", status},
                     {"error", httpReasonPhrase(status)},
                     {"message", message},
                     {"timestamp", toIso8601(SystemClock().now())},
                     {"path", path}};
    if (!code.empty())
        j["code"] = code;
    if (!field.empty())
        j["field"] = field;
    return j;
}

JsonParse parseUntrustedJson(std::string_view text, int maxDepth) {
    // nlohmann's parser is iterative; the callback sees each value's depth, so nothing deeper than the
    // bound is ever built.
    bool tooDeep = false;
    const auto bound = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
        if (depth >= maxDepth) // the outermost value is at depth 0
            tooDeep = true;
        return !tooDeep;
    };
    JsonParse out;
    try {
        nlohmann::json j = nlohmann::json::parse(text, bound);
        if (tooDeep)
            out.error = "it nests deeper than " + std::to_string(maxDepth) + " levels";
        else
            out.value = std::move(j);
    } catch (const nlohmann::json::parse_error& e) {
        // Where, not nlohmann's own wording (which names the library and its exception ids).
        out.error = tooDeep                ? "it nests deeper than " + std::to_string(maxDepth) + " levels"
                    : e.byte > text.size() ? std::string(text.empty() ? "it is empty" : "it ends too early")
                                           : "it stops making sense at byte " + std::to_string(e.byte);
    } catch (const nlohmann::json::exception&) {
        // The parser's other refusal: a number no double can hold (1e999999).
        out.error = "it holds a number too large to represent";
    }
    return out;
}

} // namespace cove
