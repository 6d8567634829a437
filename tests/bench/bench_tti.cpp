// Time to interactive through the official Daytona SDK (tests/bench/tti.mjs), in ComputeSDK's three
// modes, against a coved as installed: the default warm pool of 2, filled before each mode. Writes each
// mode's JSON to OUT_DIR/tti-MODE.json for the report (tests/bench/report.sh); asserts nothing.
//   build/tests/bench_tti OUT_DIR [ITERATIONS]
#include "bench/Bench.h"
#include "support/CovedProcess.h"
#include "support/Sandboxes.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QProcess>

#include <cstdio>

using namespace cove::test;
using namespace cove::bench;

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_tti OUT_DIR [ITERATIONS]\n");
        return 2;
    }
    const QString out = QString::fromLocal8Bit(argv[1]);
    const QString iterations = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QStringLiteral("100");
    QDir().mkpath(out);
    CovedProcess coved;
    if (!startCoved(coved, 2))
        return 1;
    Sandboxes sb(coved);
    for (const char* mode : {"sequential", "staggered", "burst"}) {
        noSandboxesLeft(sb); // the last mode's deletes done
        poolFilled(sb, 2);
        std::fprintf(stderr, "  %s, %s iterations\n", mode, qPrintable(iterations));
        QProcess node;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DAYTONA_API_URL"), coved.apiUrl());
        env.insert(QStringLiteral("DAYTONA_API_KEY"), coved.adminKey());
        node.setProcessEnvironment(env);
        node.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        node.setStandardOutputFile(out + QStringLiteral("/tti-%1.json").arg(QLatin1String(mode)));
        node.start(QStringLiteral("node"),
                   {QStringLiteral(COVE_SOURCE_DIR "/tests/bench/tti.mjs"), QLatin1String(mode), iterations});
        if (!node.waitForFinished(-1) || node.exitCode() != 0) {
            std::fprintf(stderr, "tti.mjs %s failed (exit %d)\n", mode, node.exitCode());
            return 1;
        }
    }
    return 0;
}
