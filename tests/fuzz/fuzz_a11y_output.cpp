// The accessibility helper's answer (agent/computeruse/A11yOutput.cpp) on any bytes: it is refused with an
// ApiError or rebuilt into a reply whose every node has a well-formed id and bounded fields, whose tree
// is no deeper and no larger than the limits, and which serializes.
#include "FuzzCheck.h"

#include "agent/computeruse/A11yOutput.h"
#include "common/ApiError.h"

#include <nlohmann/json.hpp>

using namespace cove::agent::computeruse;
using nlohmann::json;

namespace {

int checkNode(const json& n, int depth, bool children) {
    FUZZ_CHECK(n.is_object());
    FUZZ_CHECK(validA11yNodeId(n.at("id").get<std::string>()));
    FUZZ_CHECK(n.at("name").get<std::string>().size() <= kMaxA11yText);
    FUZZ_CHECK(n.at("description").get<std::string>().size() <= kMaxA11yText);
    FUZZ_CHECK(n.at("role").get<std::string>().size() <= 64);
    FUZZ_CHECK(n.at("states").size() <= kMaxA11yList && n.at("actions").size() <= kMaxA11yList);
    FUZZ_CHECK(depth <= kMaxA11yDepth);
    int count = 1;
    if (const auto k = n.find("children"); k != n.end()) {
        FUZZ_CHECK(children);
        for (const auto& c : *k)
            count += checkNode(c, depth + 1, true);
    }
    return count;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const auto kind = static_cast<A11yAnswer>(data[0] % 3);
    const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    json out;
    try {
        out = parseA11yOutput(bytes, kind);
    } catch (const cove::ApiError& e) {
        FUZZ_CHECK(e.status == 400 || e.status == 404 || e.status == 500 || e.status == 503);
        FUZZ_CHECK(!e.message.empty() && e.message.size() <= 600);
        return 0;
    }
    (void)out.dump(); // well-formed UTF-8 throughout, or this throws
    if (kind == A11yAnswer::Tree)
        FUZZ_CHECK(checkNode(out.at("root"), 0, true) <= kMaxA11yNodes);
    if (kind == A11yAnswer::Find) {
        FUZZ_CHECK(out.at("matches").size() <= std::size_t(kMaxA11yNodes));
        for (const auto& m : out.at("matches"))
            checkNode(m, 0, false);
    }
    return 0;
}
