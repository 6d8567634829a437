// Sandboxes: validation, the store rows, the containers behind them and the Daytona DTOs.
#pragma once

#include "common/ApiError.h"
#include "common/Time.h"
#include "service/domain/AgentTransport.h"
#include "service/domain/AuditLog.h"
#include "service/domain/Caller.h"
#include "service/domain/Config.h"
#include "service/domain/DomainError.h"
#include "service/domain/MetricsHistory.h"
#include "service/domain/Registries.h"
#include "service/domain/Secrets.h"
#include "service/domain/Volumes.h"
#include "service/engine/Engine.h"
#include "service/store/CheckpointRepository.h"
#include "service/store/SandboxRepository.h"
#include "service/store/Store.h"
#include "service/store/WarmPoolRepository.h"

#include <deque>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <set>

namespace cove {
class JsonText;
} // namespace cove

namespace cove::net {
struct Egress;
struct Link;
class Firewall;
class EgressGate;
class Interceptor;
} // namespace cove::net

namespace cove::domain {

using SandboxRow = store::SandboxRecord;
using store::SandboxState;
class Snapshots;
class SshAccess;
using net::Egress;
using net::Firewall;

using nlohmann::json;

class SandboxService {
public:
    SandboxService(store::Database& db, engine::Engine& engine, const Clock& clock, ServiceConfig config);
    ~SandboxService();

    // Coroutines take request bodies by value: the awaitable may start after the caller's temporaries die.
    awaitable<json> create(json body, const Caller& caller);
    json get(const std::string& idOrName, const Caller& caller);
    // A page of sandboxes as JSON text ({"items":[…],"nextCursor":…}), written without a json tree: a
    // thousand of them in a few milliseconds.
    std::string list(const Caller& caller, const ListQuery& q);
    // Answers at once with `destroying`; the container and its files go behind the answer.
    awaitable<json> remove(const std::string& idOrName, const Caller& caller);
    awaitable<json> start(const std::string& idOrName, const Caller& caller);
    awaitable<json> stop(const std::string& idOrName, bool force, const Caller& caller);
    awaitable<json> recover(const std::string& idOrName, const Caller& caller);
    // Freezes a started sandbox (the cgroup freezer: its processes and memory stay as they are); a start
    // resumes it.
    awaitable<json> pause(const std::string& idOrName, const Caller& caller);
    // Exports a stopped sandbox's filesystem to <data>/archive/<id>.tar.gz and removes its container;
    // a start brings it back byte for byte.
    awaitable<json> archive(const std::string& idOrName, const Caller& caller);
    awaitable<json> resize(const std::string& idOrName, json body, const Caller& caller);
    json replaceLabels(const std::string& idOrName, const json& body, const Caller& caller);
    json setPublic(const std::string& idOrName, const std::string& value, const Caller& caller);
    enum class Interval { AutoStop, AutoArchive, AutoDelete, AutoPause };
    json setInterval(const std::string& idOrName, Interval which, const std::string& minutes,
                     const Caller& caller);
    // The TTL: the sandbox is destroyed `minutes` from now, whatever its state (0: never).
    json setTtl(const std::string& idOrName, const std::string& minutes, const Caller& caller);

    // Forks (Forks.cpp): a new sandbox with a copy-on-write copy of the source's filesystem (started,
    // stopped or paused; it is not changed), its settings, and its own id, name, address and rules; it
    // starts. Its running processes are not carried over (docs/criu.md). Lineage: the forks of a sandbox,
    // its parent, and its ancestors nearest first.
    awaitable<json> fork(const std::string& idOrName, json body, const Caller& caller);
    json forks(const std::string& idOrName, bool includeDestroyed, const Caller& caller);
    json parent(const std::string& idOrName, const Caller& caller);
    json ancestors(const std::string& idOrName, const Caller& caller);

    // Checkpoints (Checkpoints.cpp): named copies of a sandbox's filesystem, kept copy-on-write by the
    // engine's storage; a rollback puts one back (a running sandbox's processes restart on it). The backup
    // is the checkpoint named `backup`, made again by each backup.
    json listCheckpoints(const std::string& idOrName, const Caller& caller);
    awaitable<json> createCheckpoint(const std::string& idOrName, json body, const Caller& caller);
    awaitable<json> rollback(const std::string& idOrName, const std::string& checkpoint,
                             const Caller& caller);
    awaitable<json> deleteCheckpoint(const std::string& idOrName, const std::string& checkpoint,
                                     const Caller& caller);
    awaitable<json> backup(const std::string& idOrName, const Caller& caller);
    void touch(const std::string& idOrName, const Caller& caller);
    json toolboxProxyUrl(const std::string& idOrName, const Caller& caller);

