// Which database a test's store lives in. By default an SQLite file; when the suite runs on PostgreSQL
// (COVE_TEST_POSTGRES names a server, as the `postgres` ctest label's runs set it), a new database there
// for each store, dropped again when its owner ends.
#pragma once

#include <QString>

namespace cove::test {

// The server's URL for maintenance connections (its `postgres` database), or empty: SQLite.
QString postgresServer();

// A new, empty database on that server (named cove_t_<16 hex>), as a URL coved and store::open take.
// Fails the calling test's expectations loudly: returns empty with *error set.
QString createPostgresDatabase(QString* error = nullptr);
void dropPostgresDatabase(const QString& url);

// A fresh store for a test: `dir`/name as an SQLite file, or a new PostgreSQL database. Owns what it
// made: the PostgreSQL database is dropped with it.
class TestDatabase {
public:
    explicit TestDatabase(const QString& dir, const QString& name = QStringLiteral("t.db"));
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;
    // What store::open takes.
    std::string spec() const { return m_spec.toStdString(); }
    bool isPostgres() const { return m_postgres; }

private:
    QString m_spec;
    bool m_postgres = false;
};

} // namespace cove::test
