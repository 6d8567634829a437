// Copies bytes from one stream to another until the sender is done or either side fails, with
// back-pressure (nothing more is read before the last piece was written). The proxies' tunnels use it.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <cstddef>

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

} // namespace cove
