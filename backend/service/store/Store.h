// The source of truth: one SQLite database (WAL) holding sandboxes, snapshots, keys and the audit log.
// Schema changes are numbered migrations applied in order at open.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cove::store {

// How long a write waits for another program holding the database's lock (sqlite3 at a prompt, a backup
// tool) before the request is answered 503. The io thread waits with it, so this stays short.
inline constexpr std::chrono::milliseconds kBusyTimeout{1500};

class StoreError : public std::runtime_error {
public:
    explicit StoreError(const std::string& what, int code = SQLITE_ERROR)
        : std::runtime_error(what)
        , m_code(code) {}
    // Another connection holds the lock past the busy timeout: the same request may succeed later.
    bool busy() const { return m_code == SQLITE_BUSY || m_code == SQLITE_LOCKED; }
    // The filesystem holding the database is full.
    bool full() const { return m_code == SQLITE_FULL; }

private:
    int m_code; // SQLite's primary result code
};

// A value bound to a statement parameter or read from a column.
struct Value {
    enum class Type { Null, Int, Real, Text } type = Type::Null;
    std::int64_t i = 0;
    double r = 0;
    std::string s;

    Value() = default;
    Value(std::nullptr_t) {}
    Value(int v)
        : type(Type::Int)
        , i(v) {}
    Value(std::int64_t v)
        : type(Type::Int)
        , i(v) {}
    Value(bool v)
        : type(Type::Int)
        , i(v ? 1 : 0) {}
    Value(double v)
        : type(Type::Real)
        , r(v) {}
    Value(std::string v)
        : type(Type::Text)
        , s(std::move(v)) {}
    Value(const char* v)
        : type(Type::Text)
        , s(v) {}
    Value(std::optional<std::string> v) {
        if (v) {
            type = Type::Text;
            s = std::move(*v);
        }
    }

    bool isNull() const { return type == Type::Null; }
    std::int64_t asInt() const { return type == Type::Real ? static_cast<std::int64_t>(r) : i; }
    double asReal() const { return type == Type::Int ? static_cast<double>(i) : r; }
    const std::string& asText() const { return s; }
};

using Row = std::vector<Value>;

class Database {
public:
    // Opens (creating if needed) and migrates. Throws StoreError with a sentence a user can act on.
    explicit Database(const std::string& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(const std::string& sql, const std::vector<Value>& params = {});
    std::vector<Row> query(const std::string& sql, const std::vector<Value>& params = {});
    std::optional<Row> queryOne(const std::string& sql, const std::vector<Value>& params = {});
    // Runs fn inside BEGIN IMMEDIATE … COMMIT; rolls back and rethrows if fn throws.
    void transaction(const std::function<void()>& fn);
    int schemaVersion();
    int changes() const;
    std::int64_t lastInsertId() const;

    // The migrations, index i bringing the schema from version i to i+1. Exposed for tests.
    static const std::vector<std::string>& migrations();

private:
    void migrate();
    sqlite3* m_db = nullptr;
    std::string m_path;
};

} // namespace cove::store
