// The tar walker that checks uploaded build contexts and copies their entries into a build's context
// (service/domain/BuildContexts.cpp walkTar, tarProblem, singleFileTar). Invariants:
//  - entries are whole 512-byte blocks, in order, from the start, each within the archive;
//  - an archive it accepts ends with a zero block right after its entries, and the entries it copied,
//    closed with two zero blocks and followed by a Dockerfile entry (what assemble sends the engine), are
//    accepted again and walk to the same entries;
//  - singleFileTar of any name and content is accepted, as exactly one entry holding the content.
#include "FuzzCheck.h"

#include "service/domain/BuildContexts.h"

#include <algorithm>
#include <vector>

using namespace cove;

namespace {

std::vector<std::string_view> entriesOf(std::string_view tar, std::optional<std::string>& problem) {
    std::vector<std::string_view> out;
    problem = domain::walkTar(tar, [&](std::string_view e) { out.push_back(e); });
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view tar(reinterpret_cast<const char*>(data), size);
    std::optional<std::string> problem;
    const auto entries = entriesOf(tar, problem);
    std::size_t at = 0;
    for (const auto e : entries) {
        FUZZ_CHECK(e.size() >= 512 && e.size() % 512 == 0);
        FUZZ_CHECK(e.data() == tar.data() + at); // contiguous, in order, inside the input
        at += e.size();
        FUZZ_CHECK(at <= tar.size());
    }
    FUZZ_CHECK(domain::tarProblem(tar) == problem);
    if (problem) {
        FUZZ_CHECK(!problem->empty());
    } else {
        FUZZ_CHECK(at + 512 <= tar.size());
        FUZZ_CHECK(std::all_of(tar.begin() + at, tar.begin() + at + 512, [](char c) { return c == '\0'; }));
        std::string copied;
        for (const auto e : entries)
            copied += e;
        const std::string dockerfile(tar.substr(0, std::min<std::size_t>(tar.size(), 600)));
        const std::string assembled =
            copied + domain::singleFileTar(domain::kAssembledDockerfile, dockerfile);
        std::optional<std::string> again;
        const auto reentries = entriesOf(assembled, again);
        FUZZ_CHECK(!again);
        FUZZ_CHECK(reentries.size() == entries.size() + 1);
        for (std::size_t i = 0; i < entries.size(); ++i)
            FUZZ_CHECK(reentries[i] == entries[i]);
    }

    // singleFileTar: name and content from the input.
    const auto cut = tar.find('\0');
    const std::string name(tar.substr(0, std::min<std::size_t>(cut, 200)));
    const std::string content(cut == std::string_view::npos ? std::string_view() : tar.substr(cut + 1));
    const std::string one = domain::singleFileTar(name, content);
    std::optional<std::string> oneProblem;
    const auto oneEntries = entriesOf(one, oneProblem);
    FUZZ_CHECK(!oneProblem);
    FUZZ_CHECK(oneEntries.size() == 1);
    FUZZ_CHECK(oneEntries[0].substr(512, content.size()) == content);
    FUZZ_CHECK(oneEntries[0].size() == 512 + (content.size() + 511) / 512 * 512);
    return 0;
}
