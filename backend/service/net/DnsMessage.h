// DNS messages (RFC 1035) as the sandboxes' resolver reads and writes them. What a sandbox sends and what
// an upstream answers are both hostile input: every read is bounds-checked, a name is at most 255 bytes,
// and compression pointers may only point backwards, so a loop cannot form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cove::net::dns {

struct DnsLimits {
    static constexpr std::size_t kMaxMessage = 4096;   // larger queries are refused, larger answers dropped
    static constexpr std::size_t kMaxNameBytes = 255;  // RFC 1035 2.3.4
    static constexpr std::size_t kMaxLabelBytes = 63;  // RFC 1035 2.3.4
    static constexpr std::size_t kMaxRecords = 64;     // answer records read from an upstream
    static constexpr std::size_t kMaxPointerHops = 32; // compression pointers followed for one name
};

enum class Rcode : std::uint8_t { NoError = 0, FormErr = 1, ServFail = 2, NxDomain = 3, Refused = 5 };
constexpr std::uint16_t kTypeA = 1;
constexpr std::uint16_t kTypeCname = 5;
constexpr std::uint16_t kClassIn = 1;

// A query: one question.
struct Query {
    std::uint16_t id = 0;
    bool recursionDesired = false;
    std::string name; // lower case, dotted, no trailing dot ("" for the root)
    std::uint16_t type = 0;
    std::uint16_t qclass = 0;
    std::string question; // the question section's bytes as sent (echoed in the answer)
};

// The IPv4 addresses an answer gives for its question, with the smallest TTL among them.
struct Answer {
    std::uint16_t id = 0;
    Rcode rcode = Rcode::NoError;
    std::string name; // the question's name, as in Query
    std::uint16_t type = 0;
    std::vector<std::uint32_t> addresses; // host order
    std::uint32_t ttl = 0;
};

// Parses a query; nothing when it is not one well-formed standard query with exactly one question.
std::optional<Query> parseQuery(std::string_view message);
// Parses an upstream's answer; nothing when malformed. A records anywhere in the answer section count
// (those of the name's CNAME chain); every other record is skipped.
std::optional<Answer> parseAnswer(std::string_view message);
// A query for `name` (type A, recursion desired) with `id`.
std::string makeQuery(std::uint16_t id, const std::string& name, std::uint16_t type);
// The answer to `q`: `rcode`, and one A record per address with `ttl`.
std::string makeAnswer(const Query& q, Rcode rcode, const std::vector<std::uint32_t>& addresses = {},
                       std::uint32_t ttl = 0);
// A name as a sandbox or a TLS/HTTP client gives it, made comparable: lower case, no trailing dot.
std::string canonicalName(std::string_view name);

} // namespace cove::net::dns
