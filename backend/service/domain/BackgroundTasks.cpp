// Runs each background task in its own guard (see the header).
#include "service/domain/BackgroundTasks.h"
#include "service/domain/DomainError.h"

#include "common/ApiError.h"

#include <cstdio>
#include <exception>

namespace cove::domain {

void BackgroundTasks::add(std::string name, Task task) {
    m_tasks.push_back({std::move(task), Health{std::move(name)}});
}

void BackgroundTasks::failed(Health& h, const std::string& why) {
    ++h.failures;
    // Said once per kind of failure: a task failing the same way every round would drown the log.
    if (why != h.lastError)
        std::fprintf(stderr, "coved: background task '%s' failed (%llu so far): %s\n", h.name.c_str(),
                     static_cast<unsigned long long>(h.failures), why.c_str());
    h.lastError = why;
}

boost::asio::awaitable<void> BackgroundTasks::runRound() {
    for (auto& e : m_tasks) {
        ++e.health.rounds;
        std::string why;
        try {
            auto op = e.task();
            co_await std::move(op);
        } catch (const DomainError& error) {
            why = error.message;
        } catch (const std::exception& error) {
            why = error.what();
            if (why.empty())
                why = "unknown error";
        } catch (...) {
            why = "unknown error";
        }
        if (!why.empty()) {
            failed(e.health, why);
        } else if (!e.health.lastError.empty()) {
            std::fprintf(stderr, "coved: background task '%s' works again\n", e.health.name.c_str());
            e.health.lastError.clear();
        }
    }
}

std::vector<BackgroundTasks::Health> BackgroundTasks::health() const {
    std::vector<Health> out;
    for (const auto& e : m_tasks)
        out.push_back(e.health);
    return out;
}

} // namespace cove::domain
