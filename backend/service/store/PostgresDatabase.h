// The shared store: a PostgreSQL database several coveds may use at once. One connection per coved,
// guarded by a mutex; a transaction takes a transaction-scoped advisory lock first, so writers queue as
// they do on SQLite, across processes too.
#pragma once

#include "service/store/Store.h"

#include <mutex>

struct pg_conn;

namespace cove::store {

class PostgresDatabase final : public Database {
public:
    // url: postgresql://[user[:password]@][host][:port]/dbname[?param=value…], as libpq reads it.
    explicit PostgresDatabase(const std::string& url);
    ~PostgresDatabase() override;

    Dialect dialect() const override { return Dialect::Postgres; }
    std::vector<Row> query(const std::string& sql, const std::vector<Value>& params = {}) override;
    void transaction(const std::function<void()>& fn) override;
    int schemaVersion() override;
    int changes() const override;
    std::string describe() const override { return m_shownUrl; }

    // `?` placeholders become `$1…$n`; a `?` inside a string literal or quoted name stays. For tests.
    static std::string numberPlaceholders(const std::string& sql);
    // The URL with any password replaced by `***`. For messages and tests.
    static std::string withoutPassword(const std::string& url);

private:
    void connect();
    void migrate();
    std::vector<Row> run(const std::string& sql, const std::vector<Value>& params);
    void runScript(const std::string& sql);

    pg_conn* m_conn = nullptr;
    std::string m_url, m_shownUrl;
    mutable std::recursive_mutex m_mutex;
    int m_depth = 0; // transactions open on this connection (0 or 1)
    int m_changes = 0;
};

} // namespace cove::store
