// The narrow interface coved needs from a container engine, in Cove's terms. Docker's Engine API
// implements it (DockerClient); only that implementation knows the engine's own JSON.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cove::engine {

using boost::asio::awaitable;
using nlohmann::json;

// An engine failure. status is the engine's HTTP status, or 0 when the engine could not be reached.
class EngineError : public std::runtime_error {
public:
    EngineError(int status, const std::string& message)
        : std::runtime_error(message)
        , m_status(status) {}
    int status() const { return m_status; }
    bool unreachable() const { return m_status == 0; }
    bool notFound() const { return m_status == 404; }
    bool conflict() const { return m_status == 409; }

private:
    int m_status;
};

// A host path shown inside a container.
struct Bind {
    std::string hostPath;
    std::string containerPath;
    bool readOnly = false;
    bool operator==(const Bind&) const = default;
};

// A container's fixed address on one of the engine's networks.
struct Address {
    std::string network;
    std::string ipv4;
    bool operator==(const Address&) const = default;
};

// The CPU and memory a container may use; a running container's can be changed.
struct Resources {
    int cpus = 0;                 // whole vCPUs; 0: no limit
    std::int64_t memoryBytes = 0; // memory, swap included (no swap beyond it); 0: no limit
    bool operator==(const Resources&) const = default;
};

// Everything a sandbox's container is made with. Stored with the sandbox (toJson) so an archived
// sandbox can be made again with the same settings.
struct ContainerSpec {
    std::string image;
    std::string hostname;
    std::string user; // who PID 1 runs as; empty: the image's user
    std::vector<std::string> entrypoint;
    std::vector<std::string> command;
    std::map<std::string, std::string> env;
    std::map<std::string, std::string> labels;
    std::vector<Bind> binds;
    std::optional<Address> address; // none: the engine's default network, any address
    Resources resources;
    int diskGiB = 0;                  // cap on the container's own filesystem; 0: none
    std::int64_t pidsLimit = 0;       // 0: none
    std::vector<std::string> capDrop; // capabilities taken away, e.g. NET_RAW
    bool privileged = false;
    bool init = false; // an init process of the engine's as PID 1 (Cove's agent is PID 1 itself)
    bool operator==(const ContainerSpec&) const = default;

    json toJson() const;
    // Reads what toJson() wrote, or the engine's own create body that Cove stored before it had a
    // shape of its own (an archived sandbox of an older Cove); throws json::exception when neither.
    static ContainerSpec fromJson(const json& j);
};

enum class ContainerState { Created, Running, Paused, Restarting, Removing, Exited, Dead, Unknown };

// A container as the engine reports it. A listing fills id, name, imageId, state and labels only.
struct ContainerStatus {
    std::string id;
    std::string name;
    std::string imageId;
    ContainerState state = ContainerState::Unknown;
    int exitCode = 0;
    int pid = 0; // on the host; 0 when not running
    std::string startedAt, finishedAt;
    std::map<std::string, std::string> labels;
    std::string ipAddress; // its first address on any network; empty when it has none
    bool running() const { return state == ContainerState::Running; }
};

// What an image says about the containers made from it (and what a commit writes into one).
struct ImageConfig {
    std::string user;
    std::string workingDir;
    std::vector<std::string> entrypoint;
    std::vector<std::string> command;
    std::vector<std::string> env; // NAME=value, as the image has them
    std::map<std::string, std::string> labels;
};

struct ImageInfo {
    std::string id;
    std::int64_t sizeBytes = 0;
    ImageConfig config;
};

// A bridge network the engine keeps: its subnets (CIDR), gateway and the host's bridge interface.
struct NetworkInfo {
    std::string id;
    std::string name;
    std::vector<std::string> subnets;
    std::string gateway;
    std::string bridge;
    std::map<std::string, std::string> labels;
};

// A bridge network to make: containers on it are kept from reaching one another (`isolated`), and the
// engine hands out addresses from ipRange only (Cove picks the rest itself). An `internal` one has no
// route out: its containers reach only one another (a link network).
struct NetworkSpec {
    std::string name;
    std::string subnet; // CIDR
    std::string gateway;
    std::string ipRange; // CIDR within subnet
    std::string bridge;  // the host interface's name
    bool isolated = true;
    bool internal = false;
    std::map<std::string, std::string> labels;
};

// A container's own disk: what was written into its writable layer (not the image's files) and the
// size it may reach (0: no limit).
struct DiskUse {
    std::int64_t used = 0, limit = 0;
};

