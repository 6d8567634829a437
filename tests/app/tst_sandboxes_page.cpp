// The Sandboxes page against a real coved on a real X server: rows follow the event channel (no polling),
// the create dialog sends every field and shows problems next to them, actions on several sandboxes ask
// first and report each failure, and the page rides out the service going away.
#include "app/ApiClient.h"
#include "app/ApiError.h"
#include "app/EventClient.h"
#include "app/SandboxModel.h"
#include "support/CovedProcess.h"
#include "support/Gui.h"
#include "support/Http.h"
#include "support/Sandboxes.h"
#include "support/Ssh.h"
#include "ui/pages/sandboxes/CreateSandboxDialog.h"
#include "ui/pages/sandboxes/SandboxFilterProxy.h"
#include "ui/pages/sandboxes/SandboxesPage.h"
#include "ui/pages/sandboxes/SshAccessDialog.h"
#include "ui/widgets/KeyValueTable.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace cove;
using app::SandboxModel;
using ui::CreateSandboxDialog;

namespace {

QJsonObject dto(const QString& id, const QString& name, const QString& state, const QString& updatedAt,
                const QJsonObject& labels = {}, const QString& snapshot = QStringLiteral("cove-base")) {
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("state"), state},
            {QStringLiteral("snapshot"), snapshot},
            {QStringLiteral("labels"), labels},
            {QStringLiteral("cpu"), 1},
            {QStringLiteral("memory"), 1},
            {QStringLiteral("disk"), 3},
            {QStringLiteral("createdAt"), QStringLiteral("2026-01-01T00:00:00.000Z")},
            {QStringLiteral("updatedAt"), updatedAt}};
}

// Counts what the dashboard asks the service, by kind.
struct RequestLog {
    int lists = 0;
    QStringList posts;
    void attach(app::ApiClient& client, QObject* context) {
        QObject::connect(&client, &app::ApiClient::requestStarted, context,
                         [this](const QByteArray& verb, const QString& path) {
                             if (verb == "GET" && path.startsWith(QStringLiteral("/api/sandbox?")))
                                 ++lists;
                             else if (verb != "GET")
                                 posts << QString::fromLatin1(verb) + QLatin1Char(' ') + path;
                         });
    }
};

// A page on its own client, shown, with the request log and the model tester attached.
struct ShownPage {
    app::ApiClient client;
    RequestLog log;
    std::unique_ptr<ui::SandboxesPage> page;
    std::unique_ptr<QAbstractItemModelTester> tester;
    ShownPage(test::CovedProcess& coved, QObject* context) {
        log.attach(client, context);
        client.setTarget({coved.url(), coved.adminKey(), QStringLiteral("test")});
        page = std::make_unique<ui::SandboxesPage>(&client);
        tester = std::make_unique<QAbstractItemModelTester>(
            page->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        page->resize(1300, 700);
        page->show();
    }
};

// Saves a picture of `w` when COVE_SCREENSHOTS names a folder.
void shot(QWidget* w, const QString& name) {
    const QString dir = qEnvironmentVariable("COVE_SCREENSHOTS");
    if (!dir.isEmpty())
        w->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

} // namespace

class TestSandboxesPage : public QObject {
    Q_OBJECT
    test::CovedProcess coved;
    test::Sandboxes sb{coved};
    QTemporaryDir settingsDir;
    QStringList madeHere; // through the dialog

