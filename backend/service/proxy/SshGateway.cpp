// The SSH gateway (see the header).
#include "service/proxy/SshGateway.h"

#include "common/StreamFrames.h"
#include "common/Url.h"
#include "service/domain/Config.h"
#include "service/domain/DomainError.h"
#include "service/domain/SandboxService.h"
#include "service/domain/SshAccess.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <future>
#include <list>
#include <mutex>
#include <optional>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace cove::proxy {

namespace asio = boost::asio;
using domain::SshLimits;
using Steady = std::chrono::steady_clock;

namespace {

// How long a connection waits for the io thread's answer (a token check, an agent connection).
constexpr std::chrono::seconds kAskTimeout{15};
// A connection thread looks at the stop flag at least this often.
constexpr int kPollMs = 250;
// The agent's upgrade answer is at most this long.
constexpr std::size_t kMaxAgentHead = 16 << 10;
// Input the client sent that the sandbox has not taken yet; past this the channel is closed.
constexpr std::size_t kMaxPendingInput = 16u << 20;
// Blocking libssh calls (a write to a client that stopped reading) give up after this long.
constexpr long kSshTimeoutSeconds = 60;
// Sandbox activity (auto-stop) is noted at most this often while bytes move.
constexpr std::chrono::seconds kActivityEvery{30};
// OpenSSH's SFTP server, from Debian's openssh-sftp-server; images without it get a sentence instead.
constexpr const char* kSftpCommand =
    "if [ -x /usr/lib/openssh/sftp-server ]; then exec /usr/lib/openssh/sftp-server; fi; "
    "echo 'cove: this sandbox has no SFTP server (/usr/lib/openssh/sftp-server); install the package "
    "openssh-sftp-server in its image, or use a Cove image (cove-base, cove-desktop) that has it.' >&2; exit "
    "127";

std::string hostKeyOf(const std::string& dataDir) {
    return dataDir + "/ssh_host_ed25519_key";
}

// Makes the host key once (written aside, 0600, then renamed in) and loads it.
ssh_key loadHostKey(const std::string& path) {
    namespace fs = std::filesystem;
    if (!fs::exists(path)) {
        ssh_key fresh = nullptr;
        if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &fresh) != SSH_OK)
            throw std::runtime_error("cannot make the SSH gateway's host key");
        const std::string tmp = path + ".new";
        const mode_t old = ::umask(077);
        const int rc = ssh_pki_export_privkey_file(fresh, nullptr, nullptr, nullptr, tmp.c_str());
        ::umask(old);
        ssh_key_free(fresh);
        if (rc != SSH_OK || ::chmod(tmp.c_str(), 0600) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0)
            throw std::runtime_error("cannot write the SSH gateway's host key " + path + ": " +
                                     std::strerror(errno));
    }
    ssh_key key = nullptr;
    if (ssh_pki_import_privkey_file(path.c_str(), nullptr, nullptr, nullptr, &key) != SSH_OK)
        throw std::runtime_error("cannot read the SSH gateway's host key " + path +
                                 "; remove it and coved makes a new one");
    return key;
}

bool setBlocking(int fd, bool blocking) {
    const int flags = ::fcntl(fd, F_GETFL);
    return flags >= 0 && ::fcntl(fd, F_SETFL, blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK) == 0;
}

// The message of an agent's error answer ({"message": ...}), else its status line.
std::string agentRefusal(const std::string& head, const std::string& body) {
    const auto at = body.find("\"message\":\"");
    if (at != std::string::npos) {
        const auto start = at + 11;
        const auto end = body.find('"', start);
        if (end != std::string::npos)
            return body.substr(start, end - start);
    }
    return head.substr(0, head.find('\r'));
}

bool loopbackName(const std::string& host) {
    return host == "localhost" || host == "127.0.0.1" || host == "::1" || host == "[::1]" ||
           host == "ip6-localhost";
}

} // namespace

struct SshGateway::Impl : std::enable_shared_from_this<Impl> {
    asio::io_context& io;
    domain::SandboxService& sandboxes;
    std::string dataDir;
    asio::ip::tcp::acceptor acceptor;
    ssh_bind bind = nullptr;
    std::mutex bindMutex; // ssh_bind_accept_fd reads the bind's keys
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> active{0};
    std::mutex threadsMutex;
    struct Worker {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };
    std::list<Worker> workers;

