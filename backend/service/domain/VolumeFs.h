// File operations confined to one folder: every path is resolved by the kernel beneath a directory fd
// (openat2 RESOLVE_BENEATH), so neither `..` nor a symbolic link made inside the folder leads out.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cove::domain::volfs {

// Folders and files made here: the owner and its group may change them, as the sandbox user's own.
inline constexpr mode_t kFolderMode = 0775;
inline constexpr mode_t kFileMode = 0664;
// A volume's own folder: any user of any sandbox that mounts it may write there.
inline constexpr mode_t kRootMode = 0777;

// An owned file descriptor.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd)
        : m_fd(fd) {}
    ~Fd();
    Fd(Fd&& o) noexcept
        : m_fd(o.release()) {}
    Fd& operator=(Fd&& o) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return m_fd; }
    int release() {
        const int fd = m_fd;
        m_fd = -1;
        return fd;
    }
    explicit operator bool() const { return m_fd >= 0; }

private:
    int m_fd = -1;
};

// A path relative to the folder, split into its names: leading and repeated slashes and `.` are
// dropped; `..`, NUL and over-long paths are refused (DomainError 400 naming `what`).
std::vector<std::string> splitRelative(std::string_view path, const char* what, std::size_t maxLength);
std::string join(const std::vector<std::string>& names, std::size_t count);

// openat2(dir, path, flags, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS [| RESOLVE_NO_SYMLINKS]);
// -errno on failure.
int openBeneath(int dir, const std::string& path, int flags, bool noSymlinks = false);

// Makes every missing folder of `names` beneath `root` (owned by uid/gid) and returns the last one
// opened O_PATH. Throws DomainError 400 when a name is taken by a file or leads outside `root`.
Fd makeFolders(int root, const std::vector<std::string>& names, bool noSymlinks, unsigned uid, unsigned gid,
               const std::string& shownPath);

// Calls fn(dirFd, name, its lstat) for every entry of the folder open as `fd` (taken over and closed)
// but `.` and `..`. Returns 0, or the errno of reading the folder.
int forEachEntry(int fd, const std::function<void(int dirFd, const char* name, const struct stat& st)>& fn);

// Removes `name` in `parent` and, for a folder, everything below it, never following a symbolic
// link. Returns 0 or an errno.
int removeTree(int parent, const std::string& name);

// Bytes held by the regular files below `dir` (symbolic links not followed).
std::int64_t treeBytes(int dir);

// An DomainError for the errno of resolving `shownPath` in the volume `volume`.
[[noreturn]] void throwFor(int err, const std::string& shownPath, const std::string& volume);

} // namespace cove::domain::volfs
