#include "common/JsonText.h"

#include <charconv>

namespace cove {

JsonText& JsonText::open(char c) {
    separate();
    m_out += c;
    m_started.push_back(false);
    return *this;
}

JsonText& JsonText::close(char c) {
    m_out += c;
    m_started.pop_back();
    return *this;
}

void JsonText::separate() {
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (m_started.empty())
        return;
    if (m_started.back())
        m_out += ',';
    m_started.back() = true;
}

JsonText& JsonText::key(std::string_view k) {
    separate();
    string(k);
    m_out += ':';
    m_afterKey = true;
    return *this;
}

template <class N> void JsonText::integer(N n) {
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
    (void)ec; // 24 characters hold every 64-bit integer
    m_out.append(buf, end);
}
template void JsonText::integer(std::int64_t);
template void JsonText::integer(std::uint64_t);

void JsonText::string(std::string_view s) {
    // Printable ASCII with nothing to escape, as almost every id, name and date is, goes as it is; anything
    // else is escaped (and bad UTF-8 replaced) by nlohmann itself, so both print the same.
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') {
            m_out += nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            return;
        }
    }
    m_out += '"';
    m_out += s;
    m_out += '"';
}

} // namespace cove
