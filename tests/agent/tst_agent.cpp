// cove-agent is a static binary that serves its toolbox as PID 1 of an image holding nothing else, and
// coved's trusted connect refuses anything in its socket's place that is not that agent. The toolbox
// routes are driven through coved's /toolbox/{id}/... proxy against a real cove-base sandbox.
#include "service/domain/AgentConnector.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace cove;
using cove::test::run;

namespace {
const QString kEmptyImage = QStringLiteral("cove-test-empty:latest");

// JSON written with single quotes, for readable bodies in tests.
QByteArray q(const char* s) {
    return QByteArray(s).replace('\'', '"');
}

QByteArray httpGet(int fd, const QByteArray& path) {
    const QByteArray req = "GET " + path + " HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n\r\n";
    if (::send(fd, req.constData(), size_t(req.size()), MSG_NOSIGNAL) != req.size())
        return {};
    // The connector hands back a non-blocking socket; wait for the answer with poll-free blocking reads.
    const int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    QByteArray out;
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
        out.append(buf, int(n));
    return out;
}
} // namespace

class TestAgent : public QObject {
    Q_OBJECT
    QTemporaryDir runDir;
    QString container;
    pid_t pid = 0;
    test::CovedProcess coved;
    test::Sandboxes sandboxes{coved};
    QString sandbox; // one cove-base sandbox shared by the toolbox tests

