// Attacks on the toolbox's doors, from a local client holding a link and from inside a sandbox: a signed
// file URL bent to another file, a preview token used as a toolbox key, a read-only key changing a
// sandbox, and a sandbox that squats its own agent socket to freeze coved.
#include "service/store/Store.h"
#include "support/CovedProcess.h"
#include "support/HealthProbe.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QDateTime>
#include <QJsonArray>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QWebSocket>
#include <QtTest>

using cove::test::CovedProcess;
using cove::test::HealthProbe;
using cove::test::Reply;
using cove::test::request;
using cove::test::run;

class TestSecToolbox : public QObject {
    Q_OBJECT
    CovedProcess coved;
    std::unique_ptr<cove::test::Sandboxes> sandboxes;
    QString id; // one sandbox most cases share

    Reply api(const QByteArray& method, const QString& path, const QByteArray& body = {}) {
        return sandboxes->call(method, path, body);
    }
    QString toolbox(const QString& sandbox, const QString& rest) const {
        return coved.url() + QStringLiteral("/toolbox/") + sandbox + rest;
    }
    // Runs a command in the sandbox as its root (the attacker's seat).
    cove::test::CommandResult asRoot(const QString& sandbox, const QString& script, bool detach = false) {
        QStringList args{QStringLiteral("exec"), QStringLiteral("-u"), QStringLiteral("0")};
        if (detach)
            args << QStringLiteral("-d");
        args << QStringLiteral("cove-") + sandbox << QStringLiteral("sh") << QStringLiteral("-c") << script;
        return run(QStringLiteral("docker"), args);
    }
    QString signingKey(const QString& sandbox) {
        const Reply r =
            api("GET", QStringLiteral("/api/sandbox/") + sandbox + QStringLiteral("/signing-key"));
        return QString::fromUtf8(r.body).remove(QLatin1Char('"'));
    }
    static QString sign(const QString& key, const char* method, const QString& path, qint64 expires) {
        const QByteArray canonical =
            "v1:files:" + QByteArray(method) + ':' + path.toUtf8() + ':' + QByteArray::number(expires);
        return QStringLiteral("v1_") +
               QString::fromLatin1(
                   QMessageAuthenticationCode::hash(canonical, key.toUtf8(), QCryptographicHash::Sha256)
                       .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    }
    static QByteArray enc(const QString& s) { return QUrl::toPercentEncoding(s); }
    // A GET with the target sent byte for byte: QUrl would tidy "pa%74h" into "path" before it left.
    Reply rawGet(const QByteArray& target) const {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(QUrl(coved.url()).port()));
        if (!socket.waitForConnected(5000))
            return {};
        socket.write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        QByteArray all;
        while (socket.waitForReadyRead(15000) || socket.bytesAvailable())
            all += socket.readAll();
        Reply r;
        r.status = all.mid(9, 3).toInt();
        r.body = all.mid(all.indexOf("\r\n\r\n") + 4);
        return r;
    }
    // A key of the installation with only these scopes.
    QString makeKey(const QString& name, const QStringList& scopes) {
        const QByteArray body =
            QJsonDocument(QJsonObject{{QStringLiteral("name"), name},
                                      {QStringLiteral("permissions"), QJsonArray::fromStringList(scopes)}})
                .toJson();
        const Reply r = api("POST", QStringLiteral("/api/api-keys"), body);
        return r.object().value(QStringLiteral("value")).toString();
    }
    // Opens a toolbox WebSocket (the browser SDK's PTY) with a token in the query; true when the agent's
    // "connected" arrives.
    bool ptyOpensWith(const QString& sandbox, const QString& token) {
        QWebSocket ws;
        QSignalSpy text(&ws, &QWebSocket::textMessageReceived);
        QSignalSpy closed(&ws, &QWebSocket::disconnected);
        QNetworkRequest req(QUrl(QStringLiteral("ws") + coved.url().mid(4) + QStringLiteral("/toolbox/") +
                                 sandbox + QStringLiteral("/process/pty/create-connect?id=sec") +
                                 QString::number(QDateTime::currentMSecsSinceEpoch()) +
                                 QStringLiteral("&DAYTONA_SANDBOX_AUTH_KEY=") + token));
        req.setRawHeader("Sec-WebSocket-Protocol", "X-Daytona-Pty-Exit-Control");
        ws.open(req);
        // Either signal ends the wait; neither within the limit counts as refused.
        const bool answered = QTest::qWaitFor([&] { return !text.isEmpty() || !closed.isEmpty(); }, 15000);
        const bool connected = answered && !text.isEmpty() &&
                               text.first().first().toString().contains(QStringLiteral("connected"));
        ws.close();
        return connected;
    }

private slots:
    void initTestCase() {
        // The attacks here present many bad credentials on purpose; the brake on guessing is not what
        // is tested.
        QVERIFY2(coved.start({QStringLiteral("--rate-limit"), QStringLiteral("auth-failures=0"),
                              QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        sandboxes = std::make_unique<cove::test::Sandboxes>(coved);
        id = sandboxes->create();
        QVERIFY(!id.isEmpty());
        QCOMPARE(asRoot(id, QStringLiteral("printf public > /home/cove/public.txt && printf secret > "
                                           "/home/cove/secret.txt && chown cove /home/cove/*.txt"))
                     .exitCode,
                 0);
    }

    // A URL signed for public.txt is bent, in every way its query can be read twice, to secret.txt.
    void signedDownloadOpensOnlyTheSignedPath() {
        const QString key = signingKey(id);
        QVERIFY(key.size() >= 32);
        const QString path = QStringLiteral("/home/cove/public.txt");
        const QString secret = QStringLiteral("/home/cove/secret.txt");
        const qint64 later = QDateTime::currentSecsSinceEpoch() + 600;
        const QByteArray sig = enc(sign(key, "GET", path, later));
        const QByteArray tail = "&expires=" + QByteArray::number(later) + "&signature=" + sig;
        // The honest URL works.
        Reply r = request("GET", toolbox(id, QStringLiteral("/files/download?path=") + enc(path) + tail));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("public"));
        const QList<QByteArray> bent{
            "pa%74h=" + enc(path) + "&path=" + enc(secret) + tail, // coved decodes the key, the agent did not
            "path=" + enc(path) + "&pa%74h=" + enc(secret) + tail, // the same, the other way round
            "path=" + enc(path) + "&path=" + enc(secret) + tail,   // plainly twice
            "path=" + enc(secret) + "&path=" + enc(path) + tail,
            "path=" + enc(path) + tail + "&path=" + enc(secret),     // after the signature
            "p%61th=" + enc(path) + tail + "&%70ath=" + enc(secret), // both keys spelled out
            "path=" + enc(path) + tail + "&expires=0",               // a second expiry
        };
        for (const QByteArray& q : bent) {
            r = rawGet("/toolbox/" + id.toUtf8() + "/files/download?" + q);
            QVERIFY2(!r.body.contains("secret"), q.constData());
            QVERIFY2(r.status == 401 || r.body == "public",
                     (q + " -> " + QByteArray::number(r.status)).constData());
        }
    }

    // A URL signed to upload one file writes that file and nothing else.
    void signedUploadWritesOnlyTheSignedPath() {
        const QString key = signingKey(id);
        const QString path = QStringLiteral("/home/cove/up.txt");
        const qint64 later = QDateTime::currentSecsSinceEpoch() + 600;
        const QString url = toolbox(id, QStringLiteral("/files/upload-v2?path=")) +
                            QString::fromLatin1(enc(path)) + QStringLiteral("&expires=") +
                            QString::number(later) + QStringLiteral("&signature=") +
                            QString::fromLatin1(enc(sign(key, "POST", path, later)));
        const QByteArray b = "cove-sec";
        const QList<QPair<QByteArray, QByteArray>> multipart{
            {"Content-Type", "multipart/form-data; boundary=" + b}};
        const auto part = [&](const QByteArray& name, const QByteArray& filename, const QByteArray& data) {
            return "--" + b + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" +
                   filename + "\"\r\n\r\n" + data + "\r\n";
        };
        // Bulk-upload's parts that name their own destinations.
        Reply r = request("POST", url, {},
                          part("file", "x", "ok") + part("files[0].file", "/home/cove/evil1.txt", "evil") +
                              "--" + b + "--\r\n",
                          multipart);
        QCOMPARE(r.status, 400);
        r = request(
            "POST", url, {},
            "--" + b +
                "\r\nContent-Disposition: form-data; name=\"files[0].path\"\r\n\r\n/home/cove/evil2.txt\r\n" +
                part("files[0].file", "f", "evil") + "--" + b + "--\r\n",
            multipart);
        QCOMPARE(r.status, 400);
        // Two files under one signature.
        r = request("POST", url, {},
                    part("file", "a", "one") + part("file", "b", "two") + "--" + b + "--\r\n", multipart);
        QCOMPARE(r.status, 400);
        // A filename is never a destination here.
        r = request("POST", url, {}, part("file", "/home/cove/evil3.txt", "good") + "--" + b + "--\r\n",
                    multipart);
        QCOMPARE(r.status, 200);
        const auto listed = asRoot(id, QStringLiteral("cat /home/cove/up.txt; ls /home/cove"));
        QVERIFY2(listed.out.startsWith("good"), listed.out.constData());
        QVERIFY2(!listed.out.contains("evil"), listed.out.constData());
    }

    // A preview token opens its own port's preview; port 1's token (the browser SDK's) opens the
    // toolbox's WebSockets, and neither opens the toolbox's other routes.
    void previewTokensOpenOnlyWhatTheyAreFor() {
        const auto token = [&](int port, const QString& key = {}) {
            const QString path = QStringLiteral("/api/sandbox/") + id + QStringLiteral("/ports/") +
                                 QString::number(port) + QStringLiteral("/preview-url");
            const Reply r = key.isEmpty() ? api("GET", path) : request("GET", coved.url() + path, key);
            return r.object().value(QStringLiteral("token")).toString();
        };
        const QString t3000 = token(3000), t1 = token(1);
        QVERIFY(!t3000.isEmpty() && !t1.isEmpty() && t3000 != t1);
        const QString version = toolbox(id, QStringLiteral("/version"));
        for (const QString& t : {t3000, t1}) {
            QCOMPARE(request("GET", version, {}, {}, {{"X-Daytona-Preview-Token", t.toUtf8()}}).status, 401);
            QCOMPARE(request("GET", version + QStringLiteral("?DAYTONA_SANDBOX_AUTH_KEY=") + t).status, 401);
            QCOMPARE(request("POST",
                             toolbox(id, QStringLiteral("/process/execute?DAYTONA_SANDBOX_AUTH_KEY=")) + t,
                             {}, R"({"command":"touch /tmp/pwned"})")
                         .status,
                     401);
        }
        QVERIFY(ptyOpensWith(id, t1));     // what the browser SDK does
        QVERIFY(!ptyOpensWith(id, t3000)); // another port's token is no toolbox key
        QCOMPARE(asRoot(id, QStringLiteral("test -e /tmp/pwned")).exitCode, 1);

        // The preview proxy (host form) takes each token for its own port only.
        const auto preview = [&](int port, const QString& t) {
            return request(
                       "GET", coved.url() + QStringLiteral("/"), {}, {},
                       {{"Host", (QString::number(port) + QLatin1Char('-') + id +
                                  QStringLiteral(".localhost:") + QString::number(QUrl(coved.url()).port()))
                                     .toUtf8()},
                        {"X-Daytona-Preview-Token", t.toUtf8()}})
                .status;
        };
        QVERIFY(preview(3000, t3000) != 401);
        QCOMPARE(preview(3001, t3000), 401);

        // A key that may not change the sandbox gets a port-1 token without the toolbox grant.
        const QString readOnly = makeKey(QStringLiteral("sec-read-only"), {QStringLiteral("read:volumes")});
        QVERIFY(!readOnly.isEmpty());
        const QString weak = token(1, readOnly);
        QVERIFY(!weak.isEmpty() && weak != t1);
        QVERIFY(!ptyOpensWith(id, weak));

        // Rotating the signing key voids every token handed out.
        QCOMPARE(
            api("POST", QStringLiteral("/api/sandbox/") + id + QStringLiteral("/signing-key/rotate")).status,
            200);
        QCOMPARE(preview(3000, t3000), 401);
        QVERIFY(!ptyOpensWith(id, t1));
        QVERIFY(ptyOpensWith(id, token(1)));
    }

    // Toolbox calls that change a sandbox need write:sandboxes; reading does not.
    void readOnlyKeysCannotChangeASandbox() {
        const QString readOnly = makeKey(QStringLiteral("sec-reader"), {QStringLiteral("read:audit_logs")});
        QVERIFY(!readOnly.isEmpty());
        QCOMPARE(request("GET", toolbox(id, QStringLiteral("/files/download?path=/home/cove/public.txt")),
                         readOnly)
                     .status,
                 200);
        const Reply exec = request("POST", toolbox(id, QStringLiteral("/process/execute")), readOnly,
                                   R"({"command":"touch /tmp/ro"})");
        QCOMPARE(exec.status, 403);
        QVERIFY2(exec.message().contains(QStringLiteral("write:sandboxes")), exec.body.constData());
        QCOMPARE(asRoot(id, QStringLiteral("test -e /tmp/ro")).exitCode, 1);
        // A signing key signs uploads: it is a writer's to have.
        QCOMPARE(request("GET",
                         coved.url() + QStringLiteral("/api/sandbox/") + id + QStringLiteral("/signing-key"),
                         readOnly)
                     .status,
                 403);
        // A WebSocket terminal is a change too.
        QWebSocket ws;
        QSignalSpy text(&ws, &QWebSocket::textMessageReceived);
        QSignalSpy closed(&ws, &QWebSocket::disconnected);
        QNetworkRequest req(QUrl(QStringLiteral("ws") + coved.url().mid(4) + QStringLiteral("/toolbox/") +
                                 id + QStringLiteral("/process/pty/create-connect?id=ro")));
        req.setRawHeader("Authorization", "Bearer " + readOnly.toUtf8());
        ws.open(req);
        QTRY_VERIFY_WITH_TIMEOUT(!text.isEmpty() || !closed.isEmpty(), 15000);
        QVERIFY(text.isEmpty() || !text.first().first().toString().contains(QStringLiteral("connected")));
    }

    // The git routes take names, URLs, revisions and config keys from the caller and hand them to git as
    // arguments: none may be read as an option. A reset "to the revision --hard" must not discard the
    // work tree; a remote whose URL is an option must not run a command; a config key must not pick
    // another file.
    void gitArgumentsAreNeverOptions() {
        QCOMPARE(asRoot(id, QStringLiteral("su cove -c 'set -e; git init -q -b main /home/cove/gr; cd "
                                           "/home/cove/gr; echo one > a.txt; git add a.txt; git -c "
                                           "user.name=S -c user.email=s@x commit -qm one; echo changed > "
                                           "a.txt'"))
                     .exitCode,
                 0);
        const auto post = [&](const char* route, const QJsonObject& body) {
            return api("POST", QStringLiteral("/toolbox/") + id + QLatin1String(route),
                       QJsonDocument(body).toJson());
        };
        const QString repo = QStringLiteral("/home/cove/gr");
        Reply r = post("/git/reset", {{"path", repo}, {"target", "--hard"}});
        QCOMPARE(r.status, 400);
        QVERIFY2(r.message().contains(QStringLiteral("'-'")), r.body.constData());
        QCOMPARE(asRoot(id, QStringLiteral("cat /home/cove/gr/a.txt")).out.trimmed(), QByteArray("changed"));
        r = post("/git/restore", {{"path", repo}, {"files", QJsonArray{"a.txt"}}, {"source", "--staged"}});
        QCOMPARE(r.status, 400);
        r = post(
            "/git/remotes",
            {{"path", repo}, {"name", "evil"}, {"url", "--upload-pack=touch /tmp/pwned;"}, {"fetch", true}});
        QCOMPARE(r.status, 400);
        r = post("/git/remotes", {{"path", repo}, {"name", "--mirror=fetch"}, {"url", "/tmp/x"}});
        QCOMPARE(r.status, 400);
        QCOMPARE(asRoot(id, QStringLiteral("test -e /tmp/pwned")).exitCode, 1);
        QCOMPARE(asRoot(id, QStringLiteral("git -C /home/cove/gr remote | wc -l")).out.trimmed(),
                 QByteArray("0"));
        r = post("/git/config", {{"key", "--file=/tmp/picked"}, {"value", "x.y"}});
        QCOMPARE(r.status, 400);
        QCOMPARE(asRoot(id, QStringLiteral("test -e /tmp/picked")).exitCode, 1);
        r = api("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/git/config?key=--list"));
        QCOMPARE(r.status, 400);
        r = post("/git/config", {{"key", "user.name"}, {"value", "x"}, {"scope", "worktree"}});
        QCOMPARE(r.status, 400);
        QVERIFY2(r.message().contains(QStringLiteral("global")), r.body.constData());
    }

    // dangerouslyAuthenticate keeps the password where its contract says, the user's git credential
    // store, and nowhere else: not on any process's command line while it runs (an unprivileged process
    // in the sandbox can read every argv), not in .gitconfig, not in coved's log, audit log or the
    // agent's output.
    void gitCredentialsStayOutOfArgvAndLogs() {
        const QByteArray secret = "s3cr3t-" + QByteArray::number(QDateTime::currentMSecsSinceEpoch());
        // The watcher holds the secret reversed, so its own command line cannot match.
        QByteArray reversed = secret;
        std::reverse(reversed.begin(), reversed.end());
        const QString watch = QStringLiteral("import glob, os\n"
                                             "s = b'%1'[::-1]\n"
                                             "seen = 0\n"
                                             "open('/tmp/watching', 'w').close()\n"
                                             "while not os.path.exists('/tmp/stopwatch'):\n"
                                             "    for f in glob.glob('/proc/[0-9]*/cmdline'):\n"
                                             "        try:\n"
                                             "            if s in open(f, 'rb').read(): seen += 1\n"
                                             "        except OSError: pass\n"
                                             "open('/tmp/watched', 'w').write(str(seen))\n")
                                  .arg(QString::fromLatin1(reversed));
        QCOMPARE(asRoot(id, QStringLiteral("rm -f /tmp/watching /tmp/stopwatch /tmp/watched; cat > "
                                           "/tmp/watch.py <<'EOF'\n") +
                                watch + QStringLiteral("EOF\n"))
                     .exitCode,
                 0);
        QCOMPARE(asRoot(id, QStringLiteral("su cove -c 'python3 /tmp/watch.py'"), true).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(asRoot(id, QStringLiteral("test -e /tmp/watching")).exitCode == 0, 20000);
        for (int i = 0; i < 3; ++i) {
            const Reply r = api("POST", QStringLiteral("/toolbox/") + id + QStringLiteral("/git/credentials"),
                                QJsonDocument(QJsonObject{{"username", "ann"},
                                                          {"password", QString::fromLatin1(secret)},
                                                          {"host", "git.example.com"}})
                                    .toJson());
            QVERIFY2(r.status == 200 || r.status == 204, r.body.constData());
        }
        QCOMPARE(asRoot(id, QStringLiteral("touch /tmp/stopwatch")).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(asRoot(id, QStringLiteral("test -e /tmp/watched")).exitCode == 0, 20000);
        QCOMPARE(asRoot(id, QStringLiteral("cat /tmp/watched")).out, QByteArray("0"));
        // Where the contract puts it: git's credential store, the user's own file, mode 600; git gives
        // it back for that host.
        QCOMPARE(asRoot(id, QStringLiteral("stat -c %a:%U /home/cove/.git-credentials")).out.trimmed(),
                 QByteArray("600:cove"));
        const auto fill = asRoot(id, QStringLiteral("printf 'protocol=https\\nhost=git.example.com\\n\\n' | "
                                                    "su cove -c 'git credential fill'"));
        QVERIFY2(fill.out.contains("password=" + secret), fill.out.constData());
        QCOMPARE(
            asRoot(id, QStringLiteral("grep -rl '") + QString::fromLatin1(secret) +
                           QStringLiteral("' /home/cove/.gitconfig /home/cove/gr/.git/config /etc/gitconfig "
                                          "2>/dev/null | wc -l"))
                .out.trimmed(),
            QByteArray("0"));
        QVERIFY(!coved.log().contains(secret));
        const Reply audit = api("GET", QStringLiteral("/api/audit?action=toolbox_git_authenticate"));
        QCOMPARE(audit.status, 200);
        QVERIFY(audit.body.contains("toolbox_git_authenticate"));
        QVERIFY(!audit.body.contains(secret));
        const auto agentLog =
            run(QStringLiteral("docker"), {QStringLiteral("logs"), QStringLiteral("cove-") + id});
        QVERIFY(!agentLog.out.contains(secret) && !agentLog.err.contains(secret));
        // Credentials with a line break would write a second entry into the store: refused.
        const Reply bent =
            api("POST", QStringLiteral("/toolbox/") + id + QStringLiteral("/git/credentials"),
                QJsonDocument(QJsonObject{{"username", "ann\nhost=evil.example.com"}, {"password", "x"}})
                    .toJson());
        QCOMPARE(bent.status, 400);
        QCOMPARE(asRoot(id, QStringLiteral("grep -c evil /home/cove/.git-credentials")).out.trimmed(),
                 QByteArray("0"));
    }

    // A sandbox's telemetry is its organization's: another organization's key finds no sandbox on any
    // telemetry route, and bad ranges get a sentence, not a crash or a guess.
    void telemetryIsTheOrganizationsOwn() {
        const QString otherKey =
            QStringLiteral("cove_") +
            QString::fromLatin1(QByteArray::number(QRandomGenerator::global()->generate64(), 16).repeated(4));
        const auto db = cove::store::open(coved.database().toStdString());
        db->exec("INSERT INTO organizations (id, name, created_at) VALUES ('intruders', 'Intruders', 1)");
        db->exec(
            "INSERT INTO api_keys (id, organization_id, name, key_hash, key_prefix, key_suffix, scopes, "
            "created_at) VALUES ('k-intruder', 'intruders', 'intruder', ?, 'cove_', 'x', '[\"*\"]', 1)",
            {QCryptographicHash::hash(otherKey.toUtf8(), QCryptographicHash::Sha256).toHex().toStdString()});
        const QString range = QStringLiteral("?from=2020-01-01T00:00:00Z&to=2099-01-01T00:00:00Z");
        const QString base =
            coved.apiUrl() + QStringLiteral("/sandbox/") + id + QStringLiteral("/telemetry/");
        for (const QString& what :
             {QStringLiteral("metrics"), QStringLiteral("logs"), QStringLiteral("traces"),
              QStringLiteral("traces/0af7651916cd43dd8448eb211c80319c")}) {
            QCOMPARE(request("GET", base + what + range, otherKey).status, 404);
            QCOMPARE(request("GET", base + what + range, coved.adminKey()).status, 200);
        }
        QCOMPARE(request("GET", toolbox(id, QStringLiteral("/system/metrics")), otherKey).status, 404);
        // The owner's answers: the sandbox's own disk, not the volume's.
        const Reply mine = request("GET", toolbox(id, QStringLiteral("/system/metrics")), coved.adminKey());
        QCOMPARE(mine.status, 200);
        const double total = mine.object().value(QStringLiteral("diskTotal")).toDouble();
        const Reply info = api("GET", QStringLiteral("/api/info"));
        if (info.object()
                .value(QStringLiteral("engine"))
                .toObject()
                .value(QStringLiteral("diskLimits"))
                .toBool())
            QCOMPARE(total, double(api("GET", QStringLiteral("/api/sandbox/") + id)
                                       .object()
                                       .value(QStringLiteral("disk"))
                                       .toInt()) *
                                1024 * 1024 * 1024);
        // What the sandbox's main process writes is its log, stderr as ERROR, newest first.
        QCOMPARE(
            asRoot(id, QStringLiteral("echo telemetry-marker-out > /proc/1/fd/1; echo telemetry-marker-err > "
                                      "/proc/1/fd/2"))
                .exitCode,
            0);
        const QString logs = QStringLiteral("/api/sandbox/") + id + QStringLiteral("/telemetry/logs") +
                             range + QStringLiteral("&search=telemetry-marker");
        QTRY_COMPARE_WITH_TIMEOUT(api("GET", logs).object().value(QStringLiteral("total")).toInt(), 2, 10000);
        const QJsonArray lines = api("GET", logs).object().value(QStringLiteral("items")).toArray();
        QCOMPARE(lines.at(0).toObject().value(QStringLiteral("body")).toString(),
                 QStringLiteral("telemetry-marker-err"));
        QCOMPARE(lines.at(0).toObject().value(QStringLiteral("severityText")).toString(),
                 QStringLiteral("ERROR"));
        QCOMPARE(api("GET", logs + QStringLiteral("&severities=INFO"))
                     .object()
                     .value(QStringLiteral("total"))
                     .toInt(),
                 1);
        Reply bad = api("GET", QStringLiteral("/api/sandbox/") + id +
                                   QStringLiteral("/telemetry/metrics?to=2099-01-01T00:00:00Z"));
        QCOMPARE(bad.status, 400);
        QVERIFY2(bad.message().contains(QStringLiteral("'from' is required")), bad.body.constData());
        bad = api("GET",
                  QStringLiteral("/api/sandbox/") + id +
                      QStringLiteral("/telemetry/metrics?from=2099-01-01T00:00:00Z&to=2020-01-01T00:00:00Z"));
        QCOMPARE(bad.status, 400);
        bad = api("GET", QStringLiteral("/api/sandbox/") + id + QStringLiteral("/telemetry/logs") + range +
                             QStringLiteral("&limit=100000"));
        QCOMPARE(bad.status, 400);
        bad = api("GET", QStringLiteral("/api/sandbox/") + id +
                             QStringLiteral("/telemetry/logs?from=yesterday&to=now"));
        QCOMPARE(bad.status, 400);
    }

    // From inside, as root: the agent's socket is replaced by one that never accepts and whose queue is
    // full. coved must not wait on it with its only thread.
    void aSquattedAgentSocketStallsOnlyItsOwnSandbox() {
        const QString victim = sandboxes->create();
        QVERIFY(!victim.isEmpty());
        const QString squat = QStringLiteral("import os, socket, time\n"
                                             "p = '/run/cove/agent.sock'\n"
                                             "os.unlink(p)\n"
                                             "s = socket.socket(socket.AF_UNIX); s.bind(p); s.listen(0)\n"
                                             "held = []\n"
                                             "while True:\n"
                                             "    c = socket.socket(socket.AF_UNIX); c.setblocking(False)\n"
                                             "    try:\n"
                                             "        c.connect(p); held.append(c)\n"
                                             "    except OSError:\n"
                                             "        break\n"
                                             "open('/tmp/squatting', 'w').write(str(len(held)))\n"
                                             "time.sleep(3600)\n");
        QCOMPARE(
            asRoot(victim, QStringLiteral("cat > /tmp/squat.py <<'EOF'\n") + squat + QStringLiteral("EOF\n"))
                .exitCode,
            0);
        QCOMPARE(asRoot(victim, QStringLiteral("python3 /tmp/squat.py"), true).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(asRoot(victim, QStringLiteral("test -s /tmp/squatting")).exitCode == 0,
                                 20000);

        HealthProbe probe(QUrl(coved.url()).port());
        QElapsedTimer t;
        t.start();
        const Reply stuck = api("GET", QStringLiteral("/toolbox/") + victim + QStringLiteral("/version"));
        const qint64 tookMs = t.elapsed();
        // Its telemetry answers from the history, without waiting on the squatted socket.
        QElapsedTimer m;
        m.start();
        QCOMPARE(api("GET", QStringLiteral("/api/sandbox/") + victim +
                                QStringLiteral(
                                    "/telemetry/metrics?from=2020-01-01T00:00:00Z&to=2099-01-01T00:00:00Z"))
                     .status,
                 200);
        QVERIFY2(m.elapsed() < 8000, QByteArray::number(m.elapsed()).constData());
        // Meanwhile the other sandbox's toolbox answers.
        QCOMPARE(api("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/version")).status, 200);
        probe.stop();
        QVERIFY2(stuck.status == 504 || stuck.status == 502, stuck.body.constData());
        QVERIFY2(tookMs < 15000, QByteArray::number(tookMs).constData());
        QVERIFY(probe.samples() >= 5);
        QVERIFY2(probe.percentileMs(99) < 1000, QByteArray::number(probe.percentileMs(99)).constData());
        QCOMPARE(probe.failures(), 0);
    }

    void cleanupTestCase() {
        sandboxes->removeAll();
        coved.stop();
    }
};

QTEST_GUILESS_MAIN(TestSecToolbox)
#include "tst_sec_toolbox.moc"