    Impl(asio::io_context& io_, domain::SandboxService& s, std::string dir)
        : io(io_)
        , sandboxes(s)
        , dataDir(std::move(dir))
        , acceptor(io_) {}
    ~Impl() {
        if (bind)
            ssh_bind_free(bind);
    }

    void reapWorkers(bool all) {
        std::list<Worker> finished;
        {
            std::lock_guard lock(threadsMutex);
            for (auto it = workers.begin(); it != workers.end();) {
                if (all || it->done->load()) {
                    finished.push_back(std::move(*it));
                    it = workers.erase(it);
                } else {
                    ++it;
                }
            }
        }
        for (auto& w : finished)
            if (w.thread.joinable())
                w.thread.join();
    }

    asio::awaitable<void> acceptLoop() {
        auto self = shared_from_this();
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec == asio::error::operation_aborted || stopping)
                co_return;
            if (ec)
                continue;
            reapWorkers(false);
            if (active.load() >= SshLimits::kMaxConnections) {
                boost::system::error_code ignored;
                socket.close(ignored); // over the bound: closed before a byte of SSH is spent on it
                continue;
            }
            boost::system::error_code rec;
            const int fd = socket.release(rec);
            if (rec)
                continue;
            setBlocking(fd, true);
            ++active;
            auto done = std::make_shared<std::atomic<bool>>(false);
            std::lock_guard lock(threadsMutex);
            workers.push_back({std::thread([self, fd, done] {
                                   self->serve(fd);
                                   --self->active;
                                   done->store(true);
                               }),
                               done});
        }
    }

    // Runs `make()` (an awaitable) on the io thread and waits for its value; nothing on timeout or error,
    // with the error's sentence in `error`. A value that comes after the wait gave up goes to `discard`.
    template <typename T, typename Make, typename Discard = void (*)(T&)>
    std::optional<T> ask(
        Make make, std::string* error = nullptr, Discard discard = [](T&) {}) {
        struct Shared {
            std::promise<T> promise;
            std::mutex mutex;
            bool abandoned = false;
        };
        auto shared = std::make_shared<Shared>();
        auto future = shared->promise.get_future();
        asio::post(io, [this, shared, make, discard]() mutable {
            asio::co_spawn(io, make(), [shared, discard](std::exception_ptr e, T value) {
                std::lock_guard lock(shared->mutex);
                if (shared->abandoned && !e)
                    discard(value);
                else if (e)
                    shared->promise.set_exception(e);
                else
                    shared->promise.set_value(std::move(value));
            });
        });
        bool ready = future.wait_for(kAskTimeout) == std::future_status::ready;
        if (!ready) {
            std::lock_guard lock(shared->mutex);
            ready = future.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
            shared->abandoned = !ready;
        }
        if (!ready) {
            if (error)
                *error = "coved did not answer in time; try again";
            return std::nullopt;
        }
        try {
            return future.get();
        } catch (const domain::DomainError& e) {
            if (error)
                *error = e.message;
        } catch (const ApiError& e) {
            if (error)
                *error = e.message;
        } catch (const std::exception& e) {
            if (error)
                *error = e.what();
        }
        return std::nullopt;
    }

    void serve(int fd);
};

namespace {

struct Connection;

// One SSH channel and the agent stream behind it.
struct Link {
    enum class Kind { Session, Port } kind = Kind::Session;
    Connection* conn = nullptr;
    ssh_channel channel = nullptr;
    ssh_channel_callbacks_struct callbacks{};
    int agentFd = -1;
    bool inEvent = false;
    bool started = false; // a shell, command or subsystem runs
    bool pty = false;
    std::string term = "xterm-256color";
    unsigned cols = 80, rows = 24;
    frames::Decoder decoder;
    std::string toAgent;
    bool eofToAgent = false; // a forwarded port's client is done sending: half-close once toAgent is out
    std::optional<std::pair<std::string, bool>> toStart; // asked for: (command, is a subsystem)
    bool dead = false;                                   // to be freed by the main loop
    bool finished = false;                               // exit status sent
};

struct Connection {
    SshGateway::Impl& gw;
    ssh_session session = nullptr;
    ssh_server_callbacks_struct serverCallbacks{};
    ssh_event event = nullptr;
    bool authenticated = false;
    int authAttempts = 0;
    std::optional<domain::SshAccess::Grant> grant;
    std::string token; // the user name that authenticated
    std::list<std::unique_ptr<Link>> links;
    Steady::time_point lastTraffic = Steady::now();
    Steady::time_point lastActivity{};

