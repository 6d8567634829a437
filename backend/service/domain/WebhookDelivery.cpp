// A webhook attempt: resolve, check every address, connect, TLS with the peer verified, one POST, a
// bounded answer. The whole attempt shares one deadline.
#include "service/domain/WebhookDelivery.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
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
        tcp::resolver resolver(ex);
        const std::string service = std::to_string(url.port);
        auto [rerr, results] = co_await resolver.async_resolve(url.host, service, kTuple);
        if (rerr) {
            out.error = "Cannot resolve '" + url.host + "': " + rerr.message() + ".";
            co_return finish();
        }
        std::vector<tcp::endpoint> targets;
        for (const auto& r : results) {
            const std::string why = refusedAddress(r.endpoint().address(), allowLocal);
            if (!why.empty()) {
                out.error = "Refused: '" + url.host + "' resolves to " + r.endpoint().address().to_string() +
                            ", " + why +
                            ". Deliveries go to public addresses only unless the endpoint allows "
                            "local addresses.";
                co_return finish();
            }
            targets.push_back(r.endpoint());
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
