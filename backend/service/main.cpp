// coved: Cove's local service. Serves Daytona's REST API, runs sandboxes as Docker containers and
// proxies each sandbox's toolbox. See --help.
#include "common/ApiError.h"
#include "common/Time.h"
#include "cove/Version.h"
#include "service/api/EventChannel.h"
#include "service/api/HttpServer.h"
#include "service/api/Routes.h"
#include "service/domain/Housekeeping.h"
#include "service/domain/Keys.h"
#include "service/domain/Quotas.h"
#include "service/domain/RateLimiter.h"
#include "service/domain/SandboxService.h"
#include "service/domain/SecretInterceptor.h"
#include "service/domain/Snapshots.h"
#include "service/domain/SshAccess.h"
#include "service/domain/Webhooks.h"
#include "service/engine/DockerClient.h"
#include "service/net/Firewall.h"
#include "service/proxy/PreviewProxy.h"
#include "service/proxy/SshGateway.h"
#include "service/store/OrganizationRepository.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace fs = std::filesystem;
using namespace cove;

namespace {

constexpr const char* kPersonalOrganization = "personal";

const char* env(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? v : nullptr;
}

std::string defaultDataDir() {
    if (geteuid() == 0)
        return "/var/lib/cove";
    if (const char* x = env("XDG_DATA_HOME"))
        return std::string(x) + "/cove";
    if (const char* h = env("HOME"))
        return std::string(h) + "/.local/share/cove";
    return "./cove-data";
}

std::string selfDir() {
    std::error_code ec;
    return fs::read_symlink("/proc/self/exe", ec).parent_path().string();
}

// In a build tree the agent is next to coved; installed, coved is in /usr/sbin and the agent in
// /usr/lib/cove, the image recipes in /usr/share/cove/images.
std::string defaultAgent() {
    const std::string here = selfDir() + "/cove-agent";
    const std::string installed = selfDir() + "/../lib/cove/cove-agent";
    return fs::exists(here) || !fs::exists(installed) ? here
                                                      : fs::path(installed).lexically_normal().string();
}

std::string defaultImagesDir() {
    const fs::path dir = fs::path(selfDir() + "/../share/cove/images").lexically_normal();
    return fs::exists(dir / "build-images.sh") ? dir.string() : std::string();
}

void usage() {
    std::printf(
        "usage: coved [options]\n"
        "\n"
        "Cove's local service: runs sandboxes for AI agents as containers on this machine and serves\n"
        "Daytona's REST API, so the official Daytona SDKs work with DAYTONA_API_URL=http://HOST:PORT/api.\n"
        "\n"
        "options (environment variable in brackets):\n"
        "  --listen ADDR:PORT   where to serve the API (COVE_LISTEN; default 127.0.0.1:3986, loopback only)\n"
        "  --data-dir DIR       database, keys, sandbox files (COVE_DATA_DIR; default /var/lib/cove as "
        "root,\n"
        "                       else $XDG_DATA_HOME/cove)\n"
        "  --database SPEC      where Cove keeps its state: an SQLite file, or a PostgreSQL URL\n"
        "                       postgresql://user@host/db that several coveds may share (COVE_DATABASE;\n"
        "                       default DIR/cove.db; a password is better in ~/.pgpass than here)\n"
        "  --docker-host URL    the Docker engine (DOCKER_HOST; default unix:///var/run/docker.sock)\n"
        "  --agent PATH         the cove-agent binary to put in sandboxes (COVE_AGENT; default: next to "
        "coved,\n"
        "                       else ../lib/cove/cove-agent from it)\n"
        "  --images-dir DIR     Cove's image recipes: coved builds the default snapshots' images from them\n"
        "                       when the engine lacks them (COVE_IMAGES_DIR; default ../share/cove/images\n"
        "                       next to coved, when present)\n"
        "  --image-tag TAG      the default snapshots' image tag (COVE_IMAGE_TAG; default latest)\n"
        "  --runtime NAME       the OCI runtime sandboxes run on, one the engine knows, such as crun\n"
        "                       (dockerd --add-runtime crun=/usr/bin/crun) (COVE_RUNTIME; default the\n"
        "                       engine's default, runc)\n"
        "  --key-group GROUP    make DIR/admin.key readable by GROUP (mode 0640), so its members'\n"
        "                       dashboards connect with no setup (COVE_KEY_GROUP; default none)\n"
        "  --ssh-listen ADDR:PORT  the SSH gateway, `ssh -p PORT <token>@ADDR` (COVE_SSH_LISTEN; default\n"
        "                       127.0.0.1:2222, loopback only; off turns it off)\n"
        "  --warm-pool N        started sandboxes kept ready for default creates (COVE_WARM_POOL; default "
        "2, 0 = none)\n"
        "  --rate-limit NAME=N  requests per minute per API key for NAME: authenticated, sandbox-create,\n"
        "                       sandbox-lifecycle, or auth-failures (per address); 0 = no limit. "
        "Repeatable.\n"
        "                       (COVE_RATE_LIMITS=NAME=N,NAME=N; defaults 6000, 300, 600, 20)\n"
        "  --egress-dns IP[:PORT]  an upstream resolver the sandboxes' resolver asks for names sandboxes\n"
        "                       with domain rules may reach (repeatable; default the host's resolvers)\n"
        "  --egress-internal CIDR  an internal network names may resolve to for those sandboxes, which the\n"
        "                       DNS-rebinding guard otherwise refuses (repeatable)\n"
        "  --audit-retention-days N  drop audit rows older than N days (COVE_AUDIT_RETENTION_DAYS; default\n"
        "                       0 = keep all)\n"
        "  --egress-trust FILE  a CA (PEM) that upstream servers of requests carrying secrets may chain to,\n"
        "                       besides the system's (default none)\n"
        "  --version            print the version and exit\n"
        "  --help               print this help and exit\n"
        "\n"
        "On first start coved writes an admin API key to DIR/admin.key (mode 0600).\n");
}

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "coved: %s\n", message.c_str());
    std::exit(1);
}