    explicit Connection(SshGateway::Impl& g)
        : gw(g) {}

    void traffic() {
        lastTraffic = Steady::now();
        if (lastTraffic - lastActivity < kActivityEvery || !grant)
            return;
        lastActivity = lastTraffic;
        domain::Caller caller;
        caller.who = grant->who;
        const std::string id = grant->sandboxId;
        auto& sandboxes = gw.sandboxes;
        asio::post(gw.io, [&sandboxes, id, caller] {
            try {
                sandboxes.touch(id, caller);
            } catch (...) {
                // Gone or busy: the next byte tries again.
            }
        });
    }

    // A connected stream to the agent of the token's sandbox, upgraded; the sentence why not in `error`.
    int openAgent(const std::string& target, std::string& leftover, std::string& error) {
        domain::Caller caller;
        caller.who = grant->who;
        caller.source = "ssh";
        const std::string id = grant->sandboxId;
        auto& sandboxes = gw.sandboxes;
        const auto fd = gw.ask<int>(
            [&sandboxes, id, caller]() -> asio::awaitable<int> {
                co_return co_await sandboxes.connectAgent(id, caller);
            },
            &error, [](int& late) { ::close(late); });
        if (!fd)
            return -1;
        setBlocking(*fd, true);
        const std::string request =
            "GET " + target +
            " HTTP/1.1\r\nHost: agent\r\nUpgrade: cove-stream\r\nConnection: Upgrade\r\n\r\n";
        if (::send(*fd, request.data(), request.size(), MSG_NOSIGNAL) != ssize_t(request.size())) {
            ::close(*fd);
            error = "the sandbox's agent did not take the request";
            return -1;
        }
        std::string head;
        const auto deadline = Steady::now() + kAskTimeout;
        std::size_t end = std::string::npos;
        while ((end = head.find("\r\n\r\n")) == std::string::npos) {
            pollfd p{*fd, POLLIN, 0};
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now());
            char buf[4096];
            ssize_t n = -1;
            if (left.count() > 0 && ::poll(&p, 1, int(left.count())) > 0)
                n = ::recv(*fd, buf, sizeof buf, 0);
            if (n <= 0 || head.size() > kMaxAgentHead) {
                ::close(*fd);
                error = "the sandbox's agent did not answer";
                return -1;
            }
            head.append(buf, std::size_t(n));
        }
        leftover = head.substr(end + 4);
        head.resize(end + 4);
        if (head.rfind("HTTP/1.1 101", 0) != 0) {
            // The refusal's body: what already came (errors are small and end the connection).
            std::string body = leftover;
            char buf[4096];
            pollfd p{*fd, POLLIN, 0};
            while (body.size() < kMaxAgentHead && ::poll(&p, 1, 1000) > 0) {
                const ssize_t n = ::recv(*fd, buf, sizeof buf, 0);
                if (n <= 0)
                    break;
                body.append(buf, std::size_t(n));
            }
            ::close(*fd);
            error = agentRefusal(head, body);
            return -1;
        }
        setBlocking(*fd, false);
        return *fd;
    }

    // Whether the token that logged in still opens its sandbox: each new channel asks again, so a revoked or
    // expired token (or a deleted sandbox) starts nothing more on a connection that is already open.
    bool stillValid() {
        const std::string t = token;
        auto& ssh = gw.sandboxes.sshAccess();
        const auto found = gw.ask<std::optional<domain::SshAccess::Grant>>(
            [&ssh, t]() -> asio::awaitable<std::optional<domain::SshAccess::Grant>> {
                co_return ssh.authenticate(t);
            });
        return found && *found && (*found)->sandboxId == grant->sandboxId;
    }

    bool checkToken(const char* user) {
        if (++authAttempts > SshLimits::kMaxAuthAttempts || !user)
            return false;
        token = user;
        auto& ssh = gw.sandboxes.sshAccess();
        const auto found = gw.ask<std::optional<domain::SshAccess::Grant>>(
            [&ssh, t = token]() -> asio::awaitable<std::optional<domain::SshAccess::Grant>> {
                co_return ssh.authenticate(t);
            });
        if (!found || !*found)
            return false;
        grant = **found;
        return true;
    }

