// posix_openpt + the toolbox's one spawn path (the slave as stdio and controlling terminal), a read loop
// on the master that fans out, an input queue written in order, and the exit told to every client the
// way Daytona's daemon does: an `exited` control frame, then a close (1000 for 0, else 1011) whose
// reason is {"exitCode", "exitReason"}.
#include "agent/pty/Pty.h"

#include "agent/process/Children.h"
#include "agent/process/Spawn.h"
#include "agent/ws/WebSocket.h"

#include <boost/asio/write.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

namespace cove::agent {

namespace asio = boost::asio;
using nlohmann::json;

// Reading pauses while every client has more than this waiting (so one fast client keeps it going).
constexpr std::size_t kPtyHighWater = 256u << 10;
// Input the shell has not taken yet, beyond which a client's typing is refused.
constexpr std::size_t kMaxPtyInput = 1u << 20;
// After the shell exits, background jobs may still hold the terminal; read what is there this long.
constexpr std::chrono::milliseconds kDrainAfterExit{100};

Pty::Pty(asio::io_context& io, PtyOptions options)
    : m_io(io)
    , m_options(std::move(options))
    , m_createdAt(std::chrono::system_clock::now())
    , m_master(io)
    , m_drain(io) {}

Pty::~Pty() {
    if (m_pid > 0 && !m_exited)
        ::kill(-m_pid, SIGKILL);
}

std::optional<std::string> Pty::start(const UserInfo& user, std::vector<std::string> env) {
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0)
        return std::string("cannot open a pseudo-terminal: ") + std::strerror(errno);
    char name[128];
    if (::grantpt(master) != 0 || ::unlockpt(master) != 0 || ::ptsname_r(master, name, sizeof name) != 0) {
        const std::string error = std::strerror(errno);
        ::close(master);
        return "cannot set up the pseudo-terminal: " + error;
    }
    const int slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) {
        const std::string error = std::strerror(errno);
        ::close(master);
        return "cannot open the terminal " + std::string(name) + ": " + error;
    }
    // The terminal belongs to the user who works in it (as login does), so tty-checking tools work.
    [[maybe_unused]] const int owned = ::fchown(slave, user.uid, user.gid);
    struct winsize size {};
    size.ws_col = static_cast<unsigned short>(m_options.cols);
    size.ws_row = static_cast<unsigned short>(m_options.rows);
    ::ioctl(master, TIOCSWINSZ, &size);

    SpawnRequest req;
    req.argv = {userShell(user)};
    req.env = std::move(env);
    req.cwd = m_options.cwd;
    req.stdinFd = slave;
    req.stdoutFd = slave;
    req.stderrFd = slave;
    req.controllingTty = true;
    const SpawnResult spawned = spawnAs(user, req);
    ::close(slave);
    if (spawned.pid < 0) {
        ::close(master);
        return spawned.message();
    }
    m_pid = spawned.pid;
    m_master.assign(master);
    std::weak_ptr<Pty> weak = weak_from_this();
    Children::watch(m_pid, [weak](int status) {
        if (auto self = weak.lock())
            self->onExit(status);
    });
    readMore();
    return std::nullopt;
}

bool Pty::allClientsBehind() const {
    if (m_clients.empty())
        return false;
    for (const auto& c : m_clients)
        if (c.ws->queued() <= kPtyHighWater)
            return false;
    return true;
}

void Pty::readMore() {
    if (m_reading || m_masterClosed || allClientsBehind())
        return;
    m_reading = true;
    m_master.async_read_some(asio::buffer(m_buf),
                             [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                                 self->m_reading = false;
                                 if (n > 0) {
                                     std::erase_if(self->m_clients, [&](const Client& c) {
                                         return !c.ws->sendBinary(std::string(self->m_buf.data(), n));
                                     });
                                 }
                                 if (ec) {
                                     // EIO: every holder of the slave is gone. Cancelled: the drain after
                                     // exit is over.
                                     self->m_masterClosed = true;
                                     self->maybeFinish();
                                     return;
                                 }
                                 self->readMore();
                             });
}

