// The default snapshots' images built by coved on first start: a real coved whose default images
// (cove-base and cove-desktop under a tag of this test's own, so the machine's images stay untouched)
// are missing, with an image recipe directory holding a tiny build script in place of the real one.
// The script waits for a file the test makes, so the `building` state is seen for sure.
#include "app/ApiClient.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"
#include "ui/pages/snapshots/SnapshotsPage.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using cove::test::CovedProcess;
using cove::test::Reply;
using cove::test::run;
using namespace cove;

namespace {

// A recipe directory whose build-images.sh prints steps like the real one, waits for `go` (or exits
// with `fail`'s content as its last words), then tags the machine's images with COVE_IMAGE_TAG.
QString writeRecipe(const QTemporaryDir& dir) {
    const QByteArray script = R"SH(#!/usr/bin/env bash
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
echo "[1/3] cove-debian: debootstrap (a test recipe)"
while [ ! -e "$here/go" ] && [ ! -e "$here/fail" ]; do sleep 0.05; done
if [ -e "$here/fail" ]; then
    echo "[2/3] cove-base: building"
    cat "$here/fail" >&2
    exit 1
fi
echo "[2/3] cove-base: tagging"
docker tag cove-base:latest "cove-base:$COVE_IMAGE_TAG"
echo "[3/3] cove-desktop: tagging"
docker tag cove-desktop:latest "cove-desktop:$COVE_IMAGE_TAG"
)SH";
    QFile f(dir.filePath(QStringLiteral("build-images.sh")));
    if (!f.open(QIODevice::WriteOnly) || f.write(script) != script.size())
        return {};
    f.close();
    return dir.path();
}

void touch(const QString& path, const QByteArray& content = {}) {
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(content);
}

} // namespace

class TestDefaultImages : public QObject {
    Q_OBJECT
    QString tag = QStringLiteral("tst-") + QString::number(QRandomGenerator::global()->generate(), 16);

    static QString state(const cove::test::Sandboxes& s, const QString& name) {
        return s.call("GET", QStringLiteral("/api/snapshots/") + name)
            .object()
            .value(QStringLiteral("state"))
            .toString();
    }
    static QByteArray buildLog(const cove::test::Sandboxes& s, const QString& name) {
        return s.call("GET", QStringLiteral("/api/snapshots/") + name + QStringLiteral("/build-logs")).body;
    }
    void startWithRecipe(CovedProcess& coved, const QTemporaryDir& recipes) {
        coved.setEnv(QStringLiteral("COVE_IMAGES_DIR"), writeRecipe(recipes));
        coved.setEnv(QStringLiteral("COVE_IMAGE_TAG"), tag);
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("1")}),
                 qPrintable(coved.error()));
    }

