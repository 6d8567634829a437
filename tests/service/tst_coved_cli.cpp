// coved's command line and start-up faults: each gives one clear sentence and a non-zero exit.
#include "service/store/SqliteDatabase.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using cove::test::CovedProcess;
using cove::test::run;

class TestCovedCli : public QObject {
    Q_OBJECT
    QString coved = CovedProcess::binary(QStringLiteral("coved"));
    QTemporaryDir dir;

    // The last line coved printed, which must be its one sentence.
    static QString lastLine(const QByteArray& err) {
        const auto lines = QString::fromUtf8(err).trimmed().split(QLatin1Char('\n'));
        return lines.last();
    }

private slots:
    void helpListsEveryOption() {
        const auto r = run(coved, {QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        for (const char* opt : {"--listen", "--data-dir", "--docker-host", "--agent", "--help", "--version"})
            QVERIFY2(r.out.contains(opt), opt);
    }

    void unknownOptionFails() {
        const auto r = run(coved, {QStringLiteral("--frobnicate")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(lastLine(r.err).contains(QStringLiteral("unknown option '--frobnicate'")));
    }

    void badListenAddress() {
        const auto r = run(coved, {QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--listen"),
                                   QStringLiteral("nonsense")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(lastLine(r.err).contains(QStringLiteral("ADDRESS:PORT")), r.err.constData());
    }

    void noDockerEngine() {
        const auto r = run(coved, {QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--listen"),
                                   QStringLiteral("127.0.0.1:0"), QStringLiteral("--docker-host"),
                                   QStringLiteral("unix:///nonexistent/docker.sock")});
        QCOMPARE(r.exitCode, 1);
        const QString line = lastLine(r.err);
        QVERIFY2(line.contains(QStringLiteral("does not answer")) &&
                     line.contains(QStringLiteral("start the engine")),
                 qPrintable(line));
    }

    void engineRefusesThisUser() {
        // The engine's socket admits root and its group only; an ordinary user gets EACCES.
        if (run(QStringLiteral("id"), {QStringLiteral("-u")}).out.trimmed() != "0")
            QSKIP("needs root to switch to an unprivileged user");
        QTemporaryDir open;
        QVERIFY(QFile::setPermissions(open.path(), QFile::Permissions(0x7777)));
        const auto r = run(QStringLiteral("setpriv"),
                           {QStringLiteral("--reuid=nobody"), QStringLiteral("--regid=nogroup"),
                            QStringLiteral("--clear-groups"), coved, QStringLiteral("--data-dir"),
                            open.path() + QStringLiteral("/data"), QStringLiteral("--listen"),
                            QStringLiteral("127.0.0.1:0")});
        QCOMPARE(r.exitCode, 1);
        const QString line = lastLine(r.err);
        QVERIFY2(line.contains(QStringLiteral("Permission denied")) &&
                     line.contains(QStringLiteral("docker group")),
                 qPrintable(line));
    }

    void tcpDockerHostRefused() {
        const auto r = run(coved, {QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--docker-host"),
                                   QStringLiteral("tcp://10.0.0.1:2375")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(lastLine(r.err).contains(QStringLiteral("local engine")), r.err.constData());
    }

    void unwritableDataDir() {
        const auto r = run(coved, {QStringLiteral("--data-dir"), QStringLiteral("/proc/cove-data")});
        QCOMPARE(r.exitCode, 1);
        const QString line = lastLine(r.err);
        QVERIFY2(line.contains(QStringLiteral("not writable")) && line.contains(QStringLiteral("--data-dir")),
                 qPrintable(line));
    }

    void portInUse() {
        QTcpServer blocker;
        QVERIFY(blocker.listen(QHostAddress::LocalHost));
        const auto r = run(coved, {QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--listen"),
                                   QStringLiteral("127.0.0.1:%1").arg(blocker.serverPort())});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(lastLine(r.err).contains(QStringLiteral("already in use")), r.err.constData());
    }

    void missingAgentBinary() {
        const auto r = run(coved, {QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--agent"),
                                   QStringLiteral("/nonexistent/cove-agent")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(lastLine(r.err).contains(QStringLiteral("agent")), r.err.constData());
    }

    void missingDefaultImage() {
        // A tag no image has, rather than taking cove-base:latest away from the engine that the tests
        // running beside this one use.
        const QString tag = QStringLiteral("missing-%1").arg(QCoreApplication::applicationPid());
        const auto r = run(coved, {QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--listen"),
                                   QStringLiteral("127.0.0.1:0"), QStringLiteral("--image-tag"), tag});
        QCOMPARE(r.exitCode, 1);
        const QString line = lastLine(r.err);
        QVERIFY2(line.contains(QStringLiteral("cove-base:%1 is missing").arg(tag)) &&
                     line.contains(QStringLiteral("setup.sh images")),
                 qPrintable(line));
    }

    void unknownRuntime() {
        const auto r =
            run(coved, {QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--listen"),
                        QStringLiteral("127.0.0.1:0"), QStringLiteral("--ssh-listen"), QStringLiteral("off"),
                        QStringLiteral("--runtime"), QStringLiteral("nosuch")});
        QCOMPARE(r.exitCode, 1);
        const QString line = lastLine(r.err);
        QVERIFY2(line.contains(QStringLiteral("no runtime 'nosuch'")) &&
                     line.contains(QStringLiteral("runc")) && line.contains(QStringLiteral("--add-runtime")),
                 qPrintable(line));
    }

    // Sandboxes run on the runtime asked for: Debian's crun, which installer/setup.sh registers with the
    // engine it starts where crun can run (not under hybrid cgroups, which crun 1.8 refuses).
    void sandboxesRunOnTheRuntimeAsked() {
        if (!run(QStringLiteral("docker"),
                 {QStringLiteral("info"), QStringLiteral("--format"), QStringLiteral("{{json .Runtimes}}")})
                 .out.contains("\"crun\""))
            QSKIP("the engine has no crun runtime (dockerd --add-runtime crun=/usr/bin/crun)");
        if (run(QStringLiteral("stat"),
                {QStringLiteral("-fc"), QStringLiteral("%T"), QStringLiteral("/sys/fs/cgroup/unified")})
                .out.trimmed() == "cgroup2fs")
            QSKIP("this machine's cgroups are hybrid (v1 with v2 at /sys/fs/cgroup/unified), which crun "
                  "refuses");
        CovedProcess onCrun;
        QVERIFY2(onCrun.start({QStringLiteral("--warm-pool"), QStringLiteral("1"),
                               QStringLiteral("--runtime"), QStringLiteral("crun")}),
                 qPrintable(onCrun.error()));
        QVERIFY(onCrun.log().contains("runtime crun"));
        cove::test::Sandboxes sb(onCrun);
        const QString id = sb.create();
        QVERIFY(!id.isEmpty());
        const auto runtimeOf = [](const QString& sandbox) {
            return cove::test::Sandboxes::container(sandbox)
                .value(QStringLiteral("HostConfig"))
                .toObject()
                .value(QStringLiteral("Runtime"))
                .toString();
        };
        QCOMPARE(runtimeOf(id), QStringLiteral("crun"));
        QCOMPARE(sb.exec(id, QStringLiteral("echo on crun")).out.trimmed(), QByteArray("on crun"));
        // The warm pool's members too (the create may have taken the first; another follows).
        QTRY_VERIFY_WITH_TIMEOUT(!onCrun.poolContainers(true).isEmpty(), 60000);
        for (const QString& member : onCrun.poolContainers())
            QCOMPARE(runtimeOf(member), QStringLiteral("crun"));
    }

    // The runs above that got as far as the engine made this data directory's sandbox network.
    void cleanupTestCase() {
        const QString db = dir.path() + QStringLiteral("/cove.db");
        if (!QFile::exists(db))
            return;
        cove::store::SqliteDatabase store(db.toStdString());
        if (const auto row = store.queryOne("SELECT value FROM settings WHERE key = 'instance'"))
            CovedProcess::removeNetworkOf(QString::fromStdString(row->at(0).asText()));
    }

    void writesAdminKeyPrivately() {
        CovedProcess p;
        QVERIFY2(p.start(), qPrintable(p.error()));
        const QFileInfo key(p.dataDir() + QStringLiteral("/admin.key"));
        QVERIFY(key.exists());
        QCOMPARE(key.permissions() &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFileDevice::Permissions());
        QVERIFY(p.adminKey().size() >= 64);
        const QString first = p.adminKey();
        p.stop();
        QVERIFY2(p.start(), qPrintable(p.error())); // a restart keeps the key the dashboard already has
        QCOMPARE(p.adminKey(), first);
        QCOMPARE(cove::test::request("GET", p.apiUrl() + QStringLiteral("/info"), first).status, 200);
    }

    // coved keeps its data directory to itself (0700, above). The engine the setup starts keeps its data
    // elsewhere: with users remapped, the engine's root (uid 100000 here) passes through every folder above
    // a container's root filesystem, and a private folder among them stops every sandbox from starting.
    void theEngineReachesItsDataRoot() {
        const uint root = cove::test::Sandboxes::engineRootUid();
        if (root == 0)
            QSKIP("the engine does not remap users: its root is this machine's");
        const QString dataRoot = QString::fromUtf8(
            run(QStringLiteral("docker"),
                {QStringLiteral("info"), QStringLiteral("--format"), QStringLiteral("{{.DockerRootDir}}")})
                .out.trimmed());
        QVERIFY(dataRoot.startsWith(QLatin1Char('/')));
        const uint group = dataRoot.section(QLatin1Char('/'), -1).section(QLatin1Char('.'), 1, 1).toUInt();
        // Not below the data directory coved makes private when it runs as root.
        QVERIFY2(!dataRoot.startsWith(QStringLiteral("/var/lib/cove/")), qPrintable(dataRoot));
        for (QDir d(dataRoot);; d.cdUp()) {
            const QFileInfo f(d.absolutePath());
            const auto p = f.permissions();
            const bool passes = p.testFlag(QFile::ExeOther) ||
                                (f.ownerId() == root && p.testFlag(QFile::ExeOwner)) ||
                                (f.groupId() == group && p.testFlag(QFile::ExeGroup));
            QVERIFY2(passes, qPrintable(f.absoluteFilePath() + QStringLiteral(" stops uid ") +
                                        QString::number(root)));
            if (d.isRoot())
                break;
        }
    }

    // --key-group: the key readable by the group (0640) and the data directory passable by it (0710),
    // nothing more; an unknown group is refused with a hint.
    void keyGroup() {
        const auto r = run(coved, {QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--key-group"),
                                   QStringLiteral("no-such-group-here")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(lastLine(r.err).contains(QStringLiteral("there is no group 'no-such-group-here'")),
                 r.err.constData());
        CovedProcess p;
        QVERIFY2(p.start({QStringLiteral("--key-group"), QStringLiteral("nogroup")}), qPrintable(p.error()));
        const QFileInfo key(p.dataDir() + QStringLiteral("/admin.key"));
        QCOMPARE(key.group(), QStringLiteral("nogroup"));
        QCOMPARE(key.permissions() & ~(QFile::ReadUser | QFile::WriteUser),
                 QFileDevice::Permissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup));
        const QFileInfo data(p.dataDir());
        QCOMPARE(data.group(), QStringLiteral("nogroup"));
        QCOMPARE(data.permissions() & ~(QFile::ReadUser | QFile::WriteUser | QFile::ExeUser),
                 QFileDevice::Permissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                          QFile::ExeGroup));
        const QFileInfo sandboxes(p.dataDir() + QStringLiteral("/sandboxes"));
        QCOMPARE(sandboxes.permissions() & (QFile::ReadGroup | QFile::ExeGroup), QFileDevice::Permissions());
    }
};

QTEST_GUILESS_MAIN(TestCovedCli)
#include "tst_coved_cli.moc"
