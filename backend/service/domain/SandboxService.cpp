// The sandbox lifecycle as far as the foundation goes: create, read, list, delete.
#include "service/domain/SandboxService.h"
#include "service/domain/Workers.h"
#include "service/store/SettingsRepository.h"
#include "service/store/SnapshotRepository.h"

#include "service/domain/NetworkPolicy.h"
#include "service/domain/Quotas.h"
#include "service/domain/SandboxRow.h"
#include "service/domain/Snapshots.h"
#include "service/domain/SshAccess.h"
#include "service/domain/Validate.h"
#include "service/net/EgressGate.h"

#include "common/JsonText.h"
#include "common/Random.h"
#include "cove/Version.h"
#include "service/domain/AgentConnector.h"
#include "service/domain/Crypto.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace cove::domain {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace validate;

namespace {

const std::vector<std::string> kDefaultSnapshots = {"cove-base", "cove-desktop"};

// The installation's key for the secrets it keeps (Crypto.h); a store with no data directory (a test's)
// gets one for this run only.
std::string secretKeyOf(const ServiceConfig& config) {
    if (config.dataDir.empty()) {
        std::string key(kSecretKeyBytes, '\0');
        randomBytes(key.data(), key.size());
        return key;
    }
    return loadOrCreateSecretKey(config.dataDir + "/secrets.key");
}

} // namespace

SandboxService::SandboxService(store::Database& db, engine::Engine& engine, const Clock& clock,
                               ServiceConfig config)
    : m_db(db)
    , m_repo(db)
    , m_engine(engine)
    , m_clock(clock)
    , m_config(std::move(config))
    , m_auditLog(db, clock)
    , m_volumes(db, clock, m_config.dataDir, m_auditLog)
    , m_registries(db, clock, secretKeyOf(m_config))
    , m_secrets(db, clock, secretKeyOf(m_config))
    , m_baseUrl(m_config.baseUrl()) {
    // The first coved on a database names the installation; every later one (or another coved sharing
    // the database) reads that name.
    store::SettingsRepository settings(m_db);
    settings.putIfAbsent("instance", uuidV4());
    m_instance = settings.get("instance").value_or("");
    m_snapshots = std::make_unique<Snapshots>(m_db, m_engine, m_clock, m_config, *this);
    m_sshAccess = std::make_unique<SshAccess>(m_db, *this, m_clock);
    m_secrets.reload();
}

SandboxService::~SandboxService() = default;

void SandboxService::onEvent(Publish publish) {
    m_publish = publish;
    m_snapshots->onEvent(publish);
    m_volumes.onEvent(publish);
    m_auditLog.onEvent(std::move(publish));
}

void SandboxService::audit(const Caller* caller, const std::string& action, const std::string& targetType,
                           const std::string& targetId, int status, const std::string& error) {
    if (caller) {
        m_auditLog.record(*caller, action, targetType, targetId, status, error);
        return;
    }
    AuditEntry e; // the service acting on its own (a timer)
    e.organizationId = organizationOf(targetId);
    e.source = "system";
    e.action = action;
    e.targetType = targetType;
    e.targetId = targetId;
    e.status = status;
    e.error = error;
    m_auditLog.write(e);
}

std::string SandboxService::organizationOf(const std::string& sandboxId) {
    return m_repo.organizationOf(sandboxId).value_or("");
}

std::optional<SandboxRow> SandboxService::find(const std::string& idOrName, const std::string& orgId) {
    return m_repo.findLive(orgId, idOrName);
}

namespace {
// Where describe() puts each field: a json tree (in any order), or JSON text (keys ascending, the order
// a json object prints them in, so both print the same).
struct TreeOut {
    json& j;
    template <class V> void operator()(const char* k, const V& v) { j[k] = v; }
};
struct TextOut {
    JsonText& t;
    template <class V> void operator()(const char* k, const V& v) { t.field(k, v); }
};
} // namespace

