// SSH access end to end: a real coved, a real sandbox and Debian's ssh, scp and sftp. Tokens as Daytona's
// SDK gets them, a shell on a terminal, commands with their exit status and binary stdin and stdout,
// tar through a pipe both ways, scp and sftp, ssh -L to a server inside the sandbox, and tokens and the
// host key that outlive a restart of coved.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"
#include "support/Ssh.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using cove::test::CommandResult;
using cove::test::CovedProcess;
using cove::test::Reply;
using cove::test::request;

class TestSsh : public QObject {
    Q_OBJECT
    CovedProcess coved;
    std::unique_ptr<cove::test::Sandboxes> sandboxes;
    QTemporaryDir local;
    QString id, token;

    CommandResult ssh(const QStringList& command, const QByteArray& input = {},
                      const QStringList& extra = {}) {
        return cove::test::ssh(coved.sshPort(), token, command, input, extra);
    }
    // scp or sftp with the gateway's port.
    CommandResult client(const QString& program, const QStringList& args, const QByteArray& input = {}) {
        QStringList all = cove::test::sshOptions();
        all << QStringLiteral("-P") << QString::number(coved.sshPort()) << args;
        QProcess p;
        p.start(program, all);
        CommandResult r;
        if (!p.waitForStarted(10000))
            return r;
        p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(60000))
            p.kill();
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }
    QString remote(const QString& path) const { return token + QStringLiteral("@127.0.0.1:") + path; }
    static QByteArray randomBytes(int n) {
        QByteArray b(n, Qt::Uninitialized);
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(b.data()), n / 4);
        return b;
    }
    static bool write(const QString& path, const QByteArray& data) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
    }
    static QByteArray read(const QString& path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        QVERIFY(coved.sshPort() > 0);
        sandboxes = std::make_unique<cove::test::Sandboxes>(coved);
        id = sandboxes->create();
        QVERIFY(!id.isEmpty());
        token = cove::test::createSshAccess(coved, coved.adminKey(), id)
                    .object()
                    .value(QStringLiteral("token"))
                    .toString();
        QVERIFY(!token.isEmpty());
    }

    // The DTO as Daytona's SDK reads it, and the command it hands out works as written.
    void createValidateAndTheCommand() {
        const Reply r =
            cove::test::createSshAccess(coved, coved.adminKey(), id, QStringLiteral("expiresInMinutes=5"));
        QCOMPARE(r.status, 200);
        const QJsonObject dto = r.object();
        for (const char* field :
             {"id", "sandboxId", "token", "expiresAt", "createdAt", "updatedAt", "sshCommand"})
            QVERIFY2(dto.contains(QLatin1String(field)), field);
        const QString token = dto.value(QStringLiteral("token")).toString();
        QCOMPARE(dto.value(QStringLiteral("sandboxId")).toString(), id);
        QCOMPARE(dto.value(QStringLiteral("sshCommand")).toString(),
                 QStringLiteral("ssh -p %1 %2@127.0.0.1").arg(coved.sshPort()).arg(token));
        const qint64 minutes =
            QDateTime::fromString(dto.value(QStringLiteral("createdAt")).toString(), Qt::ISODateWithMs)
                .secsTo(QDateTime::fromString(dto.value(QStringLiteral("expiresAt")).toString(),
                                              Qt::ISODateWithMs)) /
            60;
        QCOMPARE(minutes, 5);
        const QJsonObject v =
            request("GET", coved.apiUrl() + QStringLiteral("/sandbox/ssh-access/validate?token=") + token,
                    coved.adminKey())
                .object();
        QCOMPARE(v.value(QStringLiteral("valid")).toBool(), true);
        QCOMPARE(v.value(QStringLiteral("sandboxId")).toString(), id);
        // The default is Daytona's 60 minutes; creating is audited as Daytona names it.
        const QJsonObject def = cove::test::createSshAccess(coved, coved.adminKey(), id).object();
        QCOMPARE(QDateTime::fromString(def.value(QStringLiteral("createdAt")).toString(), Qt::ISODateWithMs)
                     .secsTo(QDateTime::fromString(def.value(QStringLiteral("expiresAt")).toString(),
                                                   Qt::ISODateWithMs)),
                 3600);
        QCOMPARE(request("DELETE",
                         coved.apiUrl() + QStringLiteral("/sandbox/") + id +
                             QStringLiteral("/ssh-access?token=") +
                             def.value(QStringLiteral("token")).toString(),
                         coved.adminKey())
                     .object()
                     .value(QStringLiteral("id"))
                     .toString(),
                 id); // revoking answers the sandbox
        for (const char* action : {"create_ssh_access", "revoke_ssh_access"}) {
            const auto audit =
                request("GET", coved.apiUrl() + QStringLiteral("/audit?action=") + QLatin1String(action),
                        coved.adminKey())
                    .object();
            QVERIFY2(audit.value(QStringLiteral("total")).toInt() >= 1, action);
        }
    }

    // An interactive login shell on a terminal: what is typed runs, its exit status comes back.
    void shellOnATerminal() {
        const auto r = ssh({}, "tty; echo hi-$((6*7)); exit 3\n", {QStringLiteral("-tt")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.out.contains("hi-42"), r.out.constData());
        QVERIFY2(r.out.contains("/dev/pts/"), r.out.constData());
    }

    // The client's terminal size arrives, and so does its change (window-change): a pty driven from Python,
    // resized while the remote side waits for the new size.
    void terminalSizeFollowsTheClient() {
        const QString driver = QStringLiteral(
            "import os,pty,sys,fcntl,termios,struct,signal,select,time\n"
            "pid,fd=pty.fork()\n"
            "if pid==0:\n"
            "    os.execvp('ssh',['ssh','-tt']+sys.argv[3:]+['-p',sys.argv[1],sys.argv[2]+'@127.0.0.1',"
            "'stty size; while [ \"$(stty size)\" = \"30 90\" ]; do sleep 0.1; done; stty size'])\n"
            "fcntl.ioctl(fd,termios.TIOCSWINSZ,struct.pack('HHHH',30,90,0,0))\n"
            "out=b''\n"
            "def until(pred):\n"
            "    global out\n"
            "    end=time.time()+30\n"
            "    while not pred() and time.time()<end:\n"
            "        if select.select([fd],[],[],0.2)[0]:\n"
            "            try: out+=os.read(fd,4096)\n"
            "            except OSError: break\n"
            "until(lambda: b'30 90' in out)\n"
            "fcntl.ioctl(fd,termios.TIOCSWINSZ,struct.pack('HHHH',41,132,0,0))\n"
            "os.kill(pid,signal.SIGWINCH)\n"
            "until(lambda: b'41 132' in out)\n"
            "sys.stdout.write(out.decode(errors='replace'))\n");
        const auto r = cove::test::run(
            QStringLiteral("python3"),
            QStringList{QStringLiteral("-c"), driver, QString::number(coved.sshPort()), token} +
                cove::test::sshOptions(),
            60000);
        QVERIFY2(r.out.contains("30 90") && r.out.contains("41 132"), r.out + r.err);
    }

    void commandsWithExitStatusAndStreamsApart() {
        auto r = ssh({QStringLiteral("echo out; echo err >&2; exit 7")});
        QCOMPARE(r.exitCode, 7);
        QCOMPARE(r.out, QByteArray("out\n"));
        QCOMPARE(r.err, QByteArray("err\n"));
        r = ssh({QStringLiteral("test -t 0 || echo no-tty; whoami; pwd")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("no-tty\ncove\n/home/cove\n"));
        // A program that is not there: the shell's own answer.
        QCOMPARE(ssh({QStringLiteral("no-such-program-here")}).exitCode, 127);
    }

    // 4 MiB of random bytes in, the same bytes out.
    void binaryStdinAndStdoutRoundTrip() {
        const QByteArray data = randomBytes(4 << 20);
        const auto r = ssh({QStringLiteral("cat")}, data);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.size(), data.size());
        QVERIFY(r.out == data);
        const auto sum = ssh({QStringLiteral("sha256sum | cut -d' ' -f1")}, data);
        QCOMPARE(sum.out.trimmed(), QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
    }

    // tar c . | ssh … tar x -C dir, and back.
    void tarThroughAPipe() {
        QDir(local.path()).mkpath(QStringLiteral("src/sub"));
        const QByteArray blob = randomBytes(1 << 20);
        QVERIFY(write(local.path() + QStringLiteral("/src/sub/blob.bin"), blob));
        QVERIFY(write(local.path() + QStringLiteral("/src/hello.txt"), "hello\n"));
        const auto packed = cove::test::run(QStringLiteral("tar"),
                                            {QStringLiteral("c"), QStringLiteral("-C"),
                                             local.path() + QStringLiteral("/src"), QStringLiteral(".")});
        QCOMPARE(packed.exitCode, 0);
        QCOMPARE(ssh({QStringLiteral("mkdir -p tree && tar x -C tree")}, packed.out).exitCode, 0);
        const auto back = ssh({QStringLiteral("tar c -C tree .")});
        QCOMPARE(back.exitCode, 0);
        QDir(local.path()).mkpath(QStringLiteral("back"));
        QProcess untar;
        untar.start(QStringLiteral("tar"),
                    {QStringLiteral("x"), QStringLiteral("-C"), local.path() + QStringLiteral("/back")});
        QVERIFY(untar.waitForStarted());
        untar.write(back.out);
        untar.closeWriteChannel();
        QVERIFY(untar.waitForFinished(30000));
        QCOMPARE(untar.exitCode(), 0);
        QVERIFY(read(local.path() + QStringLiteral("/back/sub/blob.bin")) == blob);
        QCOMPARE(read(local.path() + QStringLiteral("/back/hello.txt")), QByteArray("hello\n"));
    }

    void scpAndSftp() {
        // Images made before openssh-sftp-server was in cove-base lack the server: put it in first.
        // Images built before openssh-sftp-server was in cove-base lack the server: Debian's package goes in
        // through the gateway itself (binary stdin) and is unpacked (its server needs nothing else).
        if (ssh({QStringLiteral("test -x /usr/lib/openssh/sftp-server")}).exitCode != 0) {
            QTemporaryDir debs;
            QProcess fetch;
            fetch.setWorkingDirectory(debs.path());
            fetch.start(QStringLiteral("apt-get"),
                        {QStringLiteral("download"), QStringLiteral("openssh-sftp-server")});
            QVERIFY(fetch.waitForFinished(120000));
            const QStringList found = QDir(debs.path()).entryList({QStringLiteral("*.deb")});
            if (found.isEmpty())
                QSKIP("This sandbox image has no SFTP server and Debian's package cannot be fetched; rebuild "
                      "the "
                      "images (installer/setup.sh images).");
            const auto installed =
                ssh({QStringLiteral("cat > /tmp/sftp.deb && sudo dpkg --unpack /tmp/sftp.deb >/dev/null")},
                    read(debs.path() + QStringLiteral("/") + found.first()));
            QVERIFY2(installed.exitCode == 0, installed.err.constData());
        }
        const QByteArray data = randomBytes(3 << 20);
        const QString up = local.path() + QStringLiteral("/up.bin");
        QVERIFY(write(up, data));
        auto r = client(QStringLiteral("scp"), {up, remote(QStringLiteral("copied.bin"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(ssh({QStringLiteral("stat -c %s copied.bin")}).out.trimmed(),
                 QByteArray::number(data.size()));
        r = client(QStringLiteral("scp"),
                   {remote(QStringLiteral("copied.bin")), local.path() + QStringLiteral("/down.bin")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(read(local.path() + QStringLiteral("/down.bin")) == data);

        QVERIFY(write(local.path() + QStringLiteral("/note.txt"), "a note\n"));
        const QByteArray batch = "put " + local.path().toUtf8() + "/note.txt note.txt\nls -1\nget note.txt " +
                                 local.path().toUtf8() + "/note-back.txt\n";
        r = client(QStringLiteral("sftp"),
                   {QStringLiteral("-b"), QStringLiteral("-"), token + QStringLiteral("@127.0.0.1")}, batch);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("copied.bin") && r.out.contains("note.txt"));
        QCOMPARE(read(local.path() + QStringLiteral("/note-back.txt")), QByteArray("a note\n"));

        // Without the server, the client hears why.
        QCOMPARE(
            ssh({QStringLiteral("sudo mv /usr/lib/openssh/sftp-server /usr/lib/openssh/sftp-server.off")})
                .exitCode,
            0);
        r = client(QStringLiteral("sftp"),
                   {QStringLiteral("-b"), QStringLiteral("-"), token + QStringLiteral("@127.0.0.1")}, "ls\n");
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("openssh-sftp-server"), r.err.constData());
        QCOMPARE(
            ssh({QStringLiteral("sudo mv /usr/lib/openssh/sftp-server.off /usr/lib/openssh/sftp-server")})
                .exitCode,
            0);
    }

    // ssh -L to a server that listens on the sandbox's own loopback only.
    void portForwarding() {
        QCOMPARE(ssh({QStringLiteral(
                         "mkdir -p www && echo forwarded > www/index.html && cd www && nohup python3 -c "
                         "\"import http.server,socketserver;socketserver.TCPServer(('127.0.0.1',3000),"
                         "http.server.SimpleHTTPRequestHandler).serve_forever()\" >/dev/null 2>&1 &")})
                     .exitCode,
                 0);
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const int port = probe.serverPort();
        probe.close();
        QProcess fwd;
        QStringList args = cove::test::sshOptions();
        args << QStringLiteral("-p") << QString::number(coved.sshPort()) << QStringLiteral("-N")
             << QStringLiteral("-L") << QString::number(port) + QStringLiteral(":localhost:3000")
             << token + QStringLiteral("@127.0.0.1");
        fwd.start(QStringLiteral("ssh"), args);
        QByteArray page;
        QVERIFY(QTest::qWaitFor(
            [&] {
                QTcpSocket s;
                s.connectToHost(QHostAddress::LocalHost, quint16(port));
                if (!s.waitForConnected(200))
                    return false;
                s.write("GET /index.html HTTP/1.0\r\n\r\n");
                page.clear();
                while (s.waitForReadyRead(2000))
                    page += s.readAll();
                return page.contains("forwarded");
            },
            20000));
        QVERIFY(page.startsWith("HTTP/1.0 200"));
        // A server that reads to the end before it answers: the client's half-close must get through, after
        // all it sent.
        QCOMPARE(
            ssh({QStringLiteral(
                    "nohup python3 -c \"import "
                    "socket\ns=socket.socket();s.bind(('127.0.0.1',3001));s.listen()\n"
                    "while True:\n  c,_=s.accept();n=0\n  while True:\n    d=c.recv(65536)\n    if not d: "
                    "break\n"
                    "    n+=len(d)\n  c.sendall(str(n).encode());c.close()\" >/dev/null 2>&1 & sleep 0.3")})
                .exitCode,
            0);
        fwd.kill();
        fwd.waitForFinished(10000);
        args.replace(args.indexOf(QString::number(port) + QStringLiteral(":localhost:3000")),
                     QString::number(port) + QStringLiteral(":localhost:3001"));
        fwd.start(QStringLiteral("ssh"), args);
        const QString client = QStringLiteral("import socket,sys,time\n"
                                              "for _ in range(100):\n"
                                              "  try: s=socket.create_connection(('127.0.0.1',%1)); break\n"
                                              "  except OSError: time.sleep(0.1)\n"
                                              "s.sendall(b'x'*300000); s.shutdown(socket.SHUT_WR); "
                                              "s.settimeout(20); print(s.recv(100).decode())\n")
                                   .arg(port);
        const auto counted =
            cove::test::run(QStringLiteral("python3"), {QStringLiteral("-c"), client}, 60000);
        QCOMPARE(counted.out.trimmed(), QByteArray("300000"));
        fwd.kill();
        QVERIFY(fwd.waitForFinished(10000));
    }

    // Tokens are stored, the host key is kept: after a restart the same token works and ssh sees the same
    // key.
    void tokensAndHostKeySurviveARestart() {
        const auto keyscan = [&] {
            return cove::test::run(QStringLiteral("ssh-keyscan"),
                                   {QStringLiteral("-p"), QString::number(coved.sshPort()),
                                    QStringLiteral("-t"), QStringLiteral("ed25519"),
                                    QStringLiteral("127.0.0.1")})
                .out.split(' ')
                .value(2);
        };
        const QByteArray before = keyscan();
        QVERIFY(!before.isEmpty());
        QFileInfo key(coved.dataDir() + QStringLiteral("/ssh_host_ed25519_key"));
        QCOMPARE(key.permissions() &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFileDevice::Permissions());
        coved.stop();
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        QCOMPARE(keyscan(), before);
        QTRY_COMPARE_WITH_TIMEOUT(sandboxes->state(id), QStringLiteral("started"), 60000);
        const auto r = ssh({QStringLiteral("cat www/index.html")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("forwarded\n"));
    }

    void gatewayCanBeOff() {
        CovedProcess off;
        QVERIFY2(off.start({QStringLiteral("--ssh-listen"), QStringLiteral("off"),
                            QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(off.error()));
        QCOMPARE(off.sshPort(), 0);
        QVERIFY(!off.log().contains("SSH gateway on"));
    }

    void cleanupTestCase() { sandboxes.reset(); }
};

QTEST_MAIN(TestSsh)
#include "tst_ssh.moc"
