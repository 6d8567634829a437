#include "service/store/LinkRepository.h"

namespace cove::store {

namespace {

constexpr const char* kLinkSelect = "SELECT sandbox_id, owner_id, ip, subnet FROM sandbox_links ";

std::vector<LinkRecord> linksOf(const std::vector<Row>& rows) {
    std::vector<LinkRecord> out;
    for (const auto& c : rows)
        out.push_back({c[0].asText(), c[1].asText(), c[2].asText(), c[3].asText()});
    return out;
}

} // namespace

void LinkRepository::insert(const LinkRecord& r) {
    m_db.exec("INSERT INTO sandbox_links (sandbox_id, owner_id, ip, subnet) VALUES (?, ?, ?, ?)",
              {r.sandboxId, r.ownerId, r.ip, r.subnet});
}

std::optional<LinkRecord> LinkRepository::find(const std::string& sandboxId) {
    auto rows = linksOf(m_db.query(std::string(kLinkSelect) + "WHERE sandbox_id = ?", {sandboxId}));
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::vector<LinkRecord> LinkRepository::members(const std::string& ownerId) {
    // The owner's row sorts first: its id equals owner_id.
    return linksOf(m_db.query(std::string(kLinkSelect) +
                                  "WHERE owner_id = ? ORDER BY CASE WHEN sandbox_id = owner_id THEN 0 "
                                  "ELSE 1 END, ip",
                              {ownerId}));
}

std::vector<LinkRecord> LinkRepository::all() {
    return linksOf(m_db.query(std::string(kLinkSelect) + "ORDER BY owner_id, sandbox_id", {}));
}

void LinkRepository::remove(const std::string& sandboxId) {
    m_db.exec("DELETE FROM sandbox_links WHERE sandbox_id = ?", {sandboxId});
}

void LinkRepository::removeNetwork(const std::string& ownerId) {
    m_db.exec("DELETE FROM sandbox_links WHERE owner_id = ?", {ownerId});
}

} // namespace cove::store