// A line a container's main process wrote (for a sandbox: its agent, which passes the image's own
// command's output on).
struct LogLine {
    std::string timestamp; // RFC 3339, as the engine stamped it
    bool fromStderr = false;
    std::string text;
};

struct EngineInfo {
    std::string version;        // e.g. 20.10.24
    std::string apiVersion;     // what the engine speaks at most
    std::string usedApiVersion; // what Cove negotiated
    std::string os;
    std::string storageDriver;
    std::string backingFilesystem;
    // Whether `--storage-opt size` can cap a container's disk here: btrfs and zfs can, overlay2 only on
    // xfs with project quotas. Elsewhere Cove records the disk size but cannot enforce it.
    bool diskLimits = false;
    std::string cgroupDriver;  // cgroupfs or systemd
    std::string cgroupVersion; // 1 or 2
    // Whether the engine runs containers in a user namespace (dockerd --userns-remap), so root in a
    // sandbox is an unprivileged user on the host: rootUid/rootGid, to whom files Cove makes for
    // sandboxes on the host belong. Without it, root in a sandbox is root on the host.
    bool userNamespaces = false;
    unsigned rootUid = 0, rootGid = 0;
    // Whether containers' filesystems can be copied, saved and put back copy-on-write (btrfs storage on
    // this machine, and coved may remove subvolumes): what forks and checkpoints need.
    bool filesystemCopies = false;
    // The OCI runtimes the engine knows (runc; crun when dockerd was given --add-runtime), and the one it
    // uses unless a container names another.
    std::vector<std::string> runtimes;
    std::string defaultRuntime;
};

// The fence of an image build's steps (the classic builder takes no per-build pids limit or address).
// Credentials for one registry, as the engine's X-Registry-Auth and X-Registry-Config headers carry them.
// They go to the engine only, which hands them to the registry; never into a container.
struct RegistryAuth {
    std::string username, password;
    std::string serverAddress; // host[:port]
};

struct BuildOptions {
    std::string network;          // the Docker network the steps run on; empty: the engine's default
    std::int64_t memoryBytes = 0; // memory of each step, swap included
    int cpus = 0;
    std::string cgroupParent; // the cgroup the steps' cgroups go under (bounds their processes together)
    // The base images' registries: the credentials by host[:port], and whether the base images must be
    // pulled even when the engine has them (so the registry decides whether this build may use them).
    std::vector<RegistryAuth> registries;
    bool pullBaseImages = false;
};

// What coved says, in its log and in /api/info, about an engine that does not remap users.
inline constexpr const char* kNoUserNamespacesWarning =
    "Root in a sandbox is root on this machine: the Docker engine does not remap users. Start dockerd "
    "with --userns-remap=default (installer/setup.sh does) so that sandbox root is an unprivileged user.";

