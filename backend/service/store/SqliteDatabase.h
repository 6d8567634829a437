// The embedded store: one SQLite file in WAL mode, Cove's default.
#pragma once

#include "service/store/Store.h"

#include <mutex>
#include <string>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

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
    static constexpr std::size_t kMaxCachedStatements = 256;
    void migrate();
    sqlite3_stmt* statement(const std::string& sql);
    void finalizeStatements();
    sqlite3* m_db = nullptr;
    std::string m_path;
    // Held for every call on the connection, which is opened without SQLite's own per-call mutex
    // (SQLITE_OPEN_NOMUTEX): a query holds it from binding to its last column anyway, and SQLite's
    // mutex, taken again for every column read, cost a tenth of a long list.
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, sqlite3_stmt*> m_statements; // by SQL text
};

} // namespace cove::store
