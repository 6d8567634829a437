// One child, two pipes (stdin, output) and a timer, joined by callbacks on the io thread; the
// coroutine waits on a "done" timer that the last event cancels.
#include "agent/process/Run.h"

#include "agent/process/Children.h"
#include "agent/process/Spawn.h"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <csignal>
#include <fcntl.h>
#include <memory>
#include <unistd.h>

namespace cove::agent {

namespace asio = boost::asio;
using asio::posix::stream_descriptor;

// After the command exits, background jobs it left may still hold the output pipe; read what is
// already there for this long, then stop.
constexpr std::chrono::milliseconds kDrainAfterExit{100};

namespace {
struct Stream {
    explicit Stream(const asio::any_io_executor& ex)
        : pipe(ex) {}
    stream_descriptor pipe;
    std::array<char, 16384> buf{};
    std::string* sink = nullptr;
    bool open = false;
};

struct RunState : std::enable_shared_from_this<RunState> {
    explicit RunState(const asio::any_io_executor& ex)
        : in(ex)
        , out(ex)
        , err(ex)
        , timeout(ex)
        , drain(ex)
        , done(ex) {
        done.expires_at(asio::steady_timer::time_point::max());
    }
    stream_descriptor in;
    Stream out, err;
    asio::steady_timer timeout, drain, done;
    std::string input;
    RunResult result;
    pid_t pid = -1;
    bool exited = false;
    bool finished = false;

    void append(Stream& s, std::size_t n) {
        const std::size_t room = result.output.size() + result.errorOutput.size() >= kMaxCollectedOutput
                                     ? 0
                                     : kMaxCollectedOutput - result.output.size() - result.errorOutput.size();
        const std::size_t keep = std::min(room, n);
        s.sink->append(s.buf.data(), keep);
        result.dropped += n - keep;
    }

    void read(Stream& s) {
        s.pipe.async_read_some(asio::buffer(s.buf),
                               [self = shared_from_this(), &s](boost::system::error_code ec, std::size_t n) {
                                   if (n > 0)
                                       self->append(s, n);
                                   if (ec) {
                                       s.open = false;
                                       boost::system::error_code ignored;
                                       s.pipe.close(ignored);
                                       self->maybeFinish();
                                       return;
                                   }
                                   self->read(s);
                               });
    }

    void onExit(int status) {
        exited = true;
        result.exitCode = Children::exitCode(status);
        timeout.cancel();
        if (out.open || err.open) {
            drain.expires_after(kDrainAfterExit);
            drain.async_wait([self = shared_from_this()](boost::system::error_code ec) {
                if (ec)
                    return;
                boost::system::error_code ignored;
                self->out.pipe.cancel(ignored);
                self->err.pipe.cancel(ignored);
            });
        }
        maybeFinish();
    }

    void maybeFinish() {
        if (finished || !exited || out.open || err.open)
            return;
        finished = true;
        drain.cancel();
        boost::system::error_code ignored;
        in.close(ignored);
        done.cancel();
    }
};

int pipeOrFail(int fds[2]) {
    return ::pipe2(fds, O_CLOEXEC);
}
} // namespace

asio::awaitable<RunResult> runCollect(UserInfo user, RunSpec spec) {
    const auto ex = co_await asio::this_coro::executor;
    auto st = std::make_shared<RunState>(ex);
    st->out.sink = &st->result.output;
    st->err.sink = &st->result.errorOutput;

    int inPipe[2], outPipe[2], errPipe[2] = {-1, -1};
    if (pipeOrFail(inPipe) != 0) {
        st->result.startError = "cannot create a pipe";
        co_return st->result;
    }
    if (pipeOrFail(outPipe) != 0 || (spec.separateStderr && pipeOrFail(errPipe) != 0)) {
        for (int fd : {inPipe[0], inPipe[1], outPipe[0], outPipe[1]})
            ::close(fd);
        st->result.startError = "cannot create a pipe";
        co_return st->result;
    }

    SpawnRequest req;
    req.argv = std::move(spec.argv);
    req.env = std::move(spec.env);
    req.cwd = std::move(spec.cwd);
    req.stdinFd = inPipe[0];
    req.stdoutFd = outPipe[1];
    req.stderrFd = spec.separateStderr ? errPipe[1] : outPipe[1];
    const SpawnResult spawned = spawnAs(user, req);
    for (int fd : {inPipe[0], outPipe[1], errPipe[1]})
        if (fd >= 0)
            ::close(fd);
    st->in.assign(inPipe[1]);
    st->out.pipe.assign(outPipe[0]);
    st->out.open = true;
    if (errPipe[0] >= 0) {
        st->err.pipe.assign(errPipe[0]);
        st->err.open = true;
    }
    if (spawned.pid < 0) {
        st->result.startError = spawned.message();
        co_return st->result;
    }
    st->result.started = true;
    st->pid = spawned.pid;
    Children::watch(spawned.pid, [st](int status) { st->onExit(status); });

    st->read(st->out);
    if (st->err.open)
        st->read(st->err);
    st->input = std::move(spec.input);
    if (st->input.empty()) {
        boost::system::error_code ignored;
        st->in.close(ignored);
    } else {
        // A command that never reads its input must not hold us: errors (EPIPE) just end the write.
        asio::async_write(st->in, asio::buffer(st->input), [st](boost::system::error_code, std::size_t) {
            boost::system::error_code ignored;
            st->in.close(ignored);
        });
    }
    if (spec.timeout.count() > 0) {
        st->timeout.expires_after(spec.timeout);
        st->timeout.async_wait([st](boost::system::error_code ec) {
            if (ec || st->exited)
                return;
            st->result.timedOut = true;
            ::kill(-st->pid, SIGKILL);
        });
    }

    boost::system::error_code ec;
    co_await st->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    co_return std::move(st->result);
}

} // namespace cove::agent
