// The dashboard against a real coved: it connects with no setup, lists real sandboxes and shows the
// engine in the status bar. Runs on a real X server (Xvfb under the test command).
#include "app/ApiClient.h"
#include "app/ApiKeyModel.h"
#include "app/AuditLogModel.h"
#include "app/Connection.h"
#include "app/SandboxModel.h"
#include "app/SnapshotModel.h"
#include "app/VolumeModel.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "ui/MainWindow.h"
#include "ui/pages/audit/AuditLogPage.h"
#include "ui/pages/keys/ApiKeysPage.h"
#include "ui/pages/limits/LimitsPage.h"
#include "ui/pages/limits/WarmPoolsBox.h"
#include "ui/pages/sandboxes/SandboxesPage.h"
#include "ui/pages/snapshots/SnapshotsPage.h"
#include "ui/pages/volumes/VolumesPage.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QJsonArray>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace cove;

class TestMainWindow : public QObject {
    Q_OBJECT
    test::CovedProcess coved;
    QTemporaryDir settingsDir;
    QStringList created;

    bool modelHasName(app::SandboxModel* m, const QString& name) {
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->data(m->index(r, app::SandboxModel::Name)).toString() == name)
                return true;
        return false;
    }

private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
        QVERIFY2(coved.start(), qPrintable(coved.error()));
        qunsetenv("COVE_URL");
        qunsetenv("COVE_API_KEY");
        qunsetenv("DAYTONA_API_URL"); // the SDK's, which the dashboard reads too
        qunsetenv("DAYTONA_API_KEY");
    }

    void resolvesTheLocalServiceWithNoSetup() {
        qputenv("COVE_DATA_DIR", coved.dataDir().toUtf8());
        const auto t = app::Connection::resolve({}, {});
        QCOMPARE(t.url, QStringLiteral("http://127.0.0.1:3986"));
        QCOMPARE(t.apiKey, coved.adminKey());
        QCOMPARE(t.source, QStringLiteral("local"));
    }

    void commandLineBeatsEnvironmentBeatsSettings() {
        QTemporaryDir d;
        const QString keyFile = d.path() + QStringLiteral("/k");
        QFile f(keyFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("from-file\n");
        f.close();
        qputenv("COVE_URL", "http://env:1/api/");
        qputenv("COVE_API_KEY", "from-env");
        auto t = app::Connection::resolve({}, {});
        QCOMPARE(t.url, QStringLiteral("http://env:1"));
        QCOMPARE(t.apiKey, QStringLiteral("from-env"));
        t = app::Connection::resolve(QStringLiteral("http://cli:2"), keyFile);
        QCOMPARE(t.url, QStringLiteral("http://cli:2"));
        QCOMPARE(t.apiKey, QStringLiteral("from-file"));
        qunsetenv("COVE_URL");
        qunsetenv("COVE_API_KEY");
    }

    void listsRealSandboxesAndShowsTheEngine() {
        const auto r = test::request("POST", coved.apiUrl() + QStringLiteral("/sandbox"), coved.adminKey(),
                                     R"({"name":"shown-in-the-window","labels":{"team":"qa"}})");
        QCOMPARE(r.status, 200);
        created << r.object().value(QStringLiteral("id")).toString();

        app::ApiClient client;
        client.setTarget({coved.url(), coved.adminKey(), QStringLiteral("test")});
        ui::MainWindow window(&client);
        QAbstractItemModelTester tester(window.sandboxesPage()->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QTRY_VERIFY_WITH_TIMEOUT(window.connectionText().startsWith(QStringLiteral("Connected to ")), 15000);
        QVERIFY(window.engineText().startsWith(QStringLiteral("Docker ")));
        auto* model = window.sandboxesPage()->model();
        QTRY_VERIFY_WITH_TIMEOUT(modelHasName(model, QStringLiteral("shown-in-the-window")), 15000);
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->data(model->index(row, app::SandboxModel::Name)).toString() !=
                QLatin1String("shown-in-the-window"))
                continue;
            QCOMPARE(model->data(model->index(row, app::SandboxModel::State)).toString(),
                     QStringLiteral("Started"));
            QCOMPARE(model->data(model->index(row, app::SandboxModel::Labels)).toString(),
                     QStringLiteral("team=qa"));
            QVERIFY(model->data(model->index(row, app::SandboxModel::Resources))
                        .toString()
                        .contains(QStringLiteral("1 vCPU")));
        }

        // Every page of the sidebar exists and Ctrl+<n> reaches it.
        auto* sidebar = window.findChild<QListWidget*>();
        QVERIFY(sidebar);
        QStringList pages;
        for (int i = 0; i < sidebar->count(); ++i)
            pages << sidebar->item(i)->text();
        QCOMPARE(pages, (QStringList{QStringLiteral("Sandboxes"), QStringLiteral("Snapshots"),
                                     QStringLiteral("Volumes"), QStringLiteral("Registries"),
                                     QStringLiteral("Secrets"), QStringLiteral("API Keys"),
                                     QStringLiteral("Limits"), QStringLiteral("Audit Logs"),
                                     QStringLiteral("Playground"), QStringLiteral("Webhooks")}));
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(sidebar->currentRow(), 2);

        // A deleted sandbox disappears on the next refresh.
        QCOMPARE(test::destroySandbox(coved.apiUrl() + QStringLiteral("/sandbox/shown-in-the-window"),
                                      coved.adminKey())
                     .status,
                 200);
        window.sandboxesPage()->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(!modelHasName(model, QStringLiteral("shown-in-the-window")), 15000);
    }

    void saysWhatToDoWhenTheServiceIsDown() {
        app::ApiClient client;
        client.setTarget({QStringLiteral("http://127.0.0.1:1"), QStringLiteral("k"), QStringLiteral("test")});
        ui::MainWindow window(&client);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.connectionText().startsWith(QStringLiteral("Not connected")), 15000);
        QVERIFY2(window.connectionText().contains(QStringLiteral("setup.sh run")),
                 qPrintable(window.connectionText()));
    }

    void refusedKeyIsExplained() {
        app::ApiClient client;
        client.setTarget({coved.url(), QStringLiteral("cove_not_a_key"), QStringLiteral("test")});
        ui::MainWindow window(&client);
        QTRY_VERIFY_WITH_TIMEOUT(window.connectionText().contains(QStringLiteral("refused the API key")),
                                 15000);
    }

    void settingsKeepTheServiceGivenOnTheCommandLine() {
        // Started with --url: pressing OK in Settings, with the connection fields untouched, keeps it.
        app::ApiClient client;
        client.setTarget({coved.url(), coved.adminKey(), QStringLiteral("test")});
        ui::MainWindow window(&client);
        QTRY_VERIFY_WITH_TIMEOUT(window.connectionText().startsWith(QStringLiteral("Connected to ")), 15000);
        QAction* settings = nullptr;
        for (auto* a : window.findChildren<QAction*>())
            if (a->text() == QStringLiteral("&Settings…"))
                settings = a;
        QVERIFY(settings);
        bool accepted = false;
        QTimer::singleShot(0, &window, [&] {
            if (auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget())) {
                dialog->accept();
                accepted = true;
            }
        });
        settings->trigger();
        QVERIFY(accepted);
        QCOMPARE(client.target().url, coved.url());
        QTRY_VERIFY_WITH_TIMEOUT(window.connectionText().startsWith(QStringLiteral("Connected to ")), 15000);
    }

    void governancePagesShowTheService() {
        app::ApiClient client;
        client.setTarget({coved.url(), coved.adminKey(), QStringLiteral("test")});
        ui::MainWindow window(&client);
        QAbstractItemModelTester keysTester(window.keysPage()->model(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester auditTester(window.auditPage()->model(),
                                             QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.connectionText().startsWith(QStringLiteral("Connected to ")), 15000);

        // Limits: the tier, usage bars and the sampled history.
        window.showPage(6);
        QTRY_COMPARE_WITH_TIMEOUT(window.limitsPage()->tierText(), QStringLiteral("Tier 1"), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(window.limitsPage()->historyPoints() >= 1, 15000);

        // API keys: make one through the dialog; its value is shown once; revoke it after confirming.
        window.showPage(5);
        auto* keys = window.keysPage();
        QTRY_VERIFY_WITH_TIMEOUT(keys->model()->rowCount() >= 1, 15000);
        QString createdValue;
        connect(keys, &ui::ApiKeysPage::keyCreated, this, [&](const QString&, const QString& value) {
            createdValue = value;
            // Next comes the "copy it now" dialog, modal: close it from inside its own event loop.
            QTimer::singleShot(0, this, [] {
                auto* shown = QApplication::activeModalWidget();
                QVERIFY(shown);
                QVERIFY(shown->findChild<QLineEdit*>()->text().startsWith(QStringLiteral("cove_")));
                shown->close();
            });
        });
        QTimer::singleShot(0, this, [] {
            auto* dialog = qobject_cast<ui::CreateKeyDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            QTest::keyClicks(dialog->findChild<QLineEdit*>(), QStringLiteral("from-the-dashboard"));
            // Presets tick their scopes; ticking by hand makes the choice Custom.
            dialog->setPreset(2);
            QStringList ticked;
            for (auto* box : dialog->findChildren<QCheckBox*>())
                if (box->isChecked())
                    ticked << box->property("scope").toString();
            QCOMPARE(ticked,
                     (QStringList{QStringLiteral("read:volumes"), QStringLiteral("read:audit_logs")}));
            for (auto* box : dialog->findChildren<QCheckBox*>())
                if (!box->property("scope").toString().isEmpty())
                    box->setChecked(box->property("scope").toString() == QLatin1String("write:sandboxes"));
            QCOMPARE(dialog->presetIndex(), int(ui::CreateKeyDialog::presets().size()));
            dialog->accept();
        });
        keys->createKey();
        QTRY_VERIFY_WITH_TIMEOUT(!createdValue.isEmpty(), 15000);
        QVERIFY(createdValue.startsWith(QStringLiteral("cove_")));
        const auto has = [&](const QString& name) { return keys->model()->rowOfName(name); };
        QTRY_VERIFY_WITH_TIMEOUT(has(QStringLiteral("from-the-dashboard")) >= 0, 15000);
        const int row = has(QStringLiteral("from-the-dashboard"));
        QCOMPARE(keys->model()->data(keys->model()->index(row, 2)).toString(),
                 QStringLiteral("write:sandboxes"));
        QVERIFY(!keys->model()->data(keys->model()->index(row, 1)).toString().contains(createdValue.mid(8)));
        auto* view = keys->findChild<QTableView*>();
        view->selectRow(row);
        QTimer::singleShot(0, this, [] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            QVERIFY(box->text().contains(QStringLiteral("from-the-dashboard")));
            box->button(QMessageBox::Yes)->click();
        });
        keys->revokeSelected();
        QTRY_COMPARE_WITH_TIMEOUT(has(QStringLiteral("from-the-dashboard")), -1, 15000);
        QCOMPARE(test::request("GET", coved.apiUrl() + QStringLiteral("/sandbox"), createdValue).status, 401);

        // Audit log: what the dashboard just did, marked as the dashboard's; filtered; exported.
        window.showPage(7);
        auto* audit = window.auditPage();
        QTRY_VERIFY_WITH_TIMEOUT(audit->model()->rowCount() >= 2, 15000);
        // Newest first: the refused revoked key, then the dashboard's revoke.
        QCOMPARE(audit->model()->at(0).action, QStringLiteral("authenticate"));
        const QJsonObject newest = audit->model()->at(1).raw;
        QCOMPARE(newest.value(QStringLiteral("action")).toString(), QStringLiteral("delete"));
        QCOMPARE(newest.value(QStringLiteral("targetType")).toString(), QStringLiteral("api_key"));
        QCOMPARE(newest.value(QStringLiteral("source")).toString(), QStringLiteral("dashboard"));
        QTemporaryDir out;
        const QString csv = out.path() + QStringLiteral("/audit.csv");
        audit->exportLog(QStringLiteral("csv"), csv);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(csv), 15000);
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readLine().startsWith("createdAt,actorEmail"));
        const QString json = out.path() + QStringLiteral("/audit.json");
        audit->exportLog(QStringLiteral("json"), json);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(json), 15000);
        QFile j(json);
        QVERIFY(j.open(QIODevice::ReadOnly));
        const QJsonDocument exported = QJsonDocument::fromJson(j.readAll());
        QVERIFY(exported.isArray() || exported.object().value(QStringLiteral("items")).isArray());

        // A row's whole entry, in a dialog that Escape closes.
        QString shown;
        QTimer::singleShot(0, this, [&shown] {
            QTRY_VERIFY(QApplication::activeModalWidget());
            shown = QApplication::activeModalWidget()->findChild<QPlainTextEdit*>()->toPlainText();
            QTest::keyClick(QApplication::activeModalWidget(), Qt::Key_Escape);
        });
        audit->showDetails(1);
        QVERIFY2(shown.contains(QStringLiteral("\"targetType\": \"api_key\"")), qPrintable(shown));

        // Live: a new entry arrives at the top without a reload.
        const int before = audit->model()->rowCount();
        audit->addLive(QJsonObject{{QStringLiteral("action"), QStringLiteral("create")},
                                   {QStringLiteral("targetType"), QStringLiteral("sandbox")}});
        QCOMPARE(audit->model()->rowCount(), before + 1);
        QCOMPARE(audit->model()->at(0).action, QStringLiteral("create"));

        // Limits: the history's range is the user's choice.
        window.showPage(6);
        window.limitsPage()->setHistoryRange(1);
        QCOMPARE(window.limitsPage()->historyHours(), 1);
        window.limitsPage()->setHistoryRange(168);
        QCOMPARE(window.limitsPage()->historyHours(), 168);
        QTRY_VERIFY_WITH_TIMEOUT(window.limitsPage()->historyPoints() >= 1, 15000);
    }

    void resourcePagesShowTheService() {
        app::ApiClient client;
        client.setTarget({coved.url(), coved.adminKey(), QStringLiteral("test")});
        ui::MainWindow window(&client);
        QAbstractItemModelTester snapshotsTester(window.snapshotsPage()->model(),
                                                 QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester volumesTester(window.volumesPage()->model(),
                                               QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.connectionText().startsWith(QStringLiteral("Connected to ")), 15000);
        const auto rowOf = [](const auto* m, const QString& name) {
            for (int r = 0; r < m->rowCount(); ++r)
                if (m->at(r).name == name)
                    return r;
            return -1;
        };

        // Snapshots: the two defaults, active, with their resources in words.
        window.showPage(1);
        auto* snapshots = window.snapshotsPage()->model();
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(snapshots, QStringLiteral("cove-base")) >= 0, 15000);
        QVERIFY(rowOf(snapshots, QStringLiteral("cove-desktop")) >= 0);
        const int base = rowOf(snapshots, QStringLiteral("cove-base"));
        QCOMPARE(snapshots->data(snapshots->index(base, 2)).toString(), QStringLiteral("Active"));
        QVERIFY2(snapshots->data(snapshots->index(base, 3)).toString().contains(QStringLiteral(" vCPU · ")),
                 qPrintable(snapshots->data(snapshots->index(base, 3)).toString()));
        // A default cannot be deleted: after confirming, the service's refusal is shown in its words.
        auto* snapshotView = window.snapshotsPage()->findChild<QTableView*>();
        for (int r = 0; r < snapshotView->model()->rowCount(); ++r)
            if (snapshotView->model()->index(r, 0).data().toString() == QLatin1String("cove-base"))
                snapshotView->selectRow(r);
        QTimer::singleShot(0, this, [] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            QVERIFY(box->text().contains(QStringLiteral("cove-base")));
            box->button(QMessageBox::Yes)->click();
        });
        window.snapshotsPage()->deleteSelected();
        QTRY_VERIFY_WITH_TIMEOUT(!window.snapshotsPage()->message().isEmpty(), 15000);
        QCOMPARE(window.snapshotsPage()->message(),
                 QStringLiteral("The snapshot \"cove-base\" was not deleted: Snapshot 'cove-base' is one of "
                                "Cove's default snapshots; it cannot be deleted."));
        QVERIFY(rowOf(snapshots, QStringLiteral("cove-base")) >= 0);

        // Volumes: made through the dialog, listed on the page and by the API; deleted after confirming.
        window.showPage(2);
        auto* page = window.volumesPage();
        auto* volumes = page->model();
        const QString name = QStringLiteral("dash-vol-%1").arg(QCoreApplication::applicationPid());
        QTimer::singleShot(0, this, [name] {
            auto* dialog = qobject_cast<ui::CreateVolumeDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            auto* ok = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
            QVERIFY(!ok->isEnabled()); // no name yet
            QTest::keyClicks(dialog->findChild<QLineEdit*>(), name);
            QVERIFY(ok->isEnabled());
            ok->click();
        });
        page->createVolume();
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(volumes, name) >= 0, 15000);
        QCOMPARE(page->message(), QString());
        const auto listed = [&] {
            const auto r =
                test::request("GET", coved.url() + QStringLiteral("/api/volumes"), coved.adminKey());
            for (const auto& v : r.json().array())
                if (v.toObject().value(QStringLiteral("name")).toString() == name)
                    return v.toObject().value(QStringLiteral("state")).toString();
            return QString();
        };
        QCOMPARE(listed(), QStringLiteral("ready"));
        int row = rowOf(volumes, name);
        QCOMPARE(volumes->data(volumes->index(row, 2)).toString(), QStringLiteral("Ready"));
        QCOMPARE(volumes->data(volumes->index(row, 1)).toString(), volumes->at(row).id);

        auto* view = page->findChild<QTableView*>();
        const auto select = [&] {
            const auto* proxy = view->model();
            for (int r = 0; r < proxy->rowCount(); ++r)
                if (proxy->index(r, 0).data().toString() == name)
                    view->selectRow(r);
        };
        // Cancelling the confirmation keeps it.
        select();
        QTimer::singleShot(0, this, [] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            box->button(QMessageBox::Cancel)->click();
        });
        page->deleteSelected();
        QCOMPARE(listed(), QStringLiteral("ready"));
        QTimer::singleShot(0, this, [name] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            QVERIFY(box->text().contains(name));
            box->button(QMessageBox::Yes)->click();
        });
        page->deleteSelected();
        QTRY_COMPARE_WITH_TIMEOUT(rowOf(volumes, name), -1, 15000);
        QCOMPARE(listed(), QString());
        QCOMPARE(page->message(), QString());
    }

    // The Limits page's warm pools: add one from the dialogs, watch it fill, resize it from the keyboard
    // (Enter), delete it from the keyboard (Delete) after confirming; each step reaches the real coved.
    void warmPoolsFromTheLimitsPage() {
        app::ApiClient client;
        client.setTarget({coved.url(), coved.adminKey(), QStringLiteral("test")});
        ui::LimitsPage page(&client);
        page.show();
        ui::WarmPoolsBox* box = page.warmPools();
        int wanted = 1; // what the next size dialog answers
        // Answers the dialogs as they come: the snapshot, the size, the confirmation.
        QTimer answer;
        connect(&answer, &QTimer::timeout, this, [&] {
            QWidget* shown = QApplication::activeModalWidget();
            if (auto* input = qobject_cast<QInputDialog*>(shown)) {
                if (input->inputMode() == QInputDialog::IntInput)
                    input->setIntValue(wanted);
                else
                    input->setTextValue(QStringLiteral("cove-base"));
                input->accept();
            } else if (auto* confirm = qobject_cast<QMessageBox*>(shown)) {
                QVERIFY(confirm->text().contains(QStringLiteral("cove-base")));
                confirm->button(QMessageBox::Yes)->click();
            }
        });
        answer.start(50);
        const auto pool = [&] { return box->pools().value(0); };
        box->addPool();
        QTRY_COMPARE_WITH_TIMEOUT(box->rowCount(), 1, 15000);
        QCOMPARE(pool().snapshot, QStringLiteral("cove-base"));
        QTRY_COMPARE_WITH_TIMEOUT(pool().currentSize, 1, 60000); // followed while it fills
        auto* table = box->findChild<QTableWidget*>();
        table->setFocus();
        table->selectRow(0);
        wanted = 0;
        QTest::keyClick(table, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(pool().pool, 0, 15000);
        QTest::keyClick(table, Qt::Key_Delete);
        QTRY_COMPARE_WITH_TIMEOUT(box->rowCount(), 0, 15000);
        QVERIFY(test::request("GET", coved.apiUrl() + QStringLiteral("/warm-pools"), coved.adminKey())
                    .json()
                    .array()
                    .isEmpty());
    }

    void cleanupTestCase() {
        coved.stop();
        test::removeSandboxContainers(created);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
