// Attacks through webhooks on a real coved. An API key holder points endpoints at what coved can reach and
// they cannot: coved's own API, the host's other ports and addresses, a sandbox, the cloud metadata
// address, loopback in every spelling (IPv6, decimal, octal, hex, a name that resolves to it) and a
// redirect to loopback. Nothing may arrive there. Another organization's admin key and a narrower key of
// the same organization reach none of the endpoints, secrets or deliveries; bad bodies get clear 400s.
#include "service/domain/Keys.h"
#include "service/store/KeyRepository.h"
#include "service/store/OrganizationRepository.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"
#include "support/WebhookReceiver.h"

#include "common/Random.h"
#include "common/Time.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QNetworkInterface>
#include <QtTest>

using namespace cove::test;

namespace {

constexpr int kWaitMs = 30000;

// An HTTP server inside the sandbox that notes every connection in /tmp/hits.
// The probe's own hit is noted by the server's thread: it is waited for before the slate is wiped, or
// it could land after and count twice.
constexpr const char* kSandboxServer = R"sh(cat > /tmp/srv.py <<'PY'
import socketserver
class H(socketserver.BaseRequestHandler):
    def handle(self):
        open('/tmp/hits', 'a').write('hit\n')
        self.request.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok')
socketserver.TCPServer.allow_reuse_address = True
socketserver.ThreadingTCPServer(('0.0.0.0', 8000), H).serve_forever()
PY
setsid python3 /tmp/srv.py </dev/null >/dev/null 2>&1 &
for i in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', 8000)).close()" 2>/dev/null && break; sleep 0.1; done
for i in $(seq 50); do [ -s /tmp/hits ] && break; sleep 0.1; done
rm -f /tmp/hits)sh";

} // namespace

class TestSecWebhooks : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};
    WebhookReceiver receiver; // on every address of the host
    QElapsedTimer total;
    QString intruderKey; // admin key of another organization
    QString narrowKey;   // this organization, write:sandboxes only

    Reply api(const QByteArray& method, const QString& path, const QByteArray& body = {},
              const QString& key = {}) {
        return request(method, coved.apiUrl() + path.mid(4), key.isEmpty() ? coved.adminKey() : key, body,
                       {{"Content-Type", "application/json"}});
    }
    QString addEndpoint(const QString& url, bool allowLocal = false) {
        const QJsonObject body{{QStringLiteral("url"), url}, {QStringLiteral("allowLocal"), allowLocal}};
        const Reply r = api("POST", QStringLiteral("/api/webhooks/endpoints"), QJsonDocument(body).toJson());
        if (r.status != 201)
            qWarning() << url << r.status << r.body;
        return r.object().value(QStringLiteral("id")).toString();
    }
    // The first attempt's error of the endpoint's only delivery, once there is one.
    QString firstError(const QString& endpointId) {
        const auto d =
            api("GET", QStringLiteral("/api/webhooks/deliveries?endpointId=") + endpointId).json().array();
        if (d.isEmpty())
            return {};
        const auto log = d.at(0).toObject().value(QStringLiteral("attemptLog")).toArray();
        return log.isEmpty() ? QString() : log.at(0).toObject().value(QStringLiteral("error")).toString();
    }
    void testSend(const QString& endpointId) {
        QCOMPARE(api("POST", QStringLiteral("/api/webhooks/endpoints/%1/test").arg(endpointId)).status, 200);
    }

