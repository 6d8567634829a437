// PostgreSQL through libpq: text-format parameters with declared types, results typed by column type.
#include "service/store/PostgresDatabase.h"

#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace cove::store {

namespace {

// The advisory lock every write transaction takes first: one writer at a time across all coveds, as
// SQLite's BEGIN IMMEDIATE gives one process. 'Cove' in ASCII.
constexpr long long kWriteLock = 0x436f7665;

// How long coved waits for the server to answer a connection before it says the server is down.
constexpr std::chrono::seconds kConnectTimeout{5};

// Type OIDs from PostgreSQL's pg_type.dat (stable across versions).
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kText = 25, kFloat4 = 700,
              kFloat8 = 701, kNumeric = 1700;

StoreError::Kind kindOf(const char* sqlstate) {
    if (!sqlstate)
        return StoreError::Kind::Unavailable; // no answer from the server at all
    const std::string s(sqlstate);
    if (s.rfind("23", 0) == 0)
        return StoreError::Kind::Constraint;
    if (s == "53100")
        return StoreError::Kind::Full;
    if (s == "55P03" || s == "40001" || s == "40P01")
        return StoreError::Kind::Busy;
    if (s.rfind("08", 0) == 0 || s.rfind("57P", 0) == 0)
        return StoreError::Kind::Unavailable;
    return StoreError::Kind::Other;
}

struct Result {
    PGresult* res = nullptr;
    ~Result() { PQclear(res); }
};

std::string message(pg_conn* conn, const PGresult* res) {
    std::string m = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
    while (!m.empty() && (m.back() == '\n' || m.back() == ' '))
        m.pop_back();
    return m;
}

Value column(const PGresult* res, int row, int col) {
    if (PQgetisnull(res, row, col))
        return Value();
    const char* text = PQgetvalue(res, row, col);
    switch (PQftype(res, col)) {
    case kBool:
        return Value(std::int64_t{text[0] == 't' ? 1 : 0});
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid:
        return Value(static_cast<std::int64_t>(std::strtoll(text, nullptr, 10)));
    case kFloat4:
    case kFloat8:
        return Value(std::strtod(text, nullptr));
    case kNumeric: // SUM over BIGINT: whole numbers stay integers
        if (!std::strpbrk(text, ".eE"))
            return Value(static_cast<std::int64_t>(std::strtoll(text, nullptr, 10)));
        return Value(std::strtod(text, nullptr));
    default:
        return Value(std::string(text, static_cast<std::size_t>(PQgetlength(res, row, col))));
    }
}

} // namespace

std::string PostgresDatabase::numberPlaceholders(const std::string& sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    char quote = 0;
    int n = 0;
    for (const char c : sql) {
        if (quote) {
            if (c == quote)
                quote = 0; // a doubled quote closes and reopens: same result
            out += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            out += c;
        } else if (c == '?') {
            out += '$' + std::to_string(++n);
        } else {
            out += c;
        }
    }
    return out;
}

std::string PostgresDatabase::withoutPassword(const std::string& url) {
    std::string out = url;
    const auto scheme = out.find("://");
    if (scheme != std::string::npos) {
        const auto authorityEnd = out.find_first_of("/?", scheme + 3);
        const auto at = out.rfind('@', authorityEnd == std::string::npos ? out.size() : authorityEnd);
        if (at != std::string::npos && at > scheme) {
            const auto colon = out.find(':', scheme + 3);
            if (colon != std::string::npos && colon < at)
                out.replace(colon + 1, at - colon - 1, "***");
        }
    }
    for (std::size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
        const auto end = out.find('&', p);
        out.replace(p + 9, (end == std::string::npos ? out.size() : end) - p - 9, "***");
    }
    return out;
}

PostgresDatabase::PostgresDatabase(const std::string& url)
    : m_url(url)
    , m_shownUrl(withoutPassword(url)) {
    connect();
    try {
        migrate();
    } catch (...) {
        PQfinish(m_conn);
        m_conn = nullptr;
        throw;
    }
}

PostgresDatabase::~PostgresDatabase() {
    PQfinish(m_conn);
}

void PostgresDatabase::connect() {
    const std::string timeout = std::to_string(kConnectTimeout.count());
    const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {timeout.c_str(), "coved", m_url.c_str(), nullptr};
    if (m_conn)
        PQfinish(m_conn);
    m_conn = PQconnectdbParams(keys, values, 1);
    if (!m_conn || PQstatus(m_conn) != CONNECTION_OK)
        throw StoreError("cannot connect to the PostgreSQL database " + m_shownUrl + " (" +
                             message(m_conn, nullptr) +
                             "); check that the server runs and that the URL's host, user, password and "
                             "database are right",
                         StoreError::Kind::Unavailable);
    // A write waiting on another coved's lock gives up as an SQLite write does, and says "busy".
    runScript("SET lock_timeout = '" + std::to_string(kBusyTimeout.count()) +
              "ms'; SET client_min_messages = warning");
}