    void watch(Link& l);
    void flushToAgent(Link& l);
    void failChannel(Link& l, const std::string& message);
    void startSession(Link& l, const std::string& command, bool subsystem);
    void fromAgent(Link& l);
    void onMessage(ssh_message msg, int& handled);
    ssh_channel openSession();
    void closeLink(Link& l);
    // Before the key exchange: what the client sends right after it must find the callbacks in place.
    void prepare();
    void run();
};

int onAgentReadable(socket_t, int revents, void* userdata) {
    auto* l = static_cast<Link*>(userdata);
    if (revents & (POLLIN | POLLHUP | POLLERR))
        l->conn->fromAgent(*l);
    return 0;
}

int onChannelData(ssh_session, ssh_channel, void* data, uint32_t len, int isStderr, void* userdata) {
    auto* l = static_cast<Link*>(userdata);
    if (isStderr || l->dead)
        return int(len);
    l->conn->traffic();
    const std::string_view bytes(static_cast<const char*>(data), len);
    if (l->kind == Link::Kind::Port) {
        l->toAgent.append(bytes);
    } else {
        // Input that comes before the program runs waits for it (ssh sends it right after its request).
        for (std::size_t at = 0; at < bytes.size(); at += frames::kMaxPayload)
            l->toAgent += frames::encode(frames::Type::Stdin, bytes.substr(at, frames::kMaxPayload));
    }
    if (l->toAgent.size() > kMaxPendingInput) {
        l->conn->failChannel(*l, "cove: the sandbox is not reading its input; closing the channel");
        return int(len);
    }
    l->conn->flushToAgent(*l);
    return int(len);
}

void onChannelEof(ssh_session, ssh_channel, void* userdata) {
    auto* l = static_cast<Link*>(userdata);
    if (l->dead)
        return;
    if (l->kind == Link::Kind::Port) {
        l->eofToAgent = true; // passed on once what the client sent before it has gone
        l->conn->flushToAgent(*l);
        return;
    }
    l->toAgent += frames::encode(frames::Type::StdinEof, {});
    l->conn->flushToAgent(*l);
}

void onChannelClose(ssh_session, ssh_channel, void* userdata) {
    auto* l = static_cast<Link*>(userdata);
    l->dead = true;
}

int onMessage(ssh_session, ssh_message msg, void* userdata) {
    int handled = 1;
    static_cast<Connection*>(userdata)->onMessage(msg, handled);
    return handled;
}

// Registered once, for reading only: libssh's event loop must not have a handle removed from within its
// own callback. Input waiting for the agent is retried by the main loop instead.
void Connection::watch(Link& l) {
    if (!l.inEvent)
        l.inEvent = ssh_event_add_fd(event, l.agentFd, POLLIN, onAgentReadable, &l) == SSH_OK;
}

void Connection::flushToAgent(Link& l) {
    if (l.agentFd < 0)
        return;
    while (!l.toAgent.empty()) {
        const ssize_t n = ::send(l.agentFd, l.toAgent.data(), l.toAgent.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n <= 0) {
            l.toAgent.clear();
            break; // the agent went: reading will tell
        }
        l.toAgent.erase(0, std::size_t(n));
    }
    if (l.toAgent.empty() && std::exchange(l.eofToAgent, false))
        ::shutdown(l.agentFd, SHUT_WR);
}

void Connection::failChannel(Link& l, const std::string& message) {
    if (l.finished || l.dead)
        return;
    l.finished = true;
    if (l.kind == Link::Kind::Session) {
        const std::string line = message + "\r\n";
        ssh_channel_write_stderr(l.channel, line.data(), uint32_t(line.size()));
        ssh_channel_request_send_exit_status(l.channel, 255);
    }
    ssh_channel_send_eof(l.channel);
    ssh_channel_close(l.channel);
    l.dead = true;
}

void Connection::startSession(Link& l, const std::string& command, bool subsystem) {
    std::string target = "/process/stream?command=" + http::percentEncode(command);
    if (l.pty && !subsystem)
        target += "&pty=1&cols=" + std::to_string(l.cols) + "&rows=" + std::to_string(l.rows) +
                  "&term=" + http::percentEncode(l.term);
    std::string leftover, error;
    l.started = true;
    l.agentFd = openAgent(target, leftover, error);
    if (l.agentFd < 0) {
        failChannel(l, "cove: " + error);
        return;
    }
    l.decoder.feed(leftover);
    watch(l);
    fromAgent(l); // frames that came with the answer
}

