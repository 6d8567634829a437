// Copies bytes from one stream to another until the sender is done or either side fails, with
// back-pressure (nothing more is read before the last piece was written). The proxies' tunnels use it.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <tuple>

namespace cove {

// seen(data, n) is called with each piece before it is written on.
template <typename From, typename To, typename Seen>
boost::asio::awaitable<void> pump(From& from, To& to, Seen seen) {
    namespace asio = boost::asio;
    std::array<char, 64 * 1024> buf;
    for (;;) {
        auto [rec, n] = co_await from.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
        if (rec || n == 0)
            break;
        seen(buf.data(), n);
        auto [wec, w] =
            co_await asio::async_write(to, asio::buffer(buf.data(), n), asio::as_tuple(asio::use_awaitable));
        (void)w;
        if (wec)
            break;
    }
}

// The same between two sockets, through a pipe with splice(2): the bytes never enter this process.
// moved(n) is called with each piece's size. Reads only when the pipe is empty, so a slow receiver holds
// the sender back, with at most a pipe's 64 KiB waiting in the kernel per direction (what bounds the
// memory of many slow flows: coved, as root, is under no pipe quota). Falls back to pump() where no pipe
// can be made.
template <typename From, typename To, typename Moved>
boost::asio::awaitable<void> splicePump(From& from, To& to, Moved moved) {
    namespace asio = boost::asio;
    constexpr auto tuple = asio::as_tuple(asio::use_awaitable);
    constexpr unsigned kFlags = SPLICE_F_MOVE | SPLICE_F_NONBLOCK;
    int pipe[2];
    if (::pipe2(pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
        co_await pump(from, to, [&](const char*, std::size_t n) { moved(n); });
        co_return;
    }
    constexpr std::size_t chunk = 64 * 1024;
    // splice(2) itself never blocks on these sockets: a socket with nothing to give answers EAGAIN.
    boost::system::error_code ignored;
    from.non_blocking(true, ignored);
    to.non_blocking(true, ignored);
    // The descriptors are read afresh each time: a flow cut meanwhile has closed them, and their numbers
    // may already belong to other sockets.
    bool open = true;
    while (open && from.is_open() && to.is_open()) {
        const ssize_t n = ::splice(from.native_handle(), nullptr, pipe[1], nullptr, chunk, kFlags);
        if (n < 0 && errno == EAGAIN) {
            open = !std::get<0>(co_await from.async_wait(From::wait_read, tuple));
            continue;
        }
        if (n <= 0)
            break;
        moved(std::size_t(n));
        // The pipe is emptied into `to` before `from` is read again.
        for (auto left = std::size_t(n); open && left > 0;) {
            const ssize_t w =
                to.is_open() ? ::splice(pipe[0], nullptr, to.native_handle(), nullptr, left, kFlags) : -1;
            if (w > 0)
                left -= std::size_t(w);
            else if (w < 0 && errno == EAGAIN)
                open = !std::get<0>(co_await to.async_wait(To::wait_write, tuple));
            else
                open = false;
        }
    }
    ::close(pipe[0]);
    ::close(pipe[1]);
}

} // namespace cove
