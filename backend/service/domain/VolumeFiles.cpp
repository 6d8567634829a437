// A volume's files with no sandbox running: list, read, write, make folders, delete. Sandboxes write
// these folders too, so every path is resolved by the kernel beneath the volume's root and the last
// name of a write or delete is never followed when it is a symbolic link.
#include "service/domain/DomainError.h"
#include "service/domain/Volumes.h"

#include "service/domain/VolumeFs.h"
#include "service/domain/Workers.h"

#include "common/ApiError.h"
#include "common/Random.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace cove::domain {

namespace {

using volfs::Fd;

constexpr const char* kPathField = "'path'";

std::vector<std::string> namesOf(const std::string& path) {
    return volfs::splitRelative(path, kPathField, VolumeDefaults::kMaxPathLength);
}

std::string modeString(mode_t m) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(m & 07777));
    return buf;
}

// The file the names lead to, confirmed a regular file before it is opened for reading (opening a
// FIFO or a device a sandbox made could block or reach the host's device).
Fd openRegular(int root, const std::string& rel, const std::string& shown, const std::string& volume,
               struct stat& st) {
    const Fd probe(volfs::openBeneath(root, rel, O_PATH));
    if (!probe)
        volfs::throwFor(-probe.get(), shown, volume);
    if (::fstat(probe.get(), &st) != 0)
        volfs::throwFor(errno, shown, volume);
    if (S_ISDIR(st.st_mode))
        volfs::throwFor(EISDIR, shown, volume);
    if (!S_ISREG(st.st_mode))
        throw DomainError::invalid("'" + shown + "' in volume '" + volume + "' is not a regular file.");
    Fd f(volfs::openBeneath(root, rel, O_RDONLY | O_NONBLOCK | O_NOCTTY));
    struct stat again {};
    if (!f)
        volfs::throwFor(-f.get(), shown, volume);
    if (::fstat(f.get(), &again) != 0 || again.st_dev != st.st_dev || again.st_ino != st.st_ino)
        throw DomainError::conflict("'" + shown + "' in volume '" + volume +
                                    "' changed while it was opened; retry.");
    return f;
}

} // namespace

