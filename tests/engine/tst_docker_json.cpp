// Docker's JSON to Cove's engine types and back, without an engine: a real inspect as Docker 20.10 answers
// it, the same container as Podman 4.3's compatible API answers it, and fields of the wrong type (an
// image's author controls its labels and config).
#include "service/engine/DockerJson.h"

#include <QtTest>

using namespace cove::engine;
using nlohmann::json;

namespace {

// docker inspect of a sandbox container, trimmed to what Cove reads and a few fields around it.
const char* const kDockerInspect = R"({
 "Id": "7321e4b1310d2f0b161f120b26866abba364b26571ba09a66e26a15f152a788e",
 "Name": "/cove-sb1",
 "Image": "sha256:b8eadb20e9424ca803e8daa30f7b0ec3cbdc6dfdd3083d642f23b21ecba7d1ed",
 "State": {"Status": "running", "Running": true, "Paused": false, "Pid": 29317, "ExitCode": 0,
           "Error": "", "StartedAt": "2026-12-05T23:54:32.841180842Z", "FinishedAt": "0001-01-01T00:00:00Z"},
 "Config": {"Labels": {"cove.sandbox.id": "sb1", "cove.instance": "abc"}},
 "NetworkSettings": {"IPAddress": "",
   "Networks": {"cove-abc": {"IPAMConfig": {"IPv4Address": "10.88.0.5"}, "Gateway": "10.88.0.1",
                             "IPAddress": "10.88.0.5", "IPPrefixLen": 16}}}
})";

} // namespace

