#include "service/domain/Workers.h"

#include <filesystem>
#include <system_error>

namespace cove::domain {

boost::asio::thread_pool& workers() {
    static boost::asio::thread_pool pool(WorkerLimits::kThreads);
    return pool;
}

boost::asio::awaitable<void> removeAll(std::string path) {
    co_await offload([&path] {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    });
}

} // namespace cove::domain
