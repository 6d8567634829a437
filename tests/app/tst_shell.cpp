// The window around the pages against real services: the banner when the service is away or refuses
// the key, starting the local coved from it, live language and theme switches, and a check that every
// string the dashboard shows has its Chinese translation. Runs on a real X server.
#include "app/ApiClient.h"
#include "app/ApiKeyModel.h"
#include "app/AuditLogModel.h"
#include "app/EventClient.h"
#include "app/LocalService.h"
#include "app/SandboxModel.h"
#include "app/Settings.h"
#include "app/SnapshotModel.h"
#include "app/VolumeModel.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "ui/Appearance.h"
#include "ui/MainWindow.h"
#include "ui/pages/audit/AuditLogPage.h"
#include "ui/pages/keys/ApiKeysPage.h"
#include "ui/pages/limits/LimitsPage.h"
#include "ui/pages/playground/PlaygroundPage.h"
#include "ui/pages/playground/SandboxTab.h"
#include "ui/pages/playground/VncTab.h"
#include "ui/pages/registries/RegistriesPage.h"
#include "ui/pages/sandboxes/SandboxDetail.h"
#include "ui/pages/sandboxes/SandboxesPage.h"
#include "ui/pages/sandboxes/detail/OverviewTab.h"
#include "ui/pages/secrets/SecretsPage.h"
#include "ui/pages/snapshots/SnapshotsPage.h"
#include "ui/pages/volumes/VolumesPage.h"
#include "ui/widgets/SettingsDialog.h"
#include "ui/widgets/vnc/VncView.h"

#include <QAbstractButton>
#include <QApplication>
#include <QColor>
#include <QComboBox>
#include <QGroupBox>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTranslator>
#include <QtTest>

#include <csignal>

using namespace cove;

namespace {

// Sits in front of the real translators and notes every string of Cove's asked for with no
// translation: what a Chinese user would see in English.
class RecordingTranslator : public QTranslator {
public:
    QTranslator inner;
    mutable QStringList missing;
    QString translate(const char* context, const char* source, const char* disambiguation,
                      int n) const override {
        const QString t = inner.translate(context, source, disambiguation, n);
        if (t.isEmpty() && QByteArray(context).startsWith("cove::") &&
            !missing.contains(QString::fromUtf8(source)))
            missing << QStringLiteral("%1: %2").arg(QString::fromUtf8(context), QString::fromUtf8(source));
        return t;
    }
    bool isEmpty() const override { return false; }
};

quint16 freePort() {
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

// Texts a person reads in `root`'s visible widgets (not the data in tables).
QStringList visibleTexts(QWidget* root) {
    QStringList out;
    for (QWidget* w : root->findChildren<QWidget*>()) {
        if (!w->isVisibleTo(root))
            continue;
        if (auto* l = qobject_cast<QLabel*>(w))
            out << l->text();
        else if (auto* b = qobject_cast<QAbstractButton*>(w))
            out << b->text();
        else if (auto* g = qobject_cast<QGroupBox*>(w))
            out << g->title();
        else if (auto* e = qobject_cast<QLineEdit*>(w))
            out << e->placeholderText();
    }
    out.removeAll(QString());
    return out;
}

} // namespace

class TestShell : public QObject {
    Q_OBJECT
    test::CovedProcess coved;
    QTemporaryDir settingsDir;

    void connectTo(app::ApiClient& client, const QString& key) {
        client.setTarget({coved.url(), key, QStringLiteral("test")});
    }

private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
        QVERIFY2(coved.start(), qPrintable(coved.error()));
    }

    void startsTheLocalServiceFromTheBanner() {
        QTemporaryDir data;
        qputenv("COVE_DATA_DIR", data.path().toUtf8());
        qputenv("COVE_WARM_POOL", "0");
        qputenv("PATH", QByteArray(COVE_BIN_DIR) + ':' + qgetenv("PATH"));
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(freePort());
        const app::LocalServicePlan plan = app::LocalService::plan(url);
        QVERIFY2(plan.usable, qPrintable(plan.instructions)); // the tests run as root, with no systemd unit
        QVERIFY(plan.arguments.contains(QStringLiteral("127.0.0.1:%1").arg(QUrl(url).port())));
        QVERIFY(!app::LocalService::plan(QStringLiteral("http://192.0.2.1:3986")).usable);

        app::ApiClient client;
        client.setTarget({url, QString(), QStringLiteral("local")});
        ui::MainWindow window(&client);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.bannerText().contains(QStringLiteral("not answering")), 15000);
        QVERIFY(window.startServiceButton()->isVisible());
        QVERIFY(!window.enterKeyButton()->isVisible());