private slots:
    void cleanupTestCase() {
        // Only this test's tags: the images themselves are the machine's.
        run(QStringLiteral("docker"),
            {QStringLiteral("image"), QStringLiteral("rm"), QStringLiteral("cove-base:") + tag,
             QStringLiteral("cove-desktop:") + tag});
    }

    // Without recipes coved cannot make the missing default image: it says so and exits.
    void missingImageWithoutRecipes() {
        CovedProcess coved;
        coved.setEnv(QStringLiteral("COVE_IMAGE_TAG"), tag);
        QVERIFY(!coved.start());
        QVERIFY2(coved.log().contains("cove-base:" + tag.toUtf8() + " is missing from the Docker engine"),
                 coved.log().constData());
        QVERIFY(coved.log().contains("--images-dir"));
    }

    // A failing step: both snapshots turn build_failed with the step and the script's last words.
    void failedBuild() {
        QTemporaryDir recipes;
        CovedProcess coved;
        cove::test::Sandboxes sandboxes{coved};
        startWithRecipe(coved, recipes);
        QCOMPARE(state(sandboxes, QStringLiteral("cove-base")), QStringLiteral("building"));
        touch(recipes.filePath(QStringLiteral("fail")), "E: the mirror cannot be reached\n");
        QTRY_COMPARE_WITH_TIMEOUT(state(sandboxes, QStringLiteral("cove-desktop")),
                                  QStringLiteral("build_failed"), 20000);
        QCOMPARE(state(sandboxes, QStringLiteral("cove-base")), QStringLiteral("build_failed"));
        const QString reason = sandboxes.call("GET", QStringLiteral("/api/snapshots/cove-base"))
                                   .object()
                                   .value(QStringLiteral("errorReason"))
                                   .toString();
        QVERIFY2(reason.contains(QStringLiteral("at [2/3] cove-base: building")), qPrintable(reason));
        QVERIFY2(reason.contains(QStringLiteral("E: the mirror cannot be reached")), qPrintable(reason));
        QVERIFY(buildLog(sandboxes, QStringLiteral("cove-base")).contains("E: the mirror cannot be reached"));
        const Reply create = sandboxes.call("POST", QStringLiteral("/api/sandbox"), "{}");
        QCOMPARE(create.status, 400);
        QVERIFY2(create.message().contains(QStringLiteral("build_failed")), qPrintable(create.message()));
    }

    // The path of a fresh install: building (log, 503 for creates, the dashboard's progress panel),
    // then active, and sandboxes start (the warm pool fills once the image is there).
    void firstStartBuildsTheImages() {
        QTemporaryDir recipes;
        CovedProcess coved;
        cove::test::Sandboxes sandboxes{coved};
        startWithRecipe(coved, recipes);
        for (const char* name : {"cove-base", "cove-desktop"}) {
            const QJsonObject s =
                sandboxes.call("GET", QStringLiteral("/api/snapshots/") + QLatin1String(name)).object();
            QCOMPARE(s.value(QStringLiteral("state")).toString(), QStringLiteral("building"));
            QCOMPARE(s.value(QStringLiteral("general")).toBool(), true);
            QCOMPARE(s.value(QStringLiteral("imageName")).toString(),
                     QLatin1String(name) + QLatin1Char(':') + tag);
        }
        QTRY_VERIFY(
            buildLog(sandboxes, QStringLiteral("cove-base")).contains("[1/3] cove-debian: debootstrap"));

        const Reply refused = sandboxes.call("POST", QStringLiteral("/api/sandbox"), "{}");
        QCOMPARE(refused.status, 503);
        QVERIFY2(refused.message().contains(QStringLiteral("is being built")), qPrintable(refused.message()));
        const Reply desktop =
            sandboxes.call("POST", QStringLiteral("/api/sandbox"), R"({"snapshot":"cove-desktop"})");
        QCOMPARE(desktop.status, 503);
        // A default snapshot cannot be deleted, building or not.
        QCOMPARE(sandboxes.call("DELETE", QStringLiteral("/api/snapshots/cove-base")).status, 403);

        // The dashboard's Snapshots page shows the build with the log's last lines.
        app::ApiClient client;
        client.setTarget({coved.url(), coved.adminKey(), QStringLiteral("test")});
        ui::SnapshotsPage page(&client);
        page.show();
        page.refresh();
        QTRY_VERIFY(page.buildProgress().contains(QStringLiteral("Building the default snapshot")));
        QTRY_VERIFY2(page.buildProgress().contains(QStringLiteral("[1/3] cove-debian")),
                     qPrintable(page.buildProgress()));

        touch(recipes.filePath(QStringLiteral("go")));
        QTRY_COMPARE_WITH_TIMEOUT(state(sandboxes, QStringLiteral("cove-base")), QStringLiteral("active"),
                                  30000);
        QTRY_COMPARE_WITH_TIMEOUT(state(sandboxes, QStringLiteral("cove-desktop")), QStringLiteral("active"),
                                  30000);
        const QByteArray log = buildLog(sandboxes, QStringLiteral("cove-desktop"));
        QVERIFY2(log.contains("[3/3] cove-desktop: tagging") && log.contains("is active"), log.constData());
        QTRY_VERIFY_WITH_TIMEOUT(page.buildProgress().isEmpty(), 10000);

        const QString id = sandboxes.create();
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(sandboxes.state(id), QStringLiteral("started"), 60000);
        QCOMPARE(sandboxes.get(id).value(QStringLiteral("snapshot")).toString(), QStringLiteral("cove-base"));
        // Restarted with the images present, coved builds nothing.
        coved.stop();
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        QCOMPARE(state(sandboxes, QStringLiteral("cove-base")), QStringLiteral("active"));
        QVERIFY(!coved.log().contains("building the default snapshot images"));
    }
};

QTEST_MAIN(TestDefaultImages)
#include "tst_default_images.moc"
