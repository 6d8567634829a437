// Snapshots: Daytona's sandbox templates. Each names a Docker image Cove can start: a local image, one
// pulled from its registry, one built from a Dockerfile (its log kept and streamed), or a sandbox's
// container committed. Builds, pulls and validations run one at a time in the background; a snapshot
// turns active only after a validation run (a container of its image with the agent) answered.
#pragma once

#include "common/ApiError.h"
#include "common/Time.h"
#include "service/domain/BuildContexts.h"
#include "service/domain/Caller.h"
#include "service/domain/Config.h"
#include "service/engine/Engine.h"
#include "service/store/Store.h"

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace cove::store {
struct SnapshotRecord;
}

namespace cove::domain {

class SandboxService;

using nlohmann::json;

struct SnapshotLimits {
    // A Dockerfile; larger ones get 413 (the files it copies come in build contexts, BuildContexts.h).
    static constexpr std::size_t kMaxDockerfileBytes = 8u << 20;
    static constexpr int kMaxNameLength = 255;
    static constexpr int kDefaultPageSize = 100;
    static constexpr int kMaxPageSize = 200;
    // How long a log follower waits before looking again when nothing tells it of new lines.
    static constexpr std::chrono::seconds kFollowPoll{1};
};

class Snapshots {
public:
    Snapshots(store::Database& db, engine::Engine& engine, const Clock& clock, const ServiceConfig& config,
              SandboxService& sandboxes);

    json list(const Principal& who, const ListQuery& q);
    json get(const std::string& idOrName, const Caller& caller);
    // Records the snapshot (pending, or building for a Dockerfile) and queues its work; answers at once.
    awaitable<json> create(json body, Caller caller);
    awaitable<json> remove(std::string idOrName, Caller caller);
    json activate(const std::string& idOrName, const Caller& caller);
    void deactivate(const std::string& idOrName, const Caller& caller);
    // Commits a sandbox's container into a new snapshot (the sandbox shows `snapshotting` meanwhile);
    // the snapshot turns active once validated.
    awaitable<json> fromSandbox(std::string sandboxIdOrName, json body, Caller caller);

    // Build logs: <data>/snapshots/<id>/build.log. A follower reads the file and waits for more while
    // the snapshot's work is queued or running.
    std::string logPath(const std::string& snapshotId) const;
    std::string requireId(const std::string& idOrName, const Caller& caller);
    // The snapshot a sandbox created with buildInfo was built from.
    std::string snapshotOfSandbox(const std::string& sandboxIdOrName, const Caller& caller);
    bool inProgress(const std::string& snapshotId) const { return m_inProgress.count(snapshotId) > 0; }
    // Counts every log append and every job's end; waitForLog returns once it differs from `seen`.
    std::uint64_t logVersion() const { return m_logVersion; }
    awaitable<void> waitForLog(std::uint64_t seen);

    // A sandbox create with buildInfo: the snapshot of an identical earlier build (same Dockerfile and
    // context hashes), or a new one whose build is queued.
    struct Build {
        std::string id, name, image, state;
        json info; // the sandbox's buildInfo as Daytona reports it
    };
    awaitable<Build> requestBuild(json buildInfo, Caller caller);
    // Makes the sandbox's container once its snapshot is built (the sandbox waits in pending_build).
    void createWhenBuilt(const std::string& snapshotId, const std::string& sandboxId);

    // The default snapshots' images (DefaultImages.cpp): when some are missing and Cove's image recipes
    // are installed (ServiceConfig::imagesDir), their build script runs in the background and the
    // snapshots show `building`, its output as their build log, until they turn active or build_failed.
    bool canBuildDefaultImages() const;
    void buildDefaultImages(const boost::asio::any_io_executor& ex, const std::vector<std::string>& missing);

    // The uploaded build contexts builds take their files from (the SDK's object storage).
    BuildContexts& contexts() { return m_contexts; }

    using Publish =
        std::function<void(const std::string& organizationId, const std::string& event, const json&)>;
    void onEvent(Publish publish) { m_publish = std::move(publish); }

private:
    struct Row {
        std::string id, organizationId, name, image, state, errorReason, sourceSandboxId;
        json entrypoint, buildInfo;
        bool general = false, imageOwned = false;
        int cpu = 1, memory = 1, disk = 3;
        std::int64_t sizeBytes = -1, createdAt = 0, updatedAt = 0, lastUsedAt = 0;
    };
    static Row rowOf(const store::SnapshotRecord& record);
    std::optional<Row> find(const std::string& idOrName, const std::string& orgId);
    Row require(const std::string& idOrName, const Caller& caller);
    json toDto(const Row& r) const;
    void setState(Row& r, const std::string& state, const std::string& errorReason = {});
    std::string insert(Row& r, const Caller& caller);

    void enqueue(const boost::asio::any_io_executor& ex, const std::string& snapshotId);
    awaitable<void> work();
    awaitable<void> run(std::string snapshotId);
    awaitable<void> build(Row& r, std::string dockerfile);
    // Starts a container of the image the way a sandbox's is made, waits for its agent, removes it.
    awaitable<void> validate(const Row& r);
    void appendLog(const std::string& snapshotId, const std::string& text);
    void notifyFollowers();
    // The sandboxes waiting for this snapshot: on to building_snapshot, or made now that it is done.
    void markWaitersBuilding(const std::string& snapshotId);
    void releaseWaiters(const boost::asio::any_io_executor& ex, const std::string& snapshotId);
    awaitable<void> finishSandbox(std::string sandboxId, bool built, std::string reason);
    awaitable<void> runDefaultBuild(std::vector<std::string> snapshotIds);

    store::Database& m_db;
    engine::Engine& m_engine;
    const Clock& m_clock;
    const ServiceConfig& m_config;
    SandboxService& m_sandboxes;
    Publish m_publish;
    std::deque<std::string> m_queue;                           // snapshot ids whose work waits its turn
    std::set<std::string> m_inProgress;                        // queued or running
    bool m_working = false;                                    // a worker runs the queue
    std::string m_current;                                     // the snapshot whose work runs now
    boost::asio::any_io_executor m_executor;                   // where the worker runs (the first request's)
    std::map<std::string, std::vector<std::string>> m_waiters; // snapshot id -> sandbox ids
    std::uint64_t m_logVersion = 0;
    std::set<boost::asio::steady_timer*> m_followers;
    BuildContexts m_contexts;
};

} // namespace cove::domain
