// The interpreter's contexts: a python3 worker per context on four pipes (commands in, stdout, stderr,
// and a private frame channel out), a turn queue per context, and a run's output forwarded to its
// WebSocket as it comes, with back-pressure so a flood waits in the worker rather than in the agent.
#include "agent/interpreter/Interpreter.h"

#include "agent/Routes.h"
#include "agent/interpreter/WorkerFrames.h"
#include "agent/process/Children.h"
#include "agent/process/Spawn.h"
#include "agent/ws/WebSocket.h"
#include "common/Random.h"
#include "common/Time.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <cctype>
#include <csignal>
#include <deque>
#include <fcntl.h>
#include <optional>
#include <unistd.h>

namespace cove::agent {

namespace asio = boost::asio;
using asio::posix::stream_descriptor;
using nlohmann::json;
using L = InterpreterLimits;

namespace {

// The worker: commands (JSON lines {id, code, envs}) on stdin, frames on descriptor 3, the code's own
// output on stdout and stderr. It keeps one scope for the context's whole life.
constexpr const char* kWorkerScript = R"PY(
import json as _json, linecache as _linecache, os as _os, signal as _signal, sys as _sys, traceback as _traceback
def _cove_worker():
    # Commands come on stdin and frames go to descriptor 3; the code gets /dev/null as stdin and neither
    # channel, so what it runs (subprocesses too) writes its output to the stdout and stderr pipes.
    commands = _os.fdopen(_os.dup(0), "rb")
    null = _os.open(_os.devnull, _os.O_RDONLY)
    _os.dup2(null, 0)
    _os.close(null)
    frames = _os.dup(3)
    _os.close(3)
    def emit(frame):
        data = (_json.dumps(frame) + "\n").encode("utf-8", "replace")
        while data:
            data = data[_os.write(frames, data):]
    def cut(text, limit):
        return text if len(text) <= limit else text[:limit] + "\n[...]"
    def describe(e):
        tb = e.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != "<stdin>":
            tb = tb.tb_next
        return {"type": "error", "name": type(e).__name__, "value": cut(str(e), 8000),
                "traceback": cut("".join(_traceback.format_exception(type(e), e, tb)), 16000)}
    scope = {"__name__": "__main__", "__doc__": None, "__package__": None, "__builtins__": __builtins__}
    _signal.signal(_signal.SIGINT, _signal.default_int_handler)
    while True:
        try:
            # An interrupt meant for a run that had just ended lands here and is dropped.
            _signal.pthread_sigmask(_signal.SIG_UNBLOCK, [_signal.SIGINT])
            line = commands.readline()
            if not line:
                return
            command = _json.loads(line)
            run, code, envs = command.get("id", ""), command.get("code", ""), command.get("envs") or {}
        except KeyboardInterrupt:
            continue
        except Exception:
            continue
        error, control, saved = None, "completed", {}
        try:
            try:
                for k, v in envs.items():
                    saved[k] = _os.environ.get(k)
                    _os.environ[k] = v
                _linecache.cache["<stdin>"] = (len(code), None, code.splitlines(True), "<stdin>")
                exec(compile(code, "<stdin>", "exec"), scope)
            except KeyboardInterrupt:
                control = "interrupted"
            except SystemExit:
                pass
            except BaseException as e:
                error = describe(e)
        except KeyboardInterrupt:
            control = "interrupted"
        _signal.pthread_sigmask(_signal.SIG_BLOCK, [_signal.SIGINT])
        for stream in (_sys.stdout, _sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        for k, v in saved.items():
            if v is None:
                _os.environ.pop(k, None)
            else:
                _os.environ[k] = v
        if error:
            error["id"] = run
            emit(error)
        emit({"type": "control", "id": run, "text": control})
_cove_worker()
)PY";

constexpr const char* kDefaultId = "default";
constexpr int kCloseGoingAway = 1001;
constexpr int kCloseTimeout = 4008; // what Daytona's SDK reads as "execution timed out"

std::string dumpJson(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// How many bytes at the end of `text` start a UTF-8 sequence that is not complete yet.
std::size_t unfinishedUtf8(const std::string& text) {
    for (std::size_t back = 1; back <= 3 && back <= text.size(); ++back) {
        const auto c = static_cast<unsigned char>(text[text.size() - back]);
        if ((c & 0xC0) == 0x80)
            continue; // a continuation byte: look further back
        const std::size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        return need > back ? back : 0;
    }
    return 0;
}

// Reads what a pipe holds now, without waiting, up to `max` bytes.
std::string readAvailable(int fd, std::size_t max) {
    std::string out;
    std::array<char, L::kReadChunk> buf;
    while (out.size() < max) {
        const ssize_t n = ::read(fd, buf.data(), std::min(buf.size(), max - out.size()));
        if (n <= 0)
            break;
        out.append(buf.data(), std::size_t(n));
    }
    return out;
}

struct Pipe {
    explicit Pipe(asio::io_context& io, const char* t)
        : fd(io)
        , type(t) {}
    stream_descriptor fd;
    const char* type; // "stdout" or "stderr": the message type it becomes
    std::array<char, L::kReadChunk> buf{};
    std::string carry; // an unfinished UTF-8 sequence held for the next read
    bool paused = false;
    bool reading = false; // a read is under way
};

struct Worker {
    explicit Worker(asio::io_context& io)
        : commands(io)
        , frames(io)
        , out(io, "stdout")
        , err(io, "stderr") {}
    pid_t pid = -1;
    int exitCode = -1; // set once it has exited
    bool framesReading = false;
    stream_descriptor commands, frames;
    Pipe out, err;
    std::array<char, L::kReadChunk> frameBuf{};
    WorkerFrameParser parser;
    std::string command; // being written
    void closeAll() {
        boost::system::error_code ignored;
        for (stream_descriptor* d : {&commands, &frames, &out.fd, &err.fd})
            d->close(ignored);
    }
};

// How a run ends, once its last output is out: the control text (none when the worker died), the close
// code and reason, and an error of the agent's own (a timeout, a dead worker) when the worker sent none.
struct Ending {
    std::string control;
    int closeCode = 1000;
    std::string reason;
    json error;
};

struct Run {
    explicit Run(asio::io_context& io)
        : done(io)
        , timer(io) {
        done.expires_at(asio::steady_timer::time_point::max());
    }
    std::string id;
    std::shared_ptr<WebSocket> ws;
    std::chrono::milliseconds timeout{};
    asio::steady_timer done, timer;
    std::optional<WorkerFrame> error;
    Ending end;
    bool ending = false; // the worker said it finished (or died); its last output is being collected
    bool finished = false;
    bool timedOut = false;
};

} // namespace

bool validContextId(const std::string& id) {
    if (id.empty() || id.size() > L::kMaxContextIdBytes)
        return false;
    for (const char c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
            return false;
    return true;
}

struct Interpreters::Context : std::enable_shared_from_this<Context> {
    Context(Toolbox& toolbox, std::string i, std::string dir)
        : t(toolbox)
        , id(std::move(i))
        , cwd(std::move(dir))
        , createdAt(toIso8601(std::chrono::system_clock::now())) {}

    Toolbox& t;
    std::string id, cwd;
    std::string language = "python";
    std::string createdAt;
    std::shared_ptr<Worker> worker;
    std::shared_ptr<Run> run;
    bool busy = false;
    bool removed = false;
    std::deque<std::shared_ptr<asio::steady_timer>> waiting; // runs waiting for their turn

    json info() const {
        return {{"id", id},
                {"cwd", cwd},
                {"createdAt", createdAt},
                {"active", worker != nullptr},
                {"language", language}};
    }

    // Starts the worker; the reason when it could not.
    std::optional<std::string> start() {
        int fds[4][2];
        int made = 0;
        for (; made < 4; ++made)
            if (::pipe2(fds[made], O_CLOEXEC) != 0)
                break;
        const auto closeAll = [&] {
            for (int i = 0; i < made; ++i)
                for (int fd : fds[i])
                    if (fd >= 0)
                        ::close(fd);
        };
        if (made < 4) {
            closeAll();
            return std::string("cannot create a pipe");
        }
        auto& [cmdIn, cmdOut] = fds[0];
        auto& [outIn, outOut] = fds[1];
        auto& [errIn, errOut] = fds[2];
        auto& [frIn, frOut] = fds[3];
        SpawnRequest req;
        req.argv = {"python3", "-u", "-c", kWorkerScript};
        // pyplot.show() must not wait for a window nobody sees, even where a display is set.
        Environment::Map extra;
        if (!t.env.current().count("MPLBACKEND"))
            extra["MPLBACKEND"] = "Agg";
        req.env = t.env.block(extra);
        req.cwd = cwd;
        req.stdinFd = cmdIn;
        req.stdoutFd = outOut;
        req.stderrFd = errOut;
        req.extraFd = frOut;
        const SpawnResult spawned = spawnAs(t.config.user, req);
        for (int* fd : {&cmdIn, &outOut, &errOut, &frOut}) {
            ::close(*fd);
            *fd = -1;
        }
        if (spawned.pid < 0) {
            closeAll();
            return spawned.message();
        }
        auto w = std::make_shared<Worker>(t.io);
        w->pid = spawned.pid;
        w->commands.assign(cmdOut);
        w->out.fd.assign(outIn);
        w->err.fd.assign(errIn);
        w->frames.assign(frIn);
        for (int fd : {outIn, errIn, frIn})
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        worker = w;
        auto self = shared_from_this();
        Children::watch(w->pid, [self, w](int status) { self->onExit(w, status); });
        read(w, w->out);
        read(w, w->err);
        readFrames(w);
        return std::nullopt;
    }

    bool live(const std::shared_ptr<Run>& r) const { return r && run == r && !r->finished; }

    bool congested() const { return live(run) && run->ws->isOpen() && run->ws->queued() > L::kSendHighWater; }

    // Reads one chunk, unless the client is too far behind or the run is ending (its end then waits
    // for this read, which may already hold the run's last output).
    void read(const std::shared_ptr<Worker>& w, Pipe& p) {
        if (worker == w && (congested() || (live(run) && run->ending))) {
            p.paused = true;
            return;
        }
        p.paused = false;
        p.reading = true;
        p.fd.async_read_some(asio::buffer(p.buf),
                             [self = shared_from_this(), w, &p](boost::system::error_code ec, std::size_t n) {
                                 p.reading = false;
                                 if (n > 0 && self->worker == w)
                                     self->forward(p, std::string(p.buf.data(), n));
                                 if (self->worker == w && self->live(self->run) && self->run->ending) {
                                     p.paused = true;
                                     self->maybeEnd(w);
                                 } else if (!ec) {
                                     self->read(w, p);
                                 }
                             });
    }

    // Reading starts again once the client has taken most of what waits for it (or is gone).
    void resume() {
        if (!worker ||
            (live(run) && (run->ending || (run->ws->isOpen() && run->ws->queued() > L::kSendLowWater))))
            return;
        for (Pipe* p : {&worker->out, &worker->err})
            if (p->paused && !p->reading && p->fd.is_open())
                read(worker, *p);
    }

    void forward(Pipe& p, std::string bytes) {
        if (!live(run) || !run->ws->isOpen())
            return; // between runs, or nobody listening: dropped
        std::string text = std::move(p.carry);
        text += bytes;
        const std::size_t hold = unfinishedUtf8(text);
        p.carry = text.substr(text.size() - hold);
        text.resize(text.size() - hold);
        if (!text.empty())
            run->ws->sendText(dumpJson({{"type", p.type}, {"text", std::move(text)}}));
    }

    void readFrames(const std::shared_ptr<Worker>& w) {
        w->framesReading = true;
        w->frames.async_read_some(
            asio::buffer(w->frameBuf),
            [self = shared_from_this(), w](boost::system::error_code ec, std::size_t n) {
                w->framesReading = false;
                if (n > 0)
                    self->onFrameBytes(w, std::string_view(w->frameBuf.data(), n));
                if (w->exitCode >= 0)
                    self->afterExit(w);
                else if (!ec)
                    self->readFrames(w);
            });
    }

    void onFrameBytes(const std::shared_ptr<Worker>& w, std::string_view bytes) {
        for (auto& f : w->parser.feed(bytes)) {
            if (worker != w || !live(run) || run->ending || f.id != run->id)
                continue; // another run's, or forged: ignored
            if (f.kind == WorkerFrame::Kind::Error) {
                if (!run->error)
                    run->error = std::move(f);
                continue;
            }
            if (f.text == "interrupted" && run->timedOut)
                endRun(w, {"interrupted", kCloseTimeout, "", timeoutError(run, false)});
            else
                endRun(w, {f.text, wsclose::kNormal, "", json()});
        }
    }

    // The run ends once no read of its pipes is under way: a read the reactor has already done holds
    // output written before the end, which must go out first. Then what the pipes still hold is taken.
    void endRun(const std::shared_ptr<Worker>& w, Ending e) {
        run->ending = true;
        run->end = std::move(e);
        for (Pipe* p : {&w->out, &w->err})
            if (p->reading) {
                boost::system::error_code ignored;
                p->fd.cancel(ignored);
            }
        maybeEnd(w);
    }

    void maybeEnd(const std::shared_ptr<Worker>& w) {
        auto r = run;
        if (!live(r) || !r->ending || w->out.reading || w->err.reading)
            return;
        for (Pipe* p : {&w->out, &w->err})
            if (p->fd.is_open())
                forward(*p, readAvailable(p->fd.native_handle(), L::kMaxDrainBytes));
        finish(r, r->end.control, r->end.closeCode, r->end.reason, r->end.error);
    }

    static json timeoutError(const std::shared_ptr<Run>& r, bool killed) {
        const auto secs = std::chrono::duration_cast<std::chrono::seconds>(r->timeout).count();
        std::string value =
            "The code ran longer than its timeout of " + std::to_string(secs) + " s and was " +
            (killed ? "killed with its interpreter, as it did not stop when interrupted; the "
                      "context starts a new interpreter, without the old variables, on the next "
                      "run."
                    : "interrupted; the context keeps its variables.") +
            " Pass a larger timeout (0 for none) if it needs longer.";
        return {{"type", "error"}, {"name", "TimeoutError"}, {"value", std::move(value)}, {"traceback", ""}};
    }

    void finish(const std::shared_ptr<Run>& r, const std::string& control, int closeCode,
                const std::string& reason, const json& extraError) {
        if (!live(r))
            return;
        r->finished = true;
        r->timer.cancel();
        if (worker)
            for (Pipe* p : {&worker->out, &worker->err}) {
                if (!p->carry.empty() && r->ws->isOpen())
                    r->ws->sendText(dumpJson({{"type", p->type}, {"text", std::move(p->carry)}}));
                p->carry.clear();
            }
        if (r->error)
            r->ws->sendText(dumpJson({{"type", "error"},
                                      {"name", r->error->name},
                                      {"value", r->error->value},
                                      {"traceback", r->error->traceback}}));
        else if (!extraError.is_null())
            r->ws->sendText(dumpJson(extraError));
        if (!control.empty())
            r->ws->sendText(dumpJson({{"type", "control"}, {"text", control}}));
        r->ws->close(closeCode, reason);
        r->done.cancel();
        if (worker && worker->exitCode >= 0) {
            auto gone = std::move(worker);
            gone->closeAll();
        }
        resume();
    }

    // The worker has exited. Its last frames may be in a read already done: that read is let finish
    // (see readFrames) before the run, if it did not end by itself, is ended here.
    void onExit(const std::shared_ptr<Worker>& w, int status) {
        w->exitCode = Children::exitCode(status);
        if (w->framesReading) {
            boost::system::error_code ignored;
            w->frames.cancel(ignored);
        } else {
            afterExit(w);
        }
    }

    void afterExit(const std::shared_ptr<Worker>& w) {
        if (w->frames.is_open())
            onFrameBytes(w, readAvailable(w->frames.native_handle(), L::kMaxFrameBytes * 2));
        if (worker != w)
            return;
        if (auto r = run; live(r) && !r->ending) {
            if (r->timedOut) {
                endRun(w, {"interrupted", kCloseTimeout, "", timeoutError(r, true)});
            } else {
                const std::string why = removed ? "The context was deleted while the code ran."
                                                : "The interpreter process ended (exit code " +
                                                      std::to_string(w->exitCode) +
                                                      ") before the code finished; the context starts a new "
                                                      "one, without the old variables, on the next run.";
                endRun(
                    w,
                    {"",
                     kCloseGoingAway,
                     "worker process ended",
                     {{"type", "error"}, {"name", "WorkerProcessError"}, {"value", why}, {"traceback", ""}}});
            }
        }
        if (live(run))
            return; // the run takes what the pipes hold, then finish() lets the worker go
        worker.reset();
        w->closeAll();
    }

    // Sends the run's code to the worker and arms its timeout.
    void begin(const std::shared_ptr<Run>& r, const InterpreterRun& spec) {
        auto w = worker;
        json envs = json::object();
        for (const auto& [k, v] : spec.envs)
            envs[k] = v;
        w->command = dumpJson({{"id", r->id}, {"code", spec.code}, {"envs", std::move(envs)}}) + "\n";
        // A worker that stops reading is ended by the timeout; a failed write by its exit.
        asio::async_write(w->commands, asio::buffer(w->command),
                          [w](boost::system::error_code, std::size_t) {});
        if (r->timeout.count() <= 0)
            return;
        r->timer.expires_after(r->timeout);
        r->timer.async_wait([self = shared_from_this(), r, w](boost::system::error_code ec) {
            if (ec || !self->live(r) || r->ending)
                return;
            r->timedOut = true;
            ::kill(w->pid, SIGINT);
            r->timer.expires_after(L::kInterruptGrace);
            r->timer.async_wait([self, r, w](boost::system::error_code ec2) {
                if (!ec2 && self->live(r) && !r->ending)
                    ::kill(-w->pid, SIGKILL); // its exit ends the run
            });
        });
    }

    // The turn passes to the next waiting run, or the context is free.
    void release() {
        if (!waiting.empty() && !removed) {
            auto next = waiting.front();
            waiting.pop_front();
            next->cancel();
            return;
        }
        busy = false;
    }

    void end() {
        removed = true;
        if (worker)
            ::kill(-worker->pid, SIGKILL);
        for (auto& w : waiting)
            w->cancel();
        waiting.clear();
    }
};

namespace {
// Reads (and drops) what the client sends after its request, so its close is answered; when it is gone,
// output it was too slow for no longer holds the worker.
asio::awaitable<void> readUntilGone(std::shared_ptr<WebSocket> ws, std::weak_ptr<Interpreters::Context> ctx) {
    for (;;) {
        auto reading = ws->read();
        auto message = co_await std::move(reading);
        if (!message)
            break;
    }
    if (auto c = ctx.lock())
        c->resume();
}
} // namespace

Interpreters::Interpreters(Toolbox& t)
    : m_t(t) {}

Interpreters::~Interpreters() {
    for (auto& [id, c] : m_contexts)
        c->end();
}

json Interpreters::create(const std::string& cwd, const std::string& language) {
    if (!language.empty() && language != "python")
        throw badRequest("Unsupported language '" + language +
                         "': the code interpreter runs python only; run JavaScript or TypeScript with "
                         "process.codeRun.");
    std::size_t made = m_contexts.size() - m_contexts.count(kDefaultId);
    if (made >= L::kMaxContexts)
        throw badRequest("This sandbox already has " + std::to_string(L::kMaxContexts) +
                         " interpreter contexts, the most it keeps; delete one before creating another.");
    auto ctx = std::make_shared<Context>(m_t, uuidV4(), m_t.resolve(cwd));
    if (auto error = ctx->start())
        throw badRequest("The interpreter could not start in '" + ctx->cwd + "' (" + *error +
                         "); pass an existing directory as cwd, in an image that has python3.");
    m_contexts[ctx->id] = ctx;
    return ctx->info();
}

json Interpreters::list() const {
    json out = json::array();
    for (const auto& [id, c] : m_contexts)
        if (id != kDefaultId)
            out.push_back(c->info());
    return {{"contexts", out}};
}

void Interpreters::remove(const std::string& id) {
    if (id == kDefaultId)
        throw badRequest("The default context cannot be deleted.");
    if (!validContextId(id))
        throw badRequest("'" + id.substr(0, L::kMaxContextIdBytes) +
                         "' is not a context id; use one that createContext or listContexts returned.");
    const auto it = m_contexts.find(id);
    if (it == m_contexts.end())
        throw apiError(404, "No interpreter context '" + id + "' in this sandbox.", code::kNotFound);
    it->second->end();
    m_contexts.erase(it);
}

asio::awaitable<void> Interpreters::execute(std::string contextId, InterpreterRun spec,
                                            std::shared_ptr<WebSocket> ws) {
    std::shared_ptr<Context> ctx;
    if (contextId.empty() || contextId == kDefaultId) {
        auto& slot = m_contexts[kDefaultId];
        if (!slot)
            slot = std::make_shared<Context>(m_t, kDefaultId, m_t.config.workDir);
        ctx = slot;
    } else if (const auto it = m_contexts.find(contextId); it != m_contexts.end()) {
        ctx = it->second;
    }
    if (!ctx) {
        ws->close(wsclose::kPolicy, "context not found: " + contextId.substr(0, L::kMaxContextIdBytes));
        co_return;
    }
    asio::co_spawn(m_t.io, readUntilGone(ws, ctx), asio::detached);
    if (ctx->busy) {
        if (ctx->waiting.size() >= L::kMaxQueuedRuns) {
            ws->close(wsclose::kPolicy, "context busy: " + std::to_string(L::kMaxQueuedRuns) +
                                            " runs already wait for it; retry later or use another context");
            co_return;
        }
        auto turn = std::make_shared<asio::steady_timer>(m_t.io, asio::steady_timer::time_point::max());
        ctx->waiting.push_back(turn);
        boost::system::error_code ec;
        co_await turn->async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (ctx->removed) {
            ws->close(wsclose::kPolicy, "context deleted");
            co_return;
        }
    }
    ctx->busy = true; // the turn is ours (passed on by release(), or the context was free)
    if (!ctx->worker) {
        if (auto error = ctx->start()) {
            ws->sendText(dumpJson({{"type", "error"},
                                   {"name", "WorkerStartError"},
                                   {"value", "The interpreter could not start in '" + ctx->cwd + "' (" +
                                                 *error + "); the sandbox's image needs python3."},
                                   {"traceback", ""}}));
            ws->close(wsclose::kError, "interpreter did not start");
            ctx->release();
            co_return;
        }
    }
    auto r = std::make_shared<Run>(m_t.io);
    r->id = uuidV4();
    r->ws = ws;
    r->timeout = spec.timeout;
    ctx->run = r;
    ws->onWritten([weak = std::weak_ptr<Context>(ctx)] {
        if (auto c = weak.lock())
            c->resume();
    });
    ctx->begin(r, spec);
    boost::system::error_code ec;
    co_await r->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ctx->run == r)
        ctx->run.reset();
    ctx->release();
}

} // namespace cove::agent
