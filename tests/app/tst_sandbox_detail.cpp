// The sandbox detail pane against a real coved and a real sandbox, on a real X server: the overview shows
// the sandbox's values; files go up and down through the toolbox with progress and arrive byte for byte;
// folders are made, renamed and deleted (after a confirmation that can be declined); the Logs tab follows
// a command's output; the Metrics tab samples the container's cgroup; the Preview tab shows a page a
// server in the sandbox serves, through the private preview proxy.
#include "app/ApiClient.h"
#include "support/CovedProcess.h"
#include "support/Gui.h"
#include "support/Http.h"
#include "support/Sandboxes.h"
#include "ui/pages/sandboxes/SandboxDetail.h"
#include "ui/pages/sandboxes/detail/ActionDialogs.h"
#include "ui/pages/sandboxes/detail/CheckpointsTab.h"
#include "ui/pages/sandboxes/detail/FileListModel.h"
#include "ui/pages/sandboxes/detail/FilesTab.h"
#include "ui/pages/sandboxes/detail/LogsTab.h"
#include "ui/pages/sandboxes/detail/MetricsTab.h"
#include "ui/pages/sandboxes/detail/OverviewTab.h"
#include "ui/pages/sandboxes/detail/PreviewTab.h"
#include "ui/pages/sandboxes/detail/SandboxActions.h"
#include "ui/pages/snapshots/SnapshotsPage.h"
#include "ui/widgets/KeyValueTable.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollArea>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTranslator>
#include <QWebEnginePage>
#include <QWebEngineView>
#include <QtTest>

#include <memory>
#include <tuple>

using namespace cove;
using test::answerNextQuestion;
using test::sha256;
using ui::detail::FileListModel;
using ui::detail::SandboxActions;

namespace {
constexpr int kWait = 20000;
const QString kHome = QStringLiteral("/home/cove");
} // namespace

class TestSandboxDetail : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir;
    QTemporaryDir work;
    test::CovedProcess coved;
    std::unique_ptr<test::Sandboxes> boxes;
    app::ApiClient client;
    std::unique_ptr<ui::SandboxDetail> detail;
    QString id;

    QString container() const { return QStringLiteral("cove-") + id; }
    test::CommandResult inContainer(const QString& script) const {
        return test::run(QStringLiteral("docker"), {QStringLiteral("exec"), container(), QStringLiteral("sh"),
                                                    QStringLiteral("-c"), script});
    }
    test::Reply toolbox(const QByteArray& method, const QString& rest, const QByteArray& body = {}) const {
        return boxes->call(method, QStringLiteral("/toolbox/") + id + rest, body);
    }
    bool listed(const QString& name) const { return detail->files()->model()->rowOf(name) >= 0; }
    int logSource(const QString& needle) const {
        QComboBox* c = detail->logs()->sources();
        for (int i = 0; i < c->count(); ++i)
            if (c->itemText(i).contains(needle))
                return i;
        return -1;
    }
    SandboxActions* actions() const { return detail->actions(); }
    // Triggers `action` once the page has read the sandbox and offers it; the dialog it opened.
    template <class Dialog> Dialog* openDialog(QAction* action) {
        if (!QTest::qWaitFor([action] { return action->isEnabled(); }, kWait))
            return nullptr;
        action->trigger();
        return qobject_cast<Dialog*>(actions()->dialog());
    }
    // The dialog was accepted: the service answered yes. The page reads the sandbox again after it.
    bool closedWithSuccess(QPointer<ui::detail::ActionDialog> dialog) {
        return QTest::qWaitFor([&] { return dialog.isNull(); }, kWait) && actions()->message().isEmpty();
    }
    QJsonObject sandbox() const { return boxes->get(id); }

    QString pageEval(const QString& script) {
        QString out;
        bool done = false;
        detail->preview()->view()->page()->runJavaScript(script, [&](const QVariant& v) {
            out = v.toString();
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, kWait))
            return QStringLiteral("<no answer>");
        return out;
    }

