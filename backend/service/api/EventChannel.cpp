// Socket.IO v4 framing, the small part the SDK uses: open, CONNECT with a token, ping/pong, events.
#include "service/api/EventChannel.h"

#include "common/Random.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <vector>

namespace cove::api {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using asio::ip::tcp;
using nlohmann::json;

struct EventChannel::Impl {
    Authenticate authenticate;
    std::vector<std::weak_ptr<Session>> sessions;
};

struct EventChannel::Session : std::enable_shared_from_this<Session> {
    websocket::stream<tcp::socket> ws;
    std::weak_ptr<Impl> hub;
    std::deque<std::string> outbox;
    bool writing = false;
    bool closed = false;
    std::optional<Principal> who;
    std::string sid = randomHex(10);
    asio::steady_timer pinger;
    std::chrono::steady_clock::time_point lastPong = std::chrono::steady_clock::now();

    Session(tcp::socket socket, std::weak_ptr<Impl> h)
        : ws(std::move(socket))
        , hub(std::move(h))
        , pinger(ws.get_executor()) {}

    void send(std::string message) {
        if (closed)
            return;
        outbox.push_back(std::move(message));
        if (!writing)
            asio::co_spawn(ws.get_executor(), flush(shared_from_this()), asio::detached);
    }

    static awaitable<void> flush(std::shared_ptr<Session> self) {
        self->writing = true;
        while (!self->outbox.empty() && !self->closed) {
            const std::string message = std::move(self->outbox.front());
            self->outbox.pop_front();
            self->ws.text(true);
            auto [ec, n] =
                co_await self->ws.async_write(asio::buffer(message), asio::as_tuple(asio::use_awaitable));
            (void)n;
            if (ec)
                self->close();
        }
        self->writing = false;
    }

    void close() {
        if (closed)
            return;
        closed = true;
        pinger.cancel();
        boost::system::error_code ignored;
        ws.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
        ws.next_layer().close(ignored);
    }

    static awaitable<void> ping(std::shared_ptr<Session> self) {
        while (!self->closed) {
            self->pinger.expires_after(kPingInterval);
            auto [ec] = co_await self->pinger.async_wait(asio::as_tuple(asio::use_awaitable));
            if (ec || self->closed)
                co_return;
            if (std::chrono::steady_clock::now() - self->lastPong > kPingInterval + kPingTimeout) {
                self->close(); // the client stopped answering
                co_return;
            }
            self->send("2");
        }
    }

    void onConnect(std::string_view packet) {
        // "40" or "40{...}" for the default namespace; other namespaces are not served.
        if (!packet.empty() && packet.front() == '/') {
            send(R"(44{"message":"Only the default namespace is served."})");
            return;
        }
        const json auth = packet.empty() ? json::object() : json::parse(packet, nullptr, false);
        const std::string token = auth.is_object() && auth.contains("token") && auth["token"].is_string()
                                      ? auth["token"].get<std::string>()
                                      : std::string();
        const auto h = hub.lock();
        if (h && !token.empty())
            who = h->authenticate(token);
        if (!who) {
            send(R"(44{"message":"Invalid, expired or revoked API key."})");
            return;
        }
        send("40" + json{{"sid", randomHex(10)}}.dump());
    }

    void onMessage(std::string_view m) {
        if (m == "3") {
            lastPong = std::chrono::steady_clock::now();
        } else if (m == "2") {
            send("3");
        } else if (m.starts_with("40")) {
            onConnect(m.substr(2));
        } else if (m == "41" || m == "1") {
            close();
        }
        // Events from clients ("42...") carry nothing Cove acts on.
    }

    static awaitable<void> run(std::shared_ptr<Session> self, http::Request request) {
        self->ws.read_message_max(kMaxPayload);
        auto [ec] = co_await self->ws.async_accept(request, asio::as_tuple(asio::use_awaitable));
        if (ec)
            co_return;
        self->send("0" + json{{"sid", self->sid},
                              {"upgrades", json::array()},
                              {"pingInterval", std::chrono::milliseconds(kPingInterval).count()},
                              {"pingTimeout", std::chrono::milliseconds(kPingTimeout).count()},
                              {"maxPayload", kMaxPayload}}
                             .dump());
        asio::co_spawn(self->ws.get_executor(), ping(self), asio::detached);
        boost::beast::flat_buffer buffer;
        while (!self->closed) {
            auto [rec, n] = co_await self->ws.async_read(buffer, asio::as_tuple(asio::use_awaitable));
            (void)n;
            if (rec)
                break;
            const auto data = buffer.data();
            self->onMessage(std::string_view(static_cast<const char*>(data.data()), data.size()));
            buffer.consume(buffer.size());
        }
        self->close();
    }
};

EventChannel::EventChannel(Authenticate authenticate)
    : d(std::make_shared<Impl>()) {
    d->authenticate = std::move(authenticate);
}

EventChannel::~EventChannel() {
    for (auto& w : d->sessions)
        if (auto s = w.lock())
            s->close();
}

void EventChannel::accept(tcp::socket socket, http::Request request) {
    auto session = std::make_shared<Session>(std::move(socket), d);
    std::erase_if(d->sessions, [](const std::weak_ptr<Session>& w) { return w.expired(); });
    d->sessions.push_back(session);
    const auto ex = session->ws.get_executor();
    asio::co_spawn(ex, Session::run(std::move(session), std::move(request)), asio::detached);
}

void EventChannel::publish(const std::string& organizationId, const std::string& event, const json& payload) {
    const std::string message =
        "42" + json::array({event, payload}).dump(-1, ' ', false, json::error_handler_t::replace);
    for (auto& w : d->sessions) {
        const auto s = w.lock();
        if (s && s->who && s->who->organizationId == organizationId)
            s->send(message);
    }
}

} // namespace cove::api