    // Signed file URLs (SignedUrls.cpp): the sandbox's signing key (made on first use; `rotate` makes a
    // new one, voiding every URL signed before), and the check of a signed toolbox request, which
    // yields a principal limited to that one file operation.
    json signingKey(const std::string& idOrName, const Caller& caller, bool rotate);
    std::optional<Principal> verifySignedUrl(const std::string& sandboxId, const std::string& method,
                                             const std::string& operation, const std::string& path,
                                             const std::string& expires, const std::string& signature);
    // Preview links (Previews.cpp): a preview token opens one port's preview of one sandbox and nothing
    // else. Tokens are derived from the sandbox's preview key (made on first use; signing-key/rotate
    // makes a new one, voiding every token), so they die with the sandbox or the key. The SDK in a browser
    // asks for port 1's link and uses its token for the toolbox's WebSockets (DAYTONA_SANDBOX_AUTH_KEY):
    // a caller allowed to write the sandbox gets, for port 1, a token that also opens those WebSockets.
    json previewUrl(const std::string& idOrName, const std::string& port, const Caller& caller);
    bool verifyPreviewToken(const std::string& sandboxId, int port, const std::string& token);
    // The toolbox WebSocket grant of a port-1 token: a principal that may open the sandbox's toolbox
    // WebSockets (PTY, logs, VNC) and nothing else.
    std::optional<Principal> verifyToolboxSocketToken(const std::string& sandboxId, const std::string& token);
    static std::string fileUrlSignature(const std::string& key, const std::string& method,
                                        const std::string& path, const std::string& expires);

    // The preview proxy's side (Previews.cpp): signed preview URLs (a token naming sandbox, port and expiry,
    // signed with the sandbox's signing key; expire() revokes one), the sandbox a preview request
    // addresses, the auth cookie a preview token buys a browser, and the activity a request counts as.
    json signedPreviewUrl(const std::string& idOrName, const std::string& port, const std::string& expires,
                          const Caller& caller);
    void expireSignedPreviewUrl(const std::string& idOrName, const std::string& port,
                                const std::string& token, const Caller& caller);
    std::optional<std::string> verifySignedPreviewToken(const std::string& token, int port);
    struct PreviewSandbox {
        std::string id, name, organizationId, state, container;
        bool isPublic = false;
    };
    std::optional<PreviewSandbox> previewSandbox(const std::string& id, bool countActivity);
    std::string previewCookie(const std::string& sandboxId, int port, std::int64_t maxAgeSeconds);
    bool verifyPreviewCookie(const std::string& sandboxId, int port, const std::string& value);

    // A connected socket to the sandbox's agent (the caller owns it), or a DomainError thrown.
    awaitable<int> connectAgent(const std::string& idOrName, const Caller& caller);

    // Telemetry (SandboxMetrics.cpp). The toolbox's /system/metrics as the agent reads it, with the disk
    // figures replaced by the sandbox's own quota and use where the engine knows them; also recorded in
    // the history when one is due.
    awaitable<json> systemMetrics(const std::string& idOrName, const Caller& caller);
    // Daytona's MetricsResponse for [fromMs, toMs] and `names` (all when empty). A started sandbox with
    // no sample within MetricsLimits::kSampleEveryMs gets one first.
    awaitable<json> telemetryMetrics(const std::string& idOrName, const Caller& caller, std::int64_t fromMs,
                                     std::int64_t toMs, const std::vector<std::string>& names);
    // One sample of every started sandbox whose last is due; forgets histories past the retention. Never
    // counts as activity (auto-stop is not held off by it).
    awaitable<void> sampleMetrics();
    const MetricsHistory& metricsHistory() const { return m_metrics; }
    // Daytona's PaginatedLogs: what the sandbox's main process (its agent, which passes the image's own
    // command's output on) wrote between the two times, newest first; stdout as INFO, stderr as ERROR.
    struct LogQuery {
        std::int64_t fromMs = 0, toMs = 0;
        int page = 1, limit = MetricsLimits::kDefaultLogPage;
        std::vector<std::string> severities; // INFO, ERROR; empty: both
        std::string search;                  // a substring of the line
    };
    awaitable<json> telemetryLogs(const std::string& idOrName, const Caller& caller, LogQuery q);
    // How coved reaches agents: every stream to an agent (toolbox, terminals, previews, the readiness
    // check) is opened through it. The unix socket in the sandbox's run folder by default; the TCP
    // transport (AgentTransport.h) for sandboxes that share no folder with coved.
    void setAgentTransport(std::unique_ptr<AgentTransport> transport) { m_agents = std::move(transport); }

