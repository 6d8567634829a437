// VNC through coved's tunnel: framebuffer updates per second while the screen changes, and how long a
// pointer move sent through the tunnel takes to show on the desktop, each next to a same-run baseline
// on the same sandbox (full screenshots through the REST route; the toolbox's /version round trip).
// Prints figures; asserts nothing.
//   build/tests/bench_vnc [seconds]
#include "bench/Bench.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Rfb.h"
#include "support/Sandboxes.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>

#include <algorithm>
#include <cstdio>

using namespace cove::test;
using namespace cove::bench;

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int seconds = argc > 1 ? std::max(2, atoi(argv[1])) : 5;
    CovedProcess coved;
    if (!startCoved(coved))
        return 1;
    Sandboxes sb(coved);
    const QString id = sb.create(R"({"snapshot":"cove-desktop"})");
    const QString key = coved.adminKey();
    const QString toolbox = coved.url() + QStringLiteral("/toolbox/") + id;
    const auto cu = [&](const QByteArray& method, const QString& path, const QByteArray& body = {}) {
        return request(method, toolbox + QStringLiteral("/computeruse/") + path, key, body);
    };
    if (cu("POST", QStringLiteral("start")).status != 200) {
        std::fprintf(stderr, "computer use did not start\n");
        return 1;
    }
    // A terminal that never stops scrolling keeps the screen changing.
    request("POST", toolbox + QStringLiteral("/process/session"), key, R"({"sessionId":"bench"})");
    request(
        "POST", toolbox + QStringLiteral("/process/session/bench/exec"), key,
        R"({"command":"DISPLAY=:0 xterm -geometry 100x30+0+0 -e sh -c 'while :; do date +%N; done'","runAsync":true})");

    RfbClient::waitFor(
        [&] {
            return !cu("GET", QStringLiteral("display/windows"))
                        .object()
                        .value(QStringLiteral("windows"))
                        .toArray()
                        .isEmpty();
        },
        20000);
    const QByteArray password = cu("GET", QStringLiteral("vnc/password"))
                                    .object()
                                    .value(QStringLiteral("password"))
                                    .toString()
                                    .toUtf8();
    RfbClient vnc;
    if (!vnc.open(QStringLiteral("ws") + coved.url().mid(4) + QStringLiteral("/toolbox/") + id +
                      QStringLiteral("/computeruse/vnc"),
                  key)) {
        std::fprintf(stderr, "the tunnel did not open\n");
        return 1;
    }
    const auto init = vnc.handshake(password);
    if (!init.error.isEmpty()) {
        std::fprintf(stderr, "VNC handshake: %s\n", qPrintable(init.error));
        return 1;
    }
    vnc.rawOnly();
    std::printf("display %dx%d, %d s per figure; times in ms\n\n", init.width, init.height, seconds);
    header("Cove");

    // Incremental updates, one request per frame, while the terminal scrolls.
    Stats frames, shots;
    vnc.requestUpdate(init.width, init.height, false);
    vnc.readRawUpdate();
    QElapsedTimer total;
    total.start();
    while (total.elapsed() < seconds * 1000) {
        frames.ms << timed([&] {
            vnc.requestUpdate(init.width, init.height, true);
            vnc.readRawUpdate();
        });
    }
    const double frameSeconds = total.elapsed() / 1000.0;
    total.restart();
    while (total.elapsed() < seconds * 1000)
        shots.ms << timed([&] { cu("GET", QStringLiteral("screenshot")); });
    const double shotSeconds = total.elapsed() / 1000.0;
    row("VNC update through the tunnel", frames, shots, "full screenshot via REST");

    // A PointerEvent through the tunnel until the agent reports the pointer there.
    Stats pointer, version;
    for (int i = 0; i < 30; ++i) {
        const int x = 200 + i * 10, y = 300 + (i % 5) * 10;
        pointer.ms << timed([&] {
            vnc.pointer(x, y);
            for (;;) {
                const auto at = cu("GET", QStringLiteral("mouse/position")).object();
                if (at.value(QStringLiteral("x")).toInt() == x && at.value(QStringLiteral("y")).toInt() == y)
                    break;
            }
        });
        // Drain the updates the move caused, so they do not pile up in the tunnel.
        vnc.read(int(vnc.buffered()), 0);
    }
    for (int i = 0; i < 30; ++i)
        version.ms << timed([&] { request("GET", toolbox + QStringLiteral("/version"), key); });
    row("pointer move through tunnel, seen", pointer, version, "toolbox /version round trip");

    std::printf("\nVNC updates: %.1f per second (%d in %.1f s); REST screenshots: %.1f per second\n",
                frames.ms.size() / frameSeconds, int(frames.ms.size()), frameSeconds,
                shots.ms.size() / shotSeconds);
    cu("POST", QStringLiteral("stop"));
    return 0;
}
