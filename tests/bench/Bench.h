// What the benchmarks share: timings with percentiles and one table row per figure, with its
// same-run baseline and the ratio between the two.
#pragma once

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

} // namespace cove::bench