    // Drives every container toward its sandbox's desired state: finishes or rolls back transitions a
    // previous coved left (an interrupted create goes to `error`, its container removed; the client never
    // got it), restarts sandboxes whose container stopped under them (say, with the engine), marks those
    // whose container vanished as `error`, and removes this installation's containers that no live
    // sandbox owns. Runs at start-up and then periodically; sandboxes in the middle of a request are left
    // to that request.
    struct ReconcileReport {
        int settled = 0, restarted = 0, failed = 0, orphansRemoved = 0;
    };
    awaitable<ReconcileReport> reconcile();
    const std::string& instanceId() const { return m_instance; }

    // The lifecycle timers, against the service's clock: a started sandbox idle for its auto-stop
    // interval is stopped; a stopped one is deleted after its auto-delete interval (0: at once, which
    // makes it ephemeral), else archived after its auto-archive interval. Returns how many it changed.
    awaitable<int> runTimers();

    // The warm pool (WarmPool.cpp). fillPool() tops it up to the configured size in the background
    // (one filler at a time) and drops members that died or whose image changed; drainPool() removes
    // every unclaimed member, at shutdown. Members are containers made for a sandbox id not yet handed
    // out: a create that the pool can serve takes that id, so names, labels and directories are already
    // right, and only its limits and environment are applied.
    // Besides the default pool (--warm-pool, ownerless, for the default snapshot), the pools organizations
    // keep in the store fill the same way, each with members of its own snapshot, resources, user and
    // environment that serve only that organization's creates, and only as many as its quota leaves room
    // for. A fill that is asked for while one runs makes that one go round again.
    awaitable<void> fillPool();
    // fillPool() a moment after a claim, once the new sandbox's first command has had the machine.
    awaitable<void> topUpPoolSoon();
    awaitable<void> drainPool();
    json poolStatus() const;
    bool isPoolMember(const std::string& id) const;

    // /api/warm-pools (Daytona's WarmPool): an organization's pools with how many members are ready.
    // Changes are recorded at once and the members follow in the background.
    json listWarmPools(const Caller& caller);
    awaitable<json> createWarmPool(json body, const Caller& caller);
    awaitable<json> updateWarmPool(std::string id, json body, const Caller& caller);
    awaitable<json> deleteWarmPool(std::string id, const Caller& caller);

    // The network (SandboxNetwork.cpp). setupNetwork() makes or finds the installation's bridge and
    // installs every sandbox's rules (start-up; throws when iptables can't be used: fail closed);
    // checkNetwork() re-installs them if something removed the hooks (an engine restart), and when it
    // cannot, stops every running sandbox and throws (fail closed);
    // refreshEssentialServices() resolves the essential-services list for tiers 1-2;
    // reapplyOrganizationNetwork() follows a tier change.
    awaitable<void> setupNetwork();
    awaitable<void> checkNetwork();
    // Before a container starts: its rules are in place, or the start is refused (fail closed).
    void requireFirewall();
    // Runs a firewall change; its failure is refused as 503, so nothing goes on without the rules.
    void refusedUnlessApplied(const std::function<void()>& change);
    awaitable<void> refreshEssentialServices();
    void reapplyOrganizationNetwork(const std::string& organizationId);
    // Whether a sandbox has secrets mounted (default: none has): such a sandbox's TCP goes through the
    // egress proxy even when its egress is open, so the interceptor sees it. Whoever changes a sandbox's
    // mounts calls applyNetwork() after.
    void setSecretsMounted(std::function<bool(const std::string& sandboxId)> mounted);
    // What sees inside the egress proxy's allowed flows (net/Interceptor.h); none by default.
    void setEgressInterceptor(net::Interceptor* interceptor);
    void applyNetwork(const SandboxRow& r);
    // Image builds (one at a time): the network their steps run on, open to what the organization's
    // sandboxes may reach (tiers 1-2: the essential services, which include the package registries),
    // never the host's ports; closed again by endBuildNetwork(). Throws (fail closed) without it.
    std::string beginBuildNetwork(const std::string& organizationId);
    void endBuildNetwork();
    json updateNetworkSettings(const std::string& idOrName, json body, const Caller& caller);
    // Removes link rows of sandboxes gone and link networks no one needs (start-up, reconcile).
    awaitable<void> settleLinks();

