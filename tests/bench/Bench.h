// What the benchmarks share: timings with percentiles and one table row per figure, with its
// same-run baseline and the ratio between the two.
#pragma once

#include "support/CovedProcess.h"
#include "support/Sandboxes.h"

#include <QElapsedTimer>
#include <QVector>

#include <algorithm>
#include <cstdio>

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

// Starts `coved` without the warm pool (every create makes its container) and puts the organization on
// Tier 4, whose quotas the benchmarks' sandboxes fit in; false, with the reason printed, when it cannot.
inline bool startCoved(cove::test::CovedProcess& coved) {
    if (!coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")})) {
        std::fprintf(stderr, "%s\n", qPrintable(coved.error()));
        return false;
    }
    cove::test::Sandboxes(coved).call("PUT", QStringLiteral("/api/organizations/personal/tier"),
                                      R"({"tier":4})");
    return true;
}

} // namespace cove::bench
