// Volumes on a real coved with real containers: the Daytona shapes, files shared between sandboxes and
// the file API, read-only and subpath mounts, deletion while mounted, bad input that leaves nothing
// behind, and symbolic links a sandbox plants to reach the host through the file API.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QUrl>
#include <QtTest>

#include <algorithm>

using namespace cove::test;

class TestVolumes : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};
    QString volumeId; // "shared", mounted by sandboxes a and b
    QString a, b;

    Reply call(const QByteArray& method, const QString& path, const QByteArray& body = {},
               const QList<QPair<QByteArray, QByteArray>>& headers = {}) {
        return request(method, coved.url() + path, coved.adminKey(), body, headers);
    }
    QString files(const QString& suffix, const QString& path) {
        return QStringLiteral("/api/volumes/%1/files%2?path=%3")
            .arg(volumeId, suffix, QString::fromUtf8(QUrl::toPercentEncoding(path)));
    }
    CommandResult exec(const QString& id, const QString& script) { return sb.exec(id, script); }
    int liveSandboxes() {
        return call("GET", QStringLiteral("/api/sandbox"))
            .object()
            .value(QStringLiteral("items"))
            .toArray()
            .size();
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
    }

    void createGetListShapes() {
        const auto created = call("POST", QStringLiteral("/api/volumes"), R"({"name":"shared"})");
        QCOMPARE(created.status, 200);
        const auto v = created.object();
        volumeId = v.value(QStringLiteral("id")).toString();
        QVERIFY(!volumeId.isEmpty());
        QCOMPARE(v.value(QStringLiteral("name")).toString(), QStringLiteral("shared"));
        QCOMPARE(v.value(QStringLiteral("state")).toString(), QStringLiteral("ready"));
        QCOMPARE(v.value(QStringLiteral("organizationId")).toString(), QStringLiteral("personal"));
        QVERIFY(v.value(QStringLiteral("errorReason")).isNull());
        QVERIFY(!v.value(QStringLiteral("createdAt")).toString().isEmpty());
        QVERIFY(!v.value(QStringLiteral("updatedAt")).toString().isEmpty());
        QVERIFY(v.contains(QStringLiteral("lastUsedAt")));
        QCOMPARE(v.value(QStringLiteral("usedBytes")).toInt(-1), 0);

        const QString dir = coved.dataDir() + QStringLiteral("/volumes/") + volumeId;
        QVERIFY(QFileInfo(dir).isDir());
        QCOMPARE(QFileInfo(dir).ownerId(), Sandboxes::engineRootUid() + 1000u); // the sandbox user

        QCOMPARE(
            call("GET", QStringLiteral("/api/volumes/") + volumeId).object().value(QStringLiteral("name")),
            QJsonValue(QStringLiteral("shared")));
        QCOMPARE(
            call("GET", QStringLiteral("/api/volumes/by-name/shared")).object().value(QStringLiteral("id")),
            QJsonValue(volumeId));
        const auto list = call("GET", QStringLiteral("/api/volumes"));
        QCOMPARE(list.status, 200);
        QVERIFY(list.json().isArray()); // Daytona's bare VolumeDto[]
        QCOMPARE(int(list.json().array().size()), 1);
        QCOMPARE(list.json().array().at(0).toObject().value(QStringLiteral("id")).toString(), volumeId);

        // What the SDK's volume.get(name, true) relies on: a real 404 for an unknown name.
        const auto missing = call("GET", QStringLiteral("/api/volumes/by-name/nothing"));
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.message(), QStringLiteral("Volume named 'nothing' not found."));
        QCOMPARE(call("GET", QStringLiteral("/api/volumes/no-such-id")).status, 404);

        const auto dup = call("POST", QStringLiteral("/api/volumes"), R"({"name":"shared"})");
        QCOMPARE(dup.status, 409);
        QVERIFY2(dup.message().contains(QStringLiteral("already exists")), dup.body.constData());
        QCOMPARE(call("POST", QStringLiteral("/api/volumes"), "{}").status, 400);
        QCOMPARE(call("POST", QStringLiteral("/api/volumes"), R"({"name":"a/b"})").status, 400);
        QCOMPARE(call("POST", QStringLiteral("/api/volumes"), R"({"name":7})").message(),
                 QStringLiteral("'name' must be a string."));
        QCOMPARE(call("POST", QStringLiteral("/api/volumes"), R"({"name":)").status, 400);
    }

    void scopesAndAudit() {
        const auto key = call("POST", QStringLiteral("/api/api-keys"),
                              R"({"name":"reader","permissions":["read:volumes"]})");
        QCOMPARE(key.status, 201);
        const QString reader = key.object().value(QStringLiteral("value")).toString();
        QCOMPARE(request("GET", coved.apiUrl() + QStringLiteral("/volumes"), reader).status, 200);
        const auto refused =
            request("POST", coved.apiUrl() + QStringLiteral("/volumes"), reader, R"({"name":"x"})");
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.message(), QStringLiteral("This API key lacks the scope 'write:volumes'."));
        QCOMPARE(request("DELETE", coved.apiUrl() + QStringLiteral("/volumes/") + volumeId, reader).status,
                 403);

        const auto audit = call("GET", QStringLiteral("/api/audit?targetType=volume&action=create")).object();
        const auto items = audit.value(QStringLiteral("items")).toArray();
        QVERIFY(std::any_of(items.begin(), items.end(), [&](const QJsonValue& i) {
            return i.toObject().value(QStringLiteral("targetId")).toString() == volumeId;
        }));
    }

    void badMountsAreRefusedAndLeaveNothing_data() {
        QTest::addColumn<QByteArray>("volumes");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        const QByteArray id = volumeId.toUtf8();
        const auto mount = [&](const QByteArray& path, const QByteArray& extra = {}) {
            return "[{\"volumeId\":\"" + id + "\",\"mountPath\":\"" + path + "\"" + extra + "}]";
        };
        QTest::newRow("etc") << mount("/etc") << 400 << "inside the system folder /etc";
        QTest::newRow("etc child") << mount("/etc/app") << 400 << "inside the system folder /etc";
        QTest::newRow("proc") << mount("/proc") << 400 << "system folder /proc";
        QTest::newRow("run/cove") << mount("/run/cove") << 400 << "system folder /run";
        QTest::newRow("usr/lib") << mount("/usr/lib/x") << 400 << "system folder /usr";
        QTest::newRow("root") << mount("/") << 400 << "cannot be '/'";
        QTest::newRow("dotdot") << mount("/a/../b") << 400 << "must not contain '.', '..'";
        QTest::newRow("dot") << mount("/a/./b") << 400 << "must not contain '.', '..'";
        QTest::newRow("double slash") << mount("/a//b") << 400 << "consecutive slashes";
        QTest::newRow("relative") << mount("data") << 400 << "must be an absolute path";
        QTest::newRow("colon") << mount("/data:/etc") << 400 << "':'";
        QTest::newRow("subpath up") << mount("/data", ",\"subpath\":\"../x\"") << 400 << "contains '..'";
        QTest::newRow("subpath absolute")
            << mount("/data", ",\"subpath\":\"/x\"") << 400 << "must be relative to the volume's root";
        QTest::newRow("unknown volume") << QByteArray(R"([{"volumeId":"nope","mountPath":"/data"}])") << 404
                                        << "Volume 'nope' (volumes[0]) not found";
        QTest::newRow("duplicate path")
            << "[{\"volumeId\":\"" + id +
                   "\",\"mountPath\":\"/data\"},{\"volumeId\":\"shared\",\"mountPath\":\"/data/\"}]"
            << 400 << "Two volumes are mounted at /data";
        QTest::newRow("not an array") << QByteArray("\"shared\"") << 400 << "'volumes' must be an array";
        QTest::newRow("item not object") << QByteArray("[1]") << 400 << "volumes[0] is not an object";
        QTest::newRow("mountPath type")
            << "[{\"volumeId\":\"" + id + "\",\"mountPath\":5}]" << 400 << "'mountPath' must be a string";
        QTest::newRow("no mountPath")
            << "[{\"volumeId\":\"" + id + "\"}]" << 400 << "'volumes[0].mountPath' is required";
        QTest::newRow("readOnly type") << mount("/data", ",\"readOnly\":\"yes\"") << 400
                                       << "'volumes[0].readOnly' must be true or false";
        // The subpath passes the checks but is a link a sandbox could have made: refused at create.
        QTest::newRow("subpath through a link")
            << mount("/data", ",\"subpath\":\"link/x\"") << 400 << "symbolic link";
    }
    void badMountsAreRefusedAndLeaveNothing() {
        QFETCH(QByteArray, volumes);
        QFETCH(int, status);
        QFETCH(QString, message);
        QFile::link(QStringLiteral("/"),
                    coved.dataDir() + QStringLiteral("/volumes/") + volumeId + QStringLiteral("/link"));
        const int before = liveSandboxes();
        const auto r = call("POST", QStringLiteral("/api/sandbox"), "{\"volumes\":" + volumes + "}");
        QCOMPARE(r.status, status);
        QVERIFY2(r.message().contains(message), r.body.constData());
        QCOMPARE(liveSandboxes(), before);
        QVERIFY(!QFileInfo::exists(QStringLiteral("/x"))); // nothing made through the link
    }
    void malformedCreateBody() {
        const int before = liveSandboxes();
        QCOMPARE(call("POST", QStringLiteral("/api/sandbox"), R"({"volumes":[)").status, 400);
        QCOMPARE(liveSandboxes(), before);
        QFile::remove(coved.dataDir() + QStringLiteral("/volumes/") + volumeId + QStringLiteral("/link"));
    }

    void filesAreSharedBetweenSandboxesAndTheFileApi() {
        // a: the whole volume (named, not by id), a read-only view, and a subfolder.
        a = sb.create(R"({"name":"vol-a","volumes":[{"volumeId":"shared","mountPath":"/data"},)"
                      R"({"volumeId":"shared","mountPath":"/ro","readOnly":true},)"
                      R"({"volumeId":"shared","mountPath":"/sub","subpath":"team/a"}]})");
        QVERIFY(!a.isEmpty());
        b = sb.create(("{\"name\":\"vol-b\",\"volumes\":[{\"volumeId\":\"" + volumeId.toUtf8() +
                       "\",\"mountPath\":\"/shared\"}]}"));
        QVERIFY(!b.isEmpty());
        const auto echoed = sb.get(a).value(QStringLiteral("volumes")).toArray();
        QCOMPARE(int(echoed.size()), 3);
        QCOMPARE(echoed.at(0).toObject().value(QStringLiteral("volumeId")).toString(), volumeId); // resolved
        QCOMPARE(echoed.at(0).toObject().value(QStringLiteral("mountPath")).toString(),
                 QStringLiteral("/data"));
        QCOMPARE(echoed.at(1).toObject().value(QStringLiteral("readOnly")).toBool(), true);
        QCOMPARE(echoed.at(2).toObject().value(QStringLiteral("subpath")).toString(),
                 QStringLiteral("team/a"));
        QVERIFY(
            QFileInfo(coved.dataDir() + QStringLiteral("/volumes/") + volumeId + QStringLiteral("/team/a"))
                .isDir());

        // Written through a's mount (as the sandbox user), read in b and through the file API.
        auto w = exec(a, QStringLiteral("echo hello-from-a > /data/a.txt && id -u"));
        QCOMPARE(w.exitCode, 0);
        QCOMPARE(w.out.trimmed(), QByteArray("1000"));
        auto r = exec(b, QStringLiteral("cat /shared/a.txt"));
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.trimmed(), QByteArray("hello-from-a"));
        const auto dl = call("GET", files(QStringLiteral("/download"), QStringLiteral("a.txt")));
        QCOMPARE(dl.status, 200);
        QCOMPARE(dl.body, QByteArray("hello-from-a\n"));

        // Uploaded through the API (raw and multipart, several MB), seen in the sandbox.
        QByteArray big(6 << 20, '\0');
        for (int i = 0; i < big.size(); ++i)
            big[i] = char('a' + i % 26);
        QCOMPARE(call("POST", files(QStringLiteral("/upload"), QStringLiteral("up/big.bin")), big).status,
                 200);
        r = exec(b, QStringLiteral("wc -c < /shared/up/big.bin && stat -c %u /shared/up/big.bin && echo more "
                                   ">> /shared/up/big.bin"));
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.split('\n').value(0).trimmed(), QByteArray::number(6 << 20));
        QCOMPARE(r.out.split('\n').value(1).trimmed(), QByteArray("1000")); // the sandbox user may change it
        const QByteArray multipart =
            "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\nfrom-multipart\r\n--XyZ--\r\n";
        QCOMPARE(call("POST", files(QStringLiteral("/upload"), QStringLiteral("m.txt")), multipart,
                      {{"Content-Type", "multipart/form-data; boundary=XyZ"}})
                     .status,
                 200);
        QCOMPARE(exec(a, QStringLiteral("cat /data/m.txt")).out, QByteArray("from-multipart"));
        QCOMPARE(call("PUT", files(QStringLiteral("/upload"), QStringLiteral("put.txt")), "via-put").status,
                 200);
        QCOMPARE(call("GET", files(QStringLiteral("/download"), QStringLiteral("put.txt"))).body,
                 QByteArray("via-put"));
        QCOMPARE(call("DELETE", files({}, QStringLiteral("put.txt"))).status, 200);
        const auto bigBack = call("GET", files(QStringLiteral("/download"), QStringLiteral("up/big.bin")));
        QCOMPARE(int(bigBack.body.size()), (6 << 20) + 5);
        QVERIFY(bigBack.body.startsWith(big.left(1000)));
        QVERIFY(call("GET", QStringLiteral("/api/volumes/") + volumeId)
                    .object()
                    .value(QStringLiteral("usedBytes"))
                    .toInteger() >= 6 << 20);

        // Folders, listing and deleting through the API.
        QCOMPARE(call("POST", files(QStringLiteral("/folder"), QStringLiteral("made/deep"))).status, 200);
        QCOMPARE(exec(b, QStringLiteral("test -d /shared/made/deep")).exitCode, 0);
        const auto listing = call("GET", files({}, QStringLiteral("/")));
        QCOMPARE(listing.status, 200);
        QStringList names;
        for (const auto& e : listing.json().array())
            names << e.toObject().value(QStringLiteral("name")).toString();
        QCOMPARE(names, (QStringList{"a.txt", "m.txt", "made", "team", "up"}));
        const auto notEmpty = call("DELETE", files({}, QStringLiteral("made")));
        QCOMPARE(notEmpty.status, 409);
        QVERIFY2(notEmpty.message().contains(QStringLiteral("recursive=true")), notEmpty.body.constData());
        QCOMPARE(call("DELETE", files({}, QStringLiteral("made")) + QStringLiteral("&recursive=true")).status,
                 200);
        QCOMPARE(exec(b, QStringLiteral("test -e /shared/made")).exitCode, 1);
        QCOMPARE(call("GET", files(QStringLiteral("/download"), QStringLiteral("nothing.txt"))).status, 404);
        QCOMPARE(call("GET", files(QStringLiteral("/download"), QStringLiteral("../cove.db"))).status, 400);
        QCOMPARE(call("DELETE", files({}, QStringLiteral("/"))).status, 400);
        QCOMPARE(call("GET", files(QStringLiteral("/download"), QStringLiteral("team"))).message(),
                 QStringLiteral("'team' in volume 'shared' is a folder."));
        QCOMPARE(call("POST", files(QStringLiteral("/upload"), QStringLiteral("team")), "x").message(),
                 QStringLiteral("'team' in volume 'shared' is a folder."));
        QCOMPARE(call("POST", files(QStringLiteral("/upload"), QStringLiteral("a.txt/x")), "x").status, 400);
        const QList<QPair<QByteArray, QByteArray>> form{
            {"Content-Type", "multipart/form-data; boundary=XyZ"}};
        const auto noFile =
            call("POST", files(QStringLiteral("/upload"), QStringLiteral("n.txt")),
                 "--XyZ\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nv\r\n--XyZ--\r\n", form);
        QCOMPARE(noFile.status, 400);
        QCOMPARE(noFile.message(), QStringLiteral("The multipart body has no part named 'file'."));
        const auto cut = call("POST", files(QStringLiteral("/upload"), QStringLiteral("n.txt")),
                              "--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\npartial", form);
        QCOMPARE(cut.status, 400);
        QCOMPARE(cut.message(), QStringLiteral("The multipart body ends early."));
        // Refused uploads leave neither the file nor a temporary one behind.
        QCOMPARE(exec(b, QStringLiteral("ls -A /shared | grep -c -e n.txt -e .cove-upload")).out.trimmed(),
                 QByteArray("0"));

        // Read-only: the write fails in the sandbox, the file stays absent.
        const auto ro = exec(a, QStringLiteral("touch /ro/x 2>&1"));
        QVERIFY(ro.exitCode != 0);
        QVERIFY2(ro.out.contains("Read-only file system"), ro.out.constData());
        QCOMPARE(exec(a, QStringLiteral("cat /ro/a.txt")).out.trimmed(), QByteArray("hello-from-a"));

        // Subpath: only the subfolder is visible, and what is written there lands in it.
        QCOMPARE(exec(a, QStringLiteral("ls -A /sub | wc -l")).out.trimmed(), QByteArray("0"));
        QCOMPARE(exec(a, QStringLiteral("echo in-sub > /sub/s.txt && test ! -e /sub/a.txt")).exitCode, 0);
        QCOMPARE(call("GET", files(QStringLiteral("/download"), QStringLiteral("team/a/s.txt"))).body,
                 QByteArray("in-sub\n"));
    }

    void symlinksPlantedBySandboxesLeadNowhere() {
        QVERIFY(!a.isEmpty());
        QCOMPARE(exec(a, QStringLiteral("ln -s / /data/esc && ln -s /etc/passwd /data/pw && "
                                        "ln -s ../../../.. /data/up2 && mkfifo /data/fifo"))
                     .exitCode,
                 0);
        const QByteArray hostPasswd = [] {
            QFile f(QStringLiteral("/etc/passwd"));
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        for (const auto* path : {"esc/etc/passwd", "pw", "up2/etc/passwd", "esc"}) {
            const auto r = call("GET", files(QStringLiteral("/download"), QString::fromLatin1(path)));
            QVERIFY2(r.status == 400, path);
            QVERIFY2(!r.body.contains("root:"), path);
        }
        QCOMPARE(call("GET", files(QStringLiteral("/download"), QStringLiteral("fifo"))).message(),
                 QStringLiteral("'fifo' in volume 'shared' is not a regular file."));
        const auto listEsc = call("GET", files({}, QStringLiteral("esc/etc")));
        QCOMPARE(listEsc.status, 400);
        QVERIFY2(listEsc.message().contains(QStringLiteral("leads outside the volume")),
                 listEsc.body.constData());
        // Writes through the links are refused and change nothing on the host.
        QCOMPARE(call("POST", files(QStringLiteral("/upload"), QStringLiteral("pw")), "owned").status, 400);
        QCOMPARE(
            call("POST", files(QStringLiteral("/upload"), QStringLiteral("esc/tmp/cove-volume-escape")), "x")
                .status,
            400);
        QCOMPARE(
            call("POST", files(QStringLiteral("/folder"), QStringLiteral("esc/tmp/cove-volume-escape-dir")))
                .status,
            400);
        QVERIFY(!QFileInfo::exists(QStringLiteral("/tmp/cove-volume-escape")));
        QVERIFY(!QFileInfo::exists(QStringLiteral("/tmp/cove-volume-escape-dir")));
        QFile passwd(QStringLiteral("/etc/passwd"));
        QVERIFY(passwd.open(QIODevice::ReadOnly));
        QCOMPARE(passwd.readAll(), hostPasswd);
        // Deleting a link removes the link, never what it points at.
        QCOMPARE(call("DELETE", files({}, QStringLiteral("pw"))).status, 200);
        QCOMPARE(call("DELETE", files({}, QStringLiteral("esc")) + QStringLiteral("&recursive=true")).status,
                 200);
        QVERIFY(QFileInfo::exists(QStringLiteral("/etc/passwd")));
        QVERIFY(QFileInfo(QStringLiteral("/usr/bin")).isDir());
        QCOMPARE(exec(a, QStringLiteral("test -e /data/pw || test -L /data/esc")).exitCode, 1);
    }

    void deleteIsRefusedWhileMounted() {
        const auto refused = call("DELETE", QStringLiteral("/api/volumes/") + volumeId);
        QCOMPARE(refused.status, 409);
        QVERIFY2(refused.message().contains(QStringLiteral("'vol-a'")) &&
                     refused.message().contains(QStringLiteral("'vol-b'")),
                 refused.body.constData());
        QCOMPARE(
            call("GET", QStringLiteral("/api/volumes/") + volumeId).object().value(QStringLiteral("state")),
            QJsonValue(QStringLiteral("ready")));

        QCOMPARE(call("DELETE", QStringLiteral("/api/sandbox/") + a).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(call("GET", QStringLiteral("/api/sandbox/") + a).status, 404, 30000);
        const auto stillB = call("DELETE", QStringLiteral("/api/volumes/shared"));
        QCOMPARE(stillB.status, 409);
        QVERIFY2(!stillB.message().contains(QStringLiteral("vol-a")), stillB.body.constData());
        QCOMPARE(call("DELETE", QStringLiteral("/api/sandbox/") + b).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(call("GET", QStringLiteral("/api/sandbox/") + b).status, 404, 30000);

        const auto deleted = call("DELETE", QStringLiteral("/api/volumes/") + volumeId);
        QCOMPARE(deleted.status, 200);
        QCOMPARE(deleted.object().value(QStringLiteral("state")).toString(), QStringLiteral("deleted"));
        QVERIFY(!QFileInfo::exists(coved.dataDir() + QStringLiteral("/volumes/") + volumeId));
        QCOMPARE(call("GET", QStringLiteral("/api/volumes/by-name/shared")).status, 404);
        QCOMPARE(int(call("GET", QStringLiteral("/api/volumes")).json().array().size()), 0);
        QCOMPARE(int(call("GET", QStringLiteral("/api/volumes?includeDeleted=true")).json().array().size()),
                 1);
        QCOMPARE(
            call("GET", QStringLiteral("/api/volumes/") + volumeId).object().value(QStringLiteral("state")),
            QJsonValue(QStringLiteral("deleted")));
        QCOMPARE(call("GET", files({}, QStringLiteral("/"))).status, 409);
        // The name is free again; a deleted volume cannot be mounted.
        QCOMPARE(call("POST", QStringLiteral("/api/volumes"), R"({"name":"shared"})").status, 200);
        const auto gone =
            call("POST", QStringLiteral("/api/sandbox"),
                 "{\"volumes\":[{\"volumeId\":\"" + volumeId.toUtf8() + "\",\"mountPath\":\"/d\"}]}");
        QCOMPARE(gone.status, 404);
    }

    void quotaIsEnforced() {
        QCOMPARE(
            call("PATCH", QStringLiteral("/api/organizations/personal/quota"), R"({"volumeQuota":1})").status,
            200);
        const auto refused = call("POST", QStringLiteral("/api/volumes"), R"({"name":"second"})");
        QCOMPARE(refused.status, 403);
        QCOMPARE(
            refused.message(),
            QStringLiteral("Your quota allows 1 volumes; 1 in use. Delete a volume, or raise the limit on "
                           "the Limits page."));
        const auto usage = call("GET", QStringLiteral("/api/organizations/personal/usage")).object();
        QCOMPARE(usage.value(QStringLiteral("currentVolumeUsage")).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestVolumes)
#include "tst_volumes.moc"