// The sandbox as the API shows it, once for both renderings: fields in ascending order of their keys.
template <class Out>
void SandboxService::describe(Out& out, const SandboxRow& r, bool listItem, const std::string& baseUrl,
                              std::optional<bool> restricted) const {
    out("autoArchiveInterval", r.autoArchive);
    out("autoDeleteInterval", r.autoDelete);
    if (r.destroyAt)
        out("autoDestroyAt", toIso8601(fromMillis(*r.destroyAt)));
    out("autoPauseInterval", r.autoPause);
    out("autoStopInterval", r.autoStop);
    if (!listItem && r.backupAt)
        out("backupCreatedAt", toIso8601(fromMillis(*r.backupAt)));
    out("backupState", r.backupAt ? "Completed" : "None");
    if (!listItem && !r.buildInfo.is_null())
        out("buildInfo", r.buildInfo);
    out("cpu", r.cpu);
    out("createdAt", toIso8601(fromMillis(r.createdAt)));
    out("daemonVersion", kVersion);
    out("desiredState", toString(r.desiredState));
    out("disk", r.disk);
    // Cove's: whether the engine can hold the sandbox to its disk size (btrfs, zfs, xfs quotas).
    out("diskLimitEnforced", m_engine.info().diskLimits);
    if (r.domainAllowList)
        out("domainAllowList", *r.domainAllowList);
    if (r.domainBlockList)
        out("domainBlockList", *r.domainBlockList);
    if (!listItem)
        out("env", r.env);
    if (r.errorReason.empty())
        out("errorReason", nullptr);
    else
        out("errorReason", r.errorReason);
    // Cove's: a fork copied its parent's files but not its running processes (their memory), see
    // docs/criu.md.
    if (r.parentId)
        out("forkedMemory", false);
    out("gpu", r.gpu);
    out("id", r.id);
    out("labels", r.labels);
    out("lastActivityAt", toIso8601(fromMillis(r.lastActivityAt)));
    if (!listItem) {
        // Cove's: the sandboxes that follow this one; the one this one follows.
        const auto links = linkFields(r.id);
        out("linkedFollowers", links.followers);
        if (links.owner)
            out("linkedSandboxId", *links.owner);
    }
    out("memory", r.memory);
    out("name", r.name);
    if (r.networkAllowList)
        out("networkAllowList", *r.networkAllowList);
    out("networkBlockAll", r.networkBlockAll);
    // Cove's: the egress actually enforced, which on tiers 1-2 is the essential services whatever the
    // sandbox asked for ("open", "block-all", "allow-list", "essential-services", "domains"), and in
    // networkPolicy what it is made of. A stored list that no longer parses blocks all (as the firewall).
    const Egress egress = storedEgress(r, restricted);
    out("networkEgress", egress.name());
    out("networkPolicy", policyJson(egress));
    out("networkStrict", r.networkStrict);
    out("organizationId", r.organizationId);
    if (r.parentId)
        out("parentSandboxId", *r.parentId); // Cove's: the sandbox this one was forked from
    out("public", r.isPublic);
    out("recoverable", false);
    out("sandboxClass", "container");
    out("snapshot", r.snapshot);
    out("state", toString(reportedState(r.state, r.desiredState)));
    out("target", r.target.value_or("local"));
    out("toolboxProxyUrl", (baseUrl.empty() ? m_baseUrl : baseUrl) + "/toolbox");
    out("updatedAt", toIso8601(fromMillis(r.updatedAt)));
    out("user", r.user);
    if (!listItem)
        out("volumes", r.volumes);
}

json SandboxService::toDto(const SandboxRow& r, bool listItem, const std::string& baseUrl,
                           std::optional<bool> restricted) const {
    json j = json::object();
    TreeOut out{j};
    describe(out, r, listItem, baseUrl, restricted);
    return j;
}

void SandboxService::writeListItem(JsonText& t, const SandboxRow& r, const std::string& baseUrl,
                                   bool restricted) const {
    TextOut out{t};
    t.beginObject();
    describe(out, r, true, baseUrl, restricted);
    t.endObject();
}

awaitable<std::vector<std::string>> SandboxService::registerDefaultSnapshots() {
    std::vector<std::string> missing;
    for (const auto& name : kDefaultSnapshots) {
        const std::string image = name + ":" + m_config.defaultImageTag;
        const auto info = co_await m_engine.inspectImage(image);
        if (!info) {
            missing.push_back(image);
            continue;
        }
        const auto now = toMillis(m_clock.now());
        store::SnapshotRepository(m_db).upsertGeneralActive(uuidV4(), name, image, info->sizeBytes, now);
    }
    co_return missing;
}

