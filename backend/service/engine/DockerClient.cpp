// Talks HTTP/1.1 to the Docker Engine over its unix socket, one short connection per call.
#include "service/engine/DockerClient.h"

#include "service/engine/DockerJson.h"

#include "common/Http.h"
#include "common/Url.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/file_body.hpp>

#include <unistd.h>

#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace cove::engine {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

// Engine answers are small JSON documents; the largest (an inspect) is a few hundred KiB.
constexpr std::size_t kMaxReplyBytes = 64u << 20;

// "1.41" < "1.9" must compare numerically.
static bool versionLess(const std::string& a, const std::string& b) {
    auto parts = [](const std::string& v) {
        int major = 0, minor = 0;
        const auto dot = v.find('.');
        std::from_chars(v.data(), v.data() + (dot == std::string::npos ? v.size() : dot), major);
        if (dot != std::string::npos)
            std::from_chars(v.data() + dot + 1, v.data() + v.size(), minor);
        return std::pair{major, minor};
    };
    return parts(a) < parts(b);
}

DockerClient::DockerClient(asio::any_io_executor ex, std::string host)
    : m_ex(std::move(ex))
    , m_host(std::move(host))
    , m_socketPath(socketPathOf(m_host)) {}

std::string DockerClient::socketPathOf(const std::string& host) {
    constexpr std::string_view scheme = "unix://";
    if (host.rfind(scheme, 0) == 0 && host.size() > scheme.size())
        return host.substr(scheme.size());
    return {};
}

namespace {

// Closes the socket if a call outlives its timeout, so the awaiting operation fails instead of hanging.
class Deadline {
public:
    Deadline(asio::local::stream_protocol::socket& sock, std::chrono::seconds timeout)
        : m_timer(sock.get_executor(), timeout) {
        m_timer.async_wait([this, &sock](const boost::system::error_code& ec) {
            if (ec)
                return; // cancelled: the call finished (this object may be gone; touch nothing)
            m_expired = true;
            boost::system::error_code ignored;
            sock.close(ignored);
        });
    }
    ~Deadline() { m_timer.cancel(); }
    Deadline(const Deadline&) = delete;
    Deadline& operator=(const Deadline&) = delete;
    bool expired() const { return m_expired; }

private:
    asio::steady_timer m_timer;
    bool m_expired = false;
};

} // namespace

awaitable<asio::local::stream_protocol::socket> DockerClient::open() {
    asio::local::stream_protocol::socket sock(m_ex);
    auto [ec] = co_await sock.async_connect(asio::local::stream_protocol::endpoint(m_socketPath),
                                            asio::as_tuple(asio::use_awaitable));
    if (ec) {
        std::string hint =
            ec == asio::error::access_denied || ec == asio::error::no_permission
                ? "this user may not use it: run Cove as root or as a member of the docker group"
                : "start the engine (installer/setup.sh run starts one) or point --docker-host at it";
        throw EngineError(0, "The Docker engine at " + m_host + " does not answer (" + ec.message() + "); " +
                                 hint + ".");
    }
    co_return sock;
}

awaitable<DockerClient::Reply> DockerClient::request(std::string method, std::string path, std::string body,
                                                     bool versioned, std::chrono::seconds timeout) {
    auto sock = co_await open();
    const Deadline deadline(sock, timeout);
    http::Request req{bhttp::string_to_verb(method), (versioned ? m_prefix : "") + path, 11};
    req.set(bhttp::field::host, "docker");
    req.set(bhttp::field::user_agent, "coved");
    if (!body.empty()) {
        req.set(bhttp::field::content_type, "application/json");
        req.body() = body;
    }
    req.prepare_payload();
    auto x = co_await http::exchange(sock, req, kMaxReplyBytes);
    if (deadline.expired())
        throw EngineError(0, "The Docker engine at " + m_host + " did not finish " + method + " " + path +
                                 " within " + std::to_string(timeout.count()) +
                                 " s; check that it is healthy.");
    if (x.error)
        throw EngineError(0, "The Docker engine at " + m_host + " dropped the connection during " + method +
                                 " " + path + " (" + x.error.message() +
                                 "); check that it is still running.");
    co_return Reply{static_cast<int>(x.response.result_int()), std::move(x.response.body())};
}

