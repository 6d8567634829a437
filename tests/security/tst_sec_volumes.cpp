// Attacks on volume mounts, on a real coved with real containers: a sandbox that shares a volume
// read-write swaps the folder another sandbox mounts as its subpath for a link to the host's root, in a
// tight loop, while that other sandbox starts over and over. The started sandbox must never see the host.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QtTest>

using namespace cove::test;

namespace {

// At most this many start/stop cycles, within at most this long: a slow machine (a loaded CI runner
// takes 1.5 s a cycle) runs fewer cycles rather than running into QtTest's 300 s function timeout.
constexpr int kCycles = 200;
constexpr qint64 kBudgetMs = 90000;
// Fewer starts than this and the race was not really run.
constexpr int kMinStarted = 20;

// Flips /v/p between a folder and a link to / every millisecond, so each start meets one or the other.
constexpr const char* kFlipper = R"(cat > /tmp/flip.py <<'PY'
import os, time
p = '/v/p'
os.rmdir(p)  # made by the victim's first start
while True:
    for make, remove in ((lambda: os.mkdir(p), lambda: os.rmdir(p)),
                         (lambda: os.symlink('/', p), lambda: os.unlink(p))):
        try:
            make()
            time.sleep(0.001)
            remove()
        except OSError:
            pass
PY
setsid python3 /tmp/flip.py </dev/null >/dev/null 2>&1 &
echo $! > /tmp/flip.pid)";

} // namespace

class TestSecVolumes : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};
    QString markerName; // a file at the host's / and nowhere else

private slots:
    void initTestCase() {
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        markerName =
            QStringLiteral("cove-sec-marker-%1").arg(QRandomGenerator::system()->generate64(), 0, 16);
        QFile marker(QStringLiteral("/") + markerName);
        QVERIFY2(marker.open(QIODevice::WriteOnly), "the test needs to write a marker file at the host's /");
        marker.write("host root\n");
    }

    void cleanupTestCase() {
        sb.removeAll();
        QFile::remove(QStringLiteral("/") + markerName);
    }

    void subpathSwappedForALinkToRootNeverMountsTheHost() {
        QCOMPARE(sb.call("POST", QStringLiteral("/api/volumes"), R"({"name":"race"})").status, 200);
        const QString victim = sb.create(
            R"({"name":"victim","volumes":[{"volumeId":"race","mountPath":"/data","subpath":"p"}]})");
        QVERIFY(!victim.isEmpty());
        const QString attacker =
            sb.create(R"({"name":"attacker","volumes":[{"volumeId":"race","mountPath":"/v"}]})");
        QVERIFY(!attacker.isEmpty());
        const QString probe = QStringLiteral("test -e /data/%1 && echo HOST-ROOT; true").arg(markerName);
        QCOMPARE(sb.exec(victim, probe).out, QByteArray()); // the check itself answers
        QCOMPARE(sb.call("POST", QStringLiteral("/api/sandbox/%1/stop?force=true").arg(victim)).status, 200);

        QCOMPARE(sb.exec(attacker, QString::fromLatin1(kFlipper)).exitCode, 0);
        QCOMPARE(sb.exec(attacker, QStringLiteral("kill -0 $(cat /tmp/flip.pid)")).exitCode, 0);

        int started = 0;
        QMap<int, int> refused; // HTTP status → count
        QElapsedTimer clock;
        clock.start();
        int cycles = 0;
        for (int i = 0; i < kCycles && clock.elapsed() < kBudgetMs; ++i) {
            ++cycles;
            // A refused start leaves the sandbox in error; recovering starts it again.
            const bool fromError = sb.state(victim) == QStringLiteral("error");
            const auto r = sb.call(
                "POST", QStringLiteral("/api/sandbox/%1/%2")
                            .arg(victim, fromError ? QStringLiteral("recover") : QStringLiteral("start")));
            if (r.status != 200) {
                if (!refused.contains(r.status))
                    qInfo().noquote() << "refused:" << r.status << r.message();
                ++refused[r.status];
                continue;
            }
            ++started;
            const auto seen = sb.exec(victim, probe);
            QVERIFY2(!seen.out.contains("HOST-ROOT"),
                     qPrintable(QStringLiteral("start %1 mounted the host's root at /data").arg(i + 1)));
            QCOMPARE(seen.exitCode, 0);
            QCOMPARE(sb.call("POST", QStringLiteral("/api/sandbox/%1/stop?force=true").arg(victim)).status,
                     200);
        }
        const qint64 ms = clock.elapsed();
        QCOMPARE(sb.exec(attacker, QStringLiteral("kill -0 $(cat /tmp/flip.pid)")).exitCode, 0);
        QStringList refusals;
        for (auto it = refused.cbegin(); it != refused.cend(); ++it)
            refusals << QStringLiteral("%1× HTTP %2").arg(it.value()).arg(it.key());
        qInfo().noquote() << QStringLiteral(
                                 "%1 start/stop cycles in %2 s (%3 ms each): %4 started; refused: %5")
                                 .arg(cycles)
                                 .arg(ms / 1000.0, 0, 'f', 1)
                                 .arg(ms / cycles)
                                 .arg(started)
                                 .arg(refusals.isEmpty() ? QStringLiteral("none") : refusals.join(u", "));
        // The race was run: a good share of the starts went through while the folder kept changing.
        QVERIFY2(started >= kMinStarted && started >= cycles / 10,
                 qPrintable(QStringLiteral("only %1 of %2 starts succeeded").arg(started).arg(cycles)));
    }
};

QTEST_GUILESS_MAIN(TestSecVolumes)
#include "tst_sec_volumes.moc"
