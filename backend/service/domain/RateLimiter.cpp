// Buckets refill continuously: a limit of N per minute gives one token every 60/N seconds, up to N.
#include "service/domain/RateLimiter.h"

#include <algorithm>
#include <cmath>

namespace cove::domain {

namespace {
constexpr double kWindowSeconds = 60.0;
constexpr std::size_t kMaxTracked = 100000; // keys and addresses remembered before old ones are dropped
} // namespace

RateLimiter::Decision RateLimiter::take(const std::string& keyId, Class c) {
    std::vector<std::pair<const char*, int>> applies{{"authenticated", m_limits.authenticated}};
    if (c == Class::Create)
        applies.emplace_back("sandbox-create", m_limits.sandboxCreate);
    if (c == Class::Lifecycle)
        applies.emplace_back("sandbox-lifecycle", m_limits.sandboxLifecycle);
    const auto now = m_clock.now();
    if (m_buckets.size() > kMaxTracked)
        m_buckets.clear();

    Decision d;
    std::vector<State*> states;
    for (const auto& [name, limit] : applies) {
        if (limit <= 0)
            continue;
        auto [it, fresh] = m_buckets.try_emplace({keyId, name});
        State& s = it->second;
        if (fresh)
            s = {static_cast<double>(limit), now};
        const double elapsed = std::chrono::duration<double>(now - s.at).count();
        // A clock that jumps back refills nothing, and one that jumps ahead at most fills the bucket.
        s.tokens = std::min<double>(limit, s.tokens + std::max(0.0, elapsed) * limit / kWindowSeconds);
        s.at = now;
        states.push_back(&s);
        if (s.tokens < 1.0 && d.allowed) {
            d.allowed = false;
            d.refusedBy = name;
            d.retryAfter = static_cast<int>(std::ceil((1.0 - s.tokens) * kWindowSeconds / limit));
        }
    }
    std::size_t i = 0;
    for (const auto& [name, limit] : applies) {
        if (limit <= 0)
            continue;
        State& s = *states[i++];
        if (d.allowed)
            s.tokens -= 1.0;
        d.buckets.push_back({name, limit, static_cast<int>(std::floor(s.tokens)),
                             static_cast<int>(std::ceil((limit - s.tokens) * kWindowSeconds / limit))});
    }
    return d;
}

std::optional<int> RateLimiter::authBlocked(const std::string& ip) {
    const auto it = m_authFailures.find(ip);
    if (m_limits.authFailures <= 0 || it == m_authFailures.end() ||
        it->second.failures < m_limits.authFailures)
        return std::nullopt;
    const auto elapsed = std::chrono::duration<double>(m_clock.now() - it->second.start).count();
    if (elapsed < 0 || elapsed >= kWindowSeconds) {
        m_authFailures.erase(it);
        return std::nullopt;
    }
    return static_cast<int>(std::ceil(kWindowSeconds - elapsed));
}

bool RateLimiter::authFailed(const std::string& ip) {
    if (m_authFailures.size() > kMaxTracked)
        m_authFailures.clear();
    const auto now = m_clock.now();
    Window& w = m_authFailures[ip];
    const auto elapsed = std::chrono::duration<double>(now - w.start).count();
    if (w.failures == 0 || elapsed < 0 || elapsed >= kWindowSeconds)
        w = {0, now};
    return ++w.failures == m_limits.authFailures;
}

} // namespace cove::domain
