// The process stream (see the header).
#include "agent/ProcessStream.h"

#include "agent/process/Children.h"
#include "agent/process/Spawn.h"
#include "agent/pty/Pty.h"
#include "common/Pump.h"
#include "common/StreamFrames.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/write.hpp>

#include <charconv>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

namespace cove::agent {

namespace asio = boost::asio;
using asio::local::stream_protocol;
using asio::posix::stream_descriptor;
using namespace asio::experimental::awaitable_operators;

namespace {

// Output waiting for coved past this many bytes holds the process's output until it drains.
constexpr std::size_t kMaxQueuedOutput = 1 << 20;
// After the process exits, what its background jobs still write is read for this long.
constexpr std::chrono::milliseconds kDrainAfterExit{100};
constexpr std::size_t kMaxCommandBytes = 64 << 10;

unsigned sizeOf(const Call& c, const char* name, unsigned fallback) {
    const auto text = c.queryValue(name);
    if (!text || text->empty())
        return fallback;
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || end != text->data() + text->size() || v < kMinPtySize || v > kMaxPtySize)
        throw badRequest(std::string("'") + name + "' must be a number between 1 and 1000.");
    return v;
}

struct Stream : std::enable_shared_from_this<Stream> {
    explicit Stream(stream_protocol::socket s)
        : socket(std::move(s))
        , in(socket.get_executor())
        , out(socket.get_executor())
        , err(socket.get_executor())
        , room(socket.get_executor())
        , done(socket.get_executor()) {
        room.expires_at(asio::steady_timer::time_point::max());
        done.expires_at(asio::steady_timer::time_point::max());
    }

    stream_protocol::socket socket;
    stream_descriptor in, out, err; // with a terminal: `out` is its master and `in` is unused
    asio::steady_timer room, done;
    std::deque<std::string> queue;
    std::size_t queued = 0;
    bool writing = false;
    bool broken = false; // coved went away
    bool pty = false;
    pid_t pid = -1;
    int exitCode = -1;
    bool exited = false;
    int readersLeft = 0;