awaitable<std::uint64_t> DockerClient::streamed(std::string method, std::string path, std::string body,
                                                std::string contentType, Sink sink, std::string what,
                                                Headers headers) {
    auto sock = co_await open();
    const Deadline deadline(sock, kTransferTimeout);
    http::Request req{bhttp::string_to_verb(method), m_prefix + path, 11};
    req.set(bhttp::field::host, "docker");
    req.set(bhttp::field::user_agent, "coved");
    if (!contentType.empty())
        req.set(bhttp::field::content_type, contentType);
    for (const auto& [name, value] : headers)
        req.set(name, value);
    req.body() = std::move(body);
    req.prepare_payload();
    auto [wec, w] = co_await bhttp::async_write(sock, req, asio::as_tuple(asio::use_awaitable));
    (void)w;
    boost::beast::flat_buffer buf;
    bhttp::response_parser<bhttp::buffer_body> parser;
    parser.body_limit(boost::none); // a filesystem or a build's output is as large as it is
    boost::system::error_code ec = wec;
    if (!ec) {
        auto [hec, h] =
            co_await bhttp::async_read_header(sock, buf, parser, asio::as_tuple(asio::use_awaitable));
        (void)h;
        ec = hec;
    }
    const bool ok = !ec && parser.get().result() == bhttp::status::ok;
    std::string error;
    std::vector<char> chunk(1u << 20);
    buf.reserve(chunk.size()); // Beast reads at most buf's free room at a time (512 bytes when it has none)
    std::uint64_t total = 0;
    while (!ec && !parser.is_done()) {
        parser.get().body().data = chunk.data();
        parser.get().body().size = chunk.size();
        // read_some: each piece goes on as it arrives (a build's lines live), not once 1 MB has gathered.
        auto [rec, n] =
            co_await bhttp::async_read_some(sock, buf, parser, asio::as_tuple(asio::use_awaitable));
        (void)n;
        ec = rec == bhttp::error::need_buffer ? boost::system::error_code() : rec;
        const std::size_t got = chunk.size() - parser.get().body().size;
        if (ok)
            co_await sink(chunk.data(), got);
        else if (error.size() < 4096)
            error.append(chunk.data(), got);
        total += got;
    }
    if (ec || deadline.expired())
        throw EngineError(0, "The Docker engine at " + m_host + " broke off while trying to " + what + " (" +
                                 (deadline.expired() ? std::string("timed out") : ec.message()) + ").");
    if (!ok)
        raise("The Docker engine could not " + what, {static_cast<int>(parser.get().result_int()), error});
    co_return total;
}

awaitable<std::uint64_t> DockerClient::exportContainer(const std::string& id, Sink sink) {
    // Named arguments: GCC 12 mishandles temporaries inside a co_await expression.
    std::string method = "GET", path = "/containers/" + http::percentEncode(id) + "/export",
                what = "export container " + id;
    std::string none;
    const std::uint64_t total = co_await streamed(method, path, none, none, std::move(sink), what);
    co_return total;
}

awaitable<void> DockerClient::progressStream(std::string path, std::string body, Progress progress,
                                             std::string what, Headers headers) {
    std::string pending, failure;
    const auto onPiece = [&](const char* data, std::size_t size) {
        pending.append(data, size);
        std::size_t start = 0;
        for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n', start)) {
            const json message = json::parse(pending.substr(start, nl - start), nullptr, false);
            start = nl + 1;
            if (!message.is_object())
                continue;
            const ProgressMessage m = docker::progressOf(message);
            if (message.contains("error") && failure.empty())
                failure = m.error.empty() ? std::string("failed") : m.error;
            progress(m);
        }
        pending.erase(0, start);
    };
    std::string method = "POST", type = body.empty() ? std::string() : std::string("application/x-tar");
    Sink sink = [&](const char* data, std::size_t size) -> awaitable<void> {
        onPiece(data, size);
        co_return;
    };
    co_await streamed(method, path, std::move(body), type, std::move(sink), what, std::move(headers));
    if (!failure.empty())
        throw EngineError(500, "The Docker engine could not " + what + ": " + failure);
}

awaitable<void> DockerClient::buildImage(std::string contextTar, std::string tag, std::string dockerfile,
                                         BuildOptions options, Progress progress) {
    // rm and forcerm: no intermediate containers are left behind, even after a failed step.
    std::string path = "/build?t=" + http::percentEncode(tag) +
                       "&dockerfile=" + http::percentEncode(dockerfile) + "&rm=1&forcerm=1";
    if (!options.network.empty())
        path += "&networkmode=" + http::percentEncode(options.network);
    if (options.memoryBytes > 0) // memswap the same: no swap beyond the memory
        path += "&memory=" + std::to_string(options.memoryBytes) +
                "&memswap=" + std::to_string(options.memoryBytes);
    if (options.cpus > 0)
        path += "&cpuperiod=100000&cpuquota=" + std::to_string(static_cast<long long>(options.cpus) * 100000);
    if (!options.cgroupParent.empty())
        path += "&cgroupparent=" + http::percentEncode(options.cgroupParent);
    if (options.pullBaseImages)
        path += "&pull=1";
    Headers headers;
    if (!options.registries.empty()) {
        json config = json::object();
        for (const auto& a : options.registries)
            config[a.serverAddress] = docker::authConfigOf(a);
        headers.emplace_back("X-Registry-Config", docker::base64Url(config.dump()));
    }
    std::string what = "build " + tag;
    co_await progressStream(path, std::move(contextTar), std::move(progress), what, std::move(headers));
}

