// Asks coved's GET /api/health over and over from a thread of its own while a test attacks, and reports
// how long the answers took: an attack that stalls coved's one io thread shows as a slow or missing
// answer, whatever the test's own event loop is doing.
#pragma once

#include "support/Loopback.h"

#include <QtGlobal>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cove::test {

class HealthProbe {
public:
    // A request that gets no answer within this long counts as this long.
    static constexpr int kTimeoutMs = 5000;

    explicit HealthProbe(quint16 port)
        : m_port(port)
        , m_thread([this] { loop(); }) {}
    ~HealthProbe() { stop(); }

    void stop() {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    // The p-th percentile (0-100) of the latencies seen so far, in ms; kTimeoutMs when there are none.
    double percentileMs(double p) const {
        std::lock_guard lock(m_mutex);
        if (m_ms.empty())
            return kTimeoutMs;
        std::vector<double> v = m_ms;
        std::sort(v.begin(), v.end());
        return v[std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * v.size()))];
    }
    std::size_t samples() const {
        std::lock_guard lock(m_mutex);
        return m_ms.size();
    }
    int failures() const { return m_failures; }

private:
    void loop() {
        while (!m_stop) {
            const auto t0 = std::chrono::steady_clock::now();
            const bool ok = once();
            const double ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            {
                std::lock_guard lock(m_mutex);
                m_ms.push_back(ok ? ms : double(kTimeoutMs));
            }
            if (!ok)
                ++m_failures;
            std::this_thread::sleep_for(std::chrono::milliseconds(20)); // a steady trickle, not a flood
        }
    }

    // One GET /api/health on a fresh connection; true when a 200 came back in time.
    bool once() const {
        const int fd = connectLoopback(m_port, kTimeoutMs);
        if (fd < 0)
            return false;
        bool ok = false;
        const std::string req = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size())) {
            char buf[256];
            const ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
            ok = n > 12 && std::strncmp(buf + 9, "200", 3) == 0;
        }
        ::close(fd);
        return ok;
    }

    quint16 m_port;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_failures{0};
    mutable std::mutex m_mutex;
    std::vector<double> m_ms;
    std::thread m_thread;
};

} // namespace cove::test
