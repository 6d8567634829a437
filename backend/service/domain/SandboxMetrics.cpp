// Telemetry: samples of each started sandbox's CPU, memory, disk and network, from its agent's
// /system/metrics (the sandbox's own cgroup and network namespace) and, for the disk, from the engine
// (what the container wrote into its own layer, and its limit: the agent, inside, sees only the whole
// volume).
#include "service/domain/SandboxService.h"

#include "common/Http.h"
#include "service/domain/SandboxRow.h"
#include "service/domain/SandboxStates.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <unistd.h>

namespace cove::domain {

namespace asio = boost::asio;

namespace {

// GET `path` from the agent on `fd` (taken); its JSON body, or nullopt when it does not answer 200 with
// JSON within the limits.
awaitable<std::optional<json>> agentGet(int fd, std::string path) {
    asio::local::stream_protocol::socket agent(co_await asio::this_coro::executor);
    boost::system::error_code ec;
    agent.assign(asio::local::stream_protocol(), fd, ec);
    if (ec) {
        ::close(fd);
        co_return std::nullopt;
    }
    http::Request req{http::bhttp::verb::get, path, 11};
    req.set(http::bhttp::field::host, "agent");
    req.keep_alive(false);
    asio::steady_timer timer(co_await asio::this_coro::executor, MetricsLimits::kAgentTimeout);
    using namespace asio::experimental::awaitable_operators;
    auto exchanging = http::exchange(agent, req, MetricsLimits::kMaxAgentReplyBytes);
    const auto outcome =
        co_await (std::move(exchanging) || timer.async_wait(asio::as_tuple(asio::use_awaitable)));
    if (outcome.index() != 0)
        co_return std::nullopt;
    const http::Exchange& x = std::get<0>(outcome);
    if (x.error || x.response.result_int() != 200)
        co_return std::nullopt;
    json body = json::parse(x.response.body(), nullptr, false);
    if (!body.is_object())
        co_return std::nullopt;
    co_return body;
}

// A figure from the agent's answer (the sandbox's to shape): a number, or 0.
std::int64_t figure(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number())
        return 0;
    const double v = it->get<double>();
    return v > 0 && v < 9.0e18 ? std::int64_t(v) : 0;
}

} // namespace

awaitable<std::optional<MetricsSample>> SandboxService::sampleOver(const SandboxRow& r, int fd, json* raw) {
    const auto reply = co_await agentGet(fd, "/system/metrics");
    if (!reply)
        co_return std::nullopt;
    MetricsSample s;
    s.at = toMillis(m_clock.now());
    const auto cpu = reply->find("cpuUsedPct");
    s.cpuPct = cpu != reply->end() && cpu->is_number() ? std::clamp(cpu->get<double>(), 0.0, 100.0) : 0.0;
    s.cpuCount = int(std::min<std::int64_t>(figure(*reply, "cpuCount"), 1 << 16));
    s.memUsed = figure(*reply, "memUsed");
    s.memTotal = figure(*reply, "memTotal");
    s.memCache = figure(*reply, "memCache");
    s.diskUsed = figure(*reply, "diskUsed");
    s.diskTotal = figure(*reply, "diskTotal");
    s.netRx = figure(*reply, "netRxBytes");
    s.netTx = figure(*reply, "netTxBytes");
    // The sandbox's own disk: the engine's figures where it has them, its disk size as the limit.
    std::optional<engine::DiskUse> disk;
    try {
        const std::string container = containerName(r);
        disk = co_await m_engine.diskUse(container);
    } catch (const std::exception&) {
        disk.reset();
    }
    if (disk) {
        s.diskUsed = disk->used;
        s.diskTotal = disk->limit > 0 ? disk->limit : std::int64_t(r.disk) << 30;
    }
    if (raw) {
        *raw = *reply;
        (*raw)["diskUsed"] = s.diskUsed;
        (*raw)["diskTotal"] = s.diskTotal;
        (*raw)["diskFree"] = std::max<std::int64_t>(0, s.diskTotal - s.diskUsed);
    }
    co_return s;
}

