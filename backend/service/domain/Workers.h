// A small pool of threads for pure filesystem and CPU work (recursive walks and deletes, assembling and
// hashing build contexts, gzip), so the one io thread keeps answering while it runs. Only such work
// goes there: the store (SQLite) and the service's state stay on the io thread, and a job gets what it
// needs by value or by reference to its awaiting caller's locals, never to shared members.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <string>
#include <type_traits>
#include <utility>

namespace cove::domain {

struct WorkerLimits {
    // Two: the machines Cove targets have few cores, and the io thread must keep one.
    static constexpr int kThreads = 2;
};

boost::asio::thread_pool& workers();

// Runs fn() on the pool and resumes the caller on its own executor with the result (or the exception).
template <typename Fn> boost::asio::awaitable<std::invoke_result_t<Fn&>> offload(Fn fn) {
    using Result = std::invoke_result_t<Fn&>;
    // A named job, not a temporary in the co_await (GCC 12 destroys such temporaries twice).
    auto job = [fn = std::move(fn)]() mutable -> boost::asio::awaitable<Result> { co_return fn(); };
    co_return co_await boost::asio::co_spawn(workers(), std::move(job), boost::asio::use_awaitable);
}

// std::filesystem::remove_all on the pool; errors are ignored (what stays is swept later).
boost::asio::awaitable<void> removeAll(std::string path);

} // namespace cove::domain
