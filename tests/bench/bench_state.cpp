// Sandbox state figures: pause and resume holding touched memory, fork of a sandbox with written files,
// checkpoint and rollback, each next to a baseline measured in the same run on the same engine. Prints a
// table; asserts nothing (timings belong here, not in pass/fail tests).
//   build/tests/bench_state [cycles]
#include "bench/Bench.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QCoreApplication>
#include <QThread>

#include <algorithm>
#include <cstdio>

using namespace cove::test;
using namespace cove::bench;

namespace {

void docker(const QStringList& args) {
    const auto r = run(QStringLiteral("docker"), args);
    if (r.exitCode != 0)
        std::fprintf(stderr, "docker %s: %s\n", qPrintable(args.join(' ')), r.err.constData());
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int cycles = argc > 1 ? std::max(3, atoi(argv[1])) : 5;
    CovedProcess coved;
    if (!startCoved(coved))
        return 1;
    Sandboxes sb(coved);
    const auto post = [&](const QString& id, const QString& what, const QByteArray& body = {}) {
        const auto r = sb.call("POST", QStringLiteral("/api/sandbox/") + id + what, body);
        if (r.status != 200)
            std::fprintf(stderr, "POST %s: %d %s\n", qPrintable(what), r.status, r.body.constData());
        return r;
    };
    std::printf("cycles: %d; times in ms\n\n", cycles);
    header("Cove");

    // Pause and resume with 512 MiB of touched memory, against the engine's own pause/unpause (its CLI).
    const QString held = sb.create(R"({"memory":2,"autoStopInterval":0})");
    sb.exec(held, QStringLiteral("nohup python3 -c \"import time\nb=bytearray(512<<20)\nfor i in "
                                 "range(0,len(b),4096): b[i]=1\nopen('/tmp/ready','w').write('1')\n"
                                 "time.sleep(100000)\" >/dev/null 2>&1 &"));
    for (int i = 0; i < 600 && sb.exec(held, QStringLiteral("cat /tmp/ready")).out.trimmed() != "1"; ++i)
        QThread::msleep(100);
    Stats pause, resume, dockerPause, dockerUnpause;
    const QString container = QStringLiteral("cove-") + held;
    for (int i = 0; i < cycles; ++i) {
        pause.ms << timed([&] { post(held, QStringLiteral("/pause")); });
        resume.ms << timed([&] { post(held, QStringLiteral("/start")); });
        dockerPause.ms << timed([&] { docker({QStringLiteral("pause"), container}); });
        dockerUnpause.ms << timed([&] { docker({QStringLiteral("unpause"), container}); });
    }
    row("pause, 512 MiB touched", pause, dockerPause, "docker pause (CLI)");
    row("resume (start), 512 MiB touched", resume, dockerUnpause, "docker unpause (CLI)");

    // Fork of a sandbox holding 1 GiB of written files, to the fork's first toolbox answer, against
    // committing the same container and running the image.
    const QString source = sb.create(R"({"disk":5,"autoStopInterval":0})");
    sb.exec(source, QStringLiteral("head -c 1073741824 /dev/urandom > ~/gib && sync"));
    Stats fork, commitRun;
    for (int i = 0; i < cycles; ++i) {
        fork.ms << timed([&] {
            const auto r = post(source, QStringLiteral("/fork"), "{}");
            const QString id = r.object().value(QStringLiteral("id")).toString();
            sb.adopt(id);
            sb.call("GET", QStringLiteral("/toolbox/") + id + QStringLiteral("/version"));
        });
        const QString image = QStringLiteral("cove-bench-fork:%1").arg(i);
        const QString copy = QStringLiteral("cove-bench-fork-%1").arg(i);
        commitRun.ms << timed([&] {
            docker({QStringLiteral("commit"), QStringLiteral("cove-") + source, image});
            docker({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), copy,
                    QStringLiteral("--entrypoint"), QStringLiteral("sleep"), image, QStringLiteral("1000")});
        });
        docker({QStringLiteral("rm"), QStringLiteral("-f"), copy});
        docker({QStringLiteral("rmi"), image});
    }
    row("fork, 1 GiB of files, to first answer", fork, commitRun, "docker commit + docker run -d");

    // A checkpoint, and a rollback of the running sandbox (its processes restart) to its first toolbox
    // answer, against restarting the same container.
    Stats checkpoint, rollback, restart;
    for (int i = 0; i < cycles; ++i) {
        const QString name = QStringLiteral("c%1").arg(i);
        checkpoint.ms << timed([&] {
            post(source, QStringLiteral("/checkpoints"),
                 QStringLiteral("{\"name\":\"%1\"}").arg(name).toUtf8());
        });
        rollback.ms << timed([&] {
            post(source, QStringLiteral("/checkpoints/") + name + QStringLiteral("/rollback"));
            sb.call("GET", QStringLiteral("/toolbox/") + source + QStringLiteral("/version"));
        });
        restart.ms << timed([&] {
            docker({QStringLiteral("restart"), QStringLiteral("-t"), QStringLiteral("0"),
                    QStringLiteral("cove-") + source});
        });
        // coved sees the restarted container's new agent on its next call.
        sb.call("GET", QStringLiteral("/toolbox/") + source + QStringLiteral("/version"));
    }
    Stats none;
    row("checkpoint of a running sandbox", checkpoint, none, "-");
    row("rollback of a running sandbox", rollback, restart, "docker restart -t 0 (CLI)");
    std::printf(
        "\nPublished for comparison: E2B pauses at about 4 s per GiB and resumes in about 1 s. Memory\n"
        "checkpoints through Docker and CRIU do not work with this kernel's Debian criu; see "
        "docs/criu.md.\n");
    sb.removeAll();
    return 0;
}