awaitable<json> SandboxService::create(json body, const Caller& caller) {
    const Principal& who = caller.who;
    // 1. Validate everything before anything is written.
    const CreateFields fields = createFields(body);
    std::string snapshot = fields.snapshot.value_or(m_config.defaultSnapshot);
    const json& extra = fields.extra;
    json mounts = json::array();

    // An image or Dockerfile: the snapshot of an identical earlier build, or one built now, which the
    // sandbox waits for in pending_build. Asked for only once every other field has passed, so a refused
    // body starts no build.
    std::optional<Snapshots::Build> build;
    if (body.contains("buildInfo") && !body["buildInfo"].is_null()) {
        json buildInfo = body["buildInfo"];
        try {
            build = co_await m_snapshots->requestBuild(buildInfo, caller);
        } catch (DomainError& e) {
            if (e.kind == DomainError::Kind::Invalid)
                throw std::move(e).with(errors::kInvalidField, "buildInfo");
            throw;
        }
        snapshot = build->name;
    }

    const auto snap = store::SnapshotRepository(m_db).find(snapshot, who.organizationId);
    if (!snap)
        throw DomainError::notFound("Snapshot '" + snapshot +
                                    "' does not exist; list snapshots with GET /api/snapshots.")
            .with(errors::kSnapshotNotFound, "snapshot");
    const bool waitsForBuild = build && snap->state != "active";
    if (snap->state == "building" && !waitsForBuild)
        throw DomainError::unavailable(
            "The image of snapshot '" + snapshot +
            "' is being built; try again when the snapshot is active (its progress: "
            "GET /api/snapshots/" +
            snapshot + "/build-logs).")
            .with(errors::kSnapshotNotReady, "snapshot");
    if (snap->state != "active" && !waitsForBuild)
        throw DomainError::invalid("Snapshot '" + snapshot + "' is " + snap->state + ", not active.")
            .with(errors::kSnapshotNotReady, "snapshot");
    const std::string image = snap->imageName;
    std::optional<LinkPlan> link;
    if (fields.linkedSandbox)
        link = co_await planLink(*fields.linkedSandbox, caller);
    std::optional<engine::ImageInfo> imageInfo;
    if (!waitsForBuild)
        imageInfo = co_await m_engine.inspectImage(image);
    if (!imageInfo && !waitsForBuild)
        throw DomainError::invalid(
            "The image " + image + " of snapshot '" + snapshot +
            "' is missing from the Docker engine; rebuild it with installer/setup.sh images.")
            .with(errors::kSnapshotNotReady, "snapshot");
    const engine::ImageConfig imageConfig = imageInfo ? imageInfo->config : engine::ImageConfig{};
    std::string user = fields.user.value_or("");
    if (user.empty())
        user = imageConfig.user;
    if (user.empty() && !waitsForBuild) // else taken from the image once it is built
        user = "root";
    if (hasControlChars(user) || user.find(':') != std::string::npos)
        throw validate::invalid("user", "'user' must be a user name of the image.");

    // Checked last, with no wait before the row is written, so the volumes cannot go in between.
    if (body.contains("volumes") && !body["volumes"].is_null())
        try {
            mounts = m_volumes.resolveMounts(body["volumes"], who.organizationId);
        } catch (DomainError& e) {
            throw std::move(e).with(e.kind == DomainError::Kind::NotFound ? errors::kVolumeNotFound
                                                                          : errors::kInvalidField,
                                    "volumes");
        }
    Secrets::Mounts secretMounts;
    if (body.contains("secrets") && !body["secrets"].is_null())
        secretMounts = m_secrets.resolveMounts(body["secrets"], who.organizationId);

    // 2. Record the sandbox and its audit row in one transaction, before Docker is touched.
    SandboxRow r;
    r.organizationId = who.organizationId;
    r.name = fields.name.value_or("");
    r.snapshot = snapshot;
    r.image = image;
    r.user = user;
    r.env = fields.env;
    applySecretEnv(r.env, secretMounts, {});
    r.labels = fields.labels;
    r.networkBlockAll = extra.value("networkBlockAll", false);
    r.networkStrict = extra.value("networkStrict", false);
    for (auto [key, field] : {std::pair{"networkAllowList", &r.networkAllowList},
                              {"domainAllowList", &r.domainAllowList},
                              {"domainBlockList", &r.domainBlockList},
                              {"target", &r.target}})
        if (extra.contains(key) && extra[key].is_string())
            *field = extra[key].get<std::string>();
    r.volumes = mounts;
    r.isPublic = fields.isPublic;
    r.cpu = fields.cpu;
    r.gpu = fields.gpu;
    r.memory = fields.memory;
    r.disk = fields.disk;
    r.autoStop = fields.autoStop;
    r.autoArchive = fields.autoArchive;
    r.autoDelete = fields.autoDelete;
    r.autoPause = fields.autoPause;
    r.state = waitsForBuild ? SandboxState::PendingBuild : SandboxState::Creating;
    r.desiredState = SandboxState::Started;
    if (build)
        r.buildInfo = build->info;
    r.createdAt = r.updatedAt = r.lastActivityAt = r.stateChangedAt = toMillis(m_clock.now());
    if (fields.ttlMinutes > 0)
        r.destroyAt = r.createdAt + fields.ttlMinutes * std::int64_t{60000};
    // A warm pool member, if it can serve this create, gives the sandbox its id and container. Taken
    // with no co_await before the row is written, so the reconciler never sees it in between. A follower
    // is made the ordinary way: it joins its link network before it starts.
    std::optional<PoolMember> pooled;
    if (imageInfo && !link)
        pooled = takePoolMember(r, imageInfo->id);
    r.id = pooled ? pooled->id : uuidV4();
    if (r.name.empty())
        r.name = r.id;
    if (pooled) {
        r.containerId = pooled->containerId;
        if (m_poolIps.count(pooled->id))
            r.ip = m_poolIps[pooled->id];
        r.pooled = true;
        // What the container would have been made with: an archived sandbox is made again from it.
        r.containerSpec = containerSpec(r, imageConfig).toJson();
    }
    try {
        recordNew(r, caller, "pick another name or delete it", [&] {
            if (link)
                recordLink(*link, r.id);
            if (secretMounts.empty())
                return;
            std::vector<std::pair<std::string, std::string>> rows;
            for (const auto& [env, secret] : secretMounts)
                rows.emplace_back(env, secret.id);
            store::SecretRepository(m_db).replaceMounts(r.id, rows);
        });
    } catch (...) {
        if (pooled) // refused (say, the name is taken): the member goes back, unused
            m_pool.push_front(*pooled);
        throw;
    }
    if (pooled)
        m_poolIps.erase(pooled->id); // the address is the sandbox's now
    if (!secretMounts.empty()) {
        m_secrets.reload();
        if (pooled)
            provideSecretsTrust(r);
    }
    if (m_publish)
        m_publish(r.organizationId, "sandbox.created", toDto(r, false, {}));
    if (waitsForBuild) {
        m_snapshots->createWhenBuilt(build->id, r.id);
        co_return toDto(r, false, caller.baseUrl);
    }

    // 3. Make the container; on any failure undo everything so nothing half-made remains.
    const BusyMark busy(m_busy, r.id);
    std::string failure;
    if (pooled)
        asio::co_spawn(co_await asio::this_coro::executor, topUpPoolSoon(), asio::detached);
    else if (!m_poolDead.empty())
        asio::co_spawn(co_await asio::this_coro::executor, fillPool(), asio::detached);
    if (pooled) {
        bool claimed = false;
        std::string why;
        try {
            co_await claimPoolMember(r, *pooled);
            claimed = true;
        } catch (const DomainError& e) {
            why = e.message;
        } catch (const std::exception& e) {
            why = e.what();
        }
        if (!claimed) // the member was no good after all: make the container the ordinary way, same id
            std::fprintf(stderr, "coved: warm pool member %s unusable (%s); creating it anew\n", r.id.c_str(),
                         why.c_str());
        if (claimed) {
            setState(r, SandboxState::Started);
            co_return toDto(r, false, caller.baseUrl);
        }
        const std::string stale = r.containerId;
        r.containerId.clear();
        r.pooled = false;
        r.containerSpec = nullptr;
        m_agentPids.erase(r.id);
        m_repo.forgetPooledContainer(r.id);
        try {
            co_await m_engine.removeContainer(stale);
        } catch (const std::exception&) {
            failure = "the Docker engine did not answer"; // the create below would fail the same way
        }
    }
    const std::function<awaitable<void>()> make = [&]() -> awaitable<void> {
        if (!failure.empty())
            throw DomainError::unavailable(failure);
        const FilesystemSource image; // the image's own files
        co_await makeContainer(r, imageConfig, image);
    };
    co_await makeOrUndo(r, caller, "create", make);
    setState(r, SandboxState::Started);
    // The organization's warm sandboxes give way at once if this one took the quota they stood in.
    if (std::any_of(m_pool.begin(), m_pool.end(),
                    [&](const PoolMember& m) { return m.organizationId == r.organizationId; }))
        asio::co_spawn(co_await asio::this_coro::executor, fillPool(), asio::detached);
    co_return toDto(r, false, caller.baseUrl);
}

