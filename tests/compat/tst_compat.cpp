// Code written for the official Daytona TypeScript SDK runs against Cove unchanged: the scripts in
// tests/compat use @daytonaio/sdk (pinned by tests/compat/package-lock.json) against a real coved.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

using cove::test::CovedProcess;

class TestCompat : public QObject {
    Q_OBJECT
    CovedProcess coved;
    cove::test::Sandboxes sb{coved};

    // Runs a script of tests/compat with the SDK pointed at coved. `last` is how long the process took to
    // end after its final line of output (the SDK must not keep Node alive).
    struct Run {
        bool ended = false;
        int exitCode = -1;
        QString out, err;
        qint64 msAfterLastLine = -1;
    };
    Run script(const QString& name, const QMap<QString, QString>& extraEnv = {}, int timeoutMs = 300000) {
        QProcess node;
        node.setWorkingDirectory(QStringLiteral(COVE_SOURCE_DIR "/tests/compat"));
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DAYTONA_API_URL"), coved.apiUrl());
        env.insert(QStringLiteral("DAYTONA_API_KEY"), coved.adminKey());
        for (auto it = extraEnv.begin(); it != extraEnv.end(); ++it)
            env.insert(it.key(), it.value());
        node.setProcessEnvironment(env);
        QElapsedTimer sinceOutput;
        QByteArray out;
        QObject::connect(&node, &QProcess::readyReadStandardOutput, [&] {
            out += node.readAllStandardOutput();
            sinceOutput.start();
        });
        node.start(QStringLiteral("node"), {name});
        Run r;
        if (!node.waitForStarted())
            return r;
        r.ended = node.waitForFinished(timeoutMs);
        if (!r.ended)
            node.kill();
        out += node.readAllStandardOutput();
        r.msAfterLastLine = sinceOutput.isValid() ? sinceOutput.elapsed() : -1;
        r.out = QString::fromUtf8(out);
        r.err = QString::fromUtf8(node.readAllStandardError());
        r.exitCode = node.exitCode();
        return r;
    }

