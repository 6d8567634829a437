// Time for Cove: an injectable clock (tests move it by hand) and ISO 8601 rendering.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace cove {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// A clock that moves only when told to: lifecycle timers are tested without waiting.
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint start = std::chrono::system_clock::now())
        : m_now(start) {}
    TimePoint now() const override { return m_now; }
    void advance(std::chrono::milliseconds d) { m_now += d; }

private:
    TimePoint m_now;
};

// "2026-11-21T22:10:05.123Z", as Daytona's API writes dates.
std::string toIso8601(TimePoint t);
// Parses "2026-11-21T22:10:05Z", with optional fraction and a Z or ±hh:mm offset; nothing if malformed.
std::optional<TimePoint> parseIso8601(const std::string& text);
// Milliseconds since the epoch, the form the store keeps.
std::int64_t toMillis(TimePoint t);
TimePoint fromMillis(std::int64_t ms);

} // namespace cove
