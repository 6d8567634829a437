// Each sandbox's resource samples (see the header).
#include "service/domain/MetricsHistory.h"

#include "common/Time.h"
#include "service/domain/Config.h"

#include <algorithm>
#include <functional>

namespace cove::domain {

namespace {
using Field = std::function<double(const MetricsSample&)>;
const std::vector<std::pair<std::string, Field>>& fields() {
    static const std::vector<std::pair<std::string, Field>> all{
        {"daytona.sandbox.cpu.utilization", [](const MetricsSample& s) { return s.cpuPct; }},
        {"daytona.sandbox.cpu.limit", [](const MetricsSample& s) { return double(s.cpuCount); }},
        {"daytona.sandbox.memory.usage", [](const MetricsSample& s) { return double(s.memUsed); }},
        {"daytona.sandbox.memory.limit", [](const MetricsSample& s) { return double(s.memTotal); }},
        {"daytona.sandbox.memory.cache", [](const MetricsSample& s) { return double(s.memCache); }},
        {"daytona.sandbox.filesystem.usage", [](const MetricsSample& s) { return double(s.diskUsed); }},
        {"daytona.sandbox.filesystem.total", [](const MetricsSample& s) { return double(s.diskTotal); }},
        {"cove.sandbox.network.receive", [](const MetricsSample& s) { return double(s.netRx); }},
        {"cove.sandbox.network.transmit", [](const MetricsSample& s) { return double(s.netTx); }},
    };
    return all;
}
} // namespace

void MetricsHistory::add(const std::string& sandboxId, const MetricsSample& s) {
    auto& q = m_samples[sandboxId];
    while (!q.empty() && q.back().at >= s.at)
        q.pop_back();
    q.push_back(s);
    while (!q.empty() &&
           (q.front().at < s.at - MetricsLimits::kRetentionMs || q.size() > MetricsLimits::kMaxSamples))
        q.pop_front();
}

std::vector<MetricsSample> MetricsHistory::range(const std::string& sandboxId, std::int64_t fromMs,
                                                 std::int64_t toMs) const {
    std::vector<MetricsSample> out;
    const auto it = m_samples.find(sandboxId);
    if (it == m_samples.end())
        return out;
    for (const auto& s : it->second)
        if (s.at >= fromMs && s.at <= toMs)
            out.push_back(s);
    return out;
}

std::optional<MetricsSample> MetricsHistory::latest(const std::string& sandboxId) const {
    const auto it = m_samples.find(sandboxId);
    if (it == m_samples.end() || it->second.empty())
        return std::nullopt;
    return it->second.back();
}

void MetricsHistory::prune(std::int64_t nowMs) {
    std::erase_if(m_samples, [&](const auto& entry) {
        return entry.second.empty() || entry.second.back().at < nowMs - MetricsLimits::kRetentionMs;
    });
}

const std::vector<std::string>& MetricsHistory::metricNames() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const auto& [name, field] : fields())
            n.push_back(name);
        return n;
    }();
    return names;
}

nlohmann::json MetricsHistory::series(const std::vector<MetricsSample>& samples,
                                      const std::vector<std::string>& names) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [name, field] : fields()) {
        if (!names.empty() && std::find(names.begin(), names.end(), name) == names.end())
            continue;
        nlohmann::json points = nlohmann::json::array();
        for (const auto& s : samples)
            points.push_back({{"timestamp", toIso8601(fromMillis(s.at))}, {"value", field(s)}});
        out.push_back({{"metricName", name}, {"dataPoints", std::move(points)}});
    }
    return {{"series", std::move(out)}};
}

} // namespace cove::domain