    void send(std::string frame) {
        if (broken)
            return;
        queued += frame.size();
        queue.push_back(std::move(frame));
        if (!writing)
            writeNext();
    }
    void writeNext() {
        if (queue.empty() || broken) {
            writing = false;
            room.cancel();
            return;
        }
        writing = true;
        asio::async_write(socket, asio::buffer(queue.front()),
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                              self->queued -= self->queue.front().size();
                              self->queue.pop_front();
                              if (ec)
                                  self->broken = true;
                              self->room.cancel();
                              self->writeNext();
                          });
    }
    awaitable<void> waitForRoom() {
        while (queued > kMaxQueuedOutput && !broken) {
            room.expires_at(asio::steady_timer::time_point::max());
            boost::system::error_code ec;
            co_await room.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
    }
    awaitable<void> flushed() {
        while ((writing || !queue.empty()) && !broken) {
            room.expires_at(asio::steady_timer::time_point::max());
            boost::system::error_code ec;
            co_await room.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
    }

    void onExit(int status) {
        exited = true;
        exitCode = Children::exitCode(status);
        done.cancel();
    }
};

// Reads one of the process's outputs into frames of `type` until it closes. Holds the stream: it may
// outlive the request's own coroutine (coved went away while the process still writes).
awaitable<void> forward(std::shared_ptr<Stream> st, stream_descriptor& from, frames::Type type) {
    std::array<char, 32 * 1024> buf;
    for (;;) {
        co_await st->waitForRoom();
        boost::system::error_code ec;
        const std::size_t n =
            co_await from.async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
        if (n > 0)
            st->send(frames::encode(type, std::string_view(buf.data(), n)));
        if (ec || st->broken)
            break;
    }
    boost::system::error_code ignored;
    from.close(ignored);
    if (--st->readersLeft == 0)
        st->done.cancel();
}

// coved's frames: stdin, its end, window sizes. Ends when coved closes or sends garbage.
awaitable<void> takeInput(std::shared_ptr<Stream> st, std::string early) {
    frames::Decoder decoder;
    decoder.feed(early);
    std::array<char, 32 * 1024> buf;
    for (;;) {
        while (auto f = decoder.next()) {
            switch (f->type) {
            case frames::Type::Stdin:
                if (st->in.is_open() || st->pty) {
                    auto& to = st->pty ? st->out : st->in;
                    boost::system::error_code ec;
                    co_await asio::async_write(to, asio::buffer(f->payload),
                                               asio::redirect_error(asio::use_awaitable, ec));
                }
                break;
            case frames::Type::StdinEof:
                if (st->pty) {
                    const char eof = 4; // ^D, as a terminal's user ends input
                    boost::system::error_code ec;
                    co_await asio::async_write(st->out, asio::buffer(&eof, 1),
                                               asio::redirect_error(asio::use_awaitable, ec));
                } else {
                    boost::system::error_code ignored;
                    st->in.close(ignored);
                }
                break;
            case frames::Type::Resize:
                if (const auto size = frames::decodeResize(f->payload);
                    size && st->pty && st->out.is_open()) {
                    struct winsize ws {};
                    ws.ws_col =
                        static_cast<unsigned short>(std::clamp(size->first, kMinPtySize, kMaxPtySize));
                    ws.ws_row =
                        static_cast<unsigned short>(std::clamp(size->second, kMinPtySize, kMaxPtySize));
                    ::ioctl(st->out.native_handle(), TIOCSWINSZ, &ws);
                }
                break;
            default:
                break; // frames only the agent sends: ignored
            }
        }
        if (decoder.failed())
            break;
        boost::system::error_code ec;
        const std::size_t n = co_await st->socket.async_read_some(
            asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            break;
        decoder.feed(std::string_view(buf.data(), n));
    }
    // coved is gone (the SSH client left): so is the process.
    st->broken = true;
    if (st->pid > 0 && !st->exited)
        ::kill(-st->pid, st->pty ? SIGHUP : SIGKILL);
    st->done.cancel();
}

awaitable<void> answer(stream_protocol::socket& socket, const http::Request& req, const ApiError* refusal) {
    boost::system::error_code ec;
    if (refusal) {
        http::Response res = errorReply(req, *refusal);
        res.keep_alive(false);
        co_await http::bhttp::async_write(socket, res, asio::redirect_error(asio::use_awaitable, ec));
        co_return;
    }
    const std::string head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: " + std::string(kStreamProtocol) +
                             "\r\nConnection: Upgrade\r\n\r\n";
    co_await asio::async_write(socket, asio::buffer(head), asio::redirect_error(asio::use_awaitable, ec));
}

// ?port=N: a TCP connection to the sandbox's own loopback, spliced to coved's.
awaitable<void> forwardPort(stream_protocol::socket socket, http::Request req, std::string early, int port) {
    asio::ip::tcp::socket upstream(socket.get_executor());
    boost::system::error_code ec;
    co_await upstream.async_connect({asio::ip::address_v4::loopback(), static_cast<unsigned short>(port)},
                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        const ApiError refusal = apiError(502,
                                          "Nothing listens on port " + std::to_string(port) +
                                              " in the sandbox (" + ec.message() + ").",
                                          code::kBadRequest);
        co_await answer(socket, req, &refusal);
        co_return;
    }
    co_await answer(socket, req, nullptr);
    if (!early.empty())
        co_await asio::async_write(upstream, asio::buffer(early),
                                   asio::redirect_error(asio::use_awaitable, ec));
    const auto none = [](std::size_t) {};
    co_await ([&]() -> awaitable<void> {
        co_await splicePump(socket, upstream, none);
        boost::system::error_code ignored;
        upstream.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    }() && [&]() -> awaitable<void> {
        co_await splicePump(upstream, socket, none);
        boost::system::error_code ignored;
        socket.shutdown(stream_protocol::socket::shutdown_send, ignored);
    }());
}

// Starts the process; an error sentence when it could not.
std::optional<std::string> startProcess(Toolbox& t, Stream& st, const Call& c) {
    const std::string command = c.queryValue("command").value_or("");
    const std::string shell = userShell(t.config.user);
    Environment::Map extra{{"SHELL", shell}, {"LOGNAME", t.config.user.name}, {"USER", t.config.user.name}};
    if (st.pty)
        extra["TERM"] = c.queryValue("term").value_or("xterm-256color");
    SpawnRequest req;
    // No command: a login shell, as sshd gives; else the command through the user's shell, as sshd runs it.
    req.argv = command.empty() ? std::vector<std::string>{shell, "-l"}
                               : std::vector<std::string>{shell, "-c", command};
    req.env = t.env.block(extra);
    req.cwd = t.config.user.home;
    int fds[6] = {-1, -1, -1, -1, -1, -1};
    const auto closeAll = [&] {
        for (int& fd : fds)
            if (fd >= 0)
                ::close(std::exchange(fd, -1));
    };
    if (st.pty) {
        const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        char name[128];
        if (master < 0)
            return std::string("cannot open a pseudo-terminal: ") + std::strerror(errno);
        fds[0] = master;
        if (::grantpt(master) != 0 || ::unlockpt(master) != 0 ||
            ::ptsname_r(master, name, sizeof name) != 0 ||
            (fds[1] = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
            const std::string error = std::strerror(errno);
            closeAll();
            return "cannot set up the pseudo-terminal: " + error;
        }
        [[maybe_unused]] const int owned = ::fchown(fds[1], t.config.user.uid, t.config.user.gid);
        struct winsize size {};
        size.ws_col = static_cast<unsigned short>(sizeOf(c, "cols", 80));
        size.ws_row = static_cast<unsigned short>(sizeOf(c, "rows", 24));
        ::ioctl(master, TIOCSWINSZ, &size);
        req.stdinFd = req.stdoutFd = req.stderrFd = fds[1];
        req.controllingTty = true;
    } else {
        if (::pipe2(fds, O_CLOEXEC) != 0 || ::pipe2(fds + 2, O_CLOEXEC) != 0 ||
            ::pipe2(fds + 4, O_CLOEXEC) != 0) {
            closeAll();
            return std::string("cannot create a pipe");
        }
        req.stdinFd = fds[0];
        req.stdoutFd = fds[3];
        req.stderrFd = fds[5];
    }
    const SpawnResult spawned = spawnAs(t.config.user, req);
    if (spawned.pid < 0) {
        closeAll();
        return spawned.message();
    }
    st.pid = spawned.pid;
    if (st.pty) {
        ::close(std::exchange(fds[1], -1));
        st.out.assign(std::exchange(fds[0], -1));
    } else {
        ::close(std::exchange(fds[0], -1));
        ::close(std::exchange(fds[3], -1));
        ::close(std::exchange(fds[5], -1));
        st.in.assign(std::exchange(fds[1], -1));
        st.out.assign(std::exchange(fds[2], -1));
        st.err.assign(std::exchange(fds[4], -1));
    }
    return std::nullopt;
}

} // namespace

awaitable<void> serveProcessStream(Toolbox& t, stream_protocol::socket socket, http::Request req,
                                   std::string early) {
    Call c;
    c.query = parseQuery(req.target());
    std::optional<ApiError> refusal;
    int port = 0;
    try {
        if (const auto p = c.queryValue("port")) {
            const auto [end, ec] = std::from_chars(p->data(), p->data() + p->size(), port);
            if (ec != std::errc() || end != p->data() + p->size() || port < 1 || port > 65535)
                throw badRequest("'port' must be a TCP port number from 1 to 65535.");
        } else if (c.queryValue("command").value_or("").size() > kMaxCommandBytes) {
            throw badRequest("The command is longer than the toolbox runs (64 KiB).");
        } else {
            sizeOf(c, "cols", 80);
            sizeOf(c, "rows", 24);
        }
    } catch (const ApiError& e) {
        refusal = e;
    }
    if (refusal) {
        co_await answer(socket, req, &*refusal);
        co_return;
    }
    if (port > 0) {
        co_await forwardPort(std::move(socket), std::move(req), std::move(early), port);
        co_return;
    }

    auto st = std::make_shared<Stream>(std::move(socket));
    st->pty = c.queryValue("pty").value_or("") == "1";
    co_await answer(st->socket, req, nullptr);
    if (const auto error = startProcess(t, *st, c)) {
        st->send(frames::encode(frames::Type::Error, "The command could not start: " + *error + "."));
        co_await st->flushed();
        co_return;
    }
    Children::watch(st->pid, [st](int status) { st->onExit(status); });
    st->readersLeft = st->pty ? 1 : 2;
    asio::co_spawn(st->socket.get_executor(), forward(st, st->out, frames::Type::Stdout), asio::detached);
    if (!st->pty)
        asio::co_spawn(st->socket.get_executor(), forward(st, st->err, frames::Type::Stderr), asio::detached);
    asio::co_spawn(st->socket.get_executor(), takeInput(st, std::move(early)), asio::detached);

    // Until the process exits (or coved goes), then what its outputs still hold, briefly.
    boost::system::error_code ec;
    while (!st->exited && !st->broken) {
        st->done.expires_at(asio::steady_timer::time_point::max());
        co_await st->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (st->broken)
        co_return;
    st->done.expires_after(kDrainAfterExit);
    while (st->readersLeft > 0 && !st->broken) {
        co_await st->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (!ec) { // the drain time ran out: background jobs hold the outputs
            st->out.cancel(ec);
            st->err.cancel(ec);
            break;
        }
    }
    st->send(frames::encodeExit(st->exitCode));
    co_await st->flushed();
    boost::system::error_code ignored;
    st->in.close(ignored);
    st->socket.shutdown(stream_protocol::socket::shutdown_send, ignored);
}

} // namespace cove::agent
