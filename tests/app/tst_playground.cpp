// The Playground page against a real coved on a real X server, with one playground sandbox for the whole
// run: Run creates it and runs Python that plots, and the chart shows as an image with the exit code and
// the output; the SDK code follows the code and the language; Stop ends code that never ends; megabytes
// of output are cut with a notice; a second Run (and a new page, as after a restart) reuses the sandbox;
// File system actions create and list a folder; the VNC tab explains that this snapshot has no desktop.
#include "app/ApiClient.h"
#include "support/CovedProcess.h"
#include "support/Gui.h"
#include "support/Http.h"
#include "support/Sandboxes.h"
#include "ui/pages/playground/CodeHighlighter.h"
#include "ui/pages/playground/OutputPane.h"
#include "ui/pages/playground/PlaygroundPage.h"
#include "ui/pages/playground/PlaygroundSandbox.h"
#include "ui/pages/playground/SandboxTab.h"
#include "ui/pages/playground/SdkSnippet.h"
#include "ui/pages/playground/SnippetView.h"
#include "ui/pages/playground/VncTab.h"
#include "ui/widgets/TerminalView.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextLayout>
#include <QUrl>
#include <QtTest>

#include <memory>

using namespace cove;
using namespace cove::ui::playground;

namespace {
constexpr int kWait = 30000;
constexpr int kFirstRun = 120000; // the sandbox is created first
} // namespace

class TestPlayground : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir;
    test::CovedProcess coved;
    std::unique_ptr<test::Sandboxes> boxes;
    app::ApiClient client;
    std::unique_ptr<PlaygroundPage> page;
    QString id;

    SandboxTab* tab() const { return page->sandboxTab(); }
    OutputPane* out() const { return tab()->output(); }
    test::CommandResult inContainer(const QString& script) const {
        return test::run(QStringLiteral("docker"), {QStringLiteral("exec"), QStringLiteral("cove-") + id,
                                                    QStringLiteral("sh"), QStringLiteral("-c"), script});
    }
    QJsonArray playgroundSandboxes() const {
        const QString labels = QStringLiteral("{\"cove.playground\":\"true\"}");
        return boxes
            ->call("GET", QStringLiteral("/api/sandbox?labels=") +
                              QString::fromLatin1(QUrl::toPercentEncoding(labels)))
            .object()
            .value(QStringLiteral("items"))
            .toArray();
    }
    void runCode(const QString& code) {
        tab()->editor()->setPlainText(code);
        QVERIFY(tab()->runButton()->isEnabled());
        tab()->runButton()->click();
        QVERIFY(tab()->isBusy());
    }

