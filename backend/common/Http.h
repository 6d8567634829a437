// Beast types and JSON response helpers shared by coved and cove-agent.
#pragma once

#include "common/ApiError.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace cove::http {

namespace bhttp = boost::beast::http;
using Request = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;

// The request target without its query string.
inline std::string_view pathOf(std::string_view target) {
    const auto q = target.find('?');
    return q == std::string_view::npos ? target : target.substr(0, q);
}

// An answer whose body is JSON text already written.
inline Response jsonTextResponse(const Request& req, int status, std::string text) {
    Response res{static_cast<bhttp::status>(status), req.version()};
    res.set(bhttp::field::content_type, "application/json");
    res.keep_alive(req.keep_alive());
    res.body() = std::move(text);
    res.prepare_payload();
    return res;
}

inline Response jsonResponse(const Request& req, int status, const nlohmann::json& body) {
    return jsonTextResponse(req, status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

inline Response errorResponse(const Request& req, const ApiError& e) {
    return jsonResponse(req, e.status, e.toJson(std::string(pathOf(req.target()))));
}

// A client that sent `Expect: 100-continue` holds its body back until it hears kContinue (curl waits a
// second for it). The server says it once the request is accepted; a refusal goes out without it.
inline constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
inline bool expectsContinue(const Request& req) {
    return req.version() >= 11 && boost::beast::iequals(req[bhttp::field::expect], "100-continue");
}
// Says kContinue when the request asked for it. A client gone by then shows at its next read.
template <typename Stream>
boost::asio::awaitable<void> continueIfExpected(Stream& stream, const Request& req) {
    if (!expectsContinue(req))
        co_return;
    auto [ec, n] = co_await boost::asio::async_write(stream, boost::asio::buffer(kContinue),
                                                     boost::asio::as_tuple(boost::asio::use_awaitable));
    (void)ec;
    (void)n;
}

// One request and its response on a connected stream; a reply body over bodyLimit is an error.
// Errors come back as values: the caller says what they mean to its own user.
struct Exchange {
    boost::system::error_code error;
    Response response;
};

template <typename Stream>
boost::asio::awaitable<Exchange> exchange(Stream& stream, Request& req, std::size_t bodyLimit) {
    using boost::asio::as_tuple;
    using boost::asio::use_awaitable;
    Exchange out;
    auto [wec, written] = co_await bhttp::async_write(stream, req, as_tuple(use_awaitable));
    (void)written;
    if (wec) {
        out.error = wec;
        co_return out;
    }
    boost::beast::flat_buffer buf;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(bodyLimit);
    auto [rec, read] = co_await bhttp::async_read(stream, buf, parser, as_tuple(use_awaitable));
    (void)read;
    out.error = rec;
    if (!rec)
        out.response = parser.release();
    co_return out;
}

} // namespace cove::http
