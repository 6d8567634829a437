// One language server process the agent talks JSON-RPC to over its stdio, as the sandbox user. The
// server is untrusted: every wait is bounded, what it sends is bounded (Framing.h), what the agent
// queues for it is bounded, and a server that breaks the protocol is killed rather than followed.
#pragma once

#include "agent/lsp/Framing.h"
#include "agent/process/UserInfo.h"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

namespace cove::agent::lsp {

// How long `initialize` may take: a server loading a big project's configuration is slow at first.
inline constexpr std::chrono::seconds kInitializeTimeout{30};
// How long any other request may take before the route answers a timeout.
inline constexpr std::chrono::seconds kRequestTimeout{10};
// How long a stopping server gets to answer `shutdown` before it is killed.
inline constexpr std::chrono::seconds kShutdownTimeout{2};
// A server that closes its output is usually exiting: how long to wait for its exit code to report.
inline constexpr std::chrono::milliseconds kExitAfterEofGrace{1000};
// Requests waiting for the server at once; more get "busy" rather than a growing table.
inline constexpr std::size_t kMaxPendingRequests = 64;
// Bytes queued for a server that does not read its stdin before it counts as stuck and is killed.
inline constexpr std::size_t kMaxQueuedInputBytes = 16u << 20;
// Nesting of one message's JSON: the agent asks for flat symbols, so real answers stay shallow.
inline constexpr int kMaxMessageDepth = 128;

class LanguageServer : public std::enable_shared_from_this<LanguageServer> {
public:
    struct Options {
        std::string name; // "the python language server": what errors call it
        std::vector<std::string> argv;
        std::vector<std::string> env; // "K=V"
        std::string cwd;
        UserInfo user;
    };

    explicit LanguageServer(boost::asio::io_context& io, Options options);
    ~LanguageServer();

    // Starts the process; throws ApiError when it cannot be started.
    void spawn();
    // Sends a request and waits for its result (throws ApiError on an error answer, a timeout, or a
    // server that exits or breaks the protocol meanwhile).
    boost::asio::awaitable<nlohmann::json> request(std::string method, nlohmann::json params,
                                                   std::chrono::milliseconds timeout = kRequestTimeout);
    void notify(std::string method, nlohmann::json params);
    // `shutdown` (bounded), `exit`, then the process group is killed whatever it did.
    boost::asio::awaitable<void> stop();

    bool alive() const { return m_failure.empty(); }
    const std::string& failure() const { return m_failure; }
    const std::string& name() const { return m_options.name; }
    // What the server answered to `initialize` (its capabilities).
    nlohmann::json capabilities;
    bool initialized = false;

private:
    struct Pending;
    void readMore();
    void onMessage(const std::string& body);
    void answerServerRequest(const nlohmann::json& message);
    void send(const nlohmann::json& message);
    void writeMore();
    // Ends the conversation: pending requests fail with `why`, the process group is killed.
    void fail(std::string why);

    boost::asio::io_context& m_io;
    Options m_options;
    pid_t m_pid = -1;
    boost::asio::posix::stream_descriptor m_in, m_out;
    boost::asio::steady_timer m_exitGrace;
    std::array<char, 65536> m_readBuffer{};
    FrameReader m_reader;
    std::deque<std::string> m_writes;
    std::size_t m_queuedBytes = 0;
    bool m_writing = false;
    std::int64_t m_nextId = 0;
    std::map<std::int64_t, std::shared_ptr<Pending>> m_pending;
    std::string m_failure; // non-empty once the server is gone or refused
};

} // namespace cove::agent::lsp