awaitable<json> SandboxService::systemMetrics(const std::string& idOrName, const Caller& caller) {
    const SandboxRow r = require(idOrName, caller);
    const int fd = co_await connectAgent(r.id, caller);
    json raw;
    const auto sample = co_await sampleOver(r, fd, &raw);
    if (!sample)
        throw DomainError::engineFailed(
            "The toolbox of sandbox '" + r.name +
            "' did not answer /system/metrics; try again, or restart the sandbox.");
    const auto last = m_metrics.latest(r.id);
    if (!last || sample->at - last->at >= MetricsLimits::kSampleEveryMs)
        m_metrics.add(r.id, *sample);
    co_return raw;
}

awaitable<json> SandboxService::telemetryMetrics(const std::string& idOrName, const Caller& caller,
                                                 std::int64_t fromMs, std::int64_t toMs,
                                                 const std::vector<std::string>& names) {
    const SandboxRow r = require(idOrName, caller);
    const auto last = m_metrics.latest(r.id);
    const std::int64_t now = toMillis(m_clock.now());
    if (reportedState(r.state, r.desiredState) == SandboxState::Started &&
        (!last || now - last->at >= MetricsLimits::kSampleEveryMs)) {
        pid_t pid = co_await agentPid(r, false);
        auto c = co_await openAgent(r, pid);
        if (c.fd >= 0) {
            const auto sample = co_await sampleOver(r, c.fd, nullptr);
            if (sample)
                m_metrics.add(r.id, *sample);
        }
    }
    const auto samples = m_metrics.range(r.id, fromMs, toMs);
    co_return MetricsHistory::series(samples, names);
}

awaitable<void> SandboxService::sampleMetrics() {
    const std::int64_t now = toMillis(m_clock.now());
    for (const SandboxRow& r : m_repo.listSettled()) {
        if (r.state != SandboxState::Started || m_busy.count(r.id))
            continue;
        const auto last = m_metrics.latest(r.id);
        if (last && now - last->at < MetricsLimits::kSampleEveryMs)
            continue;
        pid_t pid = co_await agentPid(r, false);
        auto c = co_await openAgent(r, pid);
        if (c.fd < 0 && !c.busy) { // restarted since we last looked
            pid = co_await agentPid(r, true);
            c = co_await openAgent(r, pid);
        }
        if (c.fd < 0)
            continue;
        const auto sample = co_await sampleOver(r, c.fd, nullptr);
        if (sample)
            m_metrics.add(r.id, *sample);
    }
    // A sandbox deleted (or stopped) a retention ago has nothing left in range: its history goes.
    m_metrics.prune(now);
}

awaitable<json> SandboxService::telemetryLogs(const std::string& idOrName, const Caller& caller, LogQuery q) {
    const SandboxRow r = require(idOrName, caller);
    std::vector<engine::LogLine> lines;
    try {
        const std::string container = containerName(r);
        lines = co_await m_engine.containerLogs(container, q.fromMs / 1000, (q.toMs + 999) / 1000,
                                                MetricsLimits::kMaxLogLines);
    } catch (const engine::EngineError& e) {
        if (e.status() != 404) // no container (archived, or never made): no lines
            throw;
    }
    const auto wanted = [&](const engine::LogLine& l) {
        const std::string severity = l.fromStderr ? "ERROR" : "INFO";
        if (!q.severities.empty() &&
            std::find(q.severities.begin(), q.severities.end(), severity) == q.severities.end())
            return false;
        return q.search.empty() || l.text.find(q.search) != std::string::npos;
    };
    std::vector<const engine::LogLine*> kept;
    for (auto it = lines.rbegin(); it != lines.rend(); ++it)
        if (wanted(*it))
            kept.push_back(&*it);
    const int total = int(kept.size());
    const int pages = (total + q.limit - 1) / q.limit;
    json items = json::array();
    for (int i = (q.page - 1) * q.limit; i < std::min(total, q.page * q.limit); ++i) {
        const auto& l = *kept[std::size_t(i)];
        items.push_back({{"timestamp", l.timestamp},
                         {"body", l.text},
                         {"severityText", l.fromStderr ? "ERROR" : "INFO"},
                         {"severityNumber", l.fromStderr ? 17 : 9},
                         {"serviceName", "sandbox"},
                         {"resourceAttributes", {{"sandbox.id", r.id}}},
                         {"logAttributes", {{"stream", l.fromStderr ? "stderr" : "stdout"}}}});
    }
    co_return json{{"items", items}, {"total", total}, {"page", q.page}, {"totalPages", pages}};
}

} // namespace cove::domain
