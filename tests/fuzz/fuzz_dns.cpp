// The DNS messages the sandboxes' resolver reads (service/net/DnsMessage.cpp): queries from sandboxes and
// answers from upstreams, both hostile. Invariants:
//  - a parsed name is at most 255 bytes, lower case, with no empty label and no byte outside '!'..'~';
//  - the answer made to a parsed query parses back as an answer with the same id, name and addresses;
//  - an answer never yields more addresses than its record limit.
#include "FuzzCheck.h"

#include "service/net/DnsMessage.h"

using namespace cove::net::dns;

namespace {

void checkName(const std::string& name) {
    FUZZ_CHECK(name.size() <= DnsLimits::kMaxNameBytes);
    FUZZ_CHECK(name.find("..") == std::string::npos &&
               (name.empty() || (name.front() != '.' && name.back() != '.')));
    for (const char c : name)
        FUZZ_CHECK(c > ' ' && c <= '~' && !(c >= 'A' && c <= 'Z'));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view message(reinterpret_cast<const char*>(data), size);
    if (const auto q = parseQuery(message)) {
        checkName(q->name);
        const std::vector<std::uint32_t> addresses = {0x0A000001, 0x0A000002};
        const auto answer = parseAnswer(makeAnswer(*q, Rcode::NoError, addresses, 60));
        // A name with compression in its question points into the query's own layout: still one answer.
        FUZZ_CHECK(answer);
        FUZZ_CHECK(answer->id == q->id && answer->name == q->name && answer->addresses == addresses);
        FUZZ_CHECK(parseAnswer(makeAnswer(*q, Rcode::NxDomain))->rcode == Rcode::NxDomain);
        // A query made again for the name asks for the same name.
        const auto again = parseQuery(makeQuery(q->id, q->name, q->type));
        FUZZ_CHECK(again && again->name == q->name);
    }
    if (const auto a = parseAnswer(message)) {
        checkName(a->name);
        FUZZ_CHECK(a->addresses.size() <= DnsLimits::kMaxRecords);
    }
    return 0;
}
