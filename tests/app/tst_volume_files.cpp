// The Volumes page's file browser against a real coved with no sandbox at all: a volume's files are listed,
// a folder is made, a file goes up the way a drop sends it and comes back byte for byte, deleting asks
// first, a missing folder is explained, and a new list of volumes keeps the browser where it was.
#include "app/ApiClient.h"
#include "app/VolumeModel.h"
#include "support/CovedProcess.h"
#include "support/Gui.h"
#include "support/Http.h"
#include "ui/pages/sandboxes/detail/FileListModel.h"
#include "ui/pages/sandboxes/detail/FilesTab.h"
#include "ui/pages/volumes/VolumesPage.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QMessageBox>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace cove;
using test::answerNextQuestion;
using test::sha256;

namespace {
constexpr int kWait = 20000;
} // namespace

class TestVolumeFiles : public QObject {
    Q_OBJECT
    test::CovedProcess coved;
    QTemporaryDir settingsDir;
    QTemporaryDir work;
    app::ApiClient client;
    QString volume;

    bool listed(ui::detail::FilesTab* files, const QString& name) { return files->model()->rowOf(name) >= 0; }
    // What the service itself lists under `path` of the volume (no dashboard involved).
    QStringList namesFromApi(const QString& path) {
        const auto r = test::request(
            "GET", coved.apiUrl() + QStringLiteral("/volumes/%1/files?path=%2").arg(volume, path),
            coved.adminKey());
        QStringList names;
        for (const auto& e : r.json().array())
            names << e.toObject().value(QStringLiteral("name")).toString();
        return names;
    }

private slots:
    void initTestCase() {
        test::useSettingsIn(settingsDir);
        QVERIFY2(test::startCovedFor(coved, client), qPrintable(coved.error()));
        const auto r = test::request("POST", coved.apiUrl() + QStringLiteral("/volumes"), coved.adminKey(),
                                     R"({"name":"browse-me"})");
        QCOMPARE(r.status, 200);
        volume = r.object().value(QStringLiteral("id")).toString();
        QVERIFY(!volume.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(
            test::request("GET", coved.apiUrl() + QStringLiteral("/volumes/") + volume, coved.adminKey())
                .object()
                .value(QStringLiteral("state"))
                .toString(),
            QStringLiteral("ready"), kWait);
    }

    void browseAVolumeWithNoSandbox() {
        ui::VolumesPage page(&client);
        QAbstractItemModelTester pageTester(page.model(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto* files = page.files();
        QAbstractItemModelTester filesTester(files->model(),
                                             QAbstractItemModelTester::FailureReportingMode::QtTest);
        page.resize(1100, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(!files->isVisible()); // nothing selected, nothing browsed
        page.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(page.model()->rowCount() == 1, kWait);
        QVERIFY(page.selectVolume(volume));
        QTRY_VERIFY(files->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(files->currentPath(), QStringLiteral("/"), kWait);
        QCOMPARE(files->model()->rowCount(), 0);
        // Volumes have no move: there is no rename to offer.
        for (auto* b : files->findChildren<QPushButton*>())
            QVERIFY2(!(b->isVisible() && b->text().contains(QStringLiteral("name…"))), qPrintable(b->text()));

        // A folder, made and opened.
        files->createFolder(QStringLiteral("docs"));
        QTRY_VERIFY_WITH_TIMEOUT(listed(files, QStringLiteral("docs")), kWait);
        QVERIFY(files->model()->entry(files->model()->rowOf(QStringLiteral("docs"))).isDir);
        QCOMPARE(namesFromApi(QStringLiteral("/")), QStringList{QStringLiteral("docs")});
        files->openPath(QStringLiteral("/docs"));
        QTRY_COMPARE_WITH_TIMEOUT(files->currentPath(), QStringLiteral("/docs"), kWait);

        // A file goes up the way a drop sends it, and is listed with its size.
        const QString local = work.filePath(QStringLiteral("report.bin"));
        QByteArray data(700 * 1024 + 17, Qt::Uninitialized);
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(data.data()), data.size() / 4);
        QFile f(local);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(data), data.size());
        f.close();
        QSignalSpy finished(files, &ui::detail::FilesTab::transferFinished);
        files->upload({local});
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWait);
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
        QTRY_VERIFY_WITH_TIMEOUT(listed(files, QStringLiteral("report.bin")), kWait);
        QCOMPARE(files->model()->entry(files->model()->rowOf(QStringLiteral("report.bin"))).size,
                 qint64(data.size()));
        // On the host, in the volume's own folder.
        QFile onHost(coved.dataDir() + QStringLiteral("/volumes/%1/docs/report.bin").arg(volume));
        QVERIFY(onHost.open(QIODevice::ReadOnly));
        QCOMPARE(sha256(onHost.readAll()), sha256(data));

        // And back down, byte for byte.
        const QString back = work.filePath(QStringLiteral("back.bin"));
        finished.clear();
        files->download(QStringLiteral("report.bin"), back);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWait);
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
        QFile b(back);
        QVERIFY(b.open(QIODevice::ReadOnly));
        QCOMPARE(sha256(b.readAll()), sha256(data));

        // A new list of volumes (as a volume event brings) keeps the browser where it was.
        QSignalSpy relisted(page.model(), &QAbstractItemModel::modelReset);
        page.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(relisted.size() >= 1, kWait);
        QCOMPARE(files->currentPath(), QStringLiteral("/docs"));
        QVERIFY(files->isVisible());

        // Deleting asks first: declined, the file stays; confirmed, it is gone.
        QSignalSpy changed(files, &ui::detail::FilesTab::changed);
        answerNextQuestion(this, QMessageBox::Cancel);
        files->deleteEntries({QStringLiteral("report.bin")});
        QCOMPARE(changed.size(), 0);
        QVERIFY(onHost.exists());
        answerNextQuestion(this, QMessageBox::Yes);
        files->deleteEntries({QStringLiteral("report.bin")});
        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, kWait);
        QVERIFY(changed.at(0).at(0).toBool());
        QTRY_VERIFY_WITH_TIMEOUT(!listed(files, QStringLiteral("report.bin")), kWait);
        QVERIFY(!onHost.exists());

        // Up again; a folder that is not there is explained and the browser stays put.
        files->goUp();
        QTRY_COMPARE_WITH_TIMEOUT(files->currentPath(), QStringLiteral("/"), kWait);
        files->openPath(QStringLiteral("/no-such-folder"));
        QTRY_VERIFY_WITH_TIMEOUT(!files->message().isEmpty(), kWait);
        QVERIFY2(files->message().contains(QStringLiteral("no folder /no-such-folder in the volume")),
                 qPrintable(files->message()));
        QCOMPARE(files->currentPath(), QStringLiteral("/"));

        // Nothing selected: the browser goes away.
        page.findChild<QTableView*>()->clearSelection();
        QTRY_VERIFY(!files->isVisible());
    }
};

QTEST_MAIN(TestVolumeFiles)
#include "tst_volume_files.moc"
