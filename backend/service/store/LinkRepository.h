// Linked sandboxes (sandbox_links): who follows whom, and each member's address on its owner's link
// network.
#pragma once

#include "service/store/Store.h"

#include <optional>
#include <string>
#include <vector>

namespace cove::store {

struct LinkRecord {
    std::string sandboxId, ownerId; // equal for the owner's own row
    std::string ip, subnet;         // the member's address on the link network; the network's /28
    bool isOwner() const { return sandboxId == ownerId; }
};

class LinkRepository {
public:
    explicit LinkRepository(Database& db)
        : m_db(db) {}

    void insert(const LinkRecord& r);
    std::optional<LinkRecord> find(const std::string& sandboxId);
    // The owner's row and its followers', the owner first, then in order of address.
    std::vector<LinkRecord> members(const std::string& ownerId);
    // Every row, grouped by owner.
    std::vector<LinkRecord> all();
    void remove(const std::string& sandboxId);
    // Every row of the owner's link network, its own too.
    void removeNetwork(const std::string& ownerId);

private:
    Database& m_db;
};

} // namespace cove::store
