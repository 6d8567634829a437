// Service settings (settings): named values of this installation, such as its id.
#pragma once

#include "service/store/Store.h"

#include <optional>
#include <string>

namespace cove::store {

class SettingsRepository {
public:
    explicit SettingsRepository(Database& db)
        : m_db(db) {}

    std::optional<std::string> get(const std::string& key);
    // Sets the value, replacing any earlier one.
    void put(const std::string& key, const std::string& value);
    // Sets the value unless the key has one; true when it was set.
    bool putIfAbsent(const std::string& key, const std::string& value);

private:
    Database& m_db;
};

} // namespace cove::store
