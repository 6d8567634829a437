// The embedded store: one SQLite file in WAL mode, Cove's default.
#pragma once

#include "service/store/Store.h"

#include <mutex>

struct sqlite3;

namespace cove::store {

class SqliteDatabase final : public Database {
public:
    explicit SqliteDatabase(const std::string& path);
    ~SqliteDatabase() override;

    Dialect dialect() const override { return Dialect::Sqlite; }
    std::vector<Row> query(const std::string& sql, const std::vector<Value>& params = {}) override;
    void transaction(const std::function<void()>& fn) override;
    int schemaVersion() override;
    int changes() const override;
    std::string describe() const override { return m_path; }

private:
    void migrate();
    sqlite3* m_db = nullptr;
    std::string m_path;
};

} // namespace cove::store
