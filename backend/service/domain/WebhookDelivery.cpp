// A webhook attempt: resolve, check every address, connect, TLS with the peer verified, one POST, a
// bounded answer. The whole attempt shares one deadline.
#include "service/domain/WebhookDelivery.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace cove::domain::webhook {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using asio::ip::tcp;

namespace {

constexpr std::size_t kMaxHeaderBytes = 16 << 10;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

} // namespace

namespace {

// Host names are looked up on threads of their own: Asio's resolver has one thread for the whole
// io_context, so a name whose DNS hangs would hold up every other endpoint's lookup (and coved's own).
// The pool is never destroyed: a lookup still hanging at exit must not hold coved up.
constexpr int kLookupThreads = 16;

asio::thread_pool& lookupPool() {
    static auto* pool = new asio::thread_pool(kLookupThreads);
    return *pool;
}

struct Lookup {
    boost::system::error_code error;
    std::vector<tcp::endpoint> endpoints;
};

// Runs on the pool: getaddrinfo, blocking. An address needs no lookup (its odd spellings, 2130706433 or
// 0177.0.0.1, do: getaddrinfo reads them as the C library does, and the result is checked as any other).
asio::awaitable<Lookup> resolve(std::string host, std::uint16_t port) {
    Lookup out;
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (!ec) {
        out.endpoints.emplace_back(address, port);
        co_return out;
    }
    tcp::resolver resolver(co_await asio::this_coro::executor);
    const auto results = resolver.resolve(host, std::to_string(port), out.error);
    for (const auto& r : results)
        out.endpoints.push_back(r.endpoint());
    co_return out;
}

std::string excerpt(const std::string& body, std::size_t n) {
    if (body.size() <= n)
        return body;
    // Cut at a character boundary so the excerpt stays valid UTF-8.
    std::size_t cut = n;
    while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80)
        --cut;
    return body.substr(0, cut);
}

asio::ssl::context& tlsContext() {
    static asio::ssl::context ctx = [] {
        asio::ssl::context c(asio::ssl::context::tls_client);
        c.set_default_verify_paths();
        c.set_verify_mode(asio::ssl::verify_peer);
        c.set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                      asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
        return c;
    }();
    return ctx;
}

template <class Stream>
asio::awaitable<void> exchange(Stream& stream, bhttp::request<bhttp::string_body>& req, const Limits& limits,
                               Outcome& out) {
    auto [we, wn] = co_await bhttp::async_write(stream, req, kTuple);
    (void)wn;
    if (we) {
        out.error = "Sending the request failed: " + we.message() + ".";
        co_return;
    }
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(limits.maxResponseBytes);
    auto [re, rn] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
    (void)rn;
    if (parser.is_header_done())
        out.status = parser.get().result_int();
    if (re && !(re == bhttp::error::body_limit && out.status)) {
        out.status.reset();
        out.error = re == beast::error::timeout ? "The endpoint did not answer in time."
                                                : "Reading the answer failed: " + re.message() + ".";
        co_return;
    }
    out.response = excerpt(parser.get().body(), limits.excerptBytes);
    if (out.status && *out.status >= 300 && *out.status < 400)
        out.error = "The endpoint answered with a redirect; redirects are not followed.";
    else if (out.status && !out.succeeded())
        out.error = "The endpoint answered " + std::to_string(*out.status) + ".";
}

} // namespace

asio::awaitable<Outcome> post(asio::any_io_executor ex, EndpointUrl url, bool allowLocal,
                              std::vector<std::pair<std::string, std::string>> headers, std::string body,
                              Limits limits) {
    Outcome out;
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + limits.timeout;
    auto finish = [&]() -> Outcome {
        out.durationMs =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
                .count();
        return out;
    };
    if (url.https == false && !allowLocal) {
        out.error = "Plain http:// is allowed only on endpoints that allow local addresses; use https://.";
        co_return finish();
    }
    try {
        const std::string host = url.host;
        const std::uint16_t port = url.port;
        auto lookup = asio::co_spawn(lookupPool(), resolve(host, port), asio::use_awaitable);
        const Lookup found = co_await std::move(lookup);
        if (found.error) {
            out.error = "Cannot resolve '" + url.host + "': " + found.error.message() + ".";
            co_return finish();
        }
        std::vector<tcp::endpoint> targets;
        for (const auto& endpoint : found.endpoints) {
            const std::string why = refusedAddress(endpoint.address(), allowLocal);
            if (!why.empty()) {
                out.error = "Refused: '" + url.host + "' resolves to " + endpoint.address().to_string() +
                            ", " + why +
                            ". Deliveries go to public addresses only unless the endpoint allows "
                            "local addresses.";
                co_return finish();
            }
            targets.push_back(endpoint);
        }
        if (targets.empty()) {
            out.error = "'" + url.host + "' resolves to no address.";
            co_return finish();
        }
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::milliseconds(0)) {
            out.error = "The endpoint did not answer in time.";
            co_return finish();
        }
        bhttp::request<bhttp::string_body> req{bhttp::verb::post, url.target, 11};
        const bool defaultPort = url.port == (url.https ? 443 : 80);
        const std::string hostHeader =
            (url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host) +
            (defaultPort ? "" : ":" + std::to_string(url.port));
        req.set(bhttp::field::host, hostHeader);
        req.set(bhttp::field::user_agent, "Cove-Webhooks/1");
        req.set(bhttp::field::content_type, "application/json");
        req.set(bhttp::field::connection, "close");
        for (const auto& [k, v] : headers)
            req.set(k, v);
        req.body() = std::move(body);
        req.prepare_payload();

        beast::tcp_stream tcpStream(ex);
        tcpStream.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(left));
        auto [cerr, connected] = co_await tcpStream.async_connect(targets, kTuple);
        (void)connected;
        if (cerr) {
            out.error = cerr == beast::error::timeout
                            ? "Connecting to the endpoint timed out."
                            : "Cannot connect to the endpoint: " + cerr.message() + ".";
            co_return finish();
        }
        if (!url.https) {
            co_await exchange(tcpStream, req, limits, out);
            co_return finish();
        }
        beast::ssl_stream<beast::tcp_stream> tls(std::move(tcpStream), tlsContext());
        if (!SSL_set_tlsext_host_name(tls.native_handle(), url.host.c_str())) {
            out.error = "TLS setup failed (server name).";
            co_return finish();
        }
        tls.set_verify_callback(asio::ssl::host_name_verification(url.host));
        auto [herr] = co_await tls.async_handshake(asio::ssl::stream_base::client, kTuple);
        if (herr) {
            out.error = "The TLS handshake failed (the endpoint's certificate must be valid for '" +
                        url.host + "'): " + herr.message() + ".";
            co_return finish();
        }
        co_await exchange(tls, req, limits, out);
    } catch (const std::exception& e) {
        out.status.reset();
        out.error = std::string("The delivery failed: ") + e.what() + ".";
    }
    co_return finish();
}

} // namespace cove::domain::webhook