class TestDockerJson : public QObject {
    Q_OBJECT
private slots:
    void inspectReadsStatePidLabelsAndAddress() {
        const ContainerStatus c = docker::statusOfInspect(json::parse(kDockerInspect));
        QCOMPARE(c.name, std::string("cove-sb1"));
        QCOMPARE(c.state, ContainerState::Running);
        QVERIFY(c.running());
        QCOMPARE(c.pid, 29317);
        QCOMPARE(c.labels.at("cove.sandbox.id"), std::string("sb1"));
        QCOMPARE(c.ipAddress, std::string("10.88.0.5"));
        QCOMPARE(c.startedAt, std::string("2026-12-05T23:54:32.841180842Z"));
    }
    // Podman: the same, with the top-level address empty and Init null; Docker's default bridge: only
    // the top-level address.
    void addressesWhereverTheEngineKeepsThem() {
        json podman = json::parse(kDockerInspect);
        podman["HostConfig"] = {{"Init", nullptr}, {"NetworkMode", "bridge"}};
        QCOMPARE(docker::statusOfInspect(podman).ipAddress, std::string("10.88.0.5"));
        json bridge = json::parse(kDockerInspect);
        bridge["NetworkSettings"] = {{"IPAddress", "172.17.0.2"}};
        QCOMPARE(docker::statusOfInspect(bridge).ipAddress, std::string("172.17.0.2"));
    }
    void exitedAndUnknownStates() {
        json j = json::parse(kDockerInspect);
        j["State"] = {{"Status", "exited"}, {"ExitCode", 137}, {"Pid", 0}};
        const auto c = docker::statusOfInspect(j);
        QCOMPARE(c.state, ContainerState::Exited);
        QCOMPARE(c.exitCode, 137);
        QVERIFY(!c.running());
        j["State"]["Status"] = "hibernating";
        QCOMPARE(docker::statusOfInspect(j).state, ContainerState::Unknown);
    }
    // Wrong types read as empty, never as an exception or undefined behaviour: a label that is a number,
    // a pid that is a string, an exit code of 1e300, a state that is an array, a document that is a list.
    void wrongTypesReadAsEmpty() {
        json j = json::parse(kDockerInspect);
        j["State"] = {{"Status", json::array({"running"})}, {"Pid", "29317"}, {"ExitCode", 1e300}};
        j["Config"]["Labels"] = {{"cove.sandbox.id", 7}, {"ok", "yes"}};
        j["NetworkSettings"]["Networks"] = "none";
        const auto c = docker::statusOfInspect(j);
        QCOMPARE(c.state, ContainerState::Unknown);
        QCOMPARE(c.pid, 0);
        QCOMPARE(c.exitCode, 0);
        QVERIFY(!c.labels.count("cove.sandbox.id"));
        QCOMPARE(c.labels.at("ok"), std::string("yes"));
        QCOMPARE(c.ipAddress, std::string());
        QCOMPARE(docker::statusOfInspect(json::array({1, 2})).id, std::string());
        // A pid beyond int is no pid, not a truncated one that names another process.
        j["State"] = {{"Status", "running"}, {"Pid", 4294967296 + 29317LL}};
        QCOMPARE(docker::statusOfInspect(j).pid, 0);
    }
    void listEntryAndImage() {
        const auto c = docker::statusOfListEntry(json::parse(
            R"({"Id":"abc","Names":["/cove-sb2"],"ImageID":"sha256:1","State":"created","Labels":{"a":"b"}})"));
        QCOMPARE(c.name, std::string("cove-sb2"));
        QCOMPARE(c.state, ContainerState::Created);
        QCOMPARE(c.labels.at("a"), std::string("b"));
        const auto image = docker::imageOfInspect(json::parse(
            R"({"Id":"sha256:9","Size":123456789,"Config":{"User":"cove","WorkingDir":"/home/cove",
                "Entrypoint":null,"Cmd":["sleep","infinity"],"Env":["PATH=/usr/bin",5],
                "Labels":{"org.opencontainers.image.title":"x","bad":{"x":1}}}})"));
        QCOMPARE(image.sizeBytes, std::int64_t{123456789});
        QCOMPARE(image.config.user, std::string("cove"));
        QVERIFY(image.config.entrypoint.empty());
        QCOMPARE(image.config.command, (std::vector<std::string>{"sleep", "infinity"}));
        QCOMPARE(image.config.env, (std::vector<std::string>{"PATH=/usr/bin"}));
        QCOMPARE(image.config.labels.size(), std::size_t{1});
    }
    void networkInspect() {
        const auto n = docker::networkOf(json::parse(
            R"({"Id":"n1","Name":"cove-abc","IPAM":{"Config":[{"Subnet":"10.88.0.0/16","Gateway":"10.88.0.1"}]},
                "Options":{"com.docker.network.bridge.name":"cove-abc"},"Labels":{"cove.instance":"abc"}})"));
        QCOMPARE(n.name, std::string("cove-abc"));
        QCOMPARE(n.subnets, (std::vector<std::string>{"10.88.0.0/16"}));
        QCOMPARE(n.gateway, std::string("10.88.0.1"));
        QCOMPARE(n.bridge, std::string("cove-abc"));
    }
    // Every field of a spec survives the trip through Docker's create body, which is how a sandbox
    // archived by an earlier Cove (that stored the body) is made again.
    void createBodyRoundTrips() {
        ContainerSpec spec;
        spec.image = "cove-base:latest";
        spec.hostname = "sb1";
        spec.user = "cove";
        spec.entrypoint = {"/usr/local/bin/cove-agent"};
        spec.command = {"--serve"};
        spec.env = {{"A", "1"}, {"B", "x=y"}};
        spec.labels = {{"cove.sandbox.id", "sb1"}};
        spec.binds = {{"/data/sb1/run", "/run/cove", false}, {"/data/vol", "/mnt/a:b", true}};
        spec.resources = {2, 4LL << 30};
        spec.diskGiB = 5;
        spec.pidsLimit = 4096;
        spec.capDrop = {"NET_RAW"};
        spec.init = true;
        spec.address = Address{"cove-abc", "10.88.0.7"};
        const json body = docker::createBody(spec);
        QCOMPARE(body["HostConfig"]["CpuQuota"].get<std::int64_t>(), 2 * docker::kCpuPeriod);
        QCOMPARE(body["HostConfig"]["MemorySwap"].get<std::int64_t>(), 4LL << 30); // no swap beyond memory
        QCOMPARE(body["HostConfig"]["Privileged"].get<bool>(), false);
        QCOMPARE(docker::specOfCreateBody(body).toJson(), spec.toJson());
    }
    void hostileCreateBodyReadsAsEmpty() {
        const auto spec = docker::specOfCreateBody(json::parse(
            R"({"Image":"x","HostConfig":{"CpuPeriod":-5,"CpuQuota":1e308,"Memory":"lots","Binds":[":::",7],
                "Privileged":"yes","StorageOpt":{"size":"huge"}}})"));
        QCOMPARE(spec.image, std::string("x"));
        QCOMPARE(spec.resources.cpus, 0);
        QCOMPARE(spec.resources.memoryBytes, std::int64_t{0});
        QCOMPARE(spec.diskGiB, 0);
        QVERIFY(!spec.privileged);
        QCOMPARE(spec.binds.size(), std::size_t{1});
    }

    void subvolumeCreationIsRefusedAndEveryOtherIoctlAllowed() {
        // An engine's filter as its runtime bundle holds it: an allow list, ioctl among the allowed.
        const json seccomp =
            json::parse(R"({"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],
            "syscalls":[{"names":["read","ioctl","write"],"action":"SCMP_ACT_ALLOW"},
                        {"names":["personality"],"action":"SCMP_ACT_ALLOW",
                         "args":[{"index":0,"value":0,"valueTwo":0,"op":"SCMP_CMP_EQ"}]}]})");
        const auto profile = docker::subvolumeSafeProfile(seccomp);
        QVERIFY(profile);
        QCOMPARE((*profile)["defaultAction"], json("SCMP_ACT_ERRNO"));
        QCOMPARE((*profile)["syscalls"][0]["names"], json({"read", "write"}));
        // What the kernel's filter would decide for an ioctl request (arg 1, all 64 bits of it).
        const auto allowed = [&](std::uint64_t request) {
            for (const auto& rule : (*profile)["syscalls"]) {
                const auto& names = rule["names"];
                if (std::find(names.begin(), names.end(), json("ioctl")) == names.end())
                    continue;
                if (!rule.contains("args"))
                    return true;
                bool all = true;
                for (const auto& a : rule["args"]) {
                    if (a["op"] != "SCMP_CMP_MASKED_EQ" || a["index"] != 1)
                        return false; // not what this evaluator (or the profile) means
                    all = all &&
                          (request & a["value"].get<std::uint64_t>()) == a["valueTwo"].get<std::uint64_t>();
                }
                if (all)
                    return true;
            }
            return false;
        };
        // Subvolume and snapshot creation (v1 and v2), removal, and every other request of that shape...
        for (std::uint64_t r : {0x50009401ull, 0x5000940eull, 0x5000940full, 0x50009417ull, 0x50009418ull,
                                0x50009400ull, 0x500094ffull})
            QVERIFY2(!allowed(r), qPrintable(QString::number(r, 16)));
        // ...also with bits above 32 set, which the kernel drops from the request.
        QVERIFY(!allowed(0x1'5000940eull));
        QVERIFY(!allowed(0xffffffff'50009418ull));
        // Terminals, sockets, files and btrfs's read-only queries still work.
        for (std::uint64_t r : {0x5401ull, 0x5413ull, 0x541bull, 0x8004667eull, 0xd000941full, 0x50009300ull,
                                0x50009500ull, 0x40009400ull, 0xc4009401ull, 0x0ull, 0xffffffffull})
            QVERIFY2(allowed(r), qPrintable(QString::number(r, 16)));
        // No allow list, or ioctl not allowed to begin with: nothing to add to.
        QVERIFY(!docker::subvolumeSafeProfile(
            json::parse(R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[]})")));
        QVERIFY(!docker::subvolumeSafeProfile(json::parse(
            R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]})")));
        QVERIFY(!docker::subvolumeSafeProfile(json("not a filter")));
    }
};

QTEST_APPLESS_MAIN(TestDockerJson)
#include "tst_docker_json.moc"
