// Webhooks on a real coved: a real sandbox, snapshot and volume go through their lifecycle and each of the
// seven events reaches a receiver in the test process, signed as Svix signs (checked with the test's own
// HMAC); failed attempts (500, no answer) are retried on the schedule; a delivery in flight when coved is
// killed arrives after the restart; disabled endpoints and event filters are respected. The retry
// schedule and the attempt timeout are shortened for the test (COVE_WEBHOOK_TEST_*).
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"
#include "support/WebhookReceiver.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace cove::test;

namespace {

constexpr int kWaitMs = 60000;

QJsonArray arrayOf(const Reply& r) {
    return r.json().array();
}

} // namespace

class TestWebhooks : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};
    WebhookReceiver receiver;
    QElapsedTimer total;

    Reply api(const QByteArray& method, const QString& path, const QByteArray& body = {}) {
        return sb.call(method, path, body);
    }
    // An endpoint for the receiver on loopback (which needs allowLocal); returns {id, secret}.
    QPair<QString, QByteArray> addEndpoint(const QByteArray& extra = {}, quint16 port = 0) {
        const QByteArray body =
            "{\"url\":\"http://127.0.0.1:" + QByteArray::number(port ? port : receiver.port()) +
            "/hook\",\"allowLocal\":true" + extra + "}";
        const Reply r = api("POST", QStringLiteral("/api/webhooks/endpoints"), body);
        if (r.status != 201)
            qWarning() << r.status << r.body;
        return {r.object().value(QStringLiteral("id")).toString(),
                r.object().value(QStringLiteral("secret")).toString().toLatin1()};
    }
    void removeEndpoints() {
        for (const auto& e : arrayOf(api("GET", QStringLiteral("/api/webhooks/endpoints"))))
            api("DELETE", QStringLiteral("/api/webhooks/endpoints/") +
                              e.toObject().value(QStringLiteral("id")).toString());
    }
    QJsonArray deliveries(const QString& endpointId) {
        return arrayOf(api("GET", QStringLiteral("/api/webhooks/deliveries?endpointId=") + endpointId));
    }
    QString deliveryStatus(const QString& endpointId) {
        const auto d = deliveries(endpointId);
        return d.isEmpty() ? QString() : d.at(0).toObject().value(QStringLiteral("status")).toString();
    }
    QStringList eventsReceived() const {
        QStringList out;
        for (const auto& r : receiver.requests)
            out << QJsonDocument::fromJson(r.body).object().value(QStringLiteral("event")).toString();
        return out;
    }

