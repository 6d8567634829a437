// The source of truth: one database holding sandboxes, snapshots, volumes, keys and the audit log.
// `Database` is the interface; SQLite (embedded, the default) and PostgreSQL (shared by several coveds)
// implement it. Statements are written once, in the SQL both understand (see docs/architecture.md,
// "Store"); schema changes are numbered migrations applied in order at open.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cove::store {

// How long a write waits for another holder of the database's lock (sqlite3 at a prompt, a backup tool,
// another coved's transaction) before the request is answered 503. The io thread waits with it, so this
// stays short.
inline constexpr std::chrono::milliseconds kBusyTimeout{1500};

class StoreError : public std::runtime_error {
public:
    enum class Kind {
        Other,
        Busy,        // another connection held the lock past the busy timeout: may succeed later
        Full,        // the filesystem holding the database is full
        Constraint,  // a uniqueness or reference rule refused the write
        Unavailable, // the database server cannot be reached
    };
    explicit StoreError(const std::string& what, Kind kind = Kind::Other)
        : std::runtime_error(what)
        , m_kind(kind) {}
    Kind kind() const { return m_kind; }
    bool busy() const { return m_kind == Kind::Busy; }
    bool full() const { return m_kind == Kind::Full; }
    bool unavailable() const { return m_kind == Kind::Unavailable; }

private:
    Kind m_kind;
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

// One schema step in each dialect. Steps 1 to 5 were written for SQLite; PostgreSQL runs them with its
// integer type (Migrations.cpp, postgresOf). From 6 on every step has both texts.
struct Migration {
    std::string sqlite;
    std::string postgres;
};

class Database {
public:
    enum class Dialect { Sqlite, Postgres };

    virtual ~Database() = default;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    virtual Dialect dialect() const = 0;
    // Parameters are `?`, bound in order. Throws StoreError.
    void exec(const std::string& sql, const std::vector<Value>& params = {}) { query(sql, params); }
    virtual std::vector<Row> query(const std::string& sql, const std::vector<Value>& params = {}) = 0;
    std::optional<Row> queryOne(const std::string& sql, const std::vector<Value>& params = {});
    // Runs fn as one transaction that holds the database's write lock from its first statement (so a
    // count-then-insert cannot interleave with another writer, in this process or another coved); commits,
    // or rolls back and rethrows if fn throws.
    virtual void transaction(const std::function<void()>& fn) = 0;
    virtual int schemaVersion() = 0;
    // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
    virtual int changes() const = 0;
    // Where the data lives, for messages: a file path, or a PostgreSQL URL without its password.
    virtual std::string describe() const = 0;

    // The migrations, index i bringing the schema from version i to i+1. Exposed for tests.
    static const std::vector<Migration>& migrations();

protected:
    Database() = default;
};

// Opens (creating if needed) and migrates the database `spec` names: a `postgresql://` or `postgres://`
// URL, or else the path of an SQLite file. Throws StoreError with a sentence a user can act on.
std::unique_ptr<Database> open(const std::string& spec);

// True when spec names a PostgreSQL database.
bool isPostgresUrl(const std::string& spec);

} // namespace cove::store
