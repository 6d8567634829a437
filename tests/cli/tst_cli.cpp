// cove-cli as scripts and people use it: the real binary against a real coved and real containers. The
// parameters of a create as coved keeps them, list filters and pages, exec streaming its output and
// exiting with the command's code, cp both ways byte for byte, a terminal through a pseudo-terminal,
// a snapshot built from a Dockerfile with its log, keys, the audit export, the exit code of each kind
// of failure, the refusal to delete without a terminal, and the bash completion.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace cove::test;

namespace {

struct Run {
    int code = -1;
    QByteArray out;
    QByteArray err;
    QJsonDocument json() const { return QJsonDocument::fromJson(out); }
    QString text() const { return QString::fromUtf8(out).trimmed(); }
};

} // namespace

class TestCli : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};
    QTemporaryDir tmp;
    QString a, b; // two sandboxes with different labels, made by createWithParameters
    QString binDir = QFileInfo(CovedProcess::binary(QStringLiteral("cove-cli"))).absolutePath();

    QProcessEnvironment environment(const QMap<QString, QString>& set, const QStringList& unset) const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* name : {"COVE_URL", "COVE_API_KEY", "DAYTONA_API_URL", "DAYTONA_API_KEY"})
            env.remove(QLatin1String(name));
        env.insert(QStringLiteral("COVE_URL"), coved.url());
        env.insert(QStringLiteral("COVE_API_KEY"), coved.adminKey());
        env.insert(QStringLiteral("PATH"), binDir + QLatin1Char(':') + env.value(QStringLiteral("PATH")));
        for (const QString& name : unset)
            env.remove(name);
        for (auto it = set.begin(); it != set.end(); ++it)
            env.insert(it.key(), it.value());
        return env;
    }

    // Runs `program` (cove-cli unless told) to its end with `input` on stdin (a pipe: no terminal).
    Run run(const QStringList& args, const QByteArray& input = {}, const QMap<QString, QString>& set = {},
            const QStringList& unset = {}, const QString& program = {}) {
        QProcess p;
        p.setProcessEnvironment(environment(set, unset));
        p.start(program.isEmpty() ? CovedProcess::binary(QStringLiteral("cove-cli")) : program, args);
        Run r;
        if (!p.waitForStarted(10000))
            return r;
        p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(180000)) {
            p.kill();
            p.waitForFinished();
            return r;
        }
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }
    Run cli(const QString& line) { return run(line.split(QLatin1Char(' '), Qt::SkipEmptyParts)); }

    QJsonObject info(const QString& id) {
        return run({QStringLiteral("sandbox"), QStringLiteral("info"), id, QStringLiteral("--json")})
            .json()
            .object();
    }
    QStringList listIds(const QStringList& filters) {
        const Run r = run(
            QStringList{QStringLiteral("sandbox"), QStringLiteral("list"), QStringLiteral("-q")} + filters);
        return r.code == 0 ? QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts)
                           : QStringList{QStringLiteral("exit %1").arg(r.code)};
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp.isValid());
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
    }

    void versionAndHelp() {
        const Run v = cli(QStringLiteral("--version"));
        QCOMPARE(v.code, 0);
        QVERIFY2(v.out.startsWith("cove-cli "), v.out.constData());
        for (const QString& name : {QStringLiteral("sandbox create"),  QStringLiteral("sandbox list"),
                                    QStringLiteral("sandbox info"),    QStringLiteral("sandbox start"),
                                    QStringLiteral("sandbox stop"),    QStringLiteral("sandbox archive"),
                                    QStringLiteral("sandbox delete"),  QStringLiteral("sandbox exec"),
                                    QStringLiteral("sandbox ssh"),     QStringLiteral("sandbox terminal"),
                                    QStringLiteral("sandbox logs"),    QStringLiteral("sandbox cp"),
                                    QStringLiteral("snapshot create"), QStringLiteral("snapshot list"),
                                    QStringLiteral("snapshot info"),   QStringLiteral("snapshot delete"),
                                    QStringLiteral("volume create"),   QStringLiteral("volume list"),
                                    QStringLiteral("volume delete"),   QStringLiteral("key create"),
                                    QStringLiteral("key list"),        QStringLiteral("key delete"),
                                    QStringLiteral("audit list")}) {
            const Run h = cli(name + QStringLiteral(" --help"));
            QVERIFY2(h.code == 0, qPrintable(name));
            QVERIFY2(h.out.startsWith("Usage: cove-cli " + name.toUtf8() + " [options]"), h.out.constData());
            QVERIFY2(h.out.contains("--url URL"), qPrintable(name));
        }
        QCOMPARE(cli(QStringLiteral("sandbox --help")).code, 0);
        QCOMPARE(cli(QString()).code, 2); // nothing asked
    }

    void createWithParameters() {
        const Run vol = cli(QStringLiteral("volume create clivol --json"));
        QCOMPARE(vol.code, 0);
        QCOMPARE(vol.json().object().value(QStringLiteral("name")).toString(), QStringLiteral("clivol"));
        const Run vols = cli(QStringLiteral("volume list"));
        QCOMPARE(vols.code, 0);
        QVERIFY2(vols.out.startsWith("NAME") && vols.out.contains("\nclivol "), vols.out.constData());

        const Run ra = cli(QStringLiteral(
            "sandbox create cli-a --cpu 2 --memory 2 -e FOO=bar -e EMPTY= -l team=qa -l tier=1 --auto-stop "
            "30 "
            "--auto-archive 60 --auto-delete 120 --ttl 240 --network-allow-list 10.1.0.0/16 --public -q"));
        QVERIFY2(ra.code == 0, ra.err.constData());
        a = ra.text();
        QVERIFY2(!a.isEmpty() && !a.contains(QLatin1Char(' ')), ra.out.constData()); // -q: the id alone
        sb.adopt(a);
        const QJsonObject sa = info(a);
        QCOMPARE(sa.value(QStringLiteral("id")).toString(), a);
        QCOMPARE(sa.value(QStringLiteral("name")).toString(), QStringLiteral("cli-a"));
        QCOMPARE(sa.value(QStringLiteral("state")).toString(), QStringLiteral("started")); // waited for
        QCOMPARE(sa.value(QStringLiteral("cpu")).toInt(), 2);
        QCOMPARE(sa.value(QStringLiteral("memory")).toInt(), 2);
        QCOMPARE(sa.value(QStringLiteral("env")).toObject(),
                 (QJsonObject{{QStringLiteral("FOO"), QStringLiteral("bar")},
                              {QStringLiteral("EMPTY"), QString()}}));
        QCOMPARE(sa.value(QStringLiteral("labels")).toObject(),
                 (QJsonObject{{QStringLiteral("team"), QStringLiteral("qa")},
                              {QStringLiteral("tier"), QStringLiteral("1")}}));
        QCOMPARE(sa.value(QStringLiteral("autoStopInterval")).toInt(), 30);
        QCOMPARE(sa.value(QStringLiteral("autoArchiveInterval")).toInt(), 60);
        QCOMPARE(sa.value(QStringLiteral("autoDeleteInterval")).toInt(), 120);
        QVERIFY(!sa.value(QStringLiteral("autoDestroyAt")).toString().isEmpty()); // the TTL
        QCOMPARE(sa.value(QStringLiteral("networkAllowList")).toString(), QStringLiteral("10.1.0.0/16"));
        QCOMPARE(sa.value(QStringLiteral("public")).toBool(), true);

        const Run rb = cli(QStringLiteral("sandbox create --name cli-b -l team=dev --network-block-all "
                                          "--auto-pause 10 -v clivol:/data:ro -u root --target eu --json"));
        QVERIFY2(rb.code == 0, rb.err.constData());
        const QJsonObject sbj = rb.json().object(); // --json: the DTO
        b = sbj.value(QStringLiteral("id")).toString();
        QVERIFY(!b.isEmpty());
        sb.adopt(b);
        QCOMPARE(sbj.value(QStringLiteral("state")).toString(), QStringLiteral("started"));
        QCOMPARE(sbj.value(QStringLiteral("networkBlockAll")).toBool(), true);
        QCOMPARE(sbj.value(QStringLiteral("autoPauseInterval")).toInt(), 10);
        QCOMPARE(sbj.value(QStringLiteral("autoStopInterval")).toInt(), 0); // auto-pause alone turns it off
        QCOMPARE(sbj.value(QStringLiteral("user")).toString(), QStringLiteral("root"));
        QCOMPARE(sbj.value(QStringLiteral("target")).toString(), QStringLiteral("eu"));
        const QJsonArray mounts = info(b).value(QStringLiteral("volumes")).toArray();
        QCOMPARE(mounts.size(), 1);
        QCOMPARE(mounts.at(0).toObject().value(QStringLiteral("mountPath")).toString(),
                 QStringLiteral("/data"));
        QCOMPARE(mounts.at(0).toObject().value(QStringLiteral("readOnly")).toBool(), true);

        // For people: the key facts, one per line.
        const Run human = run({QStringLiteral("sandbox"), QStringLiteral("info"), QStringLiteral("cli-a")});
        QCOMPARE(human.code, 0);
        QVERIFY2(human.out.contains("Resources:     2 vCPU, 2 GiB memory") &&
                     human.out.contains("Network:       only 10.1.0.0/16"),
                 human.out.constData());
        // A bad value is a usage error before anything is sent.
        QCOMPARE(cli(QStringLiteral("sandbox create -e NOEQUALS")).code, 2);
        QCOMPARE(cli(QStringLiteral("sandbox create --cpu many")).code, 2);
    }

    void listFilters() {
        QVERIFY(!a.isEmpty() && !b.isEmpty());
        QCOMPARE(listIds({QStringLiteral("-l"), QStringLiteral("team=qa")}), QStringList{a});
        QCOMPARE(listIds({QStringLiteral("--label"), QStringLiteral("team=dev")}), QStringList{b});
        QCOMPARE(listIds({QStringLiteral("-l"), QStringLiteral("team=qa"), QStringLiteral("-l"),
                          QStringLiteral("tier=2")}),
                 QStringList{});
        QCOMPARE(listIds({QStringLiteral("--name"), QStringLiteral("cli-b")}), QStringList{b});
        QCOMPARE(listIds({QStringLiteral("--name"), QStringLiteral("cli-")}).size(), 2);
        QCOMPARE(listIds({QStringLiteral("--state"), QStringLiteral("stopped,archived")}), QStringList{});
        QCOMPARE(listIds({QStringLiteral("--state"), QStringLiteral("started")}).size(), 2);
        QCOMPARE(listIds({QStringLiteral("--sort"), QStringLiteral("name"), QStringLiteral("--order"),
                          QStringLiteral("asc")}),
                 (QStringList{a, b}));

        // Pages: one at a time with the API's cursor, or all of them.
        const Run page = cli(QStringLiteral("sandbox list --limit 1 --sort name --order asc --json"));
        QCOMPARE(page.code, 0);
        const QJsonObject o = page.json().object();
        QCOMPARE(o.value(QStringLiteral("items")).toArray().size(), 1);
        QCOMPARE(o.value(QStringLiteral("items"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("id"))
                     .toString(),
                 a);
        const QString cursor = o.value(QStringLiteral("nextCursor")).toString();
        QVERIFY(!cursor.isEmpty());
        QCOMPARE(listIds({QStringLiteral("--limit"), QStringLiteral("1"), QStringLiteral("--sort"),
                          QStringLiteral("name"), QStringLiteral("--order"), QStringLiteral("asc"),
                          QStringLiteral("--cursor"), cursor}),
                 QStringList{b});
        QCOMPARE(listIds({QStringLiteral("--limit"), QStringLiteral("1"), QStringLiteral("--all")}).size(),
                 2);

        const Run table = cli(QStringLiteral("sandbox list -l team=qa"));
        QCOMPARE(table.code, 0);
        const QList<QByteArray> lines = table.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines.at(0).startsWith("ID ") && lines.at(1).startsWith(a.toUtf8() + "  cli-a"),
                 table.out.constData());
        // Aligned: each column starts where its header does.
        QCOMPARE(lines.at(0).indexOf("STATE"), lines.at(1).indexOf("started"));
    }

    void execStreamsOutputAndExitCode() {
        QVERIFY(!a.isEmpty());
        const Run seven = run({QStringLiteral("sandbox"), QStringLiteral("exec"), a, QStringLiteral("--"),
                               QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo a; exit 7")});
        QCOMPARE(seven.code, 7);
        QCOMPARE(seven.out, QByteArray("a\n"));
        // stdout and stderr stay apart; one word is a shell line; the shortcut `exec` works the same.
        const Run both =
            run({QStringLiteral("exec"), a, QStringLiteral("echo out; echo err >&2; echo $FOO")});
        QCOMPARE(both.code, 0);
        QCOMPARE(both.out, QByteArray("out\nbar\n"));
        QCOMPARE(both.err, QByteArray("err\n"));
        const Run opts = run({QStringLiteral("exec"), a, QStringLiteral("-e"), QStringLiteral("X=a b"),
                              QStringLiteral("--cwd"), QStringLiteral("/tmp"), QStringLiteral("--"),
                              QStringLiteral("printf '%s|%s' \"$X\" \"$(pwd)\"")});
        QCOMPARE(opts.code, 0);
        QCOMPARE(opts.out, QByteArray("a b|/tmp"));

        // Streamed: the first line arrives while the command still runs (it waits for a file only the
        // test makes after seeing that line).
        QProcess p;
        p.setProcessEnvironment(environment({}, {}));
        p.start(
            CovedProcess::binary(QStringLiteral("cove-cli")),
            {QStringLiteral("exec"), a, QStringLiteral("--"),
             QStringLiteral("echo first; while [ ! -e /tmp/go ]; do sleep 0.05; done; echo second; exit 3")});
        QVERIFY(p.waitForStarted());
        QByteArray out;
        QDeadlineTimer deadline(60000);
        while (!out.contains("first\n") && !deadline.hasExpired() && p.state() == QProcess::Running) {
            p.waitForReadyRead(1000);
            out += p.readAllStandardOutput();
        }
        QCOMPARE(out, QByteArray("first\n"));
        QCOMPARE(p.state(), QProcess::Running);
        QCOMPARE(sb.exec(a, QStringLiteral("touch /tmp/go")).exitCode, 0);
        QVERIFY(p.waitForFinished(60000));
        out += p.readAllStandardOutput();
        QCOMPARE(out, QByteArray("first\nsecond\n"));
        QCOMPARE(p.exitCode(), 3);
        // A reader that goes away ends the command in the sandbox too (`exec … yes | head -1`).
        const Run piped =
            run({QStringLiteral("-c"),
                 QStringLiteral("cove-cli exec %1 yes | head -1; echo \"${PIPESTATUS[0]}\"").arg(a)},
                {}, {}, {}, QStandardPaths::findExecutable(QStringLiteral("bash")));
        QCOMPARE(piped.out, QByteArray("y\n141\n")); // 128 + SIGPIPE, as a shell reports it
        QCOMPARE(sb.exec(a, QStringLiteral("pgrep -x yes || echo gone")).out.trimmed(), QByteArray("gone"));
        // Stopped by a signal, or by its --timeout: the command goes with it.
        QProcess term;
        term.setProcessEnvironment(environment({}, {}));
        term.start(CovedProcess::binary(QStringLiteral("cove-cli")),
                   {QStringLiteral("exec"), a, QStringLiteral("echo started; exec sleep 600")});
        QVERIFY(term.waitForStarted());
        QByteArray said;
        QDeadlineTimer startDeadline(60000);
        while (!said.contains("started") && !startDeadline.hasExpired() &&
               term.state() == QProcess::Running) {
            term.waitForReadyRead(1000);
            said += term.readAllStandardOutput();
        }
        QCOMPARE(said, QByteArray("started\n"));
        term.terminate(); // SIGTERM
        QVERIFY(term.waitForFinished(60000));
        QCOMPARE(term.exitStatus(), QProcess::NormalExit);
        QCOMPARE(term.exitCode(), 128 + 15);
        const Run timed = run({QStringLiteral("exec"), a, QStringLiteral("--timeout"), QStringLiteral("1"),
                               QStringLiteral("--"), QStringLiteral("sleep"), QStringLiteral("599")});
        QCOMPARE(timed.code, 124);
        QVERIFY2(timed.err.contains("longer than 1 s"), timed.err.constData());
        QCOMPARE(sb.exec(a, QStringLiteral("pgrep -x sleep || echo gone")).out.trimmed(), QByteArray("gone"));
        // Each exec's session is gone afterwards.
        const Run sessions = run({QStringLiteral("logs"), a, QStringLiteral("--list")});
        QCOMPARE(sessions.code, 0);
        QVERIFY2(!sessions.out.contains("cove-cli-"), sessions.out.constData());
        QVERIFY2(sessions.out.contains("entrypoint"), sessions.out.constData());
        QCOMPARE(run({QStringLiteral("logs"), a}).code, 0);
        QCOMPARE(run({QStringLiteral("logs"), a, QStringLiteral("--follow")}).code,
                 0); // it has ended: so does -f
    }

    void copyInAndOut() {
        QVERIFY(!a.isEmpty());
        QByteArray data(1536 * 1024 + 17, Qt::Uninitialized);
        for (auto& c : data)
            c = char(QRandomGenerator::global()->bounded(256));
        const QString local = tmp.filePath(QStringLiteral("in.bin"));
        QFile f(local);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(data), data.size());
        f.close();
        // Into a folder: the file keeps its name.
        const Run in = run({QStringLiteral("cp"), local, a + QStringLiteral(":/tmp/")});
        QVERIFY2(in.code == 0, in.err.constData());
        const QByteArray sha = QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
        const Run remoteSha =
            run({QStringLiteral("exec"), a, QStringLiteral("sha256sum /tmp/in.bin | cut -d' ' -f1")});
        QCOMPARE(remoteSha.out.trimmed(), sha);
        const QString back = tmp.filePath(QStringLiteral("back.bin"));
        const Run out =
            run({QStringLiteral("sandbox"), QStringLiteral("cp"), a + QStringLiteral(":/tmp/in.bin"), back});
        QVERIFY2(out.code == 0, out.err.constData());
        QFile g(back);
        QVERIFY(g.open(QIODevice::ReadOnly));
        QCOMPARE(g.readAll(), data);
        // Progress on a terminal (script(1)), ending at the whole file.
        const QString script = QStandardPaths::findExecutable(QStringLiteral("script"));
        if (!script.isEmpty()) {
            const Run shown = run({QStringLiteral("-qec"),
                                   QStringLiteral("cove-cli cp %1 %2:/tmp/progress.bin").arg(local, a),
                                   QStringLiteral("/dev/null")},
                                  {}, {}, {}, script);
            QCOMPARE(shown.code, 0);
            QVERIFY2(shown.out.contains("100% 1.5 MiB / 1.5 MiB"), shown.out.constData());
        }
        // A missing file, a missing sandbox, and two local files.
        const Run missing = run({QStringLiteral("cp"), a + QStringLiteral(":/tmp/nothing-here"), back});
        QCOMPARE(missing.code, 5);
        QVERIFY(QFile(back).exists()); // a failed download leaves what was there
        QCOMPARE(run({QStringLiteral("cp"), local, QStringLiteral("no-such-sandbox:/tmp/x")}).code, 5);
        QCOMPARE(run({QStringLiteral("cp"), local, back}).code, 2);
    }

    void terminal() {
        QVERIFY(!a.isEmpty());
        // Without a terminal: stdin is typed input.
        const Run piped = run({QStringLiteral("ssh"), a}, "echo hi-$((40+2)); exit 3\n");
        QCOMPARE(piped.code, 3);
        QVERIFY2(piped.out.contains("hi-42"), piped.out.constData());
        // On a pseudo-terminal of its own size (script(1)): raw mode, the size passed on, the exit code.
        const QString script = QStandardPaths::findExecutable(QStringLiteral("script"));
        if (script.isEmpty())
            QSKIP("script(1) from util-linux is needed for the terminal check");
        const Run tty = run({QStringLiteral("-qec"),
                             QStringLiteral("stty cols 111 rows 33; cove-cli sandbox ssh %1").arg(a),
                             QStringLiteral("/dev/null")},
                            "stty size; exit 5\n", {}, {}, script);
        QCOMPARE(tty.code, 5);
        QVERIFY2(tty.out.contains("33 111"), tty.out.constData());
    }

    void snapshotFromDockerfile() {
        // A build context as `docker build DIR` takes it: a folder with its Dockerfile and the files it
        // copies.
        QDir dir(tmp.filePath(QStringLiteral("context")));
        QVERIFY(dir.mkpath(QStringLiteral("data/sub")));
        QFile in(dir.filePath(QStringLiteral("data/sub/in.txt")));
        QVERIFY(in.open(QIODevice::WriteOnly));
        in.write("from-the-context\n");
        in.close();
        QFile f(dir.filePath(QStringLiteral("Dockerfile")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        // The marker is computed by the build, so it can only come from the build's log.
        f.write("FROM cove-base\nCOPY data /opt/data\nRUN echo cli-build-marker-$((6*7)) && cat "
                "/opt/data/sub/in.txt\n");
        f.close();
        const Run made = run({QStringLiteral("snapshot"), QStringLiteral("create"), QStringLiteral("clisnap"),
                              QStringLiteral("--context"), dir.path()});
        QVERIFY2(made.code == 0, made.err.constData());
        QVERIFY2(made.err.contains("cli-build-marker-42") && made.err.contains("from-the-context"),
                 made.err.constData());
        QVERIFY2(made.out.contains("clisnap") && made.out.contains("active"), made.out.constData());
        const Run list = cli(QStringLiteral("snapshot list --json"));
        QCOMPARE(list.code, 0);
        bool found = false;
        for (const QJsonValue& v : list.json().object().value(QStringLiteral("items")).toArray())
            found |= v.toObject().value(QStringLiteral("name")) == QLatin1String("clisnap") &&
                     v.toObject().value(QStringLiteral("state")) == QLatin1String("active");
        QVERIFY2(found, list.out.constData());
        QCOMPARE(cli(QStringLiteral("snapshot create nothing")).code, 2); // neither image nor Dockerfile
        QCOMPARE(cli(QStringLiteral("snapshot delete clisnap")).code, 2); // no terminal, no -y
        QCOMPARE(cli(QStringLiteral("snapshot delete clisnap -y")).code, 0);
        QCOMPARE(cli(QStringLiteral("snapshot info clisnap")).code, 5);
    }

    void keysAndAudit() {
        const Run key = cli(QStringLiteral("key create cli-reader -p write:sandboxes"));
        QCOMPARE(key.code, 0);
        const QString value = key.text();
        QVERIFY2(value.startsWith(QStringLiteral("cove_")) && !value.contains(QLatin1Char('\n')),
                 key.out.constData());
        const Run keys = cli(QStringLiteral("key list --json"));
        QVERIFY2(keys.code == 0 && keys.out.contains("\"cli-reader\"") && !keys.out.contains(value.toUtf8()),
                 keys.out.constData());
        // The key works, but lacks the audit scope: refused, exit 4.
        QCOMPARE(run({QStringLiteral("sandbox"), QStringLiteral("list"), QStringLiteral("-q")}, {},
                     {{QStringLiteral("COVE_API_KEY"), value}})
                     .code,
                 0);
        QCOMPARE(run({QStringLiteral("audit"), QStringLiteral("list")}, {},
                     {{QStringLiteral("COVE_API_KEY"), value}})
                     .code,
                 4);

        const Run csv =
            cli(QStringLiteral("audit list --csv --from 1h --target-type sandbox --action create"));
        QCOMPARE(csv.code, 0);
        const QList<QByteArray> rows = csv.out.trimmed().split('\n');
        QVERIFY2(rows.at(0).startsWith("createdAt,"), csv.out.constData());
        QCOMPARE(rows.size(), 3); // the header, cli-a and cli-b
        QVERIFY2(csv.out.contains(",create,sandbox," + a.toUtf8() + ",200,") &&
                     csv.out.contains(",create,sandbox," + b.toUtf8() + ",200,"),
                 csv.out.constData());
        QVERIFY2(rows.at(1).contains(",cli,"), rows.at(1).constData()); // the audit log tells the CLI apart
        const Run json = cli(QStringLiteral("audit list --json --action create --target-type sandbox"));
        QCOMPARE(json.code, 0);
        QCOMPARE(json.json().array().size(), 2);
        QCOMPARE(json.json().array().at(0).toObject().value(QStringLiteral("action")).toString(),
                 QStringLiteral("create"));
        const Run future = cli(QStringLiteral("audit list --json --from 2099-01-01T00:00:00Z"));
        QCOMPARE(future.code, 0);
        QCOMPARE(future.json().array().size(), 0);
        QCOMPARE(cli(QStringLiteral("audit list --from yesterday")).code, 2);
        const Run table = cli(QStringLiteral("audit list --limit 3"));
        QCOMPARE(table.code, 0);
        QCOMPARE(table.out.trimmed().split('\n').size(), 4);

        QCOMPARE(cli(QStringLiteral("key delete cli-reader -y")).code, 0);
        QCOMPARE(run({QStringLiteral("sandbox"), QStringLiteral("list")}, {},
                     {{QStringLiteral("COVE_API_KEY"), value}})
                     .code,
                 4); // revoked
    }

    void exitCodes() {
        QVERIFY(!a.isEmpty());
        const Run unknown = cli(QStringLiteral("sandbox info no-such-sandbox"));
        QCOMPARE(unknown.code, 5);
        QVERIFY2(unknown.err.startsWith("cove-cli: ") && unknown.err.count('\n') == 1,
                 unknown.err.constData());
        QCOMPARE(cli(QStringLiteral("exec no-such-sandbox -- true")).code, 5);

        const Run badKey = run({QStringLiteral("sandbox"), QStringLiteral("list")}, {},
                               {{QStringLiteral("COVE_API_KEY"), QStringLiteral("cove_wrong")}});
        QCOMPARE(badKey.code, 4);
        QVERIFY2(badKey.err.contains("--api-key-file"), badKey.err.constData());
        QCOMPARE(run({QStringLiteral("sandbox"), QStringLiteral("list"), QStringLiteral("--api-key-file"),
                      tmp.filePath(QStringLiteral("missing.key"))})
                     .code,
                 4);

        QTcpServer closed; // a port that was free a moment ago, and is again
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const QString deadUrl = QStringLiteral("http://127.0.0.1:%1").arg(closed.serverPort());
        closed.close();
        const Run unreachable =
            run({QStringLiteral("--url"), deadUrl, QStringLiteral("sandbox"), QStringLiteral("list")});
        QCOMPARE(unreachable.code, 3);
        QVERIFY2(unreachable.err.contains(deadUrl.toUtf8()), unreachable.err.constData());

        QCOMPARE(cli(QStringLiteral("sandbox list --frobnicate")).code, 2);
        QCOMPARE(cli(QStringLiteral("sandbox info")).code, 2);
        QCOMPARE(cli(QStringLiteral("sandbox teleport x")).code, 2);
        QCOMPARE(cli(QStringLiteral("exec ") + a).code, 2); // no command

        const Run quota = cli(QStringLiteral("sandbox create --cpu 100")); // past the tier's per-sandbox most
        QCOMPARE(quota.code, 6);
        QVERIFY2(quota.err.contains("vCPU"), quota.err.constData());
        const Run illegal = run({QStringLiteral("sandbox"), QStringLiteral("archive"), a}); // started
        QCOMPARE(illegal.code, 6);
        QVERIFY2(illegal.err.contains("started"), illegal.err.constData());

        // The Daytona SDK's variables are enough (a trailing /api is dropped).
        const Run daytona = run({QStringLiteral("sandbox"), QStringLiteral("list"), QStringLiteral("-q")}, {},
                                {{QStringLiteral("DAYTONA_API_URL"), coved.apiUrl()},
                                 {QStringLiteral("DAYTONA_API_KEY"), coved.adminKey()}},
                                {QStringLiteral("COVE_URL"), QStringLiteral("COVE_API_KEY")});
        QCOMPARE(daytona.code, 0);
        QVERIFY(daytona.out.contains(a.toUtf8()));
    }

    void stopStartAndDelete() {
        QVERIFY(!b.isEmpty());
        QCOMPARE(cli(QStringLiteral("sandbox stop ") + b).code, 0);
        QCOMPARE(info(b).value(QStringLiteral("state")).toString(), QStringLiteral("stopped"));
        QCOMPARE(cli(QStringLiteral("exec ") + b + QStringLiteral(" -- true")).code,
                 6); // its toolbox is down
        QCOMPARE(cli(QStringLiteral("ssh ") + b).code, 6);
        const Run started = cli(QStringLiteral("sandbox start ") + b + QStringLiteral(" --json"));
        QCOMPARE(started.code, 0);
        QCOMPARE(started.json().object().value(QStringLiteral("state")).toString(),
                 QStringLiteral("started"));

        // No terminal to ask on: a script must say -y.
        const Run refused = cli(QStringLiteral("sandbox delete ") + b);
        QCOMPARE(refused.code, 2);
        QVERIFY2(refused.err.contains("-y"), refused.err.constData());
        QCOMPARE(info(b).value(QStringLiteral("state")).toString(), QStringLiteral("started"));
        // On a terminal it asks; anything but y keeps the sandbox.
        const QString script = QStandardPaths::findExecutable(QStringLiteral("script"));
        if (!script.isEmpty()) {
            const QStringList args = {QStringLiteral("-qec"), QStringLiteral("cove-cli sandbox delete ") + b,
                                      QStringLiteral("/dev/null")};
            const Run kept = run(args, "n\n", {}, {}, script);
            QCOMPARE(kept.code, 1);
            QVERIFY2(kept.out.contains("Delete sandbox " + b.toUtf8() + " and its files? [y/N]"),
                     kept.out.constData());
            QCOMPARE(info(b).value(QStringLiteral("state")).toString(), QStringLiteral("started"));
            QCOMPARE(run(args, "y\n", {}, {}, script).code, 0);
        } else {
            QCOMPARE(cli(QStringLiteral("sandbox delete -y ") + b).code, 0);
        }
        QCOMPARE(cli(QStringLiteral("sandbox info ") + b).code, 5); // it waited for destroyed
        // --no-wait answers once coved has the request, and says no more than that.
        const Run made = cli(QStringLiteral("sandbox create cli-gone -q"));
        QCOMPARE(made.code, 0);
        const Run requested = cli(QStringLiteral("sandbox delete -y --no-wait cli-gone"));
        QCOMPARE(requested.code, 0);
        QCOMPARE(requested.text(), QStringLiteral("sandbox cli-gone: delete requested."));
        // Asked again, it waits for destroyed (or finds it gone already: 5).
        const int again = cli(QStringLiteral("sandbox delete -y cli-gone")).code;
        QVERIFY2(again == 0 || again == 5, qPrintable(QString::number(again)));
        QCOMPARE(cli(QStringLiteral("sandbox info cli-gone")).code, 5);
        QCOMPARE(cli(QStringLiteral("volume delete clivol -y")).code, 0);
        QCOMPARE(cli(QStringLiteral("volume list --json")).json().array().size(), 0);
    }

    void shellCompletion() {
        const QString bash = QStandardPaths::findExecutable(QStringLiteral("bash"));
        QVERIFY(!bash.isEmpty());
        auto complete = [&](const QString& words, int cword) {
            const QString script =
                QStringLiteral("source <(cove-cli completion bash) && COMP_WORDS=(%1) && COMP_CWORD=%2 && "
                               "_cove_cli && printf '%s\\n' \"${COMPREPLY[@]}\"")
                    .arg(words)
                    .arg(cword);
            const Run r = run({QStringLiteral("-c"), script}, {}, {}, {}, bash);
            return r.code == 0 ? QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts)
                               : QStringList{QString::fromUtf8(r.err)};
        };
        QCOMPARE(complete(QStringLiteral("cove-cli sna"), 1), QStringList{QStringLiteral("snapshot")});
        QCOMPARE(complete(QStringLiteral("cove-cli sandbox cr"), 2), QStringList{QStringLiteral("create")});
        QCOMPARE(
            complete(QStringLiteral("cove-cli sandbox create --network-"), 3),
            (QStringList{QStringLiteral("--network-allow-list"), QStringLiteral("--network-block-all")}));
        QCOMPARE(complete(QStringLiteral("cove-cli sandbox info ''"), 3), QStringList{a}); // asks coved
        QCOMPARE(complete(QStringLiteral("cove-cli exec ''"), 2), QStringList{a});
        // The script installed for bash-completion is the one the program prints.
        QFile installed(QStringLiteral(COVE_SOURCE_DIR "/app/cli/completion/cove-cli.bash"));
        QVERIFY(installed.open(QIODevice::ReadOnly));
        QCOMPARE(run({QStringLiteral("completion"), QStringLiteral("bash")}).out, installed.readAll());
        QCOMPARE(cli(QStringLiteral("completion fish")).code, 2);

        // zsh, when there is one: its completion functions stubbed to print what they are given.
        const QString zsh = QStandardPaths::findExecutable(QStringLiteral("zsh"));
        if (zsh.isEmpty())
            return;
        const QString stubs = QStringLiteral(
            "compdef() { :; }\n"
            "compadd() { local arr=0 x; for x; do case $x in -a) arr=1 ;; -*) ;; *) if ((arr)); then "
            "print -l -- ${(P)x}; else print -r -- $x; fi ;; esac; done }\n"
            "_describe() { print -l -- ${(P)4}; }\n_files() { :; }\n"
            "source <(cove-cli completion zsh)\n");
        auto zcomplete = [&](const QString& words, int current, const QString& prefix) {
            const Run r = run(
                {QStringLiteral("-c"), stubs + QStringLiteral("words=(%1); CURRENT=%2; PREFIX=%3; _cove-cli")
                                                   .arg(words)
                                                   .arg(current)
                                                   .arg(prefix)},
                {}, {}, {}, zsh);
            return r.code == 0 ? QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts)
                               : QStringList{QString::fromUtf8(r.err)};
        };
        QVERIFY(zcomplete(QStringLiteral("cove-cli sandbox cr"), 3, QStringLiteral("cr"))
                    .contains(QStringLiteral("create")));
        QVERIFY(zcomplete(QStringLiteral("cove-cli sandbox create --net"), 4, QStringLiteral("--net"))
                    .contains(QStringLiteral("--network-block-all")));
        QCOMPARE(zcomplete(QStringLiteral("cove-cli exec ''"), 3, QStringLiteral("''")), QStringList{a});
        QVERIFY(zcomplete(QStringLiteral("cove-cli ''"), 2, QStringLiteral("''"))
                    .contains(QStringLiteral("sandbox:create, list, inspect and use sandboxes")));
    }

    void cleanupTestCase() {
        // What a failed run may have left: the snapshot's image goes with the snapshot.
        request("DELETE", coved.apiUrl() + QStringLiteral("/snapshots/clisnap"), coved.adminKey());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