private slots:
    void initTestCase() {
        total.start();
        QVERIFY(receiver.listen());
        coved.setEnv(QStringLiteral("COVE_WEBHOOK_TEST_SCHEDULE_MS"), QStringLiteral("0,200,200,200"));
        coved.setEnv(QStringLiteral("COVE_WEBHOOK_TEST_TIMEOUT_MS"), QStringLiteral("1000"));
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
    }
    void cleanup() {
        removeEndpoints();
        receiver.requests.clear();
    }
    void cleanupTestCase() {
        sb.removeAll();
        qInfo("tst_webhooks ran in %.1f s", total.elapsed() / 1000.0);
    }

    void daytonaRoutesAnswerForCove() {
        const QString org = QStringLiteral("/api/webhooks/organizations/personal");
        const Reply status = api("GET", org + QStringLiteral("/initialization-status"));
        QCOMPARE(status.status, 200);
        QCOMPARE(status.object().value(QStringLiteral("organizationId")).toString(),
                 QStringLiteral("personal"));
        QVERIFY(status.object().value(QStringLiteral("svixApplicationId")).isNull());
        QCOMPARE(api("POST", org + QStringLiteral("/initialize")).status, 201);
        const Reply portal = api("POST", org + QStringLiteral("/app-portal-access"));
        QCOMPARE(portal.status, 200);
        QVERIFY(portal.object()
                    .value(QStringLiteral("url"))
                    .toString()
                    .endsWith(QStringLiteral("/api/webhooks/endpoints")));
        QCOMPARE(api("POST", org + QStringLiteral("/refresh-endpoints")).status, 204);
        QCOMPARE(api("GET", QStringLiteral("/api/admin/webhooks/status"))
                     .object()
                     .value(QStringLiteral("enabled"))
                     .toBool(),
                 true);
        // The audit log names the actions as Daytona does.
        const auto audit = api("GET", QStringLiteral("/api/audit?limit=20"))
                               .object()
                               .value(QStringLiteral("items"))
                               .toArray();
        QStringList actions;
        for (const auto& a : audit)
            actions << a.toObject().value(QStringLiteral("action")).toString();
        QVERIFY2(actions.contains(QStringLiteral("initialize_webhooks")), qPrintable(actions.join(u',')));
        QVERIFY(actions.contains(QStringLiteral("get_webhook_app_portal_access")));
    }

    void endpointsAndSecrets() {
        const auto [id, secret] = addEndpoint(",\"description\":\"ci\",\"eventTypes\":[\"volume.created\"]");
        QVERIFY(secret.startsWith("whsec_"));
        QCOMPARE(QByteArray::fromBase64(secret.mid(6)).size(), 24);
        const Reply got = api("GET", QStringLiteral("/api/webhooks/endpoints/") + id);
        QCOMPARE(got.status, 200);
        QVERIFY(!got.object().contains(QStringLiteral("secret")));
        QVERIFY(!api("GET", QStringLiteral("/api/webhooks/endpoints")).body.contains(secret));
        QCOMPARE(api("POST", QStringLiteral("/api/webhooks/endpoints/%1/secret").arg(id))
                     .object()
                     .value(QStringLiteral("secret"))
                     .toString()
                     .toLatin1(),
                 secret);
        const QByteArray rotated =
            api("POST", QStringLiteral("/api/webhooks/endpoints/%1/secret/rotate").arg(id))
                .object()
                .value(QStringLiteral("secret"))
                .toString()
                .toLatin1();
        QVERIFY(rotated.startsWith("whsec_") && rotated != secret);
        // Allowing local addresses, revealing and rotating the secret are in the audit log.
        QStringList rows;
        for (const auto& row : api("GET", QStringLiteral("/api/audit?targetId=") + id)
                                   .object()
                                   .value(QStringLiteral("items"))
                                   .toArray())
            rows << row.toObject().value(QStringLiteral("action")).toString();
        QCOMPARE(rows, (QStringList{QStringLiteral("update"), QStringLiteral("read"),
                                    QStringLiteral("update_access"), QStringLiteral("create")}));
        const Reply patched = api("PATCH", QStringLiteral("/api/webhooks/endpoints/") + id,
                                  R"({"description":"changed","eventTypes":[],"enabled":false})");
        QCOMPARE(patched.status, 200);
        QCOMPARE(patched.object().value(QStringLiteral("description")).toString(), QStringLiteral("changed"));
        QCOMPARE(patched.object().value(QStringLiteral("enabled")).toBool(), false);
        // Bad input: a sentence that says what to do, nothing changed.
        const Reply bad =
            api("PATCH", QStringLiteral("/api/webhooks/endpoints/") + id, R"({"eventTypes":["nope"]})");
        QCOMPARE(bad.status, 400);
        QVERIFY(bad.message().contains(QStringLiteral("sandbox.created")));
        QCOMPARE(api("POST", QStringLiteral("/api/webhooks/endpoints"), "{\"url\":\"http://example.com/h\"}")
                     .status,
                 400);
        QCOMPARE(api("POST", QStringLiteral("/api/webhooks/endpoints"), "{\"url\":\"ftp://example.com/h\"}")
                     .status,
                 400);
        QCOMPARE(
            api("POST", QStringLiteral("/api/webhooks/endpoints"), "{\"url\":\"https://u:p@example.com/h\"}")
                .status,
            400);
        QCOMPARE(api("DELETE", QStringLiteral("/api/webhooks/endpoints/") + id).status, 204);
        QCOMPARE(api("GET", QStringLiteral("/api/webhooks/endpoints/") + id).status, 404);
    }

    void allSevenEventsArriveSigned() {
        const auto [id, secret] = addEndpoint();
        // A volume: created, then deleted (its state changes).
        const Reply vol = api("POST", QStringLiteral("/api/volumes"), R"({"name":"wh-vol"})");
        QCOMPARE(vol.status, 200);
        const QString volumeId = vol.object().value(QStringLiteral("id")).toString();
        // A snapshot of a local image: created, its state changes, removed.
        const Reply snap = api("POST", QStringLiteral("/api/snapshots"),
                               R"({"name":"wh-snap","imageName":"cove-debian:latest"})");
        QCOMPARE(snap.status, 200);
        const QString snapshotId = snap.object().value(QStringLiteral("id")).toString();
        // A sandbox: created, started.
        const QString sandbox = sb.create(R"({"name":"wh-box"})");
        QVERIFY(!sandbox.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(eventsReceived().contains(QStringLiteral("snapshot.state.updated")),
                                 kWaitMs);
        QCOMPARE(api("DELETE", QStringLiteral("/api/snapshots/") + snapshotId).status / 100, 2);
        QCOMPARE(api("DELETE", QStringLiteral("/api/volumes/") + volumeId).status / 100, 2);
        const QStringList all{QStringLiteral("sandbox.created"),     QStringLiteral("sandbox.state.updated"),
                              QStringLiteral("snapshot.created"),    QStringLiteral("snapshot.state.updated"),
                              QStringLiteral("snapshot.removed"),    QStringLiteral("volume.created"),
                              QStringLiteral("volume.state.updated")};
        for (const auto& e : all)
            QTRY_VERIFY2_WITH_TIMEOUT(
                eventsReceived().contains(e),
                qPrintable(e + QStringLiteral(" missing; got ") + eventsReceived().join(u',')), kWaitMs);
        for (const auto& r : receiver.requests) {
            QVERIFY2(WebhookReceiver::verify(r, secret), r.body.constData());
            QCOMPARE(r.method, QByteArray("POST"));
            QCOMPARE(r.target, QByteArray("/hook"));
            QCOMPARE(r.headers.value("content-type"), QByteArray("application/json"));
            QVERIFY(qAbs(r.headers.value("webhook-timestamp").toLongLong() -
                         QDateTime::currentSecsSinceEpoch()) < 120);
            const QJsonObject o = QJsonDocument::fromJson(r.body).object();
            QVERIFY(QDateTime::fromString(o.value(QStringLiteral("timestamp")).toString(), Qt::ISODateWithMs)
                        .isValid());
            const QJsonObject data = o.value(QStringLiteral("data")).toObject();
            QCOMPARE(data.value(QStringLiteral("organizationId")).toString(), QStringLiteral("personal"));
            const QString event = o.value(QStringLiteral("event")).toString();
            const QString expectedId = event.startsWith(QStringLiteral("sandbox"))    ? sandbox
                                       : event.startsWith(QStringLiteral("snapshot")) ? snapshotId
                                                                                      : volumeId;
            QCOMPARE(data.value(QStringLiteral("id")).toString(), expectedId);
            if (event.endsWith(QStringLiteral("state.updated")))
                QVERIFY(data.contains(QStringLiteral("oldState")) &&
                        data.contains(QStringLiteral("newState")));
        }
        // A tampered body fails the same check: the verification above can fail.
        auto tampered = receiver.requests.first();
        tampered.body.append(' ');
        QVERIFY(!WebhookReceiver::verify(tampered, secret));
        // Every delivery is in the log as succeeded, with its attempt.
        for (const auto& d : deliveries(id)) {
            const auto o = d.toObject();
            QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
            // The last attempt got the 200 (an earlier one may have timed out while this test process was
            // blocked in a call of its own and its receiver could not answer).
            const auto log = o.value(QStringLiteral("attemptLog")).toArray();
            QCOMPARE(log.size(), o.value(QStringLiteral("attempts")).toInt());
            QCOMPARE(log.last().toObject().value(QStringLiteral("statusCode")).toInt(), 200);
        }
    }

    void retriesAfter500AndTimeout() {
        const auto [id, secret] = addEndpoint();
        receiver.answer({500});
        receiver.answer({200, {}, true}); // no answer: the attempt times out (1 s here)
        receiver.answer({200});
        const Reply sent = api("POST", QStringLiteral("/api/webhooks/endpoints/%1/test").arg(id),
                               R"({"eventType":"volume.created"})");
        QCOMPARE(sent.status, 200);
        const QString messageId = sent.object().value(QStringLiteral("id")).toString();
        QTRY_COMPARE_WITH_TIMEOUT(deliveryStatus(id), QStringLiteral("succeeded"), kWaitMs);
        QCOMPARE(receiver.requests.size(), 3);
        for (const auto& r : receiver.requests) {
            QCOMPARE(r.headers.value("webhook-id"), messageId.toLatin1()); // the same message each time
            QVERIFY(WebhookReceiver::verify(r, secret));
        }
        const auto attempts =
            arrayOf(api("GET", QStringLiteral("/api/webhooks/messages/%1/attempts").arg(messageId)));
        QCOMPARE(attempts.size(), 3);
        QCOMPARE(attempts[0].toObject().value(QStringLiteral("statusCode")).toInt(), 500);
        QCOMPARE(attempts[0].toObject().value(QStringLiteral("response")).toString(),
                 QStringLiteral("status 500"));
        QVERIFY(!attempts[0].toObject().value(QStringLiteral("nextAttemptAt")).isNull());
        QVERIFY(attempts[1].toObject().value(QStringLiteral("statusCode")).isNull());
        QVERIFY2(attempts[1]
                     .toObject()
                     .value(QStringLiteral("error"))
                     .toString()
                     .contains(QStringLiteral("in time")),
                 qPrintable(attempts[1].toObject().value(QStringLiteral("error")).toString()));
        QVERIFY(attempts[1].toObject().value(QStringLiteral("durationMs")).toInt() >= 900);
        QCOMPARE(attempts[2].toObject().value(QStringLiteral("statusCode")).toInt(), 200);
        QCOMPARE(attempts[2].toObject().value(QStringLiteral("attempt")).toInt(), 3);
        // Daytona's admin route reads the same attempts.
        QCOMPARE(arrayOf(api("GET",
                             QStringLiteral("/api/admin/webhooks/organizations/personal/messages/%1/attempts")
                                 .arg(messageId)))
                     .size(),
                 3);

        // Answers that never succeed: the delivery fails after the schedule's last attempt.
        for (int i = 0; i < 4; ++i)
            receiver.answer({503});
        receiver.requests.clear();
        api("POST", QStringLiteral("/api/webhooks/endpoints/%1/test").arg(id));
        QTRY_COMPARE_WITH_TIMEOUT(deliveryStatus(id), QStringLiteral("failed"), kWaitMs);
        QCOMPARE(receiver.requests.size(), 4);
        QCOMPARE(deliveries(id).at(0).toObject().value(QStringLiteral("attempts")).toInt(), 4);
    }

    void aDeadEndpointDoesNotHoldUpOthers() {
        WebhookReceiver dead;
        QVERIFY(dead.listen());
        for (int i = 0; i < 8; ++i)
            dead.answer({200, {}, true});
        const auto slow = addEndpoint({}, dead.port());
        const auto fast = addEndpoint();
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < 6; ++i)
            QCOMPARE(api("POST", QStringLiteral("/api/admin/webhooks/organizations/personal/send"),
                         R"({"eventType":"sandbox.created","payload":{"n":)" + QByteArray::number(i) + "}}")
                         .status,
                     200);
        QTRY_COMPARE_WITH_TIMEOUT(receiver.requests.size(), 6, kWaitMs);
        // All six reached the live endpoint while the dead one held its attempts open (1 s each).
        QVERIFY2(t.elapsed() < 900, qPrintable(QString::number(t.elapsed())));
        Q_UNUSED(slow);
        Q_UNUSED(fast);
    }

    void disabledEndpointsAndFiltersAreRespected() {
        const auto filtered = addEndpoint(R"(,"eventTypes":["volume.created"])");
        WebhookReceiver other;
        QVERIFY(other.listen());
        const auto disabled = addEndpoint(R"(,"enabled":false)", other.port());
        const Reply vol = api("POST", QStringLiteral("/api/volumes"), R"({"name":"wh-filter"})");
        QCOMPARE(vol.status, 200);
        QCOMPARE(api("DELETE",
                     QStringLiteral("/api/volumes/") + vol.object().value(QStringLiteral("id")).toString())
                         .status /
                     100,
                 2);
        // A marker through the admin send, subscribed by the filtered endpoint: once it is in, the events
        // before it have been delivered or were never queued.
        api("POST", QStringLiteral("/api/admin/webhooks/organizations/personal/send"),
            R"({"eventType":"volume.created","payload":{"marker":true}})");
        QTRY_VERIFY_WITH_TIMEOUT(receiver.requests.size() >= 2, kWaitMs);
        QCOMPARE(eventsReceived(),
                 (QStringList{QStringLiteral("volume.created"), QStringLiteral("volume.created")}));
        QCOMPARE(other.connections, 0);
        QVERIFY(deliveries(disabled.first).isEmpty());
        QCOMPARE(deliveries(filtered.first).size(), 2);
    }

    void httpsVerifiesThePeer() {
        // A TLS receiver on this host with a certificate for localhost that no system CA signed.
        QTemporaryDir dir;
        const QString cert = dir.filePath(QStringLiteral("cert.pem")),
                      key = dir.filePath(QStringLiteral("key.pem"));
        QCOMPARE(run(QStringLiteral("openssl"),
                     {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                      QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                      QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=localhost"),
                      QStringLiteral("-addext"), QStringLiteral("subjectAltName=DNS:localhost"),
                      QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert})
                     .exitCode,
                 0);
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        const QString server = QStringLiteral(R"py(
import http.server, socketserver, ssl, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers['content-length']))
        open(sys.argv[3], 'a').write(self.headers['webhook-id'] + '\n')
        self.send_response(204); self.end_headers()
    def log_message(self, *a): pass
