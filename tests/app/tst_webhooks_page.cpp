// The Webhooks page against a real coved: an endpoint added through its dialog (the secret shown once),
// a test sent with its button reaches a receiver in this process signed with that secret, the delivery
// log shows it delivered, and Delete asks first (Cancel keeps the endpoint, Yes removes it).
#include "app/ApiClient.h"
#include "support/CovedProcess.h"
#include "support/Gui.h"
#include "support/Http.h"
#include "support/WebhookReceiver.h"
#include "ui/pages/webhooks/WebhooksPage.h"
#include "ui/widgets/JsonTableModel.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QTableView>
#include <QTimer>
#include <QtTest>

using namespace cove;
using cove::test::whenModal;

class TestWebhooksPage : public QObject {
    Q_OBJECT
    test::CovedProcess coved;
    test::WebhookReceiver receiver;

private slots:
    void initTestCase() {
        QVERIFY(receiver.listen());
        coved.setEnv(QStringLiteral("COVE_WEBHOOK_TEST_SCHEDULE_MS"), QStringLiteral("0,200"));
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
    }

    void addTestAndDelete() {
        app::ApiClient client;
        client.setTarget({coved.url(), coved.adminKey(), QStringLiteral("test")});
        ui::WebhooksPage page(&client);
        page.show();
        QString secret;
        connect(&page, &ui::WebhooksPage::secretShown, this,
                [&secret](const QString&, const QString& s) { secret = s; });

        // Add: the dialog takes a loopback URL only with local addresses allowed.
        const QString url = QStringLiteral("http://127.0.0.1:%1/hook").arg(receiver.port());
        whenModal<ui::WebhookEndpointDialog>(this, [this, url](ui::WebhookEndpointDialog* d) {
            d->findChildren<QLineEdit*>().at(0)->setText(url);
            const auto boxes = d->findChildren<QCheckBox*>();
            QCOMPARE(boxes.size(), 2 + 7); // enabled, local, the seven events
            boxes.at(1)->setChecked(true);
            QCOMPARE(d->request().value(QStringLiteral("allowLocal")).toBool(), true);
            d->accept();
        });
        // The secret, shown once in a dialog of its own, which this closes.
        QString shownSecret;
        QTimer closer;
        connect(&closer, &QTimer::timeout, this, [&shownSecret] {
            auto* shown = qobject_cast<QDialog*>(QApplication::activeModalWidget());
            if (!shown || shown->windowTitle() != QStringLiteral("Signing secret"))
                return;
            shownSecret = shown->findChild<QLineEdit*>()->text();
            shown->reject();
        });
        closer.start(50);
        page.addEndpoint();
        QTRY_VERIFY_WITH_TIMEOUT(!shownSecret.isEmpty(), 15000);
        closer.stop();
        QVERIFY(shownSecret.startsWith(QStringLiteral("whsec_")));
        QCOMPARE(secret, shownSecret);
        QTRY_COMPARE(page.endpoints()->rowCount(), 1);
        QCOMPARE(page.endpoints()->rowAt(0).value(QStringLiteral("url")).toString(), url);

        // Send test: signed with the secret shown.
        auto* view = page.findChild<QTableView*>(QStringLiteral("webhookEndpoints"));
        QVERIFY(view);
        view->selectRow(0);
        page.sendTest();
        QTRY_COMPARE_WITH_TIMEOUT(receiver.requests.size(), 1, 15000);
        QVERIFY(test::WebhookReceiver::verify(receiver.requests[0], secret.toLatin1()));
        const auto delivered = [&] {
            page.refresh();
            return page.deliveries()->rowCount() == 1 &&
                   page.deliveries()->rowAt(0).value(QStringLiteral("status")).toString() ==
                       QStringLiteral("succeeded");
        };
        QTRY_VERIFY_WITH_TIMEOUT(delivered(), 15000);
        QCOMPARE(page.deliveries()->data(page.deliveries()->index(0, 2)).toString(),
                 QStringLiteral("delivered"));

        // Delete asks first.
        whenModal<QMessageBox>(this, [](QMessageBox* box) { box->button(QMessageBox::Cancel)->click(); });
        page.deleteSelected();
        QCOMPARE(
            test::request("GET", coved.apiUrl() + QStringLiteral("/webhooks/endpoints"), coved.adminKey())
                .json()
                .array()
                .size(),
            1);
        whenModal<QMessageBox>(this, [](QMessageBox* box) { box->button(QMessageBox::Yes)->click(); });
        page.deleteSelected();
        QTRY_COMPARE(page.endpoints()->rowCount(), 0);
        QCOMPARE(
            test::request("GET", coved.apiUrl() + QStringLiteral("/webhooks/endpoints"), coved.adminKey())
                .json()
                .array()
                .size(),
            0);
    }
};

QTEST_MAIN(TestWebhooksPage)
#include "tst_webhooks_page.moc"
