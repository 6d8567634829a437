#include "service/engine/BtrfsLayers.h"

#include <dirent.h>
#include <endian.h>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <utility>
#include <vector>

namespace cove::engine {

namespace {

constexpr long kBtrfsMagic = 0x9123683E;   // BTRFS_SUPER_MAGIC
constexpr ino_t kSubvolumeRootInode = 256; // BTRFS_FIRST_FREE_OBJECTID: the root of every subvolume

class Fd {
public:
    explicit Fd(int fd)
        : m_fd(fd) {}
    ~Fd() {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(Fd&& other) noexcept
        : m_fd(std::exchange(other.m_fd, -1)) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

[[noreturn]] void fail(const std::string& what) {
    throw BtrfsError(what + ": " + std::strerror(errno));
}

Fd openDir(const std::string& path) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0)
        fail("cannot open " + path);
    return fd;
}

std::string parentOf(const std::string& path) {
    return path.substr(0, path.rfind('/'));
}
std::string leafOf(const std::string& path) {
    return path.substr(path.rfind('/') + 1);
}

bool isIdentifier(const std::string& s) {
    return !s.empty() && s.size() <= 128 &&
           s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
}

// The subvolumes directly inside the subvolume at `path` (nested ones: a directory whose inode is a
// subvolume root, on a device of its own), found without following links or leaving the subvolume.
void nestedSubvolumes(int dirFd, const std::string& path, dev_t device, std::vector<std::string>& out) {
    DIR* dir = ::fdopendir(::dup(dirFd));
    if (!dir)
        return;
    while (const dirent* e = ::readdir(dir)) {
        if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)
            continue;
        if (!std::strcmp(e->d_name, ".") || !std::strcmp(e->d_name, ".."))
            continue;
        struct stat st {};
        if (::fstatat(dirFd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode))
            continue;
        const std::string child = path + "/" + e->d_name;
        if (st.st_ino == kSubvolumeRootInode && st.st_dev != device) {
            out.push_back(child);
            continue;
        }
        const int childFd = ::openat(dirFd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (childFd < 0)
            continue;
        const Fd held(childFd);
        nestedSubvolumes(childFd, child, device, out);
    }
    ::closedir(dir);
}

} // namespace

BtrfsLayers::BtrfsLayers(std::string engineRoot)
    : m_root(std::move(engineRoot)) {}

bool BtrfsLayers::usable() const {
    struct statfs fs {};
    if (m_root.empty() || ::statfs((m_root + "/btrfs/subvolumes").c_str(), &fs) != 0 ||
        static_cast<long>(fs.f_type) != kBtrfsMagic || ::geteuid() != 0)
        return false;
    ::mkdir((m_root + "/btrfs/cove-saved").c_str(), 0700);
    struct stat st {};
    return ::lstat((m_root + "/btrfs/cove-saved").c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string BtrfsLayers::writableLayer(const std::string& containerId) const {
    if (!isIdentifier(containerId))
        throw BtrfsError("'" + containerId + "' is not a container id");
    const std::string file = m_root + "/image/btrfs/layerdb/mounts/" + containerId + "/mount-id";
    std::ifstream in(file);
    std::string mountId;
    if (!(in >> mountId) || !isIdentifier(mountId))
        throw BtrfsError("the engine keeps no writable layer for container " + containerId + " (" + file +
                         ")");
    return m_root + "/btrfs/subvolumes/" + mountId;
}

void BtrfsLayers::snapshot(const std::string& source, const std::string& targetDir, const std::string& name) {
    const Fd src = openDir(source);
    const Fd dst = openDir(targetDir);
    btrfs_ioctl_vol_args_v2 args{};
    args.fd = src.get();
    std::strncpy(args.name, name.c_str(), sizeof(args.name) - 1);
    if (::ioctl(dst.get(), BTRFS_IOC_SNAP_CREATE_V2, &args) != 0)
        fail("cannot snapshot " + source + " as " + targetDir + "/" + name);
}

void BtrfsLayers::destroy(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT)
            return;
        fail("cannot look at " + path);
    }
    const Fd parent = openDir(parentOf(path));
    btrfs_ioctl_vol_args args{};
    const std::string leaf = leafOf(path);
    std::strncpy(args.name, leaf.c_str(), sizeof(args.name) - 1);
    if (::ioctl(parent.get(), BTRFS_IOC_SNAP_DESTROY, &args) == 0)
        return;
    if (errno != ENOTEMPTY)
        fail("cannot remove subvolume " + path);
    // Subvolumes made inside it: found (a walk of the whole tree, so only now) and removed first.
    std::vector<std::string> nested;
    {
        const Fd self = openDir(path);
        nestedSubvolumes(self.get(), path, st.st_dev, nested);
    }
    for (const auto& n : nested)
        destroy(n);
    if (::ioctl(parent.get(), BTRFS_IOC_SNAP_DESTROY, &args) != 0)
        fail("cannot remove subvolume " + path);
}

void BtrfsLayers::replaceWith(const std::string& target, const std::string& source) const {
    const std::string dir = parentOf(target), leaf = leafOf(target);
    const std::string fresh = leaf + ".cove-new", old = leaf + ".cove-old";
    destroy(dir + "/" + fresh); // left by an interrupted replace
    destroy(dir + "/" + old);
    snapshot(source, dir, fresh);
    // The container's disk size is a limit on its subvolume's quota group, which a new subvolume does not
    // have: it gets the size the engine recorded for the layer before it takes the old one's place.
    try {
        limitSize(dir + "/" + fresh, leaf);
    } catch (const BtrfsError&) {
        destroy(dir + "/" + fresh);
        throw;
    }
    if (::rename(target.c_str(), (dir + "/" + old).c_str()) != 0) {
        const int saved = errno;
        destroy(dir + "/" + fresh);
        errno = saved;
        fail("cannot move " + target + " aside");
    }
    if (::rename((dir + "/" + fresh).c_str(), target.c_str()) != 0) {
        const int saved = errno;
        ::rename((dir + "/" + old).c_str(), target.c_str());
        errno = saved;
        fail("cannot put the copy in place of " + target);
    }
    destroy(dir + "/" + old);
}

void BtrfsLayers::limitSize(const std::string& subvolume, const std::string& layer) const {
    std::ifstream in(m_root + "/btrfs/quotas/" + layer);
    unsigned long long bytes = 0;
    if (!(in >> bytes) || bytes == 0)
        return; // the engine gave this container no size
    const Fd fd = openDir(subvolume);
    btrfs_ioctl_qgroup_limit_args args{};
    args.lim.flags = BTRFS_QGROUP_LIMIT_MAX_RFER;
    args.lim.max_rfer = bytes;
    if (::ioctl(fd.get(), BTRFS_IOC_QGROUP_LIMIT, &args) != 0)
        fail("cannot hold " + subvolume + " to " + std::to_string(bytes) + " bytes");
}

namespace {
// The one item of the quota tree at (0, type, qgroup), copied into `item`; false when there is none.
bool quotaItem(int fd, unsigned type, unsigned long long qgroup, void* item, std::size_t size) {
    btrfs_ioctl_search_args args{};
    auto& key = args.key;
    key.tree_id = BTRFS_QUOTA_TREE_OBJECTID;
    key.min_objectid = key.max_objectid = 0;
    key.min_type = key.max_type = type;
    key.min_offset = key.max_offset = qgroup;
    key.max_transid = ~0ULL;
    key.nr_items = 1;
    if (::ioctl(fd, BTRFS_IOC_TREE_SEARCH, &args) != 0 || key.nr_items < 1)
        return false;
    btrfs_ioctl_search_header header{};
    std::memcpy(&header, args.buf, sizeof header);
    if (header.type != type || header.offset != qgroup || header.len < size)
        return false;
    std::memcpy(item, args.buf + sizeof header, size);
    return true;
}

// The logical bytes of the file extents in subvolume `tree` written after transaction `since`.
unsigned long long writtenSince(int fd, unsigned long long tree, unsigned long long since) {
    btrfs_ioctl_search_args args{};
    auto& key = args.key;
    key.tree_id = tree;
    key.max_objectid = ~0ULL;
    key.min_type = BTRFS_EXTENT_DATA_KEY;
    key.max_type = BTRFS_EXTENT_DATA_KEY;
    key.max_offset = ~0ULL;
    key.min_transid = since + 1; // the search skips tree blocks no newer than this
    key.max_transid = ~0ULL;
    unsigned long long bytes = 0;
    for (;;) {
        key.nr_items = 4096;
        if (::ioctl(fd, BTRFS_IOC_TREE_SEARCH, &args) != 0)
            fail("cannot search a subvolume's tree");
        if (key.nr_items == 0)
            return bytes;
        std::size_t at = 0;
        btrfs_ioctl_search_header header{};
        for (unsigned i = 0; i < key.nr_items; ++i) {
            std::memcpy(&header, args.buf + at, sizeof header);
            at += sizeof header;
            btrfs_file_extent_item item{};
            if (header.type == BTRFS_EXTENT_DATA_KEY &&
                header.len >= offsetof(btrfs_file_extent_item, disk_bytenr)) {
                std::memcpy(&item, args.buf + at, std::min<std::size_t>(header.len, sizeof item));
                if (le64toh(item.generation) > since) {
                    if (item.type == BTRFS_FILE_EXTENT_INLINE)
                        bytes += le64toh(item.ram_bytes);
                    else if (header.len >= sizeof item && item.disk_bytenr != 0) // 0: a hole
                        bytes += le64toh(item.num_bytes);
                }
            }
            at += header.len;
        }
        // On from just past the last key found.
        key.min_objectid = header.objectid;
        key.min_type = header.type;
        key.min_offset = header.offset + 1;
        if (header.offset == ~0ULL) {
            key.min_offset = 0;
            key.min_type = header.type + 1;
            if (key.min_type > BTRFS_EXTENT_DATA_KEY) {
                key.min_type = BTRFS_EXTENT_DATA_KEY;
                if (header.objectid == ~0ULL)
                    return bytes;
                key.min_objectid = header.objectid + 1;
            }
        }
    }
}
} // namespace

BtrfsLayers::Usage BtrfsLayers::usage(const std::string& path) {
    const Fd fd = openDir(path);
    btrfs_ioctl_get_subvol_info_args info{};
    if (::ioctl(fd.get(), BTRFS_IOC_GET_SUBVOL_INFO, &info) < 0) // some kernels answer 1
        fail("cannot read the subvolume of " + path);
    Usage u;
    u.written = writtenSince(fd.get(), info.treeid, info.otransid);
    btrfs_qgroup_limit_item limit{};
    if (quotaItem(fd.get(), BTRFS_QGROUP_LIMIT_KEY, info.treeid, &limit, sizeof limit) &&
        (le64toh(limit.flags) & BTRFS_QGROUP_LIMIT_MAX_RFER))
        u.limit = le64toh(limit.max_rfer);
    return u;
}

std::string BtrfsLayers::savedPath(const std::string& name) const {
    if (!isIdentifier(name))
        throw BtrfsError("'" + name + "' is not a saved filesystem's name");
    return m_root + "/btrfs/cove-saved/" + name;
}

std::string BtrfsLayers::save(const std::string& source, const std::string& name) const {
    const std::string path = savedPath(name);
    snapshot(source, parentOf(path), name);
    return path;
}

void BtrfsLayers::drop(const std::string& name) const {
    destroy(savedPath(name));
}

} // namespace cove::engine