bool parseListen(const std::string& v, domain::ServiceConfig& c) {
    const auto colon = v.rfind(':');
    if (colon == std::string::npos || colon == 0)
        return false;
    std::string host = v.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    const std::string port = v.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
        return false;
    const int p = std::stoi(port);
    if (p > 65535)
        return false;
    c.listenHost = host == "localhost" ? "127.0.0.1" : host;
    c.listenPort = static_cast<unsigned short>(p);
    return true;
}

// Copies the agent into the data directory by atomic rename, so running sandboxes keep the old file.
void installAgent(const domain::ServiceConfig& c) {
    std::ifstream src(c.agentSource, std::ios::binary);
    if (!src)
        die("the sandbox agent " + c.agentSource +
            " is missing; build Cove (installer/setup.sh build) or pass --agent");
    std::stringstream content;
    content << src.rdbuf();
    std::ifstream current(c.agentBinary, std::ios::binary);
    std::stringstream old;
    if (current)
        old << current.rdbuf();
    if (current && old.str() == content.str())
        return;
    const std::string tmp = c.agentBinary + ".new";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << content.str();
        if (!out)
            die("cannot write " + tmp + "; check that the data directory is writable by this user");
    }
    ::chmod(tmp.c_str(), 0755);
    if (::rename(tmp.c_str(), c.agentBinary.c_str()) != 0)
        die("cannot install " + c.agentBinary + ": " + std::strerror(errno));
}

void prepareDataDir(const std::string& dir) {
    std::error_code ec;
    fs::create_directories(dir + "/sandboxes", ec);
    if (!ec)
        fs::create_directories(dir + "/bin", ec);
    const std::string probe = dir + "/.write-test";
    const int fd = ec ? -1 : ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        die("the data directory " + dir + " is not writable by this user (" +
            (ec ? ec.message() : std::string(std::strerror(errno))) +
            "); pass --data-dir with a directory you own, or run coved as root");
    ::close(fd);
    ::unlink(probe.c_str());
    // Sandbox agent sockets live below; only coved's user may reach them.
    ::chmod(dir.c_str(), 0700);
    ::chmod((dir + "/sandboxes").c_str(), 0700);
}