s = socketserver.TCPServer(('127.0.0.1', int(sys.argv[4])), H)
c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); c.load_cert_chain(sys.argv[1], sys.argv[2])
s.socket = c.wrap_socket(s.socket, server_side=True)
s.serve_forever()
)py");
        const QString got = dir.filePath(QStringLiteral("got"));
        QProcess tls;
        tls.start(QStringLiteral("python3"),
                  {QStringLiteral("-c"), server, cert, key, got, QString::number(port)});
        QVERIFY(tls.waitForStarted());
        const auto listening = [port] {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, port);
            return s.waitForConnected(200);
        };
        QTRY_VERIFY_WITH_TIMEOUT(listening(), 10000);
        const QByteArray url = "https://localhost:" + QByteArray::number(port) + "/hook";

        // This coved trusts the system's CAs only: the handshake fails, nothing is posted.
        const Reply made = api("POST", QStringLiteral("/api/webhooks/endpoints"),
                               "{\"url\":\"" + url + "\",\"allowLocal\":true}");
        QCOMPARE(made.status, 201);
        const QString id = made.object().value(QStringLiteral("id")).toString();
        api("POST", QStringLiteral("/api/webhooks/endpoints/%1/test").arg(id));
        const auto lastError = [&] {
            const auto d = deliveries(id);
            return d.isEmpty() ? QString() : d.at(0).toObject().value(QStringLiteral("lastError")).toString();
        };
        QTRY_VERIFY_WITH_TIMEOUT(!lastError().isEmpty(), kWaitMs);
        QVERIFY2(lastError().contains(QStringLiteral("TLS handshake failed")), qPrintable(lastError()));
        QVERIFY(!QFile::exists(got));

        // A coved that trusts this certificate (OpenSSL's SSL_CERT_FILE) delivers over it.
        CovedProcess trusting;
        trusting.setEnv(QStringLiteral("SSL_CERT_FILE"), cert);
        QVERIFY2(trusting.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(trusting.error()));
        const QString base = trusting.apiUrl();
        const Reply second =
            request("POST", base + QStringLiteral("/webhooks/endpoints"), trusting.adminKey(),
                    "{\"url\":\"" + url + "\",\"allowLocal\":true}", {{"Content-Type", "application/json"}});
        QCOMPARE(second.status, 201);
        const Reply sent = request("POST",
                                   base + QStringLiteral("/webhooks/endpoints/%1/test")
                                              .arg(second.object().value(QStringLiteral("id")).toString()),
                                   trusting.adminKey());
        QCOMPARE(sent.status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(got), kWaitMs);
        QFile f(got);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().trimmed(), sent.object().value(QStringLiteral("id")).toString().toLatin1());
        tls.kill();
        tls.waitForFinished();
    }

    void aPendingDeliverySurvivesSigkill() {
        const auto [id, secret] = addEndpoint();
        receiver.answer({200, {}, true}); // the first attempt hangs: coved is killed during it
        const Reply sent =
            api("POST", QStringLiteral("/api/admin/webhooks/organizations/personal/send"),
                R"({"eventType":"snapshot.removed","payload":{"id":"kill"},"eventId":"evt-kill"})");
        QCOMPARE(sent.status, 200);
        const QString messageId = sent.object().value(QStringLiteral("id")).toString();
        QTRY_COMPARE_WITH_TIMEOUT(receiver.requests.size(), 1, kWaitMs);
        coved.kill();
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        // The claim of the killed attempt lapses (timeout + margin) and the delivery goes out again.
        QTRY_COMPARE_WITH_TIMEOUT(deliveryStatus(id), QStringLiteral("succeeded"), kWaitMs);
        QCOMPARE(receiver.requests.size(), 2);
        QCOMPARE(receiver.requests[1].headers.value("webhook-id"), messageId.toLatin1());
        QVERIFY(WebhookReceiver::verify(receiver.requests[1], secret));
        // The same eventId again is the same message, not a second one.
        const Reply again =
            api("POST", QStringLiteral("/api/admin/webhooks/organizations/personal/send"),
                R"({"eventType":"snapshot.removed","payload":{"id":"kill"},"eventId":"evt-kill"})");
        QCOMPARE(again.object().value(QStringLiteral("id")).toString(), messageId);
    }
};

QTEST_GUILESS_MAIN(TestWebhooks)
#include "tst_webhooks.moc"