awaitable<void> DockerClient::pullImage(std::string ref, Progress progress,
                                        std::optional<RegistryAuth> auth) {
    // The tag is the part after the last colon that follows the last slash (a registry may have a port).
    const auto slash = ref.rfind('/');
    const auto colon = ref.rfind(':');
    const bool tagged = colon != std::string::npos && (slash == std::string::npos || colon > slash);
    const std::string path =
        "/images/create?fromImage=" + http::percentEncode(tagged ? ref.substr(0, colon) : ref) +
        "&tag=" + http::percentEncode(tagged ? ref.substr(colon + 1) : "latest");
    std::string what = "pull " + ref, none;
    Headers headers;
    if (auth)
        headers.emplace_back("X-Registry-Auth", docker::base64Url(docker::authConfigOf(*auth).dump()));
    co_await progressStream(path, none, std::move(progress), what, std::move(headers));
}

awaitable<std::string> DockerClient::commitContainer(std::string id, std::string ref, ImageConfig config) {
    const auto colon = ref.rfind(':');
    const std::string path =
        "/commit?container=" + http::percentEncode(id) +
        "&repo=" + http::percentEncode(ref.substr(0, colon)) +
        "&tag=" + http::percentEncode(colon == std::string::npos ? "latest" : ref.substr(colon + 1));
    const json image{{"Entrypoint", config.entrypoint},
                     {"Cmd", config.command.empty() ? json() : json(config.command)},
                     {"Env", config.env},
                     {"User", config.user},
                     {"WorkingDir", config.workingDir},
                     {"Labels", config.labels}};
    const std::string body = image.dump();
    const Reply r = co_await request("POST", path, body, true, kTransferTimeout);
    if (r.status != 201)
        raise("The Docker engine could not commit container " + id, r);
    co_return json::parse(r.body).value("Id", "");
}

awaitable<void> DockerClient::removeNetwork(const std::string& name) {
    // The engine refuses to remove a network with endpoints: the containers still on it (stopped ones
    // too) leave it first.
    const std::string path = "/networks/" + http::percentEncode(name), what = "network " + name;
    const auto j = co_await inspectAt(path, what);
    if (!j)
        co_return;
    const std::string disconnect = path + "/disconnect";
    if (j->contains("Containers") && (*j)["Containers"].is_object())
        for (auto it = (*j)["Containers"].begin(); it != (*j)["Containers"].end(); ++it) {
            const std::string body = json{{"Container", it.key()}, {"Force", true}}.dump();
            const Reply d = co_await request("POST", disconnect, body);
            if (d.status != 200 && d.status != 404)
                raise("The Docker engine could not disconnect a container from network " + name, d);
        }
    const Reply r = co_await request("DELETE", path);
    if (r.status != 204 && r.status != 404)
        raise("The Docker engine could not remove network " + name, r);
}

awaitable<void> DockerClient::connectNetwork(const std::string& network, const std::string& container,
                                             const std::string& ipv4, std::vector<std::string> aliases) {
    const std::string body =
        json{{"Container", container},
             {"EndpointConfig", {{"IPAMConfig", {{"IPv4Address", ipv4}}}, {"Aliases", std::move(aliases)}}}}
            .dump();
    const std::string path = "/networks/" + http::percentEncode(network) + "/connect";
    const Reply r = co_await request("POST", path, body);
    // 403 "endpoint with name … already exists in network …": attached before.
    if (r.status == 200 || (r.status == 403 && r.body.find("already exists") != std::string::npos))
        co_return;
    raise("The Docker engine could not attach " + container + " to network " + network, r);
}

std::string DockerClient::importPath(const std::string& ref) {
    const auto colon = ref.rfind(':');
    return "/images/create?fromSrc=-&repo=" + http::percentEncode(ref.substr(0, colon)) +
           "&tag=" + http::percentEncode(colon == std::string::npos ? "latest" : ref.substr(colon + 1));
}