class Engine {
public:
    virtual ~Engine() = default;
    // Connects and negotiates the API version; must be called first.
    virtual awaitable<EngineInfo> connect() = 0;
    virtual const EngineInfo& info() const = 0;
    // Returns once the engine answers; throws EngineError when it does not (the readiness probe).
    virtual awaitable<void> ping() = 0;
    virtual awaitable<std::string> createContainer(const std::string& name, const ContainerSpec& spec) = 0;
    virtual awaitable<void> startContainer(const std::string& id) = 0;
    virtual awaitable<void> removeContainer(const std::string& id) = 0;
    // SIGTERM, then SIGKILL after `seconds`; 0 kills at once. A stopped container is not an error.
    virtual awaitable<void> stopContainer(const std::string& id, int seconds) = 0;
    // Freezes every process of a running container (the cgroup freezer: memory and processes stay as they
    // are) and thaws them again.
    virtual awaitable<void> pauseContainer(const std::string& id) = 0;
    virtual awaitable<void> unpauseContainer(const std::string& id) = 0;
    // Copy-on-write copies of a container's own filesystem, where EngineInfo::filesystemCopies says they
    // work; elsewhere each throws EngineError 501. Containers are named by id or name; saved copies by a
    // name Cove picks ([a-z0-9-]). Copying into or restoring a container needs it not running.
    virtual awaitable<void> copyFilesystem(const std::string& /*from*/, const std::string& /*to*/) {
        throw unsupportedCopies();
        co_return;
    }
    virtual awaitable<void> saveFilesystem(const std::string& /*id*/, const std::string& /*name*/) {
        throw unsupportedCopies();
        co_return;
    }
    virtual awaitable<void> restoreFilesystem(const std::string& /*id*/, const std::string& /*name*/) {
        throw unsupportedCopies();
        co_return;
    }
    // Nothing when there is no such copy.
    virtual awaitable<void> dropFilesystem(const std::string& /*name*/) {
        throw unsupportedCopies();
        co_return;
    }
    // Changes the limits of a created or running container.
    virtual awaitable<void> updateContainer(const std::string& id, Resources resources) = 0;
    // The container's own disk use and limit where the storage can tell them cheaply (btrfs quota
    // groups); nullopt elsewhere.
    virtual awaitable<std::optional<DiskUse>> diskUse(const std::string& /*id*/) { co_return std::nullopt; }
    // The last `tail` lines the container wrote between the two times (seconds since the epoch).
    virtual awaitable<std::vector<LogLine>> containerLogs(const std::string& /*id*/, std::int64_t /*since*/,
                                                          std::int64_t /*until*/, int /*tail*/) {
        co_return std::vector<LogLine>{};
    }
    // Nothing when there is no such container.
    virtual awaitable<std::optional<ContainerStatus>> inspectContainer(const std::string& id) = 0;
    // Streams the container's whole filesystem as a tar to `sink`, piece by piece; returns the bytes.
    // The next piece is read once the sink's coroutine is done with this one (it may hand slow work,
    // such as compression, to another thread meanwhile).
    using Sink = std::function<awaitable<void>(const char* data, std::size_t size)>;
    virtual awaitable<std::uint64_t> exportContainer(const std::string& id, Sink sink) = 0;
    // Makes image `ref` from a (possibly gzip-compressed) root filesystem tar on disk.
    virtual awaitable<void> importImage(const std::string& tarPath, const std::string& ref) = 0;
    virtual awaitable<void> removeImage(const std::string& ref) = 0;
    // What the engine says as a build or pull goes on, one message at a time.
    struct ProgressMessage {
        std::string output; // a build step's output as printed (may hold several lines)
        std::string status; // a status line: "Downloading", "Pull complete", ...
        std::string layer;  // what the status is about (an image layer), if anything
        std::string error;  // why a step failed
    };
    using Progress = std::function<void(const ProgressMessage& message)>;
    // Builds image `tag` from a tar build context held in memory, whose file `dockerfile` (a path in the
    // context) is the Dockerfile, its steps fenced by `options`. A failing step throws EngineError
    // with the engine's reason (its messages up to then went to `progress`).
    virtual awaitable<void> buildImage(std::string contextTar, std::string tag, std::string dockerfile,
                                       BuildOptions options, Progress progress) = 0;
    // Pulls `ref` from its registry, with `auth` when given; a registry that cannot be reached or refuses
    // throws EngineError with the reason.
    virtual awaitable<void> pullImage(std::string ref, Progress progress,
                                      std::optional<RegistryAuth> auth) = 0;
    // Makes image `ref` from a container's filesystem; `config` becomes the image's configuration (the
    // engine fills what it leaves out from the container's). Returns the image id.
    virtual awaitable<std::string> commitContainer(std::string id, std::string ref, ImageConfig config) = 0;
    virtual awaitable<std::optional<ImageInfo>> inspectImage(const std::string& ref) = 0;
    // Every container, running or not, with the label `name=value`.
    virtual awaitable<std::vector<ContainerStatus>> listContainers(const std::string& label) = 0;
    // Networks: all of them, one by name (nothing when absent), and making one (returns its id).
    virtual awaitable<std::vector<NetworkInfo>> listNetworks() = 0;
    virtual awaitable<std::optional<NetworkInfo>> inspectNetwork(const std::string& name) = 0;
    virtual awaitable<std::string> createNetwork(const NetworkSpec& spec) = 0;
    // Removes a network (nothing when absent); its containers are disconnected first.
    virtual awaitable<void> removeNetwork(const std::string& name) = 0;
    // Attaches a container (running or not) to a network at a fixed address, under extra DNS names;
    // nothing when it is attached already.
    virtual awaitable<void> connectNetwork(const std::string& network, const std::string& container,
                                           const std::string& ipv4, std::vector<std::string> aliases) = 0;

protected:
    static EngineError unsupportedCopies() {
        return EngineError(501,
                           "This Docker engine cannot copy container filesystems copy-on-write: it needs "
                           "the btrfs storage driver (installer/setup.sh starts dockerd with it) and "
                           "coved running as root.");
    }
};

} // namespace cove::engine
