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

    // The exit code a script uses to say it cannot run its flows here (and why, on stdout).
    static constexpr int kSkipped = 77;

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
        QCOMPARE(sb.call("DELETE", QStringLiteral("/api/sandbox/") + id).status, 200);
    }

private slots:
    void initTestCase() {
        QVERIFY2(QFile::exists(QStringLiteral(COVE_SOURCE_DIR
                                              "/tests/compat/node_modules/@daytonaio/sdk/package.json")),
                 "run 'npm ci' in tests/compat (installer/setup.sh test does)");
        QVERIFY2(coved.start(), qPrintable(coved.error()));
    }

    void lifecycleThroughTheSdk() { checkLifecycle(script(QStringLiteral("lifecycle.mjs"))); }

    void lifecycleWithDeprecatedPolling() {
        checkLifecycle(script(QStringLiteral("lifecycle.mjs"),
                              {{QStringLiteral("DAYTONA_USE_DEPRECATED_POLLING"), QStringLiteral("true")}}));
    }

    void toolboxThroughTheSdk() {
        const Run r = script(QStringLiteral("toolbox.mjs"));
        QVERIFY2(r.ended, qPrintable(QStringLiteral("the SDK script did not end:\n") + r.out + r.err));
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        for (const char* step : {"ok updateEnv", "ok executeCommand", "ok executeCommand timeout",
                                 "ok codeRun python", "ok codeRun javascript", "ok codeRun typescript",
                                 "ok files", "ok sessions", "ok git", "ok metrics", "DONE"})
            QVERIFY2(r.out.contains(QLatin1String(step)), step);
    }

    void streamingThroughTheSdk() {
        const Run r = script(QStringLiteral("streaming.mjs"), {}, 180000);
        QVERIFY2(r.ended, qPrintable(QStringLiteral("the SDK script did not end:\n") + r.out + r.err));
        // The agent's side of these flows is covered by tst_agent_streams; through coved they need its
        // WebSocket tunnel, which the script probes for first.
        if (r.exitCode == kSkipped)
            QSKIP(qPrintable(r.out.trimmed()));
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        for (const char* step : {"ok session logs streaming", "ok pty", "ok pty kill", "DONE"})
            QVERIFY2(r.out.contains(QLatin1String(step)), step);
    }

    void transfersThroughTheSdk() {
        const Run r = script(QStringLiteral("transfer.mjs"));
        QVERIFY2(r.ended, qPrintable(QStringLiteral("the SDK script did not end:\n") + r.out + r.err));
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        for (const char* step : {"ok 100 MB round trip", "ok signed URLs", "ok missing path", "DONE"})
            QVERIFY2(r.out.contains(QLatin1String(step)), step);
    }

    void cleanupTestCase() {
        // Anything the script created and did not delete, should it have failed half-way.
        const auto r = sb.call("GET", QStringLiteral("/api/sandbox"));
        for (const auto& v : r.object().value(QStringLiteral("items")).toArray())
            sb.call("DELETE",
                    QStringLiteral("/api/sandbox/") + v.toObject().value(QStringLiteral("id")).toString());
        coved.stop();
    }
};

QTEST_GUILESS_MAIN(TestCompat)
#include "tst_compat.moc"
