// The sandboxes table (and the volumes each sandbox mounts) behind methods named for what the domain does
// with them. Every statement here is plain SQL that SQLite and PostgreSQL both run.
#pragma once

#include "service/store/SandboxState.h"
#include "service/store/Store.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cove::store {

// A JSON object column kept as the text read and parsed the first time it is asked for: the container
// spec, which only making a container again reads, and which a list of a thousand sandboxes would
// otherwise parse a thousand times. Null when absent, or when the text is not a JSON object.
class LazyJson {
public:
    LazyJson() = default;
    LazyJson(std::nullptr_t) {}
    LazyJson(nlohmann::json value)
        : m_value(std::move(value)) {}
    static LazyJson fromText(std::optional<std::string> text) {
        LazyJson j;
        j.m_text = std::move(text);
        j.m_parsed = !j.m_text;
        return j;
    }
    const nlohmann::json& get() const;
    bool is_null() const { return get().is_null(); }
    // The text to store: as it was read while nothing parsed it, else the value's own; none when null.
    std::optional<std::string> text() const {
        if (!m_parsed)
            return m_text;
        return m_value.is_null() ? std::nullopt : std::optional<std::string>(m_value.dump());
    }

private:
    mutable std::optional<std::string> m_text; // given up once parsed
    mutable nlohmann::json m_value;
    mutable bool m_parsed = true;
};

// A sandbox as the store keeps it.
struct SandboxRecord {
    std::string id, organizationId, name, snapshot, image, user, errorReason, containerId;
    SandboxState state = SandboxState::Unknown, desiredState = SandboxState::Unknown;
    nlohmann::json env = nlohmann::json::object(), labels = nlohmann::json::object();
    bool isPublic = false;
    int cpu = 0, gpu = 0, memory = 0, disk = 0, autoStop = 0, autoArchive = 0, autoDelete = 0;
    std::int64_t createdAt = 0, updatedAt = 0, lastActivityAt = 0, stateChangedAt = 0;

    // The network: its address on the installation's bridge, and what it asked to reach.
    std::optional<std::string> ip, networkAllowList, domainAllowList, domainBlockList;
    bool networkBlockAll = false, networkStrict = false;
    std::optional<std::string> target;
    // Keys of signed file URLs and of preview tokens, made on first use; revoked signed preview tokens.
    std::optional<std::string> signingKey, previewKey;
    std::vector<std::string> revokedPreviewTokens;
    // The mounts, as Volumes::resolveMounts() made them ({volumeId, mountPath, subpath?, readOnly}); a mount
    // recorded before mounts were checked has no readOnly.
    nlohmann::json volumes = nlohmann::json::array();
    // Whether its container came from the warm pool (made before its environment was known).
    bool pooled = false;
    // What its container was made with (Cove's ContainerSpec as JSON, or an older Cove's engine body);
    // null while it has none. An archived sandbox is made again from it.
    LazyJson containerSpec;
    // The archive's size while archived.
    std::optional<std::int64_t> archiveBytes, archiveCompressedBytes;
    // The build it waited for (an image or Dockerfile); null when made from a snapshot.
    nlohmann::json buildInfo;
    // Minutes idle before it is paused (0: never); when its TTL ends (it is destroyed then, whatever its
    // state); the sandbox it was forked from; when its last backup was made.
    int autoPause = 0;
    std::optional<std::int64_t> destroyAt;
    std::optional<std::string> parentId;
    std::optional<std::int64_t> backupAt;
};

// Which lifecycle interval a change sets.
enum class SandboxInterval { AutoStop, AutoArchive, AutoDelete, AutoPause };

class SandboxRepository {
public:
    explicit SandboxRepository(Database& db)
        : m_db(db) {}

    // Writes a new sandbox with its mounts.
    void insert(const SandboxRecord& r);

    // The sandbox by id, whatever its state.
    std::optional<SandboxRecord> get(const std::string& id);
    // The sandbox by id, unless destroyed.
    std::optional<SandboxRecord> findLive(const std::string& id);
    // The organization's sandbox by id or name (the id wins), unless destroyed.
    std::optional<SandboxRecord> findLive(const std::string& organizationId, const std::string& idOrName);
    std::optional<std::string> organizationOf(const std::string& id);
    // The organization's sandbox that is not destroyed and has the name (names are unique among those).
    std::optional<SandboxRecord> findLiveByName(const std::string& organizationId, const std::string& name);