void Connection::fromAgent(Link& l) {
    if (l.dead || l.agentFd < 0)
        return;
    char buf[32 * 1024];
    const ssize_t n = ::recv(l.agentFd, buf, sizeof buf, MSG_DONTWAIT);
    // Nothing new: frames that came with the upgrade's answer may still wait in the decoder.
    const bool nothing = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    if (nothing && l.kind == Link::Kind::Port)
        return;
    if (n > 0)
        traffic();
    if (l.kind == Link::Kind::Port) {
        if (n > 0) {
            if (ssh_channel_write(l.channel, buf, uint32_t(n)) == SSH_ERROR)
                l.dead = true;
            return;
        }
        if (!l.finished) {
            l.finished = true;
            ssh_channel_send_eof(l.channel);
            ssh_channel_close(l.channel);
        }
        l.dead = true;
        return;
    }
    if (n > 0)
        l.decoder.feed(std::string_view(buf, std::size_t(n)));
    while (auto f = l.decoder.next()) {
        if (l.finished)
            break;
        switch (f->type) {
        case frames::Type::Stdout:
            if (ssh_channel_write(l.channel, f->payload.data(), uint32_t(f->payload.size())) == SSH_ERROR)
                l.dead = true;
            break;
        case frames::Type::Stderr:
            if (ssh_channel_write_stderr(l.channel, f->payload.data(), uint32_t(f->payload.size())) ==
                SSH_ERROR)
                l.dead = true;
            break;
        case frames::Type::Error:
            failChannel(l, "cove: " + f->payload);
            break;
        case frames::Type::Exit: {
            l.finished = true;
            ssh_channel_request_send_exit_status(l.channel, frames::decodeExit(f->payload).value_or(255));
            ssh_channel_send_eof(l.channel);
            ssh_channel_close(l.channel);
            break;
        }
        default:
            break;
        }
    }
    if (l.decoder.failed())
        failChannel(l, "cove: the sandbox's agent sent a broken stream (" + l.decoder.error() + ")");
    else if (!nothing && n <= 0)
        failChannel(l, "cove: the sandbox's agent closed the stream (the sandbox stopped?)");
}

void Connection::closeLink(Link& l) {
    if (l.inEvent)
        ssh_event_remove_fd(event, l.agentFd);
    l.inEvent = false;
    if (l.agentFd >= 0)
        ::close(l.agentFd); // the agent ends the process with it
    l.agentFd = -1;
    if (l.channel) {
        if (!ssh_channel_is_closed(l.channel))
            ssh_channel_close(l.channel);
        ssh_channel_free(l.channel);
    }
    l.channel = nullptr;
}

int authResult(Connection& c, const char* user) {
    if (!c.checkToken(user))
        return SSH_AUTH_DENIED;
    c.authenticated = true;
    return SSH_AUTH_SUCCESS;
}

int onAuthNone(ssh_session, const char* user, void* userdata) {
    return authResult(*static_cast<Connection*>(userdata), user);
}

int onAuthPassword(ssh_session, const char* user, const char*, void* userdata) {
    return authResult(*static_cast<Connection*>(userdata), user);
}

// Any key, signed or only offered: the token in the user name is what counts. (libssh checks the
// signature itself before it says the state is valid.)
int onAuthKey(ssh_session, const char* user, ssh_key_struct*, char state, void* userdata) {
    if (state == SSH_PUBLICKEY_STATE_WRONG)
        return SSH_AUTH_DENIED;
    auto& c = *static_cast<Connection*>(userdata);
    if (state == SSH_PUBLICKEY_STATE_NONE)
        return c.checkToken(user) ? SSH_AUTH_SUCCESS
                                  : SSH_AUTH_DENIED; // "try it": the signed attempt follows
    return authResult(c, user);
}

ssh_channel onSessionOpen(ssh_session, void* userdata) {
    return static_cast<Connection*>(userdata)->openSession();
}

unsigned clampSize(int v) {
    return unsigned(std::clamp(v, 1, 1000));
}

int onPty(ssh_session, ssh_channel, const char* term, int width, int height, int, int, void* userdata) {
    auto* l = static_cast<Link*>(userdata);
    if (l->started || l->toStart)
        return -1;
    l->pty = true;
    if (term && *term && std::strlen(term) < 64)
        l->term = term;
    l->cols = clampSize(width);
    l->rows = clampSize(height);
    return 0;
}