void SandboxService::recordNew(SandboxRow& r, const Caller& caller, const std::string& nameTakenHint,
                               const std::function<void()>& also) {
    m_db.transaction([&] {
        if (const auto holder = m_repo.findLiveByName(r.organizationId, r.name)) {
            // A deleted sandbox keeps its name until its container is gone, a few seconds.
            if (holder->desiredState == SandboxState::Destroyed)
                throw DomainError::conflict("A sandbox named '" + r.name +
                                            "' is being deleted; its name is free once it is destroyed, "
                                            "in a few seconds.")
                    .with(errors::kNameTaken, "name");
            throw DomainError::conflict("A sandbox named '" + r.name + "' already exists; " + nameTakenHint +
                                        ".")
                .with(errors::kNameTaken, "name");
        }
        admitSandboxSize(limitsOf(m_db, r.organizationId), r.cpu, r.memory, r.disk);
        admit(m_db, r.organizationId, r.cpu, r.memory, r.disk);
        if (m_firewall && !r.ip)
            r.ip = allocateIp();
        m_repo.insert(r);
        audit(&caller, "create", "sandbox", r.id, 200);
        if (also)
            also();
    });
}

awaitable<void> SandboxService::makeOrUndo(SandboxRow& r, const Caller& caller, const char* action,
                                           const std::function<awaitable<void>()>& make) {
    std::string failure;
    DomainError::Kind failureKind = DomainError::Kind::Unavailable;
    try {
        co_await make();
    } catch (const DomainError& e) {
        failure = e.message;
        failureKind = e.kind;
    } catch (const engine::EngineError& e) {
        failure = e.what();
    } catch (const std::exception& e) {
        failure = std::string("Unexpected failure: ") + e.what();
        failureKind = DomainError::Kind::Internal;
    }
    if (failure.empty())
        co_return;
    co_await discardContainer(r);
    m_db.transaction([&] {
        // Its state_changed_at stays: nothing counts from a create that never happened.
        m_repo.transition(r.id, sourcesOf(SandboxState::Destroyed),
                          {SandboxState::Destroyed, failure, SandboxState::Destroyed, r.stateChangedAt},
                          toMillis(m_clock.now()));
        audit(&caller, action, "sandbox", r.id, DomainError::statusOf(failureKind), failure);
    });
    const SandboxState before = reportedState(r.state, r.desiredState);
    r.state = r.desiredState = SandboxState::Destroyed;
    emitStateChange(r, before);
    throw DomainError{failureKind,
                      std::string("The sandbox could not be ") +
                          (std::string(action) == "fork" ? "forked: " : "created: ") + failure,
                      {},
                      {}};
}

