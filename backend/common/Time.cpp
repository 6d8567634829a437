// ISO 8601 rendering and millisecond conversions.
#include "common/Time.h"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <string_view>

namespace cove {

std::string toIso8601(TimePoint t) {
    const auto ms = toMillis(t);
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buf;
}

// Whether text[at..] is `pattern`, with 'd' standing for one ASCII digit (sscanf alone also takes signs
// and spaces: " 1", "+1").
static bool shaped(const std::string& text, std::size_t at, std::string_view pattern) {
    if (text.size() < at + pattern.size())
        return false;
    for (std::size_t i = 0; i < pattern.size(); ++i)
        if (pattern[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(text[at + i]))
                              : text[at + i] != pattern[i])
            return false;
    return true;
}

std::optional<TimePoint> parseIso8601(const std::string& text) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, used = 0;
    if (!shaped(text, 0, "dddd-dd-ddTdd:dd:dd"))
        return std::nullopt;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &used) != 6 ||
        used != 19)
        return std::nullopt;
    // The clock counts nanoseconds in 64 bits, which ends in 2262: later dates are refused, not wrapped.
    const bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    const int monthDays[] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > monthDays[mo - 1] || h > 23 || mi > 59 ||
        s > 60)
        return std::nullopt;
    std::size_t i = static_cast<std::size_t>(used);
    std::int64_t ms = 0;
    if (i < text.size() && text[i] == '.') {
        int digits = 0;
        for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, ++digits)
            if (digits < 3)
                ms = ms * 10 + (text[i] - '0');
        for (; digits < 3; ++digits)
            ms *= 10;
    }
    std::int64_t offsetMinutes = 0;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
        int oh = 0, om = 0;
        if (text.size() != i + 6 || !shaped(text, i + 1, "dd:dd") ||
            std::sscanf(text.c_str() + i + 1, "%2d:%2d", &oh, &om) != 2)
            return std::nullopt;
        offsetMinutes = (text[i] == '-' ? -1 : 1) * (oh * 60 + om);
    } else if (!(i + 1 == text.size() && (text[i] == 'Z' || text[i] == 'z'))) {
        return std::nullopt;
    }
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    const std::int64_t secs = static_cast<std::int64_t>(timegm(&tm)) - offsetMinutes * 60;
    return fromMillis(secs * 1000 + ms);
}

std::int64_t toMillis(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint fromMillis(std::int64_t ms) {
    return TimePoint(std::chrono::milliseconds(ms));
}

} // namespace cove
