// The in-memory engine: each call acts on maps at once; nothing waits.
#include "support/FakeEngine.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace cove::test {

using namespace cove::engine;

namespace {
// Where a sandbox's run folder is bound in its container (SandboxService::containerSpec).
constexpr const char* kAgentRunDir = "/run/cove";
// A container name as the engine reports it, or an id: both address a container.
bool addresses(const std::string& key, const FakeEngine::Container& c) {
    return c.status.id == key || c.status.name == key;
}
} // namespace

FakeEngine::FakeEngine() {
    m_info.version = "fake";
    m_info.apiVersion = m_info.usedApiVersion = "1.41";
    m_info.os = "linux";
}

FakeEngine::~FakeEngine() {
    for (auto& [id, c] : m_containers)
        stopAgent(c);
}

void FakeEngine::failNext(Call call, int status, int times) {
    m_failures[call] = {status, times};
}

void FakeEngine::check(Call call) {
    if (m_unreachable)
        throw EngineError(0, "The fake engine does not answer.");
    auto it = m_failures.find(call);
    if (it == m_failures.end() || it->second.second <= 0)
        return;
    --it->second.second;
    throw EngineError(it->second.first, "The fake engine was told to fail this call.");
}

void FakeEngine::addImage(const std::string& ref, ImageConfig config) {
    ImageInfo image;
    image.id = "sha256:" + std::to_string(m_nextId++);
    image.sizeBytes = 1 << 20;
    image.config = std::move(config);
    m_images[ref] = std::move(image);
}

std::string FakeEngine::addContainer(const std::string& name, ContainerSpec spec) {
    Container c;
    c.status.id = "fake" + std::to_string(m_nextId++);
    c.status.name = name;
    c.status.state = ContainerState::Created;
    c.status.labels = spec.labels;
    c.spec = std::move(spec);
    const std::string id = c.status.id;
    m_containers[id] = std::move(c);
    return id;
}

FakeEngine::Container* FakeEngine::find(const std::string& idOrName) {
    for (auto& [id, c] : m_containers)
        if (addresses(idOrName, c))
            return &c;
    return nullptr;
}

const FakeEngine::Container* FakeEngine::container(const std::string& idOrName) const {
    return const_cast<FakeEngine*>(this)->find(idOrName);
}

FakeEngine::Container& FakeEngine::require(const std::string& idOrName) {
    if (Container* c = find(idOrName))
        return *c;
    throw EngineError(404, "No such container: " + idOrName);
}

