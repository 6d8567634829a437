// The SQL of settings.
#include "service/store/SettingsRepository.h"

namespace cove::store {

std::optional<std::string> SettingsRepository::get(const std::string& key) {
    const auto r = m_db.queryOne("SELECT value FROM settings WHERE key = ?", {key});
    return r ? std::optional<std::string>(r->at(0).asText()) : std::nullopt;
}

void SettingsRepository::put(const std::string& key, const std::string& value) {
    m_db.exec("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
              "excluded.value",
              {key, value});
}

bool SettingsRepository::putIfAbsent(const std::string& key, const std::string& value) {
    return !m_db.query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING "
                       "RETURNING key",
                       {key, value})
                .empty();
}

} // namespace cove::store
