// Attacks on the sandboxes' resolver and egress proxy from inside real sandboxes: floods of malformed,
// oversized and looping DNS messages, connections that never send a head, and a sandbox using addresses
// Cove's resolver gave another. None may crash coved, starve another sandbox, or let anything through.
#include "support/CovedProcess.h"
#include "support/Sandboxes.h"
#include "support/TestZone.h"

#include <QtTest>

using namespace cove::test;

namespace {

// Sends every kind of bad DNS at the zone's resolver (which the sandbox's rules redirect to Cove's):
// garbage, oversize, a name whose compression pointer points at itself, a query with 65535 questions,
// and DNS over TCP announcing 65535 bytes and sending two.
const char* kFlood = R"py(import os, socket, struct
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
loop = struct.pack(">HHHHHH", 7, 0x0100, 1, 0, 0, 0) + b"\xc0\x0c" + struct.pack(">HH", 1, 1)
many = struct.pack(">HHHHHH", 8, 0x0100, 0xffff, 0, 0, 0) + b"\x01a\x04test\x00" + struct.pack(">HH", 1, 1)
deep = struct.pack(">HHHHHH", 9, 0x0100, 1, 0, 0, 0) + b"\x3f" + b"a" * 63 + b"\xc0\x0c" + struct.pack(">HH", 1, 1)
for i in range(3000):
    for m in (os.urandom(i % 600), b"\x00" * 4000, loop, many, deep):
        try: u.sendto(m, ("10.251.0.2", 53))
        except OSError: pass
streams = []
for i in range(20):
    try:
        t = socket.create_connection(("10.251.0.2", 53), timeout=2)
        t.sendall(b"\xff\xff\x00\x01")
        streams.append(t)
    except OSError: pass
print("sent")
)py";

} // namespace

class TestSecEgress : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};
    TestZone zone;
    QString attacker, victim;

    QString probe(const QString& id, const QString& name, const QString& address = {}) {
        return TestZone::probe(sb, id, QStringLiteral("http"), name, address);
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start(QStringList{QStringLiteral("--warm-pool"), QStringLiteral("0")} +
                             TestZone::covedArgs()),
                 qPrintable(coved.error()));
        // Tiers 1-2 would keep the sandboxes to the essential services.
        QCOMPARE(sb.call("PUT", QStringLiteral("/api/organizations/personal/tier"), R"({"tier":4})").status,
                 200);
        const auto r = run(QStringLiteral("docker"),
                           {QStringLiteral("network"), QStringLiteral("inspect"), QStringLiteral("-f"),
                            QStringLiteral("{{(index .IPAM.Config 0).Gateway}}"), coved.networkName()});
        QVERIFY2(zone.start(QString::fromUtf8(r.out).trimmed()), qPrintable(zone.error()));
        attacker = sb.create(R"({"domainAllowList":"a.test"})");
        victim = sb.create(R"({"domainAllowList":"a.test"})");
        QVERIFY(!attacker.isEmpty() && !victim.isEmpty());
        TestZone::install(sb, attacker);
        TestZone::install(sb, victim);
    }
    void cleanupTestCase() {
        sb.removeAll();
        zone.stop();
    }

    void oneSandboxCannotUseAnothersAnswers() {
        // The victim was never answered a.test: the address alone, with the right name, is refused...
        QVERIFY(probe(victim, QStringLiteral("a.test"), TestZone::kHostA).startsWith(QStringLiteral("ERR")));
        // ...though the attacker was.
        QVERIFY(probe(attacker, QStringLiteral("a.test")).startsWith(QStringLiteral("OK")));
        QVERIFY(probe(victim, QStringLiteral("a.test"), TestZone::kHostA).startsWith(QStringLiteral("ERR")));
        QVERIFY(probe(victim, QStringLiteral("a.test")).startsWith(QStringLiteral("OK")));
    }

    void aDnsFloodHarmsNoOne() {
        const auto sent = sb.exec(attacker, QStringLiteral("echo %1 | base64 -d | python3")
                                                .arg(QString::fromLatin1(QByteArray(kFlood).toBase64())));
        QVERIFY2(sent.out.contains("sent"), sent.out + sent.err);
        // coved lives, and the other sandbox still resolves and connects.
        QCOMPARE(sb.call("GET", QStringLiteral("/api/health")).status, 200);
        QVERIFY(probe(victim, QStringLiteral("a.test")).startsWith(QStringLiteral("OK")));
        QVERIFY(probe(attacker, QStringLiteral("a.test")).startsWith(QStringLiteral("OK")));
    }

    void connectionsThatNeverSpeakAreBounded() {
        // More connections than a sandbox may hold, none sending a byte: each is closed at the head time
        // limit, the ones past the limit at once, and the other sandbox is served meanwhile.
        const QByteArray slow =
            "import socket, time\n"
            "conns = [socket.create_connection(('10.251.0.2', 80), timeout=20) for _ in range(300)]\n"
            "t = time.time()\n"
            "closed = 0\n"
            "for c in conns:\n"
            "    try:\n"
            "        closed += c.recv(1) == b''\n"
            "    except OSError:\n"
            "        closed += 1\n"
            "print('closed', closed, 'in', int(time.time() - t))\n";
        sb.exec(attacker,
                QStringLiteral(
                    "echo %1 | base64 -d > /tmp/slow.py; (nohup python3 /tmp/slow.py > /tmp/slow.out 2>&1 &)")
                    .arg(QString::fromLatin1(slow.toBase64())));
        QVERIFY(probe(victim, QStringLiteral("a.test")).startsWith(QStringLiteral("OK")));
        QTRY_VERIFY_WITH_TIMEOUT(
            sb.exec(attacker, QStringLiteral("cat /tmp/slow.out")).out.startsWith("closed"), 20000);
        const QByteArray out = sb.exec(attacker, QStringLiteral("cat /tmp/slow.out")).out;
        QVERIFY2(out.startsWith("closed 300 in "), out);
        QVERIFY2(out.trimmed().split(' ').last().toInt() <= 7, out);
        QVERIFY(coved.log().contains("too many connections at once"));
    }
};

QTEST_GUILESS_MAIN(TestSecEgress)
#include "tst_sec_egress.moc"
