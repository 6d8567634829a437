// The agent handshake's lines (common/AgentHandshake.cpp) on any bytes: what parses is exactly a nonce of
// 64 lower-case hex digits (and, for coved's answer, a proof of 64 more), cut from the line itself; and a
// proof over fuzzed fields matches itself and nothing shorter.
#include "FuzzCheck.h"

#include "common/AgentHandshake.h"

using namespace cove;

static bool isLowerHex(std::string_view s) {
    return s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    if (const auto nonce = handshake::parseGreeting(in)) {
        FUZZ_CHECK(nonce->size() == 64 && isLowerHex(*nonce));
        FUZZ_CHECK(in.size() == handshake::kGreeting.size() + 64);
    }
    if (const auto answer = handshake::parseAnswer(in)) {
        FUZZ_CHECK(answer->nonce.size() == 64 && isLowerHex(answer->nonce));
        FUZZ_CHECK(answer->proof.size() == 64 && isLowerHex(answer->proof));
        FUZZ_CHECK(in.size() == 129 && in[64] == ' ');
    }
    // The input as secret and fields: proofs are deterministic and bind their inputs.
    const auto third = in.size() / 3;
    const auto p =
        handshake::proof(in.substr(0, third), "coved", in.substr(third, third), in.substr(2 * third), "id");
    FUZZ_CHECK(p.size() == 64 && isLowerHex(p));
    FUZZ_CHECK(handshake::matches(p, handshake::proof(in.substr(0, third), "coved", in.substr(third, third),
                                                      in.substr(2 * third), "id")));
    FUZZ_CHECK(!handshake::matches(p, p.substr(0, 63)));
    return 0;
}
