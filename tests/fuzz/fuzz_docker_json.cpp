// Docker's JSON to Cove's engine types (engine/DockerJson.cpp) on any document: an image's author writes
// its labels and config, and an engine behind the same socket may be another one. Reading never throws
// and never hits undefined behaviour; a pid is positive or 0; a spec read from a create body goes back to
// a body that reads as the same spec; a seccomp profile made of it allows ioctl only on conditions.
#include "FuzzCheck.h"

#include "service/engine/DockerJson.h"

using namespace cove::engine;
using nlohmann::json;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const json j = json::parse(data, data + size, nullptr, false);
    if (j.is_discarded())
        return 0;
    docker::statusOfInspect(j);
    docker::progressOf(j);
    docker::statusOfListEntry(j);
    docker::imageOfInspect(j);
    docker::networkOf(j);
    const ContainerSpec spec = docker::specOfCreateBody(j);
    const ContainerSpec again = docker::specOfCreateBody(docker::createBody(spec));
    FUZZ_CHECK(again.image == spec.image);
    FUZZ_CHECK(again.env == spec.env);
    FUZZ_CHECK(again.labels == spec.labels);
    FUZZ_CHECK(again.binds.size() == spec.binds.size());
    FUZZ_CHECK(again.privileged == spec.privileged);
    // A seccomp filter from a runtime bundle: whatever it holds, the profile made of it allows ioctl
    // only on conditions.
    if (const auto profile = docker::subvolumeSafeProfile(j))
        for (const auto& rule : profile->at("syscalls"))
            if (rule.is_object() && rule.value("action", json()) == "SCMP_ACT_ALLOW" &&
                rule.contains("names") && rule["names"].is_array())
                for (const auto& name : rule["names"])
                    FUZZ_CHECK(name != "ioctl" ||
                               (rule.contains("args") && rule["args"].is_array() && !rule["args"].empty()));
    return 0;
}
