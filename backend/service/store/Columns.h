// Reading nullable columns into typed fields and binding optional fields as NULL: shared by the
// repositories, so each maps a row in one place.
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

inline Value nullable(const std::optional<std::int64_t>& v) {
    return v ? Value(*v) : Value();
}

inline Value nullable(const std::optional<std::string>& v) {
    return v ? Value(*v) : Value();
}

} // namespace cove::store