    // Secrets (SandboxSecrets.cpp): the ones a sandbox mounts (never their values), and the whole set
    // replaced (Daytona's updateSecrets): the interceptor follows at once, the environment from the
    // sandbox's next start. `caPem`: the interception CA sandboxes that mount secrets trust.
    json sandboxSecrets(const std::string& idOrName, const Caller& caller);
    json updateSecrets(const std::string& idOrName, json body, const Caller& caller);
    void setSecretsTrust(std::string caPem) { m_secretsCaPem = std::move(caPem); }

    // Registers the default snapshots whose images exist. Returns the names of those missing.
    awaitable<std::vector<std::string>> registerDefaultSnapshots();

    // Where events go (the event channel); set once at start-up.
    using Publish =
        std::function<void(const std::string& organizationId, const std::string& event, const json&)>;
    void onEvent(Publish publish);
    // The address clients reach coved by, once it listens (the port may have been chosen by the kernel).
    void setBaseUrl(const std::string& url) { m_baseUrl = url; }

    // One audit row, by the caller (nullptr: the service itself, say a timer); inside a transaction
    // when it records a change. The row's id goes to the caller's trail.
    void audit(const Caller* caller, const std::string& action, const std::string& targetType,
               const std::string& targetId, int status, const std::string& error = {});
    AuditLog& auditLog() { return m_auditLog; }
    Snapshots& snapshots() { return *m_snapshots; }
    Volumes& volumes() { return m_volumes; }
    // SSH access tokens (SshAccess.h); a sandbox's die when it is destroyed.
    SshAccess& sshAccess() { return *m_sshAccess; }
    Registries& registries() { return m_registries; }
    Secrets& secrets() { return m_secrets; }

private:
    friend class Snapshots; // builds wait for, validate and commit containers the way sandboxes are made
    // Every field of the DTO, into a json tree or JSON text (SandboxService.cpp).
    template <class Out>
    void describe(Out& out, const SandboxRow& r, bool listItem, const std::string& baseUrl,
                  std::optional<bool> restricted) const;
    struct PoolMember {
        std::string id, containerId, imageId, user;
        int disk = 0;
        pid_t pid = 0;
        std::string poolId, organizationId, target; // empty for the default pool's
        int cpu = 0, memory = 0;
    };
    // What one fill round works towards: the default pool or a stored one.
    struct PoolWish;
    // A ready member for a create of `image` (its engine id) as `user` with `r`'s settings, if a pool
    // can serve it (the organization's own pool of the snapshot first, then the default pool); the
    // member leaves the pool.
    std::optional<PoolMember> takePoolMember(const SandboxRow& r, const std::string& imageId);
    awaitable<void> claimPoolMember(SandboxRow& r, const PoolMember& m);
    awaitable<void> discardPoolMember(PoolMember m);
    // One fill round over every pool; fillPool() repeats it while asked to.
    awaitable<void> fillPoolsOnce();
    // Makes members of `w` until it holds `want`; throws the reason the next one could not be made.
    awaitable<void> growPool(const PoolWish& w);
    awaitable<void> discardDeadMembers();
    int readyIn(const std::string& poolId) const;
    json warmPoolDto(const store::WarmPoolRecord& p) const;
    // Sets the sandbox's own environment in its agent (a pooled container started without it).
    awaitable<void> pushAgentEnv(const SandboxRow& r);
    engine::ContainerSpec containerSpec(const SandboxRow& r, const engine::ImageConfig& image) const;
    void installFirewall();
    // Linked sandboxes (SandboxLinks.cpp). planLink() checks a create's `linkedSandbox` (404 for one not
    // of the caller's organization, no chains, started or stopped) and finds its link network's /28;
    // recordLink() gives the follower (and the owner, for its first) an address there, inside the create's
    // transaction; joinLink() puts the sandbox's link network, rules and members' attachments in place
    // before it starts; leaveLink() undoes its part when it is destroyed (the network goes with the last
    // follower; an owner's followers are deleted with it).
    struct LinkPlan {
        std::string ownerId, subnet;
    };
    awaitable<std::optional<LinkPlan>> planLink(const std::string& idOrName, const Caller& caller);
    void recordLink(const LinkPlan& plan, const std::string& followerId);
    std::map<std::string, net::Link> wantedLinks();
    void applyLinks();
    awaitable<void> joinLink(const SandboxRow& r);
    awaitable<void> leaveLink(const SandboxRow& r);
    // linkedSandboxId (a follower's) and linkedFollowers, for the full DTO.
    struct LinkFields {
        std::optional<std::string> owner;
        std::vector<std::string> followers;
    };
    LinkFields linkFields(const std::string& sandboxId) const;
    // The sandbox's preview key (Previews.cpp), if it has one and is not destroyed.
    std::optional<std::string> previewKeyOf(const std::string& sandboxId);
    bool organizationRestricted(const std::string& organizationId) const;
    // The environment a sandbox gets for its mounts: each variable the secret's placeholder, and where
    // the interception CA is for the TLS clients that read one (curl, Python, Node); `previous` mounts'
    // variables are taken out first.
    void applySecretEnv(json& env, const Secrets::Mounts& mounts,
                        const std::vector<std::string>& previous) const;
    // Puts the interception CA (and the host's bundle with it) in the sandbox's run folder, if it mounts
    // secrets.
    void provideSecretsTrust(const SandboxRow& r) const;
    // Throws DomainError 400 when a stored list no longer parses. `restricted`: whether the sandbox's
    // organization is on a tier held to the essential services, when the caller knows it already.
    Egress egressOf(const SandboxRow& r, std::optional<bool> restricted = std::nullopt) const;
    // egressOf for a stored row, whose lists may no longer parse: then block-all (fail closed).
    Egress storedEgress(const SandboxRow& r, std::optional<bool> restricted = std::nullopt) const;
    std::string allocateIp();
    void releaseNetwork(const std::string& sandboxId);
    // The sandbox's fixed address on the installation's network; none without the network.
    std::optional<engine::Address> addressOf(const SandboxRow& r) const;
    // Makes <data>/sandboxes/<id>/run, the agent's folder (bind-mounted at /run/cove), owned by the
    // sandbox's root as the host sees it; throws on failure.
    void makeRunDir(const std::string& sandboxId) const;
    // Where a new container's filesystem comes from besides its image: a container whose writable layer
    // it gets a copy-on-write copy of, or another image to make it from (a fork's commit).
    struct FilesystemSource {
        std::string container, image;
    };
    // Makes, records and starts the sandbox's container and waits for its agent; throws on failure.
    awaitable<void> makeContainer(SandboxRow& r, const engine::ImageConfig& image,
                                  const FilesystemSource& from);
    // Records a new sandbox with its audit row in one transaction, once its name is free (else 409 with
    // `nameTakenHint`), its size admitted and its address taken; `also` runs in the same transaction.
    void recordNew(SandboxRow& r, const Caller& caller, const std::string& nameTakenHint,
                   const std::function<void()>& also);
    // Runs `make` for a sandbox just recorded as `creating`; if it fails, removes whatever it made, records
    // the sandbox destroyed with the reason (audited as `action`) and throws.
    // (GCC 12: callers pass named objects, never temporaries, to coroutines.)
    awaitable<void> makeOrUndo(SandboxRow& r, const Caller& caller, const char* action,
                               const std::function<awaitable<void>()>& make);
    // Unfreezes a paused container; nothing when it is not paused or is gone.
    awaitable<void> thaw(const std::string& container);
    // Removes every checkpoint of a sandbox being destroyed (its copies and their rows).
    awaitable<void> dropCheckpoints(const SandboxRow& r);
    // Refuses with 409 a sandbox not started, stopped or paused, or one a request is changing now.
    void requireSettledForCopy(const SandboxRow& r, const std::string& what) const;
    void requireFilesystemCopies(const std::string& what) const;
    // Saves the sandbox's filesystem as a checkpoint named `name`, which replaces one of that name when
    // `replace` (the backup); audited as `action`.
    awaitable<store::CheckpointRecord> saveCheckpoint(const SandboxRow& r, std::string name, bool replace,
                                                      const Caller& caller, const char* action);
    // Removes what makeContainer left (container, directories); never throws.
    awaitable<void> discardContainer(const SandboxRow& r);
    std::optional<SandboxRow> find(const std::string& idOrName, const std::string& orgId);
    // `restricted` as for egressOf(): a list reads the organization's tier once, not once per sandbox.
    json toDto(const SandboxRow& r, bool listItem, const std::string& baseUrl,
               std::optional<bool> restricted = std::nullopt) const;
    // The list item toDto() makes, written straight as JSON text: the same bytes its dump() prints.
    void writeListItem(JsonText& out, const SandboxRow& r, const std::string& baseUrl, bool restricted) const;
    awaitable<pid_t> agentPid(const SandboxRow& r, bool refresh);
    awaitable<void> waitForAgent(const SandboxRow& r);
    awaitable<ConnectResult> openAgent(const SandboxRow& r, pid_t pid);
    SandboxRow require(const std::string& idOrName, const Caller& caller);
    // Records that the sandbox is in use (auto-stop counts to the minute), at most once a second and on a
    // best-effort basis: a store that cannot take it (disk full, locked) only makes the sandbox look
    // idle for longer, and the failure goes to the log.
    void noteActivity(const SandboxRow& r);
    // Records a new desired state with its audit row, if the sandbox's reported state allows it. The write
    // is conditional on the state read: a request (or another coved) that changed it first wins, and
    // this one is refused with 409 as if it had come second.
    SandboxRow beginTransition(const std::string& idOrName, const Caller& caller, const std::string& action,
                               std::initializer_list<SandboxState> allowedFrom, SandboxState desired);
    // Drives the container toward the row's desired state and records the outcome; a failure leaves
    // the sandbox in `error` with the reason and is rethrown as an DomainError.
    awaitable<void> converge(SandboxRow& r, bool force = false);
    // converge() for a request that has answered already: a failure stays in the sandbox's state.
    awaitable<void> convergeInBackground(SandboxRow r, bool force = false);
    // Moves the sandbox's actual state to `state` (with its reason, none clearing it) through the transition
    // table's conditional write; a sandbox another writer moved out of every state `state` may follow is
    // refused with 409.
    void setState(SandboxRow& r, SandboxState state, const std::string& errorReason = {});
    std::string organizationOf(const std::string& sandboxId);
    awaitable<void> archiveContainer(SandboxRow& r);
    awaitable<void> restoreContainer(SandboxRow& r);
    std::string archivePath(const std::string& id) const {
        return m_config.dataDir + "/archive/" + id + ".tar.gz";
    }
    // A change the service makes on its own (timers), recorded and audited like a user's.
    // False (nothing recorded) when another writer changed the sandbox since it was read.
    bool beginSystemTransition(SandboxRow& r, const std::string& action, SandboxState desired);

