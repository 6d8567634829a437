// An engine held in memory, for domain tests without Docker: containers with states, images and
// networks, and failures on demand that a real engine cannot produce when asked.
#pragma once

#include "service/engine/Engine.h"

#include <map>
#include <set>
#include <string>

namespace cove::test {

using engine::awaitable;

class FakeEngine final : public engine::Engine {
public:
    FakeEngine();
    ~FakeEngine() override;

    // The calls a test can make fail.
    enum class Call { Create, Start, Stop, Remove, Update, Inspect, List, Export, Import, Commit };
    // The next `times` calls of `call` throw EngineError(status) and change nothing.
    void failNext(Call call, int status = 500, int times = 1);
    // Every call throws as an engine that cannot be reached does, until set back.
    void setUnreachable(bool unreachable) { m_unreachable = unreachable; }

    struct Container {
        engine::ContainerSpec spec;
        engine::ContainerStatus status;
        int agentFd = -1; // the listening socket the container's agent would have, while it runs
    };
    void addImage(const std::string& ref, engine::ImageConfig config = {});
    // A container made behind Cove's back, stopped; returns its id.
    std::string addContainer(const std::string& name, engine::ContainerSpec spec);
    // The container by id or name; nullptr when there is none.
    const Container* container(const std::string& idOrName) const;
    std::size_t containerCount() const { return m_containers.size(); }
    bool hasImage(const std::string& ref) const { return m_images.count(ref) > 0; }
    // The container's process ends by itself with `exitCode`.
    void exitContainer(const std::string& idOrName, int exitCode);
    // The container is removed by someone else.
    void removeBehindTheBack(const std::string& idOrName);

    awaitable<engine::EngineInfo> connect() override;
    awaitable<void> ping() override {
        check(Call::Inspect);
        co_return;
    }
    const engine::EngineInfo& info() const override { return m_info; }
    awaitable<std::string> createContainer(const std::string& name,
                                           const engine::ContainerSpec& spec) override;
    awaitable<void> startContainer(const std::string& id) override;
    awaitable<void> removeContainer(const std::string& id) override;
    awaitable<void> stopContainer(const std::string& id, int seconds) override;
    awaitable<void> updateContainer(const std::string& id, engine::Resources resources) override;
    awaitable<void> pauseContainer(const std::string& id) override;
    awaitable<void> unpauseContainer(const std::string& id) override;
    awaitable<std::optional<engine::ContainerStatus>> inspectContainer(const std::string& id) override;
    awaitable<std::uint64_t> exportContainer(const std::string& id, Sink sink) override;
    awaitable<void> importImage(const std::string& tarPath, const std::string& ref) override;
    awaitable<void> removeImage(const std::string& ref) override;
    awaitable<void> buildImage(std::string contextTar, std::string tag, std::string dockerfile,
                               engine::BuildOptions options, Progress progress) override;
    awaitable<void> pullImage(std::string ref, Progress progress,
                              std::optional<engine::RegistryAuth> auth) override;
    awaitable<std::string> commitContainer(std::string id, std::string ref,
                                           engine::ImageConfig config) override;
    awaitable<std::optional<engine::ImageInfo>> inspectImage(const std::string& ref) override;
    awaitable<std::vector<engine::ContainerStatus>> listContainers(const std::string& label) override;
    awaitable<std::vector<engine::NetworkInfo>> listNetworks() override;
    awaitable<std::optional<engine::NetworkInfo>> inspectNetwork(const std::string& name) override;
    awaitable<std::string> createNetwork(const engine::NetworkSpec& spec) override;
    awaitable<void> removeNetwork(const std::string& name) override;
    awaitable<void> connectNetwork(const std::string& network, const std::string& container,
                                   const std::string& ipv4, std::vector<std::string> aliases) override;

private:
    // Throws when the engine is unreachable or `call` was told to fail.
    void check(Call call);
    Container& require(const std::string& idOrName);
    Container* find(const std::string& idOrName);
    // The agent's socket in the container's run folder (the bind at /run/cove), owned by this
    // process: Cove checks the socket's peer against the container's pid, which is this process's.
    void listenAsAgent(Container& c);
    void stopAgent(Container& c);

    engine::EngineInfo m_info;
    bool m_unreachable = false;
    std::map<Call, std::pair<int, int>> m_failures; // call -> (status, times left)
    std::map<std::string, Container> m_containers;  // by id
    std::map<std::string, engine::ImageInfo> m_images;
    std::map<std::string, engine::NetworkInfo> m_networks;
    int m_nextId = 1;
};

} // namespace cove::test
