// Attacks on the toolbox's doors, from a local client holding a link and from inside a sandbox: a signed
// file URL bent to another file, a preview token used as a toolbox key, a read-only key changing a
// sandbox, a sandbox that squats its own agent socket to freeze coved, the code interpreter fed
// hostile code, forged worker frames, floods, foreign context ids and garbage requests, a language
// server replaced by one that lies, floods, hangs or dies, git arguments read as options, git
// credentials on a command line, and another organization's telemetry.
#include "service/store/Store.h"
#include "support/CovedProcess.h"
#include "support/HealthProbe.h"
#include "support/Http.h"
#include "support/Intruder.h"
#include "support/Sandboxes.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QWebSocket>
#include <QtTest>

using cove::test::CovedProcess;
using cove::test::HealthProbe;
using cove::test::Reply;
using cove::test::replyFrom;
using cove::test::request;
using cove::test::run;

class TestSecToolbox : public QObject {
    Q_OBJECT
    CovedProcess coved;
    std::unique_ptr<cove::test::Sandboxes> sandboxes;
    QString id;     // one sandbox most cases share
    QString second; // another, made by the first case that needs one (the squatting case ends it)

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
    Reply rawGet(const QByteArray& target) const { return rawRequest("GET", target); }
    Reply rawRequest(const QByteArray& method, const QByteArray& target, const QString& key = {}) const {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(QUrl(coved.url()).port()));
        if (!socket.waitForConnected(5000))
            return {};
        const QByteArray auth =
            key.isEmpty() ? QByteArray() : "Authorization: Bearer " + key.toUtf8() + "\r\n";
        socket.write(method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + auth +
                     "\r\n");
        QByteArray all;
        while (socket.waitForReadyRead(15000) || socket.bytesAvailable())
            all += socket.readAll();
        return replyFrom(all);
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

