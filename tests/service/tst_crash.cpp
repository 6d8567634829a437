// coved killed with SIGKILL in the middle of create, start, stop and delete, again and again: after each
// restart no container is orphaned, no sandbox is lost, and every sandbox is in a consistent state.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QtTest>

using cove::test::CovedProcess;
using cove::test::Sandboxes;

class TestCrash : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};
    // A pool of one: each start after a kill makes it afresh, and what the killed coved's pool left must go.
    static constexpr int kWarmPool = 1;
    bool startCoved() { return coved.start({QStringLiteral("--warm-pool"), QString::number(kWarmPool)}); }

    QMap<QString, QJsonObject> liveSandboxes() {
        QMap<QString, QJsonObject> out;
        const auto r = sb.call("GET", QStringLiteral("/api/sandbox?limit=1000"));
        for (const auto& v : r.object().value(QStringLiteral("items")).toArray())
            out.insert(v.toObject().value(QStringLiteral("id")).toString(), v.toObject());
        return out;
    }

    // Everything the store says agrees with what Docker runs.
    void verifyConsistent(const QSet<QString>& mustExist, const QString& context) {
        const int listed = sb.call("GET", QStringLiteral("/api/sandbox?limit=1")).status;
        QVERIFY2(listed == 200,
                 qPrintable(context +
                            QStringLiteral(": the list answered %1; coved's log ends:\n").arg(listed) +
                            QString::fromUtf8(coved.log().right(3000))));
        const auto live = liveSandboxes();
        for (const auto& id : mustExist)
            QVERIFY2(live.contains(id), qPrintable(context + ": lost sandbox " + id));
        for (auto it = live.begin(); it != live.end(); ++it) {
            const QString state = it->value(QStringLiteral("state")).toString();
            const QString where = context + ": sandbox " + it.key() + " is " + state;
            QVERIFY2(state == QLatin1String("started") || state == QLatin1String("stopped") ||
                         state == QLatin1String("error"),
                     qPrintable(where));
            const auto c = Sandboxes::container(it.key());
            const bool running =
                c.value(QStringLiteral("State")).toObject().value(QStringLiteral("Running")).toBool();
            if (state == QLatin1String("started")) {
                QVERIFY2(running, qPrintable(where + " but its container is not running"));
                QCOMPARE(sb.call("GET", QStringLiteral("/toolbox/") + it.key() + QStringLiteral("/version"))
                             .status,
                         200);
            } else if (state == QLatin1String("stopped")) {
                QVERIFY2(!c.isEmpty() && !running,
                         qPrintable(where + " but its container is missing or running"));
            } else {
                QVERIFY2(!it->value(QStringLiteral("errorReason")).toString().isEmpty(),
                         qPrintable(where + " with no reason"));
            }
        }
        // Besides the sandboxes' containers only the warm pool (made afresh at each start) may exist.
        int pool = 0;
        for (const auto& line :
             coved.containers(QStringLiteral("{{.Label \"cove.sandbox.id\"}} {{.Label \"cove.pool\"}}"))) {
            const QString id = line.section(QLatin1Char(' '), 0, 0);
            if (!live.contains(id) && line.section(QLatin1Char(' '), 1) == QLatin1String("true"))
                ++pool;
            else
                QVERIFY2(live.contains(id), qPrintable(context + ": orphaned container of sandbox " + id));
        }
        QVERIFY2(pool <= kWarmPool, qPrintable(context + QStringLiteral(": %1 pool containers").arg(pool)));
    }

private slots:
    void initTestCase() { QVERIFY2(startCoved(), qPrintable(coved.error())); }

    void killDuringEveryOperation() {
        // Kill points spread over each operation's life: from "request just sent" to "nearly done".
        const int rounds = 16;
        QNetworkAccessManager net;
        for (int round = 0; round < rounds; ++round) {
            const char* ops[] = {"create", "start", "stop", "delete"};
            const QString op = QLatin1String(ops[round % 4]);
            QString target;
            if (op != QLatin1String("create")) {
                target = sb.create();
                QVERIFY(!target.isEmpty());
                if (op == QLatin1String("start"))
                    QCOMPARE(
                        sb.call("POST", QStringLiteral("/api/sandbox/") + target + QStringLiteral("/stop"))
                            .status,
                        200);
            }
            QSet<QString> mustExist;
            for (const auto& id : liveSandboxes().keys())
                if (id != target || op != QLatin1String("delete"))
                    mustExist.insert(id);

            QNetworkRequest req(
                QUrl(coved.url() + (op == QLatin1String("create") ? QStringLiteral("/api/sandbox")
                                    : op == QLatin1String("delete")
                                        ? QStringLiteral("/api/sandbox/") + target
                                        : QStringLiteral("/api/sandbox/") + target + QLatin1Char('/') + op)));
            req.setRawHeader("Authorization", "Bearer " + coved.adminKey().toUtf8());
            req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
            QNetworkReply* reply =
                net.sendCustomRequest(req, op == QLatin1String("delete") ? "DELETE" : "POST", "{}");
            // Fault injection, not synchronisation: the kill lands at a different point of each operation.
            QTest::qWait((round * 53) % 450);
            coved.kill();
            reply->abort();
            reply->deleteLater();

            QVERIFY2(startCoved(), qPrintable(coved.error()));
            verifyConsistent(mustExist, QStringLiteral("round %1 (%2 killed after %3 ms)")
                                            .arg(round)
                                            .arg(op)
                                            .arg((round * 53) % 450));
            // Keep the machine's load steady: clear out this round's sandboxes.
            for (const auto& id : liveSandboxes().keys())
                sb.call("DELETE", QStringLiteral("/api/sandbox/") + id);
        }
    }

    void cleanupTestCase() {
        for (const auto& id : liveSandboxes().keys())
            sb.call("DELETE", QStringLiteral("/api/sandbox/") + id);
        coved.stop();
        coved.removeInstanceContainers();
    }
};

QTEST_GUILESS_MAIN(TestCrash)
#include "tst_crash.moc"
