// Linked sandboxes under attack, on a real coved with real containers and iptables: a follower reaches
// its owner by name on their link network and nothing else (not other sandboxes, not the host, not
// another follower); a sandbox that is not linked reaches the owner's link address neither; another
// organization cannot link to the owner; the rules come back after someone flushes them, and the link
// network goes with the last follower.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Intruder.h"
#include "support/NetProbe.h"
#include "support/Sandboxes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QtTest>

using namespace cove::test;

namespace {

constexpr int kPort = 3000;

// A create's body: a sandbox that follows `target`, ephemeral unless told.
QByteArray followerOf(const QString& target, bool ephemeral = true) {
    QJsonObject body{{QStringLiteral("linkedSandbox"), target}};
    if (ephemeral)
        body.insert(QStringLiteral("autoDeleteInterval"), 0);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace

class TestSecLinks : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};
    QTcpServer hostListener;
    QString owner, follower, other, stranger;
    const QString ownerName = QStringLiteral("link-owner");

    QString probe(const QString& id, const QString& host, int port = kPort) {
        return QString::fromUtf8(
                   sb.exec(id, QStringLiteral("python3 /tmp/probe.py %1 %2").arg(host).arg(port)).out)
            .trimmed();
    }
    // A sandbox with the probe and server scripts in /tmp; empty on failure.
    QString sandbox(const QByteArray& body) {
        const QString id = sb.create(body);
        if (!id.isEmpty())
            sb.exec(id, probeSetup());
        return id;
    }
    QString linkNetwork() const {
        return QStringLiteral("cl") + coved.instance().left(5) +
               QString(owner).remove(QLatin1Char('-')).left(8);
    }
    // The sandbox's address on a network, as the engine has it; empty when not attached.
    static QString addressOn(const QString& id, const QString& network) {
        return Sandboxes::container(id)
            .value(QStringLiteral("NetworkSettings"))
            .toObject()
            .value(QStringLiteral("Networks"))
            .toObject()
            .value(network)
            .toObject()
            .value(QStringLiteral("IPAddress"))
            .toString();
    }
    QString linkRules() const {
        return sh(QStringLiteral("iptables-save -t filter | grep -c '^-A %1-LINK ' || true")
                      .arg(coved.chainPrefix()));
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        owner = sandbox(QByteArray(R"({"name":")") + ownerName.toUtf8() + "\"}");
        QVERIFY(!owner.isEmpty());
        follower = sandbox(followerOf(ownerName));
        QVERIFY(!follower.isEmpty());
        other = sandbox("{}");
        QVERIFY(!other.isEmpty());
        for (const QString& id : {owner, follower, other})
            QCOMPARE(
                sb.exec(id, QStringLiteral("setsid python3 /tmp/server.py %1 >/dev/null 2>&1 & echo started")
                                .arg(kPort))
                    .out.trimmed(),
                QByteArray("started"));
        QVERIFY(hostListener.listen(QHostAddress::AnyIPv4));
    }

    void cleanupTestCase() { sb.removeAll(); }

    void theFollowerReachesItsOwnerByName() {
        QTRY_COMPARE_WITH_TIMEOUT(probe(follower, ownerName), QStringLiteral("OK hello"), 5000);
        const QJsonObject f = sb.get(follower), o = sb.get(owner);
        QCOMPARE(f.value(QStringLiteral("linkedSandboxId")).toString(), owner);
        QCOMPARE(o.value(QStringLiteral("linkedFollowers")).toArray(), QJsonArray{follower});
        QVERIFY(!o.contains(QStringLiteral("linkedSandboxId")));
        // The owner reaches its follower back, by the follower's name.
        QCOMPARE(probe(owner, f.value(QStringLiteral("name")).toString()), QStringLiteral("OK hello"));
    }

    void noOneElseReachesTheOwnerOnTheLink() {
        const QString ownerLink = addressOn(owner, linkNetwork());
        QVERIFY2(!ownerLink.isEmpty(), qPrintable(linkNetwork()));
        // Neither by name (the name is known on the link network only) nor by the link address.
        QVERIFY(sb.exec(other, QStringLiteral("getent hosts %1").arg(ownerName)).exitCode != 0);
        QVERIFY2(probe(other, ownerLink).startsWith(QStringLiteral("ERR")), qPrintable(ownerLink));
        // Nothing but its members is on the link network.
        const QString members =
            sh(QStringLiteral("docker network inspect -f '{{len .Containers}} {{.Internal}}' %1")
                   .arg(linkNetwork()));
        QCOMPARE(members, QStringLiteral("2 true"));
    }

