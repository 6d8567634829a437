// The agent's process-stream frames (common/StreamFrames.cpp), as coved's SSH gateway and the agent read
// them, on any bytes in any pieces: no frame is bigger than kMaxPayload, every frame decoded re-encodes to
// exactly the bytes it came from, nothing is decoded after a failure, and the buffer never holds more than
// what was fed and not yet decoded.
#include "FuzzCheck.h"

#include "common/StreamFrames.h"

using namespace cove;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    frames::Decoder d;
    std::string decoded; // the frames, encoded again
    std::size_t fed = 0;
    // The first byte picks the piece size: frames split anywhere must decode the same.
    const std::size_t piece = size ? 1 + data[0] % 64 : 1;
    for (std::size_t at = 0; at < in.size(); at += piece) {
        const auto chunk = in.substr(at, piece);
        d.feed(chunk);
        fed += chunk.size();
        while (auto f = d.next()) {
            FUZZ_CHECK(f->payload.size() <= frames::kMaxPayload);
            decoded += frames::encode(f->type, f->payload);
            if (f->type == frames::Type::Resize) {
                if (const auto s = frames::decodeResize(f->payload))
                    FUZZ_CHECK(frames::encodeResize(s->first, s->second) ==
                               frames::encode(f->type, f->payload));
            }
            if (const auto code = frames::decodeExit(f->payload); code && f->type == frames::Type::Exit)
                FUZZ_CHECK(frames::encodeExit(*code) == frames::encode(f->type, f->payload));
        }
        FUZZ_CHECK(decoded.size() + d.buffered() == fed || d.failed());
        if (d.failed()) {
            FUZZ_CHECK(!d.error().empty());
            FUZZ_CHECK(!d.next());
            break;
        }
    }
    FUZZ_CHECK(in.substr(0, decoded.size()) == decoded);
    return 0;
}
