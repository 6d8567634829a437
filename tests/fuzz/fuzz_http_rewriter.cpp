// The secrets interceptor's request rewriter (domain/HttpRewriter.cpp) on any bytes: however the stream is
// cut into reads, the bytes sent upstream and the verdict are the same; and a secret's value only ever goes
// out in a request whose Host is the one host that may receive it.
#include "FuzzCheck.h"

#include "service/domain/HttpRewriter.h"

#include <algorithm>
#include <cctype>
#include <string>

using namespace cove::domain;

namespace {

constexpr const char* kPlaceholder = "dtn_secret_ph";
constexpr const char* kValue = "VALUE-42";

struct Run {
    std::string out;
    bool ok = true;
};

Run rewrite(const std::string& in, std::size_t step) {
    RequestRewriter r([&](std::string_view host) {
        Substitutions s;
        if (host == "allowed.test")
            s.pairs.emplace_back(kPlaceholder, kValue);
        return s;
    });
    Run run;
    for (std::size_t at = 0; at < in.size() && run.ok; at += step)
        run.ok = r.feed(std::string_view(in).substr(at, step), run.out);
    return run;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const std::size_t step = 1 + data[0] % 7;
    std::string in(reinterpret_cast<const char*>(data + 1), size - 1);
    const Run whole = rewrite(in, std::max<std::size_t>(in.size(), 1));
    const Run pieces = rewrite(in, step);
    FUZZ_CHECK(whole.ok == pieces.ok);
    FUZZ_CHECK(whole.out == pieces.out);
    // The value appears in what goes upstream only when a request named the allowed host (or the sandbox
    // wrote the value itself, which it cannot know).
    if (whole.out.find(kValue) != std::string::npos) {
        std::string lower = in;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        FUZZ_CHECK(lower.find("allowed.test") != std::string::npos || in.find(kValue) != std::string::npos);
    }
    return 0;
}
