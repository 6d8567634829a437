// The Secrets page against a real coved: a secret added through its dialog (the value typed into a password
// field, never shown back), its row with hosts and placeholder, the placeholder copied with Ctrl+Shift+C, an
// edit that keeps the value when the field is left empty, a bad name explained in the dialog, a delete
// refused with the mounting sandbox named, and Delete asking first (Cancel keeps it, Yes removes it).
#include "app/ApiClient.h"
#include "app/SecretModel.h"
#include "support/CovedProcess.h"
#include "support/Gui.h"
#include "support/Http.h"
#include "support/Sandboxes.h"
#include "ui/pages/secrets/SecretsPage.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QtTest>

using namespace cove;
using cove::test::whenModal;

namespace {

constexpr const char* kValue = "sk-ui-58c1e0-value";

} // namespace

class TestSecretsPage : public QObject {
    Q_OBJECT
    test::CovedProcess coved;
    test::Sandboxes sb{coved};

    QJsonArray secrets() {
        return test::request("GET", coved.apiUrl() + QStringLiteral("/secret"), coved.adminKey())
            .json()
            .array();
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
    }

    void addEditCopyAndDelete() {
        app::ApiClient client;
        client.setTarget({coved.url(), coved.adminKey(), QStringLiteral("test")});
        ui::SecretsPage page(&client);
        page.resize(1200, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));

        // Add: a bad name is explained and cannot be sent; the value goes in a password field.
        whenModal<ui::SecretDialog>(this, [](ui::SecretDialog* d) {
            auto* ok = d->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
            d->findChild<QLineEdit*>(QStringLiteral("secretName"))->setText(QStringLiteral("1bad"));
            d->valueField()->setText(QString::fromLatin1(kValue));
            QVERIFY(!ok->isEnabled());
            QVERIFY(d->findChild<QLabel*>(QStringLiteral("secretProblem"))
                        ->text()
                        .contains(QStringLiteral("letter")));
            QCOMPARE(d->valueField()->echoMode(), QLineEdit::Password);
            d->findChild<QLineEdit*>(QStringLiteral("secretName"))->setText(QStringLiteral("OPENAI_API_KEY"));
            d->findChild<QLineEdit*>(QStringLiteral("secretDescription"))
                ->setText(QStringLiteral("the team's key"));
            d->findChild<QPlainTextEdit*>(QStringLiteral("secretHosts"))
                ->setPlainText(QStringLiteral("api.openai.com\n*.openai.azure.com"));
            QVERIFY(ok->isEnabled());
            ok->click();
        });
        page.addSecret();
        QTRY_COMPARE(page.model()->rowCount(), 1);
        const app::Secret made = page.model()->at(0);
        QCOMPARE(made.hosts,
                 (QStringList{QStringLiteral("api.openai.com"), QStringLiteral("*.openai.azure.com")}));
        QVERIFY(made.placeholder.startsWith(QStringLiteral("dtn_secret_")));
        QCOMPARE(page.model()->data(page.model()->index(0, app::SecretModel::Placeholder)).toString(),
                 made.placeholder);
        QCOMPARE(secrets().size(), 1);

        // Copy: Ctrl+Shift+C on the selected row puts its placeholder on the clipboard.
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        page.view()->setFocus();
        page.view()->selectRow(0);
        QTest::keyClick(page.view(), Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(QApplication::clipboard()->text(), made.placeholder);

        // Edit: the value field starts empty and, left so, the stored value stays; the name is fixed.
        whenModal<ui::SecretDialog>(this, [](ui::SecretDialog* d) {
            QVERIFY(d->valueField()->text().isEmpty());
            QVERIFY(d->findChild<QLineEdit*>(QStringLiteral("secretName"))->isReadOnly());
            d->findChild<QPlainTextEdit*>(QStringLiteral("secretHosts"))
                ->setPlainText(QStringLiteral("api.openai.com"));
            d->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        });
        page.editSelected();
        QTRY_COMPARE(page.model()->rowCount() == 1 ? page.model()->at(0).hosts.size() : 0, 1);
        QVERIFY(page.message().isEmpty());

        // Mounted by a sandbox: the delete says which and what to do, and sends nothing.
        const QString id =
            sb.create("{\"name\":\"ui-mounting\",\"secrets\":[{\"OPENAI_API_KEY\":\"OPENAI_API_KEY\"}]}");
        QVERIFY(!id.isEmpty());
        page.refresh();
        QTRY_COMPARE(page.model()->rowCount() == 1 ? page.model()->at(0).mountedBy.join(QLatin1Char(','))
                                                   : QString(),
                     QStringLiteral("ui-mounting"));
        page.view()->selectRow(0);
        QString said;
        whenModal<QMessageBox>(this, [&said](QMessageBox* box) {
            said = box->text();
            box->button(QMessageBox::Ok)->click();
        });
        page.deleteSelected();
        QTRY_VERIFY(!said.isEmpty());
        QVERIFY2(said.contains(QStringLiteral("ui-mounting")) && said.contains(QStringLiteral("Take it out")),
                 qPrintable(said));
        QCOMPARE(secrets().size(), 1);
        sb.removeAll();
        QTRY_VERIFY_WITH_TIMEOUT(
            secrets().at(0).toObject().value(QStringLiteral("mountedBy")).toArray().isEmpty(), 30000);

        // Delete asks first.
        page.refresh();
        QTRY_VERIFY(page.model()->rowCount() == 1 && page.model()->at(0).mountedBy.isEmpty());
        page.view()->selectRow(0);
        whenModal<QMessageBox>(this, [](QMessageBox* box) { box->button(QMessageBox::Cancel)->click(); });
        page.deleteSelected();
        QCOMPARE(secrets().size(), 1);
        whenModal<QMessageBox>(this, [](QMessageBox* box) { box->button(QMessageBox::Yes)->click(); });
        page.deleteSelected();
        QTRY_COMPARE(page.model()->rowCount(), 0);
        QCOMPARE(secrets().size(), 0);
        QVERIFY(!coved.log().contains(kValue));
    }
};

QTEST_MAIN(TestSecretsPage)
#include "tst_secrets_page.moc"
