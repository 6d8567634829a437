// Volume rows, their folders, quota admission, and the checks and binds of sandbox mounts.
#include "service/domain/Volumes.h"
#include "service/domain/DomainError.h"

#include "service/domain/Quotas.h"
#include "service/domain/Validate.h"
#include "service/domain/VolumeFs.h"
#include "service/domain/Workers.h"
#include "service/store/Columns.h"
#include "service/store/SandboxRepository.h"
#include "service/store/VolumeRepository.h"

#include "common/ApiError.h"
#include "common/Random.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <vector>

namespace cove::domain {

namespace {

// Where a volume may not be mounted, nor below: Daytona's system folders, plus the rest of the usr
// merge and /run, which holds Cove's agent socket (/var/run leads there too).
constexpr std::array<const char*, 14> kSystemPaths = {"/proc",   "/sys",  "/dev", "/boot",   "/etc",
                                                      "/bin",    "/sbin", "/lib", "/lib32",  "/lib64",
                                                      "/libx32", "/usr",  "/run", "/var/run"};

bool isUnder(const std::string& path, const std::string& dir) {
    return path == dir ||
           (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/');
}

// A mount path as Daytona's rules want it: absolute, no `.`/`..`/empty names, not a system folder.
std::string checkMountPath(const std::string& raw, std::size_t index) {
    const std::string field = "volumes[" + std::to_string(index) + "].mountPath";
    if (raw.empty() || raw.front() != '/')
        throw DomainError::invalid("'" + field + "' must be an absolute path such as /data; got '" + raw +
                                   "'.");
    if (raw.size() > VolumeDefaults::kMaxPathLength || validate::hasControlChars(raw) ||
        raw.find(':') != std::string::npos || raw.find(',') != std::string::npos)
        throw DomainError::invalid("'" + field + "' must be at most " +
                                   std::to_string(VolumeDefaults::kMaxPathLength) +
                                   " characters with no control characters, ':' or ','.");
    std::string path = raw;
    if (path.size() > 1 && path.back() == '/')
        path.pop_back();
    if (path == "/")
        throw DomainError::invalid("'" + field +
                                   "' cannot be '/': mount the volume in a folder such as /data.");
    for (std::size_t i = 1; i <= path.size();) {
        const auto j = std::min(path.find('/', i), path.size());
        const std::string name = path.substr(i, j - i);
        if (name.empty() || name == "." || name == "..")
            throw DomainError::invalid("'" + field + "' '" + raw +
                                       "' must not contain '.', '..' or consecutive slashes.");
        i = j + 1;
    }
    for (const char* system : kSystemPaths)
        if (isUnder(path, system))
            throw DomainError::invalid("'" + field + "' '" + raw + "' is inside the system folder " + system +
                                       "; mount the volume elsewhere, such as /data or /home/<user>/data.");
    return path;
}

// Sandboxes recorded before volumes were checked may hold anything in `volumes`; only mounts that
// resolveMounts() made (it always says readOnly) are prepared and bound.
json mountsOf(const json& sandboxExtra) {
    if (!sandboxExtra.is_object() || !sandboxExtra.contains("volumes") || !sandboxExtra["volumes"].is_array())
        return json::array();
    return sandboxExtra["volumes"];
}

bool isChecked(const json& m) {
    return m.is_object() && m.contains("readOnly") && m.contains("volumeId") && m["volumeId"].is_string() &&
           m.contains("mountPath") && m["mountPath"].is_string();
}

// Runs `fn` (system calls only: it may run in a forked child of a threaded process) in the mount
// namespace of PID 1, where the engine runs. coved may have one of its own (systemd's ProtectSystem=
// gives it one), and a mount made there would stay invisible to the engine. When coved shares PID 1's
// namespace, or may not look at it, `fn` runs here. Returns fn's errno or 0.
template <typename Fn> int inEngineMountNamespace(Fn fn) {
    const volfs::Fd ns(::open("/proc/1/ns/mnt", O_RDONLY | O_CLOEXEC));
    struct stat theirs {
    }, ours{};
    if (!ns || ::fstat(ns.get(), &theirs) != 0 || ::stat("/proc/self/ns/mnt", &ours) != 0 ||
        (theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino))
        return fn();
    const pid_t pid = ::fork();
    if (pid < 0)
        return errno;
    if (pid == 0)
        ::_exit(::setns(ns.get(), CLONE_NEWNS) != 0 ? errno : fn());
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
}

// Unmounts every pin in `dir` and removes the folders: nothing of a start outlives it.
void unpin(const std::string& dir) {
    std::vector<std::string> pins;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (const dirent* e = ::readdir(d))
            if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
                pins.push_back(dir + "/" + e->d_name);
        ::closedir(d);
    }
    if (!pins.empty())
        (void)inEngineMountNamespace([&pins] {
            for (const auto& pin : pins)
                while (::umount2(pin.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) == 0) {
                }
            return 0;
        });
    for (const auto& pin : pins)
        ::rmdir(pin.c_str());
    ::rmdir(dir.c_str());
}

// Mounts the folder open as `folder` at `target` (a folder made beforehand), in the engine's mount
// namespace. Returns 0 or an errno.
int pin(int folder, const std::string& target) {
    const volfs::Fd tree(::open_tree(folder, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH));
    if (!tree)
        return errno;
    return inEngineMountNamespace([&] {
        return ::move_mount(tree.get(), "", AT_FDCWD, target.c_str(), MOVE_MOUNT_F_EMPTY_PATH) == 0 ? 0
                                                                                                    : errno;
    });
}

} // namespace

Volumes::Pins::~Pins() {
    if (!m_dir.empty())
        unpin(m_dir);
}

Volumes::Volumes(store::Database& db, const Clock& clock, std::string dataDir, AuditLog& audit)
    : m_db(db)
    , m_clock(clock)
    , m_dataDir(std::move(dataDir))
    , m_audit(audit) {
    // Pins live only while a container starts; a crashed coved may have left some.
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(m_dataDir + "/mounts", ec))
        unpin(e.path().string());
}

