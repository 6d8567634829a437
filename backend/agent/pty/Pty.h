// One pseudo-terminal: a shell on a pty slave, its master read by the agent and fanned out to every
// attached WebSocket client. The shell is never held up by a client: each client has its own bounded
// queue (WebSocket drops one that overflows it), and reading pauses only while every client is behind.
#pragma once

#include "agent/process/Environment.h"
#include "agent/process/UserInfo.h"
#include "common/Time.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json_fwd.hpp>

#include <array>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cove::agent {

class WebSocket;

struct PtyOptions {
    std::string id;
    std::string cwd;       // absolute
    Environment::Map envs; // the request's own variables
    unsigned cols = 80;
    unsigned rows = 24;
    bool lazyStart = false; // start the shell when the first client connects
};

// Terminal sizes a client may ask for (Daytona's PtyResizeRequest bounds).
constexpr unsigned kMinPtySize = 1;
constexpr unsigned kMaxPtySize = 1000;

class Pty : public std::enable_shared_from_this<Pty> {
public:
    Pty(boost::asio::io_context& io, PtyOptions options);
    ~Pty();

    // Starts the user's shell in `env`; an error message when it could not start.
    std::optional<std::string> start(const UserInfo& user, std::vector<std::string> env);
    bool started() const { return m_pid > 0; }
    // Running: started and not exited (a lazy one that has not started counts as not active).
    bool active() const { return started() && !m_finished; }
    bool finished() const { return m_finished; }
    const std::string& id() const { return m_options.id; }
    const PtyOptions& options() const { return m_options; }

    // Adds a client: sends it the `connected` control frame, then all output from now on. With
    // exitControl it gets an `exited` control frame before the close.
    void attach(std::shared_ptr<WebSocket> ws, bool exitControl);
    void detach(const std::shared_ptr<WebSocket>& ws);
    // Bytes typed by a client; false when the shell is so far behind that the input was refused.
    bool input(std::string data);
    // Changes the window size (the shell gets SIGWINCH); an error message on bad sizes.
    std::optional<std::string> resize(unsigned cols, unsigned rows);
    // Kills the shell's process group.
    void kill();

    nlohmann::json info() const;

private:
    struct Client {
        std::shared_ptr<WebSocket> ws;
        bool exitControl = false;
    };
    void readMore();
    void onExit(int waitStatus);
    void maybeFinish();
    void tellExited(Client& c);
    void writeInput();
    bool allClientsBehind() const;

    boost::asio::io_context& m_io;
    PtyOptions m_options;
    TimePoint m_createdAt;
    boost::asio::posix::stream_descriptor m_master;
    boost::asio::steady_timer m_drain;
    std::array<char, 65536> m_buf{};
    std::vector<Client> m_clients;
    std::deque<std::string> m_input;
    std::size_t m_inputBytes = 0;
    bool m_writing = false;
    bool m_reading = false;
    bool m_masterClosed = false;
    bool m_exited = false;
    bool m_finished = false;
    pid_t m_pid = -1;
    int m_exitCode = -1;
    std::string m_exitReason;
};

} // namespace cove::agent
