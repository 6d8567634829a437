// What the egress proxy reads from a sandbox's first bytes (service/net/Sniff.cpp): a TLS ClientHello's
// server name or an HTTP Host. Invariants:
//  - a name found is canonical (lower case, no trailing dot) and made only of letters, digits, '-', '.'
//    and '_';
//  - a decided head stays decided as more bytes arrive (a proxy must not change its mind), and what it
//    read from a prefix is what it reads from the whole;
//  - at SniffLimits::kMaxHead bytes nothing is left undecided.
#include "FuzzCheck.h"

#include "service/net/Sniff.h"

#include <cctype>

using namespace cove::net;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view head(reinterpret_cast<const char*>(data), size);
    const Sniffed whole = sniff(head);
    for (const char c : whole.host)
        FUZZ_CHECK(std::islower(static_cast<unsigned char>(c)) ||
                   std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_');
    FUZZ_CHECK(whole.host.empty() || whole.host.back() != '.');
    if (size >= SniffLimits::kMaxHead)
        FUZZ_CHECK(whole.kind != Sniffed::Kind::NeedMore);
    // Every prefix that decided decided the same way.
    for (std::size_t cut = 0; cut < size; cut += 1 + size / 16) {
        const Sniffed part = sniff(head.substr(0, cut));
        if (part.kind != Sniffed::Kind::NeedMore) {
            FUZZ_CHECK(part.kind == whole.kind);
            FUZZ_CHECK(part.host == whole.host);
        }
    }
    return 0;
}
