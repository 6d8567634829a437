// Domain rules with real traffic: sandboxes on a real coved reach hosts of a test DNS zone (TestZone.h) by
// name over HTTP and TLS, through Cove's resolver and egress proxy, and nothing else — however they resolve
// and whatever name they claim.
#include "support/CovedProcess.h"
#include "support/Sandboxes.h"
#include "support/TestZone.h"

#include <QJsonArray>
#include <QtTest>

using namespace cove::test;

class TestEgress : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};
    TestZone zone;
    QString listed; // a.test, *.wild.test and the rebinding names, used across cases

    Reply call(const QByteArray& method, const QString& path, const QByteArray& body = {}) {
        return sb.call(method, path, body);
    }
    QString sandbox(const QByteArray& body) {
        const QString id = sb.create(body);
        if (!id.isEmpty())
            TestZone::install(sb, id);
        return id;
    }
    QString probe(const QString& id, const QString& protocol, const QString& name,
                  const QString& address = {}) {
        return TestZone::probe(sb, id, protocol, name, address);
    }
    QJsonObject settings(const QString& id, const QByteArray& body, int expect = 200) {
        const auto r =
            call("POST", QStringLiteral("/api/sandbox/") + id + QStringLiteral("/network-settings"), body);
        if (r.status != expect)
            qWarning() << r.status << r.body;
        return r.status == expect ? r.object() : QJsonObject();
    }
    void setTier(int tier) {
        QCOMPARE(call("PUT", QStringLiteral("/api/organizations/personal/tier"),
                      QByteArray(R"({"tier":)") + QByteArray::number(tier) + "}")
                     .status,
                 200);
    }
    QString gateway() const {
        const auto r = run(QStringLiteral("docker"),
                           {QStringLiteral("network"), QStringLiteral("inspect"), QStringLiteral("-f"),
                            QStringLiteral("{{(index .IPAM.Config 0).Gateway}}"), coved.networkName()});
        return QString::fromUtf8(r.out).trimmed();
    }
    static QString ok(const char* protocol, const char* address, const char* name) {
        return QStringLiteral("OK %1 %2 %3")
            .arg(QLatin1String(protocol), QLatin1String(address), QLatin1String(name));
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start(QStringList{QStringLiteral("--warm-pool"), QStringLiteral("0")} +
                             TestZone::covedArgs()),
                 qPrintable(coved.error()));
        setTier(4);
        QVERIFY2(zone.start(gateway()), qPrintable(zone.error()));
        listed = sandbox(R"({"domainAllowList":"a.test,*.wild.test,rebind.test,gw.test"})");
        QVERIFY(!listed.isEmpty());
    }
    void cleanupTestCase() {
        sb.removeAll();
        zone.stop();
    }

    void listedNamesAreReachedOverHttpAndTls() {
        QCOMPARE(probe(listed, QStringLiteral("http"), QStringLiteral("a.test")),
                 ok("http", TestZone::kHostA, "a.test"));
        QCOMPARE(probe(listed, QStringLiteral("tls"), QStringLiteral("a.test")),
                 ok("tls", TestZone::kHostA, "a.test"));
        // Case and a trailing dot do not matter.
        QCOMPARE(probe(listed, QStringLiteral("http"), QStringLiteral("A.Test.")).left(7),
                 QStringLiteral("OK http"));
        const auto policy = sb.get(listed).value(QStringLiteral("networkPolicy")).toObject();
        QCOMPARE(policy.value(QStringLiteral("egress")).toString(), QStringLiteral("domains"));
        QCOMPARE(policy.value(QStringLiteral("proxied")).toBool(), true);
        QCOMPARE(policy.value(QStringLiteral("domains")).toArray().first().toString(),
                 QStringLiteral("a.test"));
        QCOMPARE(sb.get(listed).value(QStringLiteral("domainAllowList")).toString(),
                 QStringLiteral("a.test,*.wild.test,rebind.test,gw.test"));
    }

    void aWildcardCoversNamesUnderItOnly() {
        QCOMPARE(probe(listed, QStringLiteral("tls"), QStringLiteral("x.wild.test")),
                 ok("tls", TestZone::kHostWild, "x.wild.test"));
        QCOMPARE(probe(listed, QStringLiteral("http"), QStringLiteral("deep.er.wild.test")),
                 ok("http", TestZone::kHostWild, "deep.er.wild.test"));
        QCOMPARE(probe(listed, QStringLiteral("http"), QStringLiteral("wild.test")), QStringLiteral("NX"));
    }

    void anUnlistedNameIsNeitherResolvedNorReached() {
        QCOMPARE(probe(listed, QStringLiteral("http"), QStringLiteral("b.test")), QStringLiteral("NX"));
        QVERIFY(probe(listed, QStringLiteral("http"), QStringLiteral("b.test"), TestZone::kHostB)
                    .startsWith("ERR"));
        QVERIFY(probe(listed, QStringLiteral("tls"), QStringLiteral("b.test"), TestZone::kHostB)
                    .startsWith("ERR"));
        // An IP literal not on networkAllowList, as Host or with no server name.
        QVERIFY(probe(listed, QStringLiteral("http"), TestZone::kHostB, TestZone::kHostB).startsWith("ERR"));
        QVERIFY(coved.log().contains("egress refused: sandbox " + listed.toUtf8()));
    }

    void aListedNameCannotReachAnUnlistedAddress() {
        // The sandbox claims a.test but connects to b.test's address: refused over HTTP and TLS.
        QVERIFY(probe(listed, QStringLiteral("http"), QStringLiteral("a.test"), TestZone::kHostB)
                    .startsWith("ERR"));
        QVERIFY(probe(listed, QStringLiteral("tls"), QStringLiteral("a.test"), TestZone::kHostB)
                    .startsWith("ERR"));
        QVERIFY(coved.log().contains("not one Cove's resolver gave the sandbox for that name"));
    }

    void dnsRebindingIsRefused() {
        QCOMPARE(probe(listed, QStringLiteral("http"), QStringLiteral("rebind.test")), QStringLiteral("NX"));
        QCOMPARE(probe(listed, QStringLiteral("http"), QStringLiteral("gw.test")), QStringLiteral("NX"));
        QVERIFY(coved.log().contains("DNS rebinding"));
    }

    void anotherResolverStillMeansCovesResolver() {
        // Root in the sandbox points resolv.conf at the zone's own server, which would answer b.test.
        sb.exec(listed, QStringLiteral(
                            "cp /etc/resolv.conf /tmp/resolv.conf && echo 'nameserver %1' > /etc/resolv.conf")
                            .arg(QLatin1String(TestZone::kResolver)));
        const QString unlisted = probe(listed, QStringLiteral("http"), QStringLiteral("b.test"));
        const QString allowed = probe(listed, QStringLiteral("http"), QStringLiteral("a.test"));
        sb.exec(listed, QStringLiteral("cat /tmp/resolv.conf > /etc/resolv.conf"));
        QCOMPARE(unlisted, QStringLiteral("NX"));
        QCOMPARE(allowed, ok("http", TestZone::kHostA, "a.test"));
    }

    void dnsOverTcpIsAnsweredToo() {
        // A query over TCP (what a client does with a truncated answer), to the zone's server: Cove's
        // resolver answers it, the listed name with its address and the unlisted one NXDOMAIN.
        const QByteArray ask =
            "import socket, struct, sys\n"
            "q = struct.pack('>HHHHHH', 42, 0x0100, 1, 0, 0, 0)\n"
            "for label in sys.argv[1].split('.'): q += bytes([len(label)]) + label.encode()\n"
            "q += b'\\0' + struct.pack('>HH', 1, 1)\n"
            "s = socket.create_connection(('10.251.0.2', 53), timeout=5)\n"
            "s.sendall(struct.pack('>H', len(q)) + q)\n"
            "a = s.recv(2)\n"
            "n = struct.unpack('>H', a)[0]\n"
            "m = b''\n"
            "while len(m) < n: m += s.recv(n - len(m))\n"
            "print(m[3] & 15, struct.unpack('>H', m[6:8])[0], socket.inet_ntoa(m[-4:]))\n";
        sb.exec(
            listed,
            QStringLiteral("echo %1 | base64 -d > /tmp/tcpdns.py").arg(QString::fromLatin1(ask.toBase64())));
        QCOMPARE(
            QString::fromUtf8(sb.exec(listed, QStringLiteral("python3 /tmp/tcpdns.py a.test")).out).trimmed(),
            QStringLiteral("0 1 10.251.0.2"));
        QVERIFY(QString::fromUtf8(sb.exec(listed, QStringLiteral("python3 /tmp/tcpdns.py b.test")).out)
                    .startsWith(QStringLiteral("3 0 ")));
    }

    void settingsApplyLiveAndCombine() {
        const QString id = sandbox(R"({"domainBlockList":"b.test"})");
        QVERIFY(!id.isEmpty());
        // Open with a block list: everything but the blocked name.
        QCOMPARE(sb.get(id)
                     .value(QStringLiteral("networkPolicy"))
                     .toObject()
                     .value(QStringLiteral("egress"))
                     .toString(),
                 QStringLiteral("open"));
        QCOMPARE(probe(id, QStringLiteral("http"), QStringLiteral("a.test")),
                 ok("http", TestZone::kHostA, "a.test"));
        QCOMPARE(probe(id, QStringLiteral("http"), QStringLiteral("b.test")), QStringLiteral("NX"));
        QVERIFY(
            probe(id, QStringLiteral("tls"), QStringLiteral("b.test"), TestZone::kHostB).startsWith("ERR"));
        // The union: a.test by name, b.test's address directly (any protocol, any name).
        const auto both = settings(
            id, R"({"domainBlockList":null,"domainAllowList":"a.test","networkAllowList":"10.251.0.3/32"})");
        QCOMPARE(both.value(QStringLiteral("networkEgress")).toString(), QStringLiteral("domains"));
        QCOMPARE(probe(id, QStringLiteral("http"), QStringLiteral("a.test")),
                 ok("http", TestZone::kHostA, "a.test"));
        QCOMPARE(probe(id, QStringLiteral("http"), QStringLiteral("anything"), TestZone::kHostB),
                 ok("http", TestZone::kHostB, "anything"));
        QVERIFY(probe(id, QStringLiteral("http"), QStringLiteral("x.wild.test"), TestZone::kHostWild)
                    .startsWith("ERR"));
        // The block list wins over the allow list.
        settings(id, R"({"domainBlockList":"a.test"})");
        QCOMPARE(probe(id, QStringLiteral("http"), QStringLiteral("a.test")), QStringLiteral("NX"));
        // Block-all wins over everything.
        settings(id, R"({"domainBlockList":null,"networkBlockAll":true})");
        QVERIFY(
            probe(id, QStringLiteral("http"), QStringLiteral("a.test"), TestZone::kHostA).startsWith("ERR"));
        QVERIFY(probe(id, QStringLiteral("http"), QStringLiteral("x"), TestZone::kHostB).startsWith("ERR"));
        settings(id, R"({"networkBlockAll":false,"networkAllowList":null})");
        QCOMPARE(probe(id, QStringLiteral("http"), QStringLiteral("a.test")),
                 ok("http", TestZone::kHostA, "a.test"));
    }

    void tiersAndStrictMode() {
        const QString id = sandbox(R"({"domainAllowList":"a.test"})");
        QVERIFY(!id.isEmpty());
        setTier(1);
        // Tiers 1-2: the essential services (by name now), not the sandbox's own list.
        auto policy = sb.get(id).value(QStringLiteral("networkPolicy")).toObject();
        QCOMPARE(policy.value(QStringLiteral("essentialServices")).toBool(), true);
        QCOMPARE(probe(id, QStringLiteral("http"), QStringLiteral("a.test")), QStringLiteral("NX"));
        // Strict: exactly its own list, no essential services.
        policy = settings(id, R"({"networkStrict":true})").value(QStringLiteral("networkPolicy")).toObject();
        QCOMPARE(policy.value(QStringLiteral("essentialServices")).toBool(), false);
        QCOMPARE(policy.value(QStringLiteral("strict")).toBool(), true);
        QCOMPARE(probe(id, QStringLiteral("http"), QStringLiteral("a.test")),
                 ok("http", TestZone::kHostA, "a.test"));
        setTier(4);
    }

    void removingANameCutsItsFlows() {
        const QString id = sandbox(R"({"domainAllowList":"a.test,b.test"})");
        QVERIFY(!id.isEmpty());
        // A long download from a.test, in the background; the files say when it began and ended.
        const QByteArray hold = "import socket\n"
                                "s = socket.create_connection((socket.gethostbyname('a.test'), 80))\n"
                                "s.sendall(b'GET /hold HTTP/1.0\\r\\nHost: a.test\\r\\n\\r\\n')\n"
                                "s.recv(100)\n"
                                "open('/tmp/began', 'w').write('1')\n"
                                "try:\n"
                                "    while s.recv(100): pass\n"
                                "except OSError: pass\n"
                                "open('/tmp/ended', 'w').write('1')\n";
        sb.exec(id, QStringLiteral(
                        "echo %1 | base64 -d > /tmp/hold.py; (nohup python3 /tmp/hold.py >/dev/null 2>&1 &)")
                        .arg(QString::fromLatin1(hold.toBase64())));
        QTRY_COMPARE_WITH_TIMEOUT(sb.exec(id, QStringLiteral("test -s /tmp/began")).exitCode, 0, 10000);
        QCOMPARE(sb.exec(id, QStringLiteral("test -e /tmp/ended")).exitCode, 1);
        settings(id, R"({"domainAllowList":"b.test"})");
        QTRY_COMPARE_WITH_TIMEOUT(sb.exec(id, QStringLiteral("test -s /tmp/ended")).exitCode, 0, 10000);
        QCOMPARE(probe(id, QStringLiteral("http"), QStringLiteral("b.test")),
                 ok("http", TestZone::kHostB, "b.test"));
    }

    void aLargeDownloadPassesWhole() {
        // 100 MiB through the proxy (a.test) and directly (b.test's address, on networkAllowList): the same
        // bytes arrive, and the proxy's cost is printed.
        const QString id = sandbox(R"({"domainAllowList":"a.test","networkAllowList":"10.251.0.3/32"})");
        QVERIFY(!id.isEmpty());
        const QByteArray fetch =
            "import socket, sys, time\n"
            "t = time.time()\n"
            "s = socket.create_connection((socket.gethostbyname(sys.argv[1]), 80))\n"
            "s.sendall(b'GET /big HTTP/1.0\\r\\nHost: ' + sys.argv[1].encode() + b'\\r\\n\\r\\n')\n"
            "n = 0\n"
            "while True:\n"
            "    b = s.recv(1 << 20)\n"
            "    if not b: break\n"
            "    n += len(b)\n"
            "print(n, int((time.time() - t) * 1000))\n";
        sb.exec(
            id,
            QStringLiteral("echo %1 | base64 -d > /tmp/fetch.py").arg(QString::fromLatin1(fetch.toBase64())));
        const auto proxied =
            QString::fromUtf8(sb.exec(id, QStringLiteral("python3 /tmp/fetch.py a.test")).out).split(' ');
        const auto direct =
            QString::fromUtf8(
                sb.exec(id, QStringLiteral("python3 /tmp/fetch.py %1").arg(QLatin1String(TestZone::kHostB)))
                    .out)
                .split(' ');
        QCOMPARE(proxied.size(), 2);
        QCOMPARE(direct.size(), 2);
        const qint64 whole = 19 + 1600LL * 65536; // the status line and the body
        QCOMPARE(proxied[0].toLongLong(), whole);
        QCOMPARE(direct[0].toLongLong(), whole);
        qInfo("100 MiB: %d ms through the egress proxy, %d ms directly", proxied[1].trimmed().toInt(),
              direct[1].trimmed().toInt());
    }

    void badListsAreRefused_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("eleven")
            << QByteArray(R"({"domainAllowList":"a.io,b.io,c.io,d.io,e.io,f.io,g.io,h.io,i.io,j.io,k.io"})")
            << QStringLiteral("at most 10");
        QTest::newRow("no tld") << QByteArray(R"({"domainAllowList":"localhost"})")
                                << QStringLiteral("not a domain name");
        QTest::newRow("inner star") << QByteArray(R"({"domainAllowList":"a.*.com"})")
                                    << QStringLiteral("not a domain name");
        QTest::newRow("ip") << QByteArray(R"({"domainBlockList":"10.0.0.1"})")
                            << QStringLiteral("not a domain name");
        QTest::newRow("strict type") << QByteArray(R"({"networkStrict":"yes"})")
                                     << QStringLiteral("true or false");
    }
    void badListsAreRefused() {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        const auto created = call("POST", QStringLiteral("/api/sandbox"), body);
        QCOMPARE(created.status, 400);
        QVERIFY2(created.message().contains(message), qPrintable(created.message()));
        const auto updated = call(
            "POST", QStringLiteral("/api/sandbox/") + listed + QStringLiteral("/network-settings"), body);
        QCOMPARE(updated.status, 400);
        QCOMPARE(sb.get(listed).value(QStringLiteral("domainAllowList")).toString(),
                 QStringLiteral("a.test,*.wild.test,rebind.test,gw.test"));
    }

    // Last: it restarts coved.
    void rulesSurviveARestartAndAreRepaired() {
        coved.stop();
        QVERIFY2(coved.start(QStringList{QStringLiteral("--warm-pool"), QStringLiteral("0")} +
                             TestZone::covedArgs()),
                 qPrintable(coved.error()));
        QCOMPARE(probe(listed, QStringLiteral("http"), QStringLiteral("b.test")), QStringLiteral("NX"));
        QCOMPARE(probe(listed, QStringLiteral("tls"), QStringLiteral("a.test")),
                 ok("tls", TestZone::kHostA, "a.test"));
        // Someone deletes the nat hook: the next check puts it back, and until then nothing by name leaks.
        const QString hook = QStringLiteral("iptables -w -t nat -C PREROUTING -i %1 -j %2-NAT")
                                 .arg(coved.networkName(), coved.chainPrefix());
        run(QStringLiteral("sh"),
            {QStringLiteral("-c"), QString(hook).replace(QStringLiteral(" -C "), QStringLiteral(" -D "))});
        QCOMPARE(run(QStringLiteral("sh"), {QStringLiteral("-c"), hook}).exitCode, 1);
        QVERIFY(probe(listed, QStringLiteral("http"), QStringLiteral("b.test"), TestZone::kHostB)
                    .startsWith("ERR"));
        QTRY_COMPARE_WITH_TIMEOUT(run(QStringLiteral("sh"), {QStringLiteral("-c"), hook}).exitCode, 0, 30000);
        QCOMPARE(probe(listed, QStringLiteral("http"), QStringLiteral("a.test")),
                 ok("http", TestZone::kHostA, "a.test"));
    }
};

QTEST_GUILESS_MAIN(TestEgress)
#include "tst_egress.moc"
