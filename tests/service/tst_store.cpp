// The SQLite store on a real file: migrations, transactions, refusal of a newer schema.
#include "service/store/Store.h"

#include <QTemporaryDir>
#include <QtTest>

using cove::store::Database;
using cove::store::StoreError;

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
};

QTEST_APPLESS_MAIN(TestStore)
#include "tst_store.moc"
