// JSON text written straight into a string, for answers too large to build as nlohmann trees first (a
// list of a thousand sandboxes): no node per value, nothing to free after. What it writes is byte for
// byte what nlohmann's dump(-1, ' ', false, replace) prints for the same values, provided each object's
// keys come in the order a json object keeps them (ascending).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace cove {

class JsonText {
public:
    JsonText& beginObject() { return open('{'); }
    JsonText& endObject() { return close('}'); }
    JsonText& beginArray() { return open('['); }
    JsonText& endArray() { return close(']'); }
    JsonText& key(std::string_view k);

    // A string, a number, a boolean, null, or any json value (dumped).
    template <class V> JsonText& value(const V& v) {
        separate();
        if constexpr (std::is_same_v<V, bool>)
            m_out += v ? "true" : "false";
        else if constexpr (std::is_same_v<V, std::nullptr_t>)
            m_out += "null";
        else if constexpr (std::is_integral_v<V> && std::is_unsigned_v<V>)
            integer(static_cast<std::uint64_t>(v));
        else if constexpr (std::is_integral_v<V>)
            integer(static_cast<std::int64_t>(v));
        else if constexpr (std::is_convertible_v<const V&, std::string_view>)
            string(std::string_view(v));
        else if constexpr (std::is_same_v<V, nlohmann::json>)
            m_out += v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        else
            m_out += nlohmann::json(v).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return *this;
    }
    template <class V> JsonText& field(std::string_view k, const V& v) { return key(k).value(v); }

    const std::string& text() const { return m_out; }
    std::string take() { return std::move(m_out); }

private:
    JsonText& open(char c);
    JsonText& close(char c);
    void separate(); // the comma before an element, unless it is the first or follows its key
    template <class N> void integer(N n); // std::int64_t or std::uint64_t
    void string(std::string_view s);

    std::string m_out;
    std::vector<bool> m_started; // per open object or array: whether it has an element yet
    bool m_afterKey = false;
};

} // namespace cove
