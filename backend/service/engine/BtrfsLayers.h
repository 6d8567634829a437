// Copy-on-write copies of containers' filesystems on Docker's btrfs storage. Each layer of that driver is
// a btrfs subvolume holding the layer's whole tree (a snapshot of its parent plus its changes), so a
// container's writable subvolume is its complete filesystem: a snapshot of it is a full, instant copy,
// and putting one in its place gives the container that filesystem back, with the container's disk
// size set on it again (a limit on the subvolume's quota group, which a new subvolume lacks).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace cove::engine {

class BtrfsLayers {
public:
    // `engineRoot`: the engine's data root as it reports it (DockerRootDir, with a remapping engine's
    // <uid>.<gid> suffix). Saved filesystems go to <root>/btrfs/cove-saved/, on the same btrfs.
    explicit BtrfsLayers(std::string engineRoot);

    // Whether this process can make and remove snapshots there (the storage is btrfs, the folders are
    // here and it may remove subvolumes, which takes root).
    bool usable() const;

    // The writable subvolume of container `containerId` (its full id), from the engine's layer database.
    std::string writableLayer(const std::string& containerId) const;

    // Replaces the subvolume at `target` with a snapshot of `source`, atomically as far as the container
    // can tell: the snapshot is made next to it first, then renamed into place.
    void replaceWith(const std::string& target, const std::string& source) const;
    // A snapshot of `source` saved as `name` ([a-z0-9-], Cove's ids); its path.
    std::string save(const std::string& source, const std::string& name) const;
    std::string savedPath(const std::string& name) const;
    // Removes a saved snapshot; nothing when there is none.
    void drop(const std::string& name) const;

    // What the subvolume at `path` holds of its own: the bytes of the file extents written into it since
    // it was made (a snapshot of the image's layer), found by a tree search of its own tree that skips
    // every block older than the snapshot, so it costs what was written, not the size of the files; and
    // the limit its quota group sets (0: none). btrfs brings the figure up to date at each transaction
    // commit (every 30 s, or at a sync). The quota group's own byte counts are not used: the engine's
    // quota groups are marked inconsistent by the snapshots it makes, and btrfs then stops counting.
    struct Usage {
        unsigned long long written = 0, limit = 0;
    };
    static Usage usage(const std::string& path);

    // Removes the subvolume at `path` with every subvolume made inside it (code in a sandbox may make
    // some: btrfs lets any user with write access create subvolumes).
    static void destroy(const std::string& path);
    static void snapshot(const std::string& source, const std::string& targetDir, const std::string& name);

private:
    // Limits `subvolume` to the size the engine recorded for `layer` (its quotas folder), if any.
    void limitSize(const std::string& subvolume, const std::string& layer) const;
    std::string m_root;
};

class BtrfsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace cove::engine
