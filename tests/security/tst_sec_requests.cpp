// Requests meant to jam coved: create bodies with wrong types, oversize fields and deep nesting, a stored
// row another version wrote badly, and iptables refusing to put a sandbox's rules back. Each must end in
// a clear error with nothing stored, and coved (and its background work) going on — failing closed where
// the network is concerned.
#include "service/store/Store.h"
#include "support/CovedProcess.h"
#include "support/HealthProbe.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using cove::test::CovedProcess;
using cove::test::Reply;
using cove::test::request;
using cove::test::run;

class TestSecRequests : public QObject {
    Q_OBJECT
    CovedProcess coved;
    std::unique_ptr<cove::test::Sandboxes> sandboxes;

    Reply api(const QByteArray& method, const QString& path, const QByteArray& body = {}) {
        return sandboxes->call(method, path, body);
    }
    int snapshotCount() {
        return api("GET", QStringLiteral("/api/snapshots")).object().value(QStringLiteral("total")).toInt(-1);
    }
    static QByteArray deep(int levels) { return QByteArray(levels, '[') + QByteArray(levels, ']'); }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        sandboxes = std::make_unique<cove::test::Sandboxes>(coved);
    }

    void createRefusesBadFieldsBeforeStoringAnything() {
        const int containers = int(coved.containers().size()), snapshots = snapshotCount();
        QVERIFY(snapshots >= 0);
        QJsonObject manyEnv;
        for (int i = 0; i < 300; ++i)
            manyEnv.insert(QStringLiteral("V%1").arg(i), QStringLiteral("x"));
        const QByteArray big(40 << 10, 'x');
        const QList<QByteArray> bodies{
            R"({"target":123})",
            R"({"target":{"region":"eu"}})",
            R"({"target":"eu\u0000"})",
            R"({"domainAllowList":["example.com"]})",
            R"({"domainAllowList":"example.com\nevil"})",
            "{\"networkAllowList\":\"" + QByteArray(9000, '1') + "\"}",
            "{\"env\":" + QJsonDocument(manyEnv).toJson(QJsonDocument::Compact) + "}",
            "{\"labels\":{\"k\":\"" + big + "\"}}",
            "{\"snapshot\":\"" + QByteArray(300, 's') + "\"}",
            R"({"user":123})",
            R"({"volumes":"data"})",
            // A valid build with a bad field beside it starts no build.
            "{\"buildInfo\":{\"dockerfileContent\":\"FROM cove-base:latest\\nRUN echo sec-" +
                QByteArray::number(QDateTime::currentMSecsSinceEpoch()) + "\"},\"cpu\":\"many\"}",
            R"({"buildInfo":{"dockerfileContent":"FROM cove-base:latest\nRUN echo sec2"},"target":7})",
            "{\"labels\":" + deep(200000) + "}",
        };
        for (const QByteArray& body : bodies) {
            const Reply r = api("POST", QStringLiteral("/api/sandbox"), body);
            QVERIFY2(r.status == 400,
                     (body.left(120) + " -> " + QByteArray::number(r.status) + " " + r.body).constData());
            QVERIFY(!r.message().isEmpty());
            QCOMPARE(api("GET", QStringLiteral("/api/sandbox")).status, 200);
        }
        QVERIFY(api("POST", QStringLiteral("/api/sandbox"), deep(200000))
                    .message()
                    .contains(QStringLiteral("nests")));
        QCOMPARE(int(coved.containers().size()), containers);
        QCOMPARE(snapshotCount(), snapshots);
    }

    void theAgentRefusesDeepBodies() {
        const QString id = sandboxes->create();
        QVERIFY(!id.isEmpty());
        const QString base = QStringLiteral("/toolbox/") + id;
        const Reply r =
            api("POST", base + QStringLiteral("/process/execute"), "{\"command\":" + deep(200000) + "}");
        QCOMPARE(r.status, 400);
        QCOMPARE(api("GET", base + QStringLiteral("/version")).status, 200);
    }

    // A row written badly (by hand, or by an older version) neither breaks listing for everyone nor stops
    // the background work: a container stopped behind coved's back is still put right.
    void aBadStoredRowBreaksNothing() {
        const QString id = sandboxes->create();
        QVERIFY(!id.isEmpty());
        coved.stop();
        {
            const auto store = cove::store::open(coved.database().toStdString());
            auto& db = *store;
            db.exec("UPDATE sandboxes SET env = 'not json', labels = '[1]', container_spec = '{', "
                    "revoked_preview_tokens = '{\"x\":[1]}', build_info = '7' WHERE id = ?",
                    {id.toStdString()});
        }
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        const Reply list = api("GET", QStringLiteral("/api/sandbox"));
        QCOMPARE(list.status, 200);
        QCOMPARE(api("GET", QStringLiteral("/api/sandbox/") + id)
                     .object()
                     .value(QStringLiteral("target"))
                     .toString(),
                 QStringLiteral("local"));
        QCOMPARE(run(QStringLiteral("docker"), {QStringLiteral("stop"), QStringLiteral("-t"),
                                                QStringLiteral("0"), QStringLiteral("cove-") + id})
                     .exitCode,
                 0);
        QTRY_VERIFY_WITH_TIMEOUT(cove::test::Sandboxes::container(id)
                                     .value(QStringLiteral("State"))
                                     .toObject()
                                     .value(QStringLiteral("Running"))
                                     .toBool(),
                                 40000);
        QCOMPARE(sandboxes->state(id), QStringLiteral("started"));
    }

    // iptables refuses to put the rules back after something removed them: the running sandboxes stop,
    // none starts until the rules are back, then all is as before.
    void firewallThatCannotBeRestoredFailsClosed() {
        QTemporaryDir bin;
        const QString marker = bin.path() + QStringLiteral("/refuse");
        for (const char* tool : {"iptables", "iptables-restore"}) {
            const QString real = QString::fromUtf8(
                run(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("command -v ") + tool})
                    .out.trimmed());
            QVERIFY(!real.isEmpty());
            QFile f(bin.path() + QLatin1Char('/') + QLatin1String(tool));
            QVERIFY(f.open(QIODevice::WriteOnly));
            // Checks (-C) still answer truly; anything that would change the rules fails while the marker is
            // there.
            f.write(QStringLiteral(
                        "#!/bin/sh\nif [ -e '%1' ]; then case \" $* \" in *\" -C \"*) ;; *) echo 'refused "
                        "by the test' >&2; exit 4;; esac; fi\nexec %2 \"$@\"\n")
                        .arg(marker, real)
                        .toUtf8());
            f.close();
            QVERIFY(
                f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        }
        coved.stop();
        coved.setEnv(QStringLiteral("PATH"), bin.path() + QLatin1Char(':') + qEnvironmentVariable("PATH"));
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        const QString id = sandboxes->create();
        QVERIFY(!id.isEmpty());
        QCOMPARE(sandboxes->state(id), QStringLiteral("started"));

        QFile(marker).open(QIODevice::WriteOnly);
        // Something (a flush, another program) removes this installation's hook from DOCKER-USER.
        const auto rules =
            run(QStringLiteral("iptables"), {QStringLiteral("-S"), QStringLiteral("DOCKER-USER")});
        QString hook;
        for (const QString& line : QString::fromUtf8(rules.out).split(QLatin1Char('\n')))
            if (line.endsWith(QStringLiteral("-j ") + coved.chainPrefix()))
                hook = line;
        QVERIFY2(!hook.isEmpty(), rules.out.constData());
        QStringList del = hook.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        del[0] = QStringLiteral("-D");
        QCOMPARE(run(QStringLiteral("iptables"), del).exitCode, 0);

        QTRY_COMPARE_WITH_TIMEOUT(sandboxes->state(id), QStringLiteral("stopped"), 40000);
        QVERIFY(!cove::test::Sandboxes::container(id)
                     .value(QStringLiteral("State"))
                     .toObject()
                     .value(QStringLiteral("Running"))
                     .toBool());
        const Reply refused = api("POST", QStringLiteral("/api/sandbox/") + id + QStringLiteral("/start"));
        QCOMPARE(refused.status, 503);
        QVERIFY2(refused.message().contains(QStringLiteral("firewall")), refused.body.constData());
        QVERIFY(coved.log().contains("network check"));

        // Once iptables works again, the next start puts the rules back and the sandbox runs.
        QFile::remove(marker);
        QCOMPARE(sandboxes->state(id), QStringLiteral("stopped")); // the refused start changed nothing
        const Reply started = api("POST", QStringLiteral("/api/sandbox/") + id + QStringLiteral("/start"));
        QVERIFY2(started.status == 200, started.body.constData());
        QCOMPARE(run(QStringLiteral("iptables"), QStringList{QStringLiteral("-C")} + del.mid(1)).exitCode, 0);
        QCOMPARE(sandboxes->state(id), QStringLiteral("started"));
        coved.setEnv(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    }

    void cleanupTestCase() {
        sandboxes->removeAll();
        coved.stop();
    }
};

QTEST_GUILESS_MAIN(TestSecRequests)
#include "tst_sec_requests.moc"