awaitable<void> DockerClient::importImage(const std::string& tarPath, const std::string& ref) {
    const std::string path = m_prefix + importPath(ref);
    auto sock = co_await open();
    const Deadline deadline(sock, kTransferTimeout);
    bhttp::request<bhttp::file_body> req{bhttp::verb::post, path, 11};
    req.set(bhttp::field::host, "docker");
    req.set(bhttp::field::content_type, "application/x-tar");
    boost::beast::error_code fec;
    req.body().open(tarPath.c_str(), boost::beast::file_mode::scan, fec);
    if (fec)
        throw EngineError(0, "Cannot read the archive " + tarPath + ": " + fec.message());
    req.prepare_payload();
    auto [wec, w] = co_await bhttp::async_write(sock, req, asio::as_tuple(asio::use_awaitable));
    (void)w;
    boost::beast::flat_buffer buf;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kMaxReplyBytes);
    boost::system::error_code ec = wec;
    if (!ec) {
        // read_some: each piece goes on as it arrives (a build's lines live), not once 1 MB has gathered.
        auto [rec, n] =
            co_await bhttp::async_read_some(sock, buf, parser, asio::as_tuple(asio::use_awaitable));
        (void)n;
        ec = rec;
    }
    if (ec || deadline.expired())
        throw EngineError(0, "The Docker engine at " + m_host + " broke off importing " + ref + " (" +
                                 (deadline.expired() ? std::string("timed out") : ec.message()) + ").");
    const auto& res = parser.get();
    // The engine reports a failed import inside a 200 progress stream.
    if (res.result() != bhttp::status::ok || res.body().find("\"errorDetail\"") != std::string::npos)
        raise("The Docker engine could not import " + ref, {static_cast<int>(res.result_int()), res.body()});
}

awaitable<void> DockerClient::removeImage(const std::string& ref) {
    const std::string path = "/images/" + http::percentEncode(ref) + "?force=true";
    const Reply r = co_await request("DELETE", path);
    if (r.status != 200 && r.status != 404)
        raise("The Docker engine could not remove image " + ref, r);
}

void DockerClient::raise(const std::string& what, const Reply& r) const {
    std::string msg = r.body;
    try {
        const auto j = json::parse(r.body);
        if (j.contains("message") && j["message"].is_string())
            msg = j["message"].get<std::string>();
    } catch (const json::exception&) {
    }
    throw EngineError(r.status, what + ": " + msg);
}

awaitable<void> DockerClient::ping() {
    const Reply r = co_await request("GET", "/_ping", {}, false, kPingTimeout);
    if (r.status != 200)
        raise("The Docker engine refused /_ping", r);
}

awaitable<EngineInfo> DockerClient::connect() {
    if (m_socketPath.empty())
        throw EngineError(
            0, "The Docker host '" + m_host +
                   "' is not supported: Cove talks to a local engine, give unix:///path/to/docker.sock.");
    const Reply r = co_await request("GET", "/version", {}, false);
    if (r.status != 200)
        raise("The Docker engine refused /version", r);
    json v;
    try {
        v = json::parse(r.body);
    } catch (const json::exception&) {
        throw EngineError(r.status,
                          "The service at " + m_host + " is not a Docker engine (its /version is not JSON).");
    }
    m_info.version = v.value("Version", "");
    m_info.apiVersion = v.value("ApiVersion", "");
    m_info.os = v.value("Os", "");
    const std::string minApi = v.value("MinAPIVersion", "1.12");
    if (m_info.apiVersion.empty() || versionLess(m_info.apiVersion, kMinApiVersion))
        throw EngineError(r.status, "The Docker engine at " + m_host + " speaks API " + m_info.apiVersion +
                                        "; Cove needs " + kMinApiVersion + " or newer (Docker 19.03+).");
    m_info.usedApiVersion =
        versionLess(m_info.apiVersion, kMaxApiVersion) ? m_info.apiVersion : kMaxApiVersion;
    if (versionLess(m_info.usedApiVersion, minApi))
        m_info.usedApiVersion = minApi;
    m_prefix = "/v" + m_info.usedApiVersion;

    const Reply info = co_await request("GET", "/info");
    if (info.status == 200) {
        try {
            const json j = json::parse(info.body);
            m_info.storageDriver = j.value("Driver", "");
            m_info.cgroupDriver = j.value("CgroupDriver", "");
            m_info.cgroupVersion = j.value("CgroupVersion", "1");
            if (j.contains("DriverStatus") && j["DriverStatus"].is_array())
                for (const auto& kv : j["DriverStatus"])
                    if (kv.is_array() && kv.size() == 2 && kv[0] == "Backing Filesystem" && kv[1].is_string())
                        m_info.backingFilesystem = kv[1].get<std::string>();
            if (j.contains("Runtimes") && j["Runtimes"].is_object())
                for (const auto& [name, _] : j["Runtimes"].items())
                    m_info.runtimes.push_back(name);
            m_info.defaultRuntime = j.value("DefaultRuntime", "");
            if (j.contains("SecurityOptions") && j["SecurityOptions"].is_array())
                for (const auto& o : j["SecurityOptions"])
                    if (o.is_string() && o.get<std::string>().find("name=userns") != std::string::npos)
                        m_info.userNamespaces = true;
            // A remapping engine keeps its data in <data root>/<uid>.<gid> of the remapped root.
            const std::string root = j.value("DockerRootDir", "");
            if (m_info.userNamespaces && std::sscanf(root.c_str() + root.rfind('/') + 1, "%u.%u",
                                                     &m_info.rootUid, &m_info.rootGid) != 2)
                m_info.rootUid = m_info.rootGid = 0;
            if (m_info.storageDriver == "btrfs") {
                auto layers = std::make_unique<BtrfsLayers>(root);
                if (layers->usable())
                    m_btrfs = std::move(layers);
            }
            m_info.filesystemCopies = m_btrfs != nullptr;
        } catch (const json::exception&) {
        }
        m_info.diskLimits = m_info.storageDriver == "btrfs" || m_info.storageDriver == "zfs" ||
                            (m_info.storageDriver == "overlay2" && m_info.backingFilesystem == "xfs");
    }
    co_return m_info;
}

