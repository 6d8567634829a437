// Forks: a new sandbox whose filesystem is a copy-on-write copy of another's, and the lineage between them.
#include "service/domain/DomainError.h"
#include "service/domain/SandboxService.h"
#include "service/domain/Workers.h"

#include "common/Random.h"
#include "service/domain/SandboxRow.h"
#include "service/domain/Validate.h"

namespace cove::domain {

namespace {

// How far up a lineage is followed (a cycle cannot form: a parent exists before its fork).
constexpr int kMaxAncestors = 256;

} // namespace

void SandboxService::requireSettledForCopy(const SandboxRow& r, const std::string& what) const {
    const SandboxState shown = reportedState(r.state, r.desiredState);
    if (shown != SandboxState::Started && shown != SandboxState::Stopped && shown != SandboxState::Paused)
        throw DomainError::conflict("Sandbox '" + r.name + "' is " + toString(shown) + "; " + what +
                                    " only when it is started, stopped or paused" +
                                    (shown == SandboxState::Archived ? " (start it first)." : "."));
    if (m_busy.count(r.id))
        throw DomainError::conflict("Sandbox '" + r.name +
                                    "' is being changed right now; try again shortly.");
}

void SandboxService::requireFilesystemCopies(const std::string& what) const {
    if (!m_engine.info().filesystemCopies)
        throw DomainError::unavailable(
            what +
            " needs copy-on-write copies of sandbox filesystems, which this Docker engine cannot make: "
            "it needs the btrfs storage driver (installer/setup.sh starts dockerd with it) and coved "
            "running as root.");
}

awaitable<json> SandboxService::fork(const std::string& idOrName, json body, const Caller& caller) {
    if (!body.is_object())
        throw validate::invalid("body", "The body must be a JSON object such as {\"name\": \"my-fork\"}.");
    const auto name = validate::sandboxName(body);
    const SandboxRow source = require(idOrName, caller);
    requireSettledForCopy(source, "a sandbox can be forked");
    const auto image = co_await m_engine.inspectImage(source.image);
    if (!image)
        throw DomainError::conflict(
            "The image " + source.image + " that sandbox '" + source.name +
            "' was made from is missing from the Docker engine; it cannot be forked.");

    // The fork: the source's settings, its own identity, address, keys and deadline.
    SandboxRow r = source;
    r.id = uuidV4();
    r.name = name.value_or(r.id);
    r.state = SandboxState::Creating;
    r.desiredState = SandboxState::Started;
    r.errorReason.clear();
    r.containerId.clear();
    r.containerSpec = nullptr;
    r.ip.reset();
    r.signingKey.reset();
    r.previewKey.reset();
    r.revokedPreviewTokens.clear();
    r.pooled = false;
    r.isPublic = false; // a fork is private until made public
    r.archiveBytes.reset();
    r.archiveCompressedBytes.reset();
    r.destroyAt.reset();
    r.backupAt.reset();
    r.parentId = source.id;
    r.createdAt = r.updatedAt = r.lastActivityAt = r.stateChangedAt = toMillis(m_clock.now());
    // The fork mounts what its source mounts: its environment holds the same placeholders.
    recordNew(r, caller, "pick another name for the fork", [&] {
        audit(&caller, "fork", "sandbox", source.id, 200);
        store::SecretRepository secrets(m_db);
        std::vector<std::pair<std::string, std::string>> mounts;
        for (const auto& m : secrets.mountsOf(source.id))
            mounts.emplace_back(m.env, m.secret.id);
        secrets.replaceMounts(r.id, mounts);
    });
    m_secrets.reload();
    if (m_publish)
        m_publish(r.organizationId, "sandbox.created", toDto(r, false, {}));

    const BusyMark busyFork(m_busy, r.id);
    const BusyMark busySource(m_busy, source.id);
    const std::function<awaitable<void>()> make = [&]() -> awaitable<void> {
        FilesystemSource from;
        const std::string sourceContainer = containerName(source);
        if (m_engine.info().filesystemCopies) {
            from.container = sourceContainer;
        } else {
            // No copy-on-write storage: the source's files are committed into an image of the fork's own
            // (removed with the fork), a full copy — slower, but the same result.
            from.image = "cove-fork:" + r.id;
            co_await m_engine.commitContainer(sourceContainer, from.image, image->config);
        }
        co_await makeContainer(r, image->config, from);
    };
    co_await makeOrUndo(r, caller, "fork", make);
    setState(r, SandboxState::Started);
    co_return toDto(r, false, caller.baseUrl);
}

json SandboxService::forks(const std::string& idOrName, bool includeDestroyed, const Caller& caller) {
    const SandboxRow r = require(idOrName, caller);
    json out = json::array();
    for (const auto& f : m_repo.listForks(r.id, includeDestroyed))
        if (f.organizationId == r.organizationId)
            out.push_back(toDto(f, false, caller.baseUrl));
    return out;
}

json SandboxService::parent(const std::string& idOrName, const Caller& caller) {
    const SandboxRow r = require(idOrName, caller);
    const auto p = r.parentId ? m_repo.get(*r.parentId) : std::nullopt;
    if (!p || p->organizationId != r.organizationId)
        throw DomainError::notFound("Sandbox '" + r.name + "' was not forked from another sandbox.");
    return toDto(*p, false, caller.baseUrl);
}

json SandboxService::ancestors(const std::string& idOrName, const Caller& caller) {
    const SandboxRow r = require(idOrName, caller);
    json out = json::array();
    std::optional<std::string> next = r.parentId;
    for (int depth = 0; next && depth < kMaxAncestors; ++depth) {
        const auto p = m_repo.get(*next); // destroyed ones too: the chain stays whole
        if (!p || p->organizationId != r.organizationId)
            break;
        out.push_back(toDto(*p, false, caller.baseUrl));
        next = p->parentId;
    }
    return out;
}

} // namespace cove::domain