    void checkLifecycle(const Run& r) {
        QVERIFY2(r.ended,
                 qPrintable(QStringLiteral("the SDK script did not end by itself:\n") + r.out + r.err));
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        for (const char* step : {"ok create", "ok get by name", "ok list", "ok stop", "ok start", "ok resize",
                                 "ok labels", "ok autostop", "ok delete"})
            QVERIFY2(r.out.contains(QLatin1String(step)), step);
        // The script leaves a sandbox running; Node must still end promptly (a live event channel or a
        // poller would keep it alive).
        QVERIFY2(r.msAfterLastLine >= 0 && r.msAfterLastLine < 5000,
                 qPrintable(QStringLiteral("Node ended %1 ms after its last line").arg(r.msAfterLastLine)));
        const auto left = QRegularExpression(QStringLiteral("LEFT ([0-9a-f-]{36})")).match(r.out);
        QVERIFY(left.hasMatch());
        const QString id = left.captured(1);
        QCOMPARE(sb.state(id), QStringLiteral("started")); // the SDK's exit left it alone
        QCOMPARE(sb.destroy(id).status, 200); // its name is free for the next run once it is destroyed
    }

private slots:
    void initTestCase() {
        QVERIFY2(QFile::exists(QStringLiteral(COVE_SOURCE_DIR
                                              "/tests/compat/node_modules/@daytonaio/sdk/package.json")),
                 "run 'npm ci' in tests/compat (installer/setup.sh test does)");
        // As installed: the default pool of two serves the scripts' default creates.
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("2")}),
                 qPrintable(coved.error()));
    }

    // Every script, once with the SDK's event channel and once with its deprecated polling.
    void sdkScripts_data() {
        QTest::addColumn<QString>("script");
        QTest::addColumn<bool>("polling");
        QTest::addColumn<QStringList>("steps");
        const QMap<QString, QStringList> scripts{
            {QStringLiteral("lifecycle.mjs"), {}}, // checked by checkLifecycle
            {QStringLiteral("toolbox.mjs"),
             {"ok updateEnv", "ok executeCommand", "ok executeCommand timeout", "ok codeRun python",
              "ok codeRun javascript", "ok codeRun typescript", "ok files", "ok sessions", "ok git",
              "ok git config, remotes, restore, reset, credentials", "ok metrics", "ok telemetry", "DONE"}},
            {QStringLiteral("streaming.mjs"), {"ok session logs streaming", "ok pty", "ok pty kill", "DONE"}},
            {QStringLiteral("computeruse.mjs"),
             {"ok start", "ok mouse", "ok keyboard", "ok screenshots", "ok bad input", "ok recording",
              "ok accessibility", "ok stop", "DONE"}},
            {QStringLiteral("transfer.mjs"),
             {"ok 100 MB round trip", "ok stop and start keep files", "ok signed URLs", "ok missing path",
              "DONE"}},
            {QStringLiteral("build-context.mjs"),
             {"ok context files in the sandbox", "ok identical image reused",
              "ok named snapshot with a local file", "DONE"}},
            {QStringLiteral("state.mjs"),
             {"ok pause and resume", "ok auto-pause and ttl", "ok fork", "ok snapshot of a running sandbox",
              "ok backup", "DONE"}},
            {QStringLiteral("ssh.mjs"),
             {"ok createSshAccess", "ok ssh with the command", "ok validateSshAccess", "ok revokeSshAccess",
              "DONE"}},
            {QStringLiteral("volumes.mjs"),
             {"ok get or create", "ok shared between sandboxes", "ok list", "ok delete", "DONE"}},
            {QStringLiteral("registries.mjs"),
             {"ok create", "ok list and get", "ok update", "ok push access names the default registry",
              "ok bad url refused", "ok delete", "DONE"}},
            {QStringLiteral("secrets.mjs"),
             {"ok create", "ok list and get", "ok update", "ok create with secrets", "ok updateSecrets",
              "ok delete", "DONE"}},
            {QStringLiteral("interpreter.mjs"),
             {"ok runCode streams", "ok default context keeps state", "ok contexts isolated",
              "ok list and delete contexts", "ok errors", "ok timeout interrupts", "ok charts", "DONE"}},
            {QStringLiteral("lsp.mjs"),
             {"ok typescript start", "ok typescript documentSymbols", "ok typescript workspaceSymbols",
              "ok typescript completions", "ok typescript stop", "ok javascript start",
              "ok javascript documentSymbols", "ok javascript workspaceSymbols", "ok javascript completions",
              "ok javascript stop", "ok python start", "ok python documentSymbols",
              "ok python workspaceSymbols", "ok python completions", "ok python stop",
              "ok entrypoint session", "ok missing project", "DONE"}},
            {QStringLiteral("linked.mjs"),
             {"ok create", "ok follower reaches owner by name", "ok refused",
              "ok followers go with their owner", "DONE"}},
            {QStringLiteral("warm-pool.mjs"),
             {"ok create", "ok conflict", "ok list filled", "ok serves a create", "ok update", "ok delete",
              "DONE"}},
        };
        // Polling changes only how the SDK waits for a state. These scripts wait through every kind of
        // transition (create, stop, start, resize, pause, resume, fork, backup, snapshot builds, pooled
        // creates) and run both ways; the rest wait only for creates, and run once, with events.
        const QStringList polledToo{QStringLiteral("lifecycle.mjs"), QStringLiteral("state.mjs"),
                                    QStringLiteral("build-context.mjs"), QStringLiteral("warm-pool.mjs")};
        for (auto it = scripts.begin(); it != scripts.end(); ++it)
            for (const bool polling : {false, true})
                if (!polling || polledToo.contains(it.key()))
                    QTest::newRow(qPrintable(
                        it.key() + (polling ? QStringLiteral(" polling") : QStringLiteral(" events"))))
                        << it.key() << polling << it.value();
    }

    void sdkScripts() {
        QFETCH(QString, script);
        QFETCH(bool, polling);
        QFETCH(QStringList, steps);
        QMap<QString, QString> env;
        if (polling)
            env.insert(QStringLiteral("DAYTONA_USE_DEPRECATED_POLLING"), QStringLiteral("true"));
        const Run r = this->script(script, env);
        if (script == QLatin1String("lifecycle.mjs"))
            return checkLifecycle(r);
        QVERIFY2(r.ended, qPrintable(QStringLiteral("the SDK script did not end:\n") + r.out + r.err));
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        for (const auto& step : steps)
            QVERIFY2(r.out.contains(step), qPrintable(step));
        QVERIFY2(r.msAfterLastLine >= 0 && r.msAfterLastLine < 5000,
                 qPrintable(QStringLiteral("Node ended %1 ms after its last line").arg(r.msAfterLastLine)));
    }

    // Every public method of the SDK reaches routes coved or the agent serves (coverage.mjs prints the
    // table: served, client-side, pending work, deliberately not served).
    void sdkCoverage() {
        QElapsedTimer took;
        took.start();
        const Run r = script(
            QStringLiteral("coverage.mjs"),
            {{QStringLiteral("COVE_AGENT"), CovedProcess::binary(QStringLiteral("cove-agent"))}}, 60000);
        qInfo().noquote() << r.out << r.err;
        QVERIFY2(r.ended && r.exitCode == 0, "a method of the SDK reaches no route of Cove's; see the table");
        QVERIFY(r.out.contains(QStringLiteral("DONE")));
        QVERIFY2(took.elapsed() < 10000, qPrintable(QString::number(took.elapsed())));
    }

    void cleanupTestCase() {
        // Anything the script created and did not delete, should it have failed half-way.
        const auto r = sb.call("GET", QStringLiteral("/api/sandbox"));
        for (const auto& v : r.object().value(QStringLiteral("items")).toArray())
            sb.call("DELETE",
                    QStringLiteral("/api/sandbox/") + v.toObject().value(QStringLiteral("id")).toString());
        // The snapshots the SDK's image builds made (their images go with them), once no sandbox uses them.
        QTRY_COMPARE_WITH_TIMEOUT(
            sb.call("GET", QStringLiteral("/api/sandbox")).object().value(QStringLiteral("total")).toInt(), 0,
            60000);
        for (const auto& v : sb.call("GET", QStringLiteral("/api/snapshots"))
                                 .object()
                                 .value(QStringLiteral("items"))
                                 .toArray()) {
            const QJsonObject s = v.toObject();
            if (!s.value(QStringLiteral("general")).toBool())
                QCOMPARE(sb.call("DELETE",
                                 QStringLiteral("/api/snapshots/") + s.value(QStringLiteral("id")).toString())
                             .status,
                         200);
        }
        coved.stop();
    }
};

QTEST_GUILESS_MAIN(TestCompat)
#include "tst_compat.moc"