    // The organization's sandboxes that are not destroyed (the listing filters and sorts them).
    std::vector<SandboxRecord> listLive(const std::string& organizationId);
    // Sandboxes not destroyed that have an address on the sandbox network; of one organization if given.
    std::vector<SandboxRecord> listAddressed(const std::optional<std::string>& organizationId = std::nullopt);
    // The addresses sandboxes not destroyed hold.
    std::vector<std::string> liveAddresses();
    // Sandboxes started and meant to run.
    std::vector<SandboxRecord> listRunning();
    // Sandboxes the reconciler looks at: all but those destroyed for good.
    std::vector<SandboxRecord> listForReconcile();
    // Sandboxes at rest, started or stopped: the candidates of the lifecycle timers.
    std::vector<SandboxRecord> listSettled();
    // Sandboxes not destroyed whose TTL ended at or before `now`.
    std::vector<SandboxRecord> listExpired(std::int64_t now);
    // The sandboxes forked from `parentId`, oldest first; the destroyed ones too if asked.
    std::vector<SandboxRecord> listForks(const std::string& parentId, bool includeDestroyed);
    // Names of sandboxes not destroyed made from a snapshot (by its name or id), oldest first.
    std::vector<std::string> liveNamesUsingSnapshot(const std::string& name, const std::string& id);
    // Names of the organization's sandboxes not destroyed that mount the volume, oldest first, at most
    // `limit`.
    std::vector<std::string> liveNamesMountingVolume(const std::string& organizationId,
                                                     const std::string& volumeId, int limit);

    // The state change at the heart of every lifecycle step: moves the actual state to `to` only while
    // it is one of `allowedFrom`, in one conditional UPDATE. False when the row was not in one of them
    // (another request or another coved changed it first), and nothing was written.
    bool transition(const std::string& id, const std::vector<SandboxState>& allowedFrom, SandboxState to,
                    std::int64_t now);
    struct StateChange {
        SandboxState to = SandboxState::Unknown;
        std::optional<std::string> errorReason;     // the reason shown afterwards; none clears it
        std::optional<SandboxState> desired;        // a new desired state with it
        std::optional<std::int64_t> stateChangedAt; // by default `now` if the state changes
    };
    bool transition(const std::string& id, const std::vector<SandboxState>& allowedFrom,
                    const StateChange& change, std::int64_t now);
    // Records a new desired state only while actual and desired state are still `seenState` and
    // `seenDesired`; false (and nothing written) when another writer changed either first.
    bool setDesired(const std::string& id, SandboxState seenState, SandboxState seenDesired,
                    SandboxState desired, std::int64_t now);
    // Work a previous coved left unfinished: sandboxes waiting for a build fail, snapshotting ones are
    // started again.
    void settleInterrupted(const std::string& buildFailure);

    // The container made for the sandbox and the spec it was made with; any archive is gone.
    void setContainer(const std::string& id, const std::string& containerId, const nlohmann::json& spec);
    // The container is gone into an archive of this size.
    void setArchived(const std::string& id, std::int64_t bytes, std::int64_t compressedBytes);
    // A warm pool member that proved unusable: no container, nothing from the pool.
    void forgetPooledContainer(const std::string& id);
    void setUser(const std::string& id, const std::string& user);
    void touch(const std::string& id, std::int64_t now);
    // Sets the size; updatedAt stays as it was when not given (a rollback).
    void setSize(const std::string& id, int cpu, int memory, int disk,
                 std::optional<std::int64_t> updatedAt = std::nullopt);
    void setLabels(const std::string& id, const nlohmann::json& labels, std::int64_t now);
    void setEnv(const std::string& id, const nlohmann::json& env, std::int64_t now);
    void setPublic(const std::string& id, bool isPublic, std::int64_t now);
    void setInterval(const std::string& id, SandboxInterval which, int minutes, std::int64_t now);
    void setDestroyAt(const std::string& id, std::optional<std::int64_t> at, std::int64_t now);
    void setBackupAt(const std::string& id, std::optional<std::int64_t> at);
    // Its network fields and updatedAt, as `r` has them.
    void setNetwork(const SandboxRecord& r);
    void setSigningKey(const std::string& id, const std::string& key);
    void setPreviewKey(const std::string& id, const std::string& key);
    void setRevokedPreviewTokens(const std::string& id, const std::vector<std::string>& tokens);

private:
    std::vector<SandboxRecord> select(const std::string& where, const std::vector<Value>& params);
    std::optional<SandboxRecord> selectOne(const std::string& where, const std::vector<Value>& params);
    Database& m_db;
};

} // namespace cove::store
