// A sandbox's container settings as Cove stores them with the sandbox.
#include "service/engine/DockerJson.h"
#include "service/engine/Engine.h"

namespace cove::engine {

json ContainerSpec::toJson() const {
    json binds = json::array();
    for (const auto& b : this->binds)
        binds.push_back(
            {{"hostPath", b.hostPath}, {"containerPath", b.containerPath}, {"readOnly", b.readOnly}});
    json j{
        {"image", image},         {"hostname", hostname},
        {"user", user},           {"entrypoint", entrypoint},
        {"command", command},     {"env", env},
        {"labels", labels},       {"binds", binds},
        {"cpus", resources.cpus}, {"memoryBytes", resources.memoryBytes},
        {"diskGiB", diskGiB},     {"pidsLimit", pidsLimit},
        {"capDrop", capDrop},     {"privileged", privileged},
        {"init", init},
    };
    if (address)
        j["address"] = {{"network", address->network}, {"ipv4", address->ipv4}};
    return j;
}

ContainerSpec ContainerSpec::fromJson(const json& j) {
    // Earlier versions of Cove stored Docker's create body, whose keys are capitalised.
    if (j.is_object() && j.contains("Image"))
        return docker::specOfCreateBody(j);
    ContainerSpec spec;
    spec.image = j.at("image").get<std::string>();
    spec.hostname = j.value("hostname", "");
    spec.user = j.value("user", "");
    spec.entrypoint = j.value("entrypoint", std::vector<std::string>{});
    spec.command = j.value("command", std::vector<std::string>{});
    spec.env = j.value("env", std::map<std::string, std::string>{});
    spec.labels = j.value("labels", std::map<std::string, std::string>{});
    for (const auto& b : j.value("binds", json::array()))
        spec.binds.push_back({b.at("hostPath").get<std::string>(), b.at("containerPath").get<std::string>(),
                              b.value("readOnly", false)});
    if (j.contains("address") && j["address"].is_object())
        spec.address = Address{j["address"].value("network", ""), j["address"].value("ipv4", "")};
    spec.resources.cpus = j.value("cpus", 0);
    spec.resources.memoryBytes = j.value("memoryBytes", std::int64_t(0));
    spec.diskGiB = j.value("diskGiB", 0);
    spec.pidsLimit = j.value("pidsLimit", std::int64_t(0));
    spec.capDrop = j.value("capDrop", std::vector<std::string>{});
    spec.privileged = j.value("privileged", false);
    spec.init = j.value("init", false);
    return spec;
}

} // namespace cove::engine
