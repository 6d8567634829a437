// Network policy with real traffic: sandboxes on a real coved try to reach a test host living in a
// network namespace (two addresses, an HTTP server on each), each other, and the host's own ports.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/NetProbe.h"
#include "support/Sandboxes.h"

#include <QJsonArray>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using namespace cove::test;

namespace {

// The test host: a namespace behind a veth pair, answering on two addresses.
const QString kNamespace = QStringLiteral("covetest");
const QString kHostA = QStringLiteral("10.250.0.2");
const QString kHostB = QStringLiteral("10.250.0.3");
constexpr int kServerPort = 8080;

} // namespace

class TestNetwork : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};
    QProcess server;
    QTcpServer hostListener;

    Reply call(const QByteArray& method, const QString& path, const QByteArray& body = {}) {
        return sb.call(method, path, body);
    }
    QString exec(const QString& id, const QString& command) {
        const QJsonObject body{{QStringLiteral("command"), command}};
        const auto r = call("POST", QStringLiteral("/toolbox/") + id + QStringLiteral("/process/execute"),
                            QJsonDocument(body).toJson());
        return r.object().value(QStringLiteral("result")).toString().trimmed();
    }
    // A sandbox with the probe and server scripts in /tmp; empty on failure.
    QString sandbox(const QByteArray& body) {
        const QString id = sb.create(body);
        if (id.isEmpty())
            return id;
        exec(id, QStringLiteral("sh -c '%1'").arg(probeSetup()));
        return id;
    }
    QString probe(const QString& id, const QString& host, int port = kServerPort) {
        return exec(id, QStringLiteral("python3 /tmp/probe.py %1 %2").arg(host).arg(port));
    }
    QString ipOf(const QString& id) {
        return Sandboxes::container(id)
            .value(QStringLiteral("NetworkSettings"))
            .toObject()
            .value(QStringLiteral("Networks"))
            .toObject()
            .value(coved.networkName())
            .toObject()
            .value(QStringLiteral("IPAddress"))
            .toString();
    }
    QString gateway() {
        const auto r = run(QStringLiteral("docker"),
                           {QStringLiteral("network"), QStringLiteral("inspect"), QStringLiteral("-f"),
                            QStringLiteral("{{(index .IPAM.Config 0).Gateway}}"), coved.networkName()});
        return QString::fromUtf8(r.out).trimmed();
    }
    QString chainsOf(const QString& id) {
        const QString chain =
            coved.chainPrefix() + QLatin1Char('-') + QString(id).remove(QLatin1Char('-')).left(12);
        return sh(QStringLiteral("iptables-save -t filter | grep -c '^:%1 ' || true").arg(chain));
    }
    // An open sandbox and a block-all one, for the tests that take the rules away.
    std::pair<QString, QString> openAndBlocked() {
        return {sandbox("{}"), sandbox(R"({"networkBlockAll":true})")};
    }
    // Their rules at work: the open one reaches the test host (its dispatcher entry is there), the
    // block-all one does not.
    void verifyPolicies(const QString& open, const QString& blocked) {
        QCOMPARE(probe(open, kHostA), QStringLiteral("OK hello"));
        QVERIFY(probe(blocked, kHostA).startsWith(QStringLiteral("ERR")));
    }
    void setTier(int tier) {
        QCOMPARE(call("PUT", QStringLiteral("/api/organizations/personal/tier"),
                      QByteArray(R"({"tier":)") + QByteArray::number(tier) + "}")
                     .status,
                 200);
    }
    QByteArray settings(const QString& id, const QByteArray& body, int expect = 200) {
        const auto r =
            call("POST", QStringLiteral("/api/sandbox/") + id + QStringLiteral("/network-settings"), body);
        if (r.status != expect)
            qWarning() << r.status << r.body;
        return r.status == expect ? r.body : QByteArray();
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        setTier(4);
        // The test host, made afresh.
        sh(QStringLiteral("ip netns del %1 2>/dev/null; ip link del cvt-host 2>/dev/null; true")
               .arg(kNamespace));
        const QString made =
            sh(QStringLiteral("set -e; ip netns add %1; ip link add cvt-host type veth peer name cvt-ns; "
                              "ip link set cvt-ns netns %1; ip addr add 10.250.0.1/24 dev cvt-host; "
                              "ip link set cvt-host up; ip -n %1 addr add %2/24 dev cvt-ns; "
                              "ip -n %1 addr add %3/24 dev cvt-ns; ip -n %1 link set cvt-ns up; "
                              "ip -n %1 link set lo up; ip -n %1 route add default via 10.250.0.1; "
                              "echo made")
                   .arg(kNamespace, kHostA, kHostB));
        QVERIFY2(made.endsWith(QStringLiteral("made")), qPrintable(made));
        server.start(QStringLiteral("ip"),
                     {QStringLiteral("netns"), QStringLiteral("exec"), kNamespace, QStringLiteral("python3"),
                      QStringLiteral("-c"), QString::fromLatin1(kServer), QString::number(kServerPort)});
        QVERIFY(server.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(
            [] {
                QTcpSocket s;
                s.connectToHost(kHostA, kServerPort);
                return s.waitForConnected(200);
            }(),
            10000);
        QVERIFY(hostListener.listen(QHostAddress::AnyIPv4));
    }
    void cleanupTestCase() {
        sb.removeAll();
        server.kill();
        server.waitForFinished();
        sh(QStringLiteral("ip netns del %1; ip link del cvt-host 2>/dev/null; true").arg(kNamespace));
    }

    void openSandboxReachesTheTestHost() {
        const QString id = sandbox("{}");
        QVERIFY(!id.isEmpty());
        QVERIFY2(ipOf(id).startsWith(QStringLiteral("10.2")), qPrintable(ipOf(id)));
        QCOMPARE(probe(id, kHostA), QStringLiteral("OK hello"));
        QCOMPARE(probe(id, kHostB), QStringLiteral("OK hello"));
        QCOMPARE(sb.get(id).value(QStringLiteral("networkBlockAll")).toBool(), false);
    }

    void blockAllReachesNothing() {
        const QString id = sandbox(R"({"networkBlockAll":true,"networkAllowList":"10.250.0.2/32"})");
        QVERIFY(!id.isEmpty());
        QVERIFY2(probe(id, kHostA).startsWith(QStringLiteral("ERR")), "block-all takes precedence");
        QVERIFY(probe(id, kHostB).startsWith(QStringLiteral("ERR")));
        // The toolbox works whatever the policy (it is a unix socket, not the network).
        QCOMPARE(exec(id, QStringLiteral("echo alive")), QStringLiteral("alive"));
    }

    void allowListReachesOnlyTheListedAddress() {
        const QString id = sandbox(R"({"networkAllowList":"10.250.0.2/32"})");
        QVERIFY(!id.isEmpty());
        QCOMPARE(probe(id, kHostA), QStringLiteral("OK hello"));
        QCOMPARE(probe(id, kHostB), QStringLiteral("ERR ConnectionRefusedError")); // REJECT: fails at once
        QCOMPARE(sb.get(id).value(QStringLiteral("networkAllowList")).toString(),
                 QStringLiteral("10.250.0.2/32"));
    }

    void sandboxesCannotReachEachOther() {
        const QString a = sandbox("{}");
        const QString b = sandbox("{}");
        QVERIFY(!a.isEmpty() && !b.isEmpty());
        exec(b, QStringLiteral("sh -c 'nohup python3 /tmp/server.py 8000 >/dev/null 2>&1 &'"));
        QTRY_COMPARE_WITH_TIMEOUT(probe(b, QStringLiteral("127.0.0.1"), 8000), QStringLiteral("OK hello"),
                                  10000);
        const QString ipB = ipOf(b);
        QVERIFY(!ipB.isEmpty());
        QVERIFY2(probe(a, ipB, 8000).startsWith(QStringLiteral("ERR")), qPrintable(ipB));
        QCOMPARE(probe(a, kHostA), QStringLiteral("OK hello")); // a itself is open
    }

    void noSandboxReachesTheHostsPorts() {
        const QString id = sandbox("{}");
        QVERIFY(!id.isEmpty());
        const int port = hostListener.serverPort();
        // The host itself can: the listener is real.
        QTcpSocket self;
        self.connectToHost(QStringLiteral("127.0.0.1"), port);
        QVERIFY(self.waitForConnected(2000));
        const QString hostAddress =
            sh(QStringLiteral("ip -4 -o addr show scope global | grep -v ' cove-\\| docker0\\| cvt-' "
                              "| awk '{print $4}' | cut -d/ -f1 | head -1"));
        for (const QString& address : {gateway(), hostAddress, QStringLiteral("10.250.0.1")}) {
            if (address.isEmpty())
                continue;
            QCOMPARE(probe(id, address, port), QStringLiteral("ERR ConnectionRefusedError"));
        }
    }

    void liveUpdatesApplyAtOnce() {
        const QString id = sandbox("{}");
        QVERIFY(!id.isEmpty());
        QCOMPARE(probe(id, kHostA), QStringLiteral("OK hello"));
        QElapsedTimer t;
        t.start();
        const auto blocked = QJsonDocument::fromJson(settings(id, R"({"networkBlockAll":true})")).object();
        QCOMPARE(blocked.value(QStringLiteral("networkBlockAll")).toBool(), true);
        QVERIFY(probe(id, kHostA).startsWith(QStringLiteral("ERR")));
        qInfo("block-all applied and verified %lld ms after the request",
              static_cast<long long>(t.elapsed()));
        settings(id, R"({"networkBlockAll":false,"networkAllowList":"10.250.0.3/32"})");
        QVERIFY(probe(id, kHostA).startsWith(QStringLiteral("ERR")));
        QCOMPARE(probe(id, kHostB), QStringLiteral("OK hello"));
        const auto open = QJsonDocument::fromJson(settings(id, R"({"networkAllowList":null})")).object();
        QVERIFY(!open.contains(QStringLiteral("networkAllowList")));
        QCOMPARE(probe(id, kHostA), QStringLiteral("OK hello"));
        const auto audit =
            call("GET", QStringLiteral("/api/audit?action=update_network_settings&targetId=") + id);
        QCOMPARE(audit.object().value(QStringLiteral("total")).toInt(), 3);
    }

    void tiersOneAndTwoKeepToTheEssentialServices() {
        setTier(1);
        const QString id = sandbox(R"({"networkAllowList":"10.250.0.2/32"})");
        QVERIFY(!id.isEmpty());
        QVERIFY2(probe(id, kHostA).startsWith(QStringLiteral("ERR")), "the organization's restriction wins");
        QCOMPARE(call("GET", QStringLiteral("/api/organizations/personal"))
                     .object()
                     .value(QStringLiteral("sandboxLimitedNetworkEgress"))
                     .toBool(),
                 true);
        const auto egress = [&] {
            return call("GET", QStringLiteral("/api/sandbox/") + id)
                .object()
                .value(QStringLiteral("networkEgress"))
                .toString();
        };
        QCOMPARE(egress(), QStringLiteral("essential-services")); // what is enforced, not what was asked
        setTier(4);                                               // existing sandboxes follow at once
        QCOMPARE(egress(), QStringLiteral("allow-list"));
        QCOMPARE(probe(id, kHostA), QStringLiteral("OK hello"));
        QVERIFY(probe(id, kHostB).startsWith(QStringLiteral("ERR")));
    }

    void rulesSurviveARestartAndAreRepaired() {
        const QString id = sandbox(R"({"networkBlockAll":true})");
        QVERIFY(!id.isEmpty());
        coved.stop();
        QCOMPARE(chainsOf(id), QStringLiteral("1")); // rules outlive coved, as the sandbox does
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        QVERIFY(probe(id, kHostA).startsWith(QStringLiteral("ERR")));
        // Someone flushes the hook: the next reconcile puts it back.
        const QString hook = QStringLiteral("iptables -w -C DOCKER-USER -i %1 -j %2")
                                 .arg(coved.networkName(), coved.chainPrefix());
        sh(QString(hook).replace(QStringLiteral(" -C "), QStringLiteral(" -D ")));
        QCOMPARE(run(QStringLiteral("sh"), {QStringLiteral("-c"), hook}).exitCode, 1);
        QTRY_COMPARE_WITH_TIMEOUT(run(QStringLiteral("sh"), {QStringLiteral("-c"), hook}).exitCode, 0, 30000);
        QVERIFY(probe(id, kHostA).startsWith(QStringLiteral("ERR")));
    }

    // A reboot empties iptables while the store still has the sandboxes and their addresses (as does
    // anyone deleting the chains while coved is down): coved must start and put every rule back.
    void rulesComeBackWhenTheChainsAreGone() {
        const auto [open, blocked] = openAndBlocked();
        QVERIFY(!open.isEmpty() && !blocked.isEmpty());
        coved.stop();
        coved.removeInstanceChains();
        QCOMPARE(chainsOf(blocked), QStringLiteral("0"));
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        QCOMPARE(chainsOf(open), QStringLiteral("1"));
        QCOMPARE(chainsOf(blocked), QStringLiteral("1"));
        verifyPolicies(open, blocked);
    }

    // The same while coved runs (a firewall tool reloading its rules deletes every chain it did not
    // make): the next check puts them back, and no sandbox is stopped for it.
    void chainsDeletedWhileRunningArePutBack() {
        const auto [open, blocked] = openAndBlocked();
        QVERIFY(!open.isEmpty() && !blocked.isEmpty());
        // No check here that they are gone: coved's own check may already be putting them back (the
        // test above sees the deletion work, with coved stopped).
        coved.removeInstanceChains();
        QTRY_COMPARE_WITH_TIMEOUT(chainsOf(open), QStringLiteral("1"), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(chainsOf(blocked), QStringLiteral("1"), 5000);
        for (const QString& id : {open, blocked})
            QCOMPARE(sb.get(id).value(QStringLiteral("state")).toString(), QStringLiteral("started"));
        verifyPolicies(open, blocked);
    }

    void aSubnetTakenMeanwhileIsSkipped() {
        // The installation remembers its subnet. If something else took it while the network was gone,
        // the engine refuses the overlap and coved moves to a free subnet instead of failing to start.
        CovedProcess other;
        QVERIFY2(other.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(other.error()));
        const auto subnetOf = [](const QString& network) {
            return QString::fromUtf8(
                       run(QStringLiteral("docker"),
                           {QStringLiteral("network"), QStringLiteral("inspect"), QStringLiteral("-f"),
                            QStringLiteral("{{(index .IPAM.Config 0).Subnet}}"), network})
                           .out)
                .trimmed();
        };
        const QString remembered = subnetOf(other.networkName());
        QVERIFY(remembered.startsWith(QStringLiteral("10.")));
        other.stop();
        QCOMPARE(run(QStringLiteral("docker"),
                     {QStringLiteral("network"), QStringLiteral("rm"), other.networkName()})
                     .exitCode,
                 0);
        const QString squatter = QStringLiteral("cove-test-squatter");
        run(QStringLiteral("docker"), {QStringLiteral("network"), QStringLiteral("rm"), squatter});
        QCOMPARE(run(QStringLiteral("docker"), {QStringLiteral("network"), QStringLiteral("create"),
                                                QStringLiteral("--subnet"), remembered, squatter})
                     .exitCode,
                 0);
        const bool started = other.start({QStringLiteral("--warm-pool"), QStringLiteral("0")});
        const QString now = subnetOf(other.networkName());
        run(QStringLiteral("docker"), {QStringLiteral("network"), QStringLiteral("rm"), squatter});
        QVERIFY2(started, qPrintable(other.error()));
        QVERIFY2(now.startsWith(QStringLiteral("10.")) && now != remembered, qPrintable(now));
    }

    void deleteRemovesTheRules() {
        const QString id = sandbox("{}");
        QVERIFY(!id.isEmpty());
        QCOMPARE(chainsOf(id), QStringLiteral("1"));
        QCOMPARE(sb.destroy(id).status, 200);
        QCOMPARE(chainsOf(id), QStringLiteral("0"));
    }

    void badInputIsRefusedAndLeavesNothing_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("six")
            << QByteArray(
                   R"({"networkAllowList":"1.0.0.0/8,2.0.0.0/8,3.0.0.0/8,4.0.0.0/8,5.0.0.0/8,6.0.0.0/8"})")
            << QStringLiteral("at most 5");
        QTest::newRow("octet") << QByteArray(R"({"networkAllowList":"10.0.0.256/8"})")
                               << QStringLiteral("not an IPv4 CIDR");
        QTest::newRow("no prefix") << QByteArray(R"({"networkAllowList":"10.0.0.1"})")
                                   << QStringLiteral("not an IPv4 CIDR");
        QTest::newRow("prefix 33") << QByteArray(R"({"networkAllowList":"10.0.0.0/33"})")
                                   << QStringLiteral("not an IPv4 CIDR");
        QTest::newRow("leading zero")
            << QByteArray(R"({"networkAllowList":"010.0.0.0/8"})") << QStringLiteral("not an IPv4 CIDR");
        QTest::newRow("ipv6") << QByteArray(R"({"networkAllowList":"2001:db8::/32"})")
                              << QStringLiteral("IPv6");
        QTest::newRow("empty entry") << QByteArray(R"({"networkAllowList":"10.0.0.0/8,"})")
                                     << QStringLiteral("empty entry");
        QTest::newRow("array") << QByteArray(R"({"networkAllowList":["10.0.0.0/8"]})")
                               << QStringLiteral("must be a string");
        QTest::newRow("block type") << QByteArray(R"({"networkBlockAll":"yes"})")
                                    << QStringLiteral("true or false");
    }
    void badInputIsRefusedAndLeavesNothing() {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        const int before = call("GET", QStringLiteral("/api/sandbox"))
                               .object()
                               .value(QStringLiteral("items"))
                               .toArray()
                               .size();
        const auto created = call("POST", QStringLiteral("/api/sandbox"), body);
        QCOMPARE(created.status, 400);
        QVERIFY2(created.message().contains(message), qPrintable(created.message()));
        QCOMPARE(call("GET", QStringLiteral("/api/sandbox"))
                     .object()
                     .value(QStringLiteral("items"))
                     .toArray()
                     .size(),
                 before);
        // The same on a live update, which changes nothing.
        const QString id = sb.created().isEmpty() ? QString() : sb.created().last();
        if (id.isEmpty() || sb.state(id) != QStringLiteral("started"))
            return;
        const auto settingsBefore = sb.get(id);
        const auto updated =
            call("POST", QStringLiteral("/api/sandbox/") + id + QStringLiteral("/network-settings"), body);
        QCOMPARE(updated.status, 400);
        QCOMPARE(sb.get(id).value(QStringLiteral("networkAllowList")),
                 settingsBefore.value(QStringLiteral("networkAllowList")));
    }

    void unknownSandboxIsNotFound() {
        QCOMPARE(
            call("POST", QStringLiteral("/api/sandbox/nope/network-settings"), R"({"networkBlockAll":true})")
                .status,
            404);
        QCOMPARE(call("POST", QStringLiteral("/api/sandbox/nope/network-settings"), "{not json").status, 400);
    }

    // iptables cannot be made to fail on demand, so a wrapper in PATH does, beside the real-rule tests above.
    void aFailedRuleInstallMeansNoSandbox() {
        QTemporaryDir bin;
        const QString flag = bin.path() + QStringLiteral("/fail");
        QFile wrapper(bin.path() + QStringLiteral("/iptables-restore"));
        QVERIFY(wrapper.open(QIODevice::WriteOnly));
        wrapper.write(QStringLiteral("#!/bin/sh\n[ -e %1 ] && { echo 'simulated refusal' >&2; exit 1; }\n"
                                     "exec /usr/sbin/iptables-restore \"$@\"\n")
                          .arg(flag)
                          .toUtf8());
        wrapper.close();
        wrapper.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        CovedProcess other;
        other.setEnv(QStringLiteral("PATH"), bin.path() + QStringLiteral(":") + qEnvironmentVariable("PATH"));
        QVERIFY2(other.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(other.error()));
        Sandboxes mine(other);
        QFile(flag).open(QIODevice::WriteOnly);
        const auto r = mine.call("POST", QStringLiteral("/api/sandbox"), "{}");
        QCOMPARE(r.status, 503);
        QVERIFY2(r.message().contains(QStringLiteral("simulated refusal")), qPrintable(r.message()));
        QVERIFY(r.message().contains(QStringLiteral("not started")));
        QCOMPARE(mine.call("GET", QStringLiteral("/api/sandbox"))
                     .object()
                     .value(QStringLiteral("items"))
                     .toArray()
                     .size(),
                 0);
        const auto left = run(QStringLiteral("docker"),
                              {QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--filter"),
                               QStringLiteral("label=cove.instance=") + other.instance()});
        QVERIFY(left.out.trimmed().isEmpty());
        // And a coved that cannot install its rules at start does not start.
        other.stop();
        const auto refused = other.start({QStringLiteral("--warm-pool"), QStringLiteral("0")});
        QVERIFY(!refused);
        QVERIFY2(other.error().contains(QStringLiteral("simulated refusal")), qPrintable(other.error()));
        QFile::remove(flag);
    }
};

QTEST_GUILESS_MAIN(TestNetwork)
#include "tst_network.moc"
