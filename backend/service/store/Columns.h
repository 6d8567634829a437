// Nullable columns: read into typed optional fields and bound as NULL when absent. Shared by the
// repositories, and by the domain for the optional fields of their records.
#pragma once

#include "service/store/Store.h"

#include <cstdint>
#include <optional>
#include <string>

namespace cove::store {

inline std::optional<std::string> optText(const Value& v) {
    return v.isNull() ? std::nullopt : std::optional<std::string>(v.asText());
}

inline std::optional<std::int64_t> optInt(const Value& v) {
    return v.isNull() ? std::nullopt : std::optional<std::int64_t>(v.asInt());
}

// For text fields where the domain means "none" by an empty string.
inline std::optional<std::string> nonEmpty(const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

inline Value nullable(const std::optional<std::int64_t>& v) {
    return v ? Value(*v) : Value();
}

inline Value nullable(const std::optional<std::string>& v) {
    return v ? Value(*v) : Value();
}

} // namespace cove::store
