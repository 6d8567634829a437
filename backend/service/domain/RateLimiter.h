// Token buckets per API key, named as Daytona names its throttlers, and a brake on sources that keep
// presenting bad credentials.
#pragma once

#include "common/Time.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cove::domain {

// Requests per minute; 0 means no limit.
struct RateLimits {
    int authenticated = 6000;   // every authenticated request
    int sandboxCreate = 300;    // POST /api/sandbox
    int sandboxLifecycle = 600; // start, stop, archive, recover, resize, delete
    int authFailures = 20;      // refused credentials from one address before it must wait
};

class RateLimiter {
public:
    enum class Class { General, Create, Lifecycle };
    struct Bucket {
        std::string name; // authenticated, sandbox-create, sandbox-lifecycle
        int limit = 0, remaining = 0, resetSeconds = 0;
    };
    struct Decision {
        bool allowed = true;
        int retryAfter = 0;          // seconds, when refused
        std::string refusedBy;       // the bucket that refused
        std::vector<Bucket> buckets; // for the X-RateLimit-* headers
    };

    RateLimiter(const Clock& clock, RateLimits limits)
        : m_clock(clock)
        , m_limits(limits) {}

    // Takes one token from every bucket the request counts against, or none if any is empty.
    Decision take(const std::string& keyId, Class c);
    // Seconds the address must wait before presenting a credential again, if it must.
    std::optional<int> authBlocked(const std::string& ip);
    // Counts a refused credential; true when this one starts a block (audit it once, not every retry).
    bool authFailed(const std::string& ip);
    const RateLimits& limits() const { return m_limits; }

private:
    struct State {
        double tokens = 0;
        TimePoint at;
    };
    struct Window {
        int failures = 0;
        TimePoint start;
    };
    const Clock& m_clock;
    RateLimits m_limits;
    std::map<std::pair<std::string, std::string>, State> m_buckets; // (key, bucket name)
    std::map<std::string, Window> m_authFailures;                   // by address
};

} // namespace cove::domain