void Pty::attach(std::shared_ptr<WebSocket> ws, bool exitControl) {
    ws->sendText(json{{"type", "control"}, {"status", "connected"}}.dump());
    Client c{ws, exitControl};
    if (m_finished) {
        tellExited(c);
        return;
    }
    // A client that catches up lets a paused read loop go on.
    std::weak_ptr<Pty> weak = weak_from_this();
    ws->onWritten([weak] {
        if (auto self = weak.lock())
            self->readMore();
    });
    m_clients.push_back(std::move(c));
}

void Pty::detach(const std::shared_ptr<WebSocket>& ws) {
    std::erase_if(m_clients, [&](const Client& c) { return c.ws == ws; });
    readMore();
}

bool Pty::input(std::string data) {
    if (m_finished || !started())
        return true; // nobody to type to; not the client's fault
    if (m_inputBytes + data.size() > kMaxPtyInput)
        return false;
    m_inputBytes += data.size();
    m_input.push_back(std::move(data));
    writeInput();
    return true;
}

void Pty::writeInput() {
    if (m_writing || m_input.empty() || !m_master.is_open())
        return;
    m_writing = true;
    asio::async_write(m_master, asio::buffer(m_input.front()),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                          self->m_writing = false;
                          self->m_inputBytes -= self->m_input.front().size();
                          self->m_input.pop_front();
                          if (ec) {
                              self->m_input.clear();
                              self->m_inputBytes = 0;
                              return;
                          }
                          self->writeInput();
                      });
}

std::optional<std::string> Pty::resize(unsigned cols, unsigned rows) {
    if (cols < kMinPtySize || cols > kMaxPtySize || rows < kMinPtySize || rows > kMaxPtySize)
        return "cols and rows must be between " + std::to_string(kMinPtySize) + " and " +
               std::to_string(kMaxPtySize) + ".";
    m_options.cols = cols;
    m_options.rows = rows;
    if (m_master.is_open()) {
        struct winsize size {};
        size.ws_col = static_cast<unsigned short>(cols);
        size.ws_row = static_cast<unsigned short>(rows);
        if (::ioctl(m_master.native_handle(), TIOCSWINSZ, &size) != 0)
            return std::string("cannot resize the terminal: ") + std::strerror(errno);
    }
    return std::nullopt;
}

void Pty::kill() {
    if (m_pid > 0 && !m_exited)
        ::kill(-m_pid, SIGKILL);
}

void Pty::onExit(int status) {
    m_exited = true;
    m_exitCode = Children::exitCode(status);
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        m_exitReason = sig == SIGINT    ? "Ctrl+C"
                       : sig == SIGKILL ? "SIGKILL"
                       : sig == SIGTERM ? "SIGTERM"
                                        : "signal " + std::to_string(sig);
    } else if (m_exitCode != 0) {
        m_exitReason = "non-zero exit";
    }
    if (!m_masterClosed) {
        m_drain.expires_after(kDrainAfterExit);
        m_drain.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (ec)
                return;
            boost::system::error_code ignored;
            self->m_master.cancel(ignored);
            self->m_masterClosed = true;
            self->maybeFinish();
        });
    }
    maybeFinish();
}

void Pty::maybeFinish() {
    if (m_finished || !m_exited || !m_masterClosed)
        return;
    m_finished = true;
    m_drain.cancel();
    boost::system::error_code ignored;
    m_master.close(ignored);
    m_input.clear();
    m_inputBytes = 0;
    auto clients = std::move(m_clients);
    m_clients.clear();
    for (auto& c : clients)
        tellExited(c);
}

void Pty::tellExited(Client& c) {
    json status{{"exitCode", m_exitCode}};
    if (!m_exitReason.empty())
        status["exitReason"] = m_exitReason;
    if (c.exitControl) {
        json frame{{"type", "control"}, {"status", "exited"}};
        frame.update(status);
        c.ws->sendText(frame.dump());
    }
    c.ws->close(m_exitCode == 0 ? wsclose::kNormal : wsclose::kError, status.dump());
}

json Pty::info() const {
    json envs = json::object();
    for (const auto& [k, v] : m_options.envs)
        envs[k] = v;
    return {{"id", m_options.id},     {"cwd", m_options.cwd},
            {"envs", envs},           {"cols", m_options.cols},
            {"rows", m_options.rows}, {"createdAt", toIso8601(m_createdAt)},
            {"active", active()},     {"lazyStart", m_options.lazyStart}};
}

} // namespace cove::agent