        QTest::mouseClick(window.startServiceButton(), Qt::LeftButton);
        qint64 pid = window.startedServicePid();
        QVERIFY(pid > 0);
        QString instance;
        const auto cleanUp = qScopeGuard([&] {
            if (pid > 0)
                ::kill(pid_t(pid), SIGTERM);
            QTRY_VERIFY_WITH_TIMEOUT(::kill(pid_t(pid), 0) != 0, 15000);
            test::CovedProcess::removeNetworkOf(instance);
        });
        // It connects on its own once the service answers, with the key the service just wrote.
        QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), 30000);
        QVERIFY(window.bannerText().isEmpty());
        QVERIFY(!client.target().apiKey.isEmpty());
        instance = test::request("GET", url + QStringLiteral("/api/info"), client.target().apiKey)
                       .object()
                       .value(QStringLiteral("instanceId"))
                       .toString();
        QVERIFY(!instance.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(window.usageText().startsWith(QStringLiteral("Tier 1")), 15000);

        // The service goes away mid-session: the next call notices, the banner says so, and the window
        // reconnects by itself when the service is back.
        ::kill(pid_t(pid), SIGTERM);
        QTRY_VERIFY_WITH_TIMEOUT(::kill(pid_t(pid), 0) != 0, 15000);
        window.refreshCurrent();
        QTRY_VERIFY_WITH_TIMEOUT(window.bannerText().contains(QStringLiteral("not answering")), 15000);
        QVERIFY(!client.isConnected());
        window.startLocalService();
        pid = window.startedServicePid();
        QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), 30000);
        QVERIFY(window.bannerText().isEmpty());
        qunsetenv("COVE_DATA_DIR");
        qunsetenv("COVE_WARM_POOL");
    }

    void aRefusedKeyAsksForAnother() {
        app::ApiClient client;
        connectTo(client, QStringLiteral("not-a-key"));
        ui::MainWindow window(&client);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.bannerText().contains(QStringLiteral("refused the API key")), 15000);
        QVERIFY(window.enterKeyButton()->isVisible());
        QVERIFY(!window.startServiceButton()->isVisible());

        // Cancelled: nothing changes. Given: saved and used.
        QTimer::singleShot(0, this, [] {
            QTRY_VERIFY(qobject_cast<QInputDialog*>(QApplication::activeModalWidget()));
            qobject_cast<QInputDialog*>(QApplication::activeModalWidget())->reject();
        });
        window.enterApiKey();
        QVERIFY(!client.isConnected());
        const QString key = coved.adminKey();
        QTimer::singleShot(0, this, [key] {
            QTRY_VERIFY(qobject_cast<QInputDialog*>(QApplication::activeModalWidget()));
            auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
            dialog->setTextValue(key);
            dialog->accept();
        });
        window.enterApiKey();
        QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), 15000);
        QCOMPARE(app::Settings::value(app::Settings::Key::ApiKey).toString(), key);
        QVERIFY(window.bannerText().isEmpty());
        app::Settings::setValue(app::Settings::Key::ApiKey, QString());
    }

    void theLayoutIsRememberedAcrossRestarts() {
        app::ApiClient client;
        connectTo(client, coved.adminKey());
        QList<int> sidebarSizes;
        {
            ui::MainWindow window(&client);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            auto* splitter = window.findChild<QSplitter*>(QStringLiteral("sidebarSplitter"));
            auto* columns = window.findChild<QHeaderView*>(QStringLiteral("sandboxColumns"));
            QVERIFY(splitter && columns);
            splitter->setSizes({260, splitter->width() - 260 - splitter->handleWidth()});
            sidebarSizes = splitter->sizes();
            columns->resizeSection(0, 333);
            columns->moveSection(2, 0);
            window.showPage(3);
            QVERIFY(window.close());
        }
        ui::MainWindow again(&client);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QCOMPARE(again.findChild<QSplitter*>(QStringLiteral("sidebarSplitter"))->sizes(), sidebarSizes);
        auto* columns = again.findChild<QHeaderView*>(QStringLiteral("sandboxColumns"));
        QCOMPARE(columns->sectionSize(0), 333);
        QCOMPARE(columns->logicalIndex(0), 2);
        QCOMPARE(again.findChild<QListWidget*>()->currentRow(), 3);
        app::Settings::setValue(app::Settings::Key::Layout, QVariantMap());
    }

    void languageAndThemeChangeWithoutARestart() {
        app::ApiClient client;
        connectTo(client, coved.adminKey());
        ui::MainWindow window(&client);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), 15000);
        window.showPage(6);
        // The window and the pages that retranslate themselves are the same widgets after the switch.
        auto* sidebar = window.findChild<QListWidget*>();
        ui::SandboxesPage* sandboxes = window.sandboxesPage();
        ui::SnapshotsPage* snapshots = window.snapshotsPage();
        ui::VolumesPage* volumes = window.volumesPage();
        ui::ApiKeysPage* keys = window.keysPage();
        ui::LimitsPage* limits = window.limitsPage();
        ui::AuditLogPage* audit = window.auditPage();
        QWidget* playground = window.playgroundPage();
        ui::SandboxDetail* detail = window.sandboxDetail();
        // The first label of a page is its title.
        const auto title = [](QWidget* page) { return page->findChild<QLabel*>()->text(); };
        const auto tab = [](QTabWidget* tabs, int i) { return tabs->tabText(i); };
        auto* playgroundTabs = playground->findChild<QTabWidget*>();
        // Inside the tabs: the Playground's Sandbox tab and the detail pane's Overview tab.
        QPushButton* run = playground->findChild<ui::playground::SandboxTab*>()->runButton();
        const auto* overviewGroup = detail->overview()->findChild<QGroupBox*>();
        // The live desktop of the VNC tab: its first toolbar button and its message.
        ui::VncView* vncView = playground->findChild<ui::playground::VncTab*>()->liveView();
        const auto* scaleToFit = vncView->findChild<QToolButton*>();
        QCOMPARE(run->text(), QStringLiteral("&Run"));
        QCOMPARE(scaleToFit->text(), QStringLiteral("Scale to &fit"));
        QCOMPARE(vncView->messageText(), QStringLiteral("No sandbox chosen."));
        QCOMPARE(vncView->statusText(), QStringLiteral("Not connected"));
        QCOMPARE(overviewGroup->title(), QStringLiteral("Sandbox"));
        QCOMPARE(title(keys), QStringLiteral("API Keys"));
        QCOMPARE(title(limits), QStringLiteral("Limits"));
        QCOMPARE(title(audit), QStringLiteral("Audit Logs"));
        QCOMPARE(title(playground), QStringLiteral("Playground"));
        QCOMPARE(tab(playgroundTabs, 1), QStringLiteral("&Terminal"));
        QCOMPARE(tab(detail->tabs(), 0), QStringLiteral("&Overview"));
        QCOMPARE(tab(detail->tabs(), detail->tabs()->count() - 1), QStringLiteral("&Terminal"));
        QCOMPARE(title(detail), QStringLiteral("No sandbox chosen"));
        QCOMPARE(limits->findChild<QGroupBox*>()->title(), QStringLiteral("Current usage"));
        QTRY_COMPARE_WITH_TIMEOUT(limits->tierText(), QStringLiteral("Tier 1"), 15000);
        const auto* outcomes = audit->findChildren<QComboBox*>().at(1);
        QCOMPARE(outcomes->itemText(0), QStringLiteral("All outcomes"));
        const auto header = [](QWidget* page, int column) {
            return page->findChild<QTableView*>()->model()->headerData(column, Qt::Horizontal).toString();
        };
        QCOMPARE(header(sandboxes, app::SandboxModel::Name), QStringLiteral("Name"));
        QCOMPARE(header(snapshots, app::SnapshotModel::Image), QStringLiteral("Image"));
        QCOMPARE(header(volumes, app::VolumeModel::Used), QStringLiteral("Used"));
        const auto* snapshotsTitle = snapshots->findChild<QLabel*>();
        QCOMPARE(snapshotsTitle->text(), QStringLiteral("Snapshots"));

        ui::appearance::applyLanguage(QStringLiteral("zh_CN"));
        QTRY_COMPARE_WITH_TIMEOUT(sidebar->item(0)->text(), QStringLiteral("沙箱"), 5000);
        QCOMPARE(window.findChild<QListWidget*>(), sidebar);
        QCOMPARE(window.sandboxesPage(), sandboxes);
        QCOMPARE(window.snapshotsPage(), snapshots);
        QCOMPARE(window.volumesPage(), volumes);
        QCOMPARE(window.keysPage(), keys);
        QCOMPARE(window.limitsPage(), limits);
        QCOMPARE(window.auditPage(), audit);
        QCOMPARE(window.playgroundPage(), playground);
        QCOMPARE(window.sandboxDetail(), detail);
        QCOMPARE(title(keys), QStringLiteral("API 密钥"));
        QCOMPARE(header(keys, app::ApiKeyModel::Permissions), QStringLiteral("权限"));
        QCOMPARE(title(limits), QStringLiteral("限额"));
        QCOMPARE(title(window.registriesPage()), QStringLiteral("镜像仓库"));
        QCOMPARE(title(window.secretsPage()), QStringLiteral("机密"));
        QCOMPARE(limits->findChild<QGroupBox*>()->title(), QStringLiteral("当前用量"));
        QCOMPARE(limits->tierText(), QStringLiteral("等级 1"));
        QCOMPARE(title(audit), QStringLiteral("审计日志"));
        QCOMPARE(header(audit, app::AuditLogModel::Outcome), QStringLiteral("结果"));
        QCOMPARE(outcomes->itemText(0), QStringLiteral("全部结果"));
        QCOMPARE(title(playground), QStringLiteral("演练场"));
        QCOMPARE(tab(playgroundTabs, 1), QStringLiteral("终端(&T)"));
        QCOMPARE(run->text(), QStringLiteral("运行(&R)"));
        QCOMPARE(scaleToFit->text(), QStringLiteral("缩放以适应(&F)"));
        QCOMPARE(vncView->messageText(), QStringLiteral("未选择沙箱。"));
        QCOMPARE(vncView->statusText(), QStringLiteral("未连接"));
        QCOMPARE(tab(detail->tabs(), 0), QStringLiteral("概览(&O)"));
        QCOMPARE(overviewGroup->title(), QStringLiteral("沙箱"));
        QCOMPARE(tab(detail->tabs(), detail->tabs()->count() - 1), QStringLiteral("终端(&T)"));
        QCOMPARE(title(detail), QStringLiteral("未选择沙箱"));
        QCOMPARE(header(sandboxes, app::SandboxModel::Name), QStringLiteral("名称"));
        QCOMPARE(header(snapshots, app::SnapshotModel::Image), QStringLiteral("镜像"));
        QCOMPARE(header(volumes, app::VolumeModel::Used), QStringLiteral("已用空间"));
        QCOMPARE(snapshotsTitle->text(), QStringLiteral("快照"));
        QCOMPARE(sidebar->currentRow(), 6); // the page the user was on
        QVERIFY2(window.connectionText().startsWith(QStringLiteral("已连接")),
                 qPrintable(window.connectionText()));
        QTRY_VERIFY_WITH_TIMEOUT(window.usageText().startsWith(QStringLiteral("等级 1")), 15000);

        ui::appearance::applyLanguage(QStringLiteral("en"));
        QTRY_COMPARE_WITH_TIMEOUT(sidebar->item(0)->text(), QStringLiteral("Sandboxes"), 5000);
        QCOMPARE(header(snapshots, app::SnapshotModel::Image), QStringLiteral("Image"));
        QCOMPARE(snapshotsTitle->text(), QStringLiteral("Snapshots"));
        QCOMPARE(title(keys), QStringLiteral("API Keys"));
        QCOMPARE(header(keys, app::ApiKeyModel::Permissions), QStringLiteral("Permissions"));
        QCOMPARE(limits->tierText(), QStringLiteral("Tier 1"));
        QCOMPARE(header(audit, app::AuditLogModel::Outcome), QStringLiteral("Outcome"));
        QCOMPARE(outcomes->itemText(0), QStringLiteral("All outcomes"));
        QCOMPARE(title(playground), QStringLiteral("Playground"));
        QCOMPARE(run->text(), QStringLiteral("&Run"));
        QCOMPARE(scaleToFit->text(), QStringLiteral("Scale to &fit"));
        QCOMPARE(vncView->messageText(), QStringLiteral("No sandbox chosen."));
        QCOMPARE(tab(detail->tabs(), 0), QStringLiteral("&Overview"));
        QCOMPARE(overviewGroup->title(), QStringLiteral("Sandbox"));
        QCOMPARE(window.keysPage(), keys);
        QCOMPARE(window.playgroundPage(), playground);

        ui::appearance::applyTheme(QStringLiteral("dark"));
        QVERIFY(qApp->palette().color(QPalette::Window).lightness() < 100);
        QVERIFY(qApp->palette().color(QPalette::WindowText).lightness() > 180);
        ui::appearance::applyTheme(QStringLiteral("light"));
        QVERIFY(qApp->palette().color(QPalette::Window).lightness() > 180);
        ui::appearance::applyTheme(QStringLiteral("system"));

        // The settings dialog writes what the user picked.
        ui::SettingsDialog dialog(&window);
        dialog.languageBox()->setCurrentIndex(dialog.languageBox()->findData(QStringLiteral("zh_CN")));
        dialog.themeBox()->setCurrentIndex(dialog.themeBox()->findData(QStringLiteral("dark")));
        dialog.accept();
        QCOMPARE(app::Settings::value(app::Settings::Key::Language).toString(), QStringLiteral("zh_CN"));
        QCOMPARE(app::Settings::value(app::Settings::Key::Theme).toString(), QStringLiteral("dark"));
        dialog.urlEdit()->setText(QStringLiteral("ftp://nowhere"));
        QString refusal;
        QTimer::singleShot(0, this, [&refusal] {
            QTRY_VERIFY(qobject_cast<QMessageBox*>(QApplication::activeModalWidget()));
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            refusal = box->text();
            box->close();
        });
        dialog.accept(); // refused with a message box; the stored URL stays as it was
        QVERIFY2(refusal.contains(QStringLiteral("\"ftp://nowhere\" is not an http://")),
                 qPrintable(refusal));
        QCOMPARE(app::Settings::value(app::Settings::Key::ServiceUrl).toString(), QString());
        app::Settings::setValue(app::Settings::Key::Language, QString());
        app::Settings::setValue(app::Settings::Key::Theme, QStringLiteral("system"));
    }

    // What happens elsewhere reaches the open window over the event channel: an audit row at the top of
    // the Audit Logs page, with no reload of the page.
    void auditRowsArriveLive() {
        app::ApiClient client;
        connectTo(client, coved.adminKey());
        ui::MainWindow window(&client);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), 15000);
        window.showPage(7);
        auto* audit = window.auditPage();
        QTRY_VERIFY_WITH_TIMEOUT(audit->model()->rowCount() >= 1, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(client.events()->state(), app::EventClient::State::Connected, 15000);
        int lists = 0;
        connect(&client, &app::ApiClient::requestStarted, this,
                [&lists](const QByteArray&, const QString& path) {
                    if (path.startsWith(QStringLiteral("/api/audit")))
                        ++lists;
                });
        const int before = audit->model()->rowCount();
        const auto r = test::request("POST", coved.apiUrl() + QStringLiteral("/api-keys"), coved.adminKey(),
                                     R"({"name":"made-elsewhere","permissions":[]})");
        QCOMPARE(r.status, 201);
        QTRY_VERIFY_WITH_TIMEOUT(audit->model()->rowCount() > before, 15000);
        const QJsonObject top = audit->model()->at(0).raw;
        QCOMPARE(top.value(QStringLiteral("action")).toString(), QStringLiteral("create"));
        QCOMPARE(top.value(QStringLiteral("targetType")).toString(), QStringLiteral("api_key"));
        QCOMPARE(lists, 0);
        // The outcome is coloured: green for success, red for a refusal.
        const int outcome = app::AuditLogModel::Outcome;
        QCOMPARE(audit->model()->headerData(outcome, Qt::Horizontal).toString(), QStringLiteral("Outcome"));
        const auto colourOfTop = [&] {
            return ui::AuditLogPage::outcomeColour(
                audit->model()->index(0, outcome).data(app::AuditLogModel::FailedRole).toBool());
        };
        QVERIFY(colourOfTop().green() > colourOfTop().red());
        const int rows = audit->model()->rowCount();
        QCOMPARE(test::request("POST", coved.apiUrl() + QStringLiteral("/api-keys"), coved.adminKey(),
                               R"({"name":"bad","permissions":["no:such"]})")
                     .status,
                 400);
        QTRY_VERIFY_WITH_TIMEOUT(audit->model()->rowCount() > rows, 15000);
        QVERIFY(
            audit->model()->index(0, outcome).data().toString().startsWith(QStringLiteral("Error (400)")));
        QVERIFY(colourOfTop().red() > colourOfTop().green());
    }

    // Every tr() string of app/ and ui/ is in the Chinese file and translated.
    void everySourceStringHasAChineseTranslation() {
        QTemporaryDir dir;
        const QString ts = dir.path() + QStringLiteral("/check.ts");
        QVERIFY(QFile::copy(QStringLiteral(COVE_SOURCE_DIR "/translations/cove_zh_CN.ts"), ts));
        QFile::setPermissions(ts, QFile::ReadOwner | QFile::WriteOwner);
        QProcess lupdate;
        lupdate.start(QStringLiteral(COVE_LUPDATE),
                      {QStringLiteral("-I"), QStringLiteral(COVE_SOURCE_DIR), QStringLiteral("-no-obsolete"),
                       QStringLiteral("-locations"), QStringLiteral("none"),
                       QStringLiteral(COVE_SOURCE_DIR "/app"), QStringLiteral(COVE_SOURCE_DIR "/ui"),
                       QStringLiteral("-ts"), ts});
        QVERIFY(lupdate.waitForFinished(120000));
        QCOMPARE(lupdate.exitCode(), 0);
        QFile f(ts);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString xml = QString::fromUtf8(f.readAll());
        QStringList untranslated;
        static const QRegularExpression message(
            QStringLiteral(
                "<source>(.*?)</source>(?:\\s*<comment>.*?</comment>)?\\s*<translation( type=\"unfinished\")?"
                "[^>]*?(/>|>(.*?)</translation>)"),
            QRegularExpression::DotMatchesEverythingOption);
        for (auto it = message.globalMatch(xml); it.hasNext();) {
            const auto m = it.next();
            QString text = m.captured(4);
            text.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
            if (!m.captured(2).isEmpty() || text.trimmed().isEmpty())
                untranslated << m.captured(1);
        }
        QVERIFY2(untranslated.isEmpty(), qPrintable(untranslated.join(QLatin1Char('\n'))));
        QVERIFY(xml.count(QStringLiteral("<message")) > 150);
    }

    // In Chinese, every page shows Chinese: no string asked of the translator goes untranslated, and no
    // English sentence slipped past tr().
    void everyShownStringIsChinese() {
        RecordingTranslator recorder;
        QVERIFY(recorder.inner.load(QLocale(QStringLiteral("zh_CN")), QStringLiteral("cove"),
                                    QStringLiteral("_"), QStringLiteral(":/i18n")));
        ui::appearance::applyLanguage(QStringLiteral("zh_CN"));
        QApplication::installTranslator(&recorder);

        app::ApiClient client;
        connectTo(client, coved.adminKey());
        ui::MainWindow window(&client);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), 15000);
        // English words a Chinese UI still shows: names of things, units and protocols.
        static const QRegularExpression english(QStringLiteral("\\b[A-Za-z]{3,}\\s+[A-Za-z]{3,}\\b"));
        static const QStringList allowed{QStringLiteral("Daytona SDK"), QStringLiteral("API Key")};
        QStringList slipped;
        for (int page = 0; page < 9; ++page) {
            window.showPage(page); // the stack shows the page at once: no event loop needed
            for (const QString& text : visibleTexts(&window)) {
                QString rest = text;
                for (const QString& a : allowed)
                    rest.remove(a);
                if (english.match(rest).hasMatch() && !slipped.contains(text))
                    slipped << text;
            }
        }
        ui::SettingsDialog settings(&window);
        settings.show();
        // Qt's own buttons (Cancel, OK) come from Qt's translations, which the setup installs.
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("取消"));
        for (const QString& text : visibleTexts(&settings))
            if (english.match(text).hasMatch())
                slipped << text;
        QApplication::removeTranslator(&recorder);
        ui::appearance::applyLanguage(QStringLiteral("en"));
        QVERIFY2(recorder.missing.isEmpty(), qPrintable(recorder.missing.join(QLatin1Char('\n'))));
        QVERIFY2(slipped.isEmpty(), qPrintable(slipped.join(QLatin1Char('\n'))));
    }

    void cleanupTestCase() { coved.stop(); }
};

QTEST_MAIN(TestShell)
#include "tst_shell.moc"
