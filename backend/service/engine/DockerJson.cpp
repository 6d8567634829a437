// Docker's JSON and Cove's engine types, both ways. Read leniently: what the engine (or an image's
// author, through its labels and config) put in a field of the wrong type reads as empty.
#include "service/engine/DockerJson.h"

#include "common/Base64.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <map>

namespace cove::engine::docker {

namespace {

// Docker's JSON is read leniently: a missing or mistyped field is empty, never an exception.
std::vector<std::string> stringsOf(const json& j) {
    std::vector<std::string> out;
    if (j.is_string())
        out.push_back(j.get<std::string>());
    else if (j.is_array())
        for (const auto& v : j)
            if (v.is_string())
                out.push_back(v.get<std::string>());
    return out;
}

std::map<std::string, std::string> stringMapOf(const json& j) {
    std::map<std::string, std::string> out;
    if (j.is_object())
        for (const auto& [k, v] : j.items())
            if (v.is_string())
                out[k] = v.get<std::string>();
    return out;
}

const json& member(const json& j, const char* key) {
    static const json none;
    return j.is_object() && j.contains(key) ? j[key] : none;
}

std::string stringAt(const json& j, const char* key) {
    const json& v = member(j, key);
    return v.is_string() ? v.get<std::string>() : std::string();
}

// A number that fits; a float out of range (1e300) is 0, not undefined behaviour.
std::int64_t intAt(const json& j, const char* key) {
    const json& v = member(j, key);
    if (v.is_number_integer())
        return v.get<std::int64_t>();
    if (v.is_number_float()) {
        const double d = v.get<double>();
        return d > -9.2e18 && d < 9.2e18 ? static_cast<std::int64_t>(d) : 0;
    }
    return 0;
}

int intOf(std::int64_t v) {
    return v < INT_MIN || v > INT_MAX ? 0 : static_cast<int>(v);
}

ContainerState stateNamed(const std::string& s) {
    static const std::map<std::string, ContainerState> names = {
        {"created", ContainerState::Created},   {"running", ContainerState::Running},
        {"paused", ContainerState::Paused},     {"restarting", ContainerState::Restarting},
        {"removing", ContainerState::Removing}, {"exited", ContainerState::Exited},
        {"dead", ContainerState::Dead}};
    const auto it = names.find(s);
    return it == names.end() ? ContainerState::Unknown : it->second;
}

// "/cove-<id>" is how the engine names a container; Cove knows it without the slash.
std::string withoutSlash(std::string name) {
    if (!name.empty() && name[0] == '/')
        name.erase(0, 1);
    return name;
}

// "host:container[:ro|rw]"; host paths are Cove's and have no colon, container paths may.
Bind bindOf(const std::string& s) {
    Bind b;
    std::string rest = s;
    const auto last = rest.rfind(':');
    if (last != std::string::npos && (rest.substr(last + 1) == "ro" || rest.substr(last + 1) == "rw")) {
        b.readOnly = rest.substr(last + 1) == "ro";
        rest.erase(last);
    }
    const auto first = rest.find(':');
    b.hostPath = rest.substr(0, first);
    b.containerPath = first == std::string::npos ? rest : rest.substr(first + 1);
    return b;
}

} // namespace

NetworkInfo networkOf(const json& n) {
    NetworkInfo info;
    info.id = stringAt(n, "Id");
    info.name = stringAt(n, "Name");
    const json& configs = member(member(n, "IPAM"), "Config");
    if (configs.is_array())
        for (const auto& c : configs) {
            if (const std::string subnet = stringAt(c, "Subnet"); !subnet.empty())
                info.subnets.push_back(subnet);
            if (info.gateway.empty())
                info.gateway = stringAt(c, "Gateway");
        }
    info.bridge = stringAt(member(n, "Options"), "com.docker.network.bridge.name");
    info.labels = stringMapOf(member(n, "Labels"));
    return info;
}

ContainerStatus statusOfInspect(const json& j) {
    ContainerStatus c;
    c.id = stringAt(j, "Id");
    c.name = withoutSlash(stringAt(j, "Name"));
    c.imageId = stringAt(j, "Image");
    const json& state = member(j, "State");
    c.state = stateNamed(stringAt(state, "Status"));
    c.exitCode = intOf(intAt(state, "ExitCode"));
    c.pid = intOf(intAt(state, "Pid"));
    c.startedAt = stringAt(state, "StartedAt");
    c.finishedAt = stringAt(state, "FinishedAt");
    c.labels = stringMapOf(member(member(j, "Config"), "Labels"));
    // Whatever network the container is on: its first address there (Podman leaves the top-level one
    // empty).
    const json& settings = member(j, "NetworkSettings");
    if (const json& networks = member(settings, "Networks"); networks.is_object())
        for (const auto& [name, net] : networks.items())
            if (c.ipAddress.empty())
                c.ipAddress = stringAt(net, "IPAddress");
    if (c.ipAddress.empty())
        c.ipAddress = stringAt(settings, "IPAddress");
    return c;
}

ContainerStatus statusOfListEntry(const json& j) {
    ContainerStatus c;
    c.id = stringAt(j, "Id");
    const auto names = stringsOf(member(j, "Names"));
    c.name = names.empty() ? std::string() : withoutSlash(names.front());
    c.imageId = stringAt(j, "ImageID");
    c.state = stateNamed(stringAt(j, "State"));
    c.labels = stringMapOf(member(j, "Labels"));
    return c;
}

Engine::ProgressMessage progressOf(const json& j) {
    return {stringAt(j, "stream"), stringAt(j, "status"), stringAt(j, "id"), stringAt(j, "error")};
}

ImageInfo imageOfInspect(const json& j) {
    ImageInfo image;
    image.id = stringAt(j, "Id");
    image.sizeBytes = intAt(j, "Size");
    const json& config = member(j, "Config");
    image.config.user = stringAt(config, "User");
    image.config.workingDir = stringAt(config, "WorkingDir");
    image.config.entrypoint = stringsOf(member(config, "Entrypoint"));
    image.config.command = stringsOf(member(config, "Cmd"));
    image.config.env = stringsOf(member(config, "Env"));
    image.config.labels = stringMapOf(member(config, "Labels"));
    return image;
}

json createBody(const ContainerSpec& spec) {
    json env = json::array(), binds = json::array();
    for (const auto& [name, value] : spec.env)
        env.push_back(name + "=" + value);
    for (const auto& b : spec.binds)
        binds.push_back(b.hostPath + ":" + b.containerPath + (b.readOnly ? ":ro" : ":rw"));
    json body{
        {"Image", spec.image},
        {"Hostname", spec.hostname},
        {"User", spec.user},
        {"Entrypoint", spec.entrypoint},
        {"Cmd", spec.command},
        {"Env", env},
        {"Labels", spec.labels},
        {"HostConfig",
         {{"Binds", binds}, {"Privileged", spec.privileged}, {"CapDrop", spec.capDrop}, {"Init", spec.init}}},
    };
    json& host = body["HostConfig"];
    if (spec.pidsLimit > 0)
        host["PidsLimit"] = spec.pidsLimit;
    if (spec.resources.cpus > 0) {
        host["CpuPeriod"] = kCpuPeriod;
        host["CpuQuota"] = spec.resources.cpus * kCpuPeriod;
    }
    if (spec.resources.memoryBytes > 0) // swap the same as memory: none beyond it
        host["Memory"] = host["MemorySwap"] = spec.resources.memoryBytes;
    if (spec.diskGiB > 0)
        host["StorageOpt"] = {{"size", std::to_string(spec.diskGiB) + "G"}};
    if (spec.address) {
        host["NetworkMode"] = spec.address->network;
        body["NetworkingConfig"] = {
            {"EndpointsConfig",
             {{spec.address->network, {{"IPAMConfig", {{"IPv4Address", spec.address->ipv4}}}}}}}};
    }
    return body;
}

ContainerSpec specOfCreateBody(const json& body) {
    ContainerSpec spec;
    spec.image = stringAt(body, "Image");
    spec.hostname = stringAt(body, "Hostname");
    spec.user = stringAt(body, "User");
    spec.entrypoint = stringsOf(member(body, "Entrypoint"));
    spec.command = stringsOf(member(body, "Cmd"));
    for (const auto& e : stringsOf(member(body, "Env"))) {
        const auto eq = e.find('=');
        spec.env[e.substr(0, eq)] = eq == std::string::npos ? std::string() : e.substr(eq + 1);
    }
    spec.labels = stringMapOf(member(body, "Labels"));
    const json& host = member(body, "HostConfig");
    for (const auto& b : stringsOf(member(host, "Binds")))
        spec.binds.push_back(bindOf(b));
    const std::int64_t period = intAt(host, "CpuPeriod") > 0 ? intAt(host, "CpuPeriod") : kCpuPeriod;
    spec.resources.cpus = intOf(intAt(host, "CpuQuota") / period);
    spec.resources.memoryBytes = intAt(host, "Memory");
    spec.diskGiB = std::atoi(stringAt(member(host, "StorageOpt"), "size").c_str());
    spec.pidsLimit = intAt(host, "PidsLimit");
    spec.capDrop = stringsOf(member(host, "CapDrop"));
    spec.privileged = member(host, "Privileged").is_boolean() && host["Privileged"].get<bool>();
    spec.init = member(host, "Init").is_boolean() && host["Init"].get<bool>();
    const std::string network = stringAt(host, "NetworkMode");
    const json& endpoint =
        member(member(member(body, "NetworkingConfig"), "EndpointsConfig"), network.c_str());
    if (!network.empty() && endpoint.is_object())
        spec.address = Address{network, stringAt(member(endpoint, "IPAMConfig"), "IPv4Address")};
    return spec;
}

std::optional<json> subvolumeSafeProfile(const json& seccomp) {
    if (!seccomp.is_object() || stringAt(seccomp, "defaultAction") != "SCMP_ACT_ERRNO" ||
        !member(seccomp, "syscalls").is_array())
        return std::nullopt;
    json profile = seccomp;
    bool allowed = false;
    for (json& rule : profile["syscalls"]) {
        if (!rule.is_object() || stringAt(rule, "action") != "SCMP_ACT_ALLOW" ||
            !(member(rule, "args").is_null() || member(rule, "args").empty()) ||
            !member(rule, "names").is_array())
            continue;
        json& names = rule["names"];
        const auto before = names.size();
        names.erase(std::remove(names.begin(), names.end(), json("ioctl")), names.end());
        allowed = allowed || names.size() != before;
    }
    if (!allowed)
        return std::nullopt;
    // An unconditional allow wins over any refusal of some of its calls, so ioctl is allowed by rules
    // that together cover every request but the refused range: one rule per bit of bits 8 to 31, each
    // allowing the requests whose bit differs from the range's. A mask of the low 32 bits ignores what a
    // caller puts in the upper half of the register, as the kernel does.
    constexpr std::uint64_t kRefused = 0x50009400; // the range's bits 8 to 31
    for (int bit = 8; bit < 32; ++bit) {
        const std::uint64_t mask = std::uint64_t{1} << bit;
        profile["syscalls"].push_back({{"names", {"ioctl"}},
                                       {"action", "SCMP_ACT_ALLOW"},
                                       {"args",
                                        {{{"index", 1},
                                          {"value", mask},
                                          {"valueTwo", ~kRefused & mask},
                                          {"op", "SCMP_CMP_MASKED_EQ"}}}}});
    }
    return profile;
}

json authConfigOf(const RegistryAuth& auth) {
    return {{"username", auth.username}, {"password", auth.password}, {"serveraddress", auth.serverAddress}};
}

std::string base64Url(std::string_view data) {
    std::string out = base64Encode(data);
    for (char& c : out)
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    return out;
}

} // namespace cove::engine::docker