int Volumes::openRoot(const std::string& idOrName, const std::string& organizationId, Row& row) {
    row = require(idOrName, organizationId);
    if (row.state != VolumeState::kReady)
        throw DomainError::conflict("Volume '" + row.name + "' is " + row.state +
                                    "; its files cannot be reached.");
    const int fd = ::open(dirOf(row.id).c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        throw DomainError::internal("The folder of volume '" + row.name +
                                    "' is missing: " + std::strerror(errno) + ".");
    return fd;
}

json Volumes::listFiles(const std::string& idOrName, const std::string& organizationId,
                        const std::string& path) {
    Row v;
    const Fd root(openRoot(idOrName, organizationId, v));
    const auto names = namesOf(path);
    const std::string rel = volfs::join(names, names.size());
    const int fd = volfs::openBeneath(root.get(), rel, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        volfs::throwFor(-fd, path.empty() ? "/" : path, v.name);
    json out = json::array();
    const int err = volfs::forEachEntry(fd, [&](int, const char* name, const struct stat& st) {
        const auto mtime =
            static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000;
        out.push_back({{"name", name},
                       {"isDir", S_ISDIR(st.st_mode)},
                       {"size", static_cast<std::int64_t>(st.st_size)},
                       {"modTime", toIso8601(fromMillis(mtime))},
                       {"mode", modeString(st.st_mode)},
                       {"isSymlink", S_ISLNK(st.st_mode)}});
    });
    if (err)
        volfs::throwFor(err, path, v.name);
    std::sort(out.begin(), out.end(), [](const json& a, const json& b) {
        return a["name"].get<std::string>() < b["name"].get<std::string>();
    });
    return out;
}

Volumes::Download Volumes::openDownload(const std::string& idOrName, const std::string& organizationId,
                                        const std::string& path) {
    Row v;
    const Fd root(openRoot(idOrName, organizationId, v));
    const auto names = namesOf(path);
    if (names.empty())
        volfs::throwFor(EISDIR, "/", v.name);
    struct stat st {};
    Download d;
    d.fd = openRegular(root.get(), volfs::join(names, names.size()), path, v.name, st);
    d.size = st.st_size;
    return d;
}

Volumes::Upload Volumes::beginUpload(const std::string& idOrName, const std::string& organizationId,
                                     const std::string& path) {
    Row v;
    const Fd root(openRoot(idOrName, organizationId, v));
    auto names = namesOf(path);
    if (names.empty())
        throw DomainError::invalid("'path' must name a file inside the volume, such as data/input.csv.");
    const std::string name = names.back();
    names.pop_back();
    Fd parent = volfs::makeFolders(root.get(), names, false, ownerUid(), ownerGid(), path);
    struct stat st {};
    if (::fstatat(parent.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISLNK(st.st_mode)) // never written through: the link may lead out of the volume
            volfs::throwFor(ELOOP, path, v.name);
        if (S_ISDIR(st.st_mode))
            volfs::throwFor(EISDIR, path, v.name);
    }
    return Upload(*this, v.id, v.name, std::move(parent), name, path);
}

Volumes::Upload::Upload(Volumes& owner, std::string volumeId, std::string volumeName, Fd parent,
                        std::string name, std::string shownPath)
    : m_owner(&owner)
    , m_volumeId(std::move(volumeId))
    , m_volumeName(std::move(volumeName))
    , m_name(std::move(name))
    , m_shownPath(std::move(shownPath))
    , m_tmp(".cove-upload-" + randomHex(8))
    , m_parent(std::move(parent)) {
    m_out = Fd(::openat(m_parent.get(), m_tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                        volfs::kFileMode));
    if (!m_out)
        volfs::throwFor(errno, m_shownPath, m_volumeName);
}

Volumes::Upload::~Upload() {
    if (m_parent && !m_done)
        ::unlinkat(m_parent.get(), m_tmp.c_str(), 0);
}

bool Volumes::Upload::write(const char* data, std::size_t n) {
    for (std::size_t done = 0; done < n && !m_error;) {
        const ssize_t w = ::write(m_out.get(), data + done, n - done);
        if (w < 0 && errno != EINTR)
            m_error = errno;
        else if (w > 0)
            done += static_cast<std::size_t>(w);
    }
    return !m_error;
}

void Volumes::Upload::commit() {
    if (!m_error && (::fchown(m_out.get(), m_owner->ownerUid(), m_owner->ownerGid()) != 0 ||
                     ::fchmod(m_out.get(), volfs::kFileMode) != 0))
        m_error = errno;
    if (!m_error && ::renameat(m_parent.get(), m_tmp.c_str(), m_parent.get(), m_name.c_str()) != 0)
        m_error = errno;
    if (m_error)
        volfs::throwFor(m_error, m_shownPath, m_volumeName);
    m_done = true;
    m_owner->touch(m_volumeId);
}

void Volumes::makeFolder(const std::string& idOrName, const std::string& organizationId,
                         const std::string& path) {
    Row v;
    const Fd root(openRoot(idOrName, organizationId, v));
    const auto names = namesOf(path);
    if (names.empty())
        throw DomainError::invalid("'path' must name a folder inside the volume, such as data/raw.");
    (void)volfs::makeFolders(root.get(), names, false, ownerUid(), ownerGid(), path);
    touch(v.id);
}

awaitable<void> Volumes::removeFile(std::string idOrName, std::string organizationId, std::string path,
                                    bool recursive) {
    Row v;
    const Fd root(openRoot(idOrName, organizationId, v));
    // A folder's whole tree may go: the filesystem work runs off the io thread (the fds stay open).
    const auto names = namesOf(path);
    if (names.empty())
        throw DomainError::invalid("'path' must name a file or folder inside the volume; delete the volume "
                                   "itself with DELETE /api/volumes/{id}.");
    const Fd parent(
        volfs::openBeneath(root.get(), volfs::join(names, names.size() - 1), O_PATH | O_DIRECTORY));
    if (!parent)
        volfs::throwFor(-parent.get(), path, v.name);
    const std::string& name = names.back();
    struct stat st {};
    if (::fstatat(parent.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        volfs::throwFor(errno, path, v.name);
    const int dirFd = parent.get();
    const bool folder = S_ISDIR(st.st_mode);
    int err = co_await offload([&] {
        if (folder && !recursive)
            return ::unlinkat(dirFd, name.c_str(), AT_REMOVEDIR) == 0 ? 0 : errno;
        return volfs::removeTree(dirFd, name); // a link itself goes, never its target
    });
    if (err == EEXIST)
        err = ENOTEMPTY;
    if (err)
        volfs::throwFor(err, path, v.name);
    touch(v.id);
}

} // namespace cove::domain
