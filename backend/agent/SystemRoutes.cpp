// system/metrics and the port routes: what the sandbox uses and what listens in it, read from the
// container's own cgroup and /proc (the agent shares the sandbox's namespaces).
#include "agent/Routes.h"
#include "common/Time.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <sys/statvfs.h>
#include <unistd.h>

namespace cove::agent {

using http::bhttp::verb;
using nlohmann::json;

namespace {
constexpr const char* kCgroup = "/sys/fs/cgroup";
// The first reading has no earlier sample to compare CPU time with; take one this far apart.
constexpr std::chrono::milliseconds kFirstCpuSample{100};

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A "key value" line of a cgroup or /proc file; -1 when absent.
long long keyed(const std::string& text, const std::string& key) {
    std::istringstream in(text);
    for (std::string k; in >> k;) {
        long long v = 0;
        if (k == key || k == key + ":") {
            in >> v;
            return v;
        }
        in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    }
    return -1;
}

int cpuCount() {
    // cpu.max is "quota period" or "max period".
    std::istringstream in(readFile(std::string(kCgroup) + "/cpu.max"));
    std::string quota;
    long long period = 0;
    if (in >> quota >> period && quota != "max" && period > 0) {
        const long long q = std::stoll(quota);
        return int(std::max<long long>(1, (q + period - 1) / period));
    }
    // cgroup v1
    const std::string q1 = readFile(std::string(kCgroup) + "/cpu/cpu.cfs_quota_us");
    const std::string p1 = readFile(std::string(kCgroup) + "/cpu/cpu.cfs_period_us");
    if (!q1.empty() && !p1.empty() && std::stoll(q1) > 0 && std::stoll(p1) > 0)
        return int(std::max<long long>(1, (std::stoll(q1) + std::stoll(p1) - 1) / std::stoll(p1)));
    return int(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
}

long long cpuUsageMicros() {
    const long long v = keyed(readFile(std::string(kCgroup) + "/cpu.stat"), "usage_usec");
    if (v >= 0)
        return v;
    if (const std::string ns = readFile(std::string(kCgroup) + "/cpuacct/cpuacct.usage"); !ns.empty())
        return std::stoll(ns) / 1000; // cgroup v1, nanoseconds
    // Without a cgroup v2 view, the whole machine's busy time from /proc/stat (in USER_HZ).
    std::istringstream in(readFile("/proc/stat"));
    std::string cpu;
    long long user = 0, nice = 0, sys = 0;
    in >> cpu >> user >> nice >> sys;
    return (user + nice + sys) * 1000000 / sysconf(_SC_CLK_TCK);
}

struct CpuSample {
    std::chrono::steady_clock::time_point at;
    long long usage = -1;
};
CpuSample lastCpu;

// Bytes received and sent on the sandbox's interfaces but loopback, from /proc/net/dev (the agent shares
// the sandbox's network namespace).
std::pair<long long, long long> networkBytes() {
    std::istringstream in(readFile("/proc/net/dev"));
    std::string line;
    long long rx = 0, tx = 0;
    while (std::getline(in, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        std::string name = line.substr(0, colon);
        name.erase(0, name.find_first_not_of(' '));
        if (name == "lo")
            continue;
        std::istringstream f(line.substr(colon + 1));
        long long v[9] = {};
        for (auto& x : v)
            f >> x;
        rx += v[0]; // receive bytes, then 7 more receive fields, then transmit bytes
        tx += v[8];
    }
    return {rx, tx};
}

json metrics(double cpuPct, int cpus) {
    long long memTotal = 0;
    const std::string max = readFile(std::string(kCgroup) + "/memory.max");
    if (!max.empty() && max.rfind("max", 0) != 0)
        memTotal = std::stoll(max);
    const long long hostTotal = keyed(readFile("/proc/meminfo"), "MemTotal") * 1024;
    if (memTotal <= 0) { // cgroup v1 says "no limit" with a huge number
        const std::string v1 = readFile(std::string(kCgroup) + "/memory/memory.limit_in_bytes");
        memTotal = v1.empty() ? 0 : std::stoll(v1);
    }
    if (memTotal <= 0 || memTotal > hostTotal)
        memTotal = hostTotal;
    long long memUsed = 0, memCache = 0;
    const std::string current = readFile(std::string(kCgroup) + "/memory.current");
    const std::string v1Usage = readFile(std::string(kCgroup) + "/memory/memory.usage_in_bytes");
    if (!current.empty()) {
        const std::string stat = readFile(std::string(kCgroup) + "/memory.stat");
        memCache = std::max(0LL, keyed(stat, "file"));
        // As `docker stats` counts it: what could not be dropped at once.
        memUsed = std::max(0LL, std::stoll(current) - std::max(0LL, keyed(stat, "inactive_file")));
    } else if (!v1Usage.empty()) {
        const std::string stat = readFile(std::string(kCgroup) + "/memory/memory.stat");
        memCache = std::max(0LL, keyed(stat, "total_cache"));
        memUsed = std::max(0LL, std::stoll(v1Usage) - std::max(0LL, keyed(stat, "total_inactive_file")));
    } else {
        const std::string info = readFile("/proc/meminfo");
        memCache = keyed(info, "Cached") * 1024;
        memUsed = memTotal - keyed(info, "MemAvailable") * 1024;
    }
    struct statvfs fs {};
    long long diskTotal = 0, diskFree = 0;
    if (::statvfs("/", &fs) == 0) {
        diskTotal = (long long)fs.f_blocks * fs.f_frsize;
        diskFree = (long long)fs.f_bavail * fs.f_frsize;
    }
    const auto [netRx, netTx] = networkBytes();
    const auto now = SystemClock().now();
    return {
        {"cpuCount", cpus},
        {"cpuUsedPct", cpuPct},
        {"memTotal", memTotal},
        {"memUsed", memUsed},
        {"memCache", memCache},
        {"diskTotal", diskTotal},
        {"diskUsed", diskTotal - diskFree},
        {"diskFree", diskFree},
        {"netRxBytes", netRx}, // Cove's: the SDK's SystemMetrics has no network figures
        {"netTxBytes", netTx},
        {"timestamp", toIso8601(now)},
        {"timestampUnix", std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()}};
}

awaitable<http::Response> systemMetrics(Call c) {
    if (lastCpu.usage < 0) {
        lastCpu = {std::chrono::steady_clock::now(), cpuUsageMicros()};
        boost::asio::steady_timer wait(co_await boost::asio::this_coro::executor, kFirstCpuSample);
        boost::system::error_code ec;
        co_await wait.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    }
    const CpuSample now{std::chrono::steady_clock::now(), cpuUsageMicros()};
    const int cpus = cpuCount();
    const double wallMicros =
        double(std::chrono::duration_cast<std::chrono::microseconds>(now.at - lastCpu.at).count());
    double pct = wallMicros > 0 ? double(now.usage - lastCpu.usage) * 100.0 / (wallMicros * cpus) : 0.0;
    pct = std::clamp(pct, 0.0, 100.0);
    lastCpu = now;
    co_return c.json(200, metrics(pct, cpus));
}

// Ports with a listening TCP socket in the sandbox, from /proc/net/tcp{,6}.
std::set<int> listeningPorts() {
    std::set<int> ports;
    for (const char* file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        std::istringstream in(readFile(file));
        std::string line;
        std::getline(in, line); // header
        while (std::getline(in, line)) {
            std::istringstream f(line);
            std::string slot, local, remote, state;
            if (!(f >> slot >> local >> remote >> state) || state != "0A") // 0A = LISTEN
                continue;
            const auto colon = local.rfind(':');
            if (colon != std::string::npos)
                ports.insert(int(std::stoul(local.substr(colon + 1), nullptr, 16)));
        }
    }
    return ports;
}
} // namespace

void addSystemRoutes(Routes& r, Toolbox&) {
    r.add(verb::get, "/system/metrics", [](Call c) { return systemMetrics(std::move(c)); });
    r.addSync(verb::get, "/port", [](const Call& c) {
        const auto ports = listeningPorts();
        return c.json(200, {{"ports", std::vector<int>(ports.begin(), ports.end())}});
    });
    r.addSync(verb::get, "/port/{port}/in-use", [](const Call& c) {
        const std::string& p = c.param("port");
        char* end = nullptr;
        const long port = std::strtol(p.c_str(), &end, 10);
        if (p.empty() || *end || port < 1 || port > 65535)
            throw badRequest("'" + p + "' is not a port number (1-65535).");
        return c.json(200, {{"isInUse", listeningPorts().count(int(port)) > 0}});
    });
}

} // namespace cove::agent
