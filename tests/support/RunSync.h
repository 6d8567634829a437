// Runs a coroutine to its end on a test's io_context, and everything it started on the way.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>

namespace cove::test {

template <typename T> T runSync(boost::asio::io_context& io, boost::asio::awaitable<T> work) {
    std::optional<T> result;
    std::exception_ptr error;
    boost::asio::co_spawn(io, std::move(work), [&](std::exception_ptr e, T value) {
        error = e;
        if (!e)
            result = std::move(value);
    });
    io.restart();
    io.run();
    if (error)
        std::rethrow_exception(error);
    return std::move(*result);
}

inline void runSync(boost::asio::io_context& io, boost::asio::awaitable<void> work) {
    std::exception_ptr error;
    boost::asio::co_spawn(io, std::move(work), [&](std::exception_ptr e) { error = e; });
    io.restart();
    io.run();
    if (error)
        std::rethrow_exception(error);
}

} // namespace cove::test