awaitable<std::string> DockerClient::createContainer(const std::string& name, const ContainerSpec& spec) {
    const std::string path = "/containers/create?name=" + http::percentEncode(name);
    json create = docker::createBody(spec);
    if (!m_runtime.empty())
        create["HostConfig"]["Runtime"] = m_runtime;
    // On btrfs a disk size is a quota group limit on the container's subvolume; code inside may not make
    // subvolumes of its own, whose writes no limit would hold.
    if (m_btrfs && spec.diskGiB > 0) {
        const std::optional<std::string> opt = co_await subvolumeSafeSecurityOpt(spec);
        if (opt)
            create["HostConfig"]["SecurityOpt"].push_back(*opt);
    }
    const std::string body = create.dump();
    const Reply r = co_await request("POST", path, body);
    if (r.status != 201)
        raise("The Docker engine could not create container " + name, r);
    co_return json::parse(r.body).at("Id").get<std::string>();
}

awaitable<std::optional<std::string>> DockerClient::subvolumeSafeSecurityOpt(const ContainerSpec& like) {
    // One probe at a time: the others wait for its outcome.
    boost::asio::steady_timer wait(m_ex);
    while (m_probing) {
        wait.expires_after(std::chrono::milliseconds(50));
        co_await wait.async_wait(boost::asio::use_awaitable);
    }
    if (m_subvolumeSafeOpt || m_subvolumeSafeUnavailable)
        co_return m_subvolumeSafeOpt;
    m_probing = true;
    // The filter depends on the engine and the container's capabilities, not on the image: a container of
    // the empty image with the same capabilities, no disk size (so no probe of its own) and no network,
    // whose only process is the pause program, labelled with this process's id.
    ContainerSpec probe;
    probe.image = kProbeImage;
    probe.entrypoint = {"/pause", "--pause"};
    probe.binds = {{m_pauseProgram, "/pause", true}};
    probe.address = Address{"none", ""};
    probe.capDrop = like.capDrop;
    const std::string pid = std::to_string(::getpid());
    probe.labels[kProbeLabel] = pid;
    const std::string name = "cove-seccomp-probe-" + pid + "-" + std::to_string(++m_probes);
    std::string id, failure;
    std::optional<json> seccomp;
    bool bundleFound = false;
    try {
        // Probes of a coved that was stopped or killed half-way (this one's earlier ones included), not
        // those of another coved at work.
        const std::string label = kProbeLabel;
        const std::vector<ContainerStatus> probes = co_await listContainers(label);
        for (const ContainerStatus& c : probes) {
            const auto owner = c.labels.find(kProbeLabel);
            const int ownerPid = owner == c.labels.end() ? 0 : std::atoi(owner->second.c_str());
            if (ownerPid > 0 && ownerPid != ::getpid() && ::kill(ownerPid, 0) == 0)
                continue;
            const std::string leftover = c.id;
            try {
                co_await removeContainer(leftover);
            } catch (const EngineError&) {
                // Tried again by the next probe.
            }
        }
        if (m_pauseProgram.empty())
            throw EngineError(0, "no program to run in the probe container");
        co_await ensureProbeImage();
        id = co_await createContainer(name, probe);
        co_await startContainer(id);
        // Where dockerd's containerd keeps the runtime bundle of a running container.
        for (const char* runtime : {"io.containerd.runtime.v2.task", "io.containerd.runtime.v1.linux"}) {
            std::ifstream in(std::string("/run/docker/containerd/daemon/") + runtime + "/moby/" + id +
                             "/config.json");
            if (!in)
                continue;
            bundleFound = true;
            const json config = json::parse(in, nullptr, false);
            if (config.is_object() && config.contains("linux") && config["linux"].is_object() &&
                config["linux"].contains("seccomp"))
                seccomp = config["linux"]["seccomp"];
            break;
        }
    } catch (const std::exception& e) {
        failure = e.what();
    }
    if (!id.empty()) {
        try {
            co_await removeContainer(id);
        } catch (const std::exception&) {
        }
    }
    m_probing = false;
    if (!failure.empty()) {
        // The next sandbox with a disk size tries again.
        std::fprintf(stderr, "coved: cannot learn the engine's seccomp filter: %s\n", failure.c_str());
        co_return std::nullopt;
    }
    const std::optional<json> profile = seccomp ? docker::subvolumeSafeProfile(*seccomp) : std::nullopt;
    if (!profile) {
        m_subvolumeSafeUnavailable = true;
        std::fprintf(
            stderr,
            "coved: %s; code in a sandbox can make btrfs subvolumes, and what it writes there is not held "
            "to the sandbox's disk size\n",
            !bundleFound ? "the engine's runtime state is not under /run/docker"
            : !seccomp   ? "the engine applies no seccomp filter"
                         : "the engine's seccomp filter is not an allow list");
        co_return std::nullopt;
    }
    m_subvolumeSafeOpt = "seccomp=" + profile->dump();
    co_return m_subvolumeSafeOpt;
}