void FakeEngine::listenAsAgent(Container& c) {
    for (const auto& b : c.spec.binds) {
        if (b.containerPath != kAgentRunDir)
            continue;
        const std::string path = b.hostPath + "/agent.sock";
        ::unlink(path.c_str());
        // Through the folder's descriptor: a test's folder can be longer than a socket address may be.
        const int dir = ::open(b.hostPath.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/agent.sock", dir);
        const bool listening = dir >= 0 && fd >= 0 &&
                               ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                               ::listen(fd, 64) == 0;
        const int error = errno;
        if (dir >= 0)
            ::close(dir);
        if (!listening) {
            if (fd >= 0)
                ::close(fd);
            throw EngineError(500, "The fake agent cannot listen at " + path + ": " + std::strerror(error));
        }
        c.agentFd = fd;
    }
}

void FakeEngine::stopAgent(Container& c) {
    if (c.agentFd < 0)
        return;
    ::close(c.agentFd);
    c.agentFd = -1;
    for (const auto& b : c.spec.binds)
        if (b.containerPath == kAgentRunDir)
            ::unlink((b.hostPath + "/agent.sock").c_str());
}

void FakeEngine::exitContainer(const std::string& idOrName, int exitCode) {
    Container& c = require(idOrName);
    stopAgent(c);
    c.status.state = ContainerState::Exited;
    c.status.exitCode = exitCode;
    c.status.pid = 0;
}

void FakeEngine::removeBehindTheBack(const std::string& idOrName) {
    Container& c = require(idOrName);
    stopAgent(c);
    m_containers.erase(c.status.id);
}

awaitable<EngineInfo> FakeEngine::connect() {
    check(Call::Inspect);
    co_return m_info;
}

awaitable<std::string> FakeEngine::createContainer(const std::string& name, const ContainerSpec& spec) {
    check(Call::Create);
    if (find(name))
        throw EngineError(409, "Conflict: the name " + name + " is in use.");
    if (!m_images.count(spec.image))
        throw EngineError(404, "No such image: " + spec.image);
    Container c;
    c.status.id = "fake" + std::to_string(m_nextId++);
    c.status.name = name;
    c.status.imageId = m_images[spec.image].id;
    c.status.state = ContainerState::Created;
    c.status.labels = spec.labels;
    if (spec.address)
        c.status.ipAddress = spec.address->ipv4;
    c.spec = spec;
    const std::string id = c.status.id;
    m_containers[id] = std::move(c);
    co_return id;
}

awaitable<void> FakeEngine::startContainer(const std::string& id) {
    check(Call::Start);
    Container& c = require(id);
    if (c.status.running())
        co_return;
    listenAsAgent(c);
    c.status.state = ContainerState::Running;
    c.status.pid = static_cast<int>(::getpid());
    c.status.exitCode = 0;
}

awaitable<void> FakeEngine::removeContainer(const std::string& id) {
    check(Call::Remove);
    if (Container* c = find(id)) {
        stopAgent(*c);
        m_containers.erase(c->status.id);
    }
    co_return;
}

awaitable<void> FakeEngine::stopContainer(const std::string& id, int) {
    check(Call::Stop);
    Container& c = require(id);
    if (c.status.running()) {
        stopAgent(c);
        c.status.state = ContainerState::Exited;
        c.status.exitCode = 143;
        c.status.pid = 0;
    }
    co_return;
}

awaitable<void> FakeEngine::pauseContainer(const std::string& id) {
    Container& c = require(id);
    if (!c.status.running())
        throw engine::EngineError(409, "Container " + id + " is not running");
    c.status.state = ContainerState::Paused;
    co_return;
}

awaitable<void> FakeEngine::unpauseContainer(const std::string& id) {
    Container& c = require(id);
    if (c.status.state != ContainerState::Paused)
        throw engine::EngineError(409, "Container " + id + " is not paused");
    c.status.state = ContainerState::Running;
    co_return;
}

awaitable<void> FakeEngine::updateContainer(const std::string& id, Resources resources) {
    check(Call::Update);
    require(id).spec.resources = resources;
    co_return;
}

awaitable<std::optional<ContainerStatus>> FakeEngine::inspectContainer(const std::string& id) {
    check(Call::Inspect);
    const Container* c = find(id);
    co_return c ? std::optional<ContainerStatus>(c->status) : std::nullopt;
}

awaitable<std::uint64_t> FakeEngine::exportContainer(const std::string& id, Sink sink) {
    check(Call::Export);
    require(id);
    const std::string filesystem = "the filesystem of " + id;
    co_await sink(filesystem.data(), filesystem.size());
    co_return filesystem.size();
}

awaitable<void> FakeEngine::importImage(const std::string& tarPath, const std::string& ref) {
    check(Call::Import);
    if (::access(tarPath.c_str(), R_OK) != 0)
        throw EngineError(0, "Cannot read the archive " + tarPath);
    addImage(ref);
    co_return;
}

awaitable<void> FakeEngine::removeImage(const std::string& ref) {
    check(Call::Remove);
    m_images.erase(ref);
    co_return;
}

awaitable<void> FakeEngine::buildImage(std::string, std::string tag, std::string, BuildOptions, Progress) {
    check(Call::Commit);
    addImage(tag);
    co_return;
}

awaitable<void> FakeEngine::pullImage(std::string ref, Progress, std::optional<engine::RegistryAuth>) {
    check(Call::Import);
    addImage(ref);
    co_return;
}

awaitable<std::string> FakeEngine::commitContainer(std::string id, std::string ref, ImageConfig config) {
    check(Call::Commit);
    require(id);
    addImage(ref, std::move(config));
    co_return m_images[ref].id;
}

awaitable<std::optional<ImageInfo>> FakeEngine::inspectImage(const std::string& ref) {
    check(Call::Inspect);
    const auto it = m_images.find(ref);
    co_return it == m_images.end() ? std::nullopt : std::optional<ImageInfo>(it->second);
}

awaitable<std::vector<ContainerStatus>> FakeEngine::listContainers(const std::string& label) {
    check(Call::List);
    const auto eq = label.find('=');
    const std::string key = label.substr(0, eq), value = eq == std::string::npos ? "" : label.substr(eq + 1);
    std::vector<ContainerStatus> out;
    for (const auto& [id, c] : m_containers) {
        const auto it = c.status.labels.find(key);
        if (it != c.status.labels.end() && (eq == std::string::npos || it->second == value))
            out.push_back(c.status);
    }
    co_return out;
}

awaitable<std::vector<NetworkInfo>> FakeEngine::listNetworks() {
    check(Call::List);
    std::vector<NetworkInfo> out;
    for (const auto& [name, n] : m_networks)
        out.push_back(n);
    co_return out;
}

awaitable<std::optional<NetworkInfo>> FakeEngine::inspectNetwork(const std::string& name) {
    check(Call::Inspect);
    const auto it = m_networks.find(name);
    co_return it == m_networks.end() ? std::nullopt : std::optional<NetworkInfo>(it->second);
}

awaitable<std::string> FakeEngine::createNetwork(const NetworkSpec& spec) {
    check(Call::Create);
    if (m_networks.count(spec.name))
        throw EngineError(409, "network with name " + spec.name + " already exists");
    NetworkInfo n{
        "net" + std::to_string(m_nextId++), spec.name, {spec.subnet}, spec.gateway, spec.bridge, spec.labels};
    m_networks[spec.name] = n;
    co_return n.id;
}

awaitable<void> FakeEngine::removeNetwork(const std::string& name) {
    check(Call::Remove);
    m_networks.erase(name);
    co_return;
}

awaitable<void> FakeEngine::connectNetwork(const std::string& network, const std::string&, const std::string&,
                                           std::vector<std::string>) {
    check(Call::Create);
    if (!m_networks.count(network))
        throw EngineError(404, "network " + network + " not found");
    co_return;
}

} // namespace cove::test