Volumes::Row Volumes::rowOf(const store::VolumeRecord& c) {
    return Row{c.id,
               c.organizationId,
               c.name,
               c.state,
               c.errorReason.value_or(""),
               c.sizeBytes,
               c.createdAt,
               c.updatedAt,
               c.lastUsedAt.value_or(0)};
}

std::optional<Volumes::Row> Volumes::find(const std::string& idOrName, const std::string& organizationId,
                                          bool includeDeleted) {
    const auto found = store::VolumeRepository(m_db).find(idOrName, organizationId, includeDeleted);
    return found ? std::optional<Row>(rowOf(*found)) : std::nullopt;
}

Volumes::Row Volumes::require(const std::string& idOrName, const std::string& organizationId) {
    auto r = find(idOrName, organizationId, true);
    if (!r)
        throw DomainError::notFound("Volume '" + idOrName +
                                    "' not found; list volumes with GET /api/volumes.");
    return *r;
}

json Volumes::toDto(Row& r) {
    const auto iso = [](std::int64_t ms) { return ms ? json(toIso8601(fromMillis(ms))) : json(nullptr); };
    return {{"id", r.id},
            {"name", r.name},
            {"organizationId", r.organizationId},
            {"state", r.state},
            {"createdAt", iso(r.createdAt)},
            {"updatedAt", iso(r.updatedAt)},
            {"lastUsedAt", iso(r.lastUsedAt)},
            {"errorReason", r.errorReason.empty() ? json(nullptr) : json(r.errorReason)},
            {"usedBytes", r.sizeBytes}};
}

