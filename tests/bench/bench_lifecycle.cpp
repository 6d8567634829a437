// Lifecycle figures for coved, each next to a baseline measured in the same run on the same engine.
// Prints a table; asserts nothing (timings belong here, not in pass/fail tests).
//   build/tests/bench_lifecycle [cycles] [sandboxes]    (sandboxes running at once for the scale
//   figures: 100 by default, fewer for a quick run)
#include "bench/Bench.h"
#include "service/store/Store.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

using namespace cove::test;
using namespace cove::bench;

namespace {

QString docker(const QStringList& args) {
    return QString::fromUtf8(run(QStringLiteral("docker"), args).out.trimmed());
}

// One HTTP/1.1 call to the Docker engine's API on its socket, as coved makes them: the baseline for a
// create is the engine's own create and start, without the CLI's start-up in the figure. Returns the
// body; empty when the engine does not answer.
QByteArray engine(const QByteArray& method, const QByteArray& path, const QByteArray& body = {}) {
    QLocalSocket s;
    s.connectToServer(QStringLiteral("/var/run/docker.sock"));
    if (!s.waitForConnected(5000))
        return {};
    s.write(method + " /v1.41" + path + " HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n" +
            "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    QByteArray in;
    while (s.state() == QLocalSocket::ConnectedState && s.waitForReadyRead(60000))
        in += s.readAll();
    in += s.readAll();
    const qsizetype split = in.indexOf("\r\n\r\n");
    return split < 0 ? QByteArray() : in.mid(split + 4);
}

// The host pid of a sandbox's cove-agent: its container's first process.
qint64 agentPid(const QString& id) {
    return docker({QStringLiteral("inspect"), QStringLiteral("-f"), QStringLiteral("{{.State.Pid}}"),
                   QStringLiteral("cove-") + id})
        .toLongLong();
}

// `clients` clients at once, each on its own connection, each running `true` in its own sandbox
// `rounds` times one after another: every call's milliseconds.
Stats concurrentExec(const CovedProcess& coved, const QStringList& ids, int clients, int rounds) {
    Stats out;
    std::vector<std::unique_ptr<QNetworkAccessManager>> nets;
    int pending = clients;
    QEventLoop loop;
    std::function<void(int, int)> next = [&](int client, int left) {
        if (left == 0) {
            if (--pending == 0)
                loop.quit();
            return;
        }
        QNetworkRequest req(QUrl(coved.url() + QStringLiteral("/toolbox/") + ids[client % ids.size()] +
                                 QStringLiteral("/process/execute")));
        req.setRawHeader("Authorization", "Bearer " + coved.adminKey().toUtf8());
        req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        auto* timer = new QElapsedTimer;
        timer->start();
        QNetworkReply* r = nets[client]->post(req, QByteArray(R"({"command":"true"})"));
        QObject::connect(r, &QNetworkReply::finished, [&, r, timer, client, left] {
            out.ms << timer->nsecsElapsed() / 1e6;
            delete timer;
            r->deleteLater();
            next(client, left - 1);
        });
    };
    for (int c = 0; c < clients; ++c) {
        nets.push_back(std::make_unique<QNetworkAccessManager>());
        next(c, rounds);
    }
    loop.exec();
    return out;
}

// A create body for the engine with the sandbox's own container settings (its network, limits,
// disk size, seccomp profile, capabilities and mounts), running `sleep` instead of the agent and with
// `runDir` for its /run/cove: what the engine itself takes to make and start such a container.
QByteArray sandboxConfig(const QString& id, const QString& runDir) {
    // From the CLI: the engine answers an inspect this large in chunks, which engine() does not join.
    const QJsonObject made =
        QJsonDocument::fromJson(docker({QStringLiteral("inspect"), QStringLiteral("cove-") + id}).toUtf8())
            .array()
            .first()
            .toObject();
    QJsonObject host = made.value(QStringLiteral("HostConfig")).toObject();
    if (host.isEmpty())
        return {};
    QJsonArray binds;
    for (const QJsonValue& b : host.value(QStringLiteral("Binds")).toArray()) {
        const QString bind = b.toString();
        binds << (bind.contains(QStringLiteral(":/run/cove"))
                      ? runDir + bind.mid(bind.indexOf(QStringLiteral(":/run/cove")))
                      : bind);
    }
    host.insert(QStringLiteral("Binds"), binds);
    const QJsonObject config{
        {QStringLiteral("Image"),
         made.value(QStringLiteral("Config")).toObject().value(QStringLiteral("Image"))},
        {QStringLiteral("Entrypoint"), QJsonArray{QStringLiteral("sleep")}},
        {QStringLiteral("Cmd"), QJsonArray{QStringLiteral("600")}},
        {QStringLiteral("Labels"), QJsonObject{{QStringLiteral("cove.bench"), QStringLiteral("1")}}},
        {QStringLiteral("HostConfig"), host}};
    return QJsonDocument(config).toJson(QJsonDocument::Compact);
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int cycles = argc > 1 ? std::max(3, atoi(argv[1])) : 10;
    const int many = argc > 2 ? std::max(2, atoi(argv[2])) : 100;
    // Without the warm pool first: every create makes its container.
    CovedProcess coved;
    if (!startCoved(coved))
        return 1;
    Sandboxes sb(coved);
    std::printf("cycles: %d; times in ms\n\n", cycles);
    header("Cove");

    // Create -> first toolbox answer, against the engine's own create and start through its API (of a
    // plain container, and of one made as a sandbox's is), and against a bare
    // `docker run --rm cove-base true`.
    Stats create, engineCreate, engineSame, dockerRun, start, dockerStart, stop, dockerStop;
    QTemporaryDir runDir; // the same-config container's own /run/cove
    QByteArray sameConfig;
    for (int i = 0; i < cycles; ++i) {
        QString id;
        create.ms << timed([&] {
            id = sb.create();
            sb.call("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/version"));
        });
        if (sameConfig.isEmpty())
            sameConfig = sandboxConfig(id, runDir.path());
        if (!sameConfig.isEmpty()) {
            QString same;
            engineSame.ms << timed([&] {
                same = QJsonDocument::fromJson(engine("POST", "/containers/create", sameConfig))
                           .object()
                           .value(QStringLiteral("Id"))
                           .toString();
                engine("POST", "/containers/" + same.toLatin1() + "/start");
            });
            engine("DELETE", "/containers/" + same.toLatin1() + "?force=true");
        }
        stop.ms << timed(
            [&] { sb.call("POST", QStringLiteral("/api/sandbox/") + id + QStringLiteral("/stop")); });
        start.ms << timed([&] {
            sb.call("POST", QStringLiteral("/api/sandbox/") + id + QStringLiteral("/start"));
            sb.call("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/version"));
        });
        QString made;
        engineCreate.ms << timed([&] {
            made =
                QJsonDocument::fromJson(
                    engine(
                        "POST", "/containers/create",
                        R"({"Image":"cove-base:latest","Cmd":["sleep","600"],"Labels":{"cove.bench":"1"}})"))
                    .object()
                    .value(QStringLiteral("Id"))
                    .toString();
            engine("POST", "/containers/" + made.toLatin1() + "/start");
        });
        engine("DELETE", "/containers/" + made.toLatin1() + "?force=true");
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
    row("create -> first toolbox (no pool)", create, engineCreate, "engine API create + start");
    row("create -> first toolbox (no pool)", create, engineSame, "the same, a sandbox's config");
    row("create -> first toolbox (no pool)", create, dockerRun, "docker run --rm cove-base true");
    // The same on crun, when the engine has it (installer/setup.sh registers Debian's).
    if (docker({QStringLiteral("info"), QStringLiteral("--format"), QStringLiteral("{{json .Runtimes}}")})
            .contains(QStringLiteral("\"crun\""))) {
        CovedProcess onCrun;
        if (!startCoved(onCrun, 0, {QStringLiteral("--runtime"), QStringLiteral("crun")}))
            return 1;
        Sandboxes csb(onCrun);
        Stats crun;
        for (int i = 0; i < cycles; ++i)
            crun.ms << timed([&] {
                const QString id = csb.create();
                csb.call("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/version"));
            });
        row("create -> first toolbox (no pool, crun)", crun, create, "the same on runc (above)");
    } else {
        std::printf(
            "(crun: the engine has no such runtime; installer/setup.sh registers Debian's crun when it "
            "is installed and the machine's cgroups are not hybrid, which crun 1.8 refuses)\n");
    }
    {
        // With a pool of two, each create after the pool has been topped up again: create, then the
        // first command, as a user's code does.
        CovedProcess pooled;
        if (!startCoved(pooled, 2))
            return 1;
        Sandboxes psb(pooled);
        Stats withPool, firstExec, laterExec;
        for (int i = 0; i < cycles; ++i) {
            poolFilled(psb, 2);
            QString id;
            withPool.ms << timed([&] {
                id = psb.create(R"({"env":{"A":"1"}})");
                firstExec.ms << timed([&] { psb.exec(id, QStringLiteral("true")); });
            });
            for (int n = 0; n < 5; ++n)
                laterExec.ms << timed([&] { psb.exec(id, QStringLiteral("true")); });
        }
        row("create -> first exec (warm pool)", withPool, engineCreate, "engine API create + start");
        row("  of which the first exec", firstExec, laterExec, "the sandbox's later execs");
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
        for (const auto& id : ids) // and gone before the next figure: deletes finish behind their answer
            sb.call("DELETE", QStringLiteral("/api/sandbox/") + id);
        noSandboxesLeft(sb);
    }