void SandboxService::makeRunDir(const std::string& sandboxId) const {
    const std::string runDir = m_config.sandboxRunDir(sandboxId);
    std::error_code ec;
    fs::create_directories(runDir, ec);
    if (ec)
        throw DomainError::internal("Cannot create " + runDir + ": " + ec.message());
    fs::permissions(m_config.dataDir + "/sandboxes/" + sandboxId, fs::perms::owner_all, ec);
    // Under a remapping engine the agent, root in its sandbox, makes its socket here as that user.
    const auto& engine = m_engine.info();
    if (engine.userNamespaces && ::chown(runDir.c_str(), engine.rootUid, engine.rootGid) != 0)
        throw DomainError::internal("Cannot hand " + runDir +
                                    " to the sandbox's root: " + std::strerror(errno) + ".");
}

awaitable<void> SandboxService::makeContainer(SandboxRow& r, const engine::ImageConfig& image,
                                              const FilesystemSource& from) {
    makeRunDir(r.id);
    provideSecretsTrust(r);
    const auto pins = m_volumes.prepareMounts(r.id, mountExtras(r));
    // The rules exist before the container does: no moment of open egress.
    requireFirewall();
    applyNetwork(r);
    engine::ContainerSpec spec = containerSpec(r, image);
    if (!from.image.empty())
        spec.image = from.image;
    const std::string container = containerName(r);
    r.containerId = co_await m_engine.createContainer(container, spec);
    // Kept so an archived sandbox can be made again from its archive with the same settings.
    r.containerSpec = spec.toJson();
    m_repo.setContainer(r.id, r.containerId, r.containerSpec.get());
    if (!from.container.empty())
        co_await m_engine.copyFilesystem(from.container, r.containerId);
    co_await joinLink(r);
    co_await m_engine.startContainer(r.containerId);
    co_await waitForAgent(r);
}

