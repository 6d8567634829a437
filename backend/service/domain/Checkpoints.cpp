// Checkpoints: named copy-on-write copies of a sandbox's filesystem, rollback to one, and the backup.
#include "service/domain/DomainError.h"
#include "service/domain/SandboxService.h"

#include "common/Random.h"
#include "service/domain/SandboxRow.h"
#include "service/domain/Validate.h"

#include <cstdio>

namespace cove::domain {

namespace {

constexpr std::int64_t kMaxCheckpoints = 32;
constexpr std::size_t kMaxCheckpointName = 63;
constexpr const char* kBackupName = "backup";

json checkpointDto(const store::CheckpointRecord& c) {
    return {{"id", c.id},
            {"name", c.name},
            {"sandboxId", c.sandboxId},
            {"createdAt", toIso8601(fromMillis(c.createdAt))}};
}

} // namespace

json SandboxService::listCheckpoints(const std::string& idOrName, const Caller& caller) {
    const SandboxRow r = require(idOrName, caller);
    json out = json::array();
    for (const auto& c : store::CheckpointRepository(m_db).list(r.id))
        out.push_back(checkpointDto(c));
    return out;
}

awaitable<store::CheckpointRecord> SandboxService::saveCheckpoint(const SandboxRow& r, std::string name,
                                                                  bool replace, const Caller& caller,
                                                                  const char* action) {
    requireSettledForCopy(r, "a checkpoint can be made");
    requireFilesystemCopies("A checkpoint");
    const BusyMark busy(m_busy, r.id);
    store::CheckpointRepository checkpoints(m_db);
    store::CheckpointRecord c{uuidV4(), r.id, std::move(name), toMillis(m_clock.now())};
    std::optional<store::CheckpointRecord> replaced;
    if (!replace) // the name is taken first, so two requests cannot both save under it
        m_db.transaction([&] {
            if (checkpoints.count(r.id) >= kMaxCheckpoints)
                throw DomainError::conflict("Sandbox '" + r.name + "' keeps " +
                                            std::to_string(kMaxCheckpoints) +
                                            " checkpoints, the most it may; delete one first.");
            if (!checkpoints.insert(c))
                throw DomainError::conflict("Sandbox '" + r.name + "' has a checkpoint named '" + c.name +
                                            "' already; pick another name or delete that one.")
                    .with(errors::kNameTaken, "name");
        });
    std::optional<std::string> failure;
    try {
        const std::string container = containerName(r);
        co_await m_engine.saveFilesystem(container, c.id);
    } catch (const engine::EngineError& e) {
        failure = e.what();
    }
    if (failure) {
        if (!replace)
            checkpoints.remove(c.id);
        audit(&caller, action, "sandbox", r.id, 503, *failure);
        throw DomainError::unavailable("The sandbox's filesystem could not be saved: " + *failure);
    }
    m_db.transaction([&] {
        if (replace) {
            replaced = checkpoints.find(r.id, c.name);
            if (replaced)
                checkpoints.remove(replaced->id);
            checkpoints.insert(c);
            m_repo.setBackupAt(r.id, c.createdAt);
        }
        audit(&caller, action, "sandbox", r.id, 200);
    });
    if (replaced) {
        const std::string old = replaced->id;
        co_await m_engine.dropFilesystem(old);
    }
    co_return c;
}

awaitable<json> SandboxService::createCheckpoint(const std::string& idOrName, json body,
                                                 const Caller& caller) {
    if (!body.is_object())
        throw validate::invalid("body",
                                "The body must be a JSON object such as {\"name\": \"before-upgrade\"}.");
    auto name = validate::optText(body, "name", kMaxCheckpointName);
    if (name && name->empty())
        throw validate::invalid("name", "'name' must be 1 to 63 characters with no control characters.");
    const SandboxRow r = require(idOrName, caller);
    if (!name) {
        char stamp[32];
        const std::time_t t = toMillis(m_clock.now()) / 1000;
        std::tm tm{};
        gmtime_r(&t, &tm);
        std::strftime(stamp, sizeof stamp, "checkpoint-%Y%m%d-%H%M%S", &tm);
        name = stamp;
    }
    const auto c = co_await saveCheckpoint(r, *name, false, caller, "create_checkpoint");
    co_return checkpointDto(c);
}

awaitable<json> SandboxService::backup(const std::string& idOrName, const Caller& caller) {
    SandboxRow r = require(idOrName, caller);
    const auto c = co_await saveCheckpoint(r, kBackupName, true, caller, "create_backup");
    r.backupAt = c.createdAt;
    co_return toDto(r, false, caller.baseUrl);
}

awaitable<json> SandboxService::rollback(const std::string& idOrName, const std::string& checkpoint,
                                         const Caller& caller) {
    SandboxRow r = require(idOrName, caller);
    const auto c = store::CheckpointRepository(m_db).find(r.id, checkpoint);
    if (!c)
        throw DomainError::notFound("Sandbox '" + r.name + "' has no checkpoint '" + checkpoint +
                                    "'; list them with GET /api/sandbox/" + r.id + "/checkpoints.");
    requireSettledForCopy(r, "it can be rolled back");
    requireFilesystemCopies("A rollback");
    audit(&caller, "rollback_checkpoint", "sandbox", r.id, 200);
    const bool wasRunning = r.state == SandboxState::Started || r.state == SandboxState::Paused;
    const std::string container = containerName(r);
    {
        const BusyMark busy(m_busy, r.id);
        std::optional<std::string> failure;
        try {
            if (wasRunning) {
                // Its processes end (they would see their files change under them) and start again on the
                // checkpoint's files: shown as `starting` meanwhile.
                if (r.state == SandboxState::Paused)
                    co_await thaw(container);
                co_await m_engine.stopContainer(container, 0);
                m_agentPids.erase(r.id);
                const SandboxState before = reportedState(r.state, r.desiredState);
                const std::int64_t now = toMillis(m_clock.now());
                if (!m_repo.transition(
                        r.id, {SandboxState::Started, SandboxState::Paused},
                        {SandboxState::Stopped, std::nullopt, SandboxState::Started, std::nullopt}, now))
                    throw DomainError::conflict("Sandbox '" + r.name + "' was changed by another request.");
                r.state = SandboxState::Stopped;
                r.desiredState = SandboxState::Started;
                r.stateChangedAt = r.updatedAt = now;
                emitStateChange(r, before);
            }
            const std::string saved = c->id;
            co_await m_engine.restoreFilesystem(container, saved);
        } catch (const engine::EngineError& e) {
            failure = e.what();
        }
        if (failure) {
            setState(r, SandboxState::Error,
                     "The rollback to checkpoint '" + c->name + "' failed: " + *failure);
            throw DomainError::unavailable(r.errorReason);
        }
    }
    if (wasRunning)
        co_await converge(r);
    co_return toDto(r, false, caller.baseUrl);
}

awaitable<json> SandboxService::deleteCheckpoint(const std::string& idOrName, const std::string& checkpoint,
                                                 const Caller& caller) {
    const SandboxRow r = require(idOrName, caller);
    store::CheckpointRepository checkpoints(m_db);
    const auto c = checkpoints.find(r.id, checkpoint);
    if (!c)
        throw DomainError::notFound("Sandbox '" + r.name + "' has no checkpoint '" + checkpoint + "'.");
    requireFilesystemCopies("Deleting a checkpoint");
    const std::string saved = c->id;
    co_await m_engine.dropFilesystem(saved); // the copy first: a row never names a copy that is gone
    m_db.transaction([&] {
        checkpoints.remove(c->id);
        if (c->name == kBackupName)
            m_repo.setBackupAt(r.id, std::nullopt);
        audit(&caller, "delete_checkpoint", "sandbox", r.id, 200);
    });
    co_return json::object();
}

awaitable<void> SandboxService::dropCheckpoints(const SandboxRow& r) {
    store::CheckpointRepository checkpoints(m_db);
    for (const auto& c : checkpoints.list(r.id)) {
        try {
            const std::string saved = c.id;
            co_await m_engine.dropFilesystem(saved);
        } catch (const engine::EngineError& e) {
            std::fprintf(stderr, "coved: checkpoint %s of sandbox %s stays on disk: %s\n", c.id.c_str(),
                         r.id.c_str(), e.what());
        }
        checkpoints.remove(c.id);
    }
}

} // namespace cove::domain
