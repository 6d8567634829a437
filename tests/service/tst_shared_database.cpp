// Several coveds on one PostgreSQL database and one data directory (as on a shared disk): each serves
// what the others made, and a state change has exactly one winner however the requests race. Runs with
// the postgres label only.
#include "service/store/Store.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"
#include "support/TestDatabase.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QtTest>

using namespace cove::test;

class TestSharedDatabase : public QObject {
    Q_OBJECT
    CovedProcess a, b;
    std::unique_ptr<Sandboxes> sandboxes;
    QNetworkAccessManager nam;
    QString id;

    Reply callB(const QByteArray& method, const QString& path) {
        return request(method, b.url() + path, a.adminKey());
    }

    // Sends `action` for the sandbox to both coveds while the test holds the database's write lock, lets
    // go only once both are queued behind it, and returns the two statuses, lowest first.
    QList<int> race(const QString& action) {
        const auto db = cove::store::open(a.database().toStdString());
        QList<QNetworkReply*> replies;
        db->transaction([&] {
            for (CovedProcess* c : {&a, &b}) {
                QNetworkRequest req(
                    QUrl(c->apiUrl() + QStringLiteral("/sandbox/") + id + QLatin1Char('/') + action));
                req.setRawHeader("Authorization", "Bearer " + a.adminKey().toUtf8());
                replies << nam.post(req, QByteArray());
            }
            QDeadlineTimer deadline(1000); // well inside the waiters' own lock timeout
            while (!deadline.hasExpired() &&
                   db->queryOne("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
                           ->at(0)
                           .asInt() < 2)
                QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        });
        QDeadlineTimer done(120000);
        while (!done.hasExpired() && !(replies[0]->isFinished() && replies[1]->isFinished()))
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QList<int> statuses;
        for (QNetworkReply* r : replies) {
            statuses << r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            r->deleteLater();
        }
        std::sort(statuses.begin(), statuses.end());
        return statuses;
    }

private slots:
    void initTestCase() {
        if (postgresServer().isEmpty())
            QSKIP("runs with the postgres label (COVE_TEST_POSTGRES names a server)");
        QVERIFY2(a.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}), qPrintable(a.error()));
        b.useDatabase(a.database());
        QVERIFY2(b.start({QStringLiteral("--warm-pool"), QStringLiteral("0"), QStringLiteral("--data-dir"),
                          a.dataDir()}),
                 qPrintable(b.error()));
        sandboxes = std::make_unique<Sandboxes>(a);
    }
    void cleanupTestCase() { sandboxes.reset(); }

    void eachServesWhatTheOtherMade() {
        id = sandboxes->create(R"({"autoStopInterval":0})");
        QVERIFY(!id.isEmpty());
        const Reply r = callB("GET", QStringLiteral("/api/sandbox/") + id);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("state")).toString(), QStringLiteral("started"));
        // And runs its toolbox: the agent's socket is in the shared data directory.
        const Reply exec =
            request("POST", b.url() + QStringLiteral("/toolbox/") + id + QStringLiteral("/process/execute"),
                    a.adminKey(), R"({"command":"echo shared"})");
        QCOMPARE(exec.status, 200);
        QCOMPARE(exec.object().value(QStringLiteral("result")).toString().trimmed(),
                 QStringLiteral("shared"));
    }

    void racingStopsAndStartsHaveOneWinner() {
        QVERIFY(!id.isEmpty());
        for (int round = 0; round < 3; ++round) {
            QCOMPARE(race(QStringLiteral("stop")), (QList<int>{200, 409}));
            QTRY_COMPARE_WITH_TIMEOUT(sandboxes->state(id), QStringLiteral("stopped"), 60000);
            QCOMPARE(race(QStringLiteral("start")), (QList<int>{200, 409}));
            QTRY_COMPARE_WITH_TIMEOUT(sandboxes->state(id), QStringLiteral("started"), 60000);
        }
        // One audited start and stop per round, whichever coved won it.
        const auto audit =
            callB("GET", QStringLiteral("/api/audit?targetId=") + id + QStringLiteral("&limit=100")).object();
        int starts = 0, stops = 0;
        for (const auto& v : audit.value(QStringLiteral("items")).toArray()) {
            const auto e = v.toObject();
            if (e.value(QStringLiteral("statusCode")).toInt() != 200)
                continue;
            starts += e.value(QStringLiteral("action")).toString() == QStringLiteral("start");
            stops += e.value(QStringLiteral("action")).toString() == QStringLiteral("stop");
        }
        QCOMPARE(starts, 3);
        QCOMPARE(stops, 3);
    }
};

QTEST_GUILESS_MAIN(TestSharedDatabase)
#include "tst_shared_database.moc"