awaitable<void> Volumes::measure(std::string organizationId, std::string idOrName) {
    std::vector<std::pair<std::string, std::int64_t>> sizes; // id, recorded bytes
    if (!idOrName.empty()) {
        if (const auto r = find(idOrName, organizationId, false); r && r->state == VolumeState::kReady)
            sizes.emplace_back(r->id, r->sizeBytes);
    } else {
        for (const auto& v : store::VolumeRepository(m_db).listInState(organizationId, VolumeState::kReady))
            sizes.emplace_back(v.id, v.sizeBytes);
    }
    std::vector<std::string> dirs;
    for (const auto& [id, bytes] : sizes)
        dirs.push_back(dirOf(id));
    // A walk of a large volume takes long: it runs off the io thread; the store is written back here.
    const auto measured = co_await offload([&dirs] {
        std::vector<std::int64_t> out;
        for (const auto& dir : dirs) {
            const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            out.push_back(fd < 0 ? -1 : volfs::treeBytes(fd));
            if (fd >= 0)
                ::close(fd);
        }
        return out;
    });
    for (std::size_t i = 0; i < sizes.size(); ++i)
        if (measured[i] >= 0 && measured[i] != sizes[i].second)
            store::VolumeRepository(m_db).setSizeIfState(sizes[i].first, measured[i], VolumeState::kReady);
}

json Volumes::list(const std::string& organizationId, bool includeDeleted) {
    json out = json::array();
    for (const auto& v : store::VolumeRepository(m_db).list(organizationId, includeDeleted)) {
        Row r = rowOf(v);
        out.push_back(toDto(r));
    }
    return out;
}

json Volumes::get(const std::string& idOrName, const std::string& organizationId) {
    Row r = require(idOrName, organizationId);
    return toDto(r);
}

json Volumes::getByName(const std::string& name, const std::string& organizationId) {
    const auto found = store::VolumeRepository(m_db).findLiveByName(organizationId, name);
    if (!found)
        throw DomainError::notFound("Volume named '" + name + "' not found.");
    return get(found->id, organizationId);
}

json Volumes::create(const json& body, const Caller& caller) {
    const auto name = validate::optString(body, "name");
    if (!name || name->empty() || name->size() > VolumeDefaults::kMaxNameLength ||
        validate::hasControlChars(*name) || name->find('/') != std::string::npos || *name == "." ||
        *name == "..")
        throw DomainError::invalid("'name' is required: 1 to " +
                                   std::to_string(VolumeDefaults::kMaxNameLength) +
                                   " characters with no '/' and no control characters.");
    Row r;
    r.id = uuidV4();
    r.organizationId = caller.who.organizationId;
    r.name = *name;
    r.state = VolumeState::kReady;
    r.createdAt = r.updatedAt = toMillis(m_clock.now());
    const std::string dir = dirOf(r.id);
    try {
        store::VolumeRepository volumes(m_db);
        const auto taken = [&] {
            return DomainError::conflict("A volume named '" + r.name +
                                         "' already exists; use it, or pick another name.");
        };
        m_db.transaction([&] {
            if (volumes.liveNameTaken(r.organizationId, r.name))
                throw taken();
            const Limits l = limitsOf(m_db, r.organizationId);
            const auto used = volumes.countLive(r.organizationId);
            if (used >= l.volumes)
                throw DomainError::forbidden(
                    (l.tier == 0 ? std::string("Your quota") : "Tier " + std::to_string(l.tier)) +
                    " allows " + std::to_string(l.volumes) + " volumes; " + std::to_string(used) +
                    " in use. Delete a volume, or raise the limit on the Limits page.");
            // The folder is made inside the transaction: no row without a folder, no folder without a row.
            ::mkdir((m_dataDir + "/volumes").c_str(), 0700);
            if (::mkdir(dir.c_str(), volfs::kFolderMode) != 0)
                throw DomainError::internal("Cannot create the volume's folder " + dir + ": " +
                                            std::strerror(errno) + ".");
            if (::chown(dir.c_str(), ownerUid(), ownerGid()) != 0 ||
                ::chmod(dir.c_str(), volfs::kRootMode) != 0)
                throw DomainError::internal("Cannot hand the volume's folder " + dir +
                                            " to the sandbox user: " + std::strerror(errno) + ".");
            if (!volumes.insert({r.id, r.organizationId, r.name, r.state, std::nullopt, 0, r.createdAt,
                                 r.updatedAt, std::nullopt})) // taken since the check, by another writer
                throw taken();
            m_audit.record(caller, "create", "volume", r.id, 200);
        });
    } catch (...) {
        ::rmdir(dir.c_str()); // made in the transaction that failed (if it got that far)
        throw;
    }
    json dto = toDto(r);
    if (m_publish)
        m_publish(r.organizationId, "volume.created", dto);
    return dto;
}

