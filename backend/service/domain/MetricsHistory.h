// Each sandbox's resource samples, as /api/sandbox/{id}/telemetry/metrics answers them (Config.h's
// MetricsLimits says how often and for how long). In memory: a restarted coved starts a new history.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cove::domain {

struct MetricsSample {
    std::int64_t at = 0; // ms since the epoch
    double cpuPct = 0;
    int cpuCount = 0;
    std::int64_t memUsed = 0, memTotal = 0, memCache = 0;
    std::int64_t diskUsed = 0, diskTotal = 0; // the sandbox's own quota and use where the engine knows them
    std::int64_t netRx = 0, netTx = 0;        // bytes since the sandbox started
};

class MetricsHistory {
public:
    // Appends `s` (older samples than the last are dropped) and forgets what is past the retention.
    void add(const std::string& sandboxId, const MetricsSample& s);
    std::vector<MetricsSample> range(const std::string& sandboxId, std::int64_t fromMs,
                                     std::int64_t toMs) const;
    std::optional<MetricsSample> latest(const std::string& sandboxId) const;
    // Drops the histories whose last sample is past the retention at `nowMs` (deleted sandboxes').
    void prune(std::int64_t nowMs);
    std::size_t sandboxCount() const { return m_samples.size(); }

    // Daytona's metric names (the SDK's getMetrics asks for these), then Cove's network ones.
    static const std::vector<std::string>& metricNames();
    // {series: [{metricName, dataPoints: [{timestamp, value}]}]} for `names` (all when empty; unknown
    // names are left out).
    static nlohmann::json series(const std::vector<MetricsSample>& samples,
                                 const std::vector<std::string>& names);

private:
    std::map<std::string, std::deque<MetricsSample>> m_samples;
};

} // namespace cove::domain