awaitable<void> SandboxService::discardContainer(const SandboxRow& r) {
    try {
        if (!r.containerId.empty())
            co_await m_engine.removeContainer(r.containerId);
    } catch (const std::exception&) {
        // The engine is gone too; the reconciler removes the container, then its folder, when it returns.
        // Until then the folder stays: the container may still run with it mounted.
        co_return;
    }
    const std::string gone = m_config.dataDir + "/sandboxes/" + r.id; // GCC 12: no temporaries in co_await
    co_await removeAll(gone);
    releaseNetwork(r.id);
    co_await leaveLink(r);
}

engine::ContainerSpec SandboxService::containerSpec(const SandboxRow& r,
                                                    const engine::ImageConfig& image) const {
    engine::ContainerSpec spec;
    spec.image = r.image;
    spec.hostname = r.id.substr(0, 12);
    spec.user = "0"; // the agent starts as root and runs every command as the sandbox user
    spec.entrypoint = {"/usr/local/bin/cove-agent"};
    // The image's own command becomes the agent's child, its `entrypoint` session.
    if (!image.entrypoint.empty() || !image.command.empty()) {
        spec.command = {"--"};
        spec.command.insert(spec.command.end(), image.entrypoint.begin(), image.entrypoint.end());
        spec.command.insert(spec.command.end(), image.command.begin(), image.command.end());
    }
    for (auto it = r.env.begin(); it != r.env.end(); ++it)
        spec.env[it.key()] = it.value().get<std::string>();
    spec.env["DAYTONA_SANDBOX_ID"] = r.id;
    spec.env["DAYTONA_SANDBOX_SNAPSHOT"] = r.snapshot;
    spec.env["DAYTONA_SANDBOX_USER"] = r.user;
    spec.env["COVE_SANDBOX_USER"] = r.user;
    if (!image.workingDir.empty())
        spec.env["COVE_WORKDIR"] = image.workingDir;
    spec.labels = {{kSandboxLabel, r.id}, {"cove.managed", "true"}, {kInstanceLabel, m_instance}};
    spec.binds = {{m_config.agentBinary, "/usr/local/bin/cove-agent", true},
                  {m_config.sandboxRunDir(r.id), "/run/cove", false}};
    for (auto& bind : m_volumes.binds(r.id, mountExtras(r)))
        spec.binds.push_back(std::move(bind));
    spec.pidsLimit = SandboxDefaults::kPidsLimit;
    spec.capDrop = {"NET_RAW"};
    spec.resources = resourceLimits(r.cpu, r.memory);
    if (m_engine.info().diskLimits)
        spec.diskGiB = r.disk;
    spec.address = addressOf(r);
    return spec;
}

awaitable<pid_t> SandboxService::agentPid(const SandboxRow& r, bool refresh) {
    if (!refresh) {
        if (auto it = m_agentPids.find(r.id); it != m_agentPids.end())
            co_return it->second;
    }
    // Temporaries stay out of co_await expressions: GCC 12 destroys some of them twice.
    const std::string container = containerName(r);
    const auto info = co_await m_engine.inspectContainer(container);
    const pid_t pid = info ? info->pid : 0;
    if (pid > 0)
        m_agentPids[r.id] = pid;
    else
        m_agentPids.erase(r.id);
    co_return pid;
}