int onWindowChange(ssh_session, ssh_channel, int width, int height, int, int, void* userdata) {
    auto* l = static_cast<Link*>(userdata);
    l->cols = clampSize(width);
    l->rows = clampSize(height);
    if (l->agentFd >= 0) {
        l->toAgent += frames::encodeResize(l->cols, l->rows);
        l->conn->flushToAgent(*l);
    }
    return 0;
}

int onEnv(ssh_session, ssh_channel, const char*, const char*, void*) {
    return 0; // taken and ignored
}

// The channel's program starts from the main loop, once libssh has sent the request's reply.
int ask(Link* l, std::string command, bool subsystem) {
    if (l->started || l->toStart)
        return -1;
    l->toStart = std::pair{std::move(command), subsystem};
    return 0;
}

int onShell(ssh_session, ssh_channel, void* userdata) {
    return ask(static_cast<Link*>(userdata), {}, false);
}

int onExec(ssh_session, ssh_channel, const char* command, void* userdata) {
    return ask(static_cast<Link*>(userdata), command ? command : "", false);
}

int onSubsystem(ssh_session, ssh_channel, const char* name, void* userdata) {
    if (!name || std::strcmp(name, "sftp") != 0)
        return -1; // only SFTP
    return ask(static_cast<Link*>(userdata), kSftpCommand, true);
}

void setCallbacks(Link& l) {
    ssh_callbacks_init(&l.callbacks);
    l.callbacks.userdata = &l;
    l.callbacks.channel_data_function = onChannelData;
    l.callbacks.channel_eof_function = onChannelEof;
    l.callbacks.channel_close_function = onChannelClose;
    if (l.kind == Link::Kind::Session) {
        l.callbacks.channel_pty_request_function = onPty;
        l.callbacks.channel_pty_window_change_function = onWindowChange;
        l.callbacks.channel_env_request_function = onEnv;
        l.callbacks.channel_shell_request_function = onShell;
        l.callbacks.channel_exec_request_function = onExec;
        l.callbacks.channel_subsystem_request_function = onSubsystem;
    }
    ssh_set_channel_callbacks(l.channel, &l.callbacks);
}

ssh_channel Connection::openSession() {
    if (!authenticated || links.size() >= SshLimits::kMaxChannels || !stillValid())
        return nullptr;
    auto l = std::make_unique<Link>();
    l->conn = this;
    l->channel = ssh_channel_new(session);
    if (!l->channel)
        return nullptr;
    setCallbacks(*l);
    ssh_channel channel = l->channel;
    links.push_back(std::move(l));
    return channel;
}

// What the server callbacks leave: `ssh -L` (direct-tcpip) channel opens.
void Connection::onMessage(ssh_message msg, int& handled) {
    if (!authenticated || ssh_message_type(msg) != SSH_REQUEST_CHANNEL_OPEN ||
        ssh_message_subtype(msg) != SSH_CHANNEL_DIRECT_TCPIP || links.size() >= SshLimits::kMaxChannels)
        return;
    const char* host = ssh_message_channel_request_open_destination(msg);
    const int port = ssh_message_channel_request_open_destination_port(msg);
    // Only the sandbox's own loopback: no other sandbox, no host address, nothing outside.
    if (!host || !loopbackName(host) || port < 1 || port > 65535 || !stillValid())
        return;
    auto l = std::make_unique<Link>();
    l->conn = this;
    l->kind = Link::Kind::Port;
    std::string leftover, error;
    l->agentFd = openAgent("/process/stream?port=" + std::to_string(port), leftover, error);
    if (l->agentFd < 0)
        return; // the client reports the open as failed
    l->channel = ssh_message_channel_request_open_reply_accept(msg);
    if (!l->channel) {
        ::close(l->agentFd);
        return;
    }
    handled = 0;
    setCallbacks(*l);
    if (!leftover.empty())
        ssh_channel_write(l->channel, leftover.data(), uint32_t(leftover.size()));
    watch(*l);
    links.push_back(std::move(l));
}

void Connection::prepare() {
    ssh_callbacks_init(&serverCallbacks);
    serverCallbacks.userdata = this;
    serverCallbacks.auth_none_function = onAuthNone;
    serverCallbacks.auth_password_function = onAuthPassword;
    serverCallbacks.auth_pubkey_function = onAuthKey;
    serverCallbacks.channel_open_request_session_function = onSessionOpen;
    ssh_set_server_callbacks(session, &serverCallbacks);
    ssh_set_message_callback(session, ::cove::proxy::onMessage, this);
    ssh_set_auth_methods(session,
                         SSH_AUTH_METHOD_NONE | SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_PUBLICKEY);
}