    test::Reply toolbox(const QByteArray& method, const QString& path, const QByteArray& body = {}) {
        return sandboxes.call(method, QStringLiteral("/toolbox/") + sandbox + path, body);
    }
    static QByteArray json(const QJsonObject& o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start(), qPrintable(coved.error()));
        sandbox = sandboxes.create(q("{'env':{'FROM_CREATE':'yes'}}"));
        QVERIFY(!sandbox.isEmpty());
        QCOMPARE(sandboxes.state(sandbox), QStringLiteral("started"));
        // The agent answers once it has bound its socket.
        QTRY_COMPARE_WITH_TIMEOUT(toolbox("GET", QStringLiteral("/version")).status, 200, 20000);
    }

    void envShowsWhatCommandsGet() {
        const auto r = toolbox("GET", QStringLiteral("/env"));
        QCOMPARE(r.status, 200);
        const QJsonObject env = r.object();
        QCOMPARE(env.value(QStringLiteral("FROM_CREATE")).toString(), QStringLiteral("yes"));
        QCOMPARE(env.value(QStringLiteral("HOME")).toString(), QStringLiteral("/home/cove"));
        QCOMPARE(env.value(QStringLiteral("USER")).toString(), QStringLiteral("cove"));
        QVERIFY(env.value(QStringLiteral("PATH")).toString().contains(QStringLiteral("/usr/bin")));
        // The agent's own settings are not the sandbox's business.
        QVERIFY(!env.contains(QStringLiteral("COVE_SANDBOX_USER")));
    }

    void envUpdateSetsAndUnsets() {
        QJsonObject set{{QStringLiteral("ALPHA"), QStringLiteral("1")},
                        {QStringLiteral("WITH_SPACE"), QStringLiteral("a b=c")}};
        auto r = toolbox("POST", QStringLiteral("/env"),
                         json({{QStringLiteral("set"), set},
                               {QStringLiteral("unset"), QJsonArray{QStringLiteral("FROM_CREATE")}}}));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("ALPHA")).toString(), QStringLiteral("1"));
        QCOMPARE(r.object().value(QStringLiteral("WITH_SPACE")).toString(), QStringLiteral("a b=c"));
        QVERIFY(!r.object().contains(QStringLiteral("FROM_CREATE")));

        // Unset comes before set, as Daytona documents; a later GET sees the same map.
        r = toolbox(
            "POST", QStringLiteral("/env"),
            json({{QStringLiteral("set"), QJsonObject{{QStringLiteral("ALPHA"), QStringLiteral("2")}}},
                  {QStringLiteral("unset"), QJsonArray{QStringLiteral("ALPHA")}}}));
        QCOMPARE(r.status, 200);
        const auto got = toolbox("GET", QStringLiteral("/env")).object();
        QCOMPARE(got.value(QStringLiteral("ALPHA")).toString(), QStringLiteral("2"));
        QVERIFY(!got.contains(QStringLiteral("FROM_CREATE")));
    }

    void envRefusesBadInput_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("empty name") << q("{'set':{'':'x'}}");
        QTest::newRow("name with =") << q("{'set':{'A=B':'x'}}");
        QTest::newRow("name with NUL") << q("{'set':{'A\\u0000B':'x'}}");
        QTest::newRow("value not a string") << q("{'set':{'A':5}}");
        QTest::newRow("value with NUL") << q("{'set':{'A':'x\\u0000y'}}");
        QTest::newRow("set not an object") << q("{'set':['A']}");
        QTest::newRow("unset not an array") << q("{'unset':'A'}");
        QTest::newRow("unset bad name") << q("{'unset':['A=1']}");
        QTest::newRow("not JSON") << QByteArray("\xff\x01garbage");
        QTest::newRow("not an object") << QByteArray("[1,2]");
    }

    void envRefusesBadInput() {
        QFETCH(QByteArray, body);
        const auto before = toolbox("GET", QStringLiteral("/env")).body;
        // A bad request also sets a good variable: nothing of it may be applied.
        body.replace("{\"set\":{", "{\"set\":{\"GOOD\":\"1\",");
        const auto r = toolbox("POST", QStringLiteral("/env"), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.object().value(QStringLiteral("statusCode")).toInt(), 400);
        QCOMPARE(r.object().value(QStringLiteral("source")).toString(), QStringLiteral("DAYTONA_DAEMON"));
        QVERIFY(!r.message().isEmpty());
        QCOMPARE(toolbox("GET", QStringLiteral("/env")).body, before);
    }

    void executeRunsAsTheSandboxUser() {
        const auto r = toolbox("POST", QStringLiteral("/process/execute"),
                               q("{'command':'id -un; pwd; echo to-stderr >&2; exit 3'}"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("exitCode")).toInt(), 3);
        QCOMPARE(r.object().value(QStringLiteral("result")).toString(),
                 QStringLiteral("cove\n/home/cove\nto-stderr\n"));
    }

    void executeSeesTheEnvOverlayAndRequestEnvs() {
        QCOMPARE(toolbox("POST", QStringLiteral("/env"), q("{'set':{'OVERLAY':'from-env'}}")).status, 200);
        const auto r =
            toolbox("POST", QStringLiteral("/process/execute"),
                    q("{'command':'echo $OVERLAY $PER_CALL $HOME', 'envs':{'PER_CALL':'from-request'}}"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("result")).toString(),
                 QStringLiteral("from-env from-request /home/cove\n"));
        // The request's envs are for that call only.
        const auto again =
            toolbox("POST", QStringLiteral("/process/execute"), q("{'command':'echo x$PER_CALL'}"));
        QCOMPARE(again.object().value(QStringLiteral("result")).toString(), QStringLiteral("x\n"));
    }

    void plainCommandsRunDirectlyWithTheShellsResults_data() {
        // Commands with no shell syntax skip the shell; each must answer exactly as through the shell.
        QTest::addColumn<QString>("command");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("result");
        QTest::newRow("plain") << "id -un" << 0 << "cove\n";
        QTest::newRow("status and stderr")
            << "ls /no-such-dir" << 2 << "ls: cannot access '/no-such-dir': No such file or directory\n";
        QTest::newRow("stdin is empty") << "cat" << 0 << "";
        QTest::newRow("path lookup fails: the shell says so")
            << "no-such-program x" << 127 << "/bin/bash: line 1: no-such-program: command not found\n";
        QTest::newRow("assignment: the shell") << "GREETING=hi env" << 0 << "";
        QTest::newRow("quotes: the shell") << "echo -e 'a\\tb'" << 0 << "a\tb\n";
        QTest::newRow("expansion: the shell") << "echo $HOME" << 0 << "/home/cove\n";
        QTest::newRow("absolute path") << "/bin/echo via-path" << 0 << "via-path\n";
        // The command starts as the user alone: no group of the agent's, no signal blocked or ignored.
        QTest::newRow("groups: the user's only") << "id -G" << 0 << "1000\n";
        QTest::newRow("signals: none blocked or ignored")
            << "grep -e SigBlk -e SigIgn /proc/self/status" << 0
            << "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n";
    }

    void plainCommandsRunDirectlyWithTheShellsResults() {
        QFETCH(QString, command);
        QFETCH(int, exitCode);
        QFETCH(QString, result);
        const auto r = toolbox("POST", QStringLiteral("/process/execute"),
                               QJsonDocument(QJsonObject{{QStringLiteral("command"), command}}).toJson());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("exitCode")).toInt(), exitCode);
        if (command.startsWith(QStringLiteral("GREETING")))
            QVERIFY(r.object()
                        .value(QStringLiteral("result"))
                        .toString()
                        .contains(QStringLiteral("GREETING=hi\n")));
        else
            QCOMPARE(r.object().value(QStringLiteral("result")).toString(), result);
    }

    void executeCwdIsRelativeToTheWorkDir() {
        QCOMPARE(
            toolbox("POST", QStringLiteral("/process/execute"), q("{'command':'mkdir -p sub/dir'}")).status,
            200);
        auto r = toolbox("POST", QStringLiteral("/process/execute"), q("{'command':'pwd','cwd':'sub/dir'}"));
        QCOMPARE(r.object().value(QStringLiteral("result")).toString(),
                 QStringLiteral("/home/cove/sub/dir\n"));
        r = toolbox("POST", QStringLiteral("/process/execute"), q("{'command':'pwd','cwd':'/tmp'}"));
        QCOMPARE(r.object().value(QStringLiteral("result")).toString(), QStringLiteral("/tmp\n"));
        r = toolbox("POST", QStringLiteral("/process/execute"), q("{'command':'pwd','cwd':'missing'}"));
        QCOMPARE(r.status, 400);
        QVERIFY2(r.message().contains(QStringLiteral("/home/cove/missing")), qPrintable(r.message()));
    }

    void executeRefusesBadBodies_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("no command") << q("{'cwd':'/'}");
        QTest::newRow("empty command") << q("{'command':'  '}");
        QTest::newRow("command not a string") << q("{'command':['ls']}");
        QTest::newRow("bad envs") << q("{'command':'true','envs':{'A=B':'x'}}");
        QTest::newRow("negative timeout") << q("{'command':'true','timeout':-1}");
        QTest::newRow("not JSON") << QByteArray("{command");
    }

    void executeRefusesBadBodies() {
        QFETCH(QByteArray, body);
        const auto r = toolbox("POST", QStringLiteral("/process/execute"), body);
        QCOMPARE(r.status, 400);
        QVERIFY(!r.message().isEmpty());
    }

    void executeTimeoutKillsTheProcessGroup() {
        QElapsedTimer timer;
        timer.start();
        const auto r = toolbox("POST", QStringLiteral("/process/execute"),
                               q("{'command':'sleep 300 & echo $! > /tmp/bg.pid; sleep 300','timeout':1}"));
        QCOMPARE(r.status, 408);
        QCOMPARE(r.object().value(QStringLiteral("code")).toString(),
                 QStringLiteral("PROCESS_EXECUTION_TIMEOUT"));
        QVERIFY(timer.elapsed() < 10000);
        // The background job went with its group.
        const auto alive =
            toolbox("POST", QStringLiteral("/process/execute"),
                    q("{'command':'kill -0 $(cat /tmp/bg.pid) 2>/dev/null && echo alive || echo gone'}"));
        QCOMPARE(alive.object().value(QStringLiteral("result")).toString(), QStringLiteral("gone\n"));
    }

    void executeCapsHugeOutput() {
        // 300 MB of output: the answer keeps the first 8 MiB and says so; the agent does not grow.
        const auto r =
            toolbox("POST", QStringLiteral("/process/execute"),
                    q("{'command':'yes aaaaaaaaaaaaaaa | head -c 300000000; echo; echo exit-ok'}"));
        QCOMPARE(r.status, 200);
        const QString result = r.object().value(QStringLiteral("result")).toString();
        QVERIFY(result.size() >= 8 * 1024 * 1024);
        QVERIFY(result.size() < 9 * 1024 * 1024);
        QVERIFY(result.startsWith(QStringLiteral("aaaa")));
        QVERIFY2(result.contains(QStringLiteral("output truncated")), qPrintable(result.right(200)));
        QCOMPARE(r.object().value(QStringLiteral("exitCode")).toInt(), 0);
        const auto rss = toolbox("POST", QStringLiteral("/process/execute"),
                                 q("{'command':'grep VmRSS /proc/1/status | tr -dc 0-9'}"));
        const int kb = rss.object().value(QStringLiteral("result")).toString().toInt();
        QVERIFY2(kb > 0 && test::withinMemory(kb, 4096),
                 qPrintable(QString::number(kb) + QStringLiteral(" kB")));
    }

    void codeRunPython() {
        const auto r = toolbox(
            "POST", QStringLiteral("/process/code-run"),
            q("{'language':'python','code':'import os, sys\\nprint(sys.argv[1:], os.environ[\\'V\\'])',"
              "'argv':['a','b c'],'envs':{'V':'vee'}}"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("exitCode")).toInt(), 0);
        QCOMPARE(r.object().value(QStringLiteral("result")).toString(), QStringLiteral("['a', 'b c'] vee\n"));
        QVERIFY(!r.object().contains(QStringLiteral("artifacts")));
    }

    void codeRunJavaScriptAndTypeScript_data() {
        QTest::addColumn<QString>("language");
        QTest::newRow("javascript") << QStringLiteral("javascript");
        QTest::newRow("typescript") << QStringLiteral("typescript");
    }

    void codeRunJavaScriptAndTypeScript() {
        QFETCH(QString, language);
        const QString code =
            language == QStringLiteral("typescript")
                ? QStringLiteral("const n: number = 6 * 7; console.log(n, process.argv.slice(1), "
                                 "process.env.V); process.exit(4)")
                : QStringLiteral("console.log(6 * 7, process.argv.slice(1), process.env.V); "
                                 "process.exit(4)");
        const QJsonObject body{
            {QStringLiteral("language"), language},
            {QStringLiteral("code"), code},
            {QStringLiteral("argv"), QJsonArray{QStringLiteral("x")}},
            {QStringLiteral("envs"), QJsonObject{{QStringLiteral("V"), QStringLiteral("vee")}}}};
        const auto r = toolbox("POST", QStringLiteral("/process/code-run"), json(body));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("result")).toString(), QStringLiteral("42 [ 'x' ] vee\n"));
        QCOMPARE(r.object().value(QStringLiteral("exitCode")).toInt(), 4);
    }

    void codeRunReportsMatplotlibCharts() {
        const QString code = QStringLiteral("import matplotlib.pyplot as plt\n"
                                            "plt.plot([1, 2, 3], [4, 5, 6], label='rise')\n"
                                            "plt.title('Rise')\n"
                                            "plt.xlabel('x')\n"
                                            "plt.show()\n"
                                            "print('after')\n");
        const auto r = toolbox(
            "POST", QStringLiteral("/process/code-run"),
            json({{QStringLiteral("language"), QStringLiteral("python")}, {QStringLiteral("code"), code}}));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("result")).toString(), QStringLiteral("after\n"));
        const auto charts = r.object()
                                .value(QStringLiteral("artifacts"))
                                .toObject()
                                .value(QStringLiteral("charts"))
                                .toArray();
        QCOMPARE(charts.size(), 1);
        const auto chart = charts.at(0).toObject();
        QCOMPARE(chart.value(QStringLiteral("type")).toString(), QStringLiteral("line"));
        QCOMPARE(chart.value(QStringLiteral("title")).toString(), QStringLiteral("Rise"));
        QCOMPARE(chart.value(QStringLiteral("x_label")).toString(), QStringLiteral("x"));
        const auto points = chart.value(QStringLiteral("elements"))
                                .toArray()
                                .at(0)
                                .toObject()
                                .value(QStringLiteral("points"))
                                .toArray();
        QCOMPARE(points.size(), 3);
        QCOMPARE(points.at(2).toArray().at(1).toDouble(), 6.0);
        const QByteArray png =
            QByteArray::fromBase64(chart.value(QStringLiteral("png")).toString().toLatin1());
        QVERIFY(png.startsWith("\x89PNG"));
    }

    void codeRunTimeoutAndBadLanguage() {
        auto r = toolbox("POST", QStringLiteral("/process/code-run"),
                         q("{'language':'python','code':'import time\\ntime.sleep(60)','timeout':1}"));
        QCOMPARE(r.status, 408);
        QCOMPARE(r.object().value(QStringLiteral("code")).toString(),
                 QStringLiteral("PROCESS_EXECUTION_TIMEOUT"));
        r = toolbox("POST", QStringLiteral("/process/code-run"), q("{'language':'cobol','code':'x'}"));
        QCOMPARE(r.status, 400);
        QVERIFY(r.message().contains(QStringLiteral("cobol")));
    }

    void systemMetrics() {
        const auto r = toolbox("GET", QStringLiteral("/system/metrics"));
        QCOMPARE(r.status, 200);
        const auto m = r.object();
        QVERIFY(m.value(QStringLiteral("cpuCount")).toInt() >= 1);
        const double cpu = m.value(QStringLiteral("cpuUsedPct")).toDouble(-1);
        QVERIFY(cpu >= 0 && cpu <= 100);
        QVERIFY(m.value(QStringLiteral("memTotal")).toDouble() > 0);
        QVERIFY(m.value(QStringLiteral("memUsed")).toDouble() > 0);
        QVERIFY(m.value(QStringLiteral("memUsed")).toDouble() <=
                m.value(QStringLiteral("memTotal")).toDouble());
        QVERIFY(m.value(QStringLiteral("diskTotal")).toDouble() >
                m.value(QStringLiteral("diskUsed")).toDouble());
        QVERIFY(!QDateTime::fromString(m.value(QStringLiteral("timestamp")).toString(), Qt::ISODateWithMs)
                     .isNull());
    }

    void portsShowListeners() {
        QCOMPARE(toolbox("GET", QStringLiteral("/port/8765/in-use"))
                     .object()
                     .value(QStringLiteral("isInUse"))
                     .toBool(),
                 false);
        // A listener that outlives the call (its output is not the command's).
        const QString listener = QStringLiteral("nohup python3 -c 'import socket, time\n"
                                                "s = socket.socket()\n"
                                                "s.bind((\"0.0.0.0\", 8765))\n"
                                                "s.listen()\n"
                                                "time.sleep(120)' >/dev/null 2>&1 &");
        const auto started = toolbox("POST", QStringLiteral("/process/execute"),
                                     json({{QStringLiteral("command"), listener}}));
        QCOMPARE(started.status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(toolbox("GET", QStringLiteral("/port/8765/in-use"))
                                     .object()
                                     .value(QStringLiteral("isInUse"))
                                     .toBool(),
                                 10000);
        const auto ports =
            toolbox("GET", QStringLiteral("/port")).object().value(QStringLiteral("ports")).toArray();
        QVERIFY(ports.contains(8765));
        QCOMPARE(toolbox("GET", QStringLiteral("/port/http/in-use")).status, 400);
        QCOMPARE(toolbox("GET", QStringLiteral("/port/70000/in-use")).status, 400);
    }

    void filesCrud() {
        const QString dir = QStringLiteral("/files");
        QCOMPARE(toolbox("POST", QStringLiteral("/files/folder?path=tree/sub&mode=750")).status, 201);
        auto r = toolbox("GET", QStringLiteral("/files/info?path=tree/sub"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("isDir")).toBool(), true);
        QCOMPARE(r.object().value(QStringLiteral("permissions")).toString(), QStringLiteral("0750"));
        QCOMPARE(r.object().value(QStringLiteral("mode")).toString(), QStringLiteral("drwxr-x---"));
        QCOMPARE(r.object().value(QStringLiteral("owner")).toString(), QStringLiteral("1000"));
        QCOMPARE(r.object().value(QStringLiteral("path")).toString(), QStringLiteral("/home/cove/tree/sub"));

        QCOMPARE(
            toolbox("POST", QStringLiteral("/process/execute"),
                    json({{QStringLiteral("command"),
                           QStringLiteral(
                               "printf 'alpha\\nneedle here\\n' > tree/sub/a.txt; echo x > tree/b.md")}}))
                .status,
            200);
        r = toolbox("GET", QStringLiteral("/files?path=tree"));
        QCOMPARE(r.status, 200);
        QStringList names;
        for (const auto& v : r.json().array())
            names << v.toObject().value(QStringLiteral("name")).toString();
        QCOMPARE(names, (QStringList{QStringLiteral("b.md"), QStringLiteral("sub")}));
        r = toolbox("GET", QStringLiteral("/files?path=tree&depth=2"));
        QCOMPARE(r.json().array().size(), 3);

        r = toolbox("GET", QStringLiteral("/files/find?path=tree&pattern=needle"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().array().size(), 1);
        const auto match = r.json().array().at(0).toObject();
        QCOMPARE(match.value(QStringLiteral("file")).toString(), QStringLiteral("/home/cove/tree/sub/a.txt"));
        QCOMPARE(match.value(QStringLiteral("line")).toInt(), 2);
        QCOMPARE(match.value(QStringLiteral("content")).toString(), QStringLiteral("needle here"));

        r = toolbox("GET", QStringLiteral("/files/search?path=tree&pattern=*.txt"));
        QCOMPARE(r.object().value(QStringLiteral("files")).toArray(),
                 (QJsonArray{QStringLiteral("/home/cove/tree/sub/a.txt")}));

        r = toolbox("POST", QStringLiteral("/files/replace"),
                    q("{'files':['tree/sub/a.txt','tree/none.txt'],'pattern':'needle','newValue':'pin'}"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().array().at(0).toObject().value(QStringLiteral("success")).toBool(), true);
        QCOMPARE(r.json().array().at(1).toObject().value(QStringLiteral("success")).toBool(), false);
        r = toolbox("POST", QStringLiteral("/process/execute"), q("{'command':'cat tree/sub/a.txt'}"));
        QCOMPARE(r.object().value(QStringLiteral("result")).toString(), QStringLiteral("alpha\npin here\n"));

        QCOMPARE(
            toolbox("POST", QStringLiteral("/files/move?source=tree/b.md&destination=tree/sub/c.md")).status,
            200);
        QCOMPARE(toolbox("GET", QStringLiteral("/files/info?path=tree/b.md")).status, 404);
        QCOMPARE(toolbox("POST", QStringLiteral("/files/permissions?path=tree/sub/c.md&mode=600&owner=root"))
                     .status,
                 200);
        r = toolbox("GET", QStringLiteral("/files/info?path=tree/sub/c.md"));
        QCOMPARE(r.object().value(QStringLiteral("permissions")).toString(), QStringLiteral("0600"));
        QCOMPARE(r.object().value(QStringLiteral("owner")).toString(), QStringLiteral("0"));

        // A folder with files goes only when asked to recursively.
        r = toolbox("DELETE", QStringLiteral("/files?path=tree"));
        QCOMPARE(r.status, 400);
        QCOMPARE(toolbox("DELETE", QStringLiteral("/files?path=tree&recursive=true")).status, 204);
        QCOMPARE(toolbox("GET", QStringLiteral("/files/info?path=tree")).status, 404);
        Q_UNUSED(dir);
    }

    void filesErrorsUseDaytonaCodes() {
        auto r = toolbox("GET", QStringLiteral("/files/info?path=/no/such/file"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.object().value(QStringLiteral("code")).toString(), QStringLiteral("FILE_NOT_FOUND"));
        QCOMPARE(r.object().value(QStringLiteral("source")).toString(), QStringLiteral("DAYTONA_DAEMON"));
        // The agent is root, the user is not: the user's rights apply.
        r = toolbox("DELETE", QStringLiteral("/files?path=/etc/hostname"));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.object().value(QStringLiteral("code")).toString(), QStringLiteral("FILE_ACCESS_DENIED"));
        r = toolbox("GET", QStringLiteral("/files?path=/etc/hostname"));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.object().value(QStringLiteral("code")).toString(), QStringLiteral("INVALID_FILE_PATH"));
        QCOMPARE(toolbox("GET", QStringLiteral("/files/info")).status, 400);
        QCOMPARE(toolbox("POST", QStringLiteral("/files/folder?path=x&mode=999")).status, 400);
    }

    void uploadAndDownloadMultipart() {
        const QByteArray boundary = "testboundary42";
        QByteArray binary;
        for (int i = 0; i < 70000; ++i)
            binary.append(char(i * 7 % 256));
        binary.append("\r\n--testboundary4"); // a near-boundary inside the data
        QByteArray body;
        auto field = [&](const QByteArray& name, const QByteArray& filename, const QByteArray& data) {
            body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"";
            if (!filename.isEmpty())
                body += "; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream";
            body += "\r\n\r\n" + data + "\r\n";
        };
        field("files[0].path", {}, "up/one.bin");
        field("files[0].file", "up/one.bin", binary);
        field("files[1].path", {}, "/tmp/deep/two.txt");
        field("files[1].file", "/tmp/deep/two.txt", "two");
        body += "--" + boundary + "--\r\n";
        const auto up = test::request(
            "POST",
            coved.url() + QStringLiteral("/toolbox/") + sandbox + QStringLiteral("/files/bulk-upload"),
            coved.adminKey(), body, {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
        QCOMPARE(up.status, 200);
        const auto written = up.object().value(QStringLiteral("files")).toArray();
        QCOMPARE(written.size(), 2);
        QCOMPARE(written.at(0).toObject().value(QStringLiteral("bytes")).toInt(), binary.size());
        // Uploaded files belong to the sandbox user.
        QCOMPARE(toolbox("GET", QStringLiteral("/files/info?path=/tmp/deep/two.txt"))
                     .object()
                     .value(QStringLiteral("owner"))
                     .toString(),
                 QStringLiteral("1000"));

        const auto down = toolbox("POST", QStringLiteral("/files/bulk-download"),
                                  q("{'paths':['up/one.bin','/tmp/deep/two.txt','missing.txt']}"));
        QCOMPARE(down.status, 200);
        // Parts are named by the exact requested path; a missing one is an error part.
        QVERIFY(down.body.contains(
            "name=\"file\"; filename=\"up/one.bin\"\r\nContent-Type: application/octet-stream"
            "\r\nContent-Length: " +
            QByteArray::number(binary.size()) + "\r\n\r\n" + binary + "\r\n"));
        QVERIFY(down.body.contains("filename=\"/tmp/deep/two.txt\""));
        QVERIFY(down.body.contains("name=\"error\"; filename=\"missing.txt\""));
        QVERIFY(down.body.contains("FILE_NOT_FOUND"));

        const auto raw = toolbox("GET", QStringLiteral("/files/download?path=up/one.bin"));
        QCOMPARE(raw.status, 200);
        QCOMPARE(raw.body, binary);
        QCOMPARE(toolbox("GET", QStringLiteral("/files/download?path=nothing")).status, 404);

        // A body that ends before its last boundary writes nothing.
        QByteArray cut =
            "--" + boundary +
            "\r\nContent-Disposition: form-data; name=\"files[0].path\"\r\n\r\ncut.txt\r\n--" + boundary +
            "\r\nContent-Disposition: form-data; name=\"files[0].file\"; filename=\"cut.txt\"\r\n\r\n"
            "half of it";
        const auto bad = test::request(
            "POST",
            coved.url() + QStringLiteral("/toolbox/") + sandbox + QStringLiteral("/files/bulk-upload"),
            coved.adminKey(), cut, {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
        QCOMPARE(bad.status, 400);
        QCOMPARE(toolbox("GET", QStringLiteral("/files/info?path=cut.txt")).status, 404);
        const auto leftovers = toolbox("POST", QStringLiteral("/process/execute"),
                                       q("{'command':'ls -a | grep -c cove-upload'}"));
        QCOMPARE(leftovers.object().value(QStringLiteral("result")).toString(), QStringLiteral("0\n"));
    }

    void uploadOfAGibibyteStreamsToDisk() {
        // Straight to the agent's socket (coved's proxy buffers bodies up to 10 MiB): 1 GiB in chunked
        // encoding; the agent must write it to disk as it comes and stay small.
        const QString id = sandbox;
        const pid_t agentPid = pid_t(test::Sandboxes::container(id)
                                         .value(QStringLiteral("State"))
                                         .toObject()
                                         .value(QStringLiteral("Pid"))
                                         .toInt());
        QVERIFY(agentPid > 0);
        const auto c = domain::connectToAgent(
            (coved.dataDir() + QStringLiteral("/sandboxes/") + id + QStringLiteral("/run")).toStdString(),
            agentPid);
        QVERIFY2(c.fd >= 0, c.error.c_str());
        fcntl(c.fd, F_SETFL, fcntl(c.fd, F_GETFL) & ~O_NONBLOCK);
        auto send = [&](const QByteArray& b) {
            qsizetype off = 0;
            while (off < b.size()) {
                const ssize_t n = ::send(c.fd, b.constData() + off, size_t(b.size() - off), MSG_NOSIGNAL);
                if (n <= 0)
                    return false;
                off += n;
            }
            return true;
        };
        auto chunk = [&](const QByteArray& b) {
            return send(QByteArray::number(b.size(), 16) + "\r\n" + b + "\r\n");
        };
        QVERIFY(
            send("POST /files/bulk-upload HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n"
                 "Content-Type: multipart/form-data; boundary=BIG\r\nTransfer-Encoding: chunked\r\n\r\n"));
        QVERIFY(chunk(
            "--BIG\r\nContent-Disposition: form-data; name=\"files[0].path\"\r\n\r\n/tmp/big.bin\r\n"
            "--BIG\r\nContent-Disposition: form-data; name=\"files[0].file\"; filename=\"big.bin\"\r\n\r\n"));
        const QByteArray mib(1 << 20, 'z');
        // What the agent holds for the upload, not what its code and earlier calls already take.
        const int baseKb = int(test::rssKiB(agentPid));
        QVERIFY(baseKb > 0);
        int peakKb = 0;
        for (int i = 0; i < 1024; ++i) {
            QVERIFY(chunk(mib));
            if (i % 256 == 128)
                peakKb = std::max(peakKb, int(test::rssKiB(agentPid)));
        }
        QVERIFY(chunk("\r\n--BIG--\r\n"));
        QVERIFY(send("0\r\n\r\n"));
        QByteArray reply;
        char buf[4096];
        for (ssize_t n; (n = ::read(c.fd, buf, sizeof buf)) > 0;)
            reply.append(buf, int(n));
        ::close(c.fd);
        QVERIFY2(reply.startsWith("HTTP/1.1 200"), reply.constData());
        QVERIFY2(reply.contains("\"bytes\":1073741824"), reply.constData());
        qInfo("agent RSS: %d kB before the upload, %d kB at most during it", baseKb, peakKb);
        QVERIFY2(peakKb > 0 && test::withinMemory(peakKb - baseKb, 2048),
                 qPrintable(QStringLiteral("%1 kB before, %2 kB at most during").arg(baseKb).arg(peakKb)));
        const auto size = toolbox("GET", QStringLiteral("/files/info?path=/tmp/big.bin"));
        QCOMPARE(size.object().value(QStringLiteral("size")).toDouble(), 1073741824.0);
        QCOMPARE(toolbox("DELETE", QStringLiteral("/files?path=/tmp/big.bin")).status, 204);
    }

    void uploadCutOffMidwayLeavesNothing() {
        const pid_t agentPid = pid_t(test::Sandboxes::container(sandbox)
                                         .value(QStringLiteral("State"))
                                         .toObject()
                                         .value(QStringLiteral("Pid"))
                                         .toInt());
        const auto c = domain::connectToAgent(
            (coved.dataDir() + QStringLiteral("/sandboxes/") + sandbox + QStringLiteral("/run"))
                .toStdString(),
            agentPid);
        QVERIFY2(c.fd >= 0, c.error.c_str());
        fcntl(c.fd, F_SETFL, fcntl(c.fd, F_GETFL) & ~O_NONBLOCK);
        const QByteArray part =
            "POST /files/bulk-upload HTTP/1.1\r\nHost: agent\r\n"
            "Content-Type: multipart/form-data; boundary=B\r\nContent-Length: 100000\r\n\r\n"
            "--B\r\nContent-Disposition: form-data; name=\"files[0].file\"; "
            "filename=\"/tmp/cut.bin\"\r\n\r\n" +
            QByteArray(5000, 'x');
        QCOMPARE(::send(c.fd, part.constData(), size_t(part.size()), MSG_NOSIGNAL), ssize_t(part.size()));
        // The agent has the partial file open; then the client goes away.
        QTRY_VERIFY_WITH_TIMEOUT(toolbox("POST", QStringLiteral("/process/execute"),
                                         q("{'command':'ls -a /tmp | grep -c cove-upload'}"))
                                         .object()
                                         .value(QStringLiteral("result"))
                                         .toString() == QStringLiteral("1\n"),
                                 5000);
        ::close(c.fd);
        QTRY_VERIFY_WITH_TIMEOUT(toolbox("POST", QStringLiteral("/process/execute"),
                                         q("{'command':'ls -a /tmp | grep -c cove-upload'}"))
                                         .object()
                                         .value(QStringLiteral("result"))
                                         .toString() == QStringLiteral("0\n"),
                                 5000);
        QCOMPARE(toolbox("GET", QStringLiteral("/files/info?path=/tmp/cut.bin")).status, 404);
    }

    void sessionsKeepStateBetweenCommands() {
        QCOMPARE(toolbox("POST", QStringLiteral("/process/session"), q("{'sessionId':'s1'}")).status, 201);
        QCOMPARE(toolbox("POST", QStringLiteral("/process/session"), q("{'sessionId':'s1'}")).status, 409);
        auto r = toolbox("POST", QStringLiteral("/process/session/s1/exec"),
                         q("{'command':'cd /tmp && export KEPT=7; echo out; echo err >&2'}"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("exitCode")).toInt(), 0);
        QCOMPARE(r.object().value(QStringLiteral("stdout")).toString(), QStringLiteral("out\n"));
        QCOMPARE(r.object().value(QStringLiteral("stderr")).toString(), QStringLiteral("err\n"));
        r = toolbox("POST", QStringLiteral("/process/session/s1/exec"),
                    q("{'command':'echo $(pwd) $KEPT $(id -un); false'}"));
        QCOMPARE(r.object().value(QStringLiteral("stdout")).toString(), QStringLiteral("/tmp 7 cove\n"));
        QCOMPARE(r.object().value(QStringLiteral("exitCode")).toInt(), 1);

        // Async: 202 with an id; status has no exit code until the command ends; input reaches it.
        r = toolbox("POST", QStringLiteral("/process/session/s1/exec"),
                    q("{'command':'read line; echo got $line; exit_with() { return 5; }; "
                      "exit_with','runAsync':true}"));
        QCOMPARE(r.status, 202);
        const QString cid = r.object().value(QStringLiteral("cmdId")).toString();
        QVERIFY(!cid.isEmpty());
        const QString cmdPath = QStringLiteral("/process/session/s1/command/") + cid;
        r = toolbox("GET", cmdPath);
        QCOMPARE(r.status, 200);
        QVERIFY(!r.object().contains(QStringLiteral("exitCode")));
        QCOMPARE(toolbox("POST", cmdPath + QStringLiteral("/input"), q("{'data':'hello\\n'}")).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(
            toolbox("GET", cmdPath).object().value(QStringLiteral("exitCode")).toInt(-1), 5, 10000);
        r = toolbox("GET", cmdPath + QStringLiteral("/logs"));
        QCOMPARE(r.object().value(QStringLiteral("stdout")).toString(), QStringLiteral("got hello\n"));
        QCOMPARE(r.object().value(QStringLiteral("output")).toString(), QStringLiteral("got hello\n"));
        QCOMPARE(toolbox("POST", cmdPath + QStringLiteral("/input"), q("{'data':'late'}")).status, 409);

        r = toolbox("GET", QStringLiteral("/process/session/s1"));
        QCOMPARE(r.object().value(QStringLiteral("sessionId")).toString(), QStringLiteral("s1"));
        QCOMPARE(r.object().value(QStringLiteral("commands")).toArray().size(), 3);
        QVERIFY(toolbox("GET", QStringLiteral("/process/session")).json().array().size() >= 1);
        QCOMPARE(toolbox("GET", QStringLiteral("/process/session/s1/command/nope")).status, 404);
    }

    void deletingASessionKillsItsProcesses() {
        QCOMPARE(toolbox("POST", QStringLiteral("/process/session"), q("{'sessionId':'doomed'}")).status,
                 201);
        QCOMPARE(toolbox("POST", QStringLiteral("/process/session/doomed/exec"),
                         q("{'command':'sleep 1000','runAsync':true}"))
                     .status,
                 202);
        auto sleepers = [&] {
            return toolbox("POST", QStringLiteral("/process/execute"),
                           q("{'command':'pgrep -c -x sleep || true'}"))
                .object()
                .value(QStringLiteral("result"))
                .toString()
                .trimmed();
        };
        QTRY_COMPARE_WITH_TIMEOUT(sleepers(), QStringLiteral("1"), 5000);
        QCOMPARE(toolbox("DELETE", QStringLiteral("/process/session/doomed")).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(sleepers(), QStringLiteral("0"), 5000);
        QCOMPARE(toolbox("GET", QStringLiteral("/process/session/doomed")).status, 404);
        QCOMPARE(
            toolbox("POST", QStringLiteral("/process/session/doomed/exec"), q("{'command':'true'}")).status,
            404);
    }

    // Runs a shell command in the sandbox as its user; returns its output (and fails the test on a
    // non-zero exit).
    QString sh(const QString& command) {
        const auto r =
            toolbox("POST", QStringLiteral("/process/execute"), json({{QStringLiteral("command"), command}}));
        const QString out = r.object().value(QStringLiteral("result")).toString();
        if (r.status != 200 || r.object().value(QStringLiteral("exitCode")).toInt() != 0)
            qWarning("command failed: %s -> %s", qPrintable(command), qPrintable(out));
        return out;
    }
    test::Reply git(const QByteArray& method, const QString& route, const QJsonObject& body = {}) {
        return toolbox(method, QStringLiteral("/git/") + route, body.isEmpty() ? QByteArray() : json(body));
    }

    void gitCloneWithCredentialsOverHttp() {
        // A bare repository served over dumb HTTP behind Basic auth (alice / s3cret-pw).
        sh(QStringLiteral(
            "set -e; rm -rf /tmp/srv /tmp/seed; mkdir -p /tmp/srv; git init -q --bare -b main /tmp/srv/r.git;"
            "git init -q -b main /tmp/seed; cd /tmp/seed; echo one > a.txt; git add a.txt;"
            "git -c user.name=Seed -c user.email=s@x commit -qm seed; git push -q /tmp/srv/r.git main;"
            "git --git-dir=/tmp/srv/r.git update-server-info"));
        sh(QStringLiteral(
            "cat > /tmp/srv.py <<'EOF'\n"
            "import base64, http.server, socketserver, sys\n"
            "WANT = 'Basic ' + base64.b64encode(b'alice:s3cret-pw').decode()\n"
            "class H(http.server.SimpleHTTPRequestHandler):\n"
            "    def __init__(self, *a, **k): super().__init__(*a, directory='/tmp/srv', **k)\n"
            "    def do_GET(self):\n"
            "        if self.headers.get('Authorization') != WANT:\n"
            "            self.send_response(401); self.send_header('WWW-Authenticate', 'Basic realm=r')\n"
            "            self.send_header('Content-Length', '0'); self.end_headers(); return\n"
            "        open('/tmp/srv-auth.log', 'a').write('ok\\n'); super().do_GET()\n"
            "socketserver.TCPServer.allow_reuse_address = True\n"
            "socketserver.TCPServer(('127.0.0.1', 18080), H).serve_forever()\n"
            "EOF\n"
            "nohup python3 /tmp/srv.py >/tmp/srv.log 2>&1 &\n"
            "for i in $(seq 200); do (echo > /dev/tcp/127.0.0.1/18080) 2>/dev/null && exit 0; sleep 0.05; "
            "done; exit 1"));

        const QString url = QStringLiteral("http://127.0.0.1:18080/r.git");
        auto r = git("POST", QStringLiteral("clone"),
                     {{QStringLiteral("url"), url},
                      {QStringLiteral("path"), QStringLiteral("http-repo")},
                      {QStringLiteral("username"), QStringLiteral("alice")},
                      {QStringLiteral("password"), QStringLiteral("wrong-pw")}});
        QCOMPARE(r.status, 401);
        QCOMPARE(r.object().value(QStringLiteral("code")).toString(), QStringLiteral("GIT_AUTH_FAILED"));
        QVERIFY2(!r.message().contains(QStringLiteral("wrong-pw")), qPrintable(r.message()));

        r = git("POST", QStringLiteral("clone"),
                {{QStringLiteral("url"), url},
                 {QStringLiteral("path"), QStringLiteral("http-repo")},
                 {QStringLiteral("username"), QStringLiteral("alice")},
                 {QStringLiteral("password"), QStringLiteral("s3cret-pw")}});
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(sh(QStringLiteral("cat http-repo/a.txt")), QStringLiteral("one\n"));
        QCOMPARE(sh(QStringLiteral("grep -c ok /tmp/srv-auth.log")).trimmed().toInt() > 0, true);
        // Nothing of the credentials stays behind: not in the repository, not in a helper file.
        QCOMPARE(sh(QStringLiteral("grep -rl -e s3cret-pw -e alice http-repo/.git | wc -l")).trimmed(),
                 QStringLiteral("0"));
        QCOMPARE(sh(QStringLiteral("git -C http-repo remote get-url origin")).trimmed(), url);
        QCOMPARE(sh(QStringLiteral("ls -a /tmp | grep -c cove-git || true")).trimmed(), QStringLiteral("0"));
        sh(QStringLiteral("pkill -f /tmp/srv.py || true"));
    }

    void gitLocalWorkflow() {
        sh(QStringLiteral(
            "set -e; rm -rf /tmp/r.git /tmp/seed2; git init -q --bare -b main /tmp/r.git;"
            "git init -q -b main /tmp/seed2; cd /tmp/seed2; echo one > a.txt; git add a.txt;"
            "git -c user.name=Seed -c user.email=s@x commit -qm seed; git push -q /tmp/r.git main"));
        const QString seed = sh(QStringLiteral("git -C /tmp/seed2 rev-parse HEAD")).trimmed();
        const QString repoUrl = QStringLiteral("file:///tmp/r.git");
        const QJsonObject repo{{QStringLiteral("path"), QStringLiteral("repo")}};
        auto with = [&](QJsonObject o) {
            o.insert(QStringLiteral("path"), QStringLiteral("repo"));
            return o;
        };

        auto r = git("POST", QStringLiteral("clone"),
                     {{QStringLiteral("url"), repoUrl}, {QStringLiteral("path"), QStringLiteral("repo")}});
        QVERIFY2(r.status == 200, r.body.constData());
        r = git("POST", QStringLiteral("clone"),
                {{QStringLiteral("url"), repoUrl},
                 {QStringLiteral("path"), QStringLiteral("pinned")},
                 {QStringLiteral("commit_id"), seed}});
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(git("GET", QStringLiteral("status?path=pinned"))
                     .object()
                     .value(QStringLiteral("detached"))
                     .toBool(),
                 true);
        r = git("POST", QStringLiteral("clone"),
                {{QStringLiteral("url"), QStringLiteral("file:///tmp/none.git")},
                 {QStringLiteral("path"), QStringLiteral("none")}});
        QCOMPARE(r.status, 404);
        QCOMPARE(r.object().value(QStringLiteral("code")).toString(), QStringLiteral("GIT_REPO_NOT_FOUND"));
        r = git("POST", QStringLiteral("clone"),
                {{QStringLiteral("url"), repoUrl},
                 {QStringLiteral("path"), QStringLiteral("nobranch")},
                 {QStringLiteral("branch"), QStringLiteral("nope")}});
        QCOMPARE(r.object().value(QStringLiteral("code")).toString(), QStringLiteral("GIT_BRANCH_NOT_FOUND"));

        r = git("GET", QStringLiteral("status?path=repo"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("currentBranch")).toString(), QStringLiteral("main"));
        QCOMPARE(r.object().value(QStringLiteral("branchPublished")).toBool(), true);
        QCOMPARE(r.object().value(QStringLiteral("fileStatus")).toArray().size(), 0);

        // Branches: create switches to it, a second create conflicts, checkout, delete.
        QCOMPARE(
            git("POST", QStringLiteral("branches"), with({{QStringLiteral("name"), QStringLiteral("feat")}}))
                .status,
            201);
        r = git("GET", QStringLiteral("branches?path=repo"));
        QCOMPARE(r.object().value(QStringLiteral("branches")).toArray(),
                 QJsonArray({QStringLiteral("feat"), QStringLiteral("main")}));
        QCOMPARE(r.object().value(QStringLiteral("current")).toString(), QStringLiteral("feat"));
        r = git("POST", QStringLiteral("branches"), with({{QStringLiteral("name"), QStringLiteral("feat")}}));
        QCOMPARE(r.status, 409);
        QCOMPARE(r.object().value(QStringLiteral("code")).toString(), QStringLiteral("GIT_BRANCH_EXISTS"));
        QCOMPARE(git("POST", QStringLiteral("checkout"),
                     with({{QStringLiteral("branch"), QStringLiteral("main")}}))
                     .status,
                 200);
        r = git("POST", QStringLiteral("checkout"),
                with({{QStringLiteral("branch"), QStringLiteral("nope")}}));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.object().value(QStringLiteral("code")).toString(), QStringLiteral("GIT_BRANCH_NOT_FOUND"));
        QCOMPARE(git("DELETE", QStringLiteral("branches"),
                     with({{QStringLiteral("name"), QStringLiteral("feat")}}))
                     .status,
                 204);
        QCOMPARE(git("GET", QStringLiteral("branches?path=repo"))
                     .object()
                     .value(QStringLiteral("branches"))
                     .toArray(),
                 QJsonArray({QStringLiteral("main")}));

        // Status, add, commit with the caller's identity, push.
        sh(QStringLiteral("echo two >> repo/a.txt; echo new > repo/b.txt"));
        auto statusOf = [&](const QString& name) {
            for (const auto& v : git("GET", QStringLiteral("status?path=repo"))
                                     .object()
                                     .value(QStringLiteral("fileStatus"))
                                     .toArray())
                if (v.toObject().value(QStringLiteral("name")).toString() == name)
                    return v.toObject();
            return QJsonObject();
        };
        QCOMPARE(statusOf(QStringLiteral("a.txt")).value(QStringLiteral("worktree")).toString(),
                 QStringLiteral("Modified"));
        QCOMPARE(statusOf(QStringLiteral("b.txt")).value(QStringLiteral("staging")).toString(),
                 QStringLiteral("Untracked"));
        QCOMPARE(git("POST", QStringLiteral("add"),
                     with({{QStringLiteral("files"), QJsonArray{QStringLiteral(".")}}}))
                     .status,
                 200);
        QCOMPARE(statusOf(QStringLiteral("a.txt")).value(QStringLiteral("staging")).toString(),
                 QStringLiteral("Modified"));
        QCOMPARE(statusOf(QStringLiteral("b.txt")).value(QStringLiteral("staging")).toString(),
                 QStringLiteral("Added"));
        r = git("POST", QStringLiteral("commit"),
                with({{QStringLiteral("message"), QStringLiteral("second\n\nwith a body")},
                      {QStringLiteral("author"), QStringLiteral("Ann Example")},
                      {QStringLiteral("email"), QStringLiteral("ann@example.com")}}));
        QCOMPARE(r.status, 200);
        const QString hash = r.object().value(QStringLiteral("hash")).toString();
        QCOMPARE(hash.size(), 40);
        r = git("POST", QStringLiteral("commit"),
                with({{QStringLiteral("message"), QStringLiteral("empty")},
                      {QStringLiteral("author"), QStringLiteral("Ann")},
                      {QStringLiteral("email"), QStringLiteral("a@x")}}));
        QCOMPARE(r.status, 400);
        const auto log = git("GET", QStringLiteral("history?path=repo")).json().array();
        QCOMPARE(log.size(), 2);
        QCOMPARE(log[0].toObject().value(QStringLiteral("hash")).toString(), hash);
        QCOMPARE(log[0].toObject().value(QStringLiteral("author")).toString(), QStringLiteral("Ann Example"));
        QCOMPARE(log[0].toObject().value(QStringLiteral("message")).toString(),
                 QStringLiteral("second\n\nwith a body"));
        QCOMPARE(git("POST", QStringLiteral("push"), repo).status, 200);
        QCOMPARE(sh(QStringLiteral("git --git-dir=/tmp/r.git log -1 --format=%an main")).trimmed(),
                 QStringLiteral("Ann Example"));

        // Pull what another clone pushed; then a push that would lose its commit is rejected.
        sh(QStringLiteral(
            "set -e; rm -rf /tmp/other; git clone -q /tmp/r.git /tmp/other; cd /tmp/other;"
            "echo three > c.txt; git add c.txt; git -c user.name=O -c user.email=o@x commit -qm third;"
            "git push -q origin main"));
        QCOMPARE(git("POST", QStringLiteral("pull"), repo).status, 200);
        QCOMPARE(sh(QStringLiteral("cat repo/c.txt")), QStringLiteral("three\n"));
        sh(QStringLiteral("set -e; cd /tmp/other; echo four > d.txt; git add d.txt;"
                          "git -c user.name=O -c user.email=o@x commit -qm fourth; git push -q origin main"));
        sh(QStringLiteral("echo five > repo/e.txt"));
        QCOMPARE(git("POST", QStringLiteral("add"),
                     with({{QStringLiteral("files"), QJsonArray{QStringLiteral("e.txt")}}}))
                     .status,
                 200);
        QCOMPARE(git("POST", QStringLiteral("commit"),
                     with({{QStringLiteral("message"), QStringLiteral("fifth")},
                           {QStringLiteral("author"), QStringLiteral("Ann")},
                           {QStringLiteral("email"), QStringLiteral("a@x")}}))
                     .status,
                 200);
        r = git("POST", QStringLiteral("push"), repo);
        QCOMPARE(r.status, 409);
        QCOMPARE(r.object().value(QStringLiteral("code")).toString(), QStringLiteral("GIT_PUSH_REJECTED"));

        // Bad input.
        QCOMPARE(git("GET", QStringLiteral("status?path=/tmp")).status, 400);
        QCOMPARE(git("GET", QStringLiteral("status?path=/no/such/dir")).status, 400);
        QCOMPARE(git("POST", QStringLiteral("checkout"),
                     with({{QStringLiteral("branch"), QStringLiteral("--orphan")}}))
                     .status,
                 400);
        QCOMPARE(git("POST", QStringLiteral("clone"), {{QStringLiteral("path"), QStringLiteral("x")}}).status,
                 400);
    }

    void unknownToolboxRouteIs404() {
        const auto r = toolbox("GET", QStringLiteral("/no/such/route"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.object().value(QStringLiteral("code")).toString(), QStringLiteral("NOT_FOUND"));
    }

    void isStaticallyLinked() {
        const auto r = run(QStringLiteral("file"),
                           {QStringLiteral("-L"), test::CovedProcess::binary(QStringLiteral("cove-agent"))});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("statically linked") || r.out.contains("static-pie linked"),
                 r.out.constData());
    }

    void runsAsPid1InAnEmptyImage() {
        // An image with no files at all: no shell, no libc.
        const auto imported =
            run(QStringLiteral("sh"),
                {QStringLiteral("-c"),
                 QStringLiteral("tar -cf - -T /dev/null | docker import - ") + kEmptyImage});
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        // As coved does for a sandbox's run folder: under a remapping engine, the agent (root in
        // the container) is an unprivileged user here and needs the folder to be its own.
        if (const uint root = test::Sandboxes::engineRootUid())
            QVERIFY(::chown(QFile::encodeName(runDir.path()).constData(), root, root) == 0);
        container = QStringLiteral("cove-test-agent-%1").arg(QCoreApplication::applicationPid());
        const auto started =
            run(QStringLiteral("docker"),
                {QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), container,
                 QStringLiteral("-v"),
                 test::CovedProcess::binary(QStringLiteral("cove-agent")) +
                     QStringLiteral(":/usr/local/bin/cove-agent:ro"),
                 QStringLiteral("-v"), runDir.path() + QStringLiteral(":/run/cove"),
                 QStringLiteral("--entrypoint"), QStringLiteral("/usr/local/bin/cove-agent"), kEmptyImage});
        QVERIFY2(started.exitCode == 0, started.err.constData());
        const auto inspected = run(QStringLiteral("docker"), {QStringLiteral("inspect"), QStringLiteral("-f"),
                                                              QStringLiteral("{{.State.Pid}}"), container});
        pid = inspected.out.trimmed().toInt();
        QVERIFY(pid > 0);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(runDir.path() + QStringLiteral("/agent.sock")), 10000);

        const auto c = domain::connectToAgent(runDir.path().toStdString(), pid);
        QVERIFY2(c.fd >= 0, c.error.c_str());
        const QByteArray reply = httpGet(c.fd, "/version");
        ::close(c.fd);
        QVERIFY2(reply.startsWith("HTTP/1.1 200"), reply.constData());
        QVERIFY(reply.contains("\"version\""));

        // Nothing but what Docker itself adds: no shell, no C library.
        const auto listing =
            run(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("docker export ") + container +
                                                                 QStringLiteral(" | tar -t")});
        QCOMPARE(listing.exitCode, 0);
        QVERIFY(!listing.out.contains("bin/sh"));
        QVERIFY(!listing.out.contains("libc.so"));
    }

    void refusesAPeerThatIsNotTheAgent() {
        const auto c = domain::connectToAgent(runDir.path().toStdString(), pid + 100000);
        QCOMPARE(c.fd, -1);
        QVERIFY2(QString::fromStdString(c.error).contains(QStringLiteral("not the sandbox's agent")),
                 c.error.c_str());
    }

    void refusesASymlinkInPlaceOfTheSocket() {
        // What a sandbox could do from inside: swap its socket for a link to the Docker socket.
        const QString sock = runDir.path() + QStringLiteral("/agent.sock");
        QVERIFY(QFile::remove(sock));
        QVERIFY(QFile::link(QStringLiteral("/var/run/docker.sock"), sock));
        const auto c = domain::connectToAgent(runDir.path().toStdString(), pid);
        QCOMPARE(c.fd, -1);
        QVERIFY2(QString::fromStdString(c.error).contains(QStringLiteral("not a socket")), c.error.c_str());
    }

    void stopsPromptlyOnSigterm() {
        // PID 1 gets no default SIGTERM action; the agent must handle it, so `docker stop` exits 0, not 137.
        QCOMPARE(run(QStringLiteral("docker"),
                     {QStringLiteral("stop"), QStringLiteral("-t"), QStringLiteral("20"), container})
                     .exitCode,
                 0);
        const auto code = run(QStringLiteral("docker"), {QStringLiteral("inspect"), QStringLiteral("-f"),
                                                         QStringLiteral("{{.State.ExitCode}}"), container});
        QCOMPARE(code.out.trimmed(), QByteArray("0"));
    }

    void forkBombIsHeldByThePidsLimit() {
        // Last, as it strains the sandbox: the pids limit holds, the agent keeps answering, and the
        // timeout takes the whole bomb down with its process group.
        const auto bomb = toolbox("POST", QStringLiteral("/process/execute"),
                                  q("{'command':'b() { b | b; }; b', 'timeout': 3}"));
        QCOMPARE(bomb.status, 408);
        QCOMPARE(toolbox("GET", QStringLiteral("/version")).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(
            toolbox("POST", QStringLiteral("/process/execute"), q("{'command':'echo alive'}"))
                .object()
                .value(QStringLiteral("result"))
                .toString(),
            QStringLiteral("alive\n"), 30000);
    }

    void cleanupTestCase() {
        sandboxes.removeAll();
        coved.stop();
        if (!container.isEmpty())
            run(QStringLiteral("docker"), {QStringLiteral("rm"), QStringLiteral("-f"), container});
        // Imported afresh by each run: kept, each run's image would stay behind untagged.
        run(QStringLiteral("docker"), {QStringLiteral("image"), QStringLiteral("rm"), kEmptyImage});
    }
};

QTEST_GUILESS_MAIN(TestAgent)
#include "tst_agent.moc"