    // Listing 1,000 sandboxes (rows written straight into the store, each with a real sandbox's
    // container spec: its mounts, environment, labels and limits), against listing 10; 50 calls each.
    {
        constexpr int kListCalls = 50;
        Stats ten, thousand;
        for (int i = 0; i < 10; ++i)
            sb.create();
        for (int i = 0; i < kListCalls; ++i)
            ten.ms << timed([&] { sb.call("GET", QStringLiteral("/api/sandbox?limit=1000")); });
        // A real sandbox's spec, read beside the running coved (the store allows readers meanwhile).
        std::string spec;
        {
            const auto store = cove::store::open(coved.database().toStdString());
            if (const auto row = store->queryOne(
                    "SELECT container_spec FROM sandboxes WHERE container_spec IS NOT NULL LIMIT 1"))
                spec = (*row)[0].asText();
        }
        std::printf("each of the 1,000 rows carries a container spec of %zu bytes\n", spec.size());
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
                        "error_reason, created_at, updated_at, last_activity_at, container_spec) VALUES (?, "
                        "'personal', ?, 'cove-base:latest', 'cove', 1, 1, 3, 15, 10080, -1, 'error', "
                        "'started', "
                        "'bench', ?, ?, ?, ?)",
                        {QStringLiteral("bench-%1").arg(i).toStdString(),
                         QStringLiteral("bench-%1").arg(i).toStdString(), std::int64_t(i), std::int64_t(i),
                         std::int64_t(i), spec.empty() ? cove::store::Value() : cove::store::Value(spec)});
            });
        }
        if (!startCoved(coved))
            return 1;
        for (int i = 0; i < kListCalls; ++i)
            thousand.ms << timed([&] { sb.call("GET", QStringLiteral("/api/sandbox?limit=1000")); });
        row("GET /api/sandbox, 1,000 sandboxes", thousand, ten, "GET /api/sandbox, 10 sandboxes");
        std::printf("coved RSS with 1,000 sandbox rows: %ld KiB\n", rssKiB(coved.pid()));
    }

    // Scale: a fresh coved idle, then `many` (100) sandboxes running at once, 50 clients running commands
    // in them at once, and the memory of coved and of the sandboxes' agents.
    {
        CovedProcess fresh;
        if (!startCoved(fresh))
            return 1;
        Sandboxes fsb(fresh);
        const long idle = rssKiB(fresh.pid());
        QStringList running;
        for (int i = 0; i < many; ++i)
            if (const QString id = fsb.create(); !id.isEmpty())
                running << id;
        fsb.call("GET", QStringLiteral("/api/sandbox?limit=1000"));
        const long withMany = rssKiB(fresh.pid());
        Stats one, fifty;
        one = concurrentExec(fresh, running, 1, 10 * cycles);
        fifty = concurrentExec(fresh, running, 50, cycles);
        std::printf("\n");
        header(qPrintable(QStringLiteral("Scale: %1 sandboxes running").arg(running.size())));
        row("exec `true`, 50 clients at once", fifty, one, "exec `true`, one client");
        long agents = 0, counted = 0;
        for (const auto& id : running)
            if (const long kib = rssKiB(agentPid(id)); kib > 0)
                agents += kib, ++counted;
        std::printf(
            "\ncoved RSS: %ld KiB idle with no sandboxes, %ld KiB with %lld sandboxes running, %ld KiB "
            "after 50 clients' commands; cove-agent RSS: %ld KiB on average (%ld agents)\n",
            idle, withMany, qlonglong(running.size()), rssKiB(fresh.pid()), counted ? agents / counted : 0L,
            counted);
    }
    coved.stop();
    return 0;
}
