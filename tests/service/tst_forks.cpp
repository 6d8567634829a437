// Pause and resume, forks, checkpoints with rollback and backups on a real coved and engine, including
// what code inside a sandbox can do against them (it is root there and may make btrfs subvolumes).
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QtTest>

using cove::test::CovedProcess;
using cove::test::Reply;
using cove::test::Sandboxes;

namespace {

QString containerStatus(const QString& id) {
    return Sandboxes::container(id)
        .value(QStringLiteral("State"))
        .toObject()
        .value(QStringLiteral("Status"))
        .toString();
}

QString str(const QJsonObject& o, const char* key) {
    return o.value(QLatin1String(key)).toString();
}

// Where the engine keeps saved filesystems (BtrfsLayers), from its data root.
QString engineRoot();

QString savedFilesystem(const QString& checkpointId) {
    return engineRoot() + QStringLiteral("/btrfs/cove-saved/") + checkpointId;
}

// The engine's data root.
QString engineRoot() {
    return QString::fromUtf8(
               cove::test::run(QStringLiteral("docker"), {QStringLiteral("info"), QStringLiteral("--format"),
                                                          QStringLiteral("{{.DockerRootDir}}")})
                   .out)
        .trimmed();
}

// The sandbox's writable subvolume on the host; empty when there is none.
QString writableLayerOf(const QString& id) {
    const QString full =
        QString::fromUtf8(cove::test::run(QStringLiteral("docker"),
                                          {QStringLiteral("inspect"), QStringLiteral("-f"),
                                           QStringLiteral("{{.Id}}"), QStringLiteral("cove-") + id})
                              .out)
            .trimmed();
    QFile mountId(engineRoot() + QStringLiteral("/image/btrfs/layerdb/mounts/") + full +
                  QStringLiteral("/mount-id"));
    if (full.isEmpty() || !mountId.open(QIODevice::ReadOnly))
        return {};
    return engineRoot() + QStringLiteral("/btrfs/subvolumes/") +
           QString::fromUtf8(mountId.readAll()).trimmed();
}

// The disk limit btrfs holds the sandbox's writable subvolume to ("3.00GiB"; "-" for none).
QString diskLimitOf(const QString& id) {
    const QString layer = writableLayerOf(id);
    if (layer.isEmpty())
        return QStringLiteral("no layer");
    const auto shown = cove::test::run(QStringLiteral("btrfs"),
                                       {QStringLiteral("subvolume"), QStringLiteral("show"), layer});
    for (const auto& line : QString::fromUtf8(shown.out).split(QLatin1Char('\n')))
        if (line.trimmed().startsWith(QStringLiteral("Limit referenced:")))
            return line.section(QLatin1Char(':'), 1).trimmed();
    return QStringLiteral("not shown");
}

// The kernel enforces limits only while its quota accounting is consistent, which it stops being now and
// then when subvolumes are removed (docs/architecture.md): made exact before a write is expected to fail.
void rescanQuotas() {
    cove::test::run(QStringLiteral("btrfs"),
                    {QStringLiteral("quota"), QStringLiteral("rescan"), QStringLiteral("-w"), engineRoot()});
}

QStringList names(const Reply& r) {
    QStringList out;
    for (const auto& v : r.json().array())
        out << v.toObject().value(QStringLiteral("name")).toString();
    return out;
}

} // namespace

class TestForks : public QObject {
    Q_OBJECT
    const QString leftoverProbe = QStringLiteral("cove-seccomp-probe-test-leftover");
    const QString probeImage = QStringLiteral("cove-seccomp-probe:empty");
    CovedProcess coved;
    Sandboxes sb{coved};

