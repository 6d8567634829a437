// Volumes: named folders under <data>/volumes/<id>/ that sandboxes mount (whole or a subpath,
// read-write or read-only), and their files reached with no sandbox running.
#pragma once

#include "common/ApiError.h"
#include "common/Time.h"
#include "service/domain/AuditLog.h"
#include "service/domain/Caller.h"
#include "service/domain/VolumeFs.h"
#include "service/engine/Engine.h"
#include "service/store/Store.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace cove::store {
struct VolumeRecord;
}

namespace cove::domain {

using nlohmann::json;

// Daytona's VolumeState names.
struct VolumeState {
    static constexpr const char* kReady = "ready";
    static constexpr const char* kDeleting = "deleting";
    static constexpr const char* kDeleted = "deleted";
    static constexpr const char* kError = "error";
};

struct VolumeDefaults {
    static constexpr std::size_t kMaxNameLength = 255;
    static constexpr std::size_t kMaxPathLength = 1024;
    static constexpr std::size_t kMaxMounts = 16;
    // New folders and uploaded files belong to the sandbox user of Cove's images (`cove`, uid 1000),
    // so it can change them; root in the sandbox can anyway.
    static constexpr unsigned kOwnerUid = 1000, kOwnerGid = 1000;
};

class Volumes {
public:
    Volumes(store::Database& db, const Clock& clock, std::string dataDir, AuditLog& audit);

    // The organization's volumes (Daytona's bare VolumeDto[]), oldest first.
    json list(const std::string& organizationId, bool includeDeleted);
    // By id or name; deleted ones only by id. 404 otherwise.
    json get(const std::string& idOrName, const std::string& organizationId);
    json getByName(const std::string& name, const std::string& organizationId);
    // Measures what the ready volumes' folders hold (one, by id or name, or all of the organization's)
    // on the worker pool and records it; the DTOs report the recorded figure. Reads call it first.
    awaitable<void> measure(std::string organizationId, std::string idOrName = {});
    json create(const json& body, const Caller& caller);
    // Refused (409) while a sandbox that is not destroyed mounts it; otherwise its folder goes and the
    // row stays, `deleted`.
    awaitable<json> remove(std::string idOrName, Caller caller);

    // A sandbox create's `volumes`: checks every mount (400/404 naming the problem) and returns them
    // with each volume named by its id. Writes nothing.
    json resolveMounts(const json& requested, const std::string& organizationId);
    // Subpath folders pinned for one start of a sandbox's container (see prepareMounts()); unmounted
    // when dropped, once the engine has made its own mounts from them.
    class Pins {
    public:
        Pins() = default;
        explicit Pins(std::string dir)
            : m_dir(std::move(dir)) {}
        ~Pins();
        Pins(Pins&& o) noexcept
            : m_dir(std::exchange(o.m_dir, {})) {}
        Pins& operator=(Pins&& o) noexcept {
            std::swap(m_dir, o.m_dir);
            return *this;
        }
        bool empty() const { return m_dir.empty(); }

    private:
        std::string m_dir;
    };
    // Both take a sandbox's stored extras (its `volumes` are resolveMounts()'s answer; anything else
    // is no mount). Just before its container is made or started, and held until it has started:
    // creates missing subpath folders inside their volume (never through a symbolic link), pins each
    // one by mounting the very folder checked at <data>/mounts/<sandbox>/<n>, and notes the volumes
    // as used. The engine resolves a bind's source path again when it starts the container, and a
    // sandbox sharing the volume can swap a subpath folder for a link to the host's / in between;
    // the pin's path is one no sandbox can change.
    [[nodiscard]] Pins prepareMounts(const std::string& sandboxId, const json& sandboxExtra);
    // The mounts as binds: <data>/volumes/<id> at <mountPath> for a whole volume,
    // <data>/mounts/<sandbox>/<n> at <mountPath> for a subpath.
    std::vector<engine::Bind> binds(const std::string& sandboxId, const json& sandboxExtra) const;

    // Files, by a path relative to the volume's root; nothing resolves outside it, not through `..`
    // nor through a symbolic link a sandbox made (VolumeFiles.cpp).
    json listFiles(const std::string& idOrName, const std::string& organizationId, const std::string& path);
    // A regular file opened for reading (never a FIFO or device a sandbox made), and its size.
    struct Download {
        volfs::Fd fd;
        std::int64_t size = 0;
    };
    Download openDownload(const std::string& idOrName, const std::string& organizationId,
                          const std::string& path);
    // An upload under way: written to a temporary file beside its target (missing parent folders are
    // made first), renamed over the target by commit(); dropped unfinished, it leaves nothing.
    class Upload {
    public:
        Upload(Volumes& owner, std::string volumeId, std::string volumeName, volfs::Fd parent,
               std::string name, std::string shownPath);
        ~Upload();
        Upload(Upload&&) = default;
        // False once a write failed; commit() then throws the reason.
        bool write(const char* data, std::size_t n);
        void commit();

    private:
        Volumes* m_owner;
        std::string m_volumeId, m_volumeName, m_name, m_shownPath, m_tmp;
        volfs::Fd m_parent, m_out;
        int m_error = 0;
        bool m_done = false;
    };
    Upload beginUpload(const std::string& idOrName, const std::string& organizationId,
                       const std::string& path);
    void makeFolder(const std::string& idOrName, const std::string& organizationId, const std::string& path);
    awaitable<void> removeFile(std::string idOrName, std::string organizationId, std::string path,
                               bool recursive);

    using Publish =
        std::function<void(const std::string& organizationId, const std::string& event, const json&)>;
    void onEvent(Publish publish) { m_publish = std::move(publish); }

    std::string dirOf(const std::string& id) const { return m_dataDir + "/volumes/" + id; }

    // Whom a sandbox's root is on the host (0 unless the engine remaps users): folders and files Cove
    // makes in volumes belong to the sandbox user as the sandbox sees it.
    void setRemappedRoot(unsigned uid, unsigned gid) {
        m_rootUid = uid;
        m_rootGid = gid;
    }
    unsigned ownerUid() const { return m_rootUid + VolumeDefaults::kOwnerUid; }
    unsigned ownerGid() const { return m_rootGid + VolumeDefaults::kOwnerGid; }
    std::string pinsOf(const std::string& sandboxId) const { return m_dataDir + "/mounts/" + sandboxId; }

private:
    struct Row {
        std::string id, organizationId, name, state, errorReason;
        std::int64_t sizeBytes = 0, createdAt = 0, updatedAt = 0, lastUsedAt = 0;
    };
    static Row rowOf(const store::VolumeRecord& record);
    std::optional<Row> find(const std::string& idOrName, const std::string& organizationId,
                            bool includeDeleted);
    Row require(const std::string& idOrName, const std::string& organizationId);
    // A ready volume for file access, its folder open (O_PATH); the caller closes it.
    int openRoot(const std::string& idOrName, const std::string& organizationId, Row& row);
    json toDto(Row& r);
    void setState(Row& r, const std::string& state, const std::string& errorReason = {});
    void touch(const std::string& id);

    store::Database& m_db;
    const Clock& m_clock;
    std::string m_dataDir;
    AuditLog& m_audit;
    Publish m_publish;
    unsigned m_rootUid = 0, m_rootGid = 0;
};

} // namespace cove::domain
