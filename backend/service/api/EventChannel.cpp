// Socket.IO v4 framing, the small part the SDK uses: open, CONNECT with a token, ping/pong, events.
#include "service/api/EventChannel.h"

#include "common/JsonLimits.h"
#include "common/Random.h"
#include "service/domain/Config.h"

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
using Limits = domain::ConnectionLimits;
using nlohmann::json;

struct EventChannel::Impl {
    Authenticate authenticate;
    std::vector<std::weak_ptr<Session>> sessions;
};

struct EventChannel::Session : std::enable_shared_from_this<Session> {
    websocket::stream<tcp::socket> ws;
    std::weak_ptr<Impl> hub;
    std::deque<std::string> outbox;
    std::size_t outboxBytes = 0;
    bool writing = false;
    bool closed = false;
    bool dropping = false; // too slow a reader: a close frame, then the end
    std::chrono::steady_clock::time_point opened = std::chrono::steady_clock::now();
    std::optional<Principal> who;
    std::string sid = randomHex(10);
    asio::steady_timer pinger;
    asio::steady_timer deadline; // the authentication deadline, then the grace of a dropped reader
    std::chrono::steady_clock::time_point lastPong = std::chrono::steady_clock::now();

    Session(tcp::socket socket, std::weak_ptr<Impl> h)
        : ws(std::move(socket))
        , hub(std::move(h))
        , pinger(ws.get_executor())
        , deadline(ws.get_executor()) {}

    bool pending() const { return !who && !closed; }

    void send(std::string message) {
        if (closed || dropping)
            return;
        if (outboxBytes + message.size() > Limits::kMaxEventOutboxBytes) {
            drop();
            return;
        }
        outboxBytes += message.size();
        outbox.push_back(std::move(message));
        startFlush();
    }

    // One writer at a time: marked before the writer runs (co_spawn only queues it).
    void startFlush() {
        if (writing)
            return;
        writing = true;
        asio::co_spawn(ws.get_executor(), flush(shared_from_this()), asio::detached);
    }

    static awaitable<void> flush(std::shared_ptr<Session> self) {
        self->writing = true;
        while (!self->outbox.empty() && !self->closed) {
            const std::string message = std::move(self->outbox.front());
            self->outbox.pop_front();
            self->outboxBytes -= message.size();
            self->ws.text(true);
            auto [ec, n] =
                co_await self->ws.async_write(asio::buffer(message), asio::as_tuple(asio::use_awaitable));
            (void)n;
            if (ec)
                self->close();
        }
        if (self->dropping && !self->closed) {
            auto [ec] = co_await self->ws.async_close(
                websocket::close_reason(websocket::close_code::policy_error,
                                        "Events came faster than this client read them; reconnect."),
                asio::as_tuple(asio::use_awaitable));
            (void)ec;
            self->close();
        }
        self->writing = false;
    }

    // Forgets what waits for this client and ends its session: a close frame if it reads within
    // kEventCloseGrace, else the connection just ends.
    void drop() {
        dropping = true;
        outbox.clear();
        outboxBytes = 0;
        deadline.expires_after(Limits::kEventCloseGrace);
        deadline.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (!ec)
                self->close();
        });
        startFlush();
    }

    void close() {
        if (closed)
            return;
        closed = true;
        pinger.cancel();
        deadline.cancel();
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
        // The packet comes before any key: its JSON is parsed with a bound on nesting.
        const auto parsed = packet.empty() ? JsonParse{json::object(), {}} : parseUntrustedJson(packet);
        const json auth = parsed.value.value_or(json());
        const auto t = auth.is_object() ? auth.find("token") : auth.end();
        const std::string token = t != auth.end() && t->is_string() ? t->get<std::string>() : std::string();
        // Each CONNECT is judged by its own token alone: one refused leaves the session unauthenticated,
        // whatever an earlier one proved, with the deadline to prove it again.
        const auto h = hub.lock();
        who = h && !token.empty() ? h->authenticate(token) : std::nullopt;
        if (!who) {
            send(R"(44{"message":"Invalid, expired or revoked API key."})");
            if (!dropping)
                armAuthDeadline();
            return;
        }
        deadline.cancel();
        send("40" + json{{"sid", randomHex(10)}}.dump());
    }

    // Who it is must be said soon: a session still unauthenticated at the deadline is closed.
    void armAuthDeadline() {
        deadline.expires_after(Limits::kEventAuthDeadline);
        deadline.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
            if (const auto s = weak.lock(); s && !ec && !s->who)
                s->close();
        });
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
        self->armAuthDeadline();
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
    std::erase_if(d->sessions, [](const std::weak_ptr<Session>& w) {
        const auto s = w.lock();
        return !s || s->closed;
    });
    // Room for the newcomer: the longest-waiting unauthenticated session goes.
    std::size_t pending = 0;
    std::shared_ptr<Session> oldest;
    for (const auto& w : d->sessions)
        if (const auto s = w.lock(); s && s->pending()) {
            ++pending;
            if (!oldest || s->opened < oldest->opened)
                oldest = s;
        }
    if (pending >= Limits::kMaxPendingEventSessions && oldest)
        oldest->close();
    d->sessions.push_back(session);
    const auto ex = session->ws.get_executor();
    asio::co_spawn(ex, Session::run(std::move(session), std::move(request)), asio::detached);
}

void EventChannel::publish(const std::string& organizationId, const std::string& event, const json& payload) {
    const bool audit = event.starts_with("audit.");
    const std::string message =
        "42" + json::array({event, payload}).dump(-1, ' ', false, json::error_handler_t::replace);
    for (auto& w : d->sessions) {
        const auto s = w.lock();
        if (s && s->who && s->who->organizationId == organizationId &&
            (!audit || s->who->hasScope(kReadAuditLogs)))
            s->send(message);
    }
}

} // namespace cove::api
