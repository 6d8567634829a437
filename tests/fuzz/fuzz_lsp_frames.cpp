// What the agent reads from a language server's stdout (agent/lsp/Framing.cpp), on any bytes in any
// pieces: no body is bigger than kMaxMessageBytes, the buffer holds no more than a header, a body and
// one feed, pieces of any size decode to the same bodies, a framed body reads back as itself, nothing
// is decoded after a failure, and each body goes through the agent's bounded JSON parse.
#include "FuzzCheck.h"

#include "agent/lsp/Framing.h"
#include "common/JsonLimits.h"

#include <vector>

using namespace cove::agent;

namespace {
std::vector<std::string> decode(std::string_view in, std::size_t piece, std::string& error) {
    lsp::FrameReader r;
    std::vector<std::string> bodies;
    for (std::size_t at = 0; at < in.size(); at += piece) {
        const auto chunk = in.substr(at, piece);
        r.feed(chunk);
        FUZZ_CHECK(r.buffered() <= lsp::kMaxHeaderBytes + 4 + lsp::kMaxMessageBytes + chunk.size());
        while (auto body = r.next()) {
            FUZZ_CHECK(body->size() <= lsp::kMaxMessageBytes);
            bodies.push_back(std::move(*body));
        }
        if (r.failed()) {
            FUZZ_CHECK(!r.error().empty());
            FUZZ_CHECK(!r.next());
            FUZZ_CHECK(r.buffered() == 0);
            error = r.error();
            break;
        }
    }
    return bodies;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    // The first byte picks the piece size: a stream split anywhere must decode the same as in one go.
    const std::size_t piece = size ? 1 + data[0] % 97 : 1;
    std::string wholeError, piecesError;
    const auto whole = decode(in, in.size() ? in.size() : 1, wholeError);
    const auto pieces = decode(in, piece, piecesError);
    FUZZ_CHECK(whole == pieces);
    FUZZ_CHECK(wholeError.empty() == piecesError.empty());
    for (const auto& body : whole) {
        const auto parsed = cove::parseUntrustedJson(body, 128);
        FUZZ_CHECK(parsed.value.has_value() != !parsed.error.empty());
        // What the agent writes, the agent reads back.
        lsp::FrameReader again;
        again.feed(lsp::frame(body));
        const auto back = again.next();
        FUZZ_CHECK(back && *back == body && !again.next() && again.buffered() == 0);
    }
    return 0;
}