private slots:
    void initTestCase() {
        test::useSettingsIn(settingsDir);
        QVERIFY2(coved.start(), qPrintable(coved.error()));
        boxes = std::make_unique<test::Sandboxes>(coved);
        client.setTarget({coved.url(), coved.adminKey(), QStringLiteral("test")});
        page = std::make_unique<PlaygroundPage>(&client);
        page->resize(1500, 950);
        page->show();
        QVERIFY(QTest::qWaitForWindowExposed(page.get()));
        page->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(page.get()));
        // What the page says while it makes the sandbox ready, for a failure's log.
        connect(page->sandbox(), &PlaygroundSandbox::progress, this, [](const QString& text) {
            if (!text.isEmpty())
                qInfo().noquote() << "progress:" << text;
        });
    }

    void cleanupTestCase() {
        page.reset();
        for (const auto& v : playgroundSandboxes())
            boxes->call("DELETE", QStringLiteral("/api/sandbox/") +
                                      v.toObject().value(QStringLiteral("id")).toString());
        boxes.reset();
    }

    void parametersAndModels() {
        QAbstractItemModelTester languages(tab()->languageBox()->model(),
                                           QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester snapshots(tab()->snapshotBox()->model(),
                                           QAbstractItemModelTester::FailureReportingMode::QtTest);
        // The snapshot list comes from the service; the default stays cove-base.
        QTRY_VERIFY_WITH_TIMEOUT(tab()->snapshotBox()->findText(QStringLiteral("cove-desktop")) >= 0, kWait);
        QCOMPARE(tab()->params().snapshot, QStringLiteral("cove-base"));
        QCOMPARE(tab()->params().language, QStringLiteral("python"));
        QCOMPARE(tab()->params().autoStop, 15);
        QVERIFY(page->sandbox()->id().isEmpty()); // nothing made before the first Run
    }

    void runShowsChart() {
        tab()->editor()->setPlainText(SandboxTab::sample(QStringLiteral("python")));
        tab()->editor()->setFocus();
        QTest::keyClick(tab()->editor(), Qt::Key_Return, Qt::ControlModifier); // Run's shortcut
        QVERIFY(tab()->isBusy());
        QVERIFY(!tab()->runButton()->isEnabled());
        QTRY_VERIFY2_WITH_TIMEOUT(!tab()->isBusy(), qPrintable(out()->headline()), kFirstRun);
        QVERIFY2(out()->headline().startsWith(QStringLiteral("Exit code 0")),
                 qPrintable(out()->headline() + out()->text()));
        QVERIFY2(out()->text().contains(QStringLiteral("Plotted 63 points")), qPrintable(out()->text()));
        QVERIFY(out()->headline().contains(QStringLiteral("1 chart")));
        const auto charts = out()->chartLabels();
        QCOMPARE(charts.size(), 1);
        QVERIFY(!charts[0]->pixmap().isNull());
        QVERIFY(charts[0]->pixmap().width() > 100 && charts[0]->pixmap().height() > 100);
        QVERIFY(charts[0]->isVisible());
        QVERIFY(charts[0]->accessibleName().contains(QStringLiteral("Waves")));

        // The sandbox was made with the Management parameters and the playground label.
        id = page->sandbox()->id();
        QVERIFY(!id.isEmpty());
        const QJsonObject dto = boxes->get(id);
        QCOMPARE(dto.value(QStringLiteral("snapshot")).toString(), QStringLiteral("cove-base"));
        QCOMPARE(dto.value(QStringLiteral("autoStopInterval")).toInt(), 15);
        QCOMPARE(dto.value(QStringLiteral("labels"))
                     .toObject()
                     .value(QStringLiteral("cove.playground"))
                     .toString(),
                 QStringLiteral("true"));
    }

    void snippetFollowsCodeAndLanguage() {
        SnippetView* s = tab()->snippet();
        tab()->editor()->setPlainText(QStringLiteral("print('snippet-check')\nx = 1\n"));
        QVERIFY2(s->python().contains(QStringLiteral("print('snippet-check')\nx = 1\n")),
                 qPrintable(s->python()));
        QVERIFY(s->python().contains(
            QStringLiteral("from daytona import Daytona, CreateSandboxFromSnapshotParams")));
        QVERIFY(s->python().contains(QStringLiteral("sandbox.process.code_run(code, timeout=300)")));
        QVERIFY(s->python().contains(QStringLiteral("snapshot=\"cove-base\"")));
        QVERIFY(
            s->typeScript().contains(QStringLiteral("await sandbox.process.codeRun(code, undefined, 300)")));
        QVERIFY(s->typeScript().contains(QStringLiteral("print('snippet-check')")));
        QVERIFY(s->typeScript().contains(QStringLiteral("language: \"python\"")));
        // A parameter change shows at once.
        tab()->timeoutBox()->setValue(0);
        QVERIFY(s->python().contains(QStringLiteral("response = sandbox.process.code_run(code)\n")));
        tab()->timeoutBox()->setValue(300);

        // Another language: its sample (the code was the Python sample's), its highlighting, its SDK code.
        tab()->editor()->setPlainText(SandboxTab::sample(QStringLiteral("python")));
        tab()->languageBox()->setCurrentIndex(tab()->languageBox()->findData(QStringLiteral("typescript")));
        QCOMPARE(tab()->editor()->toPlainText(), SandboxTab::sample(QStringLiteral("typescript")));
        QCOMPARE(tab()->highlighter()->language(), QStringLiteral("typescript"));
        QVERIFY(s->typeScript().contains(QStringLiteral("language: \"typescript\"")));
        QVERIFY(s->typeScript().contains(QStringLiteral("interface Point")));
        QVERIFY(s->python().contains(QStringLiteral("language=\"typescript\"")));
        // "interface" is a keyword, the comment a comment.
        const QTextBlock second = tab()->editor()->document()->findBlockByNumber(1);
        bool keyword = false;
        for (const auto& r : second.layout()->formats())
            keyword |= r.start == 0 && CodeHighlighter::kindOf(r.format) == QLatin1String("keyword");
        QVERIFY(keyword);
        const QTextBlock first = tab()->editor()->document()->firstBlock();
        QVERIFY(!first.layout()->formats().isEmpty());
        QCOMPARE(CodeHighlighter::kindOf(first.layout()->formats().first().format),
                 QStringLiteral("comment"));

        // Copy puts the shown snippet on the clipboard.
        s->tabs()->setCurrentIndex(1);
        s->copyButton()->click();
        QCOMPARE(QApplication::clipboard()->text(), s->typeScript());

        tab()->languageBox()->setCurrentIndex(tab()->languageBox()->findData(QStringLiteral("python")));
        QCOMPARE(tab()->editor()->toPlainText(), SandboxTab::sample(QStringLiteral("python")));
    }

    void stopEndsEndlessRun() {
        runCode(QStringLiteral("print('spinning', flush=True)\nwhile True:\n    pass\n"));
        QTRY_VERIFY_WITH_TIMEOUT(tab()->isRunning(), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(inContainer(QStringLiteral("pgrep -f '[p]ython3 -u -'")).exitCode == 0,
                                 kWait);
        QVERIFY(tab()->stopButton()->isEnabled());
        tab()->stopButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!tab()->isBusy(), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(out()->headline().startsWith(QStringLiteral("Stopped after")), kWait);
        QVERIFY(tab()->runButton()->isEnabled());
        QVERIFY(!tab()->stopButton()->isEnabled());
        // The interpreter is gone, not only the request.
        QTRY_VERIFY_WITH_TIMEOUT(inContainer(QStringLiteral("pgrep -f '[p]ython3 -u -'")).exitCode == 1,
                                 kWait);
    }

    void timeoutEndsRun() {
        tab()->timeoutBox()->setValue(1);
        runCode(QStringLiteral("import time\ntime.sleep(30)\n"));
        QTRY_VERIFY_WITH_TIMEOUT(!tab()->isBusy(), kWait);
        QVERIFY2(out()->headline().startsWith(QStringLiteral("Timed out after 1 s")),
                 qPrintable(out()->headline()));
        QVERIFY2(out()->text().contains(QStringLiteral("timed out")), qPrintable(out()->text()));
        tab()->timeoutBox()->setValue(300);
    }

    void hugeOutputIsTruncated() {
        // About 10 MB: the toolbox keeps 8 MB, the pane shows a quarter of a megabyte.
        runCode(QStringLiteral(
            "import sys\nline = 'x' * 99 + '\\n'\nfor _ in range(100000):\n    sys.stdout.write(line)\n"));
        QTRY_VERIFY_WITH_TIMEOUT(!tab()->isBusy(), kWait);
        QVERIFY2(out()->headline().startsWith(QStringLiteral("Exit code 0")), qPrintable(out()->headline()));
        QVERIFY2(out()->notice().contains(QStringLiteral("truncated")), qPrintable(out()->notice()));
        QVERIFY(out()->text().size() <= OutputPane::kMaxShownChars);
        QVERIFY(out()->text().size() > OutputPane::kMaxShownChars / 2);
        QVERIFY(out()->text().startsWith(QStringLiteral("xxxx")));
        QVERIFY(out()->chartLabels().isEmpty());
        // The next small output clears the notice.
        runCode(QStringLiteral("print('small')"));
        QTRY_VERIFY_WITH_TIMEOUT(!tab()->isBusy(), kWait);
        QCOMPARE(out()->text(), QStringLiteral("small\n"));
        QVERIFY(out()->notice().isEmpty());
    }

    void secondRunReusesSandbox() {
        QVERIFY(!id.isEmpty());
        QCOMPARE(page->sandbox()->id(), id);
        QCOMPARE(playgroundSandboxes().size(), 1);
        // A new page (as after an app restart) finds the same sandbox by its label.
        PlaygroundSandbox again(&client);
        QSignalSpy found(&again, &PlaygroundSandbox::sandboxChanged);
        again.lookUp();
        QTRY_COMPARE_WITH_TIMEOUT(again.id(), id, kWait);
        QCOMPARE(found.size(), 1);
        QCOMPARE(playgroundSandboxes().size(), 1);
        // A whole new page takes the found sandbox's values, so its next action does not replace it.
        PlaygroundPage fresh(&client);
        fresh.sandboxTab()->cpuBox()->setValue(2);
        fresh.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(fresh.sandbox()->id(), id, kWait);
        QCOMPARE(fresh.sandboxTab()->cpuBox()->value(), boxes->get(id).value(QStringLiteral("cpu")).toInt());
        QCOMPARE(fresh.sandboxTab()->params().snapshot,
                 boxes->get(id).value(QStringLiteral("snapshot")).toString());
    }

    void commandRuns() {
        tab()->commandEdit()->setText(QStringLiteral("echo from-command; exit 3"));
        QTest::keyClick(tab()->commandEdit(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(!tab()->isBusy(), kWait);
        QVERIFY2(out()->headline().startsWith(QStringLiteral("Exit code 3")), qPrintable(out()->headline()));
        QCOMPARE(out()->text(), QStringLiteral("from-command\n"));
        QVERIFY(tab()->snippet()->python().contains(
            QStringLiteral("sandbox.process.exec(\"echo from-command; exit 3\", timeout=300)")));
        QVERIFY(tab()->snippet()->typeScript().contains(
            QStringLiteral("executeCommand(\"echo from-command; exit 3\"")));
    }

    void fileSystemCreateAndList() {
        tab()->pathEdit()->setText(QStringLiteral("pg-made/inner"));
        tab()->createFolderButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!tab()->isBusy(), kWait);
        QVERIFY2(out()->headline().contains(QStringLiteral("Created the folder pg-made/inner")),
                 qPrintable(out()->headline() + out()->text()));
        QVERIFY(tab()->snippet()->python().contains(
            QStringLiteral("sandbox.fs.create_folder(\"pg-made/inner\", \"755\")")));
        QVERIFY(tab()->snippet()->typeScript().contains(
            QStringLiteral("await sandbox.fs.createFolder(\"pg-made/inner\", '755')")));
        QCOMPARE(inContainer(QStringLiteral("test -d /home/cove/pg-made/inner")).exitCode, 0);
        tab()->pathEdit()->setText(QStringLiteral("pg-made"));
        tab()->listButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!tab()->isBusy(), kWait);
        QVERIFY2(out()->text().contains(QStringLiteral("inner/")), qPrintable(out()->text()));
        QVERIFY(out()->headline().contains(QStringLiteral("1 entry")));
        // A folder that is not there: the service's words.
        tab()->pathEdit()->setText(QStringLiteral("no-such-folder"));
        tab()->listButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!tab()->isBusy(), kWait);
        QCOMPARE(out()->headline(), QStringLiteral("That did not work"));
        QVERIFY2(out()->text().contains(QStringLiteral("no-such-folder")), qPrintable(out()->text()));
    }

    void terminalOpensOnTheSandbox() {
        page->tabs()->setCurrentWidget(page->terminal()->parentWidget());
        QTRY_COMPARE_WITH_TIMEOUT(page->terminal()->sandboxId(), id, kWait);
        page->tabs()->setCurrentWidget(tab());
    }

    void vncExplainsMissingDesktop() {
        VncTab* vnc = page->vncTab();
        QVERIFY(!vnc->hasDesktopSnapshot());
        page->tabs()->setCurrentWidget(vnc);
        auto* note = vnc->findChild<QLabel*>(QStringLiteral("desktopNote"));
        QVERIFY(note && note->text().contains(QStringLiteral("cove-desktop")));
        // Asked anyway, the toolbox says the desktop tools are missing.
        vnc->takeScreenshot();
        QTRY_VERIFY_WITH_TIMEOUT(vnc->message().contains(QStringLiteral("cove-desktop snapshot")), kWait);
        QVERIFY(vnc->screenshot()->pixmap().isNull());
        QCOMPARE(page->sandbox()->id(), id); // no sandbox replaced by asking
        // The button picks the desktop snapshot for the next action.
        vnc->useDesktopSnapshot();
        QCOMPARE(tab()->params().snapshot, QStringLiteral("cove-desktop"));
        QVERIFY(vnc->hasDesktopSnapshot());
        QVERIFY(note->text().contains(QStringLiteral("replaces")));
        tab()->snapshotBox()->setCurrentText(QStringLiteral("cove-base"));
        page->tabs()->setCurrentWidget(tab());
    }

    void snippetStrings() {
        QCOMPARE(pythonString(QStringLiteral("a\"b")), QStringLiteral("\"a\\\"b\""));
        QCOMPARE(pythonString(QStringLiteral("x = 1\ny = \"\"\"\n")),
                 QStringLiteral("\"x = 1\\ny = \\\"\\\"\\\"\\n\""));
        QCOMPARE(typeScriptString(QStringLiteral("a`${b}\n")), QStringLiteral("`a\\`\\${b}\n`"));
    }
};

QTEST_MAIN(TestPlayground)
#include "tst_playground.moc"
