// Root in a sandbox must not be root on the host, on a real coved with real containers: the engine
// remaps users (dockerd --userns-remap), so what root in a sandbox makes on the host belongs to an
// unprivileged user, host files root owns stay out of its reach, and sudo, volumes and the file API
// keep working. coved says whether the engine remaps, as the engine itself does.
// Runs against the engine DOCKER_HOST names (the default socket otherwise).
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QUrl>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace cove::test;

class TestSecUserns : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};
    QString volumeId, sandbox;
    QJsonObject engine; // /api/info's engine

    QString volumePath(const QString& name) const {
        return coved.dataDir() + QStringLiteral("/volumes/") + volumeId + QLatin1Char('/') + name;
    }
    static uint hostOwner(const QString& path) {
        struct stat st {};
        return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_uid : ~0u;
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        const auto info = sb.call("GET", QStringLiteral("/api/info"));
        QCOMPARE(info.status, 200);
        engine = info.object().value(QStringLiteral("engine")).toObject();
    }

    void infoSaysWhatTheEngineDoes() {
        const auto docker = run(QStringLiteral("docker"), {QStringLiteral("info"), QStringLiteral("--format"),
                                                           QStringLiteral("{{json .SecurityOptions}}")});
        QCOMPARE(docker.exitCode, 0);
        const bool remaps = docker.out.contains("name=userns");
        QVERIFY(engine.contains(QStringLiteral("userNamespaces")));
        QCOMPARE(engine.value(QStringLiteral("userNamespaces")).toBool(), remaps);
        const auto warnings =
            sb.call("GET", QStringLiteral("/api/info")).object().value(QStringLiteral("warnings")).toArray();
        QCOMPARE(warnings.isEmpty(), remaps);
        if (!remaps) {
            QVERIFY(warnings.at(0).toString().contains(QStringLiteral("--userns-remap")));
            QVERIFY(coved.log().contains("Root in a sandbox is root on this machine"));
        }
    }

    void rootInASandboxMakesFilesAnUnprivilegedUserOwns() {
        QCOMPARE(sb.call("POST", QStringLiteral("/api/volumes"), R"({"name":"userns"})").status, 200);
        volumeId = sb.call("GET", QStringLiteral("/api/volumes/by-name/userns"))
                       .object()
                       .value(QStringLiteral("id"))
                       .toString();
        sandbox = sb.create(R"({"volumes":[{"volumeId":"userns","mountPath":"/data"},)"
                            R"({"volumeId":"userns","mountPath":"/sub","subpath":"deep/er"}]})");
        QVERIFY(!sandbox.isEmpty());

        // sudo works, and what root makes belongs on the host to someone else.
        const auto made = sb.exec(sandbox, QStringLiteral("sudo sh -c 'echo x > /data/by-root && id -u'"));
        QCOMPARE(made.exitCode, 0);
        QCOMPARE(made.out.trimmed(), QByteArray("0"));
        const uint rootOnHost = hostOwner(volumePath(QStringLiteral("by-root")));
        QVERIFY2(rootOnHost != 0 && rootOnHost != ~0u,
                 qPrintable(QStringLiteral("a file root made in a sandbox is owned by uid %1 on the host")
                                .arg(rootOnHost)));
        QCOMPARE(rootOnHost, Sandboxes::engineRootUid());
        // The agent's folder, a host folder the sandbox writes to: the same.
        QCOMPARE(sb.exec(sandbox, QStringLiteral("sudo touch /run/cove/by-root")).exitCode, 0);
        QCOMPARE(hostOwner(coved.dataDir() + QStringLiteral("/sandboxes/") + sandbox +
                           QStringLiteral("/run/by-root")),
                 rootOnHost);

        // The sandbox user's files, and the file API's, are the sandbox user's on both sides.
        QCOMPARE(sb.exec(sandbox, QStringLiteral("echo y > /data/by-user && echo z > /sub/in-sub")).exitCode,
                 0);
        const uint userOnHost = hostOwner(volumePath(QStringLiteral("by-user")));
        QCOMPARE(userOnHost, rootOnHost + 1000);
        QCOMPARE(hostOwner(volumePath(QStringLiteral("deep/er/in-sub"))), userOnHost);
        QCOMPARE(hostOwner(volumePath(QStringLiteral("deep/er"))), userOnHost);
        QCOMPARE(sb.call("POST", QStringLiteral("/api/volumes/%1/files/upload?path=api/up.txt").arg(volumeId),
                         "from-api")
                     .status,
                 200);
        QCOMPARE(hostOwner(volumePath(QStringLiteral("api/up.txt"))), userOnHost);
        const auto seen =
            sb.exec(sandbox,
                    QStringLiteral("stat -c %u /data/api /data/api/up.txt && echo more >> /data/api/up.txt"));
        QCOMPARE(seen.exitCode, 0);
        QCOMPARE(seen.out, QByteArray("1000\n1000\n"));
        QCOMPARE(
            sb.call("GET", QStringLiteral("/api/volumes/%1/files/download?path=by-root").arg(volumeId)).body,
            QByteArray("x\n"));
    }

    void rootInASandboxCannotTouchWhatHostRootOwns() {
        QVERIFY(!sandbox.isEmpty());
        // A file host root owns, reached through the volume's bind mount.
        const QString hostFile = volumePath(QStringLiteral("host-owned"));
        {
            QFile f(hostFile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("host\n");
        }
        QCOMPARE(::chown(QFile::encodeName(hostFile).constData(), 0, 0), 0);
        QCOMPARE(::chmod(QFile::encodeName(hostFile).constData(), 0644), 0);
        const auto write =
            sb.exec(sandbox, QStringLiteral("sudo sh -c 'echo pwned >> /data/host-owned' 2>&1"));
        QVERIFY2(write.exitCode != 0, write.out.constData());
        QVERIFY2(write.exitCode != -1, "the call itself failed");
        const auto chown = sb.exec(sandbox, QStringLiteral("sudo chown 1000 /data/host-owned 2>&1"));
        QVERIFY2(chown.exitCode != 0, chown.out.constData());
        QFile f(hostFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("host\n"));
        QCOMPARE(hostOwner(hostFile), 0u);

        // A set-user-id shell root makes in a volume is no root shell for the host's users.
        QCOMPARE(sb.exec(sandbox,
                         QStringLiteral("sudo sh -c 'cp /bin/sh /data/rootsh && chmod 4755 /data/rootsh'"))
                     .exitCode,
                 0);
        QVERIFY(hostOwner(volumePath(QStringLiteral("rootsh"))) != 0);
        QVERIFY(QFileInfo(volumePath(QStringLiteral("rootsh"))).exists());
    }
};

QTEST_GUILESS_MAIN(TestSecUserns)
#include "tst_sec_userns.moc"
