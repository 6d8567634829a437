// Code written for the official Daytona TypeScript SDK runs against Cove unchanged: tests/sdk/lifecycle.mjs
// uses @daytonaio/sdk (pinned by tests/sdk/package-lock.json) against a real coved.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

using cove::test::CovedProcess;

class TestSdk : public QObject {
    Q_OBJECT
    CovedProcess coved;
    cove::test::Sandboxes sb{coved};

private slots:
    void initTestCase() {
        QVERIFY2(QFile::exists(
                     QStringLiteral(COVE_SOURCE_DIR "/tests/sdk/node_modules/@daytonaio/sdk/package.json")),
                 "run 'npm ci' in tests/sdk (installer/setup.sh test does)");
        QVERIFY2(coved.start(), qPrintable(coved.error()));
    }

    void lifecycleThroughTheSdk() {
        QProcess node;
        node.setWorkingDirectory(QStringLiteral(COVE_SOURCE_DIR "/tests/sdk"));
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DAYTONA_API_URL"), coved.apiUrl());
        env.insert(QStringLiteral("DAYTONA_API_KEY"), coved.adminKey());
        node.setProcessEnvironment(env);
        node.start(QStringLiteral("node"), {QStringLiteral("lifecycle.mjs")});
        QVERIFY(node.waitForStarted());
        // The script leaves a sandbox running; it must still end by itself. (Without a working event
        // channel the SDK's Socket.IO client keeps it alive for minutes, retrying.)
        const bool ended = node.waitForFinished(120000);
        const QString out = QString::fromUtf8(node.readAllStandardOutput());
        const QString err = QString::fromUtf8(node.readAllStandardError());
        if (!ended)
            node.kill();
        QVERIFY2(ended, qPrintable(QStringLiteral("the SDK script did not end by itself:\n") + out + err));
        QVERIFY2(node.exitCode() == 0, qPrintable(out + err));
        for (const char* step : {"ok create", "ok get by name", "ok list", "ok stop", "ok start", "ok resize",
                                 "ok labels", "ok autostop", "ok delete"})
            QVERIFY2(out.contains(QLatin1String(step)), step);

        const auto left = QRegularExpression(QStringLiteral("LEFT ([0-9a-f-]{36})")).match(out);
        QVERIFY(left.hasMatch());
        const QString id = left.captured(1);
        QCOMPARE(sb.state(id), QStringLiteral("started")); // the SDK's exit left it alone
        QCOMPARE(sb.call("DELETE", QStringLiteral("/api/sandbox/") + id).status, 200);
    }

    void toolboxThroughTheSdk() {
        QProcess node;
        node.setWorkingDirectory(QStringLiteral(COVE_SOURCE_DIR "/tests/sdk"));
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DAYTONA_API_URL"), coved.apiUrl());
        env.insert(QStringLiteral("DAYTONA_API_KEY"), coved.adminKey());
        node.setProcessEnvironment(env);
        node.start(QStringLiteral("node"), {QStringLiteral("toolbox.mjs")});
        QVERIFY(node.waitForStarted());
        const bool ended = node.waitForFinished(300000);
        const QString out = QString::fromUtf8(node.readAllStandardOutput());
        const QString err = QString::fromUtf8(node.readAllStandardError());
        if (!ended)
            node.kill();
        QVERIFY2(ended, qPrintable(QStringLiteral("the SDK script did not end:\n") + out + err));
        QVERIFY2(node.exitCode() == 0, qPrintable(out + err));
        for (const char* step : {"ok updateEnv", "ok executeCommand", "ok executeCommand timeout",
                                 "ok codeRun python", "ok codeRun javascript", "ok codeRun typescript",
                                 "ok files", "ok sessions", "ok metrics", "DONE"})
            QVERIFY2(out.contains(QLatin1String(step)), step);
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

QTEST_GUILESS_MAIN(TestSdk)
#include "tst_sdk.moc"
