// The interpreter worker's channel (agent/interpreter/WorkerFrames.cpp), as the agent reads what a
// sandbox's code may write there, on any bytes in any pieces: the parser never holds more than one
// frame's worth, every field stays within its limit, a control frame says only "completed" or
// "interrupted", and the frames do not depend on how the bytes were split.
#include "FuzzCheck.h"

#include "agent/interpreter/Limits.h"
#include "agent/interpreter/WorkerFrames.h"

using namespace cove::agent;

namespace {
std::string describe(const std::vector<WorkerFrame>& frames) {
    std::string s;
    for (const auto& f : frames)
        s += std::to_string(int(f.kind)) + '\0' + f.id + '\0' + f.text + '\0' + f.name + '\0' + f.value +
             '\0' + f.traceback + '\1';
    return s;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    WorkerFrameParser whole;
    const auto all = whole.feed(in);
    FUZZ_CHECK(whole.buffered() <= InterpreterLimits::kMaxFrameBytes);

    WorkerFrameParser pieces;
    std::vector<WorkerFrame> got;
    const std::size_t piece = size ? 1 + data[0] % 97 : 1;
    for (std::size_t at = 0; at < in.size(); at += piece) {
        for (auto& f : pieces.feed(in.substr(at, piece)))
            got.push_back(std::move(f));
        FUZZ_CHECK(pieces.buffered() <= InterpreterLimits::kMaxFrameBytes);
    }
    FUZZ_CHECK(describe(all) == describe(got));
    FUZZ_CHECK(whole.rejected() == pieces.rejected());
    for (const auto& f : all) {
        FUZZ_CHECK(f.id.size() <= InterpreterLimits::kMaxContextIdBytes);
        FUZZ_CHECK(f.name.size() <= InterpreterLimits::kMaxErrorNameBytes);
        FUZZ_CHECK(f.value.size() <= InterpreterLimits::kMaxErrorValueBytes);
        FUZZ_CHECK(f.traceback.size() <= InterpreterLimits::kMaxTracebackBytes);
        if (f.kind == WorkerFrame::Kind::Control)
            FUZZ_CHECK(f.text == "completed" || f.text == "interrupted");
    }
    return 0;
}