awaitable<json> Volumes::remove(std::string idOrName, Caller caller) {
    Row r = require(idOrName, caller.who.organizationId);
    if (r.state == VolumeState::kDeleted)
        co_return toDto(r);
    m_db.transaction([&] {
        // Sandboxes that are not destroyed and name this volume among their mounts.
        const auto users = store::SandboxRepository(m_db).liveNamesMountingVolume(r.organizationId, r.id, 11);
        if (!users.empty()) {
            std::string names;
            for (std::size_t i = 0; i < users.size() && i < 10; ++i)
                names += (i ? ", '" : "'") + users[i] + "'";
            if (users.size() > 10)
                names += " and more";
            throw DomainError::conflict("Volume '" + r.name + "' is mounted by sandbox" +
                                        (users.size() > 1 ? "es " : " ") + names +
                                        "; delete those sandboxes first (one being deleted lets go of "
                                        "it once it is destroyed).");
        }
        m_audit.record(caller, "delete", "volume", r.id, 200);
        setState(r, VolumeState::kDeleting);
    });
    // No sandbox can mount it now (mounts need a ready volume), so the folder goes unraced.
    const std::string dir = dirOf(r.id);
    const std::string volumes = m_dataDir + "/volumes", id = r.id;
    const int err = co_await offload([&volumes, &id] {
        const int parent = ::open(volumes.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        const int e = parent < 0 ? errno : volfs::removeTree(parent, id);
        if (parent >= 0)
            ::close(parent);
        return e;
    });
    if (err && err != ENOENT) {
        setState(r, VolumeState::kError, std::string("Deleting its folder failed: ") + std::strerror(err));
        throw DomainError::internal("Volume '" + r.name + "' could not be deleted: removing " + dir +
                                    " failed (" + std::strerror(err) +
                                    "); delete it again once that is fixed.");
    }
    r.sizeBytes = 0;
    store::VolumeRepository(m_db).setSize(r.id, 0);
    setState(r, VolumeState::kDeleted);
    co_return toDto(r);
}

void Volumes::setState(Row& r, const std::string& state, const std::string& errorReason) {
    const std::string before = r.state;
    r.state = state;
    r.errorReason = errorReason;
    r.updatedAt = toMillis(m_clock.now());
    store::VolumeRepository(m_db).setState(
        r.id, r.state, errorReason.empty() ? std::nullopt : std::optional<std::string>(errorReason),
        r.updatedAt);
    if (m_publish && before != state)
        m_publish(r.organizationId, "volume.state.updated",
                  {{"volume", toDto(r)}, {"oldState", before}, {"newState", state}});
}

void Volumes::touch(const std::string& id) {
    store::VolumeRepository(m_db).markUsed(id, toMillis(m_clock.now()));
}

json Volumes::resolveMounts(const json& requested, const std::string& organizationId) {
    constexpr const char* kShape = "'volumes' must be an array of {volumeId, mountPath, subpath?, readOnly?}";
    if (requested.is_null())
        return json::array();
    if (!requested.is_array())
        throw DomainError::invalid(std::string(kShape) + ".");
    if (requested.size() > VolumeDefaults::kMaxMounts)
        throw DomainError::invalid("A sandbox may mount at most " +
                                   std::to_string(VolumeDefaults::kMaxMounts) + " volumes.");
    json out = json::array();
    std::set<std::string> paths;
    for (std::size_t i = 0; i < requested.size(); ++i) {
        const json& m = requested[i];
        const std::string at = "volumes[" + std::to_string(i) + "]";
        if (!m.is_object())
            throw DomainError::invalid(std::string(kShape) + "; " + at + " is not an object.");
        const auto volume = validate::optString(m, "volumeId");
        const auto mountPath = validate::optString(m, "mountPath");
        if (!volume || volume->empty())
            throw DomainError::invalid("'" + at + ".volumeId' is required: a volume's id or name.");
        if (!mountPath)
            throw DomainError::invalid("'" + at +
                                       ".mountPath' is required: where the volume appears, such as /data.");
        const std::string path = checkMountPath(*mountPath, i);
        if (!paths.insert(path).second)
            throw DomainError::invalid("Two volumes are mounted at " + path +
                                       "; give each its own mount path.");
        json mount{{"volumeId", ""}, {"mountPath", path}};
        if (const auto subpath = validate::optString(m, "subpath"); subpath && !subpath->empty()) {
            if (subpath->front() == '/')
                throw DomainError::invalid(
                    "'" + at + ".subpath' must be relative to the volume's root; got '" + *subpath + "'.");
            if (validate::hasControlChars(*subpath) || subpath->find(':') != std::string::npos ||
                subpath->find(',') != std::string::npos)
                throw DomainError::invalid("'" + at +
                                           ".subpath' must have no control characters, ':' or ','.");
            const auto names = volfs::splitRelative(*subpath, ("'" + at + ".subpath'").c_str(),
                                                    VolumeDefaults::kMaxPathLength);
            if (!names.empty())
                mount["subpath"] = volfs::join(names, names.size());
        }
        if (m.contains("readOnly") && !m["readOnly"].is_null() && !m["readOnly"].is_boolean())
            throw DomainError::invalid("'" + at + ".readOnly' must be true or false.");
        mount["readOnly"] = m.contains("readOnly") && m["readOnly"].is_boolean() && m["readOnly"].get<bool>();
        const auto row = find(*volume, organizationId, false);
        if (!row)
            throw DomainError::notFound("Volume '" + *volume + "' (" + at +
                                        ") not found; create it with POST /api/volumes.");
        if (row->state != VolumeState::kReady)
            throw DomainError::invalid("Volume '" + row->name + "' is " + row->state + ", not ready.");
        mount["volumeId"] = row->id;
        out.push_back(std::move(mount));
    }
    return out;
}

Volumes::Pins Volumes::prepareMounts(const std::string& sandboxId, const json& sandboxExtra) {
    const std::string pins = pinsOf(sandboxId);
    unpin(pins); // a start that was cut short
    Pins held;
    const json mounts = mountsOf(sandboxExtra);
    for (std::size_t i = 0; i < mounts.size(); ++i) {
        const json& m = mounts[i];
        if (!isChecked(m))
            continue;
        const std::string id = m.value("volumeId", "");
        const volfs::Fd root(::open(dirOf(id).c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!root)
            throw DomainError::internal("The folder of volume " + id +
                                        " is missing: " + std::strerror(errno) + ".");
        if (m.contains("subpath")) {
            const std::string subpath = m.value("subpath", "");
            const volfs::Fd folder = volfs::makeFolders(
                root.get(), volfs::splitRelative(subpath, "subpath", VolumeDefaults::kMaxPathLength), true,
                ownerUid(), ownerGid(), subpath);
            if (held.empty())
                held = Pins(pins);
            const std::string target = pins + "/" + std::to_string(i);
            std::error_code ec;
            std::filesystem::create_directories(pins, ec);
            const int err = ec                                   ? ec.value()
                            : ::mkdir(target.c_str(), 0700) != 0 ? errno
                                                                 : pin(folder.get(), target);
            if (err != 0)
                throw DomainError::internal("Cannot mount subpath '" + subpath + "' of volume " + id +
                                            " at " + target + ": " + std::strerror(err) +
                                            ". coved needs to run as root to mount volume subpaths.");
        }
        touch(id);
    }
    return held;
}

std::vector<engine::Bind> Volumes::binds(const std::string& sandboxId, const json& sandboxExtra) const {
    std::vector<engine::Bind> out;
    const json mounts = mountsOf(sandboxExtra);
    for (std::size_t i = 0; i < mounts.size(); ++i) {
        const json& m = mounts[i];
        if (!isChecked(m))
            continue;
        const std::string source = m.contains("subpath") && m["subpath"].is_string()
                                       ? pinsOf(sandboxId) + "/" + std::to_string(i)
                                       : dirOf(m["volumeId"].get<std::string>());
        out.push_back({source, m["mountPath"].get<std::string>(), m.value("readOnly", false)});
    }
    return out;
}

} // namespace cove::domain