awaitable<void> DockerClient::ensureProbeImage() {
    // Named: GCC 12 mishandles temporaries inside a co_await expression.
    const std::string ref = kProbeImage;
    const auto image = co_await inspectImage(ref);
    if (image)
        co_return;
    std::string path = importPath(ref);
    std::string emptyArchive(1024, '\0'); // an archive's end: two blocks of zeros
    Progress ignored = [](const ProgressMessage&) {};
    std::string what = "make the image " + ref;
    co_await progressStream(std::move(path), std::move(emptyArchive), std::move(ignored), std::move(what));
}

awaitable<void> DockerClient::startContainer(const std::string& id) {
    const std::string path = "/containers/" + http::percentEncode(id) + "/start";
    const Reply r = co_await request("POST", path);
    if (r.status != 204 && r.status != 304)
        raise("The Docker engine could not start container " + id, r);
}

awaitable<void> DockerClient::removeContainer(const std::string& id) {
    const std::string path = "/containers/" + http::percentEncode(id) + "?force=true&v=true";
    const Reply r = co_await request("DELETE", path);
    if (r.status == 409 && r.body.find("already in progress") != std::string::npos) {
        // Another removal (say, by a coved killed half-way) is under way: done once it is gone. Removing the
        // container's filesystem can take long while the kernel is busy with the storage's quotas.
        boost::asio::steady_timer timer(m_ex);
        for (const auto deadline = std::chrono::steady_clock::now() + kCallTimeout;
             std::chrono::steady_clock::now() < deadline;) {
            const auto still = co_await inspectContainer(id);
            if (!still)
                co_return;
            timer.expires_after(std::chrono::milliseconds(200));
            co_await timer.async_wait(boost::asio::use_awaitable);
        }
    }
    if (r.status != 204 && r.status != 404)
        raise("The Docker engine could not remove container " + id, r);
}

awaitable<void> DockerClient::stopContainer(const std::string& id, int seconds) {
    const std::string path = "/containers/" + http::percentEncode(id) + "/stop?t=" + std::to_string(seconds);
    const Reply r = co_await request("POST", path, {}, true, kCallTimeout + std::chrono::seconds(seconds));
    if (r.status != 204 && r.status != 304)
        raise("The Docker engine could not stop container " + id, r);
}

awaitable<void> DockerClient::updateContainer(const std::string& id, Resources resources) {
    const json limits{{"CpuPeriod", docker::kCpuPeriod},
                      {"CpuQuota", resources.cpus * docker::kCpuPeriod},
                      {"Memory", resources.memoryBytes},
                      {"MemorySwap", resources.memoryBytes}};
    const std::string path = "/containers/" + http::percentEncode(id) + "/update", body = limits.dump();
    const Reply r = co_await request("POST", path, body);
    if (r.status != 200)
        raise("The Docker engine could not change the limits of container " + id, r);
}

