// SQLite access with prepared statements, transactions and numbered migrations.
#include "service/store/SqliteDatabase.h"

#include <sqlite3.h>

namespace cove::store {

namespace {

// A cached statement in use: reset and unbound when the query ends, however it ends, so it holds no
// read transaction open and keeps no parameter's text.
struct InUse {
    sqlite3_stmt* stmt;
    ~InUse() {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
    }
};

StoreError::Kind kindOf(int code) {
    switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return StoreError::Kind::Busy;
    case SQLITE_FULL:
        return StoreError::Kind::Full;
    case SQLITE_CONSTRAINT:
        return StoreError::Kind::Constraint;
    default:
        return StoreError::Kind::Other;
    }
}

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
    throw StoreError(what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"),
                     kindOf(db ? sqlite3_extended_errcode(db) & 0xff : SQLITE_NOMEM));
}

void bind(sqlite3* db, const std::vector<Value>& params, sqlite3_stmt* stmt) {
    for (std::size_t i = 0; i < params.size(); ++i) {
        const int idx = static_cast<int>(i + 1);
        const Value& v = params[i];
        int rc = SQLITE_OK;
        switch (v.type) {
        case Value::Type::Null:
            rc = sqlite3_bind_null(stmt, idx);
            break;
        case Value::Type::Int:
            rc = sqlite3_bind_int64(stmt, idx, v.i);
            break;
        case Value::Type::Real:
            rc = sqlite3_bind_double(stmt, idx, v.r);
            break;
        case Value::Type::Text:
            rc = sqlite3_bind_text(stmt, idx, v.s.data(), static_cast<int>(v.s.size()), SQLITE_TRANSIENT);
            break;
        }
        if (rc != SQLITE_OK)
            fail(db, "cannot bind parameter");
    }
}

Value column(sqlite3_stmt* st, int i) {
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        return Value(static_cast<std::int64_t>(sqlite3_column_int64(st, i)));
    case SQLITE_FLOAT:
        return Value(sqlite3_column_double(st, i));
    case SQLITE_NULL:
        return Value();
    default: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
        return Value(std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(st, i))));
    }
    }
}

} // namespace

SqliteDatabase::SqliteDatabase(const std::string& path)
    : m_path(path) {
    if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
        const std::string msg = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        sqlite3_close(m_db);
        m_db = nullptr;
        throw StoreError("cannot open the database " + path + " (" + msg +
                         "); check that the data directory is writable by this user");
    }
    sqlite3_busy_timeout(m_db, static_cast<int>(kBusyTimeout.count()));
    try {
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=NORMAL");
        exec("PRAGMA foreign_keys=ON");
        migrate();
    } catch (...) {
        finalizeStatements();
        sqlite3_close(m_db);
        m_db = nullptr;
        throw;
    }
}

SqliteDatabase::~SqliteDatabase() {
    finalizeStatements();
    sqlite3_close(m_db);
}

sqlite3_stmt* SqliteDatabase::statement(const std::string& sql) {
    if (const auto it = m_statements.find(sql); it != m_statements.end())
        return it->second;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(m_db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                           nullptr) != SQLITE_OK)
        fail(m_db, "SQL error in \"" + sql + "\"");
    // The store's statements are a few dozen fixed texts; a text built per call (a list of ids, say)
    // must not grow the cache without end.
    if (m_statements.size() >= kMaxCachedStatements)
        finalizeStatements();
    m_statements.emplace(sql, stmt);
    return stmt;
}

void SqliteDatabase::finalizeStatements() {
    for (auto& [sql, stmt] : m_statements)
        sqlite3_finalize(stmt);
    m_statements.clear();
}

std::vector<Row> SqliteDatabase::query(const std::string& sql, const std::vector<Value>& params) {
    // Parsing and planning a statement cost more than running most of the store's: each text is
    // prepared once and kept. One query at a time uses them (the connection is shared by threads).
    const std::lock_guard lock(m_mutex);
    const InUse st{statement(sql)};
    bind(m_db, params, st.stmt);
    std::vector<Row> rows;
    for (;;) {
        const int rc = sqlite3_step(st.stmt);
        if (rc == SQLITE_DONE)
            return rows;
        if (rc != SQLITE_ROW)
            fail(m_db, "query failed");
        Row row;
        const int n = sqlite3_column_count(st.stmt);
        row.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i)
            row.push_back(column(st.stmt, i));
        rows.push_back(std::move(row));
    }
}

void SqliteDatabase::transaction(const std::function<void()>& fn) {
    exec("BEGIN IMMEDIATE");
    try {
        fn();
        exec("COMMIT");
    } catch (...) {
        const std::lock_guard lock(m_mutex);
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

int SqliteDatabase::schemaVersion() {
    return static_cast<int>(queryOne("PRAGMA user_version")->at(0).asInt());
}

int SqliteDatabase::changes() const {
    const std::lock_guard lock(m_mutex);
    return sqlite3_changes(m_db);
}

void SqliteDatabase::migrate() {
    const auto& steps = migrations();
    const int current = schemaVersion();
    if (current > static_cast<int>(steps.size()))
        throw StoreError("the database " + m_path + " was written by a newer Cove (schema " +
                         std::to_string(current) + "); upgrade Cove or use another data directory");
    for (int v = current; v < static_cast<int>(steps.size()); ++v) {
        transaction([&] {
            {
                const std::lock_guard lock(m_mutex);
                if (sqlite3_exec(m_db, steps[static_cast<std::size_t>(v)].sqlite.c_str(), nullptr, nullptr,
                                 nullptr) != SQLITE_OK)
                    fail(m_db, "migration " + std::to_string(v + 1) + " failed");
            }
            exec("PRAGMA user_version = " + std::to_string(v + 1));
        });
    }
}

} // namespace cove::store