    Reply post(const QString& id, const QString& what, const QByteArray& body = {}) {
        return sb.call("POST", QStringLiteral("/api/sandbox/") + id + what, body);
    }
    Reply get(const QString& id, const QString& what) {
        return sb.call("GET", QStringLiteral("/api/sandbox/") + id + what);
    }
    QString out(const QString& id, const QString& script) {
        const auto r = sb.exec(id, script);
        return QString::fromUtf8(r.out).trimmed();
    }
    int sandboxCount() {
        return sb.call("GET", QStringLiteral("/api/sandbox"))
            .object()
            .value(QStringLiteral("total"))
            .toInt(-1);
    }

private slots:
    void initTestCase() {
        // A probe container a killed coved left behind: labelled with a process id that has ended.
        const QString deadPid =
            QString::fromUtf8(
                cove::test::run(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("echo $$")}).out)
                .trimmed();
        cove::test::run(QStringLiteral("docker"),
                        {QStringLiteral("rm"), QStringLiteral("-f"), leftoverProbe});
        QCOMPARE(cove::test::run(QStringLiteral("docker"),
                                 {QStringLiteral("create"), QStringLiteral("--name"), leftoverProbe,
                                  QStringLiteral("--label"), QStringLiteral("cove.seccomp-probe=") + deadPid,
                                  QStringLiteral("cove-base:latest"), QStringLiteral("true")})
                     .exitCode,
                 0);
        // The probe's empty image, which coved makes when the engine lacks it. (Removal fails harmlessly
        // while another coved's probe runs on it.)
        cove::test::run(QStringLiteral("docker"), {QStringLiteral("rmi"), probeImage});
        QVERIFY2(coved.start(), qPrintable(coved.error()));
        QCOMPARE(sb.call("PUT", QStringLiteral("/api/organizations/personal/tier"), R"({"tier":4})").status,
                 200);
        const auto info = sb.call("GET", QStringLiteral("/api/info")).object();
        if (info.value(QStringLiteral("engine"))
                .toObject()
                .value(QStringLiteral("storageDriver"))
                .toString() != QStringLiteral("btrfs"))
            QSKIP("these tests need the engine's btrfs storage (installer/setup.sh starts dockerd with it)");
    }

    // The engine's filter is learnt from a probe container; one that a stopped or killed coved left
    // behind is removed by the next probe, while another coved's probe at work would be left alone.
    void aProbeLeftBehindIsRemoved() {
        const QString id = sb.create(R"({"disk":3})");
        QVERIFY(!id.isEmpty());
        // The probe ran in an image with no files, made for it.
        const auto image =
            cove::test::run(QStringLiteral("docker"),
                            {QStringLiteral("image"), QStringLiteral("inspect"), QStringLiteral("--format"),
                             QStringLiteral("{{.Size}} {{len .RootFS.Layers}}"), probeImage});
        QCOMPARE(image.exitCode, 0);
        QCOMPARE(image.out.trimmed(), QByteArray("0 1"));
        QCOMPARE(
            cove::test::run(QStringLiteral("docker"), {QStringLiteral("inspect"), leftoverProbe}).exitCode,
            1);
        // Nor does this coved leave its own.
        const auto probes = cove::test::run(QStringLiteral("docker"),
                                            {QStringLiteral("ps"), QStringLiteral("-a"), QStringLiteral("-q"),
                                             QStringLiteral("--filter"),
                                             QStringLiteral("label=cove.seccomp-probe=%1").arg(coved.pid())});
        QVERIFY2(probes.out.trimmed().isEmpty(), probes.out.constData());
    }

    void pauseKeepsProcessesAndMemoryAndStartResumes() {
        const QString id = sb.create(R"({"autoStopInterval":0})");
        QVERIFY(!id.isEmpty());
        // A process holding 64 MiB of touched memory and a value only it knows.
        // (Written to a new file renamed into place, so a read never sees half of it.)
        const auto started = sb.exec(
            id, QStringLiteral("nohup python3 -c \"import os,time\nb=bytearray(64<<20)\nfor i in "
                               "range(0,len(b),4096): b[i]=7\nv=os.urandom(8).hex()\nopen('/tmp/v','w')."
                               "write(v)\nwhile True:\n  time.sleep(0.05)\n  open('/tmp/s','w').write(v+"
                               "str(sum(b[::4096])))\n  os.replace('/tmp/s','/tmp/seen')\" >/tmp/log 2>&1 & "
                               "echo $! > /tmp/pid"));
        QCOMPARE(started.exitCode, 0);
        QTRY_VERIFY2_WITH_TIMEOUT(!out(id, QStringLiteral("cat /tmp/seen 2>/dev/null")).isEmpty(),
                                  qPrintable(out(id, QStringLiteral("cat /tmp/log; ps ax"))), 90000);
        const QString pid = out(id, QStringLiteral("cat /tmp/pid"));
        const QString value = out(id, QStringLiteral("cat /tmp/v"));

        Reply r = post(id, QStringLiteral("/pause"));
        QCOMPARE(r.status, 200);
        QCOMPARE(str(r.object(), "state"), QStringLiteral("paused"));
        QCOMPARE(containerStatus(id), QStringLiteral("paused"));
        // The toolbox is closed while paused, and says how to resume.
        r = sb.call("POST", QStringLiteral("/toolbox/") + id + QStringLiteral("/process/execute"),
                    R"({"command":"true"})");
        QCOMPARE(r.status, 409);
        QVERIFY2(r.message().contains(QStringLiteral("paused")), qPrintable(r.message()));
        // Pausing twice is fine; resizing or archiving a paused sandbox is refused with its state.
        QCOMPARE(post(id, QStringLiteral("/pause")).status, 200);
        r = post(id, QStringLiteral("/archive"));
        QCOMPARE(r.status, 409);
        QVERIFY2(r.message().contains(QStringLiteral("paused")), qPrintable(r.message()));
        // A paused sandbox keeps its CPU and memory in the organization's usage.
        const auto region = sb.call("GET", QStringLiteral("/api/organizations/personal/usage"))
                                .object()
                                .value(QStringLiteral("regionUsage"))
                                .toArray()
                                .at(0)
                                .toObject();
        QVERIFY(region.value(QStringLiteral("currentCpuUsage")).toInt() >= 1);

        r = post(id, QStringLiteral("/start"));
        QCOMPARE(r.status, 200);
        QCOMPARE(str(r.object(), "state"), QStringLiteral("started"));
        // The same process, with the same memory, goes on.
        QCOMPARE(out(id, QStringLiteral("kill -0 ") + pid + QStringLiteral(" && echo alive")),
                 QStringLiteral("alive"));
        QTRY_VERIFY_WITH_TIMEOUT(out(id, QStringLiteral("cat /tmp/seen")).startsWith(value), 10000);
        QCOMPARE(out(id, QStringLiteral("cat /tmp/seen")), value + QString::number(7 * (64 << 20) / 4096));

        // Stopping a paused sandbox works; pausing a stopped one is refused, naming the state.
        QCOMPARE(post(id, QStringLiteral("/pause")).status, 200);
        r = post(id, QStringLiteral("/stop"));
        QCOMPARE(r.status, 200);
        QCOMPARE(str(r.object(), "state"), QStringLiteral("stopped"));
        r = post(id, QStringLiteral("/pause"));
        QCOMPARE(r.status, 409);
        QVERIFY2(r.message().contains(QStringLiteral("stopped")), qPrintable(r.message()));
        // Auto-stop and auto-pause cannot both be on.
        QCOMPARE(post(id, QStringLiteral("/autopause/30")).status, 200);
        r = post(id, QStringLiteral("/autostop/15"));
        QCOMPARE(r.status, 400);
        QVERIFY2(r.message().contains(QStringLiteral("auto-pause")), qPrintable(r.message()));
        QCOMPARE(sb.get(id).value(QStringLiteral("autoPauseInterval")).toInt(), 30);
    }

    void forkCopiesTheFilesystemAndSettingsNotTheIdentity() {
        const QString src =
            sb.create(R"({"name":"fork-src","env":{"GREETING":"hi"},"labels":{"team":"a"},"cpu":1})");
        QVERIFY(!src.isEmpty());
        out(src, QStringLiteral("head -c 50000000 /dev/urandom > ~/data && echo one > ~/marker"));
        const QString sum = out(src, QStringLiteral("sha256sum < ~/data"));

        Reply r = post(src, QStringLiteral("/fork"), R"({"name":"fork-a"})");
        QCOMPARE(r.status, 200);
        const QJsonObject fork = r.object();
        const QString a = str(fork, "id");
        sb.adopt(a);
        QVERIFY(a != src);
        QCOMPARE(str(fork, "name"), QStringLiteral("fork-a"));
        QCOMPARE(str(fork, "state"), QStringLiteral("started"));
        QCOMPARE(str(fork, "parentSandboxId"), src);
        QCOMPARE(fork.value(QStringLiteral("forkedMemory")).toBool(true), false);
        QCOMPARE(fork.value(QStringLiteral("env")).toObject().value(QStringLiteral("GREETING")).toString(),
                 QStringLiteral("hi"));
        QCOMPARE(fork.value(QStringLiteral("labels")).toObject().value(QStringLiteral("team")).toString(),
                 QStringLiteral("a"));
        // Its files are the source's; its identity is its own.
        QCOMPARE(out(a, QStringLiteral("cat ~/marker")), QStringLiteral("one"));
        QCOMPARE(out(a, QStringLiteral("sha256sum < ~/data")), sum);
        QCOMPARE(out(a, QStringLiteral("echo $DAYTONA_SANDBOX_ID")), a);
        QCOMPARE(out(a, QStringLiteral("hostname")), a.left(12));
        // Copy-on-write, not shared: a change in one is not seen in the other.
        out(a, QStringLiteral("echo two > ~/marker"));
        QCOMPARE(out(src, QStringLiteral("cat ~/marker")), QStringLiteral("one"));
        QCOMPARE(sb.state(src), QStringLiteral("started"));

        // Lineage, and a fork of a stopped fork.
        QCOMPARE(post(a, QStringLiteral("/stop")).status, 200);
        r = post(a, QStringLiteral("/fork"), "{}");
        QCOMPARE(r.status, 200);
        const QString b = str(r.object(), "id");
        sb.adopt(b);
        QCOMPARE(str(r.object(), "name"), b); // no name given: the id
        QCOMPARE(out(b, QStringLiteral("cat ~/marker")), QStringLiteral("two"));
        QCOMPARE(sb.state(a), QStringLiteral("stopped")); // the source stays as it was
        QCOMPARE(str(get(b, QStringLiteral("/parent")).object(), "id"), a);
        const auto ancestors = get(b, QStringLiteral("/ancestors")).json().array();
        QCOMPARE(ancestors.size(), 2);
        QCOMPARE(str(ancestors.at(0).toObject(), "id"), a);
        QCOMPARE(str(ancestors.at(1).toObject(), "id"), src);
        QCOMPARE(names(get(src, QStringLiteral("/forks"))), QStringList{QStringLiteral("fork-a")});
        r = get(src, QStringLiteral("/parent"));
        QCOMPARE(r.status, 404);
        QVERIFY2(r.message().contains(QStringLiteral("not forked")), qPrintable(r.message()));
        // A destroyed fork shows only when asked for.
        QCOMPARE(sb.destroy(b).status, 200);
        QCOMPARE(get(a, QStringLiteral("/forks")).json().array().size(), 0);
        QCOMPARE(get(a, QStringLiteral("/forks?includeDestroyed=true")).json().array().size(), 1);
    }

    void forkHoldsItsOwnDiskLimit() {
        const QString src = sb.create(R"({"disk":3})");
        QVERIFY(!src.isEmpty());
        const Reply r = post(src, QStringLiteral("/fork"), "{}");
        QCOMPARE(r.status, 200);
        const QString fork = str(r.object(), "id");
        sb.adopt(fork);
        // The source's disk size is set on the fork's own subvolume...
        QCOMPARE(diskLimitOf(fork), QStringLiteral("3.00GiB"));
        // ...and holds: 3 GiB, the image included, so taking 3 GiB more must fail inside the fork.
        rescanQuotas();
        const auto write = sb.exec(fork, QStringLiteral("fallocate -l 3G /tmp/fill 2>&1; rm -f /tmp/fill"));
        QVERIFY2(write.out.contains("Disk quota exceeded"), write.out.constData());
    }

    void forkRefusalsLeaveNothingBehind() {
        const QString src = sb.create(R"({"name":"refusals"})");
        QVERIFY(!src.isEmpty());
        const int before = sandboxCount();
        // A name taken.
        Reply r = post(src, QStringLiteral("/fork"), R"({"name":"refusals"})");
        QCOMPARE(r.status, 409);
        QCOMPARE(r.object().value(QStringLiteral("code")).toString(), QStringLiteral("NAME_TAKEN"));
        // Bad bodies.
        QCOMPARE(post(src, QStringLiteral("/fork"), R"({"name":""})").status, 400);
        QCOMPARE(post(src, QStringLiteral("/fork"), R"({"name":7})").status, 400);
        QCOMPARE(post(src, QStringLiteral("/fork"), R"([])").status, 400);
        QCOMPARE(post(src, QStringLiteral("/fork"), "{").status, 400);
        // Unknown and destroyed sources.
        QCOMPARE(post(QStringLiteral("no-such-sandbox"), QStringLiteral("/fork"), "{}").status, 404);
        // The quota: a fork is a new sandbox and is admitted like one.
        const auto usage = sb.call("GET", QStringLiteral("/api/organizations/personal/usage"))
                               .object()
                               .value(QStringLiteral("regionUsage"))
                               .toArray()
                               .at(0)
                               .toObject();
        const int cpu = usage.value(QStringLiteral("currentCpuUsage")).toInt();
        QCOMPARE(sb.call("PATCH", QStringLiteral("/api/organizations/personal/quota"),
                         QStringLiteral("{\"totalCpuQuota\":%1}").arg(cpu).toUtf8())
                     .status,
                 200);
        r = post(src, QStringLiteral("/fork"), "{}");
        QCOMPARE(r.status, 403);
        QCOMPARE(r.object().value(QStringLiteral("code")).toString(), QStringLiteral("QUOTA_EXCEEDED"));
        QCOMPARE(
            sb.call("PATCH", QStringLiteral("/api/organizations/personal/quota"), R"({"totalCpuQuota":1000})")
                .status,
            200);
        // An archived source must be started first.
        QCOMPARE(post(src, QStringLiteral("/stop")).status, 200);
        QCOMPARE(post(src, QStringLiteral("/archive")).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(sb.state(src), QStringLiteral("archived"), 120000);
        r = post(src, QStringLiteral("/fork"), "{}");
        QCOMPARE(r.status, 409);
        QVERIFY2(r.message().contains(QStringLiteral("archived")), qPrintable(r.message()));
        QCOMPARE(sandboxCount(), before);
        QCOMPARE(sb.destroy(src).status, 200);
        QCOMPARE(post(src, QStringLiteral("/fork"), "{}").status, 404);
    }

    void checkpointsRollBackFilesAndRestartProcesses() {
        const QString id = sb.create(R"({"autoStopInterval":0,"disk":3})");
        QVERIFY(!id.isEmpty());
        out(id, QStringLiteral("echo v1 > ~/state"));
        Reply r = post(id, QStringLiteral("/checkpoints"), R"({"name":"v1"})");
        QCOMPARE(r.status, 200);
        const QString v1 = str(r.object(), "id");
        QCOMPARE(str(r.object(), "name"), QStringLiteral("v1"));
        QVERIFY(QFileInfo::exists(savedFilesystem(v1)));
        out(id, QStringLiteral("echo v2 > ~/state; touch ~/added; nohup sleep 1000 >/dev/null 2>&1 &"));
        // The command's shell has ended; its background child may still be nohup, not yet sleep.
        QTRY_COMPARE_WITH_TIMEOUT(out(id, QStringLiteral("pgrep -c sleep")), QStringLiteral("1"), 10000);
        // A second checkpoint; names are unique per sandbox.
        QCOMPARE(post(id, QStringLiteral("/checkpoints"), R"({"name":"v2"})").status, 200);
        r = post(id, QStringLiteral("/checkpoints"), R"({"name":"v2"})");
        QCOMPARE(r.status, 409);
        QCOMPARE(names(get(id, QStringLiteral("/checkpoints"))),
                 (QStringList{QStringLiteral("v2"), QStringLiteral("v1")}));

        // Rolling back a running sandbox: its files go back, its processes start again.
        r = post(id, QStringLiteral("/checkpoints/v1/rollback"));
        QCOMPARE(r.status, 200);
        QCOMPARE(str(r.object(), "state"), QStringLiteral("started"));
        QCOMPARE(out(id, QStringLiteral("cat ~/state")), QStringLiteral("v1"));
        QCOMPARE(out(id, QStringLiteral("test -e ~/added && echo yes || echo no")), QStringLiteral("no"));
        QCOMPARE(out(id, QStringLiteral("pgrep -c sleep")), QStringLiteral("0"));
        // Its disk size still holds on the filesystem put back (3 GiB, the image included).
        QCOMPARE(diskLimitOf(id), QStringLiteral("3.00GiB"));
        rescanQuotas();
        const auto fill = sb.exec(id, QStringLiteral("fallocate -l 3G /tmp/fill 2>&1; rm -f /tmp/fill"));
        QVERIFY2(fill.out.contains("Disk quota exceeded"), fill.out.constData());
        // And forward again, by id, while stopped: it stays stopped.
        QCOMPARE(post(id, QStringLiteral("/stop")).status, 200);
        const QString v2 = get(id, QStringLiteral("/checkpoints"))
                               .json()
                               .array()
                               .at(0)
                               .toObject()
                               .value(QStringLiteral("id"))
                               .toString();
        r = post(id, QStringLiteral("/checkpoints/") + v2 + QStringLiteral("/rollback"));
        QCOMPARE(r.status, 200);
        QCOMPARE(str(r.object(), "state"), QStringLiteral("stopped"));
        QCOMPARE(post(id, QStringLiteral("/start")).status, 200);
        QCOMPARE(out(id, QStringLiteral("cat ~/state")), QStringLiteral("v2"));

        // Missing checkpoints, another sandbox's checkpoint, names that look like paths.
        r = post(id, QStringLiteral("/checkpoints/nope/rollback"));
        QCOMPARE(r.status, 404);
        QVERIFY2(r.message().contains(QStringLiteral("nope")), qPrintable(r.message()));
        const QString other = sb.create();
        QVERIFY(!other.isEmpty());
        QCOMPARE(post(other, QStringLiteral("/checkpoints/") + v1 + QStringLiteral("/rollback")).status, 404);
        QCOMPARE(
            sb.call("DELETE", QStringLiteral("/api/sandbox/") + other + QStringLiteral("/checkpoints/") + v1)
                .status,
            404);
        r = post(id, QStringLiteral("/checkpoints"), R"({"name":"../../etc"})");
        QCOMPARE(r.status, 200);
        QVERIFY(QFileInfo::exists(savedFilesystem(str(r.object(), "id"))));
        QCOMPARE(post(id, QStringLiteral("/checkpoints"), R"({"name":""})").status, 400);
        QCOMPARE(post(id, QStringLiteral("/checkpoints"), R"({"name":"a\nb"})").status, 400);

        // Delete removes the saved copy.
        QCOMPARE(sb.call("DELETE", QStringLiteral("/api/sandbox/") + id + QStringLiteral("/checkpoints/v1"))
                     .status,
                 200);
        QVERIFY(!QFileInfo::exists(savedFilesystem(v1)));
        QCOMPARE(post(id, QStringLiteral("/checkpoints/v1/rollback")).status, 404);

        // The backup is the checkpoint named `backup`, made again each time.
        r = post(id, QStringLiteral("/backup"));
        QCOMPARE(r.status, 200);
        QCOMPARE(str(r.object(), "backupState"), QStringLiteral("Completed"));
        QVERIFY(!str(r.object(), "backupCreatedAt").isEmpty());
        QCOMPARE(post(id, QStringLiteral("/backup")).status, 200);
        QCOMPARE(names(get(id, QStringLiteral("/checkpoints"))).count(QStringLiteral("backup")), 1);

        // Deleting the sandbox removes every saved copy.
        QStringList saved;
        for (const auto& c : get(id, QStringLiteral("/checkpoints")).json().array())
            saved << savedFilesystem(c.toObject().value(QStringLiteral("id")).toString());
        QCOMPARE(saved.size(), 3);
        QCOMPARE(sb.destroy(id).status, 200);
        for (const auto& path : saved)
            QVERIFY2(!QFileInfo::exists(path), qPrintable(path));
    }

    // Hostile code, root in its sandbox, tries to make a btrfs subvolume inside its filesystem: what it
    // wrote there would have a quota group of its own, outside the sandbox's disk size. The engine's
    // filter with subvolume creation refused stops it (asked as the kernel reads the request, and with
    // bits above 32 set, which the kernel drops), while the sandbox's other ioctls still work.
    void aSandboxCannotMakeSubvolumesToEscapeItsDiskSize() {
        const QString id = sb.create(R"({"disk":3})");
        QVERIFY(!id.isEmpty());
        const QString tried =
            out(id, QStringLiteral("sudo python3 -c \"import ctypes,os,struct,fcntl,termios\n"
                                   "libc=ctypes.CDLL(None,use_errno=True)\n"
                                   "fd=os.open('/srv',os.O_RDONLY)\n"
                                   "for req in (0x5000940e,0x15000940e,0x50009418,0x50009417,0x50009401):\n"
                                   "  a=ctypes.create_string_buffer(struct.pack('q4088s',0,b'escape'))\n"
                                   "  r=libc.syscall(16,fd,ctypes.c_ulong(req),a)\n"
                                   "  print(hex(req),r,os.strerror(ctypes.get_errno()) if r else 'made')\n"
                                   "m,s=os.openpty()\n"
                                   "print('tty', len(fcntl.ioctl(s,termios.TIOCGWINSZ,bytes(8))))\"; "
                                   "test -e /srv/escape && echo escaped || echo none"));
        QVERIFY2(!tried.contains(QStringLiteral("made")) && tried.endsWith(QStringLiteral("none")),
                 qPrintable(tried));
        QCOMPARE(tried.count(QStringLiteral("Operation not permitted")), 5);
        QVERIFY2(tried.contains(QStringLiteral("tty 8")), qPrintable(tried));
        // The sandbox's disk size holds for what it writes anywhere it can.
        rescanQuotas();
        const auto fill =
            sb.exec(id, QStringLiteral("sudo fallocate -l 4G /srv/fill 2>&1; sudo rm -f /srv/fill"));
        QVERIFY2(fill.out.contains("Disk quota exceeded"), fill.out.constData());
    }

    // Subvolumes inside a sandbox's filesystem (made by an engine without the filter, or by hand on the
    // host), which a plain subvolume removal refuses: rollback, checkpoint deletion and sandbox deletion
    // must still work and leave nothing behind.
    void nestedSubvolumesInsideDoNotBlockRollbackOrDelete() {
        const QString id = sb.create();
        QVERIFY(!id.isEmpty());
        const auto make = [&](const QString& name) {
            const QString layer = writableLayerOf(id);
            if (layer.isEmpty())
                return QStringLiteral("no layer");
            const auto made = cove::test::run(
                QStringLiteral("sh"),
                {QStringLiteral("-c"),
                 QStringLiteral(
                     "set -e; btrfs -q subvolume create \"$0/srv/$1\"; "
                     "btrfs -q subvolume create \"$0/srv/$1/deeper\"; echo x > \"$0/srv/$1/deeper/f\"; "
                     "echo made"),
                 layer, name});
            return QString::fromUtf8(made.out + made.err).trimmed();
        };
        QCOMPARE(make(QStringLiteral("a")), QStringLiteral("made"));
        Reply r = post(id, QStringLiteral("/checkpoints"), R"({"name":"with-nest"})");
        QCOMPARE(r.status, 200);
        const QString saved = savedFilesystem(str(r.object(), "id"));
        r = post(id, QStringLiteral("/checkpoints/with-nest/rollback"));
        QCOMPARE(r.status, 200);
        QCOMPARE(str(r.object(), "state"), QStringLiteral("started"));
        // The nested subvolumes are not part of a snapshot; the rest is.
        QCOMPARE(out(id, QStringLiteral("test -e /srv/a/deeper/f && echo yes || echo no")),
                 QStringLiteral("no"));
        QCOMPARE(make(QStringLiteral("b")), QStringLiteral("made"));
        QCOMPARE(post(id, QStringLiteral("/backup")).status, 200);
        QCOMPARE(post(id, QStringLiteral("/checkpoints/with-nest/rollback")).status, 200);
        QCOMPARE(make(QStringLiteral("c")), QStringLiteral("made"));
        QCOMPARE(sb.destroy(id).status, 200);
        QVERIFY(!QFileInfo::exists(saved));
        QCOMPARE(Sandboxes::containerCount(id), 0);
    }

    void cleanupTestCase() { sb.removeAll(); }
};

QTEST_GUILESS_MAIN(TestForks)
#include "tst_forks.moc"