awaitable<std::optional<json>> DockerClient::inspectAt(std::string path, std::string what) {
    const Reply r = co_await request("GET", path);
    if (r.status == 404)
        co_return std::nullopt;
    if (r.status != 200)
        raise("The Docker engine could not inspect " + what, r);
    co_return json::parse(r.body);
}

awaitable<std::optional<ContainerStatus>> DockerClient::inspectContainer(const std::string& id) {
    const std::string path = "/containers/" + http::percentEncode(id) + "/json", what = "container " + id;
    const auto j = co_await inspectAt(path, what);
    if (!j)
        co_return std::nullopt;
    co_return docker::statusOfInspect(*j);
}

awaitable<std::optional<ImageInfo>> DockerClient::inspectImage(const std::string& ref) {
    const std::string path = "/images/" + http::percentEncode(ref) + "/json", what = "image " + ref;
    const auto j = co_await inspectAt(path, what);
    if (!j)
        co_return std::nullopt;
    co_return docker::imageOfInspect(*j);
}

awaitable<std::vector<ContainerStatus>> DockerClient::listContainers(const std::string& label) {
    const json filters{{"label", json::array({label})}};
    const std::string path = "/containers/json?all=true&filters=" + http::percentEncode(filters.dump());
    const Reply r = co_await request("GET", path);
    if (r.status != 200)
        raise("The Docker engine could not list containers", r);
    std::vector<ContainerStatus> out;
    const json list = json::parse(r.body, nullptr, false);
    if (list.is_array())
        for (const auto& j : list)
            out.push_back(docker::statusOfListEntry(j));
    co_return out;
}

awaitable<std::vector<NetworkInfo>> DockerClient::listNetworks() {
    const Reply r = co_await request("GET", "/networks");
    if (r.status != 200)
        raise("The Docker engine could not list networks", r);
    std::vector<NetworkInfo> out;
    const json list = json::parse(r.body, nullptr, false);
    if (list.is_array())
        for (const auto& n : list)
            out.push_back(docker::networkOf(n));
    co_return out;
}

awaitable<std::optional<NetworkInfo>> DockerClient::inspectNetwork(const std::string& name) {
    const std::string path = "/networks/" + http::percentEncode(name), what = "network " + name;
    const auto j = co_await inspectAt(path, what);
    if (!j)
        co_return std::nullopt;
    co_return docker::networkOf(*j);
}

awaitable<std::string> DockerClient::createNetwork(const NetworkSpec& spec) {
    json options{{"com.docker.network.bridge.name", spec.bridge}};
    if (spec.isolated)
        options["com.docker.network.bridge.enable_icc"] = "false";
    const json body{
        {"Name", spec.name},
        {"Driver", "bridge"},
        {"CheckDuplicate", true},
        {"Internal", spec.internal},
        {"IPAM",
         {{"Driver", "default"},
          {"Config",
           json::array({{{"Subnet", spec.subnet}, {"Gateway", spec.gateway}, {"IPRange", spec.ipRange}}})}}},
        {"Options", options},
        {"Labels", spec.labels},
    };
    const std::string payload = body.dump(); // GCC 12: no temporaries in co_await
    const Reply r = co_await request("POST", "/networks/create", payload);
    if (r.status != 201)
        raise("The Docker engine could not create network " + spec.name, r);
    co_return json::parse(r.body).value("Id", "");
}

awaitable<void> DockerClient::pauseContainer(const std::string& id) {
    const std::string path = "/containers/" + http::percentEncode(id) + "/pause";
    const Reply r = co_await request("POST", path);
    if (r.status != 204)
        raise("The Docker engine could not pause container " + id, r);
}

awaitable<void> DockerClient::unpauseContainer(const std::string& id) {
    const std::string path = "/containers/" + http::percentEncode(id) + "/unpause";
    const Reply r = co_await request("POST", path);
    if (r.status != 204)
        raise("The Docker engine could not resume container " + id, r);
}

awaitable<std::string> DockerClient::fullIdOf(const std::string& container) {
    const auto status = co_await inspectContainer(container);
    if (!status)
        throw EngineError(404, "No such container: " + container);
    co_return status->id;
}

awaitable<std::string> DockerClient::writableLayerOf(const std::string& container) {
    if (!m_btrfs)
        throw unsupportedCopies();
    const std::string id = co_await fullIdOf(container);
    try {
        co_return m_btrfs->writableLayer(id);
    } catch (const BtrfsError& e) {
        throw EngineError(500, e.what());
    }
}