    void theFollowerReachesNothingElse() {
        // Other sandboxes, the owner's address on the bridge, and the host (both gateways and its own
        // address).
        const QString ownerMain = addressOn(owner, coved.networkName());
        const QString otherMain = addressOn(other, coved.networkName());
        QVERIFY(!ownerMain.isEmpty() && !otherMain.isEmpty());
        QVERIFY(probe(follower, otherMain).startsWith(QStringLiteral("ERR")));
        QVERIFY(probe(follower, ownerMain).startsWith(QStringLiteral("ERR")));
        const QString linkGateway =
            sh(QStringLiteral("docker network inspect -f '{{(index .IPAM.Config 0).Gateway}}' %1")
                   .arg(linkNetwork()));
        const QString mainGateway =
            sh(QStringLiteral("docker network inspect -f '{{(index .IPAM.Config 0).Gateway}}' %1")
                   .arg(coved.networkName()));
        for (const QString& address : {linkGateway, mainGateway}) {
            QVERIFY(!address.isEmpty());
            QCOMPARE(probe(follower, address, hostListener.serverPort()),
                     QStringLiteral("ERR ConnectionRefusedError"));
        }
        // A second follower is on the same link network, and the first cannot reach it there.
        const QString second = sandbox(followerOf(owner));
        QVERIFY(!second.isEmpty());
        QCOMPARE(
            sb.exec(second, QStringLiteral("setsid python3 /tmp/server.py %1 >/dev/null 2>&1 & echo started")
                                .arg(kPort))
                .out.trimmed(),
            QByteArray("started"));
        QTRY_COMPARE_WITH_TIMEOUT(probe(second, ownerName), QStringLiteral("OK hello"), 5000);
        const QString secondLink = addressOn(second, linkNetwork());
        QVERIFY(!secondLink.isEmpty());
        QVERIFY2(probe(follower, secondLink).startsWith(QStringLiteral("ERR")), qPrintable(secondLink));
        QCOMPARE(sb.destroy(second).status, 200);
        QCOMPARE(sb.get(owner).value(QStringLiteral("linkedFollowers")).toArray(), QJsonArray{follower});
    }

    void anotherOrganizationCannotLink() {
        const QString key = addIntruder(coved);
        for (const QString& target : {owner, ownerName}) {
            const Reply r =
                request("POST", coved.apiUrl() + QStringLiteral("/sandbox"), key, followerOf(target));
            QCOMPARE(r.status, 404);
            QVERIFY(r.body.contains("linkedSandbox"));
        }
        // Nor do bad links leave anything behind.
        const int before =
            sb.call("GET", QStringLiteral("/api/sandbox")).object().value(QStringLiteral("total")).toInt();
        QCOMPARE(sb.call("POST", QStringLiteral("/api/sandbox"),
                         followerOf(QStringLiteral("nothing-by-this-name")))
                     .status,
                 404);
        QCOMPARE(sb.call("POST", QStringLiteral("/api/sandbox"), followerOf(owner, false)).status, 400);
        QCOMPARE(sb.call("POST", QStringLiteral("/api/sandbox"), followerOf(follower)).status, 400);
        QCOMPARE(
            sb.call("GET", QStringLiteral("/api/sandbox")).object().value(QStringLiteral("total")).toInt(),
            before);
    }

    // Someone flushes the link chain: coved's periodic check puts it back; a restart keeps the links.
    void rulesComeBackAndSurviveARestart() {
        const QString rules = linkRules();
        QVERIFY(rules.toInt() >= 4);
        sh(QStringLiteral("iptables -w -F %1-LINK").arg(coved.chainPrefix()));
        QTRY_COMPARE_WITH_TIMEOUT(linkRules(), rules, 15000);
        QCOMPARE(probe(follower, ownerName), QStringLiteral("OK hello"));
        coved.stop();
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        QCOMPARE(linkRules(), rules);
        QCOMPARE(probe(follower, ownerName), QStringLiteral("OK hello"));
    }

    void theLinkNetworkGoesWithTheLastFollower() {
        QCOMPARE(sb.destroy(follower).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(run(QStringLiteral("docker"),
                                     {QStringLiteral("network"), QStringLiteral("inspect"), linkNetwork()})
                                         .exitCode != 0,
                                 10000);
        QCOMPARE(linkRules(), QStringLiteral("3")); // established, and the two refusals
        QVERIFY(addressOn(owner, linkNetwork()).isEmpty());
        QCOMPARE(sb.get(owner).value(QStringLiteral("linkedFollowers")).toArray(), QJsonArray{});
        QCOMPARE(sb.exec(owner, QStringLiteral("echo alive")).out.trimmed(), QByteArray("alive"));
    }
};

QTEST_GUILESS_MAIN(TestSecLinks)
#include "tst_sec_links.moc"