    store::Database& m_db;
    store::SandboxRepository m_repo;
    engine::Engine& m_engine;
    const Clock& m_clock;
    ServiceConfig m_config;
    std::map<std::string, pid_t> m_agentPids; // sandbox id -> host pid of its PID 1
    MetricsHistory m_metrics;
    // Reads the agent's /system/metrics over `fd` (taken) into a sample with the engine's disk figures.
    awaitable<std::optional<MetricsSample>> sampleOver(const SandboxRow& r, int fd, json* raw);
    std::unique_ptr<AgentTransport> m_agents = std::make_unique<UnixAgentTransport>();
    Publish m_publish;
    AuditLog m_auditLog;
    Volumes m_volumes;
    Registries m_registries;
    Secrets m_secrets;
    std::string m_secretsCaPem;
    std::string m_baseUrl;
    std::string m_instance;              // this installation's id; labels every container it makes
    std::set<std::string> m_busy;        // sandboxes a request is changing right now
    std::deque<PoolMember> m_pool;       // ready, unclaimed
    std::deque<PoolMember> m_poolDead;   // found dead when claimed; to be removed
    std::set<std::string> m_poolPending; // sandbox ids of members being made
    bool m_poolFilling = false;
    bool m_poolAgain = false;                        // a fill was asked for while one ran
    bool m_poolStopped = false;                      // drained at shutdown: no more fills
    std::string m_poolError;                         // why the last fill failed, for /api/info
    std::map<std::string, std::string> m_poolErrors; // stored pool id -> why it is not full
    std::map<std::string, std::string> m_poolIps;    // pool member id -> its address
    std::unique_ptr<Firewall> m_firewall;            // none until setupNetwork(): default bridge, no rules
    std::unique_ptr<net::EgressGate> m_egressGate;   // the resolver and proxy, with the firewall
    net::Interceptor* m_interceptor = nullptr;
    std::function<bool(const std::string&)> m_secretsMounted = [](const std::string&) { return false; };
    std::string m_firewallFailure; // why the last re-install of the rules failed; empty while they hold
    // Tells subscribers that the state a client sees changed from `before`.
    void emitStateChange(const SandboxRow& r, SandboxState before);
    std::unique_ptr<Snapshots> m_snapshots;
    std::unique_ptr<SshAccess> m_sshAccess;
};

} // namespace cove::domain