private slots:
    void initTestCase() {
        total.start();
        QVERIFY(receiver.listen(QHostAddress::Any));
        // The first attempt is what the address tests look at; one quick retry covers a first delivery
        // that coved, still busy starting, could not make in time.
        coved.setEnv(QStringLiteral("COVE_WEBHOOK_TEST_SCHEDULE_MS"), QStringLiteral("0,200"));
        coved.setEnv(QStringLiteral("COVE_WEBHOOK_TEST_TIMEOUT_MS"), QStringLiteral("2000"));
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));

        // Another organization with its own admin key, written to the store as an installation with
        // several organizations would have it.
        auto db = cove::store::open(coved.database().toStdString());
        const auto now = cove::toMillis(cove::SystemClock().now());
        QVERIFY(cove::store::OrganizationRepository(*db).ensure("intruder", "Intruder", now));
        const std::string secret = cove::domain::Keys::generateSecret();
        cove::store::ApiKeyRecord k;
        k.id = cove::uuidV4();
        k.organizationId = "intruder";
        k.name = "intruder-admin";
        k.keyHash = cove::domain::Keys::hash(secret);
        k.keyPrefix = secret.substr(0, 8);
        k.keySuffix = secret.substr(secret.size() - 4);
        k.scopes = R"(["*"])";
        k.createdAt = now;
        QVERIFY(cove::store::KeyRepository(*db).insert(k));
        intruderKey = QString::fromStdString(secret);
        QCOMPARE(api("GET", QStringLiteral("/api/api-keys/current"), {}, intruderKey).status, 200);
        const Reply narrow = api("POST", QStringLiteral("/api/api-keys"),
                                 R"({"name":"narrow","permissions":["write:sandboxes","read:audit_logs"]})");
        QCOMPARE(narrow.status, 201);
        narrowKey = narrow.object().value(QStringLiteral("value")).toString();
    }
    void cleanup() {
        for (const auto& e : api("GET", QStringLiteral("/api/webhooks/endpoints")).json().array())
            api("DELETE", QStringLiteral("/api/webhooks/endpoints/") +
                              e.toObject().value(QStringLiteral("id")).toString());
    }
    void cleanupTestCase() {
        sb.removeAll();
        qInfo("tst_sec_webhooks ran in %.1f s", total.elapsed() / 1000.0);
    }

    void loopbackInEverySpellingIsRefused() {
        const QString port = QString::number(receiver.port());
        const QString covedPort = coved.url().section(u':', -1);
        const QStringList urls{
            QStringLiteral("https://127.0.0.1:%1/").arg(covedPort), // coved's own API
            QStringLiteral("https://127.0.0.1:%1/").arg(port),
            QStringLiteral("https://127.1.2.3:%1/").arg(port),
            QStringLiteral("https://[::1]:%1/").arg(port),
            QStringLiteral("https://[::ffff:127.0.0.1]:%1/").arg(port),
            QStringLiteral("https://2130706433:%1/").arg(port), // decimal
            QStringLiteral("https://0177.0.0.1:%1/").arg(port), // octal
            QStringLiteral("https://0x7f.0.0.1:%1/").arg(port), // hex
            QStringLiteral("https://localhost:%1/").arg(port),  // a name that resolves to loopback
            QStringLiteral("https://0.0.0.0:%1/").arg(port),
            QStringLiteral("https://169.254.169.254/latest/meta-data/"),
        };
        QStringList ids;
        for (const auto& url : urls) {
            const QString id = addEndpoint(url);
            QVERIFY2(!id.isEmpty(), qPrintable(url));
            testSend(id);
            ids << id;
        }
        for (int i = 0; i < ids.size(); ++i) {
            QTRY_VERIFY_WITH_TIMEOUT(!firstError(ids[i]).isEmpty(), kWaitMs);
            QVERIFY2(firstError(ids[i]).startsWith(QStringLiteral("Refused")),
                     qPrintable(urls[i] + QStringLiteral(": ") + firstError(ids[i])));
        }
        QVERIFY(firstError(ids.last()).contains(QStringLiteral("link-local")));
        QCOMPARE(receiver.connections, 0);
        // coved's own API saw no request from its webhooks: its audit log names no webhook user agent.
        QVERIFY(!api("GET", QStringLiteral("/api/audit?format=json")).body.contains("Cove-Webhooks"));
    }

    void theHostsOtherAddressesAreRefused() {
        // The host's own interfaces (not the bridges of containers, which the next test covers), and
        // Docker's default bridge.
        QStringList ids;
        for (const auto& i : QNetworkInterface::allInterfaces()) {
            const QString name = i.name();
            if (name.startsWith(QStringLiteral("cove-")) || name.startsWith(QStringLiteral("br-")) ||
                name.startsWith(QStringLiteral("veth")) || ids.size() >= 4)
                continue;
            for (const auto& e : i.addressEntries()) {
                const QHostAddress a = e.ip();
                if (a.isLoopback() || a.isLinkLocal() || a.protocol() != QAbstractSocket::IPv4Protocol)
                    continue;
                ids << addEndpoint(QStringLiteral("https://%1:%2/").arg(a.toString()).arg(receiver.port()));
                testSend(ids.last());
            }
        }
        QVERIFY2(!ids.isEmpty(), "the host has no address besides loopback");
        for (const auto& id : ids) {
            QTRY_VERIFY_WITH_TIMEOUT(!firstError(id).isEmpty(), kWaitMs);
            QVERIFY2(firstError(id).startsWith(QStringLiteral("Refused")), qPrintable(firstError(id)));
        }
        QCOMPARE(receiver.connections, 0);
    }

    void aSandboxReceivesNothingEvenWithAllowLocal() {
        const QString box = sb.create(R"({"name":"wh-target"})");
        QVERIFY(!box.isEmpty());
        QCOMPARE(sb.exec(box, QString::fromLatin1(kSandboxServer)).exitCode, 0);
        // The server works: a connection from inside is noted.
        QCOMPARE(
            sb.exec(
                  box,
                  QStringLiteral(
                      "python3 -c \"import socket; socket.create_connection(('127.0.0.1', 8000)).close()\"; "
                      "for i in $(seq 50); do [ -s /tmp/hits ] && break; sleep 0.1; done; cat /tmp/hits; rm "
                      "-f /tmp/hits"))
                .out.trimmed(),
            QByteArray("hit"));
        QString ip;
        const auto networks = Sandboxes::container(box)
                                  .value(QStringLiteral("NetworkSettings"))
                                  .toObject()
                                  .value(QStringLiteral("Networks"))
                                  .toObject();
        for (const auto& n : networks)
            ip = n.toObject().value(QStringLiteral("IPAddress")).toString();
        QVERIFY(!ip.isEmpty());
        const QString plain = addEndpoint(QStringLiteral("http://%1:8000/").arg(ip), true);
        const QString tls = addEndpoint(QStringLiteral("https://%1:8000/").arg(ip));
        testSend(plain);
        testSend(tls);
        for (const auto& id : {plain, tls}) {
            QTRY_VERIFY_WITH_TIMEOUT(!firstError(id).isEmpty(), kWaitMs);
            QVERIFY2(firstError(id).startsWith(QStringLiteral("Refused")), qPrintable(firstError(id)));
        }
        QVERIFY2(firstError(plain).contains(QStringLiteral("containers")), qPrintable(firstError(plain)));
        QCOMPARE(sb.exec(box, QStringLiteral("cat /tmp/hits 2>/dev/null; true")).out, QByteArray());
    }

    void redirectsAreNotFollowed() {
        WebhookReceiver target;
        QVERIFY(target.listen());
        WebhookReceiver redirector;
        QVERIFY(redirector.listen());
        redirector.answer({302, "http://127.0.0.1:" + QByteArray::number(target.port()) + "/"});
        const QString id = addEndpoint(QStringLiteral("http://127.0.0.1:%1/").arg(redirector.port()), true);
        testSend(id);
        QTRY_VERIFY_WITH_TIMEOUT(!firstError(id).isEmpty(), kWaitMs);
        QVERIFY2(firstError(id).contains(QStringLiteral("redirect")), qPrintable(firstError(id)));
        QCOMPARE(redirector.requests.size(), 1);
        QCOMPARE(target.connections, 0);
    }

    void hostileAnswersAreBounded() {
        // 4 MiB of invalid UTF-8 and control bytes: the attempt keeps 1 KiB of it, the log still reads.
        WebhookReceiver hostile;
        QVERIFY(hostile.listen());
        QByteArray junk(4 << 20, '\xff');
        junk[0] = '\x00';
        junk[1] = '"';
        hostile.answer({200, {}, false, junk});
        const QString id = addEndpoint(QStringLiteral("http://127.0.0.1:%1/").arg(hostile.port()), true);
        testSend(id);
        const auto logOf = [&] {
            return api("GET", QStringLiteral("/api/webhooks/deliveries?endpointId=") + id);
        };
        QTRY_VERIFY_WITH_TIMEOUT(!logOf().json().array().isEmpty() &&
                                     !logOf()
                                          .json()
                                          .array()
                                          .at(0)
                                          .toObject()
                                          .value(QStringLiteral("attemptLog"))
                                          .toArray()
                                          .isEmpty(),
                                 kWaitMs);
        const Reply log = logOf();
        QCOMPARE(log.status, 200);
        const auto attempt = log.json()
                                 .array()
                                 .at(0)
                                 .toObject()
                                 .value(QStringLiteral("attemptLog"))
                                 .toArray()
                                 .at(0)
                                 .toObject();
        QCOMPARE(attempt.value(QStringLiteral("statusCode")).toInt(), 200);
        QVERIFY(attempt.value(QStringLiteral("response")).toString().size() <= 1024);
        QVERIFY(log.body.size() < 16 * 1024);
    }

    void anotherOrganizationSeesAndChangesNothing() {
        WebhookReceiver own;
        QVERIFY(own.listen());
        const QString id = addEndpoint(QStringLiteral("http://127.0.0.1:%1/").arg(own.port()), true);
        testSend(id);
        QTRY_VERIFY2_WITH_TIMEOUT(
            own.requests.size() == 1,
            api("GET", QStringLiteral("/api/webhooks/deliveries")).body.left(800).constData(), kWaitMs);
        const QString messageId = QString::fromLatin1(own.requests[0].headers.value("webhook-id"));
        const QString secret = api("POST", QStringLiteral("/api/webhooks/endpoints/%1/secret").arg(id))
                                   .object()
                                   .value(QStringLiteral("secret"))
                                   .toString();
        QVERIFY(!secret.isEmpty());

        for (const QString& key : {intruderKey, narrowKey}) {
            const bool sameOrg = key == narrowKey;
            const auto refused = [&](const Reply& r) { return sameOrg ? r.status == 403 : r.status == 404; };
            const Reply list = api("GET", QStringLiteral("/api/webhooks/endpoints"), {}, key);
            QVERIFY2(sameOrg ? list.status == 403 : list.json().array().isEmpty(), list.body.constData());
            QVERIFY(!list.body.contains(id.toLatin1()));
            const Reply deliveries = api("GET", QStringLiteral("/api/webhooks/deliveries"), {}, key);
            QVERIFY(!deliveries.body.contains(messageId.toLatin1()));
            QVERIFY(refused(api("GET", QStringLiteral("/api/webhooks/endpoints/") + id, {}, key)));
            QVERIFY(refused(api("PATCH", QStringLiteral("/api/webhooks/endpoints/") + id,
                                "{\"url\":\"http://127.0.0.1:1/\",\"allowLocal\":true}", key)));
            QVERIFY(
                refused(api("POST", QStringLiteral("/api/webhooks/endpoints/%1/secret").arg(id), {}, key)));
            QVERIFY(refused(
                api("POST", QStringLiteral("/api/webhooks/endpoints/%1/secret/rotate").arg(id), {}, key)));
            QVERIFY(refused(api("POST", QStringLiteral("/api/webhooks/endpoints/%1/test").arg(id), {}, key)));
            QVERIFY(refused(api("GET", QStringLiteral("/api/webhooks/messages/") + messageId, {}, key)));
            QVERIFY(refused(
                api("GET", QStringLiteral("/api/webhooks/messages/%1/attempts").arg(messageId), {}, key)));
            QVERIFY(
                refused(api("GET",
                            QStringLiteral("/api/admin/webhooks/organizations/personal/messages/%1/attempts")
                                .arg(messageId),
                            {}, key)));
            QVERIFY(refused(api("POST", QStringLiteral("/api/admin/webhooks/organizations/personal/send"),
                                R"({"eventType":"sandbox.created","payload":{}})", key)));
            QVERIFY(refused(api("GET",
                                QStringLiteral("/api/webhooks/organizations/personal/initialization-status"),
                                {}, key)));
            QVERIFY(refused(api("DELETE", QStringLiteral("/api/webhooks/endpoints/") + id, {}, key)));
        }
        // The endpoint is as it was: same URL, same secret, still delivering.
        const Reply after = api("GET", QStringLiteral("/api/webhooks/endpoints/") + id);
        QCOMPARE(after.status, 200);
        QCOMPARE(after.object().value(QStringLiteral("url")).toString(),
                 QStringLiteral("http://127.0.0.1:%1/").arg(own.port()));
        QCOMPARE(api("POST", QStringLiteral("/api/webhooks/endpoints/%1/secret").arg(id))
                     .object()
                     .value(QStringLiteral("secret"))
                     .toString(),
                 secret);
        QCOMPARE(own.requests.size(), 1);
        // The intruder's own events never reach this organization's endpoint.
        QCOMPARE(api("POST", QStringLiteral("/api/admin/webhooks/organizations/intruder/send"),
                     R"({"eventType":"sandbox.created","payload":{}})", intruderKey)
                     .status,
                 200);
        testSend(id);
        QTRY_COMPARE_WITH_TIMEOUT(own.requests.size(), 2, kWaitMs);
        QVERIFY(!own.requests[1].body.contains("intruder"));
    }

    void badBodiesGetClearErrors() {
        const auto post = [&](const QByteArray& body) {
            return api("POST", QStringLiteral("/api/webhooks/endpoints"), body);
        };
        QCOMPARE(post("{nope").status, 400);
        QVERIFY(post("{nope").message().startsWith(QStringLiteral("The request body is not valid JSON")));
        QCOMPARE(post("[]").status, 400);
        QCOMPARE(post(R"({"url":7})").status, 400);
        QCOMPARE(post("{\"url\":\"https://example.com/\",\"colour\":\"red\"}").message(),
                 QStringLiteral(
                     "Unknown field 'colour'; an endpoint has url, description, eventTypes, enabled and "
                     "allowLocal."));
        QCOMPARE(post("{\"url\":\"https://example.com/" + QByteArray(5000, 'a') + "\"}").status, 400);
        QCOMPARE(post("{\"url\":\"https://example.com/\",\"description\":\"" + QByteArray(2000, 'd') + "\"}")
                     .status,
                 400);
        QCOMPARE(post("{\"url\":\"https://exa mple.com/\"}").status, 400);
        QCOMPARE(post("{\"url\":\"https://[::1/\"}").status, 400);
        QCOMPARE(post("{\"url\":\"https://example.com:99999/\"}").status, 400);
        QCOMPARE(post("{\"url\":\"https://example.com/\",\"enabled\":\"yes\"}").status, 400);
        const auto send = [&](const QByteArray& body) {
            return api("POST", QStringLiteral("/api/admin/webhooks/organizations/personal/send"), body);
        };
        QCOMPARE(send(R"({"eventType":"sandbox.exploded","payload":{}})").status, 400);
        QCOMPARE(send(R"({"eventType":"sandbox.created","payload":[]})").status, 400);
        QCOMPARE(send(R"({"eventType":"sandbox.created","payload":{},"eventId":"../../x"})").status, 400);
        const Reply big = send("{\"eventType\":\"sandbox.created\",\"payload\":{\"x\":\"" +
                               QByteArray(300 * 1024, 'x') + "\"}}");
        QCOMPARE(big.status, 400);
        QVERIFY2(big.message().contains(QStringLiteral("KiB")), qPrintable(big.message()));
        QCOMPARE(api("GET", QStringLiteral("/api/webhooks/deliveries?status=lost")).status, 400);
        QCOMPARE(api("GET", QStringLiteral("/api/webhooks/deliveries?limit=100000")).status, 400);
        // coved is still there.
        QCOMPARE(api("GET", QStringLiteral("/api/webhooks/endpoints")).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestSecWebhooks)
#include "tst_sec_webhooks.moc"