// The admin key readable by a group (mode 0640) and the data directory passable by it (0710), so the
// group's members' dashboards find the key; the rest of the directory stays coved's alone.
void shareAdminKey(const std::string& dir, const std::string& group) {
    errno = 0;
    const struct group* g = ::getgrnam(group.c_str());
    if (!g)
        die("--key-group: there is no group '" + group + "' (create it with addgroup --system " + group +
            ")");
    const std::string key = dir + "/admin.key";
    if (::chown(key.c_str(), ::geteuid(), g->gr_gid) != 0 ||
        ::chown(dir.c_str(), ::geteuid(), g->gr_gid) != 0)
        die("--key-group: cannot give " + key + " to group " + group + ": " + std::strerror(errno));
    ::chmod(key.c_str(), 0640);
    ::chmod(dir.c_str(), 0710);
}

} // namespace

int main(int argc, char** argv) {
    domain::ServiceConfig config;
    config.dataDir = env("COVE_DATA_DIR") ? env("COVE_DATA_DIR") : defaultDataDir();
    if (const char* d = env("DOCKER_HOST"))
        config.dockerHost = d;
    config.agentSource = env("COVE_AGENT") ? env("COVE_AGENT") : defaultAgent();
    config.imagesDir = env("COVE_IMAGES_DIR") ? env("COVE_IMAGES_DIR") : defaultImagesDir();
    if (const char* t = env("COVE_IMAGE_TAG"))
        config.defaultImageTag = t;
    std::string runtime = env("COVE_RUNTIME") ? env("COVE_RUNTIME") : "";
    std::string keyGroup = env("COVE_KEY_GROUP") ? env("COVE_KEY_GROUP") : "";
    std::string database = env("COVE_DATABASE") ? env("COVE_DATABASE") : "";
    std::string egressTrust;
    std::string listen = env("COVE_LISTEN") ? env("COVE_LISTEN") : "127.0.0.1:3986";
    std::string warmPool = env("COVE_WARM_POOL") ? env("COVE_WARM_POOL") : "2";
    std::string sshListen =
        env("COVE_SSH_LISTEN") ? env("COVE_SSH_LISTEN") : domain::SshLimits::kDefaultListen;
    bool sshAsked = env("COVE_SSH_LISTEN") != nullptr; // else a taken default port only warns
    std::vector<std::string> rateLimits;
    if (const char* v = env("COVE_RATE_LIMITS")) {
        std::stringstream list(v);
        for (std::string item; std::getline(list, item, ',');)
            rateLimits.push_back(item);
    }
    std::string auditRetention = env("COVE_AUDIT_RETENTION_DAYS") ? env("COVE_AUDIT_RETENTION_DAYS") : "0";

    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                die("option " + a + " needs a value; see coved --help");
            return argv[++i];
        };
        if (a == "--help" || a == "-h") {
            usage();
            return 0;
        } else if (a == "--version") {
            std::printf("coved %s\n", kVersion);
            return 0;
        } else if (a == "--listen") {
            listen = value();
        } else if (a == "--data-dir") {
            config.dataDir = value();
        } else if (a == "--database") {
            database = value();
        } else if (a == "--docker-host") {
            config.dockerHost = value();
        } else if (a == "--agent") {
            config.agentSource = value();
        } else if (a == "--images-dir") {
            config.imagesDir = value();
        } else if (a == "--runtime") {
            runtime = value();
        } else if (a == "--image-tag") {
            config.defaultImageTag = value();
        } else if (a == "--key-group") {
            keyGroup = value();
        } else if (a == "--ssh-listen") {
            sshListen = value();
            sshAsked = true;
        } else if (a == "--warm-pool") {
            warmPool = value();
        } else if (a == "--rate-limit") {
            rateLimits.push_back(value());
        } else if (a == "--audit-retention-days") {
            auditRetention = value();
        } else if (a == "--egress-dns") {
            const std::string v = value();
            const auto colon = v.find(':');
            const std::string port = colon == std::string::npos ? "53" : v.substr(colon + 1);
            if (!net::parseIpv4(v.substr(0, colon)) || port.empty() || port.size() > 5 ||
                port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) == 0 ||
                std::stoi(port) > 65535)
                die("--egress-dns wants an IPv4 address with an optional port, e.g. 192.0.2.53 or "
                    "192.0.2.53:5353; got '" +
                    v + "'");
            config.egressDns.push_back(v);
        } else if (a == "--egress-internal") {
            const std::string v = value();
            if (!net::parseCidr(v))
                die("--egress-internal wants an IPv4 CIDR block such as 10.1.0.0/16; got '" + v + "'");
            config.egressInternal.push_back(v);
        } else if (a == "--egress-trust") {
            egressTrust = value();
            if (::access(egressTrust.c_str(), R_OK) != 0)
                die("--egress-trust wants a readable PEM file of CA certificates; cannot read '" +
                    egressTrust + "'");
        } else {
            die("unknown option '" + a + "'; see coved --help");
        }
    }
    if (!parseListen(listen, config))
        die("--listen wants ADDRESS:PORT, e.g. 127.0.0.1:3986; got '" + listen + "'");
    domain::ServiceConfig sshAt; // only its listenHost and listenPort
    if (sshListen != "off" && !parseListen(sshListen, sshAt))
        die("--ssh-listen wants ADDRESS:PORT, e.g. " + std::string(domain::SshLimits::kDefaultListen) +
            ", or off; got '" + sshListen + "'");
    if (warmPool.empty() || warmPool.size() > 2 ||
        warmPool.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(warmPool) > domain::ServiceDefaults::kMaxWarmPool)
        die("--warm-pool wants a number from 0 to " + std::to_string(domain::ServiceDefaults::kMaxWarmPool) +
            "; got '" + warmPool + "'");
    config.warmPool = std::stoi(warmPool);
    domain::RateLimits limits;
    for (const auto& item : rateLimits) {
        const auto eq = item.find('=');
        const std::string name = item.substr(0, eq);
        const std::string n = eq == std::string::npos ? std::string() : item.substr(eq + 1);
        int* field = name == "authenticated"       ? &limits.authenticated
                     : name == "sandbox-create"    ? &limits.sandboxCreate
                     : name == "sandbox-lifecycle" ? &limits.sandboxLifecycle
                     : name == "auth-failures"     ? &limits.authFailures
                                                   : nullptr;
        if (!field || n.empty() || n.size() > 7 || n.find_first_not_of("0123456789") != std::string::npos)
            die("--rate-limit wants NAME=N with NAME one of authenticated, sandbox-create, "
                "sandbox-lifecycle, "
                "auth-failures; got '" +
                item + "'");
        *field = std::stoi(n);
    }
    if (auditRetention.empty() || auditRetention.size() > 6 ||
        auditRetention.find_first_not_of("0123456789") != std::string::npos)
        die("--audit-retention-days wants a number of days (0 keeps everything); got '" + auditRetention +
            "'");
    const std::int64_t auditRetentionMs = std::stoll(auditRetention) * 24 * 3600 * 1000;
    std::error_code ec;
    config.dataDir = fs::absolute(config.dataDir, ec).lexically_normal().string();
    if (config.dataDir.size() > 1 && config.dataDir.back() == '/')
        config.dataDir.pop_back();
    config.agentBinary = config.dataDir + "/bin/cove-agent";

    prepareDataDir(config.dataDir);
    std::signal(SIGPIPE, SIG_IGN);

    std::unique_ptr<store::Database> db;
    try {
        db = store::open(database.empty() ? config.dataDir + "/cove.db" : database);
        store::OrganizationRepository(*db).ensure(kPersonalOrganization, "Personal",
                                                  toMillis(SystemClock().now()));
    } catch (const std::exception& e) {
        die(e.what());
    }
    domain::Keys keys(*db);
    try {
        keys.ensureAdminKey(config.dataDir, kPersonalOrganization);
    } catch (const std::exception& e) {
        die(e.what());
    }
    if (!keyGroup.empty())
        shareAdminKey(config.dataDir, keyGroup);
    installAgent(config);

    boost::asio::io_context io(1);
    SystemClock clock;
    engine::DockerClient engine(io.get_executor(), config.dockerHost);
    engine.setPauseProgram(config.agentBinary);
    std::unique_ptr<domain::SandboxService> service;
    try { // reads or makes <data>/secrets.key
        service = std::make_unique<domain::SandboxService>(*db, engine, clock, config);
    } catch (const std::exception& e) {
        die(e.what());
    }
    domain::SandboxService& sandboxes = *service;
    // Secrets: the CA that sandboxes mounting them trust, and the interceptor that puts their values into
    // the requests the egress proxy hands it.
    std::unique_ptr<domain::InterceptionCa> interceptionCa;
    std::unique_ptr<domain::SecretInterceptor> secretInterceptor;
    try {
        interceptionCa = std::make_unique<domain::InterceptionCa>(config.dataDir);
        secretInterceptor =
            std::make_unique<domain::SecretInterceptor>(sandboxes.secrets(), *interceptionCa, egressTrust);
    } catch (const std::exception& e) {
        die(e.what());
    }
    sandboxes.setSecretsTrust(interceptionCa->certificatePem());
    sandboxes.setSecretsMounted(
        [&sandboxes](const std::string& id) { return sandboxes.secrets().mountsAny(id); });
    sandboxes.setEgressInterceptor(secretInterceptor.get());
    // For the package's purge, which removes the installation's containers and network by it.
    std::ofstream(config.dataDir + "/instance") << sandboxes.instanceId() << '\n';

    // Start-up needs the engine and the default images; each failure is one sentence and exit 1.
    std::string startupError;
    bool started = false;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            const auto info = co_await engine.connect();
            if (!runtime.empty()) {
                if (std::find(info.runtimes.begin(), info.runtimes.end(), runtime) == info.runtimes.end()) {
                    std::string known;
                    for (const auto& r : info.runtimes)
                        known += (known.empty() ? "" : ", ") + r;
                    throw std::runtime_error("the Docker engine has no runtime '" + runtime + "' (it has " +
                                             (known.empty() ? std::string("none listed") : known) +
                                             "); register it (dockerd --add-runtime " + runtime +
                                             "=/usr/bin/" + runtime + ") or leave --runtime out");
                }
                engine.setRuntime(runtime);
            }
            sandboxes.volumes().setRemappedRoot(info.rootUid, info.rootGid);
            co_await sandboxes.setupNetwork();
            const auto missing = co_await sandboxes.registerDefaultSnapshots();
            const std::string image = config.defaultSnapshot + ":" + config.defaultImageTag;
            if (!missing.empty() && sandboxes.snapshots().canBuildDefaultImages())
                sandboxes.snapshots().buildDefaultImages(io.get_executor(), missing);
            else if (std::find(missing.begin(), missing.end(), image) != missing.end())
                throw std::runtime_error("the default snapshot image " + image +
                                         " is missing from the Docker engine; build it with "
                                         "'installer/setup.sh images' or pass --images-dir");
            const auto report = co_await sandboxes.reconcile();
            if (report.settled + report.restarted + report.failed + report.orphansRemoved > 0)
                std::fprintf(stderr,
                             "coved: reconciled with the engine: %d settled, %d restarted, %d failed, %d "
                             "orphaned containers removed\n",
                             report.settled, report.restarted, report.failed, report.orphansRemoved);
            std::fprintf(stderr, "coved: Docker engine %s (API %s, storage %s, runtime %s)\n",
                         info.version.c_str(), info.usedApiVersion.c_str(), info.storageDriver.c_str(),
                         (runtime.empty() ? info.defaultRuntime : runtime).c_str());
            if (!info.diskLimits)
                std::fprintf(
                    stderr,
                    "coved: sandbox disk sizes are recorded but not enforced: storage driver %s on %s "
                    "cannot limit a container's disk (btrfs, zfs or overlay2 on xfs can)\n",
                    info.storageDriver.c_str(),
                    info.backingFilesystem.empty() ? "this filesystem" : info.backingFilesystem.c_str());
            if (!info.userNamespaces)
                std::fprintf(stderr, "coved: warning: %s\n", cove::engine::kNoUserNamespacesWarning);
        },
        [&](std::exception_ptr e) {
            if (e) {
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& x) {
                    startupError = x.what();
                } catch (const cove::domain::DomainError& x) {
                    startupError = x.message;
                }
            }
            started = true;
        });
    while (!started && io.run_one() > 0) {
    }
    if (!startupError.empty())
        die(startupError);
    io.restart();

    api::Router router;
    api::EventChannel events(
        [&](const std::string& token) { return keys.authenticate(token, toMillis(clock.now())); });
    // Every event goes to the event channel's clients, and the seven webhook events to the webhooks.
    domain::Webhooks webhooks(*db, clock, io.get_executor());
    sandboxes.onEvent(
        [&](const std::string& organizationId, const std::string& event, const nlohmann::json& payload) {
            events.publish(organizationId, event, payload);
            webhooks.onEvent(organizationId, event, payload);
        });
    domain::RateLimiter limiter(clock, limits);
    const api::Governance governance{
        *db,      keys,  sandboxes.auditLog(),
        limiter,  clock, [&](const std::string& org) { sandboxes.reapplyOrganizationNetwork(org); },
        &webhooks};
    api::addAllRoutes(router, engine, sandboxes, events, governance);
    api::ServerHooks hooks;
    hooks.authenticate = [&](const std::string& token) {
        return keys.authenticate(token, toMillis(clock.now()));
    };
    hooks.authFailed = [&](const std::string& ip, const std::string& method, const std::string& path,
                           bool blocks) {
        domain::AuditEntry e;
        // One installation, one organization: its admin sees who knocked with a bad key.
        e.organizationId = kPersonalOrganization;
        e.keyName = "unknown key";
        e.action = "authenticate";
        e.targetType = "api_key";
        e.status = 401;
        e.error = method + " " + path;
        e.ip = ip;
        e.source = "api";
        sandboxes.auditLog().write(e);
        if (blocks) {
            e.status = 429;
            e.error = "Too many failed authentications from " + ip + "; refused for a minute.";
            sandboxes.auditLog().write(e);
        }
    };
    hooks.limiter = &limiter;
    hooks.audit = &sandboxes.auditLog();
    proxy::PreviewProxy previews(sandboxes, engine, hooks);
    hooks.takeover = &previews;
    api::HttpServer server(io, router, hooks);
    try {
        server.listen(config.listenHost, config.listenPort);
    } catch (const std::exception& e) {
        die(e.what());
    }
    config.listenPort = server.port();
    sandboxes.setBaseUrl(config.baseUrl());
    proxy::SshGateway ssh(io, sandboxes, config.dataDir);
    if (sshListen != "off") {
        try {
            ssh.listen(sshAt.listenHost, sshAt.listenPort);
            // The command handed out names an address a client can dial: not "any address".
            const bool any = sshAt.listenHost == "0.0.0.0" || sshAt.listenHost == "::";
            sandboxes.sshAccess().setGateway(any ? "localhost" : sshAt.listenHost, ssh.port());
            std::fprintf(stderr, "coved: SSH gateway on %s:%u\n", sshAt.listenHost.c_str(), ssh.port());
        } catch (const std::exception& e) {
            if (sshAsked)
                die(e.what());
            std::fprintf(stderr, "coved: warning: no SSH gateway: %s\n", e.what());
        }
    }

    // From now on the reconciler, the timers and the rest run periodically, so an engine restart or a
    // container stopped by hand is put right without anyone asking.
    domain::Housekeeping housekeeping(sandboxes, *db, clock,
                                      domain::Housekeeping::defaults(auditRetentionMs));
    boost::asio::co_spawn(io, housekeeping.run(), boost::asio::detached);
    boost::asio::co_spawn(io, housekeeping.refreshEssentialServices(), boost::asio::detached);
    // Webhook deliveries: pending ones left by an earlier run go out first.
    boost::asio::co_spawn(io, webhooks.run(), boost::asio::detached);

    // The pool is filled in the background: the API answers meanwhile, creating containers directly.
    boost::asio::co_spawn(io, sandboxes.fillPool(), boost::asio::detached);

    // On SIGTERM the unclaimed pool members go (nobody owns them); a second signal ends coved at once.
    boost::asio::signal_set stop(io, SIGINT, SIGTERM);
    stop.async_wait([&](const boost::system::error_code& ec, int) {
        if (ec)
            return;
        server.close();
        ssh.close();
        stop.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
        boost::asio::co_spawn(io, sandboxes.drainPool(), [&](std::exception_ptr) { io.stop(); });
    });

    std::fprintf(stderr, "coved %s: serving http://%s:%u/api (data in %s)\n", kVersion,
                 config.listenHost.c_str(), config.listenPort, config.dataDir.c_str());
    io.run();
    return 0;
}
