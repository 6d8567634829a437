// The store on a real SQLite file and, when the suite runs on PostgreSQL, on a real PostgreSQL server:
// migrations, transactions, the write lock across connections, errors that say what to do.
#include "service/store/PostgresDatabase.h"
#include "service/store/SandboxRepository.h"
#include "service/store/SqliteDatabase.h"
#include "support/TestDatabase.h"

#include <sqlite3.h>

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <thread>

using Database = cove::store::SqliteDatabase;
using cove::store::PostgresDatabase;
using cove::store::StoreError;
using cove::test::TestDatabase;

#define NEEDS_POSTGRES()                                                                                     \
    if (cove::test::postgresServer().isEmpty())                                                              \
    QSKIP("runs with the postgres label (COVE_TEST_POSTGRES names a server)")
using nlohmann::json;

namespace {
// A migration step's SQLite text.
const char* sqliteOf(const cove::store::Migration& step) {
    return step.sqlite.c_str();
}
} // namespace

class TestStore : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    std::string path(const char* name) {
        return (dir.path() + QLatin1Char('/') + QLatin1String(name)).toStdString();
    }

private slots:
    void migratesToLatest() {
        Database db(path("a.db"));
        QCOMPARE(db.schemaVersion(), int(Database::migrations().size()));
        QVERIFY(db.queryOne("SELECT name FROM sqlite_master WHERE name = 'sandboxes'"));
        QCOMPARE(QString::fromStdString(db.queryOne("PRAGMA journal_mode")->at(0).asText()),
                 QStringLiteral("wal"));
    }
    void reopenKeepsDataAndDoesNotRemigrate() {
        {
            Database db(path("b.db"));
            db.exec("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'O', 1)");
        }
        Database db(path("b.db"));
        QCOMPARE(db.query("SELECT id FROM organizations").size(), std::size_t(1));
    }
    void transactionRollsBackOnThrow() {
        Database db(path("c.db"));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, db.transaction([&] {
            db.exec("INSERT INTO organizations (id, name, created_at) VALUES ('x', 'X', 1)");
            throw std::runtime_error("abort");
        }));
        QVERIFY(!db.queryOne("SELECT 1 FROM organizations WHERE id = 'x'"));
    }
    void liveSandboxNamesAreUnique() {
        Database db(path("d.db"));
        db.exec("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'O', 1)");
        const char* insert =
            "INSERT INTO sandboxes (id, organization_id, name, image, os_user, cpu, memory, disk, "
            "auto_stop_interval, "
            "auto_archive_interval, auto_delete_interval, state, desired_state, created_at, updated_at, "
            "last_activity_at) VALUES (?, 'o', 'same', 'img', 'cove', 1, 1, 3, 15, 10080, -1, ?, 'started', "
            "1, 1, 1)";
        db.exec(insert, {"1", "started"});
        QVERIFY_THROWS_EXCEPTION(StoreError, db.exec(insert, {"2", "started"}));
        db.exec("UPDATE sandboxes SET state = 'destroyed' WHERE id = '1'");
        db.exec(insert, {"2", "started"}); // a destroyed sandbox's name may be reused
    }
    // Each SQL text is prepared once and kept: a call sees only its own parameters (none left bound
    // from the call before), more distinct texts than the cache keeps still answer right (the cache is
    // emptied, not corrupted, when full), and threads sharing the connection each get their own answers.
    void keptStatementsAreReusedSafely() {
        Database db(path("k.db"));
        const auto first = db.queryOne("SELECT ?, ?", {"a", "b"});
        QCOMPARE(QString::fromStdString(first->at(1).asText()), QStringLiteral("b"));
        const auto second = db.queryOne("SELECT ?, ?", {"c"});
        QCOMPARE(QString::fromStdString(second->at(0).asText()), QStringLiteral("c"));
        QVERIFY(second->at(1).isNull());
        for (int i = 0; i < 600; ++i) // more distinct texts than the cache keeps
            QCOMPARE(db.queryOne("SELECT " + std::to_string(i))->at(0).asInt(), std::int64_t(i));
        QCOMPARE(db.queryOne("SELECT 7")->at(0).asInt(), std::int64_t(7));
        std::atomic<int> wrong{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < 500; ++i) {
                    const std::string mine = std::to_string(t) + ":" + std::to_string(i);
                    if (db.queryOne("SELECT ?", {mine})->at(0).asText() != mine)
                        ++wrong;
                }
            });
        for (auto& th : threads)
            th.join();
        QCOMPARE(wrong.load(), 0);
    }
    // A database an older Cove left at schema 5, its sandbox fields in `extra`: it opens at 6 with each
    // field in its typed column, wrongly typed ones dropped, and the network failing closed.
    void migrationSixTypesTheExtras() {
        const std::string file = path("six.db");
        {
            sqlite3* raw = nullptr;
            QCOMPARE(sqlite3_open(file.c_str(), &raw), SQLITE_OK);
            const auto run = [&](const std::string& sql) {
                char* error = nullptr;
                const int rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &error);
                const std::string why = error ? error : "";
                sqlite3_free(error);
                return rc == SQLITE_OK ? std::string() : why + " in: " + sql;
            };
            for (std::size_t i = 0; i < 5; ++i)
                QCOMPARE(run(sqliteOf(Database::migrations()[i])), std::string());
            QCOMPARE(run("PRAGMA user_version = 5"), std::string());
            QCOMPARE(run("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'O', 1)"),
                     std::string());
            const json full = {
                {"ip", "10.208.0.5"},
                {"networkBlockAll", false},
                {"networkAllowList", "1.2.3.0/24"},
                {"domainAllowList", "example.com"},
                {"target", "eu"},
                {"signingKey", "sk"},
                {"previewKey", "pk"},
                {"revokedPreviewTokens", {"t1", "t2"}},
                {"volumes",
                 {{{"volumeId", "v1"}, {"mountPath", "/data"}, {"subpath", "a/b"}, {"readOnly", true}},
                  {{"volumeId", "v2"}, {"mountPath", "/old"}},
                  "not a mount"}},
                {"pooled", true},
                {"containerSpec", {{"image", "cove-base:latest"}}},
                {"archive", {{"bytes", 1000}, {"compressedBytes", 400}}},
                {"buildInfo", {{"dockerfileContent", "FROM x"}}},
            };
            const std::vector<std::pair<std::string, std::string>> rows = {
                {"full", full.dump()},
                {"blockText", R"({"networkBlockAll": "yes", "target": {"x": [1]}, "pooled": 1})"},
                {"allowNumber", R"({"networkAllowList": 5, "ip": 7, "volumes": {"a": 1}})"},
                {"allowOnly", R"({"networkAllowList": "1.2.3.4/32"})"},
                {"garbage", "not json"},
            };
            for (const auto& [id, extra] : rows) {
                std::string quoted;
                for (const char c : extra)
                    quoted += c == '\'' ? std::string("''") : std::string(1, c);
                QCOMPARE(run("INSERT INTO sandboxes (id, organization_id, name, image, os_user, cpu, memory, "
                             "disk, auto_stop_interval, auto_archive_interval, auto_delete_interval, state, "
                             "desired_state, extra, created_at, updated_at, last_activity_at) VALUES ('" +
                             id + "', 'o', '" + id +
                             "', 'img', 'u', 1, 1, 3, 15, 0, -1, 'stopped', 'stopped', '" + quoted +
                             "', 1, 1, 1)"),
                         std::string());
            }
            sqlite3_close(raw);
        }
        Database db(file);
        QCOMPARE(db.schemaVersion(), int(cove::store::Database::migrations().size()));
        cove::store::SandboxRepository repo(db);

        const auto full = repo.get("full");
        QVERIFY(full);
        QCOMPARE(full->ip.value_or(""), std::string("10.208.0.5"));
        QVERIFY(!full->networkBlockAll);
        QCOMPARE(full->networkAllowList.value_or(""), std::string("1.2.3.0/24"));
        QCOMPARE(full->domainAllowList.value_or(""), std::string("example.com"));
        QCOMPARE(full->target.value_or(""), std::string("eu"));
        QCOMPARE(full->signingKey.value_or(""), std::string("sk"));
        QCOMPARE(full->previewKey.value_or(""), std::string("pk"));
        QCOMPARE(full->revokedPreviewTokens, (std::vector<std::string>{"t1", "t2"}));
        QVERIFY(full->pooled);
        QCOMPARE(full->containerSpec.get(), (json{{"image", "cove-base:latest"}}));
        QCOMPARE(full->archiveBytes.value_or(0), std::int64_t(1000));
        QCOMPARE(full->archiveCompressedBytes.value_or(0), std::int64_t(400));
        QCOMPARE(full->buildInfo, (json{{"dockerfileContent", "FROM x"}}));
        // The mounts, in order; the one recorded before mounts were checked keeps no readOnly.
        QCOMPARE(full->volumes,
                 (json{{{"volumeId", "v1"}, {"mountPath", "/data"}, {"subpath", "a/b"}, {"readOnly", true}},
                       {{"volumeId", "v2"}, {"mountPath", "/old"}}}));
        QCOMPARE(repo.liveNamesMountingVolume("o", "v2", 10), std::vector<std::string>{"full"});

        const auto blockText = repo.get("blockText");
        QVERIFY(blockText->networkBlockAll); // fail closed
        QVERIFY(!blockText->target);
        QVERIFY(!blockText->pooled);
        const auto allowNumber = repo.get("allowNumber");
        QVERIFY(allowNumber->networkBlockAll); // fail closed
        QVERIFY(!allowNumber->networkAllowList);
        QVERIFY(!allowNumber->ip);
        QVERIFY(allowNumber->volumes.empty());
        const auto allowOnly = repo.get("allowOnly");
        QVERIFY(!allowOnly->networkBlockAll);
        QCOMPARE(allowOnly->networkAllowList.value_or(""), std::string("1.2.3.4/32"));
        const auto garbage = repo.get("garbage");
        QVERIFY(!garbage->networkBlockAll && !garbage->ip && garbage->volumes.empty() &&
                garbage->containerSpec.is_null() && garbage->revokedPreviewTokens.empty());
    }
    // The container spec is read as text and parsed only when asked for (a list of sandboxes never
    // asks); a record written from one read stores the same text; what is not a JSON object reads null.
    void containerSpecIsParsedWhenAsked() {
        Database db(path("spec.db"));
        db.exec("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'O', 1)");
        cove::store::SandboxRepository repo(db);
        cove::store::SandboxRecord r;
        r.id = "s";
        r.organizationId = "o";
        r.name = "spec";
        r.image = "cove-base:latest";
        r.user = "cove";
        r.state = r.desiredState = cove::store::SandboxState::Started;
        const json spec{{"image", "cove-base:latest"}, {"securityOpt", {"seccomp={\"defaultAction\":1}"}}};
        r.containerSpec = spec;
        repo.insert(r);
        QCOMPARE(repo.get("s")->containerSpec.get(), spec);

        // Stored with spaces, as no dump() writes it: a record that parsed it would give it back compact.
        const std::string spaced = R"({ "image": "cove-base:latest",  "securityOpt": [ "x" ] })";
        db.exec("UPDATE sandboxes SET container_spec = ? WHERE id = 's'", {spaced});
        auto read = repo.get("s");
        QVERIFY(read);
        QCOMPARE(read->containerSpec.text().value_or(""), spaced);
        auto copy = *read;
        copy.id = "t";
        copy.name = "copy";
        repo.insert(copy);
        const auto stored = db.queryOne("SELECT container_spec FROM sandboxes WHERE id = 't'");
        QVERIFY(stored);
        QCOMPARE((*stored)[0].asText(), spaced);
        QCOMPARE(read->containerSpec.get(), (json{{"image", "cove-base:latest"}, {"securityOpt", {"x"}}}));
        QCOMPARE(read->containerSpec.text().value_or(""), json::parse(spaced).dump()); // parsed now
        QCOMPARE(repo.listLive("o").size(), std::size_t(2));

        for (const char* text : {"[1]", "{", "\"text\""}) {
            db.exec("UPDATE sandboxes SET container_spec = ? WHERE id = 's'", {text});
            QVERIFY2(repo.get("s")->containerSpec.is_null(), text);
        }
        db.exec("UPDATE sandboxes SET container_spec = NULL WHERE id = 's'");
        QVERIFY(repo.get("s")->containerSpec.is_null());
        QVERIFY(!repo.get("s")->containerSpec.text());
        const cove::store::LazyJson none = nullptr;
        QVERIFY(none.is_null() && !none.text());
    }

    void refusesNewerSchema() {
        {
            Database db(path("e.db"));
            db.exec("PRAGMA user_version = 999");
        }
        try {
            Database db(path("e.db"));
            QFAIL("opened a database from a newer Cove");
        } catch (const StoreError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("newer Cove")), e.what());
        }
    }
    void unwritableLocationSaysWhatToDo() {
        try {
            Database db("/proc/cove-test/x.db");
            QFAIL("opened a database in /proc");
        } catch (const StoreError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("writable")), e.what());
        }
    }

    // --- PostgreSQL ------------------------------------------------------------------------------------

    void placeholdersAreNumberedOutsideQuotes() {
        QCOMPARE(PostgresDatabase::numberPlaceholders("SELECT ? , '?', \"a?\", 'it''s ?' WHERE x = ?"),
                 std::string("SELECT $1 , '?', \"a?\", 'it''s ?' WHERE x = $2"));
    }
    void urlsAreShownWithoutPassword() {
        QCOMPARE(PostgresDatabase::withoutPassword("postgresql://cove:s3cret@db:5432/cove?sslmode=require"),
                 std::string("postgresql://cove:***@db:5432/cove?sslmode=require"));
        QCOMPARE(PostgresDatabase::withoutPassword("postgresql:///cove?host=/run&password=s3cret&x=1"),
                 std::string("postgresql:///cove?host=/run&password=***&x=1"));
        QCOMPARE(PostgresDatabase::withoutPassword("postgresql://cove@db/cove"),
                 std::string("postgresql://cove@db/cove"));
    }
    void unreachableServerSaysWhatToDo() {
        try {
            PostgresDatabase db("postgresql://cove:s3cret@127.0.0.1:1/cove");
            QFAIL("connected to nothing");
        } catch (const StoreError& e) {
            QVERIFY(e.unavailable());
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("check that the server runs")),
                     e.what());
            QVERIFY2(!QString::fromUtf8(e.what()).contains(QStringLiteral("s3cret")), e.what());
        }
    }
    void postgresMigratesOnceAndKeepsTypes() {
        NEEDS_POSTGRES();
        const TestDatabase where(dir.path());
        {
            const auto db = cove::store::open(where.spec());
            QCOMPARE(db->dialect(), cove::store::Database::Dialect::Postgres);
            QCOMPARE(db->schemaVersion(), int(Database::migrations().size()));
            db->exec("INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)",
                     {"o", "O", std::int64_t{1'800'000'000'000}});
        }
        const auto db = cove::store::open(where.spec()); // reopening does not migrate again
        const auto row = db->queryOne("SELECT id, created_at, tier, created_at > ?, NULL FROM organizations",
                                      {std::int64_t{0}});
        QVERIFY(row);
        QCOMPARE(row->at(0).asText(), std::string("o"));
        QCOMPARE(row->at(1).asInt(), std::int64_t{1'800'000'000'000});
        QCOMPARE(row->at(2).asInt(), std::int64_t{1});
        QCOMPARE(row->at(3).asInt(), std::int64_t{1}); // a boolean comes back as 1, as SQLite's does
        QVERIFY(row->at(4).isNull());
        const auto id =
            db->queryOne("INSERT INTO audit_log (action, created_at) VALUES ('a', 1) RETURNING id");
        QVERIFY(id && id->at(0).asInt() > 0);
    }
    void postgresConstraintsRollbackAndNul() {
        NEEDS_POSTGRES();
        const TestDatabase where(dir.path());
        const auto db = cove::store::open(where.spec());
        db->exec("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'O', 1)");
        try {
            db->exec("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'O', 1)");
            QFAIL("a second row with the same id");
        } catch (const StoreError& e) {
            QCOMPARE(e.kind(), StoreError::Kind::Constraint);
        }
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, db->transaction([&] {
            db->exec("INSERT INTO organizations (id, name, created_at) VALUES ('x', 'X', 1)");
            throw std::runtime_error("abort");
        }));
        QVERIFY(!db->queryOne("SELECT 1 FROM organizations WHERE id = 'x'"));
        // libpq takes C strings: a NUL would cut the value short, so it is refused, not stored cut.
        QVERIFY_THROWS_EXCEPTION(StoreError, db->exec("INSERT INTO organizations (id, name, created_at) "
                                                      "VALUES (?, 'N', 1)",
                                                      {std::string("ab\0cd", 5)}));
        QVERIFY(!db->queryOne("SELECT 1 FROM organizations WHERE id = 'ab'"));
    }
    // Two coveds are two connections: a write transaction in one holds the other's off until the busy
    // timeout, which is then reported as busy (a 503 to the client), and a conditional update has one
    // winner.
    void postgresWritersQueueAcrossConnections() {
        NEEDS_POSTGRES();
        const TestDatabase where(dir.path());
        const auto a = cove::store::open(where.spec());
        const auto b = cove::store::open(where.spec());
        a->exec("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'O', 1)");
        bool busy = false;
        a->transaction([&] {
            try {
                b->transaction([&] { b->exec("UPDATE organizations SET name = 'B'"); });
            } catch (const StoreError& e) {
                busy = e.busy();
            }
            a->exec("UPDATE organizations SET name = 'A'");
        });
        QVERIFY(busy);
        QCOMPARE(b->queryOne("SELECT name FROM organizations")->at(0).asText(), std::string("A"));
        a->exec("UPDATE organizations SET tier = 2 WHERE id = 'o' AND tier = 1");
        QCOMPARE(a->changes(), 1);
        b->exec("UPDATE organizations SET tier = 2 WHERE id = 'o' AND tier = 1");
        QCOMPARE(b->changes(), 0);
    }
    void postgresRefusesNewerSchema() {
        NEEDS_POSTGRES();
        const TestDatabase where(dir.path());
        cove::store::open(where.spec())->exec("UPDATE cove_schema SET version = 999");
        try {
            cove::store::open(where.spec());
            QFAIL("opened a database from a newer Cove");
        } catch (const StoreError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("newer Cove")), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestStore)
#include "tst_store.moc"