void Connection::run() {
    event = ssh_event_new();
    if (!event || ssh_event_add_session(event, session) != SSH_OK)
        return;
    const auto authDeadline = Steady::now() + SshLimits::kAuthDeadline;
    while (!gw.stopping && ssh_is_connected(session)) {
        int timeout = kPollMs;
        for (auto& l : links)
            if (!l->toAgent.empty())
                timeout = 10; // input waits for the sandbox: try again soon
        if (ssh_event_dopoll(event, timeout) == SSH_ERROR && !ssh_is_connected(session))
            break;
        for (auto& l : links) {
            if (!l->toAgent.empty())
                flushToAgent(*l);
            if (l->toStart && !l->dead) {
                const auto [command, subsystem] = *std::exchange(l->toStart, std::nullopt);
                startSession(*l, command, subsystem);
            }
        }
        for (auto it = links.begin(); it != links.end();) {
            if ((*it)->dead) {
                closeLink(**it);
                it = links.erase(it);
            } else {
                ++it;
            }
        }
        const auto now = Steady::now();
        if (!authenticated && (now > authDeadline || authAttempts > SshLimits::kMaxAuthAttempts))
            break;
        if (now - lastTraffic > SshLimits::kIdleTimeout)
            break;
    }
    for (auto& l : links)
        closeLink(*l);
    links.clear();
    ssh_event_remove_session(event, session);
    ssh_event_free(event);
}

} // namespace

void SshGateway::Impl::serve(int fd) {
    ssh_session session = ssh_new();
    if (!session) {
        ::close(fd);
        return;
    }
    long timeout = std::chrono::duration_cast<std::chrono::seconds>(SshLimits::kAuthDeadline).count();
    ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &timeout);
    int rc;
    {
        std::lock_guard lock(bindMutex);
        rc = ssh_bind_accept_fd(bind, session, fd);
    }
    Connection c(*this);
    c.session = session;
    if (rc == SSH_OK)
        c.prepare();
    if (rc == SSH_OK && ssh_handle_key_exchange(session) == SSH_OK) {
        timeout = kSshTimeoutSeconds;
        ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &timeout);
        c.run();
        ssh_disconnect(session);
    }
    // Closes the socket: ssh_bind_accept_fd hands it to the session first thing (only running out of
    // memory before that would leave it open, which beats closing a number another thread may reuse).
    ssh_free(session);
}

SshGateway::SshGateway(asio::io_context& io, domain::SandboxService& sandboxes, std::string dataDir)
    : d(std::make_shared<Impl>(io, sandboxes, std::move(dataDir))) {}

SshGateway::~SshGateway() {
    close();
    d->reapWorkers(true);
}

void SshGateway::listen(const std::string& host, unsigned short port) {
    ssh_init();
    d->bind = ssh_bind_new();
    if (!d->bind)
        throw std::runtime_error("cannot start the SSH gateway (libssh)");
    ssh_key key = loadHostKey(hostKeyOf(d->dataDir));
    if (ssh_bind_options_set(d->bind, SSH_BIND_OPTIONS_IMPORT_KEY, key) != SSH_OK)
        throw std::runtime_error("the SSH gateway cannot use its host key");
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec)
        throw std::runtime_error("--ssh-listen: '" + host + "' is not an IP address");
    const asio::ip::tcp::endpoint at(address, port);
    d->acceptor.open(at.protocol());
    d->acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true));
    d->acceptor.bind(at, ec);
    if (ec)
        throw std::runtime_error("the SSH gateway cannot listen on " + host + ":" + std::to_string(port) +
                                 ": " + ec.message() +
                                 "; pass another --ssh-listen ADDR:PORT, or --ssh-listen off");
    d->acceptor.listen();
    asio::co_spawn(d->io, d->acceptLoop(), asio::detached);
}

unsigned short SshGateway::port() const {
    boost::system::error_code ec;
    const auto ep = d->acceptor.local_endpoint(ec);
    return ec ? 0 : ep.port();
}

void SshGateway::close() {
    d->stopping = true;
    boost::system::error_code ignored;
    d->acceptor.close(ignored);
}

std::size_t SshGateway::connections() const {
    return d->active.load();
}

} // namespace cove::proxy
