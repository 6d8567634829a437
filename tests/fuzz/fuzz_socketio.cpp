// The event channel's Socket.IO / Engine.IO framing (service/api/EventChannel.cpp), end to end: a real
// EventChannel on a loopback socket, a WebSocket client that sends the input's lines as messages, and
// the answers checked against the protocol. Per message: "2" (ping) is answered "3"; "40…" (CONNECT) is
// answered "40{"sid":…}" when its JSON carries the valid token and "44{"message":…}" otherwise (and for
// other namespaces); "41" and "1" close the connection; anything else is answered with nothing. A final
// ping must be answered after every answer due, so nothing is answered twice, late or out of order.
#include "FuzzCheck.h"

#include "service/api/EventChannel.h"
#include "service/domain/Config.h"

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

using namespace cove;
namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using asio::ip::tcp;
using nlohmann::json;

namespace {

constexpr const char* kToken = "cove-fuzz-token";

struct Server {
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};
    api::EventChannel channel{[](const std::string& token) -> std::optional<api::Principal> {
        if (token != kToken)
            return std::nullopt;
        return api::Principal{"key", "fuzz", "org", {"*"}};
    }};
    std::thread thread;

    Server() {
        acceptNext();
        thread = std::thread([this] { io.run(); });
    }
    void acceptNext() {
        acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
            if (ec)
                return;
            socket.set_option(tcp::no_delay(true), ec); // one small message at a time: no Nagle waits
            auto s = std::make_shared<tcp::socket>(std::move(socket));
            auto buf = std::make_shared<boost::beast::flat_buffer>();
            auto req = std::make_shared<http::Request>();
            http::bhttp::async_read(*s, *buf, *req,
                                    [this, s, buf, req](boost::system::error_code rec, std::size_t) {
                                        if (!rec)
                                            channel.accept(std::move(*s), std::move(*req));
                                    });
            acceptNext();
        });
    }
};

Server& server() {
    static Server* s = new Server; // lives for the whole run
    return *s;
}

// The answers due for one client message; `closes` when it ends the connection.
std::vector<std::string> answersTo(std::string_view m, bool& closes) {
    closes = false;
    if (m == "2")
        return {"3"};
    if (m == "41" || m == "1") {
        closes = true;
        return {};
    }
    if (!m.starts_with("40"))
        return {};
    const std::string_view packet = m.substr(2);
    if (!packet.empty() && packet.front() == '/')
        return {"44"};
    const json auth = packet.empty() ? json::object() : json::parse(packet, nullptr, false);
    const bool good = auth.is_object() && auth.contains("token") && auth["token"].is_string() &&
                      auth["token"].get<std::string>() == kToken;
    return {good ? "40" : "44"};
}

// Text frames must be UTF-8 (the server would end the connection): anything else goes as binary.
bool ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto began = std::chrono::steady_clock::now();
    Server& srv = server();
    asio::io_context io;
    websocket::stream<tcp::socket> ws(io);
    ws.next_layer().connect(srv.acceptor.local_endpoint());
    ws.next_layer().set_option(tcp::no_delay(true));
    ws.handshake("127.0.0.1", "/api/socket.io/?EIO=4&transport=websocket");

    boost::beast::flat_buffer buf;
    const auto next = [&]() -> std::optional<std::string> {
        boost::system::error_code ec;
        for (;;) {
            buf.consume(buf.size());
            ws.read(buf, ec);
            if (ec)
                return std::nullopt;
            std::string m = boost::beast::buffers_to_string(buf.data());
            if (m != "2") // the server's own ping, on its timer
                return m;
        }
    };
    // The Engine.IO open packet.
    const auto open = next();
    FUZZ_CHECK(open && open->starts_with("0{"));
    const json handshake = json::parse(open->substr(1), nullptr, false);
    FUZZ_CHECK(handshake.is_object() && handshake["sid"].is_string() &&
               handshake["upgrades"] == json::array() &&
               handshake["maxPayload"] == api::EventChannel::kMaxPayload);

    cove::fuzz::Input in(data, size);
    std::vector<std::string> due;
    bool closed = false;
    for (int n = 0; n < 32 && !in.empty() && !closed; ++n) {
        const std::string_view m = in.until('\n');
        for (auto& a : answersTo(m, closed))
            due.push_back(std::move(a));
        ws.binary(!ascii(m));
        boost::system::error_code ec;
        ws.write(asio::buffer(m.data(), m.size()), ec);
        FUZZ_CHECK(!ec);
    }
    if (!closed) {
        due.push_back("3"); // the final ping's answer, after all the others
        boost::system::error_code ec;
        ws.text(true);
        ws.write(asio::buffer(std::string_view("2")), ec);
        FUZZ_CHECK(!ec);
    }
    for (std::size_t i = 0; i < due.size(); ++i) {
        const auto got = next();
        if (!got) {
            // A closing message may cut off answers queued before it. The only other close is the
            // deadline of a session not yet authenticated, which a starved run reaches (the fuzz targets
            // run at the lowest priority beside the suite).
            FUZZ_CHECK(closed || std::chrono::steady_clock::now() - began >=
                                     domain::ConnectionLimits::kEventAuthDeadline);
            break;
        }
        FUZZ_CHECK(got->substr(0, 2) == due[i].substr(0, 2));
        if (due[i] == "40") {
            const json ack = json::parse(got->substr(2), nullptr, false);
            FUZZ_CHECK(ack.is_object() && ack["sid"].is_string() && ack.size() == 1);
        } else if (due[i] == "44") {
            const json err = json::parse(got->substr(2), nullptr, false);
            FUZZ_CHECK(err.is_object() && err["message"].is_string());
        } else {
            FUZZ_CHECK(*got == due[i]);
        }
    }
    if (closed) {
        FUZZ_CHECK(!next()); // the server ended the connection
    } else {
        boost::system::error_code ec;
        ws.close(websocket::close_code::normal, ec);
    }
    return 0;
}
