// Docker Engine API over its unix socket, with API-version negotiation.
#pragma once

#include "service/engine/BtrfsLayers.h"
#include "service/engine/Engine.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace cove::engine {

class DockerClient final : public Engine {
public:
    // host: "unix:///var/run/docker.sock" (the only scheme Cove accepts: the engine must be local).
    DockerClient(boost::asio::any_io_executor ex, std::string host);

    // Parses a DOCKER_HOST value; returns the socket path or an empty string if unsupported.
    static std::string socketPathOf(const std::string& host);

    awaitable<EngineInfo> connect() override;
    awaitable<void> ping() override;
    awaitable<std::optional<DiskUse>> diskUse(const std::string& id) override;
    awaitable<std::vector<LogLine>> containerLogs(const std::string& id, std::int64_t since,
                                                  std::int64_t until, int tail) override;
    const EngineInfo& info() const override { return m_info; }
    // The OCI runtime every container Cove creates runs on (HostConfig.Runtime), one of info().runtimes;
    // empty: the engine's default.
    void setRuntime(std::string name) { m_runtime = std::move(name); }
    const std::string& runtime() const { return m_runtime; }
    // A static program on this machine that, run with `--pause`, waits until it is killed (coved's
    // cove-agent). The seccomp probe runs it in an empty image; without it no filter is learnt.
    void setPauseProgram(std::string path) { m_pauseProgram = std::move(path); }
    awaitable<std::string> createContainer(const std::string& name, const ContainerSpec& spec) override;
    awaitable<void> startContainer(const std::string& id) override;
    awaitable<void> removeContainer(const std::string& id) override;
    awaitable<void> stopContainer(const std::string& id, int seconds) override;
    awaitable<void> updateContainer(const std::string& id, Resources resources) override;
    awaitable<void> pauseContainer(const std::string& id) override;
    awaitable<void> unpauseContainer(const std::string& id) override;
    awaitable<void> copyFilesystem(const std::string& from, const std::string& to) override;
    awaitable<void> saveFilesystem(const std::string& id, const std::string& name) override;
    awaitable<void> restoreFilesystem(const std::string& id, const std::string& name) override;
    awaitable<void> dropFilesystem(const std::string& name) override;
    awaitable<std::optional<ContainerStatus>> inspectContainer(const std::string& id) override;
    awaitable<std::uint64_t> exportContainer(const std::string& id, Sink sink) override;
    awaitable<void> importImage(const std::string& tarPath, const std::string& ref) override;
    awaitable<void> removeImage(const std::string& ref) override;
    awaitable<void> buildImage(std::string contextTar, std::string tag, std::string dockerfile,
                               BuildOptions options, Progress progress) override;
    awaitable<void> pullImage(std::string ref, Progress progress, std::optional<RegistryAuth> auth) override;
    awaitable<std::string> commitContainer(std::string id, std::string ref, ImageConfig config) override;
    awaitable<std::optional<ImageInfo>> inspectImage(const std::string& ref) override;
    awaitable<std::vector<ContainerStatus>> listContainers(const std::string& label) override;
    awaitable<std::vector<NetworkInfo>> listNetworks() override;
    awaitable<std::optional<NetworkInfo>> inspectNetwork(const std::string& name) override;
    awaitable<std::string> createNetwork(const NetworkSpec& spec) override;
    awaitable<void> removeNetwork(const std::string& name) override;
    awaitable<void> connectNetwork(const std::string& network, const std::string& container,
                                   const std::string& ipv4, std::vector<std::string> aliases) override;

    // Docker's container create body for `spec`, and back: the body is what Cove stored with each
    // sandbox before ContainerSpec had a shape of its own (ContainerSpec::fromJson reads it with this).

    // The newest and oldest Engine API versions Cove speaks.
    static constexpr const char* kMaxApiVersion = "1.41";
    static constexpr const char* kMinApiVersion = "1.40";
    // How long one engine call may take (a stop adds its grace period).
    static constexpr std::chrono::seconds kCallTimeout{60};
    // A readiness probe that waits longer than this calls the engine unready.
    static constexpr std::chrono::seconds kPingTimeout{5};
    // Moving a whole filesystem in or out may take long; past this it has hung.
    static constexpr std::chrono::seconds kTransferTimeout{1800};

private:
    struct Reply {
        int status = 0;
        std::string body;
    };
    // A call that takes longer than `timeout` fails: a hung engine must not leave a transition stuck.
    awaitable<Reply> request(std::string method, std::string path, std::string body = {},
                             bool versioned = true, std::chrono::seconds timeout = kCallTimeout);
    // A call whose answer is read piece by piece (exports, builds, pulls): each piece of a 200 answer
    // goes to `sink`; any other status throws with the engine's message, prefixed by `what`.
    using Headers = std::vector<std::pair<std::string, std::string>>;
    awaitable<std::uint64_t> streamed(std::string method, std::string path, std::string body,
                                      std::string contentType, Sink sink, std::string what,
                                      Headers headers = {});
    // The same for the engine's JSON-lines progress streams; an `error` message in one throws.
    awaitable<void> progressStream(std::string path, std::string body, Progress progress, std::string what,
                                   Headers headers = {});
    [[noreturn]] void raise(const std::string& what, const Reply& r) const;
    // GET of an object's JSON; nothing on 404.
    awaitable<std::optional<json>> inspectAt(std::string path, std::string what);
    awaitable<boost::asio::local::stream_protocol::socket> open();
    // The engine's full id of a container named by id or name; throws when there is none.
    awaitable<std::string> fullIdOf(const std::string& container);
    // A container's writable layer, after making sure the engine's btrfs storage is there to use.
    awaitable<std::string> writableLayerOf(const std::string& container);
    // Runs a btrfs step on the storage thread (a subvolume removal waits while the kernel rescans its
    // quotas, seconds to minutes: never on the io thread); its failure is an EngineError 500.
    awaitable<void> onStorage(const std::function<void()>& step);
    // The engine's own seccomp filter with btrfs's subvolume creation refused (docker::subvolumeSafeProfile),
    // as HostConfig.SecurityOpt takes it: learnt once from a short-lived container with `like`'s
    // capabilities, whose runtime bundle holds the filter the engine gives such containers. Nothing where
    // it cannot be learnt.
    awaitable<std::optional<std::string>> subvolumeSafeSecurityOpt(const ContainerSpec& like);
    // The probe's image, made when the engine lacks it: no files at all, so the engine makes and removes
    // its containers at once (removing one of a full image walks all of its files first).
    awaitable<void> ensureProbeImage();
    // The engine's path (without the API version) that imports a request's tar body as image `ref`.
    static std::string importPath(const std::string& ref);

    boost::asio::any_io_executor m_ex;
    std::string m_host;
    std::string m_socketPath;
    std::string m_prefix; // "/v1.41"
    EngineInfo m_info;
    std::unique_ptr<BtrfsLayers> m_btrfs; // when the engine's storage is btrfs on this machine
    std::string m_runtime;
    std::string m_pauseProgram;
    boost::asio::thread_pool m_storage{1};
    std::optional<std::string> m_subvolumeSafeOpt;
    bool m_subvolumeSafeUnavailable = false; // this engine's filter cannot be learnt; said once
    bool m_probing = false;
    int m_probes = 0;
    // On probe containers: the id of the coved process that made them.
    static constexpr const char* kProbeLabel = "cove.seccomp-probe";
    static constexpr const char* kProbeImage = "cove-seccomp-probe:empty";
};

} // namespace cove::engine