    // One interpreter run over the toolbox's WebSocket, as the SDK's runCode makes it: `first` is sent
    // once the socket opens. `stallMs`, when set, stops reading for that long after the first output
    // (a slow client) while `duringStall` runs.
    struct InterpRun {
        QList<QJsonObject> messages;
        QString stdoutText, stderrText;
        int closeCode = -1;
        QString closeReason;
        bool opened = false;
        const QJsonObject* last(const QString& type) const {
            for (auto it = messages.crbegin(); it != messages.crend(); ++it)
                if (it->value(QStringLiteral("type")).toString() == type)
                    return &*it;
            return nullptr;
        }
    };
    InterpRun interpret(const QString& sandbox, const QByteArray& first, const QString& key = {},
                        bool binary = false, const std::function<void()>& duringStall = {}) {
        InterpRun r;
        QWebSocket ws;
        QSignalSpy closed(&ws, &QWebSocket::disconnected);
        bool stalled = false;
        QObject::connect(&ws, &QWebSocket::connected, [&] {
            r.opened = true;
            binary ? ws.sendBinaryMessage(first) : ws.sendTextMessage(QString::fromUtf8(first));
        });
        QObject::connect(&ws, &QWebSocket::textMessageReceived, [&](const QString& text) {
            const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
            r.messages.append(m);
            const QString type = m.value(QStringLiteral("type")).toString();
            if (type == QLatin1String("stdout"))
                r.stdoutText += m.value(QStringLiteral("text")).toString();
            else if (type == QLatin1String("stderr"))
                r.stderrText += m.value(QStringLiteral("text")).toString();
            if (duringStall && !stalled && type == QLatin1String("stdout")) {
                stalled = true;
                duringStall(); // blocks this thread: nothing is read meanwhile
            }
        });
        QNetworkRequest req(QUrl(QStringLiteral("ws") + coved.url().mid(4) + QStringLiteral("/toolbox/") +
                                 sandbox + QStringLiteral("/process/interpreter/execute")));
        req.setRawHeader("Authorization", "Bearer " + (key.isEmpty() ? coved.adminKey() : key).toUtf8());
        ws.open(req);
        if (!QTest::qWaitFor([&] { return !closed.isEmpty(); }, 60000))
            return r;
        r.closeCode = int(ws.closeCode());
        r.closeReason = ws.closeReason();
        return r;
    }
    static QByteArray runRequest(const QString& code, const QJsonObject& extra = {}) {
        QJsonObject o = extra;
        o.insert(QStringLiteral("code"), code);
        return QJsonDocument(o).toJson(QJsonDocument::Compact);
    }
    // A /proc/1/status field of the sandbox's agent (PID 1), in KiB.
    long agentKiB(const QString& sandbox, const char* field) {
        const auto r =
            asRoot(sandbox, QStringLiteral("grep '^%1:' /proc/1/status").arg(QLatin1String(field)));
        return r.out.simplified().split(' ').value(1).toLong();
    }
    QString interpreterUrl(const QString& sandbox, const QString& rest = {}) const {
        return toolbox(sandbox, QStringLiteral("/process/interpreter/context") + rest);
    }
    // A "language server" root in the sandbox puts ahead of pylsp on the PATH. What it does is read from
    // the file `mode` in the project it serves, so one fake plays every part.
    static constexpr const char* kFakeServer = R"(#!/usr/bin/python3
import json, os, sys, time
mode = open('mode').read().strip()
out, inp = sys.stdout.buffer, sys.stdin.buffer
def send(obj):
    b = json.dumps(obj).encode()
    out.write(b'Content-Length: %d\r\n\r\n' % len(b) + b)
    out.flush()
def recv():
    n = 0
    while True:
        line = inp.readline()
        if not line:
            sys.exit(0)
        if not line.strip():
            break
        k, _, v = line.partition(b':')
        if k.strip().lower() == b'content-length':
            n = int(v)
    return json.loads(inp.read(n))
if mode == 'huge':
    out.write(b'Content-Length: 99999999999\r\n\r\n' + b'x' * 65536)
elif mode == 'garbage':
    out.write(b'\x00not a header ' * 70000)
elif mode == 'notjson':
    out.write(b'Content-Length: 16\r\n\r\n{"jsonrpc": nope')
elif mode == 'overflow':
    out.write(b'Content-Length: 24\r\n\r\n{"id": 1, "x": 1e999999}')
out.flush()
if mode in ('huge', 'garbage', 'notjson', 'overflow'):
    time.sleep(600)
while True:
    m = recv()
    if 'method' not in m or 'id' not in m:
        continue
    if m['method'] == 'initialize':
        if mode == 'flood':
            note = {'jsonrpc': '2.0', 'method': 'window/logMessage', 'params': {'type': 3, 'message': 'x' * 1000}}
            for i in range(50000):
                send(note)
            for i in range(2000):
                send({'jsonrpc': '2.0', 'id': 'q%d' % i, 'method': 'workspace/configuration',
                      'params': {'items': [{}, {}]}})
        send({'jsonrpc': '2.0', 'id': m['id'], 'result': {'capabilities': {}}})
        if mode == 'deaf':
            time.sleep(600)
    elif mode == 'die':
        sys.exit(3)
    elif mode != 'silent':
        send({'jsonrpc': '2.0', 'id': m['id'], 'result': [{'name': 'ok', 'kind': 12,
              'location': {'uri': 'file:///x', 'range': {}}}]})
)";
    Reply lsp(const QByteArray& method, const QString& route, const QString& mode, QByteArray body = {}) {
        const QString project = QStringLiteral("/home/cove/lsp-") + mode;
        if (method == "GET")
            return api("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/lsp/") + route +
                                  QStringLiteral("?languageId=python&pathToProject=") + project +
                                  QStringLiteral("&uri=file://") + project + QStringLiteral("/a.py"));
        QJsonObject o = QJsonDocument::fromJson(body).object();
        o.insert(QStringLiteral("languageId"), QStringLiteral("python"));
        o.insert(QStringLiteral("pathToProject"), project);
        return api(method, QStringLiteral("/toolbox/") + id + QStringLiteral("/lsp/") + route,
                   QJsonDocument(o).toJson());
    }
    long agentPeakKiB() { return agentKiB(id, "VmHWM"); }

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

    // The code in a context is hostile: it finds the worker's private frame channel and writes what a
    // parser fears on it (a line of 64 MiB, broken JSON, forged frames for other runs, twenty thousand
    // errors). The agent drops all of it without holding it, and the run ends as its own code says.
    void interpreterWorkerFramesAreUntrusted() {
        const long hwmBefore = agentKiB(id, "VmHWM");
        QVERIFY(hwmBefore > 0);
        const QString hostile = QStringLiteral(
            "import os, stat, fcntl\n"
            "def writable_pipe(fd):\n"
            "    try:\n"
            "        return stat.S_ISFIFO(os.fstat(fd).st_mode) and \\\n"
            "            fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY\n"
            "    except OSError:\n"
            "        return False\n"
            "fds = [int(n) for n in os.listdir('/proc/self/fd') if int(n) > 2 and writable_pipe(int(n))]\n"
            "def w(fd, b):\n"
            "    while b:\n"
            "        b = b[os.write(fd, b):]\n"
            "for fd in fds:\n"
            "    for i in range(64):\n"
            "        w(fd, b'{' * (1 << 20))\n"
            "    w(fd, b'\\n{not "
            "json}\\n[1,2]\\n\\xff\\xfe\\n{\"type\":\"control\",\"id\":\"forged\",\"text\":"
            "\"completed\"}\\n')\n"
            "    w(fd, b'{\"type\":\"control\",\"text\":\"weird\"}\\n' + "
            "b'{\"type\":\"error\",\"id\":\"x\",\"name\":\"n\"}\\n' * 20000)\n"
            "print('survived', len(fds))\n"
            "kept = 7\n");
        const InterpRun r = interpret(id, runRequest(hostile));
        QVERIFY(r.opened);
        QCOMPARE(r.stdoutText, QStringLiteral("survived 1\n"));
        QVERIFY2(!r.last(QStringLiteral("error")), qPrintable(r.closeReason));
        QCOMPARE(r.last(QStringLiteral("control"))->value(QStringLiteral("text")).toString(),
                 QStringLiteral("completed"));
        QCOMPARE(r.closeCode, 1000);
        // The context lives on, its variables intact.
        const InterpRun after = interpret(id, runRequest(QStringLiteral("print(kept)")));
        QCOMPARE(after.stdoutText, QStringLiteral("7\n"));
        const long grew = agentKiB(id, "VmHWM") - hwmBefore;
        QVERIFY2(grew < 24 * 1024, qPrintable(QStringLiteral("the agent's peak grew by %1 KiB").arg(grew)));
    }

    // 48 MiB of output to a client that stops reading for a while: the flood waits in the worker (the
    // agent stops reading its pipe), the agent's memory stays flat, and every byte arrives in the end.
    void interpreterOutputFloodIsBounded() {
        const long rssBefore = agentKiB(id, "VmRSS");
        long rssMax = 0;
        const InterpRun r = interpret(
            id,
            runRequest(QStringLiteral("import sys\nprint('start', flush=True)\nchunk = 'y' * 1023 + '\\n'\n"
                                      "for i in range(48 * 1024):\n    sys.stdout.write(chunk)\n")),
            {}, false, [&] {
                // Nothing is read while these run (each is a blocking docker exec).
                for (int i = 0; i < 8; ++i)
                    rssMax = std::max(rssMax, agentKiB(id, "VmRSS"));
            });
        qInfo("agent RSS %ld KiB before the flood, at most %ld KiB while the client was stalled", rssBefore,
              rssMax);
        QCOMPARE(r.closeCode, 1000);
        QCOMPARE(r.stdoutText.size(), qsizetype(6 + 48 * 1024 * 1024));
        QVERIFY2(rssMax - rssBefore < 12 * 1024,
                 qPrintable(QStringLiteral("the agent grew by %1 KiB while the client was stalled")
                                .arg(rssMax - rssBefore)));
    }

    // Code that ignores the timeout's interrupt, kills its own worker, or whose context is deleted under
    // it: each run ends with an error that says so, and the context (or the sandbox) serves the next.
    void interpreterOutlivesItsWorker() {
        const Reply made = request("POST", interpreterUrl(id), coved.adminKey(), "{}");
        QCOMPARE(made.status, 200);
        const QString ctx = made.object().value(QStringLiteral("id")).toString();
        const QJsonObject in{{QStringLiteral("contextId"), ctx}};
        QCOMPARE(interpret(id, runRequest(QStringLiteral("before = 1"), in)).closeCode, 1000);
        QJsonObject briefly = in;
        briefly.insert(QStringLiteral("timeout"), 1);
        InterpRun r = interpret(
            id, runRequest(QStringLiteral("import signal, time\nsignal.signal(signal.SIGINT, "
                                          "signal.SIG_IGN)\nprint('deaf', flush=True)\ntime.sleep(60)"),
                           briefly));
        QCOMPARE(r.stdoutText, QStringLiteral("deaf\n"));
        QCOMPARE(r.closeCode, 4008);
        QCOMPARE(r.last(QStringLiteral("error"))->value(QStringLiteral("name")).toString(),
                 QStringLiteral("TimeoutError"));
        QVERIFY(r.last(QStringLiteral("error"))
                    ->value(QStringLiteral("value"))
                    .toString()
                    .contains(QStringLiteral("killed")));
        // A fresh worker: the old variables are gone, the context is still there.
        r = interpret(id, runRequest(QStringLiteral("print(before)"), in));
        QCOMPARE(r.last(QStringLiteral("error"))->value(QStringLiteral("name")).toString(),
                 QStringLiteral("NameError"));

        r = interpret(id, runRequest(QStringLiteral("import os\nprint('bye', flush=True)\nos._exit(3)"), in));
        QCOMPARE(r.stdoutText, QStringLiteral("bye\n"));
        QCOMPARE(r.closeCode, 1001);
        QVERIFY(r.last(QStringLiteral("error"))
                    ->value(QStringLiteral("value"))
                    .toString()
                    .contains(QStringLiteral("exit code 3")));
        QCOMPARE(interpret(id, runRequest(QStringLiteral("print('again')"), in)).stdoutText,
                 QStringLiteral("again\n"));

        // Deleted while it runs: the run ends at once and says why.
        QWebSocket ws;
        QSignalSpy text(&ws, &QWebSocket::textMessageReceived);
        QSignalSpy closed(&ws, &QWebSocket::disconnected);
        QObject::connect(&ws, &QWebSocket::connected, [&] {
            ws.sendTextMessage(QString::fromUtf8(
                runRequest(QStringLiteral("import time\nprint('running', flush=True)\ntime.sleep(60)"), in)));
        });
        QNetworkRequest req(QUrl(QStringLiteral("ws") + coved.url().mid(4) + QStringLiteral("/toolbox/") +
                                 id + QStringLiteral("/process/interpreter/execute")));
        req.setRawHeader("Authorization", "Bearer " + coved.adminKey().toUtf8());
        ws.open(req);
        QTRY_VERIFY_WITH_TIMEOUT(!text.isEmpty(), 15000);
        QCOMPARE(request("DELETE", interpreterUrl(id, QLatin1Char('/') + ctx), coved.adminKey()).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(!closed.isEmpty(), 5000);
        QVERIFY(text.last().first().toString().contains(QStringLiteral("deleted while the code ran")));
        QCOMPARE(int(ws.closeCode()), 1001);
    }

    // Context ids name contexts of this sandbox only: a path, the default one, another sandbox's id.
    void interpreterContextIdsAreConfined() {
        QCOMPARE(request("DELETE", interpreterUrl(id, QStringLiteral("/default")), coved.adminKey()).status,
                 400);
        const Reply traversal = rawRequest(
            "DELETE", "/toolbox/" + id.toUtf8() + "/process/interpreter/context/..%2F..%2Fetc%2Fpasswd",
            coved.adminKey());
        QVERIFY2(traversal.status == 400 || traversal.status == 404, traversal.body.constData());
        QCOMPARE(asRoot(id, QStringLiteral("test -s /etc/passwd")).exitCode, 0);
        InterpRun r =
            interpret(id, runRequest(QStringLiteral("print(1)"),
                                     {{QStringLiteral("contextId"), QStringLiteral("../../etc/passwd")}}));
        QCOMPARE(r.closeCode, 1008);
        QVERIFY2(r.closeReason.contains(QStringLiteral("contextId")), qPrintable(r.closeReason));

        second = sandboxes->create();
        const QString other = second;
        QVERIFY(!other.isEmpty());
        const Reply made = request("POST", interpreterUrl(other), coved.adminKey(), "{}");
        QCOMPARE(made.status, 200);
        const QString foreign = made.object().value(QStringLiteral("id")).toString();
        QVERIFY(!foreign.isEmpty());
        r = interpret(id, runRequest(QStringLiteral("print(1)"), {{QStringLiteral("contextId"), foreign}}));
        QCOMPARE(r.closeCode, 1008);
        QCOMPARE(r.closeReason, QStringLiteral("context not found: ") + foreign);
        QCOMPARE(request("DELETE", interpreterUrl(id, QLatin1Char('/') + foreign), coved.adminKey()).status,
                 404);
        // Still there, and still working, in its own sandbox.
        r = interpret(other,
                      runRequest(QStringLiteral("print('mine')"), {{QStringLiteral("contextId"), foreign}}));
        QCOMPARE(r.stdoutText, QStringLiteral("mine\n"));
    }

    // Contexts are processes: their number is capped (InterpreterLimits::kMaxContexts) with an error that
    // names the cap; other languages are refused by name.
    void interpreterContextsAreCapped() {
        QStringList made;
        for (int i = 0; i < 16; ++i) {
            const Reply r = request("POST", interpreterUrl(id), coved.adminKey(), "{}");
            QCOMPARE(r.status, 200);
            made << r.object().value(QStringLiteral("id")).toString();
        }
        const Reply over = request("POST", interpreterUrl(id), coved.adminKey(), "{}");
        QCOMPARE(over.status, 400);
        QVERIFY2(over.message().contains(QStringLiteral("already has 16 interpreter contexts")),
                 over.body.constData());
        const Reply listed = request("GET", interpreterUrl(id), coved.adminKey());
        QCOMPARE(listed.object().value(QStringLiteral("contexts")).toArray().size(), 16);
        for (const QString& c : made)
            QCOMPARE(request("DELETE", interpreterUrl(id, QLatin1Char('/') + c), coved.adminKey()).status,
                     200);
        const Reply ts =
            request("POST", interpreterUrl(id), coved.adminKey(), R"({"language":"typescript"})");
        QCOMPARE(ts.status, 400);
        QVERIFY2(ts.message().contains(QStringLiteral("runs python only")), ts.body.constData());
        const Reply nowhere =
            request("POST", interpreterUrl(id), coved.adminKey(), R"({"cwd":"/no/such/dir"})");
        QCOMPARE(nowhere.status, 400);
        QVERIFY2(nowhere.message().contains(QStringLiteral("/no/such/dir")), nowhere.body.constData());
    }

    // A client that sends garbage, binary or an oversize request gets a close that says why; the
    // interpreter serves the next run as if nothing happened.
    void interpreterRefusesBadRequests() {
        InterpRun r = interpret(id, "not json at all");
        QCOMPARE(r.closeCode, 1008);
        QVERIFY2(r.closeReason.contains(QStringLiteral("JSON")), qPrintable(r.closeReason));
        r = interpret(id, QByteArray("\x00\xff\x10garbage", 10), {}, true);
        QCOMPARE(r.closeCode, 1008);
        r = interpret(id, runRequest(QStringLiteral("   ")));
        QCOMPARE(r.closeCode, 1008);
        QCOMPARE(r.closeReason, QStringLiteral("code is required"));
        r = interpret(id, runRequest(QStringLiteral("print(1)"), {{QStringLiteral("timeout"), -1}}));
        QCOMPARE(r.closeCode, 1008);
        r = interpret(
            id, runRequest(QStringLiteral("print(1)"), {{QStringLiteral("envs"), QStringLiteral("x")}}));
        QCOMPARE(r.closeCode, 1008);
        r = interpret(id, runRequest(QStringLiteral("x = '") + QString(2 << 20, QLatin1Char('a')) +
                                     QStringLiteral("'")));
        QCOMPARE(r.closeCode, 1009); // too big
        QVERIFY(r.messages.isEmpty());
        r = interpret(id, runRequest(QStringLiteral("print('fine')")));
        QCOMPARE(r.stdoutText, QStringLiteral("fine\n"));
    }

    // Running code is a change: a read-only key cannot open the interpreter or make a context; the run
    // is audited as Daytona names it.
    void interpreterNeedsWriteScopeAndIsAudited() {
        const QString readOnly =
            makeKey(QStringLiteral("sec-interp-reader"), {QStringLiteral("read:audit_logs")});
        QVERIFY(!readOnly.isEmpty());
        const InterpRun r =
            interpret(id, runRequest(QStringLiteral("open('/tmp/ro-interp', 'w')")), readOnly);
        QVERIFY(!r.opened);
        QCOMPARE(asRoot(id, QStringLiteral("test -e /tmp/ro-interp")).exitCode, 1);
        QCOMPARE(request("POST", interpreterUrl(id), readOnly, "{}").status, 403);
        QCOMPARE(request("GET", interpreterUrl(id), readOnly).status, 200);
        const auto audited = [&] {
            return api("GET", QStringLiteral("/api/audit?action=toolbox_execute_command&targetId=") + id)
                .object()
                .value(QStringLiteral("total"))
                .toInt();
        };
        QTRY_VERIFY_WITH_TIMEOUT(audited() >= 1, 5000);
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
        const QString otherKey = cove::test::addIntruder(coved);
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
        // What the sandbox's main process writes is its log, stdout as INFO and stderr as ERROR.
        QCOMPARE(
            asRoot(id, QStringLiteral("echo telemetry-marker-out > /proc/1/fd/1; echo telemetry-marker-err > "
                                      "/proc/1/fd/2"))
                .exitCode,
            0);
        const QString logs = QStringLiteral("/api/sandbox/") + id + QStringLiteral("/telemetry/logs") +
                             range + QStringLiteral("&search=telemetry-marker");
        QTRY_COMPARE_WITH_TIMEOUT(api("GET", logs).object().value(QStringLiteral("total")).toInt(), 2, 10000);
        // The engine stamps each stream as it reads it, so two lines written a moment apart on
        // different streams may come back in either order: each is checked by its body.
        QMap<QString, QString> severityOf;
        for (const QJsonValue line : api("GET", logs).object().value(QStringLiteral("items")).toArray())
            severityOf.insert(line.toObject().value(QStringLiteral("body")).toString(),
                              line.toObject().value(QStringLiteral("severityText")).toString());
        QCOMPARE(severityOf.value(QStringLiteral("telemetry-marker-err")), QStringLiteral("ERROR"));
        QCOMPARE(severityOf.value(QStringLiteral("telemetry-marker-out")), QStringLiteral("INFO"));
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
        const QString victim = second.isEmpty() ? sandboxes->create() : second;
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

    // The language server is the sandbox's to replace. Whatever it sends, or fails to, the agent stays
    // up with its memory bounded, and each route answers a clear error in bounded time.
    void aHostileLanguageServerCannotHoldTheAgent() {
        const QStringList modes{QStringLiteral("huge"),    QStringLiteral("garbage"),
                                QStringLiteral("notjson"), QStringLiteral("overflow"),
                                QStringLiteral("flood"),   QStringLiteral("silent"),
                                QStringLiteral("die"),     QStringLiteral("deaf")};
        QString setup = QStringLiteral("cat > /usr/local/sbin/pylsp && chmod 755 /usr/local/sbin/pylsp");
        for (const auto& m : modes)
            setup += QStringLiteral(" && mkdir -p /home/cove/lsp-%1 && echo %1 > /home/cove/lsp-%1/mode && "
                                    "touch /home/cove/lsp-%1/a.py")
                         .arg(m);
        QProcess put;
        put.start(QStringLiteral("docker"),
                  {QStringLiteral("exec"), QStringLiteral("-i"), QStringLiteral("-u"), QStringLiteral("0"),
                   QStringLiteral("cove-") + id, QStringLiteral("sh"), QStringLiteral("-c"),
                   setup + QStringLiteral(" && chown -R cove /home/cove")});
        put.write(kFakeServer);
        put.closeWriteChannel();
        QVERIFY(put.waitForFinished(30000) && put.exitCode() == 0);
        QElapsedTimer clock;

        // Lies in the framing or the body end the server at once, with a sentence saying what it did.
        const QMap<QString, QString> lies{
            {QStringLiteral("huge"), QStringLiteral("announced a message of 99999999999 bytes")},
            {QStringLiteral("garbage"), QStringLiteral("without ending a header")},
            {QStringLiteral("notjson"), QStringLiteral("not a JSON object")},
            {QStringLiteral("overflow"), QStringLiteral("not a JSON object")}}; // a number no double holds
        for (auto it = lies.begin(); it != lies.end(); ++it) {
            clock.start();
            const Reply r = lsp("POST", QStringLiteral("start"), it.key());
            QVERIFY2(clock.elapsed() < 5000, qPrintable(it.key()));
            QCOMPARE(r.status, 503);
            QVERIFY2(r.message().contains(it.value()), r.body.constData());
        }

        // A flood of notifications and requests before it answers: all read and dropped or answered.
        clock.start();
        QCOMPARE(lsp("POST", QStringLiteral("start"), QStringLiteral("flood")).status, 200);
        const Reply symbols = lsp("GET", QStringLiteral("document-symbols"), QStringLiteral("flood"));
        QCOMPARE(symbols.status, 200);
        QCOMPARE(symbols.json().array().first().toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("ok"));
        qInfo("flood of 50 MB answered in %lld ms", clock.elapsed());
        const long peak = agentPeakKiB();
        qInfo("agent peak memory %ld KiB", peak);
        QVERIFY2(peak > 0 && cove::test::withinMemory(peak, 48 * 1024), qPrintable(QString::number(peak)));

        // One that never answers: each request times out, at most 64 wait at once (more are refused at
        // once), and the agent serves other calls meanwhile.
        QCOMPARE(lsp("POST", QStringLiteral("start"), QStringLiteral("silent")).status, 200);
        const QString hangs =
            toolbox(id, QStringLiteral("/lsp/document-symbols?languageId=python&pathToProject="
                                       "/home/cove/lsp-silent&uri=file:///home/cove/lsp-silent/a.py"));
        std::vector<std::unique_ptr<QProcess>> calls;
        clock.start();
        for (int i = 0; i < 70; ++i) {
            calls.push_back(std::make_unique<QProcess>());
            calls.back()->start(QStringLiteral("curl"),
                                {QStringLiteral("-s"), QStringLiteral("-m"), QStringLiteral("30"),
                                 QStringLiteral("-w"), QStringLiteral("\n%{http_code}"), QStringLiteral("-H"),
                                 QStringLiteral("Authorization: Bearer ") + coved.adminKey(), hangs});
        }
        const auto finished = [&] {
            return std::count_if(calls.begin(), calls.end(),
                                 [](const auto& p) { return p->state() == QProcess::NotRunning; });
        };
        QTRY_COMPARE_WITH_TIMEOUT(finished(), 6, 8000);
        QCOMPARE(api("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/version")).status, 200);
        QMap<QByteArray, QList<QByteArray>> byStatus;
        for (const auto& p : calls) {
            QVERIFY(p->state() == QProcess::NotRunning || p->waitForFinished(20000));
            const QByteArray out = p->readAllStandardOutput();
            byStatus[out.mid(out.lastIndexOf('\n') + 1)].append(out.left(out.lastIndexOf('\n')));
        }
        const qint64 waited = clock.elapsed();
        QCOMPARE(byStatus.value("503").size(), 6);
        QCOMPARE(byStatus.value("504").size(), 64);
        QVERIFY2(byStatus["503"].first().contains("already has 64 requests waiting"),
                 byStatus["503"].first());
        QVERIFY2(byStatus["504"].first().contains("did not answer textDocument/documentSymbol within 10 s"),
                 byStatus["504"].first());
        QVERIFY2(waited >= 9000 && waited < 20000, qPrintable(QString::number(waited)));

        // One that stops reading its input: what the agent queues for it is bounded, then it is ended.
        QCOMPARE(
            asRoot(id, QStringLiteral("head -c 6000000 /dev/zero | tr '\\0' x > /home/cove/lsp-deaf/a.py"))
                .exitCode,
            0);
        QCOMPARE(lsp("POST", QStringLiteral("start"), QStringLiteral("deaf")).status, 200);
        Reply opened;
        for (int i = 0; i < 6; ++i) {
            opened = lsp("POST", QStringLiteral("did-open"), QStringLiteral("deaf"),
                         "{\"uri\":\"file:///home/cove/lsp-deaf/a.py\"}");
            if (opened.status != 200)
                break;
        }
        QCOMPARE(opened.status, 503);
        QVERIFY2(opened.message().contains(QStringLiteral("stopped reading its input")),
                 opened.body.constData());
        const long deafPeak = agentPeakKiB();
        qInfo("agent peak memory after 6 MB documents to a deaf server %ld KiB", deafPeak);
        QVERIFY2(cove::test::withinMemory(deafPeak, 80 * 1024), qPrintable(QString::number(deafPeak)));

        // One that dies mid-request: the route says so at once, and a new start replaces it.
        QCOMPARE(lsp("POST", QStringLiteral("start"), QStringLiteral("die")).status, 200);
        clock.start();
        const Reply died = lsp("GET", QStringLiteral("document-symbols"), QStringLiteral("die"));
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(died.status, 503);
        QVERIFY2(died.message().contains(QStringLiteral("exited (code 3)")), died.body.constData());
        QCOMPARE(lsp("POST", QStringLiteral("start"), QStringLiteral("die")).status, 200);

        // Languages without a server, and a narrower key.
        const Reply rust = api("POST", QStringLiteral("/toolbox/") + id + QStringLiteral("/lsp/start"),
                               R"({"languageId":"rust","pathToProject":"/home/cove"})");
        QCOMPARE(rust.status, 400);
        QVERIFY2(rust.message().contains(QStringLiteral("python, typescript and javascript")),
                 rust.body.constData());
        const QString reader = makeKey(QStringLiteral("sec-lsp-reader"), {QStringLiteral("read:audit_logs")});
        QCOMPARE(request("POST", toolbox(id, QStringLiteral("/lsp/stop")), reader,
                         R"({"languageId":"python","pathToProject":"/home/cove/lsp-flood"})")
                     .status,
                 403);

        for (const auto& m : {QStringLiteral("flood"), QStringLiteral("silent"), QStringLiteral("die")})
            QCOMPARE(lsp("POST", QStringLiteral("stop"), m).status, 200);
        QCOMPARE(lsp("GET", QStringLiteral("document-symbols"), QStringLiteral("flood")).status, 400);
        // Every fake is gone: stop kills the server's whole process group.
        QTRY_COMPARE_WITH_TIMEOUT(asRoot(id, QStringLiteral("pgrep -f sbin/pyls[p]")).exitCode, 1, 5000);
        QCOMPARE(api("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/version")).status, 200);
        asRoot(id, QStringLiteral("rm -rf /usr/local/sbin/pylsp /home/cove/lsp-*"));
    }

    void cleanupTestCase() {
        sandboxes->removeAll();
        coved.stop();
    }
};

QTEST_GUILESS_MAIN(TestSecToolbox)
#include "tst_sec_toolbox.moc"