    int rowOf(SandboxModel* m, const QString& name) {
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->entry(r).name == name)
                return r;
        return -1;
    }
    QString stateOf(SandboxModel* m, const QString& name) {
        const int r = rowOf(m, name);
        return r < 0 ? QString() : m->entry(r).state;
    }
    bool restartOnSamePort() {
        const QString url = coved.url();
        coved.stop();
        const bool ok = coved.start({QStringLiteral("--listen"), QUrl(url).authority()});
        return ok && coved.url() == url;
    }

private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
        QVERIFY2(coved.start(), qPrintable(coved.error()));
    }

    void modelAndProxyKeepTheirContracts() {
        SandboxModel model;
        ui::SandboxFilterProxy proxy;
        proxy.setSandboxModel(&model);
        QAbstractItemModelTester modelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(SandboxModel::Name);
        const QString t0 = QStringLiteral("2026-01-01T00:00:00.000Z");
        const QString t1 = QStringLiteral("2026-01-01T00:00:01.000Z");
        const QString t2 = QStringLiteral("2026-01-01T00:00:02.000Z");
        QJsonArray first{dto("a", "alpha", "started", t0, {{"team", "qa"}}),
                         dto("b", "bravo", "stopped", t0, {{"team", "dev"}}),
                         dto("c", "charlie", "started", t0, {}, QStringLiteral("cove-desktop"))};
        model.setSandboxes(first);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(proxy.index(0, SandboxModel::Name).data().toString(), QStringLiteral("alpha"));
        // Before any event, the last change the service recorded stands in.
        const auto lastEvent = [&](const char* id) {
            return model.data(model.index(model.rowOf(id), SandboxModel::LastEvent)).toString();
        };
        QVERIFY2(lastEvent("a").startsWith(QStringLiteral("→ Started, ")), qPrintable(lastEvent("a")));

        // Insert, update, stale update, remove: one row each time, by id.
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QVERIFY(model.upsert(dto("d", "delta", "creating", t0)));
        QCOMPARE(inserted.count(), 1);
        model.applyStateChange(dto("d", "delta", "started", t1), QStringLiteral("creating"),
                               QStringLiteral("started"));
        QCOMPARE(model.entry(model.rowOf("d")).state, QStringLiteral("started"));
        QVERIFY(model.data(model.index(model.rowOf("d"), SandboxModel::LastEvent))
                    .toString()
                    .startsWith(QStringLiteral("Creating → Started, ")));
        QVERIFY(!model.upsert(dto("d", "delta", "creating", t0))); // older than what is shown
        QCOMPARE(model.entry(model.rowOf("d")).state, QStringLiteral("started"));
        model.applyStateChange(dto("b", "bravo", "destroyed", t2), QStringLiteral("destroying"),
                               QStringLiteral("destroyed"));
        QCOMPARE(model.rowOf("b"), -1);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.rowOf("c"), 1); // the index follows the removal

        // Filters, one after another and together.
        proxy.setStates({QStringLiteral("started")});
        QCOMPARE(proxy.rowCount(), 3);
        proxy.setStates({QStringLiteral("stopped"), QStringLiteral("creating")});
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setStates({});
        proxy.setLabel(QStringLiteral("team=qa"));
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setLabel(QStringLiteral("team"));
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setLabel({});
        proxy.setSnapshot(QStringLiteral("cove-desktop"));
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, SandboxModel::Name).data().toString(), QStringLiteral("charlie"));
        proxy.setSnapshot({});
        proxy.setText(QStringLiteral("ELT"));
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setText(QStringLiteral("started"));
        QCOMPARE(proxy.rowCount(), 3);
        proxy.setText({});

        // A new full list: one gone, one new, one changed; still no reset.
        model.setSandboxes(QJsonArray{dto("a", "alpha", "stopped", t2), dto("d", "delta", "started", t1),
                                      dto("e", "echo", "started", t2)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.rowOf("c"), -1);
        QCOMPARE(model.entry(model.rowOf("a")).state, QStringLiteral("stopped"));
        QVERIFY2(lastEvent("a").startsWith(QStringLiteral("→ Stopped, ")), qPrintable(lastEvent("a")));
        // The event seen in this window is later than the change the list reports: it stays.
        QVERIFY2(lastEvent("d").startsWith(QStringLiteral("Creating → Started, ")),
                 qPrintable(lastEvent("d")));
        QCOMPARE(resets.count(), 0);
        for (int c = 0; c < SandboxModel::ColumnCount; ++c) {
            proxy.sort(c, Qt::DescendingOrder);
            QCOMPARE(proxy.rowCount(), 3);
        }
    }

    void eventClientReconnectsAfterCovedRestarts() {
        app::EventClient events;
        events.setTarget({coved.url(), coved.adminKey(), QStringLiteral("test")});
        // Plain counters: these signals fire while the client is torn down, after any spy would be gone.
        int connected = 0;
        QStringList disconnected;
        QStringList createdIds;
        QStringList newStates;
        connect(&events, &app::EventClient::connected, this, [&] { ++connected; });
        connect(&events, &app::EventClient::disconnected, this, [&](const QString& r) { disconnected << r; });
        connect(&events, &app::EventClient::sandboxCreated, this,
                [&](const QJsonObject& o) { createdIds << o.value(QStringLiteral("id")).toString(); });
        connect(&events, &app::EventClient::sandboxStateUpdated, this,
                [&](const QJsonObject&, const QString&, const QString& n) { newStates << n; });
        events.start();
        QTRY_COMPARE_WITH_TIMEOUT(connected, 1, 15000);

        QVERIFY2(restartOnSamePort(), qPrintable(coved.error()));
        QTRY_VERIFY_WITH_TIMEOUT(!disconnected.isEmpty(), 15000);
        QVERIFY2(disconnected.first().contains(coved.url()), qPrintable(disconnected.first()));
        QTRY_COMPARE_WITH_TIMEOUT(connected, 2, 40000);
        QCOMPARE(events.state(), app::EventClient::State::Connected);

        // Events flow on the new connection.
        const QString id = sb.create(R"({"name":"after-restart"})");
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(createdIds.contains(id), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(newStates.contains(QStringLiteral("started")), 30000);

        // A refused key is reported, and retried (with a longer wait) rather than given up.
        app::EventClient refused;
        refused.setTarget({coved.url(), QStringLiteral("cove_wrong"), QStringLiteral("test")});
        QStringList refusedDown;
        connect(&refused, &app::EventClient::disconnected, this, [&](const QString& r) { refusedDown << r; });
        refused.start();
        QTRY_VERIFY_WITH_TIMEOUT(!refusedDown.isEmpty(), 15000);
        QVERIFY2(refusedDown.first().contains(QStringLiteral("refused the API key")),
                 qPrintable(refusedDown.first()));
        QCOMPARE(refused.state(), app::EventClient::State::Waiting);

        QString name;
        QJsonValue payload;
        QVERIFY(app::EventClient::parseEvent(QStringLiteral("42[\"x.y\",{\"a\":1}]"), &name, &payload));
        QCOMPARE(name, QStringLiteral("x.y"));
        QCOMPARE(payload.toObject().value(QStringLiteral("a")).toInt(), 1);
        QVERIFY(!app::EventClient::parseEvent(QStringLiteral("42{not an array}"), &name, &payload));
        QVERIFY(!app::EventClient::parseEvent(QStringLiteral("42[1,2]"), &name, &payload));
    }

    void createThroughTheDialogTurnsStartedByEvent() {
        ShownPage shown(coved, this);
        ui::SandboxesPage& page = *shown.page;
        RequestLog& log = shown.log;
        QAbstractItemModelTester proxyTester(page.proxy(),
                                             QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTRY_COMPARE_WITH_TIMEOUT(page.loads(), 1, 15000);
        QCOMPARE(log.lists, 1);

        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        QTest::keyClick(&page, Qt::Key_N, Qt::ControlModifier);
        CreateSandboxDialog* dialog = page.createDialog();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->choicesLoaded(), 15000);
        QCOMPARE(dialog->snapshotCombo()->currentText(), QStringLiteral("cove-base"));
        QVERIFY(dialog->cpuSpin()->maximum() >= 1);
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("made-in-dialog"));
        dialog->labelsTable()->addPair(QStringLiteral("team"), QStringLiteral("ui"));
        dialog->envTable()->addPair(QStringLiteral("GREETING"), QStringLiteral("hello"));
        dialog->autoStopSpin()->setValue(30);
        dialog->allowListEdit()->setText(QStringLiteral("10.0.0.0/8, 192.168.1.0/24"));
        shot(dialog, QStringLiteral("create-dialog"));
        QTest::mouseClick(dialog->createButton(), Qt::LeftButton);

        // The row comes from sandbox.created and turns started by sandbox.state.updated; the list is not
        // read again.
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(page.model(), QStringLiteral("made-in-dialog")) >= 0, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(page.model(), QStringLiteral("made-in-dialog")),
                                  QStringLiteral("started"), 60000);
        const int row = rowOf(page.model(), QStringLiteral("made-in-dialog"));
        madeHere << page.model()->entry(row).id;
        QVERIFY2(page.model()->entry(row).lastEventText().indexOf(QStringLiteral(" → Started")) > 0,
                 qPrintable(page.model()->entry(row).lastEventText()));
        QCOMPARE(log.lists, 1);
        QTRY_VERIFY(page.createDialog() == nullptr); // closed after success
        QCOMPARE(page.selectedIds(), QStringList{madeHere.last()});

        // What the service recorded is what the dialog said.
        const auto made = sb.get(madeHere.last());
        QCOMPARE(made.value(QStringLiteral("labels")).toObject().value(QStringLiteral("team")).toString(),
                 QStringLiteral("ui"));
        QCOMPARE(made.value(QStringLiteral("env")).toObject().value(QStringLiteral("GREETING")).toString(),
                 QStringLiteral("hello"));
        QCOMPARE(made.value(QStringLiteral("autoStopInterval")).toInt(), 30);
        QCOMPARE(made.value(QStringLiteral("networkAllowList")).toString(),
                 QStringLiteral("10.0.0.0/8,192.168.1.0/24"));

        // Filters on the live list.
        page.proxy()->setLabel(QStringLiteral("team=ui"));
        QCOMPARE(page.proxy()->rowCount(), 1);
        page.proxy()->setLabel({});
        shot(&page, QStringLiteral("page"));

        // The row chosen is announced for the detail pane, which goes beside the table.
        QSignalSpy selected(&page, &ui::SandboxesPage::sandboxSelected);
        page.view()->setCurrentIndex({});
        page.view()->setCurrentIndex(page.proxy()->mapFromSource(page.model()->index(row, 0)));
        QVERIFY(!selected.isEmpty());
        QCOMPARE(selected.last().at(0).toString(), madeHere.last());
        auto* detail = new QLabel(QStringLiteral("detail"));
        page.setDetailWidget(detail);
        QCOMPARE(page.detailWidget(), detail);
        QVERIFY(detail->isVisible());
    }

    void bulkStopAsksFirstAndReportsEachFailure() {
        const QString a = sb.create(R"({"name":"bulk-a"})");
        const QString b = sb.create(R"({"name":"bulk-b"})");
        const QString c = sb.create(R"({"name":"bulk-c"})");
        QVERIFY(!a.isEmpty() && !b.isEmpty() && !c.isEmpty());
        // bulk-c is archived (exporting its whole filesystem: a minute or more on a busy machine): stopping
        // it is refused (a stopped one would just say "stopped" again).
        QCOMPARE(sb.call("POST", QStringLiteral("/api/sandbox/bulk-c/stop")).status, 200);
        QCOMPARE(sb.call("POST", QStringLiteral("/api/sandbox/bulk-c/archive")).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(sb.state(c), QStringLiteral("archived"), 180000);

        ShownPage shown(coved, this);
        ui::SandboxesPage& page = *shown.page;
        RequestLog& log = shown.log;
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(page.model(), QStringLiteral("bulk-c")), QStringLiteral("archived"),
                                  30000);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(page.model(), QStringLiteral("bulk-a")), QStringLiteral("started"),
                                  30000);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(page.model(), QStringLiteral("bulk-b")), QStringLiteral("started"),
                                  30000);

        // The actions offered follow the states selected.
        page.selectIds({a});
        QVERIFY(!page.startAction()->isEnabled() && page.stopAction()->isEnabled());
        QVERIFY(!page.archiveAction()->isEnabled());
        page.selectIds({c});
        QVERIFY(page.startAction()->isEnabled() && !page.stopAction()->isEnabled());

        // Cancelled: nothing is sent.
        page.selectIds({a, b});
        QCOMPARE(page.selectedIds().size(), 2);
        QString asked;
        QTimer::singleShot(0, this, [&asked] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            asked = box->text();
            box->button(QMessageBox::Cancel)->click();
        });
        page.stopSelected();
        QVERIFY2(asked.startsWith(QStringLiteral("Stop 2 sandboxes?\n\nbulk-")), qPrintable(asked));
        QVERIFY(asked.contains(QStringLiteral("bulk-a")) && asked.contains(QStringLiteral("bulk-b")));
        QVERIFY(log.posts.isEmpty());
        QCOMPARE(sb.state(a), QStringLiteral("started"));

        // Confirmed, with one that cannot stop: two stop, the third's reason is named.
        page.selectIds({a, b, c});
        QSignalSpy finished(&page, &ui::SandboxesPage::bulkFinished);
        QTimer::singleShot(0, this, [this, &page] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            QVERIFY2(box->text().contains(QStringLiteral("Stop 3 sandboxes?")), qPrintable(box->text()));
            shot(box, QStringLiteral("bulk-confirm"));
            Q_UNUSED(page)
            box->button(QMessageBox::Yes)->click();
        });
        page.stopSelected();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        const QString summary = finished.first().at(0).toString();
        QVERIFY2(summary.startsWith(QStringLiteral("2 of 3 stopped; bulk-c: ")) &&
                     summary.contains(QStringLiteral("archived")),
                 qPrintable(summary));
        QCOMPARE(page.message(), summary);
        QCOMPARE(log.posts.size(), 3);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(page.model(), QStringLiteral("bulk-a")), QStringLiteral("stopped"),
                                  30000);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(page.model(), QStringLiteral("bulk-b")), QStringLiteral("stopped"),
                                  30000);
        QCOMPARE(log.lists, 1);

        // Delete from the keyboard, after confirming.
        page.selectIds({c});
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        page.view()->setFocus();
        QTimer::singleShot(0, this, [] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            QVERIFY2(box->text().startsWith(QStringLiteral("Delete the sandbox \"bulk-c\"?")),
                     qPrintable(box->text()));
            box->button(QMessageBox::Yes)->click();
        });
        QTest::keyClick(page.view(), Qt::Key_Delete);
        QTRY_COMPARE_WITH_TIMEOUT(rowOf(page.model(), QStringLiteral("bulk-c")), -1, 30000);
        QCOMPARE(log.lists, 1);
    }

    void validationShowsErrorsNextToTheFieldAndSendsNothing() {
        QVERIFY(!sb.create(R"({"name":"taken-name"})").isEmpty());
        ShownPage shown(coved, this);
        ui::SandboxesPage& page = *shown.page;
        RequestLog& log = shown.log;
        QTRY_COMPARE_WITH_TIMEOUT(page.loads(), 1, 15000);
        page.createSandbox();
        CreateSandboxDialog* dialog = page.createDialog();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->choicesLoaded(), 15000);

        QTest::keyClicks(dialog->allowListEdit(), QStringLiteral("10.0.0.0/8, 300.1.1.1/33"));
        QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
        QVERIFY2(
            dialog->error(CreateSandboxDialog::Field::Network).contains(QStringLiteral("\"300.1.1.1/33\"")),
            qPrintable(dialog->error(CreateSandboxDialog::Field::Network)));
        QCOMPARE(dialog->error(CreateSandboxDialog::Field::Top), QString());
        QVERIFY(dialog->isVisible());
        dialog->allowListEdit()->setText(
            QStringLiteral("1.0.0.0/8,2.0.0.0/8,3.0.0.0/8,4.0.0.0/8,5.0.0.0/8,6.0.0.0/8"));
        QVERIFY(!dialog->validate());
        QVERIFY(dialog->error(CreateSandboxDialog::Field::Network).contains(QStringLiteral("At most 5")));
        dialog->allowListEdit()->clear();

        dialog->addVolumeRow(QStringLiteral("any"), QStringLiteral("data"));
        QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
        QVERIFY2(
            dialog->error(CreateSandboxDialog::Field::Volumes).contains(QStringLiteral("must be absolute")),
            qPrintable(dialog->error(CreateSandboxDialog::Field::Volumes)));
        QCOMPARE(dialog->error(CreateSandboxDialog::Field::Network), QString());
        dialog->volumesTable()->item(0, 1)->setText(QStringLiteral("/data/../etc"));
        QVERIFY(!dialog->validate());
        QVERIFY(dialog->error(CreateSandboxDialog::Field::Volumes).contains(QStringLiteral("\"..\"")));
        dialog->envTable()->addPair(QStringLiteral("1BAD"), QStringLiteral("x"));
        QVERIFY(!dialog->validate());
        QVERIFY(dialog->error(CreateSandboxDialog::Field::Env).contains(QStringLiteral("\"1BAD\"")));
        shot(dialog, QStringLiteral("create-dialog-errors"));
        QVERIFY(log.posts.isEmpty());
        dialog->volumesTable()->removeRow(0);
        dialog->envTable()->table()->removeRow(0);

        // The service's refusal lands next to the field it concerns; the input stays.
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("taken-name"));
        QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->error(CreateSandboxDialog::Field::Name).isEmpty(), 15000);
        QVERIFY2(dialog->error(CreateSandboxDialog::Field::Name).contains(QStringLiteral("already exists")),
                 qPrintable(dialog->error(CreateSandboxDialog::Field::Name)));
        QCOMPARE(dialog->nameEdit()->text(), QStringLiteral("taken-name"));
        QCOMPARE(log.posts, QStringList{QStringLiteral("POST /api/sandbox")});
        // The field an error names, as the service sends it, picks the place; no field means the top.
        using F = CreateSandboxDialog::Field;
        const auto placeOf = [](const char* body) {
            return CreateSandboxDialog::fieldOf(app::ApiError::fromBody(400, body).field);
        };
        QCOMPARE(placeOf(R"({"message":"m","code":"VOLUME_NOT_FOUND","field":"volumes"})"), F::Volumes);
        QCOMPARE(placeOf(R"({"message":"m","code":"SNAPSHOT_NOT_FOUND","field":"snapshot"})"), F::Source);
        QCOMPARE(placeOf(R"({"message":"m","code":"NAME_TAKEN","field":"name"})"), F::Name);
        QCOMPARE(placeOf(R"({"message":"m","code":"QUOTA_EXCEEDED","field":"memory"})"), F::Resources);
        QCOMPARE(placeOf(R"({"message":"m","code":"QUOTA_EXCEEDED"})"), F::Top);
        QCOMPARE(placeOf(R"({"message":"m","code":"INVALID_FIELD","field":"networkAllowList"})"), F::Network);
        QCOMPARE(placeOf(R"({"message":"m","code":"INVALID_FIELD","field":"autoArchiveInterval"})"),
                 F::Lifecycle);
        QCOMPARE(placeOf(R"({"message":"m","code":"INVALID_FIELD","field":"labels"})"), F::Labels);
        QCOMPARE(placeOf(R"({"message":"m","code":"INVALID_FIELD","field":"env"})"), F::Env);
        QCOMPARE(placeOf(R"({"message":"m","code":"INVALID_FIELD","field":"buildInfo"})"), F::Source);
        QCOMPARE(placeOf(R"({"message":"m","code":"INVALID_FIELD","field":"target"})"), F::Top);
        // A message that merely mentions a field's name is not read: only "field" counts.
        QCOMPARE(placeOf(R"({"message":"Volume 'x' (volumes[0]) not found"})"), F::Top);
    }

    void serviceAwayShowsABannerAndTheFormSurvives() {
        ShownPage shown(coved, this);
        ui::SandboxesPage& page = *shown.page;
        RequestLog& log = shown.log;
        QTRY_COMPARE_WITH_TIMEOUT(page.loads(), 1, 15000);
        page.createSandbox();
        QPointer<CreateSandboxDialog> dialog = page.createDialog();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->choicesLoaded(), 15000);
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("after-outage"));
        dialog->labelsTable()->addPair(QStringLiteral("kept"), QStringLiteral("yes"));

        const QString url = coved.url();
        coved.stop();
        QTRY_VERIFY_WITH_TIMEOUT(page.bannerShown(), 15000);
        QVERIFY2(page.bannerText().contains(QStringLiteral("not reachable")), qPrintable(page.bannerText()));
        shot(&page, QStringLiteral("page-service-away"));
        QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->error(CreateSandboxDialog::Field::Top).isEmpty(), 15000);
        QVERIFY2(
            dialog->error(CreateSandboxDialog::Field::Top).contains(QStringLiteral("Nothing was created")),
            qPrintable(dialog->error(CreateSandboxDialog::Field::Top)));
        QVERIFY(dialog->isVisible());
        QCOMPARE(dialog->nameEdit()->text(), QStringLiteral("after-outage"));

        QVERIFY(coved.start({QStringLiteral("--listen"), QUrl(url).authority()}));
        QCOMPARE(coved.url(), url);
        QTRY_VERIFY_WITH_TIMEOUT(!page.bannerShown(), 40000);
        QTRY_COMPARE_WITH_TIMEOUT(page.loads(), 2, 15000); // read again after the reconnect
        QCOMPARE(dialog->nameEdit()->text(), QStringLiteral("after-outage"));
        QCOMPARE(dialog->labelsTable()->toJson().value(QStringLiteral("kept")).toString(),
                 QStringLiteral("yes"));
        QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull(), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(page.model(), QStringLiteral("after-outage")),
                                  QStringLiteral("started"), 60000);
        madeHere << page.model()->entry(rowOf(page.model(), QStringLiteral("after-outage"))).id;
        QCOMPARE(log.lists, 2);
    }

    // From the keyboard: select a sandbox, Ctrl+Shift+H, Enter; the command shown logs in as shown, and
    // revoking (after a confirmation) ends it.
    void sshAccessFromTheKeyboard() {
        const QString id = sb.create(R"({"name":"ssh-ui"})");
        QVERIFY(!id.isEmpty());
        ShownPage shown(coved, this);
        ui::SandboxesPage& page = *shown.page;
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(page.model(), QStringLiteral("ssh-ui")), QStringLiteral("started"),
                                  30000);
        page.selectIds({id});
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page)); // shortcuts go to the active window
        QTest::keyClick(&page, Qt::Key_H, Qt::ControlModifier | Qt::ShiftModifier);
        ui::SshAccessDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = page.findChild<ui::SshAccessDialog*>()) && dialog->isVisible());
        QTRY_VERIFY(dialog->isActiveWindow());
        QTest::keyClick(dialog, Qt::Key_Return); // the default button: Create
        QTRY_VERIFY_WITH_TIMEOUT(dialog->command().startsWith(QStringLiteral("ssh -p ")), 15000);
        shot(dialog, QStringLiteral("ssh-access"));
        const QStringList words = dialog->command().split(QLatin1Char(' '));
        QCOMPARE(words.value(2).toInt(), coved.sshPort());
        const QString token = words.value(3).section(QLatin1Char('@'), 0, 0);
        const auto r = test::ssh(coved.sshPort(), token, {QStringLiteral("echo from-the-dashboard")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("from-the-dashboard\n"));
        // The confirmation is answered Yes from the keyboard.
        test::KeyboardYes answer;
        QTRY_VERIFY(dialog->isActiveWindow());
        QTest::keyClick(dialog, Qt::Key_V, Qt::AltModifier);
        QTRY_VERIFY(answer.answered());
        QTRY_VERIFY_WITH_TIMEOUT(dialog->command().isEmpty(), 15000);
        QCOMPARE(test::ssh(coved.sshPort(), token, {QStringLiteral("true")}).exitCode, 255);
        dialog->close();
    }

    void cleanupTestCase() {
        for (const auto& id : std::as_const(madeHere))
            sb.call("DELETE", QStringLiteral("/api/sandbox/") + id);
        sb.removeAll();
        coved.stop();
        test::removeSandboxContainers(madeHere);
    }
};

QTEST_MAIN(TestSandboxesPage)
#include "tst_sandboxes_page.moc"