awaitable<void> DockerClient::onStorage(const std::function<void()>& step) {
    // A named job, not a temporary in the co_await (GCC 12 destroys such temporaries twice).
    auto job = [step]() -> awaitable<void> {
        try {
            step();
        } catch (const BtrfsError& e) {
            throw EngineError(500, std::string("The engine's btrfs storage refused: ") + e.what());
        }
        co_return;
    };
    co_await boost::asio::co_spawn(m_storage, std::move(job), boost::asio::use_awaitable);
}

awaitable<void> DockerClient::copyFilesystem(const std::string& from, const std::string& to) {
    const std::string source = co_await writableLayerOf(from);
    const std::string target = co_await writableLayerOf(to);
    const std::function<void()> step = [this, source, target] { m_btrfs->replaceWith(target, source); };
    co_await onStorage(step);
}

awaitable<void> DockerClient::saveFilesystem(const std::string& id, const std::string& name) {
    const std::string source = co_await writableLayerOf(id);
    const std::function<void()> step = [this, source, name] { m_btrfs->save(source, name); };
    co_await onStorage(step);
}

awaitable<void> DockerClient::restoreFilesystem(const std::string& id, const std::string& name) {
    const std::string target = co_await writableLayerOf(id);
    const std::function<void()> step = [this, target, name] {
        m_btrfs->replaceWith(target, m_btrfs->savedPath(name));
    };
    co_await onStorage(step);
}

awaitable<std::optional<DiskUse>> DockerClient::diskUse(const std::string& id) {
    if (!m_btrfs)
        co_return std::nullopt;
    const std::string layer = co_await writableLayerOf(id);
    // On the storage thread: a tree search waits for a transaction commit in progress.
    auto job = [layer]() -> awaitable<std::optional<DiskUse>> {
        try {
            const auto u = BtrfsLayers::usage(layer);
            co_return DiskUse{std::int64_t(u.written), std::int64_t(u.limit)};
        } catch (const BtrfsError&) {
            co_return std::nullopt;
        }
    };
    co_return co_await boost::asio::co_spawn(m_storage, std::move(job), boost::asio::use_awaitable);
}

awaitable<std::vector<LogLine>> DockerClient::containerLogs(const std::string& id, std::int64_t since,
                                                            std::int64_t until, int tail) {
    const std::string path = "/containers/" + http::percentEncode(id) +
                             "/logs?stdout=1&stderr=1&timestamps=1&since=" + std::to_string(since) +
                             "&until=" + std::to_string(until) + "&tail=" + std::to_string(tail);
    const Reply r = co_await request("GET", path);
    if (r.status == 404)
        throw EngineError(404, "No such container: " + id);
    if (r.status != 200)
        raise("The Docker engine could not read the logs of container " + id, r);
    // Without a terminal the engine frames each write: stream (1 stdout, 2 stderr), three zeros, a
    // big-endian length, then the bytes; each line starts with its timestamp.
    std::vector<LogLine> lines;
    std::string pending[3];
    const auto take = [&](int stream, std::string_view bytes) {
        std::string& buf = pending[stream == 2 ? 2 : 1];
        buf.append(bytes);
        for (auto nl = buf.find('\n'); nl != std::string::npos; nl = buf.find('\n')) {
            std::string line = buf.substr(0, nl);
            buf.erase(0, nl + 1);
            const auto space = line.find(' ');
            LogLine l;
            l.fromStderr = stream == 2;
            l.timestamp = space == std::string::npos ? std::string() : line.substr(0, space);
            l.text = space == std::string::npos ? line : line.substr(space + 1);
            lines.push_back(std::move(l));
        }
    };
    const std::string& b = r.body;
    std::size_t at = 0;
    while (at + 8 <= b.size()) {
        const int stream = static_cast<unsigned char>(b[at]);
        const std::size_t size = (std::size_t(static_cast<unsigned char>(b[at + 4])) << 24) |
                                 (std::size_t(static_cast<unsigned char>(b[at + 5])) << 16) |
                                 (std::size_t(static_cast<unsigned char>(b[at + 6])) << 8) |
                                 std::size_t(static_cast<unsigned char>(b[at + 7]));
        if (stream < 1 || stream > 2 || at + 8 + size > b.size())
            break;
        take(stream, std::string_view(b).substr(at + 8, size));
        at += 8 + size;
    }
    for (int stream : {1, 2})
        if (!pending[stream].empty())
            take(stream, "\n");
    co_return lines;
}

awaitable<void> DockerClient::dropFilesystem(const std::string& name) {
    if (!m_btrfs)
        throw unsupportedCopies();
    const std::function<void()> step = [this, name] { m_btrfs->drop(name); };
    co_await onStorage(step);
}

} // namespace cove::engine