private slots:
    void initTestCase() {
        test::useSettingsIn(settingsDir);
        QVERIFY2(coved.start(), qPrintable(coved.error()));
        boxes = std::make_unique<test::Sandboxes>(coved);
        id = boxes->create(
            R"({"name":"detail-under-test","labels":{"team":"qa","tier":"gold"},)"
            R"("env":{"SECRET_TOKEN":"do-not-show"},"autoStopInterval":0,"autoDeleteInterval":90})");
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(boxes->state(id), QStringLiteral("started"), 60000);
        client.setTarget({coved.url(), coved.adminKey(), QStringLiteral("test")});
        detail = std::make_unique<ui::SandboxDetail>(&client);
        detail->resize(1280, 860);
        detail->show();
        QVERIFY(QTest::qWaitForWindowExposed(detail.get()));
        detail->showSandbox(id);
    }

    void cleanupTestCase() {
        detail.reset();
        boxes.reset();
    }

    void overviewShowsTheSandbox() {
        auto* o = detail->overview();
        QCOMPARE(detail->tabs()->currentWidget(), o);
        QTRY_COMPARE_WITH_TIMEOUT(o->fieldText(QStringLiteral("name")), QStringLiteral("detail-under-test"),
                                  kWait);
        const QJsonObject dto = boxes->get(id);
        QCOMPARE(o->fieldText(QStringLiteral("id")), id);
        QCOMPARE(o->fieldText(QStringLiteral("state")), QStringLiteral("Started"));
        QCOMPARE(o->fieldText(QStringLiteral("errorReason")), QStringLiteral("none"));
        QCOMPARE(o->fieldText(QStringLiteral("snapshot")), dto.value(QStringLiteral("snapshot")).toString());
        QCOMPARE(o->fieldText(QStringLiteral("cpu")),
                 QStringLiteral("%1 vCPU").arg(dto.value(QStringLiteral("cpu")).toInt()));
        QCOMPARE(o->fieldText(QStringLiteral("memory")),
                 QStringLiteral("%1 GiB").arg(dto.value(QStringLiteral("memory")).toDouble()));
        // The engine here is btrfs, so coved reports the disk limit as enforced.
        QCOMPARE(dto.value(QStringLiteral("diskLimitEnforced")).toBool(), true);
        QCOMPARE(o->fieldText(QStringLiteral("disk")),
                 QStringLiteral("%1 GiB").arg(dto.value(QStringLiteral("disk")).toDouble()));
        QCOMPARE(o->fieldText(QStringLiteral("labels")), QStringLiteral("team=qa\ntier=gold"));
        QCOMPARE(o->fieldText(QStringLiteral("env")), QStringLiteral("SECRET_TOKEN"));
        QVERIFY(!o->fieldText(QStringLiteral("env")).contains(QStringLiteral("do-not-show")));
        QVERIFY(o->fieldText(QStringLiteral("public")).startsWith(QStringLiteral("no")));
        // A tier 1 organization: what is enforced is the essential services, whatever the sandbox asks.
        QCOMPARE(dto.value(QStringLiteral("networkEgress")).toString(), QStringLiteral("essential-services"));
        QVERIFY2(
            o->fieldText(QStringLiteral("network")).startsWith(QStringLiteral("only essential services")),
            qPrintable(o->fieldText(QStringLiteral("network"))));
        QCOMPARE(o->fieldText(QStringLiteral("autoStopInterval")),
                 QStringLiteral("off (never stops by itself)"));
        QCOMPARE(o->fieldText(QStringLiteral("autoDeleteInterval")), QStringLiteral("90 minutes"));
        QVERIFY2(o->fieldText(QStringLiteral("createdAt"))
                     .contains(dto.value(QStringLiteral("createdAt")).toString()),
                 qPrintable(o->fieldText(QStringLiteral("createdAt"))));
        QCOMPARE(o->fieldText(QStringLiteral("volumes")), QStringLiteral("none"));

        // A change made elsewhere shows after F5.
        QCOMPARE(boxes
                     ->call("POST", QStringLiteral("/api/sandbox/%1/network-settings").arg(id),
                            R"({"networkBlockAll":true})")
                     .status,
                 200);
        detail->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(detail.get()));
        QTest::keyClick(detail.get(), Qt::Key_F5);
        QTRY_COMPARE_WITH_TIMEOUT(o->fieldText(QStringLiteral("network")),
                                  QStringLiteral("all outbound traffic blocked"), kWait);
        QCOMPARE(boxes
                     ->call("POST", QStringLiteral("/api/sandbox/%1/network-settings").arg(id),
                            R"({"networkBlockAll":false})")
                     .status,
                 200);
    }

    void filesNavigate() {
        auto* files = detail->files();
        QAbstractItemModelTester tester(files->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        detail->tabs()->setCurrentWidget(files);
        QTRY_COMPARE_WITH_TIMEOUT(files->currentPath(), kHome, kWait);
        files->goUp();
        QTRY_COMPARE_WITH_TIMEOUT(files->currentPath(), QStringLiteral("/home"), kWait);
        const int row = files->model()->rowOf(QStringLiteral("cove"));
        QVERIFY(row >= 0);
        QVERIFY(files->model()->entry(row).isDir);
        // Activating a folder (Enter, or a double-click) opens it.
        QTableView* view = files->view();
        view->setFocus();
        view->setCurrentIndex(files->model()->index(row, FileListModel::Name));
        QTest::keyClick(view, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(files->currentPath(), kHome, kWait);
        // A folder that is not there is explained, and the view stays where it was.
        files->openPath(QStringLiteral("/no/such/folder"));
        QTRY_VERIFY_WITH_TIMEOUT(!files->message().isEmpty(), kWait);
        QVERIFY2(files->message().contains(QStringLiteral("/no/such/folder")), qPrintable(files->message()));
        QCOMPARE(files->currentPath(), kHome);
    }

    void filesUploadAndDownload() {
        auto* files = detail->files();
        QAbstractItemModelTester tester(files->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE_WITH_TIMEOUT(files->currentPath(), kHome, kWait);

        // A few MB of random bytes, uploaded the way a drop uploads.
        const QString local = work.filePath(QStringLiteral("payload.bin"));
        QByteArray data(6 * 1024 * 1024 + 123, Qt::Uninitialized);
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(data.data()), data.size() / 4);
        QFile f(local);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(data), data.size());
        f.close();
        QSignalSpy progress(files, &ui::detail::FilesTab::transferProgress);
        QSignalSpy finished(files, &ui::detail::FilesTab::transferFinished);
        files->upload({local});
        QVERIFY(files->busy());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
        QVERIFY(progress.size() >= 2);
        QCOMPARE(progress.last().at(0).toLongLong(), qint64(data.size()));
        QCOMPARE(progress.last().at(1).toLongLong(), qint64(data.size()));
        QCOMPARE(files->progressBar()->value(), files->progressBar()->maximum());
        QTRY_VERIFY_WITH_TIMEOUT(listed(QStringLiteral("payload.bin")), kWait);
        const auto& entry = files->model()->entry(files->model()->rowOf(QStringLiteral("payload.bin")));
        QCOMPARE(entry.size, qint64(data.size()));
        const auto sum = inContainer(QStringLiteral("sha256sum /home/cove/payload.bin"));
        QCOMPARE(sum.exitCode, 0);
        QCOMPARE(sum.out.left(64), sha256(data));

        // And back down, byte for byte.
        const QString back = work.filePath(QStringLiteral("back.bin"));
        finished.clear();
        files->download(QStringLiteral("payload.bin"), back);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
        QFile b(back);
        QVERIFY(b.open(QIODevice::ReadOnly));
        QCOMPARE(sha256(b.readAll()), sha256(data));

        // A file that is not there: the error says so and nothing is left on disk.
        const QString missing = work.filePath(QStringLiteral("missing.bin"));
        finished.clear();
        files->download(QStringLiteral("not-here.txt"), missing);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWait);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QVERIFY2(files->message().contains(QStringLiteral("not-here.txt")), qPrintable(files->message()));
        QVERIFY(!QFile::exists(missing));

        // A local file that cannot be read.
        finished.clear();
        files->upload({work.filePath(QStringLiteral("nothing-here"))});
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWait);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QVERIFY2(files->message().contains(QStringLiteral("Cannot read")), qPrintable(files->message()));
    }

    void filesFolderRenameDelete() {
        auto* files = detail->files();
        QAbstractItemModelTester tester(files->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(files, &ui::detail::FilesTab::changed);
        files->createFolder(QStringLiteral("made-here"));
        QTRY_VERIFY_WITH_TIMEOUT(listed(QStringLiteral("made-here")), kWait);
        QVERIFY(files->model()->entry(files->model()->rowOf(QStringLiteral("made-here"))).isDir);
        QCOMPARE(inContainer(QStringLiteral("test -d /home/cove/made-here")).exitCode, 0);

        files->createFolder(QStringLiteral("a/b"));
        QVERIFY2(files->message().contains(QStringLiteral("is not a folder name")),
                 qPrintable(files->message()));

        files->renameEntry(QStringLiteral("made-here"), QStringLiteral("renamed"));
        QTRY_VERIFY_WITH_TIMEOUT(listed(QStringLiteral("renamed")) && !listed(QStringLiteral("made-here")),
                                 kWait);
        QCOMPARE(inContainer(QStringLiteral("test -d /home/cove/renamed && test ! -e /home/cove/made-here"))
                     .exitCode,
                 0);
        files->renameEntry(QStringLiteral("renamed"), QStringLiteral("payload.bin"));
        QVERIFY2(files->message().contains(QStringLiteral("already exists")), qPrintable(files->message()));

        // Declined: nothing happens.
        changed.clear();
        answerNextQuestion(this, QMessageBox::Cancel);
        files->deleteEntries({QStringLiteral("renamed")});
        QCOMPARE(changed.size(), 0);
        QVERIFY(listed(QStringLiteral("renamed")));
        QCOMPARE(inContainer(QStringLiteral("test -d /home/cove/renamed")).exitCode, 0);

        // Confirmed: gone, with what was inside.
        QCOMPARE(inContainer(QStringLiteral("touch /home/cove/renamed/inner.txt")).exitCode, 0);
        answerNextQuestion(this, QMessageBox::Yes);
        files->deleteEntries({QStringLiteral("renamed")});
        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, kWait);
        QVERIFY(changed.at(0).at(0).toBool());
        QTRY_VERIFY_WITH_TIMEOUT(!listed(QStringLiteral("renamed")), kWait);
        QCOMPARE(inContainer(QStringLiteral("test ! -e /home/cove/renamed")).exitCode, 0);
    }

    void logsFollowACommand() {
        QCOMPARE(toolbox("POST", QStringLiteral("/process/session"), R"({"sessionId":"detail-logs"})").status,
                 201);
        const auto exec =
            toolbox("POST", QStringLiteral("/process/session/detail-logs/exec"),
                    R"({"command":"echo line-from-the-command; sleep 2; echo second-line","runAsync":true})");
        QCOMPARE(exec.status, 202);
        auto* logs = detail->logs();
        detail->tabs()->setCurrentWidget(logs);
        QTRY_VERIFY_WITH_TIMEOUT(logSource(QStringLiteral("line-from-the-command")) >= 0, kWait);
        logs->sources()->setCurrentIndex(logSource(QStringLiteral("line-from-the-command")));
        QTRY_VERIFY_WITH_TIMEOUT(logs->text().contains(QStringLiteral("line-from-the-command")), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(logs->text().contains(QStringLiteral("second-line")), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(logs->status().contains(QStringLiteral("ended")), kWait);
        QVERIFY(!logs->text().contains(QChar(1)));

        // Paused: new output waits; following again shows it.
        const auto ticking =
            toolbox("POST", QStringLiteral("/process/session/detail-logs/exec"),
                    R"({"command":"echo tick-start; sleep 2; echo tick-end","runAsync":true})");
        QCOMPARE(ticking.status, 202);
        const QString cid = ticking.object().value(QStringLiteral("cmdId")).toString();
        logs->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(logSource(QStringLiteral("tick-start")) >= 0, kWait);
        logs->sources()->setCurrentIndex(logSource(QStringLiteral("tick-start")));
        QTRY_VERIFY_WITH_TIMEOUT(logs->text().contains(QStringLiteral("tick-start")), kWait);
        logs->setFollowing(false);
        QTRY_VERIFY_WITH_TIMEOUT(toolbox("GET", QStringLiteral("/process/session/detail-logs/command/") + cid)
                                     .object()
                                     .contains(QStringLiteral("exitCode")),
                                 kWait);
        QTRY_VERIFY_WITH_TIMEOUT(logs->status().contains(QStringLiteral("waiting")) ||
                                     logs->status().contains(QStringLiteral("ended")),
                                 kWait);
        QVERIFY(!logs->text().contains(QStringLiteral("tick-end")));
        logs->setFollowing(true);
        QTRY_VERIFY_WITH_TIMEOUT(logs->text().contains(QStringLiteral("tick-end")), kWait);

        // Huge output: only the last lines are kept.
        const auto flood = toolbox("POST", QStringLiteral("/process/session/detail-logs/exec"),
                                   R"({"command":"seq 1 40000","runAsync":true})");
        QCOMPARE(flood.status, 202);
        logs->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(logSource(QStringLiteral("seq 1 40000")) >= 0, kWait);
        logs->sources()->setCurrentIndex(logSource(QStringLiteral("seq 1 40000")));
        QTRY_VERIFY_WITH_TIMEOUT(logs->text().contains(QStringLiteral("\n40000")), kWait);
        auto* view = logs->findChild<QPlainTextEdit*>();
        QVERIFY(view->blockCount() <= ui::detail::LogsTab::kLineCap + 1);
        QVERIFY(!logs->text().startsWith(QStringLiteral("1\n")));
    }

    void metricsSampleTheContainer() {
        auto* metrics = detail->metrics();
        detail->tabs()->setCurrentWidget(metrics);
        QTRY_VERIFY_WITH_TIMEOUT(metrics->samples().size() >= 2, kWait);
        const QJsonObject dto = boxes->get(id);
        for (const auto& s : metrics->samples()) {
            QVERIFY2(s.cpuPct >= 0 && s.cpuPct <= 100, qPrintable(QString::number(s.cpuPct)));
            QCOMPARE(s.cpuCount, dto.value(QStringLiteral("cpu")).toInt());
            QVERIFY2(s.memUsedMiB > 0.1 && s.memUsedMiB < s.memTotalMiB, qPrintable(metrics->summary()));
            // The container's memory limit is the sandbox's memory.
            QCOMPARE(qRound(s.memTotalMiB), qRound(dto.value(QStringLiteral("memory")).toDouble() * 1024));
            // The sandbox's own disk, not the volume it lives on: what it wrote (nothing yet, when
            // fresh) of its disk size.
            QVERIFY(s.diskTotalGiB > 0 && s.diskUsedGiB >= 0 && s.diskUsedGiB < s.diskTotalGiB);
            if (dto.value(QStringLiteral("diskLimitEnforced")).toBool())
                QCOMPARE(qRound(s.diskTotalGiB), dto.value(QStringLiteral("disk")).toInt());
        }
        QVERIFY2(metrics->summary().startsWith(QStringLiteral("CPU ")), qPrintable(metrics->summary()));
        metrics->setRangeSeconds(3600);
        QCOMPARE(metrics->rangeSeconds(), 3600);
        metrics->setRangeSeconds(300);
        // Hidden, it stops sampling (a request already on its way may still land).
        detail->tabs()->setCurrentWidget(detail->overview());
        QSignalSpy sampled(metrics, &ui::detail::MetricsTab::sampled);
        QTest::qWait(ui::detail::MetricsTab::kIntervalMs * 3); // asserting an absence: nothing to wait for
        QVERIFY2(sampled.size() <= 1, qPrintable(QString::number(sampled.size())));
    }

    void previewShowsTheSandboxPage() {
        // A server in the sandbox that does no name lookups when it starts.
        const QByteArray start =
            R"({"command":"mkdir -p /tmp/site && printf '<html><head><title>Cove preview works</title></head><body><p id=m>Served from the sandbox</p></body></html>' > /tmp/site/index.html && cd /tmp/site && exec python3 -c 'import socketserver, http.server; socketserver.TCPServer.allow_reuse_address = True; socketserver.TCPServer((\"0.0.0.0\", 8080), http.server.SimpleHTTPRequestHandler).serve_forever()'","runAsync":true})";
        QCOMPARE(toolbox("POST", QStringLiteral("/process/session"), R"({"sessionId":"web"})").status, 201);
        QCOMPARE(toolbox("POST", QStringLiteral("/process/session/web/exec"), start).status, 202);
        QTRY_VERIFY_WITH_TIMEOUT(toolbox("GET", QStringLiteral("/port/8080/in-use"))
                                     .object()
                                     .value(QStringLiteral("isInUse"))
                                     .toBool(),
                                 kWait);

        auto* preview = detail->preview();
        detail->tabs()->setCurrentWidget(preview);
        // The listening port is offered.
        QTRY_VERIFY_WITH_TIMEOUT(
            preview->ports()->findText(QStringLiteral("8080")) >= 0 &&
                preview->ports()->itemData(preview->ports()->findText(QStringLiteral("8080"))).toBool(),
            kWait);

        preview->openPort(80);
        QVERIFY2(preview->message().contains(QStringLiteral("3000 to 9999")), qPrintable(preview->message()));

        QSignalSpy loaded(preview->view(), &QWebEngineView::loadFinished);
        preview->openPort(8080);
        QTRY_VERIFY_WITH_TIMEOUT(!preview->previewUrl().isEmpty(), kWait);
        QVERIFY2(preview->previewUrl().startsWith(
                     QStringLiteral("http://8080-%1.localhost:%2/").arg(id).arg(QUrl(coved.url()).port())),
                 qPrintable(preview->previewUrl()));
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 60000);
        QVERIFY(loaded.last().at(0).toBool());
        QTRY_COMPARE_WITH_TIMEOUT(pageEval(QStringLiteral("document.title")),
                                  QStringLiteral("Cove preview works"), kWait);
        QCOMPARE(pageEval(QStringLiteral("document.getElementById('m').innerText")),
                 QStringLiteral("Served from the sandbox"));

        // The sandbox is private: without the token the same address is refused (asked of coved by the
        // preview's host name, which only browsers resolve).
        const QUrl page(preview->previewUrl());
        QCOMPARE(test::request("GET", coved.url() + page.path(), {}, {},
                               {{"Host", QStringLiteral("%1:%2").arg(page.host()).arg(page.port()).toUtf8()}})
                     .status,
                 401);

        loaded.clear();
        preview->reload();
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kWait);
        QCOMPARE(pageEval(QStringLiteral("document.title")), QStringLiteral("Cove preview works"));
    }

    void labelsAreEditedInADialog() {
        auto* dialog = openDialog<ui::detail::LabelsDialog>(actions()->labelsAction());
        QVERIFY(dialog);
        QCOMPARE(dialog->table()->pairs().size(), 2); // team=qa, tier=gold
        // A value without a name is refused here, before anything is sent.
        dialog->table()->addPair(QString(), QStringLiteral("orphan"));
        dialog->okButton()->click();
        QCOMPARE(dialog->error(), QStringLiteral("Every row needs a name."));
        QVERIFY(dialog->isVisible());
        dialog->table()->table()->removeRow(2);
        dialog->table()->table()->removeRow(1); // tier
        dialog->table()->addPair(QStringLiteral("owner"), QStringLiteral("ui"));
        dialog->okButton()->click();
        QVERIFY(closedWithSuccess(dialog));
        const QJsonObject labels{{QStringLiteral("team"), QStringLiteral("qa")},
                                 {QStringLiteral("owner"), QStringLiteral("ui")}};
        QCOMPARE(sandbox().value(QStringLiteral("labels")).toObject(), labels);
        QTRY_COMPARE_WITH_TIMEOUT(detail->overview()->fieldText(QStringLiteral("labels")),
                                  QStringLiteral("owner=ui\nteam=qa"), kWait);
        QCOMPARE(actions()->status(), QStringLiteral("The labels were saved."));
    }

    void publicPreviewsAskFirst() {
        QAction* pub = actions()->publicAction();
        QTRY_VERIFY_WITH_TIMEOUT(pub->isEnabled(), kWait);
        QVERIFY(!pub->isChecked());
        // Declined: nothing is sent and the flag stays.
        answerNextQuestion(this, QMessageBox::Cancel);
        pub->trigger();
        QVERIFY(!pub->isChecked());
        QVERIFY(!actions()->isBusy());
        QCOMPARE(sandbox().value(QStringLiteral("public")).toBool(), false);
        answerNextQuestion(this, QMessageBox::Yes);
        pub->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(pub->isChecked(), kWait);
        QCOMPARE(sandbox().value(QStringLiteral("public")).toBool(), true);
        QTRY_VERIFY_WITH_TIMEOUT(
            detail->overview()->fieldText(QStringLiteral("public")).startsWith(QStringLiteral("yes")), kWait);
        // Back to private: no question.
        pub->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!actions()->isBusy() && !pub->isChecked(), kWait);
        QCOMPARE(sandbox().value(QStringLiteral("public")).toBool(), false);
    }

    void lifecycleIntervals() {
        auto* dialog = openDialog<ui::detail::LifecycleDialog>(actions()->lifecycleAction());
        QVERIFY(dialog);
        QCOMPARE(dialog->autoStopSpin()->value(), 0);
        QCOMPARE(dialog->autoDeleteSpin()->value(), 90);
        QVERIFY(dialog->autoDeleteCheck()->isChecked());
        // Auto-stop and auto-pause exclude each other: setting one turns the other off.
        dialog->autoPauseSpin()->setValue(30);
        dialog->autoStopSpin()->setValue(25);
        QCOMPARE(dialog->autoPauseSpin()->value(), 0);
        dialog->autoPauseSpin()->setValue(30);
        QCOMPARE(dialog->autoStopSpin()->value(), 0);
        dialog->autoPauseSpin()->setValue(0);
        dialog->autoStopSpin()->setValue(25);
        dialog->autoArchiveSpin()->setValue(120);
        dialog->autoDeleteCheck()->setChecked(false);
        dialog->okButton()->click();
        QVERIFY(closedWithSuccess(dialog));
        QJsonObject s = sandbox();
        QCOMPARE(s.value(QStringLiteral("autoStopInterval")).toInt(), 25);
        QCOMPARE(s.value(QStringLiteral("autoArchiveInterval")).toInt(), 120);
        QCOMPARE(s.value(QStringLiteral("autoDeleteInterval")).toInt(), -1);
        QTRY_COMPARE_WITH_TIMEOUT(detail->overview()->fieldText(QStringLiteral("autoStopInterval")),
                                  QStringLiteral("25 minutes"), kWait);

        // Deleting as soon as it stops is asked about first; declined, nothing is sent.
        dialog = openDialog<ui::detail::LifecycleDialog>(actions()->lifecycleAction());
        QVERIFY(dialog);
        dialog->autoDeleteCheck()->setChecked(true);
        dialog->autoDeleteSpin()->setValue(0);
        answerNextQuestion(this, QMessageBox::Cancel);
        dialog->okButton()->click();
        QVERIFY(dialog->isVisible());
        QCOMPARE(sandbox().value(QStringLiteral("autoDeleteInterval")).toInt(), -1);
        answerNextQuestion(this, QMessageBox::Yes);
        dialog->okButton()->click();
        QVERIFY(closedWithSuccess(dialog));
        QCOMPARE(sandbox().value(QStringLiteral("autoDeleteInterval")).toInt(), 0);
        // Back to what the other tests expect: no auto-stop, auto-delete after 90 minutes.
        QCOMPARE(boxes->call("POST", QStringLiteral("/api/sandbox/%1/autostop/0").arg(id)).status, 200);
        QCOMPARE(boxes->call("POST", QStringLiteral("/api/sandbox/%1/autodelete/90").arg(id)).status, 200);
        detail->refresh();
    }

    void networkSettings() {
        auto* dialog = openDialog<ui::detail::NetworkDialog>(actions()->networkAction());
        QVERIFY(dialog);
        QVERIFY(!dialog->blockAllCheck()->isChecked());
        dialog->allowListEdit()->setText(QStringLiteral("10.0.0.0/33"));
        dialog->okButton()->click();
        QVERIFY2(dialog->error().contains(QStringLiteral("10.0.0.0/33")), qPrintable(dialog->error()));
        dialog->allowListEdit()->setText(QStringLiteral("10.0.0.0/8, 192.168.0.0/16"));
        // The service's answer holds as soon as the dialog closes, before the page reads the sandbox
        // again: a dialog opened at once shows what was saved.
        QString heldWhenAccepted;
        connect(dialog, &QDialog::accepted, this,
                [this, &heldWhenAccepted] { heldWhenAccepted = actions()->sandbox().networkAllowList; });
        dialog->okButton()->click();
        QVERIFY(closedWithSuccess(dialog));
        QCOMPARE(heldWhenAccepted, QStringLiteral("10.0.0.0/8,192.168.0.0/16"));
        QJsonObject s = sandbox();
        QCOMPARE(s.value(QStringLiteral("networkAllowList")).toString(),
                 QStringLiteral("10.0.0.0/8,192.168.0.0/16"));
        QCOMPARE(s.value(QStringLiteral("networkBlockAll")).toBool(), false);

        dialog = openDialog<ui::detail::NetworkDialog>(actions()->networkAction());
        QVERIFY(dialog);
        QCOMPARE(dialog->allowListEdit()->text(), QStringLiteral("10.0.0.0/8,192.168.0.0/16"));
        if (const QString dir = qEnvironmentVariable("COVE_SCREENSHOT_DIR"); !dir.isEmpty()) {
            dialog = shootNetworkDialog(dir, dialog);
            QVERIFY(dialog);
        }
        dialog->blockAllCheck()->setChecked(true);
        QVERIFY(!dialog->allowListEdit()->isEnabled());
        dialog->okButton()->click();
        QVERIFY(closedWithSuccess(dialog));
        QCOMPARE(sandbox().value(QStringLiteral("networkBlockAll")).toBool(), true);
        QTRY_COMPARE_WITH_TIMEOUT(detail->overview()->fieldText(QStringLiteral("network")),
                                  QStringLiteral("all outbound traffic blocked"), kWait);
        QCOMPARE(boxes
                     ->call("POST", QStringLiteral("/api/sandbox/%1/network-settings").arg(id),
                            R"({"networkBlockAll":false,"networkAllowList":""})")
                     .status,
                 200);
    }

    // The Overview's Network group: the rules, the secrets (a service without them says "unavailable",
    // never a dialog) and the links, each opening its sandbox; the Network dialog checks names before
    // sending them.
    void networkGroupShowsLinksAndRules() {
        const QString follower = boxes->create(
            QJsonDocument(QJsonObject{{QStringLiteral("name"), QStringLiteral("detail-follower")},
                                      {QStringLiteral("linkedSandbox"), id},
                                      {QStringLiteral("autoDeleteInterval"), 0}})
                .toJson());
        QVERIFY(!follower.isEmpty());
        auto* o = detail->overview();
        detail->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(o->fieldText(QStringLiteral("linkedFollowers"))
                                     .contains(QStringLiteral("href=\"%1\"").arg(follower)),
                                 kWait);
        QVERIFY(o->fieldText(QStringLiteral("linkedSandboxId")).startsWith(QStringLiteral("none")));
        QCOMPARE(o->fieldText(QStringLiteral("domainAllowList")), QStringLiteral("none"));
        QCOMPARE(o->fieldText(QStringLiteral("networkStrict")), QStringLiteral("off"));
        QTRY_VERIFY_WITH_TIMEOUT(o->fieldText(QStringLiteral("secrets")) != QStringLiteral("reading…"),
                                 kWait);
        QCOMPARE(o->fieldText(QStringLiteral("secrets")), QStringLiteral("none"));
        // A mounted secret is named with its variable and the hosts its value may go to.
        QCOMPARE(boxes
                     ->call("POST", QStringLiteral("/api/secret"),
                            R"({"name":"DETAIL_KEY","value":"v","hosts":["api.example.com"]})")
                     .status,
                 201);
        const QString mounts = QStringLiteral("/api/sandbox/") + id + QStringLiteral("/secrets");
        QCOMPARE(boxes->call("PUT", mounts, R"({"secrets":{"API_KEY":"DETAIL_KEY"}})").status, 200);
        detail->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(o->fieldText(QStringLiteral("secrets")),
                                  QStringLiteral("API_KEY: secret DETAIL_KEY, sent only to api.example.com"),
                                  kWait);
        QVERIFY(!QApplication::activeModalWidget());
        if (const QString dir = qEnvironmentVariable("COVE_SCREENSHOT_DIR"); !dir.isEmpty())
            shootNetworkGroup(dir);

        emit o->openSandbox(follower); // as a click on the link does
        QTRY_COMPARE_WITH_TIMEOUT(detail->sandboxId(), follower, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(
            o->fieldText(QStringLiteral("linkedSandboxId")).contains(QStringLiteral("href=\"%1\"").arg(id)),
            kWait);
        QCOMPARE(o->fieldText(QStringLiteral("linkedFollowers")), QStringLiteral("none"));
        emit o->openSandbox(id);
        QTRY_COMPARE_WITH_TIMEOUT(detail->sandboxId(), id, kWait);

        auto* dialog = openDialog<ui::detail::NetworkDialog>(actions()->networkAction());
        QVERIFY(dialog);
        QVERIFY(dialog->domainAllowEdit()->isEnabled());
        for (const auto& [allow, block, said] :
             {std::tuple{"bad name.com", "", "bad name.com"},
              std::tuple{"a.*.example.com", "", "a.*.example.com"},
              std::tuple{"a.com,b.com,c.com,d.com,e.com,f.com,g.com,h.com,i.com,j.com,k.com", "",
                         "At most 10"},
              std::tuple{"example.com", "-bad.example.com", "-bad.example.com"}}) {
            dialog->domainAllowEdit()->setText(QString::fromUtf8(allow));
            dialog->domainBlockEdit()->setText(QString::fromUtf8(block));
            dialog->okButton()->click();
            QVERIFY2(dialog->isVisible() && dialog->error().contains(QString::fromUtf8(said)),
                     qPrintable(dialog->error()));
        }
        // Names that pass: the dialog lets them go (only what changed is sent).
        QCOMPARE(ui::detail::NetworkDialog::checkDomainList(QStringLiteral("example.com, *.pypi.org"),
                                                            QStringLiteral("x")),
                 QString());
        dialog->reject();
        QCOMPARE(boxes->destroy(follower).status, 200);
        detail->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(o->fieldText(QStringLiteral("linkedFollowers")), QStringLiteral("none"),
                                  kWait);
    }

    void resizeGrowsTheSandbox() {
        const QJsonObject before = sandbox();
        const int disk = before.value(QStringLiteral("disk")).toInt();
        auto* dialog = openDialog<ui::detail::ResizeDialog>(actions()->resizeAction());
        QVERIFY(dialog);
        // The disk can only grow: the dialog offers nothing smaller.
        QCOMPARE(dialog->diskSpin()->minimum(), disk);
        dialog->cpuSpin()->setValue(2);
        dialog->memorySpin()->setValue(2);
        dialog->diskSpin()->setValue(disk + 1);
        dialog->okButton()->click();
        QVERIFY(closedWithSuccess(dialog));
        const QJsonObject after = sandbox();
        QCOMPARE(after.value(QStringLiteral("cpu")).toInt(), 2);
        QCOMPARE(after.value(QStringLiteral("memory")).toInt(), 2);
        QCOMPARE(after.value(QStringLiteral("disk")).toInt(), disk + 1);
        // Docker applied it to the running container.
        const QJsonObject host =
            test::Sandboxes::container(id).value(QStringLiteral("HostConfig")).toObject();
        QCOMPARE(host.value(QStringLiteral("CpuQuota")).toInteger(),
                 2 * host.value(QStringLiteral("CpuPeriod")).toInteger());
        QCOMPARE(host.value(QStringLiteral("Memory")).toInteger(), 2LL << 30);
        QTRY_COMPARE_WITH_TIMEOUT(detail->overview()->fieldText(QStringLiteral("cpu")),
                                  QStringLiteral("2 vCPU"), kWait);
    }

    void snapshotOfTheSandbox() {
        auto* dialog = openDialog<ui::detail::NameDialog>(actions()->snapshotAction());
        QVERIFY(dialog);
        // A name is needed.
        dialog->okButton()->click();
        QCOMPARE(dialog->error(), QStringLiteral("Give a name."));
        const QString name = QStringLiteral("detail-snap-%1").arg(QRandomGenerator::global()->generate());
        dialog->nameEdit()->setText(name);
        dialog->okButton()->click();
        QVERIFY(dialog->isSending());
        QPointer<ui::detail::ActionDialog> watched(dialog);
        QVERIFY(QTest::qWaitFor([&] { return watched.isNull(); }, 120000));
        QVERIFY2(actions()->message().isEmpty(), qPrintable(actions()->message()));
        const test::Reply snap = boxes->call("GET", QStringLiteral("/api/snapshots/") + name);
        QCOMPARE(snap.status, 200);
        QCOMPARE(snap.object().value(QStringLiteral("name")).toString(), name);
        QTRY_COMPARE_WITH_TIMEOUT(boxes->state(id), QStringLiteral("started"), 60000);
        // Removed once the service has checked it (a pending snapshot cannot be removed).
        const auto snapState = [&] {
            return boxes->call("GET", QStringLiteral("/api/snapshots/") + name)
                .object()
                .value(QStringLiteral("state"))
                .toString();
        };
        QTRY_VERIFY_WITH_TIMEOUT(snapState() != QLatin1String("pending"), 120000);
        const test::Reply removed = boxes->call("DELETE", QStringLiteral("/api/snapshots/") + name);
        QVERIFY2(removed.status == 200, qPrintable(removed.message()));
    }

    void snapshotDialogTakesEntrypointAndResources() {
        ui::CreateSnapshotDialog dialog;
        dialog.nameEdit()->setText(QStringLiteral("with-entrypoint"));
        dialog.imageEdit()->setText(QStringLiteral("cove-base"));
        dialog.entrypointEdit()->setText(QStringLiteral("sh -c \"sleep infinity\""));
        dialog.cpuSpin()->setValue(2);
        dialog.diskSpin()->setValue(5);
        QVERIFY(dialog.okButton()->isEnabled());
        const QJsonObject body = dialog.request().toJson();
        QCOMPARE(body.value(QStringLiteral("entrypoint")).toArray(),
                 QJsonArray({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("sleep infinity")}));
        QCOMPARE(body.value(QStringLiteral("cpu")).toInt(), 2);
        QVERIFY(!body.contains(QStringLiteral("memory"))); // 0: the service's default
        QCOMPARE(body.value(QStringLiteral("disk")).toInt(), 5);
        // An unclosed quote is not an entrypoint.
        dialog.entrypointEdit()->setText(QStringLiteral("sh -c \"sleep"));
        QVERIFY(!dialog.okButton()->isEnabled());
    }

    void pauseAndResume() {
        QAction* pause = actions()->pauseAction();
        QTRY_VERIFY_WITH_TIMEOUT(pause->isEnabled(), kWait);
        QVERIFY(!actions()->resumeAction()->isEnabled());
        pause->trigger();
        QVERIFY(actions()->isBusy());
        QTRY_COMPARE_WITH_TIMEOUT(actions()->status(), QStringLiteral("The sandbox is paused."), kWait);
        QCOMPARE(boxes->state(id), QStringLiteral("paused"));
        // The container's processes are frozen.
        QCOMPARE(test::Sandboxes::container(id)
                     .value(QStringLiteral("State"))
                     .toObject()
                     .value(QStringLiteral("Paused")),
                 QJsonValue(true));
        QTRY_VERIFY_WITH_TIMEOUT(actions()->resumeAction()->isEnabled(), kWait);
        QVERIFY(!pause->isEnabled());
        QCOMPARE(detail->overview()->fieldText(QStringLiteral("state")), QStringLiteral("Paused"));
        actions()->resumeAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(actions()->status(), QStringLiteral("The sandbox runs again."), kWait);
        QCOMPARE(boxes->state(id), QStringLiteral("started"));
        QTRY_VERIFY_WITH_TIMEOUT(pause->isEnabled(), kWait);

        // Paused and resumed elsewhere (an SDK, the list): the page follows the events, without F5.
        QCOMPARE(boxes->call("POST", QStringLiteral("/api/sandbox/%1/pause").arg(id)).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(actions()->resumeAction()->isEnabled(), kWait);
        QCOMPARE(detail->overview()->fieldText(QStringLiteral("state")), QStringLiteral("Paused"));
        QCOMPARE(boxes->call("POST", QStringLiteral("/api/sandbox/%1/start").arg(id)).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(pause->isEnabled(), kWait);
    }

    void lifecycleAutoPauseAndTimeToLive() {
        auto* dialog = openDialog<ui::detail::LifecycleDialog>(actions()->lifecycleAction());
        QVERIFY(dialog);
        QVERIFY(!dialog->ttlCheck()->isChecked());
        dialog->autoPauseSpin()->setValue(40);
        dialog->ttlCheck()->setChecked(true);
        dialog->ttlSpin()->setValue(600);
        answerNextQuestion(this, QMessageBox::Yes); // a time to live deletes the sandbox in the end
        dialog->okButton()->click();
        QVERIFY(closedWithSuccess(dialog));
        QJsonObject s = sandbox();
        QCOMPARE(s.value(QStringLiteral("autoPauseInterval")).toInt(), 40);
        QCOMPARE(s.value(QStringLiteral("autoStopInterval")).toInt(), 0);
        const qint64 left =
            app::millisOf(s.value(QStringLiteral("autoDestroyAt"))) - QDateTime::currentMSecsSinceEpoch();
        QVERIFY2(left > 590 * 60000LL && left <= 600 * 60000LL, qPrintable(QString::number(left)));
        QTRY_COMPARE_WITH_TIMEOUT(detail->overview()->fieldText(QStringLiteral("autoPauseInterval")),
                                  QStringLiteral("40 minutes"), kWait);
        QVERIFY(detail->overview()
                    ->fieldText(QStringLiteral("autoDestroyAt"))
                    .startsWith(QStringLiteral("deleted at")));

        // Auto-stop back on turns auto-pause off first (the service refuses both at once); the time to
        // live is cleared.
        dialog = openDialog<ui::detail::LifecycleDialog>(actions()->lifecycleAction());
        QVERIFY(dialog);
        QVERIFY(dialog->ttlCheck()->isChecked());
        QVERIFY(dialog->ttlSpin()->value() <= 600);
        dialog->autoStopSpin()->setValue(30);
        QCOMPARE(dialog->autoPauseSpin()->value(), 0);
        dialog->ttlCheck()->setChecked(false);
        dialog->okButton()->click();
        QVERIFY(closedWithSuccess(dialog));
        s = sandbox();
        QCOMPARE(s.value(QStringLiteral("autoPauseInterval")).toInt(), 0);
        QCOMPARE(s.value(QStringLiteral("autoStopInterval")).toInt(), 30);
        QVERIFY(!s.contains(QStringLiteral("autoDestroyAt")) ||
                s.value(QStringLiteral("autoDestroyAt")).isNull());
        QCOMPARE(boxes->call("POST", QStringLiteral("/api/sandbox/%1/autostop/0").arg(id)).status, 200);
    }

    void backUp() {
        QAction* backup = actions()->backupAction();
        QTRY_VERIFY_WITH_TIMEOUT(backup->isEnabled(), kWait);
        QCOMPARE(detail->overview()->fieldText(QStringLiteral("backup")), QStringLiteral("never backed up"));
        backup->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!actions()->isBusy(), 60000);
        QVERIFY2(actions()->message().isEmpty(), qPrintable(actions()->message()));
        const QJsonObject s = sandbox();
        QCOMPARE(s.value(QStringLiteral("backupState")).toString(), QStringLiteral("Completed"));
        QTRY_VERIFY_WITH_TIMEOUT(
            detail->overview()->fieldText(QStringLiteral("backup")).startsWith(QStringLiteral("completed")),
            kWait);
        QVERIFY(detail->overview()
                    ->fieldText(QStringLiteral("backup"))
                    .contains(s.value(QStringLiteral("backupCreatedAt")).toString()));
    }

    void checkpointsMadeRolledBackAndRemoved() {
        auto* tab = detail->checkpoints();
        detail->tabs()->setCurrentWidget(tab);
        // A backup keeps a checkpoint of its own: this test counts only "first".
        const auto rowOf = [tab](const QString& name) {
            for (int row = 0; row < tab->table()->rowCount(); ++row)
                if (tab->table()->item(row, 0)->text() == name)
                    return row;
            return -1;
        };
        const auto onService = [this] {
            QStringList names;
            const QJsonArray all =
                boxes->call("GET", QStringLiteral("/api/sandbox/%1/checkpoints").arg(id)).json().array();
            for (const QJsonValue& c : all)
                names << c.toObject().value(QStringLiteral("name")).toString();
            return names;
        };
        QCOMPARE(inContainer(QStringLiteral("echo before > /home/cove/marker.txt")).exitCode, 0);
        tab->createCheckpoint();
        QPointer<ui::detail::NameDialog> dialog = tab->createDialog();
        QVERIFY(dialog);
        // No longer than coved takes a checkpoint's name.
        QCOMPARE(dialog->nameEdit()->maxLength(), 63);
        dialog->nameEdit()->setText(QStringLiteral("first"));
        dialog->okButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("first")) >= 0, kWait);
        QVERIFY(onService().contains(QStringLiteral("first")));

        QCOMPARE(inContainer(QStringLiteral("echo after > /home/cove/marker.txt")).exitCode, 0);
        tab->table()->selectRow(rowOf(QStringLiteral("first")));
        // Declined: nothing changes.
        answerNextQuestion(this, QMessageBox::Cancel);
        tab->rollBackSelected();
        QVERIFY(!tab->isBusy());
        QCOMPARE(inContainer(QStringLiteral("cat /home/cove/marker.txt")).out.trimmed(), QByteArray("after"));
        answerNextQuestion(this, QMessageBox::Yes);
        tab->rollBackSelected();
        QVERIFY(tab->isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(!tab->isBusy(), 60000);
        QVERIFY2(tab->message().isEmpty(), qPrintable(tab->message()));
        QTRY_COMPARE_WITH_TIMEOUT(boxes->state(id), QStringLiteral("started"), 60000);
        QCOMPARE(inContainer(QStringLiteral("cat /home/cove/marker.txt")).out.trimmed(),
                 QByteArray("before"));

        QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("first")) >= 0, kWait);
        tab->table()->selectRow(rowOf(QStringLiteral("first")));
        answerNextQuestion(this, QMessageBox::Yes);
        tab->deleteSelected();
        QTRY_COMPARE_WITH_TIMEOUT(rowOf(QStringLiteral("first")), -1, kWait);
        QVERIFY2(tab->message().isEmpty(), qPrintable(tab->message()));
        QVERIFY(!onService().contains(QStringLiteral("first")));
        detail->tabs()->setCurrentWidget(detail->overview());
    }

    void forkAndItsLineage() {
        auto* dialog = openDialog<ui::detail::NameDialog>(actions()->forkAction());
        QVERIFY(dialog);
        QCOMPARE(dialog->nameEdit()->maxLength(), 63);
        dialog->nameEdit()->setText(QStringLiteral("detail-fork"));
        QPointer<ui::detail::ActionDialog> watched(dialog);
        QSignalSpy shown(detail.get(), &ui::SandboxDetail::sandboxShown);
        // Once made, the page asks whether to open the fork (in a box of its own): yes.
        QString asked;
        QTimer answerer;
        answerer.setInterval(50);
        connect(&answerer, &QTimer::timeout, this, [&] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                asked = box->text();
                answerer.stop();
                box->button(QMessageBox::Open)->click();
            }
        });
        answerer.start();
        dialog->okButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!asked.isEmpty(), 120000);
        QVERIFY2(asked.contains(QStringLiteral("detail-fork")), qPrintable(asked));
        QTRY_VERIFY_WITH_TIMEOUT(watched.isNull(), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, kWait);
        const QString forkId = shown.at(0).at(0).toString();
        QVERIFY(forkId != id);
        const QJsonObject fork = boxes->get(forkId);
        QCOMPARE(fork.value(QStringLiteral("name")).toString(), QStringLiteral("detail-fork"));
        QCOMPARE(fork.value(QStringLiteral("state")).toString(), QStringLiteral("started"));
        QCOMPARE(fork.value(QStringLiteral("parentSandboxId")).toString(), id);

        // The fork's overview links back to its parent; following the link opens the parent, whose
        // overview lists the fork.
        auto* o = detail->overview();
        QTRY_VERIFY_WITH_TIMEOUT(
            o->fieldText(QStringLiteral("parent")).contains(QStringLiteral("detail-under-test")), kWait);
        QVERIFY(o->fieldText(QStringLiteral("ancestors")).contains(QStringLiteral("href=\"%1\"").arg(id)));
        emit o->openSandbox(id); // as a click on the link does
        QTRY_COMPARE_WITH_TIMEOUT(detail->sandboxId(), id, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(
            o->fieldText(QStringLiteral("forks")).contains(QStringLiteral("href=\"%1\"").arg(forkId)), kWait);
        QVERIFY(o->fieldText(QStringLiteral("parent")).startsWith(QStringLiteral("none")));
        QCOMPARE(boxes->call("DELETE", QStringLiteral("/api/sandbox/") + forkId).status, 200);
    }

    void recoverAnErroredSandbox() {
        const QString broken = boxes->create(R"({"name":"detail-broken"})");
        QVERIFY(!broken.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(boxes->state(broken), QStringLiteral("started"), 60000);
        QCOMPARE(boxes->call("POST", QStringLiteral("/api/sandbox/%1/stop").arg(broken)).status, 200);
        // Its agent cannot run: the next start leaves the sandbox in error.
        const QString agent = coved.dataDir() + QStringLiteral("/bin/cove-agent");
        const QString saved = agent + QStringLiteral(".saved");
        QVERIFY(QFile::rename(agent, saved));
        struct Restore {
            QString agent, saved;
            ~Restore() {
                if (QFile::exists(saved)) {
                    QFile::remove(agent);
                    QFile::rename(saved, agent);
                }
            }
        } restore{agent, saved};
        {
            QFile bad(agent);
            QVERIFY(bad.open(QIODevice::WriteOnly));
            bad.write("not a program\n");
            bad.setPermissions(QFile::ReadOwner | QFile::ExeOwner);
        }
        QCOMPARE(boxes->call("POST", QStringLiteral("/api/sandbox/%1/start").arg(broken)).status, 503);
        QCOMPARE(boxes->state(broken), QStringLiteral("error"));
        QVERIFY(QFile::remove(agent));
        QVERIFY(QFile::rename(saved, agent));

        detail->showSandbox(broken);
        QAction* recover = actions()->recoverAction();
        QTRY_VERIFY_WITH_TIMEOUT(recover->isEnabled(), kWait);
        QVERIFY(!actions()->pauseAction()->isEnabled());
        QVERIFY(!actions()->resizeAction()->isEnabled());
        recover->trigger();
        QVERIFY(actions()->isBusy());
        QVERIFY(!recover->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!actions()->isBusy(), 60000);
        QVERIFY2(actions()->message().isEmpty(), qPrintable(actions()->message()));
        QCOMPARE(boxes->state(broken), QStringLiteral("started"));
        QTRY_COMPARE_WITH_TIMEOUT(detail->overview()->fieldText(QStringLiteral("state")),
                                  QStringLiteral("Started"), kWait);
        QVERIFY(!recover->isEnabled());
        detail->showSandbox(id);
        QCOMPARE(boxes->call("DELETE", QStringLiteral("/api/sandbox/") + broken).status, 200);
    }

    // The actions, their dialogs' page and the checkpoints follow a change of language without a restart.
    void actionsRetranslateInPlace() {
        QTranslator zh;
        QVERIFY(zh.load(QStringLiteral(COVE_QM_DIR "/cove_zh_CN.qm")));
        QApplication::installTranslator(&zh);
        const auto tabTitle = [this](QWidget* tab) {
            return detail->tabs()->tabText(detail->tabs()->indexOf(tab));
        };
        QTRY_COMPARE(actions()->pauseAction()->text(), QStringLiteral("暂停(&U)"));
        QCOMPARE(actions()->lifecycleAction()->text(), QStringLiteral("生命周期(&C)…"));
        QCOMPARE(actions()->menuButton()->text(), QStringLiteral("操作(&I)"));
        QCOMPARE(tabTitle(detail->checkpoints()), QStringLiteral("检查点(&H)"));
        QCOMPARE(detail->checkpoints()->table()->horizontalHeaderItem(0)->text(), QStringLiteral("名称"));
        QApplication::removeTranslator(&zh);
        QTRY_COMPARE(actions()->pauseAction()->text(), QStringLiteral("Pa&use"));
        QCOMPARE(tabTitle(detail->checkpoints()), QStringLiteral("C&heckpoints"));
    }

    // The Overview scrolled to its Network group, in English and in Chinese.
    // The Network dialog as opened right after a save, in English and in Chinese; returns it open
    // again, in English.
    ui::detail::NetworkDialog* shootNetworkDialog(const QString& dir, ui::detail::NetworkDialog* open) {
        open->grab().save(dir + QStringLiteral("/network-dialog-en.png"));
        open->reject();
        QTranslator zh;
        if (!zh.load(QStringLiteral(COVE_QM_DIR "/cove_zh_CN.qm")))
            return nullptr;
        QApplication::installTranslator(&zh);
        // The language change reaches every window once, before the dialog opens: one opened first
        // would get it too, and its button box would name its buttons Qt's way.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LanguageChange);
        if (auto* inChinese = openDialog<ui::detail::NetworkDialog>(actions()->networkAction())) {
            inChinese->grab().save(dir + QStringLiteral("/network-dialog-zh.png"));
            inChinese->reject();
        }
        QApplication::removeTranslator(&zh);
        return openDialog<ui::detail::NetworkDialog>(actions()->networkAction());
    }

    void shootNetworkGroup(const QString& dir) {
        auto* o = detail->overview();
        detail->tabs()->setCurrentWidget(o);
        for (QLabel* l : o->findChildren<QLabel*>())
            if (l->accessibleName() == QStringLiteral("Followers:"))
                o->findChild<QScrollArea*>()->ensureWidgetVisible(l, 0, 200);
        QTest::qWait(500); // a picture, not a check: let it draw
        detail->grab().save(dir + QStringLiteral("/network-en.png"));
        QTranslator zh;
        QVERIFY(zh.load(QStringLiteral(COVE_QM_DIR "/cove_zh_CN.qm")));
        QApplication::installTranslator(&zh);
        QTest::qWait(500);
        detail->grab().save(dir + QStringLiteral("/network-zh.png"));
        QApplication::removeTranslator(&zh);
    }

    // With COVE_SCREENSHOT_DIR set: a picture of every tab, in English and in Chinese.
    void screenshots() {
        const QString dir = qEnvironmentVariable("COVE_SCREENSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("COVE_SCREENSHOT_DIR is not set");
        auto shoot = [&](ui::SandboxDetail* d, const QString& lang) {
            for (int i = 0; i < d->tabs()->count(); ++i) {
                d->tabs()->setCurrentIndex(i);
                QTest::qWait(2500); // let the tab load and draw: this is a picture, not a check
                d->grab().save(QStringLiteral("%1/detail-%2-%3.png").arg(dir, lang).arg(i));
            }
        };
        detail->preview()->openPort(8080);
        shoot(detail.get(), QStringLiteral("en"));
        QTranslator zh;
        QVERIFY(zh.load(QStringLiteral(COVE_QM_DIR "/cove_zh_CN.qm")));
        QApplication::installTranslator(&zh);
        {
            ui::SandboxDetail zhDetail(&client);
            zhDetail.resize(1280, 860);
            zhDetail.show();
            QVERIFY(QTest::qWaitForWindowExposed(&zhDetail));
            zhDetail.showSandbox(id);
            zhDetail.preview()->openPort(8080);
            shoot(&zhDetail, QStringLiteral("zh"));
        }
        QApplication::removeTranslator(&zh);
    }
};

int main(int argc, char** argv) {
    qputenv("QTWEBENGINE_DISABLE_SANDBOX", "1");
    qputenv("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu");
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    TestSandboxDetail t;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&t, argc, argv);
}

#include "tst_sandbox_detail.moc"
