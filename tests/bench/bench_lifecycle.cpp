// Lifecycle figures for coved, each next to a baseline measured in the same run on the same engine.
// Prints a table; asserts nothing (timings belong here, not in pass/fail tests).
//   build/tests/bench_lifecycle [cycles]
#include "bench/Bench.h"
#include "service/store/Store.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <algorithm>
#include <cstdio>

using namespace cove::test;
using namespace cove::bench;

namespace {

QString docker(const QStringList& args) {
    return QString::fromUtf8(run(QStringLiteral("docker"), args).out.trimmed());
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int cycles = argc > 1 ? std::max(3, atoi(argv[1])) : 10;
    // Without the warm pool first: every create makes its container.
    CovedProcess coved;
    if (!coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")})) {
        std::fprintf(stderr, "%s\n", qPrintable(coved.error()));
        return 1;
    }
    Sandboxes sb(coved);
    // Tier 4: the concurrent and the 100-sandbox runs need more than Tier 1's 10 vCPU.
    const auto tier4 = [](Sandboxes& s) {
        s.call("PUT", QStringLiteral("/api/organizations/personal/tier"), R"({"tier":4})");
    };
    tier4(sb);
    std::printf("cycles: %d; times in ms\n\n", cycles);
    header("Cove");

    // Create -> first toolbox answer, against a bare `docker run --rm cove-base true`.
    Stats create, dockerRun, start, dockerStart, stop, dockerStop;
    for (int i = 0; i < cycles; ++i) {
        QString id;
        create.ms << timed([&] {
            id = sb.create();
            sb.call("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/version"));
        });
        stop.ms << timed(
            [&] { sb.call("POST", QStringLiteral("/api/sandbox/") + id + QStringLiteral("/stop")); });
        start.ms << timed([&] {
            sb.call("POST", QStringLiteral("/api/sandbox/") + id + QStringLiteral("/start"));
            sb.call("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/version"));
        });
        dockerRun.ms << timed([&] {
            docker({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("cove-base:latest"),
                    QStringLiteral("true")});
        });
        const QString c = docker({QStringLiteral("create"), QStringLiteral("cove-base:latest"),
                                  QStringLiteral("sleep"), QStringLiteral("600")});
        dockerStart.ms << timed([&] { docker({QStringLiteral("start"), c}); });
        dockerStop.ms << timed([&] {
            docker({QStringLiteral("stop"), QStringLiteral("-t"), QStringLiteral("10"), c});
        });
        docker({QStringLiteral("rm"), QStringLiteral("-f"), c});
    }
    row("create -> first toolbox (no pool)", create, dockerRun, "docker run --rm cove-base true");
    {
        // With a pool of two, each create after the pool has been topped up again.
        CovedProcess pooled;
        if (!pooled.start({QStringLiteral("--warm-pool"), QStringLiteral("2")})) {
            std::fprintf(stderr, "%s\n", qPrintable(pooled.error()));
            return 1;
        }
        Sandboxes psb(pooled);
        const auto ready = [&] {
            return psb.call("GET", QStringLiteral("/api/info"))
                .object()
                .value(QStringLiteral("warmPool"))
                .toObject()
                .value(QStringLiteral("ready"))
                .toInt();
        };
        Stats withPool;
        for (int i = 0; i < cycles; ++i) {
            QDeadlineTimer deadline(60000);
            while (ready() < 2 && !deadline.hasExpired())
                QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
            withPool.ms << timed([&] {
                const QString id = psb.create(R"({"env":{"A":"1"}})");
                psb.call("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/version"));
            });
        }
        row("create -> first toolbox (warm pool)", withPool, dockerRun, "docker run --rm cove-base true");
    }
    row("start -> first toolbox answer", start, dockerStart, "docker start (sleep 600)");
    row("stop", stop, dockerStop, "docker stop -t 10 (sleep 600)");
    const long idleWithSome = rssKiB(coved.pid());
    sb.removeAll();

    // 20 creates at once.
    {
        QNetworkAccessManager net;
        QElapsedTimer t;
        t.start();
        int pending = 20;
        QStringList ids;
        for (int i = 0; i < 20; ++i) {
            QNetworkRequest req(QUrl(coved.url() + QStringLiteral("/api/sandbox")));
            req.setRawHeader("Authorization", "Bearer " + coved.adminKey().toUtf8());
            req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
            auto* r = net.post(req, "{}");
            QObject::connect(r, &QNetworkReply::finished, [&, r] {
                ids << QJsonDocument::fromJson(r->readAll()).object().value(QStringLiteral("id")).toString();
                r->deleteLater();
                if (--pending == 0)
                    app.quit();
            });
        }
        app.exec();
        const double all = t.nsecsElapsed() / 1e6;
        Stats one;
        one.ms << create.pct(0.5);
        Stats concurrent;
        concurrent.ms << all;
        row("20 concurrent creates (all done)", concurrent, one, "one create (p50 above)");
        std::printf("\ncoved RSS: %ld KiB with a few sandboxes, %ld KiB with 20 running\n", idleWithSome,
                    rssKiB(coved.pid()));
        for (const auto& id : ids)
            sb.call("DELETE", QStringLiteral("/api/sandbox/") + id);
    }

    // Listing 1,000 sandboxes (rows written straight into the store), against listing 10.
    {
        Stats ten, thousand;
        for (int i = 0; i < 10; ++i)
            sb.create();
        for (int i = 0; i < cycles; ++i)
            ten.ms << timed([&] { sb.call("GET", QStringLiteral("/api/sandbox?limit=1000")); });
        sb.removeAll();
        coved.stop();
        {
            const auto store = cove::store::open(coved.database().toStdString());
            auto& db = *store;
            db.transaction([&] {
                for (int i = 0; i < 1000; ++i)
                    db.exec(
                        "INSERT INTO sandboxes (id, organization_id, name, image, os_user, cpu, memory, "
                        "disk, "
                        "auto_stop_interval, auto_archive_interval, auto_delete_interval, state, "
                        "desired_state, "
                        "error_reason, created_at, updated_at, last_activity_at) VALUES (?, 'personal', ?, "
                        "'cove-base:latest', 'cove', 1, 1, 3, 15, 10080, -1, 'error', 'started', 'bench', ?, "
                        "?, ?)",
                        {QStringLiteral("bench-%1").arg(i).toStdString(),
                         QStringLiteral("bench-%1").arg(i).toStdString(), std::int64_t(i), std::int64_t(i),
                         std::int64_t(i)});
            });
        }
        coved.start();
        for (int i = 0; i < cycles; ++i)
            thousand.ms << timed([&] { sb.call("GET", QStringLiteral("/api/sandbox?limit=1000")); });
        row("GET /api/sandbox, 1,000 sandboxes", thousand, ten, "GET /api/sandbox, 10 sandboxes");
        std::printf("coved RSS with 1,000 sandbox rows: %ld KiB\n", rssKiB(coved.pid()));
    }

    // Memory: a fresh coved idle, then with 100 sandboxes running.
    {
        CovedProcess fresh;
        if (!fresh.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}))
            return 1;
        Sandboxes fsb(fresh);
        tier4(fsb);
        const long idle = rssKiB(fresh.pid());
        int made = 0;
        for (int i = 0; i < 100; ++i)
            made += fsb.create().isEmpty() ? 0 : 1;
        fsb.call("GET", QStringLiteral("/api/sandbox?limit=1000"));
        std::printf("coved RSS: %ld KiB idle, %ld KiB with %d sandboxes running\n", idle, rssKiB(fresh.pid()),
                    made);
    }
    coved.stop();
    return 0;
}
