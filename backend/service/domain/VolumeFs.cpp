// Confined file operations for volumes: openat2 beneath the volume's folder, *at calls on the fds it
// yields, and no symbolic link followed where the kernel is not the one checking.
#include "service/domain/VolumeFs.h"
#include "service/domain/DomainError.h"

#include "common/ApiError.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cove::domain::volfs {

Fd::~Fd() {
    if (m_fd >= 0)
        ::close(m_fd);
}

Fd& Fd::operator=(Fd&& o) noexcept {
    if (this != &o) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = o.release();
    }
    return *this;
}

std::vector<std::string> splitRelative(std::string_view path, const char* what, std::size_t maxLength) {
    if (path.size() > maxLength)
        throw DomainError::invalid(std::string(what) + " is longer than " + std::to_string(maxLength) +
                                   " characters.");
    if (path.find('\0') != std::string_view::npos)
        throw DomainError::invalid(std::string(what) + " contains a NUL character.");
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= path.size()) {
        const auto j = std::min(path.find('/', i), path.size());
        const std::string_view name = path.substr(i, j - i);
        if (name == "..")
            throw DomainError::invalid(std::string(what) + " '" + std::string(path) +
                                       "' contains '..'; give a path inside the volume.");
        if (!name.empty() && name != ".")
            out.emplace_back(name);
        i = j + 1;
    }
    return out;
}

std::string join(const std::vector<std::string>& names, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count && i < names.size(); ++i)
        out += (i ? "/" : "") + names[i];
    return out.empty() ? std::string(".") : out;
}

int openBeneath(int dir, const std::string& path, int flags, bool noSymlinks) {
    open_how how{};
    how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
    how.mode = (flags & O_CREAT) ? 0644 : 0;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | (noSymlinks ? RESOLVE_NO_SYMLINKS : 0);
    for (;;) {
        const long fd = ::syscall(SYS_openat2, dir, path.empty() ? "." : path.c_str(), &how, sizeof how);
        if (fd >= 0)
            return static_cast<int>(fd);
        if (errno != EAGAIN && errno != EINTR) // EAGAIN: a rename raced the lookup; retry
            return -errno;
    }
}

Fd makeFolders(int root, const std::vector<std::string>& names, bool noSymlinks, unsigned uid, unsigned gid,
               const std::string& shownPath) {
    Fd cur(openBeneath(root, ".", O_PATH | O_DIRECTORY, noSymlinks));
    if (!cur)
        throwFor(-cur.get(), shownPath, {});
    for (std::size_t i = 0; i < names.size(); ++i) {
        // The parent is always re-resolved from the root, so a folder swapped for a link is caught.
        if (::mkdirat(cur.get(), names[i].c_str(), kFolderMode) == 0) {
            (void)::fchownat(cur.get(), names[i].c_str(), uid, gid, AT_SYMLINK_NOFOLLOW);
            (void)::fchmodat(cur.get(), names[i].c_str(), kFolderMode, 0); // past coved's umask
        } else if (errno != EEXIST)
            throwFor(errno, shownPath, {});
        Fd next(openBeneath(root, join(names, i + 1), O_PATH | O_DIRECTORY, noSymlinks));
        if (!next)
            throwFor(-next.get(), shownPath, {});
        cur = std::move(next);
    }
    return cur;
}

int forEachEntry(int fd, const std::function<void(int, const char*, const struct stat&)>& fn) {
    DIR* d = ::fdopendir(fd);
    if (!d) {
        const int err = errno;
        ::close(fd);
        return err;
    }
    while (const dirent* e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0)
            continue;
        struct stat st {};
        if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
            fn(::dirfd(d), e->d_name, st);
    }
    ::closedir(d);
    return 0;
}

int removeTree(int parent, const std::string& name) {
    struct stat st {};
    if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno;
    if (!S_ISDIR(st.st_mode))
        return ::unlinkat(parent, name.c_str(), 0) == 0 ? 0 : errno;
    const int fd = ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno;
    const Fd self(::fcntl(fd, F_DUPFD_CLOEXEC, 0)); // the listing closes its own copy
    std::vector<std::string> children;              // listed first: removing while reading may skip entries
    if (const int err = forEachEntry(
            fd, [&](int, const char* child, const struct stat&) { children.emplace_back(child); }))
        return err;
    for (const auto& child : children) {
        if (const int err = removeTree(self.get(), child); err && err != ENOENT)
            return err;
    }
    return ::unlinkat(parent, name.c_str(), AT_REMOVEDIR) == 0 ? 0 : errno;
}

std::int64_t treeBytes(int dir) {
    std::int64_t total = 0;
    const int fd = ::openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    forEachEntry(fd, [&](int at, const char* name, const struct stat& st) {
        if (S_ISREG(st.st_mode)) {
            total += st.st_size;
        } else if (S_ISDIR(st.st_mode)) {
            const Fd child(::openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (child)
                total += treeBytes(child.get());
        }
    });
    return total;
}

void throwFor(int err, const std::string& shownPath, const std::string& volume) {
    const std::string where = volume.empty() ? std::string() : " in volume '" + volume + "'";
    switch (err) {
    case ENOENT:
        throw DomainError::notFound("No file or folder '" + shownPath + "'" + where + ".");
    case EXDEV:
    case ELOOP:
        throw DomainError::invalid("'" + shownPath + "'" + where +
                                   " leads outside the volume or through a symbolic link Cove does not "
                                   "follow there; give a path to a real file or folder inside the volume.");
    case ENOTDIR:
        throw DomainError::invalid("A part of '" + shownPath + "'" + where + " is a file, not a folder.");
    case EEXIST:
        throw DomainError::conflict("'" + shownPath + "'" + where + " already exists.");
    case EISDIR:
        throw DomainError::invalid("'" + shownPath + "'" + where + " is a folder.");
    case ENOTEMPTY:
        throw DomainError::conflict("The folder '" + shownPath + "'" + where +
                                    " is not empty; pass recursive=true to delete it with its contents.");
    case ENOSPC:
    case EDQUOT:
        throw DomainError::noSpace("No space left for '" + shownPath + "'" + where + ".");
    default:
        throw DomainError::internal("Cannot access '" + shownPath + "'" + where + ": " + std::strerror(err) +
                                    ".");
    }
}

} // namespace cove::domain::volfs
