// Snapshots (snapshots): an organization's and Cove's general ones, found by id or name, listed in
// pages, and their state as their image is made; and the sandboxes that use one.
#pragma once

#include "service/store/Store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cove::store {

struct SnapshotRecord {
    std::string id;
    std::optional<std::string> organizationId; // none for Cove's general snapshots
    std::string name, imageName;
    std::string state; // Daytona's SnapshotState names, as the API shows them
    bool general = false;
    int cpu = 1, memory = 1, disk = 3;
    std::optional<std::int64_t> sizeBytes;
    std::optional<std::string> entrypoint; // JSON array
    std::optional<std::string> errorReason;
    std::int64_t createdAt = 0, updatedAt = 0; // ms since the epoch
    std::optional<std::int64_t> lastUsedAt;
    std::optional<std::string> buildInfo; // JSON {dockerfileContent, contextHashes, hash}
    std::optional<std::string> buildHash; // identical builds share one snapshot
    std::optional<std::string> sourceSandboxId;
    bool imageOwned = false; // Cove made the image: it goes with the last snapshot using it
};

struct SnapshotListQuery {
    enum class Sort { Name, State, CreatedAt, UpdatedAt, LastUsedAt };
    std::string organizationId;  // its snapshots and the general ones
    std::string nameContains;    // empty: any; else a substring of the name, ignoring ASCII case
    std::string sourceSandboxId; // empty: any
    Sort sort = Sort::CreatedAt;
    bool ascending = false;
    int limit = 100;
    std::int64_t offset = 0;
};

struct SnapshotPage {
    std::int64_t total = 0; // matching, all pages
    std::vector<SnapshotRecord> items;
};

class SnapshotRepository {
public:
    explicit SnapshotRepository(Database& db)
        : m_db(db) {}

    // By id or name among those the organization sees (its own and the general ones); the id wins.
    std::optional<SnapshotRecord> find(const std::string& idOrName, const std::string& organizationId);
    std::optional<SnapshotRecord> findById(const std::string& id);
    SnapshotPage listPage(const SnapshotListQuery& q);
    // The oldest snapshot of an identical build the organization sees that is active (first) or still
    // being made.
    std::optional<std::string> findReusableBuild(const std::string& buildHash,
                                                 const std::string& organizationId);
    // Names are unique across organizations.
    bool nameTaken(const std::string& name);
    std::int64_t countOwnedBy(const std::string& organizationId);
    bool imageInUse(const std::string& imageName);

    // False (nothing written) when the name is taken.
    bool insert(const SnapshotRecord& r);
    // A general snapshot whose image is being built: recorded, or the existing one of that name reset to
    // building. Returns its id.
    std::string upsertGeneralBuilding(const std::string& newId, const std::string& name,
                                      const std::string& imageName, std::int64_t atMs);
    // A general snapshot whose image the engine has: recorded active, or the existing one updated.
    void upsertGeneralActive(const std::string& newId, const std::string& name, const std::string& imageName,
                             std::int64_t sizeBytes, std::int64_t atMs);
    void setState(const std::string& id, const std::string& state,
                  const std::optional<std::string>& errorReason, std::int64_t updatedAtMs,
                  const std::optional<std::int64_t>& sizeBytes);
    void setImage(const std::string& id, const std::string& imageName);
    void markImageOwned(const std::string& id);
    void remove(const std::string& id);

    // Work a previous coved left unfinished: snapshots being made fail with `reason` (the sandboxes
    // waiting for them: SandboxRepository::settleInterrupted).
    void failInterrupted(const std::string& reason);

private:
    Database& m_db;
};

} // namespace cove::store