awaitable<ConnectResult> SandboxService::openAgent(const SandboxRow& r, pid_t pid) {
    AgentAddress at;
    at.sandboxId = r.id;
    at.runDir = m_config.sandboxRunDir(r.id);
    at.pid = pid;
    at.host = r.ip.value_or("");
    co_return co_await m_agents->open(at);
}

awaitable<void> SandboxService::waitForAgent(const SandboxRow& r) {
    const pid_t pid = co_await agentPid(r, true);
    if (pid <= 0)
        throw DomainError::unavailable("The sandbox's container stopped right after it started.");
    asio::steady_timer timer(co_await asio::this_coro::executor);
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(SandboxDefaults::kAgentStartSeconds);
    // Polled at most 10 ms apart: a wider step would add up to its width to every create (an agent
    // ready at 70 ms would be seen at 126 ms with steps doubling to 100 ms), and a refused connect to a
    // unix socket costs microseconds.
    for (auto delay = std::chrono::milliseconds(1);;
         delay = std::min(delay * 2, std::chrono::milliseconds(10))) {
        const auto c = co_await openAgent(r, pid);
        if (c.fd >= 0) {
            ::close(c.fd);
            co_return;
        }
        if (!c.retryable || std::chrono::steady_clock::now() > deadline)
            throw DomainError::unavailable("The sandbox's agent did not start: " + c.error + ".");
        timer.expires_after(delay);
        co_await timer.async_wait(asio::use_awaitable);
    }
}

json SandboxService::get(const std::string& idOrName, const Caller& caller) {
    const Principal& who = caller.who;
    const auto r = find(idOrName, who.organizationId);
    if (!r)
        throw DomainError::notFound("Sandbox '" + idOrName + "' not found.");
    return toDto(*r, false, caller.baseUrl);
}

void SandboxService::noteActivity(const SandboxRow& r) {
    const auto now = toMillis(m_clock.now());
    if (now - r.lastActivityAt < 1000 && now >= r.lastActivityAt)
        return;
    try {
        m_repo.touch(r.id, now);
    } catch (const store::StoreError& e) {
        std::fprintf(stderr, "coved: the activity of sandbox %s was not recorded: %s\n", r.id.c_str(),
                     e.what());
    }
}

awaitable<int> SandboxService::connectAgent(const std::string& idOrName, const Caller& caller) {
    const auto r = find(idOrName, caller.who.organizationId);
    if (!r)
        throw DomainError::notFound("Sandbox '" + idOrName + "' not found.");
    if (const auto shown = reportedState(r->state, r->desiredState); shown != SandboxState::Started)
        throw DomainError::conflict("Sandbox '" + r->name + "' is " + toString(shown) +
                                    (shown == SandboxState::Destroying
                                         ? "; it is being deleted and has no toolbox any more."
                                         : "; start it to use its toolbox."));
    noteActivity(*r);
    pid_t pid = co_await agentPid(*r, false);
    auto c = co_await openAgent(*r, pid);
    if (c.fd < 0 && !c.busy) { // the container may have been restarted since we last looked
        pid = co_await agentPid(*r, true);
        c = co_await openAgent(*r, pid);
    }
    // A full queue: wait for room without holding the thread, for a bounded time.
    asio::steady_timer timer(co_await asio::this_coro::executor);
    const auto deadline = std::chrono::steady_clock::now() + SandboxDefaults::kAgentConnectTimeout;
    for (auto delay = std::chrono::milliseconds(5); c.busy && std::chrono::steady_clock::now() < deadline;
         delay = std::min(delay * 2, std::chrono::milliseconds(200))) {
        timer.expires_after(delay);
        co_await timer.async_wait(asio::use_awaitable);
        c = co_await openAgent(*r, pid);
    }
    if (c.busy)
        throw DomainError::timedOut(
            "The toolbox of sandbox '" + r->name + "' accepted no connection within " +
            std::to_string(SandboxDefaults::kAgentConnectTimeout.count() / 1000) +
            " s; something in the sandbox may be holding its agent's socket. Try again, or "
            "restart the sandbox.");
    if (c.fd < 0)
        throw DomainError::engineFailed("Cannot reach the toolbox of sandbox '" + r->name + "': " + c.error +
                                        ".");
    co_return c.fd;
}

} // namespace cove::domain