void PostgresDatabase::runScript(const std::string& sql) {
    Result r{PQexec(m_conn, sql.c_str())};
    const auto status = r.res ? PQresultStatus(r.res) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        throw StoreError("PostgreSQL refused \"" + sql.substr(0, 120) + "\": " + message(m_conn, r.res),
                         kindOf(r.res ? PQresultErrorField(r.res, PG_DIAG_SQLSTATE) : nullptr));
}

std::vector<Row> PostgresDatabase::query(const std::string& sql, const std::vector<Value>& params) {
    std::lock_guard lock(m_mutex);
    // A connection lost between requests (the server restarted) is made again; one lost inside a
    // transaction is not, since what the transaction did so far is gone.
    if (m_depth == 0 && PQstatus(m_conn) != CONNECTION_OK) {
        PQreset(m_conn);
        if (PQstatus(m_conn) != CONNECTION_OK)
            throw StoreError("lost the PostgreSQL database " + m_shownUrl + " (" + message(m_conn, nullptr) +
                                 "); check that its server runs",
                             StoreError::Kind::Unavailable);
        runScript("SET lock_timeout = '" + std::to_string(kBusyTimeout.count()) + "ms'");
    }
    return run(sql, params);
}

std::vector<Row> PostgresDatabase::run(const std::string& sql, const std::vector<Value>& params) {
    std::vector<Oid> types(params.size());
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Value& v = params[i];
        switch (v.type) {
        case Value::Type::Null:
            types[i] = 0;
            values[i] = nullptr;
            continue;
        case Value::Type::Int:
            types[i] = kInt8;
            texts[i] = std::to_string(v.i);
            break;
        case Value::Type::Real: {
            types[i] = kFloat8;
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.17g", v.r);
            texts[i] = buf;
            break;
        }
        case Value::Type::Text:
            // libpq passes C strings: a NUL would silently cut the value short, so refuse it.
            if (v.s.find('\0') != std::string::npos)
                throw StoreError("a text value holds a NUL byte, which PostgreSQL cannot store",
                                 StoreError::Kind::Constraint);
            types[i] = kText;
            texts[i] = v.s;
            break;
        }
        values[i] = texts[i].c_str();
    }
    const std::string numbered = numberPlaceholders(sql);
    Result r{PQexecParams(m_conn, numbered.c_str(), static_cast<int>(params.size()), types.data(),
                          values.data(), nullptr, nullptr, 0)};
    const auto status = r.res ? PQresultStatus(r.res) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        throw StoreError("SQL error in \"" + sql + "\": " + message(m_conn, r.res),
                         kindOf(r.res ? PQresultErrorField(r.res, PG_DIAG_SQLSTATE) : nullptr));
    m_changes = std::atoi(PQcmdTuples(r.res));
    std::vector<Row> rows;
    const int n = PQntuples(r.res), cols = PQnfields(r.res);
    rows.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        Row row;
        row.reserve(static_cast<std::size_t>(cols));
        for (int c = 0; c < cols; ++c)
            row.push_back(column(r.res, i, c));
        rows.push_back(std::move(row));
    }
    return rows;
}

void PostgresDatabase::transaction(const std::function<void()>& fn) {
    std::lock_guard lock(m_mutex);
    if (m_depth > 0)
        throw StoreError("cannot start a transaction within a transaction");
    query("BEGIN");
    ++m_depth;
    try {
        run("SELECT pg_advisory_xact_lock(?)", {static_cast<std::int64_t>(kWriteLock)});
        fn();
        run("COMMIT", {});
        --m_depth;
    } catch (...) {
        --m_depth;
        Result r{PQexec(m_conn, "ROLLBACK")};
        throw;
    }
}

int PostgresDatabase::schemaVersion() {
    const auto rows = query("SELECT version FROM cove_schema");
    return rows.empty() ? 0 : static_cast<int>(rows.front().at(0).asInt());
}

int PostgresDatabase::changes() const {
    std::lock_guard lock(m_mutex);
    return m_changes;
}

void PostgresDatabase::migrate() {
    const auto& steps = migrations();
    // Under the write lock, so coveds starting together on a new database migrate it once.
    transaction([&] {
        runScript("CREATE TABLE IF NOT EXISTS cove_schema (version BIGINT NOT NULL)");
        auto rows = run("SELECT version FROM cove_schema", {});
        if (rows.empty())
            run("INSERT INTO cove_schema (version) VALUES (0)", {});
        const int current = rows.empty() ? 0 : static_cast<int>(rows.front().at(0).asInt());
        if (current > static_cast<int>(steps.size()))
            throw StoreError("the database " + m_shownUrl + " was written by a newer Cove (schema " +
                             std::to_string(current) + "); upgrade Cove or use another database");
        for (int v = current; v < static_cast<int>(steps.size()); ++v) {
            const std::string& step = steps[static_cast<std::size_t>(v)].postgres;
            if (!step.empty())
                runScript(step);
        }
        run("UPDATE cove_schema SET version = ?", {static_cast<std::int64_t>(steps.size())});
    });
}

} // namespace cove::store
