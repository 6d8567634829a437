// Sandbox state changes on a real engine: start, stop, recover, resize, settings, list filters, and
// transitions a killed coved left behind.
#include "service/store/Store.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QUrlQuery>
#include <QtTest>

using cove::test::CovedProcess;
using cove::test::Reply;
using cove::test::Sandboxes;

namespace {

bool running(const QString& id) {
    return Sandboxes::container(id)
        .value(QStringLiteral("State"))
        .toObject()
        .value(QStringLiteral("Running"))
        .toBool();
}

QStringList ids(const Reply& r) {
    QStringList out;
    for (const auto& v : r.object().value(QStringLiteral("items")).toArray())
        out << v.toObject().value(QStringLiteral("id")).toString();
    return out;
}

} // namespace

class TestSandboxLifecycle : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};

    Reply post(const QString& path, const QByteArray& body = {}) { return sb.call("POST", path, body); }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start(), qPrintable(coved.error()));
        // These tests keep more sandboxes than Tier 1's 30 GiB of disk holds; quotas have their own test.
        QCOMPARE(sb.call("PUT", QStringLiteral("/api/organizations/personal/tier"), R"({"tier":4})").status,
                 200);
    }

    void stopAndStartAgain() {
        const QString id = sb.create(R"({"name":"cycle"})");
        QVERIFY(!id.isEmpty());
        const QString base = QStringLiteral("/api/sandbox/") + id;

        Reply r = post(base + QStringLiteral("/stop?force=false"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("state")).toString(), QStringLiteral("stopped"));
        QCOMPARE(r.object().value(QStringLiteral("desiredState")).toString(), QStringLiteral("stopped"));
        QVERIFY(!running(id));
        // The agent stopped with its container: PID 1 handled SIGTERM and exited cleanly.
        QCOMPARE(Sandboxes::container(id)
                     .value(QStringLiteral("State"))
                     .toObject()
                     .value(QStringLiteral("ExitCode"))
                     .toInt(),
                 0);

        // A stopped sandbox has no toolbox, and says why.
        r = sb.call("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/version"));
        QCOMPARE(r.status, 409);
        QVERIFY(r.message().contains(QStringLiteral("stopped")));
        // Stopping again changes nothing; recovering what is not broken is a conflict that names the state.
        QCOMPARE(post(base + QStringLiteral("/stop")).status, 200);
        r = post(base + QStringLiteral("/recover"));
        QCOMPARE(r.status, 409);
        QVERIFY2(r.message().contains(QStringLiteral("is stopped")), r.body.constData());

        r = post(base + QStringLiteral("/start"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("state")).toString(), QStringLiteral("started"));
        QVERIFY(running(id));
        QCOMPARE(sb.call("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/version")).status, 200);
        QCOMPARE(post(base + QStringLiteral("/start")).status, 200); // already started

        r = post(base + QStringLiteral("/stop?force=true"));
        QCOMPARE(r.status, 200);
        QVERIFY(!running(id));
        QCOMPARE(sb.state(id), QStringLiteral("stopped"));
        // By name, as the SDK allows.
        QCOMPARE(post(QStringLiteral("/api/sandbox/cycle/start")).status, 200);
        QCOMPARE(sb.state(id), QStringLiteral("started"));
    }

    void recoverFromError() {
        const QString id = sb.create();
        QVERIFY(!id.isEmpty());
        const QString base = QStringLiteral("/api/sandbox/") + id;
        // Break what the container starts (its agent), then start it: the sandbox lands in error.
        QCOMPARE(post(base + QStringLiteral("/stop")).status, 200);
        const QString agent = coved.dataDir() + QStringLiteral("/bin/cove-agent");
        const QString saved = agent + QStringLiteral(".saved");
        QVERIFY(QFile::rename(agent, saved));
        {
            QFile broken(agent);
            QVERIFY(broken.open(QIODevice::WriteOnly));
            broken.write("not a program\n");
            broken.setPermissions(QFile::ReadOwner | QFile::ExeOwner);
        }
        Reply r = post(base + QStringLiteral("/start"));
        QCOMPARE(r.status, 503);
        QCOMPARE(sb.state(id), QStringLiteral("error"));
        QVERIFY(!sb.get(id).value(QStringLiteral("errorReason")).toString().isEmpty());
        QCOMPARE(post(base + QStringLiteral("/start")).status, 409); // error is left by recover or delete

        QVERIFY(QFile::remove(agent));
        QVERIFY(QFile::rename(saved, agent));
        r = post(base + QStringLiteral("/recover"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("state")).toString(), QStringLiteral("started"));
        QVERIFY(r.object().value(QStringLiteral("errorReason")).isNull());
        QCOMPARE(sb.call("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/version")).status, 200);
    }

    void recoverWithoutAContainerSaysSo() {
        const QString id = sb.create();
        QVERIFY(!id.isEmpty());
        const QString base = QStringLiteral("/api/sandbox/") + id;
        QCOMPARE(post(base + QStringLiteral("/stop")).status, 200);
        // Someone removed the container behind Cove's back.
        QCOMPARE(cove::test::run(QStringLiteral("docker"),
                                 {QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("cove-") + id})
                     .exitCode,
                 0);
        QCOMPARE(post(base + QStringLiteral("/start")).status, 503);
        QCOMPARE(sb.state(id), QStringLiteral("error"));
        const Reply r = post(base + QStringLiteral("/recover"));
        QCOMPARE(r.status, 409);
        QVERIFY(r.message().contains(QStringLiteral("gone")));
        QCOMPARE(sb.destroy(id).status, 200);
        QCOMPARE(sb.call("GET", base).status, 404);
    }

    void resizeLiveAndStopped() {
        const QString id = sb.create();
        QVERIFY(!id.isEmpty());
        const QString resize = QStringLiteral("/api/sandbox/") + id + QStringLiteral("/resize");
        Reply r = post(resize, R"({"cpu":2,"memory":2})");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("cpu")).toInt(), 2);
        auto host = Sandboxes::container(id).value(QStringLiteral("HostConfig")).toObject();
        QCOMPARE(host.value(QStringLiteral("CpuQuota")).toInt(), 200000);
        QCOMPARE(host.value(QStringLiteral("Memory")).toDouble(), double(2LL << 30));
        QVERIFY(running(id));

        QCOMPARE(post(QStringLiteral("/api/sandbox/") + id + QStringLiteral("/stop")).status, 200);
        r = post(resize, R"({"memory":3,"disk":5})");
        QCOMPARE(r.status, 200);
        host = Sandboxes::container(id).value(QStringLiteral("HostConfig")).toObject();
        QCOMPARE(host.value(QStringLiteral("Memory")).toDouble(), double(3LL << 30));
        QCOMPARE(sb.get(id).value(QStringLiteral("disk")).toInt(), 5);

        r = post(resize, R"({"disk":4})");
        QCOMPARE(r.status, 400);
        QVERIFY(r.message().contains(QStringLiteral("only grow")));
        QCOMPARE(post(resize, R"({"cpu":0})").status, 400);
        QCOMPARE(post(resize, R"({"cpu":"two"})").status, 400);
        QCOMPARE(sb.get(id).value(QStringLiteral("cpu")).toInt(), 2); // refused changes change nothing
    }

    void labelsPublicIntervalsActivity() {
        const QString id = sb.create(R"({"labels":{"a":"1"}})");
        QVERIFY(!id.isEmpty());
        const QString base = QStringLiteral("/api/sandbox/") + id;
        Reply r = sb.call("PUT", base + QStringLiteral("/labels"), R"({"labels":{"team":"qa","tier":"x"}})");
        QCOMPARE(r.status, 200);
        QCOMPARE(
            r.object().value(QStringLiteral("labels")).toObject().value(QStringLiteral("team")).toString(),
            QStringLiteral("qa"));
        const auto labels = sb.get(id).value(QStringLiteral("labels")).toObject();
        QCOMPARE(labels.size(), 2);
        QVERIFY(!labels.contains(QStringLiteral("a"))); // replaced, not merged
        QCOMPARE(sb.call("PUT", base + QStringLiteral("/labels"), R"({"labels":{"x":1}})").status, 400);
        QCOMPARE(sb.call("PUT", base + QStringLiteral("/labels"), R"({})").status, 400);

        QCOMPARE(
            post(base + QStringLiteral("/public/true")).object().value(QStringLiteral("public")).toBool(),
            true);
        QCOMPARE(sb.get(id).value(QStringLiteral("public")).toBool(), true);
        QCOMPARE(post(base + QStringLiteral("/public/maybe")).status, 400);

        QCOMPARE(post(base + QStringLiteral("/autostop/0")).status, 200);
        QCOMPARE(post(base + QStringLiteral("/autoarchive/60")).status, 200);
        QCOMPARE(post(base + QStringLiteral("/autodelete/-1")).status, 200);
        const auto s = sb.get(id);
        QCOMPARE(s.value(QStringLiteral("autoStopInterval")).toInt(), 0);
        QCOMPARE(s.value(QStringLiteral("autoArchiveInterval")).toInt(), 60);
        QCOMPARE(s.value(QStringLiteral("autoDeleteInterval")).toInt(), -1);
        QCOMPARE(post(base + QStringLiteral("/autostop/-1")).status, 400);
        QCOMPARE(post(base + QStringLiteral("/autostop/ten")).status, 400);

        const QString before = s.value(QStringLiteral("lastActivityAt")).toString();
        QCOMPARE(post(base + QStringLiteral("/last-activity")).status, 200);
        QVERIFY(sb.get(id).value(QStringLiteral("lastActivityAt")).toString() >= before);

        r = sb.call("GET", base + QStringLiteral("/toolbox-proxy-url"));
        QCOMPARE(r.object().value(QStringLiteral("url")).toString(),
                 coved.url() + QStringLiteral("/toolbox"));
        QCOMPARE(sb.call("GET", QStringLiteral("/api/sandbox/nope/toolbox-proxy-url")).status, 404);
    }

    void listFiltersAndSorts() {
        const QString a = sb.create(R"({"name":"filter-a","labels":{"group":"f1"},"cpu":2})");
        const QString b = sb.create(R"({"name":"filter-b","labels":{"group":"f1"}})");
        const QString c = sb.create(R"({"name":"filter-c","labels":{"group":"f2"}})");
        QVERIFY(!a.isEmpty() && !b.isEmpty() && !c.isEmpty());
        QCOMPARE(post(QStringLiteral("/api/sandbox/") + b + QStringLiteral("/stop")).status, 200);

        auto list = [&](const QString& query) {
            return ids(sb.call("GET", QStringLiteral("/api/sandbox?") + query));
        };
        const QString f1 = QString::fromUtf8(QUrl::toPercentEncoding(QStringLiteral("{\"group\":\"f1\"}")));
        QCOMPARE(list(QStringLiteral("labels=") + f1 + QStringLiteral("&sort=name&order=asc")),
                 (QStringList{a, b}));
        QCOMPARE(list(QStringLiteral("labels=") + f1 + QStringLiteral("&states=stopped")), QStringList{b});
        QCOMPARE(list(QStringLiteral("name=FILTER-&states=started&states=stopped&sort=name&order=desc")),
                 (QStringList{c, b, a}));
        QCOMPARE(list(QStringLiteral("name=filter-&minCpu=2")), QStringList{a});
        QCOMPARE(list(QStringLiteral("id=") + a.left(8)), QStringList{a});
        QCOMPARE(list(QStringLiteral("name=filter-&createdAtAfter=2100-01-01T00:00:00Z")), QStringList{});

        // Pages under a non-default sort cover everything exactly once.
        QStringList paged;
        QString cursor;
        do {
            const Reply r =
                sb.call("GET", QStringLiteral("/api/sandbox?name=filter-&sort=name&order=asc&limit=1") +
                                   (cursor.isEmpty() ? QString() : QStringLiteral("&cursor=") + cursor));
            paged << ids(r);
            cursor = r.object().value(QStringLiteral("nextCursor")).toString();
        } while (!cursor.isEmpty() && paged.size() < 10);
        QCOMPARE(paged, (QStringList{a, b, c}));

        QCOMPARE(sb.call("GET", QStringLiteral("/api/sandbox?sort=color")).status, 400);
        QCOMPARE(sb.call("GET", QStringLiteral("/api/sandbox?order=sideways")).status, 400);
        QCOMPARE(sb.call("GET", QStringLiteral("/api/sandbox?labels=notjson")).status, 400);
        QCOMPARE(sb.call("GET", QStringLiteral("/api/sandbox?minCpu=lots")).status, 400);
        QCOMPARE(sb.call("GET", QStringLiteral("/api/sandbox?createdAtAfter=yesterday")).status, 400);
    }

    void illegalTransitionsNameTheState() {
        const QString id = sb.create();
        QVERIFY(!id.isEmpty());
        QCOMPARE(sb.call("DELETE", QStringLiteral("/api/sandbox/") + id).status, 200);
        // Being destroyed: every change is refused with the state it is in.
        const Reply refused =
            sb.call("POST", QStringLiteral("/api/sandbox/") + id + QStringLiteral("/start"));
        if (refused.status != 404) { // unless it is gone already
            QCOMPARE(refused.status, 409);
            QVERIFY2(refused.message().contains(QStringLiteral("destroying")), qPrintable(refused.message()));
        }
        QTRY_COMPARE_WITH_TIMEOUT(sb.call("GET", QStringLiteral("/api/sandbox/") + id).status, 404, 60000);
        // Gone: every operation is a 404, not a 409 or a crash.
        for (const char* op : {"/start", "/stop", "/recover", "/labels"})
            QCOMPARE(sb.call(qstrcmp(op, "/labels") == 0 ? "PUT" : "POST",
                             QStringLiteral("/api/sandbox/") + id + QLatin1String(op), R"({"labels":{}})")
                         .status,
                     404);
    }

    void killedCovedLeavesNothingUnsettled() {
        const QString stopping = sb.create(), starting = sb.create();
        QVERIFY(!stopping.isEmpty() && !starting.isEmpty());
        QCOMPARE(post(QStringLiteral("/api/sandbox/") + starting + QStringLiteral("/stop")).status, 200);
        coved.kill();
        {
            // A crash right after the desired state was recorded, before Docker was touched.
            const auto store = cove::store::open(coved.database().toStdString());
            auto& db = *store;
            db.exec("UPDATE sandboxes SET desired_state = 'stopped' WHERE id = ?", {stopping.toStdString()});
            db.exec("UPDATE sandboxes SET desired_state = 'started' WHERE id = ?", {starting.toStdString()});
        }
        QVERIFY2(coved.start(), qPrintable(coved.error()));
        QCOMPARE(sb.state(stopping), QStringLiteral("stopped"));
        QVERIFY(!running(stopping));
        QCOMPARE(sb.state(starting), QStringLiteral("started"));
        QVERIFY(running(starting));
        QCOMPARE(sb.call("GET", QStringLiteral("/toolbox/") + starting + QStringLiteral("/version")).status,
                 200);
    }

    void archiveAndRestoreByteForByte() {
        const QString id = sb.create(R"({"name":"archived-one"})");
        QVERIFY(!id.isEmpty());
        const QString base = QStringLiteral("/api/sandbox/") + id;
        const QStringList exec{QStringLiteral("exec"),       QStringLiteral("-u"), QStringLiteral("0"),
                               QStringLiteral("cove-") + id, QStringLiteral("sh"), QStringLiteral("-c")};
        const auto written = cove::test::run(
            QStringLiteral("docker"),
            exec +
                QStringList{QStringLiteral(
                    "head -c 20000000 /dev/urandom > /home/cove/data.bin && sha256sum /home/cove/data.bin")});
        QCOMPARE(written.exitCode, 0);
        const QByteArray checksum = written.out.left(64);

        QCOMPARE(post(base + QStringLiteral("/archive")).status, 409); // only a stopped sandbox is archived
        QCOMPARE(post(base + QStringLiteral("/stop")).status, 200);
        Reply r = post(base + QStringLiteral("/archive"));
        QCOMPARE(r.status, 200);
        // The request answers at once; the filesystem is copied after it.
        QCOMPARE(r.object().value(QStringLiteral("state")).toString(), QStringLiteral("archiving"));
        QCOMPARE(post(base + QStringLiteral("/start")).status, 409); // not while archiving
        QTRY_COMPARE_WITH_TIMEOUT(sb.state(id), QStringLiteral("archived"), 300000);
        const QString archive =
            coved.dataDir() + QStringLiteral("/archive/") + id + QStringLiteral(".tar.gz");
        QVERIFY(QFileInfo(archive).size() > 20000000);
        QCOMPARE(Sandboxes::containerCount(id), 0); // the container is gone: nothing but the file remains
        QCOMPARE(sb.call("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/version")).status, 409);

        r = post(base + QStringLiteral("/start"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("state")).toString(), QStringLiteral("started"));
        const auto read = cove::test::run(
            QStringLiteral("docker"), exec + QStringList{QStringLiteral("sha256sum /home/cove/data.bin")});
        QCOMPARE(read.out.left(64), checksum);
        QVERIFY(!QFile::exists(archive));
        QCOMPARE(sb.call("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/user-home-dir")).status,
                 200);
        QCOMPARE(sb.destroy(id).status, 200);
        QCOMPARE(
            cove::test::run(QStringLiteral("docker"), {QStringLiteral("image"), QStringLiteral("inspect"),
                                                       QStringLiteral("cove-archive:") + id})
                .exitCode,
            1); // the restored sandbox's image went with it
    }

    void reconcilerPutsRightWhatWasChangedBehindItsBack() {
        const QString stoppedByHand = sb.create(), removedByHand = sb.create();
        QVERIFY(!stoppedByHand.isEmpty() && !removedByHand.isEmpty());
        // An orphan: a container labelled as this installation's whose sandbox does not exist.
        QString instance;
        {
            const auto store = cove::store::open(coved.database().toStdString());
            auto& db = *store;
            instance = QString::fromStdString(
                db.queryOne("SELECT value FROM settings WHERE key = 'instance'")->at(0).asText());
        }
        const QString orphan = QStringLiteral("cove-orphan-%1").arg(QCoreApplication::applicationPid());
        const auto made = cove::test::run(
            QStringLiteral("docker"),
            {QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), orphan,
             QStringLiteral("--label"), QStringLiteral("cove.instance=") + instance,
             QStringLiteral("--label"),
             QStringLiteral("cove.sandbox.id=00000000-0000-4000-8000-00000000beef"),
             QStringLiteral("cove-base:latest"), QStringLiteral("sleep"), QStringLiteral("600")});
        // The reconciler may find the orphan between docker run's create and its start, and remove it
        // first: then the engine refuses the start, which is the outcome this test waits for below.
        QVERIFY2(made.exitCode == 0 || made.err.contains("marked for removal"), made.err.constData());
        QCOMPARE(cove::test::run(QStringLiteral("docker"),
                                 {QStringLiteral("stop"), QStringLiteral("-t"), QStringLiteral("1"),
                                  QStringLiteral("cove-") + stoppedByHand})
                     .exitCode,
                 0);
        QCOMPARE(cove::test::run(QStringLiteral("docker"), {QStringLiteral("rm"), QStringLiteral("-f"),
                                                            QStringLiteral("cove-") + removedByHand})
                     .exitCode,
                 0);

        // Within a reconcile interval or two, all three are put right.
        QTRY_VERIFY_WITH_TIMEOUT(running(stoppedByHand), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(sb.state(removedByHand), QStringLiteral("error"), 30000);
        QVERIFY(sb.get(removedByHand)
                    .value(QStringLiteral("errorReason"))
                    .toString()
                    .contains(QStringLiteral("disappeared")));
        QTRY_VERIFY_WITH_TIMEOUT(
            Sandboxes::container(QStringLiteral("orphan-%1").arg(QCoreApplication::applicationPid()))
                .isEmpty(),
            30000);
        QCOMPARE(sb.state(stoppedByHand), QStringLiteral("started"));
        QTRY_COMPARE_WITH_TIMEOUT(
            sb.call("GET", QStringLiteral("/toolbox/") + stoppedByHand + QStringLiteral("/version")).status,
            200, 10000);
    }

    void cleanupTestCase() {
        sb.removeAll();
        coved.stop();
    }
};

QTEST_GUILESS_MAIN(TestSandboxLifecycle)
#include "tst_sandbox_lifecycle.moc"
