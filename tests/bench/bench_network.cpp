// What network policy costs: a live policy change (one iptables-restore transaction plus the store
// and the audit row) against a request on the same path that changes nothing, and a create with an
// allow-list against a plain one. Figures only; run by hand: build/tests/bench_network [rounds]
#include "Bench.h"

#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QCoreApplication>

using namespace cove::test;
using namespace cove::bench;

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int rounds = argc > 1 ? std::max(4, std::atoi(argv[1])) : 40;
    CovedProcess coved;
    if (!startCoved(coved))
        return 1;
    Sandboxes sb(coved);

    Stats plain, listed;
    for (int i = 0; i < std::max(4, rounds / 8); ++i) {
        plain.ms << timed([&] { sb.create("{}"); });
        listed.ms << timed([&] { sb.create(R"({"networkAllowList":"10.0.0.0/8,192.168.0.0/16"})"); });
    }
    const QString id = sb.created().first();
    const QString path = QStringLiteral("/api/sandbox/") + id;
    Stats update, get;
    for (int i = 0; i < rounds; ++i) {
        const QByteArray body = i % 2 ? R"({"networkBlockAll":false})" : R"({"networkBlockAll":true})";
        update.ms << timed([&] { sb.call("POST", path + QStringLiteral("/network-settings"), body); });
        get.ms << timed([&] { sb.call("GET", path); });
    }
    std::printf("\nNetwork policy, %d rounds (ms)\n\n", rounds);
    header("operation");
    row("create with a 2-CIDR allow-list", listed, plain, "create, open");
    row("live policy change (block-all <-> open)", update, get, "GET of the same sandbox");
    return 0;
}
