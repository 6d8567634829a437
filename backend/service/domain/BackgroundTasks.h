// The work coved does on its own every round (network check, reconcile, timers, warm pool, usage samples).
// A task that fails is logged and counted, and the round goes on to the next task: one broken sandbox row
// or one refused iptables call never stops the others, nor the rounds after it.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cove::domain {

class BackgroundTasks {
public:
    using Task = std::function<boost::asio::awaitable<void>()>;

    struct Health {
        std::string name;
        std::uint64_t rounds = 0;
        std::uint64_t failures = 0;
        std::string lastError; // empty once the task succeeds again
    };

    void add(std::string name, Task task);
    // Every task once, in the order they were added.
    boost::asio::awaitable<void> runRound();
    std::vector<Health> health() const;

private:
    void failed(Health& h, const std::string& why);

    struct Entry {
        Task task;
        Health health;
    };
    std::vector<Entry> m_tasks;
};

} // namespace cove::domain
