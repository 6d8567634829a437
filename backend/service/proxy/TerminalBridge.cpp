// Two Beast WebSockets, one per side, and two loops: page to agent (input, controls) and agent to page
// (output, with pause and resume).
#include "service/proxy/TerminalBridge.h"

#include "common/JsonLimits.h"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>

#include <unistd.h>

namespace cove::proxy {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using api::awaitable;
using asio::as_tuple;
using asio::use_awaitable;
using asio::ip::tcp;
using nlohmann::json;
using PageSocket = websocket::stream<tcp::socket&>;
using AgentSocket = websocket::stream<asio::local::stream_protocol::socket>;

namespace {

// What one typed frame may carry (a large paste arrives in several).
constexpr std::size_t kMaxPageFrame = 64u << 10;
// The page's socket: pinged when quiet, dropped when pings go unanswered this long.
constexpr std::chrono::seconds kPageIdleTimeout{30};
constexpr std::chrono::seconds kHandshakeTimeout{10};
constexpr std::string_view kExitControl = "X-Daytona-Pty-Exit-Control";

struct Flow {
    bool paused = false;
    bool done = false;
    asio::steady_timer resumed;
    explicit Flow(asio::any_io_executor ex)
        : resumed(std::move(ex)) {}
};

std::optional<json> controlOf(const std::string& text) {
    auto parsed = parseUntrustedJson(text);
    if (!parsed.value)
        return std::nullopt;
    json& j = *parsed.value;
    if (!j.is_object() || !j.contains("type") || !j["type"].is_string())
        return std::nullopt;
    return std::move(j);
}

unsigned sizeField(const json& j, const char* name) {
    const auto it = j.find(name);
    if (it == j.end() || !it->is_number_integer() || it->get<long long>() < 1 || it->get<long long>() > 1000)
        return 0;
    return it->get<unsigned>();
}

// Agent to page, until the shell exits, the agent goes or the page does.
awaitable<TerminalEnd> toPage(PageSocket& page, AgentSocket& agent, Flow& flow) {
    boost::beast::flat_buffer buf;
    TerminalEnd end = TerminalEnd::PageLeft;
    websocket::close_reason reason(websocket::close_code::normal);
    for (;;) {
        while (flow.paused && !flow.done) {
            flow.resumed.expires_at(asio::steady_timer::time_point::max());
            co_await flow.resumed.async_wait(as_tuple(use_awaitable));
        }
        if (flow.done)
            break;
        auto [rec, rn] = co_await agent.async_read(buf, as_tuple(use_awaitable));
        (void)rn;
        if (rec) {
            if (flow.done) // the page left and the other loop let go of the agent
                break;
            end = TerminalEnd::AgentLost;
            reason = {websocket::close_code::internal_error, "the sandbox's terminal went away"};
            break;
        }
        const bool text = agent.got_text();
        std::string data = boost::beast::buffers_to_string(buf.data());
        buf.consume(buf.size());
        bool last = false;
        if (text) {
            if (const auto control = controlOf(data); control && (*control)["type"] == "control") {
                const std::string status = control->value("status", "");
                if (status == "connected")
                    continue; // the page got its own
                last = true;
                end = status == "exited" ? TerminalEnd::ShellExited : TerminalEnd::AgentLost;
                if (end == TerminalEnd::AgentLost)
                    reason = {websocket::close_code::internal_error, "the sandbox's terminal failed"};
            }
        }
        page.binary(!last);
        auto [wec, wn] = co_await page.async_write(asio::buffer(data), as_tuple(use_awaitable));
        (void)wn;
        if (wec) {
            end = TerminalEnd::PageLeft;
            break;
        }
        if (last)
            break;
    }
    flow.done = true;
    if (end != TerminalEnd::PageLeft) {
        auto [cec] = co_await page.async_close(reason, as_tuple(use_awaitable));
        (void)cec;
    }
    // Ends the other loop's wait on the page, whatever state the close left it in.
    boost::system::error_code ignored;
    page.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
    co_return end;
}

// Page to agent: input goes to the shell, controls are acted on.
awaitable<void> toAgent(PageSocket& page, AgentSocket& agent, Flow& flow, TerminalLink& link) {
    boost::beast::flat_buffer buf;
    for (;;) {
        auto [rec, rn] = co_await page.async_read(buf, as_tuple(use_awaitable));
        (void)rn;
        if (rec)
            break;
        std::string data = boost::beast::buffers_to_string(buf.data());
        buf.consume(buf.size());
        if (page.got_text()) {
            if (const auto control = controlOf(data)) {
                const std::string type = (*control)["type"];
                if (type == "pause") {
                    flow.paused = true;
                } else if (type == "resume") {
                    flow.paused = false;
                    flow.resumed.cancel();
                } else if (type == "resize") {
                    const unsigned cols = sizeField(*control, "cols");
                    const unsigned rows = sizeField(*control, "rows");
                    if (cols && rows) {
                        try {
                            auto resizing = link.resize(cols, rows);
                            co_await std::move(resizing);
                        } catch (...) {
                            // The terminal keeps its old size; the shell is still usable.
                        }
                    }
                }
                continue; // unknown controls are ignored, as newer pages may send more
            }
        }
        link.activity();
        agent.binary(true);
        auto [wec, wn] = co_await agent.async_write(asio::buffer(data), as_tuple(use_awaitable));
        (void)wn;
        if (wec)
            break;
    }
    flow.done = true;
    flow.resumed.cancel();
    // Detaches from the shell (which lives on for a reconnect) and ends the other loop's read.
    boost::system::error_code ignored;
    agent.next_layer().shutdown(asio::local::stream_protocol::socket::shutdown_both, ignored);
}

} // namespace

awaitable<TerminalEnd> bridgeTerminal(api::Tunnel& tunnel, http::Request upgrade, TerminalLink link) {
    const auto ex = co_await asio::this_coro::executor;
    asio::local::stream_protocol::socket raw(ex);
    boost::system::error_code ec;
    raw.assign(asio::local::stream_protocol(), link.agentFd, ec);
    if (ec) {
        ::close(link.agentFd);
        throw ApiError::internal("Cannot use the agent connection: " + ec.message());
    }
    AgentSocket agent(std::move(raw));
    agent.set_option(websocket::stream_base::decorator(
        [](websocket::request_type& r) { r.set(http::bhttp::field::sec_websocket_protocol, kExitControl); }));
    auto [hec] = co_await agent.async_handshake("agent", link.agentTarget, as_tuple(use_awaitable));
    if (hec)
        throw ApiError::badGateway("The sandbox's agent refused the terminal (" + hec.message() + ").");
    // The agent's first frame says whether the shell is there.
    boost::beast::flat_buffer first;
    auto [fec, fn] = co_await agent.async_read(first, as_tuple(use_awaitable));
    (void)fn;
    if (fec)
        throw ApiError::badGateway("The sandbox's agent closed the terminal (" + fec.message() + ").");
    const auto hello = controlOf(boost::beast::buffers_to_string(first.data()));
    if (!hello || hello->value("status", "") != "connected") {
        const std::string why =
            hello ? hello->value("error", "no reason given") : "an unexpected first frame";
        throw ApiError{410, "The terminal session cannot be opened: " + why + ". Open a new terminal.", {}};
    }

    PageSocket page(*tunnel.client);
    websocket::stream_base::timeout timeouts{kHandshakeTimeout, kPageIdleTimeout, true};
    page.set_option(timeouts);
    page.read_message_max(kMaxPageFrame);
    tunnel.streamed = true;
    auto [aec] = co_await page.async_accept(upgrade, as_tuple(use_awaitable));
    if (aec)
        co_return TerminalEnd::PageLeft;
    const json connected{{"type", "control"},
                         {"status", "connected"},
                         {"sessionId", link.sessionId},
                         {"resumeToken", link.connected()}};
    page.text(true);
    auto [wec, wn] = co_await page.async_write(asio::buffer(connected.dump()), as_tuple(use_awaitable));
    (void)wn;
    if (wec)
        co_return TerminalEnd::PageLeft;

    Flow flow(ex);
    using namespace asio::experimental::awaitable_operators;
    auto both = toPage(page, agent, flow) && toAgent(page, agent, flow, link);
    const TerminalEnd end = co_await std::move(both);
    co_return end;
}

} // namespace cove::proxy
