// The narrow interface coved needs from a container engine. Docker's Engine API implements it today;
// a second engine fits behind it later.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

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

private:
    int m_status;
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
};

// The fence of an image build's steps (the classic builder takes no per-build pids limit or address).
struct BuildOptions {
    std::string network;          // the Docker network the steps run on; empty: the engine's default
    std::int64_t memoryBytes = 0; // memory of each step, swap included
    int cpus = 0;
    std::string cgroupParent; // the cgroup the steps' cgroups go under (bounds their processes together)
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
    virtual awaitable<std::string> createContainer(const std::string& name, const json& spec) = 0;
    virtual awaitable<void> startContainer(const std::string& id) = 0;
    virtual awaitable<void> removeContainer(const std::string& id) = 0;
    // SIGTERM, then SIGKILL after `seconds`; 0 kills at once. A stopped container is not an error.
    virtual awaitable<void> stopContainer(const std::string& id, int seconds) = 0;
    // Changes limits of a created or running container (CpuQuota, Memory, MemorySwap, ...).
    virtual awaitable<void> updateContainer(const std::string& id, const json& resources) = 0;
    virtual awaitable<std::optional<json>> inspectContainer(const std::string& id) = 0;
    // Streams the container's whole filesystem as a tar to `sink`, piece by piece; returns the bytes.
    // The next piece is read once the sink's coroutine is done with this one (it may hand slow work,
    // such as compression, to another thread meanwhile).
    using Sink = std::function<awaitable<void>(const char* data, std::size_t size)>;
    virtual awaitable<std::uint64_t> exportContainer(const std::string& id, Sink sink) = 0;
    // Makes image `ref` from a (possibly gzip-compressed) root filesystem tar on disk.
    virtual awaitable<void> importImage(const std::string& tarPath, const std::string& ref) = 0;
    virtual awaitable<void> removeImage(const std::string& ref) = 0;
    // The engine's progress messages (one JSON object each) as a build or pull goes on.
    using Progress = std::function<void(const json& message)>;
    // Builds image `tag` from a tar build context held in memory, whose file `dockerfile` (a path in the
    // context) is the Dockerfile, its steps fenced by `options`. A failing step throws EngineError
    // with the engine's reason (its messages up to then went to `progress`).
    virtual awaitable<void> buildImage(std::string contextTar, std::string tag, std::string dockerfile,
                                       BuildOptions options, Progress progress) = 0;
    // Pulls `ref` from its registry; a registry that cannot be reached throws EngineError with the reason.
    virtual awaitable<void> pullImage(std::string ref, Progress progress) = 0;
    // Makes image `ref` from a container's filesystem; `config` becomes the image's configuration (the
    // engine fills what it leaves out from the container's). Returns the image id.
    virtual awaitable<std::string> commitContainer(std::string id, std::string ref, json config) = 0;
    virtual awaitable<std::optional<json>> inspectImage(const std::string& ref) = 0;
    virtual awaitable<json> listContainers(const std::string& label) = 0;
    // Networks: the engine's list (its JSON), one by name (nothing when absent), and making one from
    // Docker's create body (returns its id).
    virtual awaitable<json> listNetworks() = 0;
    virtual awaitable<std::optional<json>> inspectNetwork(const std::string& name) = 0;
    virtual awaitable<std::string> createNetwork(const json& spec) = 0;
};

} // namespace cove::engine
