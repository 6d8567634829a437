// What the benchmarks share: timings with percentiles and one table row per figure, with its
// same-run baseline and the ratio between the two.
#pragma once

#include "support/CovedProcess.h"
#include "support/Sandboxes.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QVector>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>

namespace cove::bench {

struct Stats {
    QVector<double> ms;
    double pct(double p) const {
        if (ms.isEmpty())
            return 0;
        auto v = ms;
        std::sort(v.begin(), v.end());
        return v[std::min<int>(int(v.size()) - 1, int(p * v.size()))];
    }
};

// Milliseconds `f` took.
template <typename F> double timed(F&& f) {
    QElapsedTimer t;
    t.start();
    f();
    return t.nsecsElapsed() / 1e6;
}

inline void header(const char* first) {
    std::printf("| %-38s | %9s | %9s | %-34s | %9s | %6s |\n", first, "p50", "p99", "baseline (same run)",
                "p50", "ratio");
    std::printf("|----------------------------------------|-----------|-----------|--------------------------"
                "----------|"
                "-----------|--------|\n");
}

inline void row(const char* what, const Stats& cove, const Stats& base, const char* baseline) {
    std::printf("| %-38s | %9.2f | %9.2f | %-34s | %9.2f | %6.3f |\n", what, cove.pct(0.5), cove.pct(0.99),
                baseline, base.pct(0.5), base.pct(0.5) > 0 ? cove.pct(0.5) / base.pct(0.5) : 0.0);
}

namespace detail {
// The shell command that removes the containers of every coved a benchmark started, written before any
// signal can need it: a signal handler may only fork and exec.
inline char removeAllCommand[8192] = "true";
inline void onSignal(int sig) {
    if (const pid_t pid = ::fork(); pid == 0) {
        ::execl("/bin/sh", "sh", "-c", removeAllCommand, static_cast<char*>(nullptr));
        ::_exit(127);
    } else if (pid > 0) {
        int status = 0;
        ::waitpid(pid, &status, 0);
    }
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}
} // namespace detail

// A benchmark stopped by Ctrl+C or a kill still removes every sandbox it made: CovedProcess does so when
// the program ends normally, this when a signal ends it.
inline void removeOnSignal(const cove::test::CovedProcess& coved) {
    // coved first, so its warm pool does not fill again; a restarted coved is added once more.
    const QByteArray cmd =
        "; kill " + QByteArray::number(coved.pid()) +
        " 2>/dev/null; docker ps -aq --filter label=cove.instance=" + coved.instance().toLatin1() +
        " | xargs -r docker rm -f >/dev/null 2>&1";
    if (std::strlen(detail::removeAllCommand) + cmd.size() + 1 > sizeof detail::removeAllCommand)
        return;
    std::strcat(detail::removeAllCommand, cmd.constData());
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
        std::signal(sig, detail::onSignal);
}

// Waits until `coved`'s built-in warm pool has `n` members ready (at most a minute), as it has on a
// machine where coved has been running a while.
inline void poolFilled(cove::test::Sandboxes& sb, int n) {
    cove::test::waitUntil(
        [&] {
            return sb.call("GET", QStringLiteral("/api/info"))
                       .object()
                       .value(QStringLiteral("warmPool"))
                       .toObject()
                       .value(QStringLiteral("ready"))
                       .toInt() >= n;
        },
        60000, 100);
}

// Waits until coved lists no sandbox: a delete answers at once and the engine removes the container
// after it, which would otherwise weigh on the next figure.
inline void noSandboxesLeft(const cove::test::Sandboxes& sb) {
    cove::test::waitUntil(
        [&] {
            return sb.call("GET", QStringLiteral("/api/sandbox"))
                .object()
                .value(QStringLiteral("items"))
                .toArray()
                .isEmpty();
        },
        600000, 100);
}

// Starts `coved`, by default without the warm pool (every create makes its container), with no rate
// limits (a benchmark makes sandboxes faster than a person: the default 300 creates a minute would answer
// 429), and puts the organization on Tier 4, whose quotas the benchmarks' sandboxes fit in; false, with
// the reason printed, when it cannot. Its sandboxes go when `coved` does (support/CovedProcess).
inline bool startCoved(cove::test::CovedProcess& coved, int warmPool = 0, QStringList args = {}) {
    args << QStringLiteral("--warm-pool") << QString::number(warmPool);
    for (const char* limit : {"authenticated", "sandbox-create", "sandbox-lifecycle"})
        args << QStringLiteral("--rate-limit") << QStringLiteral("%1=0").arg(QLatin1String(limit));
    if (!coved.start(args)) {
        std::fprintf(stderr, "%s\n", qPrintable(coved.error()));
        return false;
    }
    removeOnSignal(coved);
    cove::test::Sandboxes(coved).call("PUT", QStringLiteral("/api/organizations/personal/tier"),
                                      R"({"tier":4})");
    return true;
}

} // namespace cove::bench
