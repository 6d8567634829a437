// process/session: long-lived shells whose commands share state (cwd, variables). Each session is a
// bash owned by the agent; a command is written to a file and sourced, its stdout, stderr and stdin
// are FIFOs the agent reads and writes, and a "done" line on the shell's own stdout carries its exit
// code. Output is kept per command (bounded) for status and logs, and streamed to followers (a WebSocket
// per `logs?follow=true`) with Daytona's 01 01 01 / 02 02 02 stream prefixes. The image's own command is
// the `entrypoint` session: one command, no shell, its output also passed on to the agent's stdio so
// `docker logs` still shows it.
#include "agent/Routes.h"
#include "agent/fs/AsUser.h"
#include "agent/process/Children.h"
#include "agent/process/Spawn.h"
#include "agent/ws/WebSocket.h"
#include "common/Random.h"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace cove::agent {

namespace asio = boost::asio;
using asio::posix::stream_descriptor;
using http::bhttp::verb;
using nlohmann::json;

namespace {
// What one session command keeps of each of its streams; beyond it the output is counted, not kept.
constexpr std::size_t kMaxCommandLog = 4u << 20;
constexpr const char* kDoneMarker = "__cove_done__";
constexpr const char* kEntrypoint = "entrypoint";
// What precedes each chunk of a followed log: which stream it came from (the SDK's stdDemuxStream).
const std::string kStdoutPrefix("\x01\x01\x01", 3);
const std::string kStderrPrefix("\x02\x02\x02", 3);
enum class Stream { Out, Err };

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out.push_back(c);
    }
    return out + "'";
}

struct Command : std::enable_shared_from_this<Command> {
    Command(const asio::any_io_executor& ex)
        : out(ex)
        , err(ex)
        , in(ex)
        , done(ex) {
        done.expires_at(asio::steady_timer::time_point::max());
    }
    std::string id, command;
    std::optional<int> exitCode;
    std::string stdoutLog, stderrLog, combined;
    // The order the kept chunks came in (stream, bytes), so a follower joining late sees them interleaved.
    std::vector<std::pair<Stream, std::size_t>> order;
    std::vector<std::shared_ptr<WebSocket>> followers;
    bool tee = false; // pass output on to the agent's own stdout/stderr (the entrypoint)
    stream_descriptor out, err, in;
    std::array<char, 16384> outBuf{}, errBuf{};
    asio::steady_timer done; // cancelled when the command ends

    void keep(Stream which, const char* p, std::size_t n) {
        std::string& log = which == Stream::Out ? stdoutLog : stderrLog;
        const std::size_t kept = log.size() < kMaxCommandLog ? std::min(n, kMaxCommandLog - log.size()) : 0;
        log.append(p, kept);
        if (kept > 0)
            order.emplace_back(which, kept);
        if (combined.size() < 2 * kMaxCommandLog)
            combined.append(p, std::min(n, 2 * kMaxCommandLog - combined.size()));
        if (tee) {
            [[maybe_unused]] auto written = ::write(which == Stream::Out ? 1 : 2, p, n);
        }
        const std::string& prefix = which == Stream::Out ? kStdoutPrefix : kStderrPrefix;
        std::erase_if(followers, [&](const std::shared_ptr<WebSocket>& ws) {
            std::string frame = prefix;
            frame.append(p, n);
            return !ws->sendBinary(std::move(frame));
        });
    }

    // Sends what was kept so far, in the order it came, to a new follower.
    void replay(WebSocket& ws) const {
        std::size_t outAt = 0, errAt = 0;
        for (const auto& [which, n] : order) {
            const bool isOut = which == Stream::Out;
            std::string frame = isOut ? kStdoutPrefix : kStderrPrefix;
            frame.append((isOut ? stdoutLog : stderrLog).substr(isOut ? outAt : errAt, n));
            (isOut ? outAt : errAt) += n;
            if (!ws.sendBinary(std::move(frame)))
                return;
        }
    }

    void read(stream_descriptor& d, std::array<char, 16384>& buf, Stream which) {
        d.async_read_some(asio::buffer(buf), [self = shared_from_this(), &d, &buf,
                                              which](boost::system::error_code ec, std::size_t n) {
            if (n > 0)
                self->keep(which, buf.data(), n);
            if (!ec)
                self->read(d, buf, which);
        });
    }

    // The shell said the command ended: everything it wrote is already in the FIFOs.
    void finish(int code) {
        boost::system::error_code ignored;
        for (auto* d : {&out, &err}) {
            d->cancel(ignored);
            if (!d->is_open())
                continue;
            std::array<char, 16384>& buf = d == &out ? outBuf : errBuf;
            for (;;) {
                const ssize_t n = ::read(d->native_handle(), buf.data(), buf.size());
                if (n <= 0)
                    break;
                keep(d == &out ? Stream::Out : Stream::Err, buf.data(), std::size_t(n));
            }
            d->close(ignored);
        }
        in.close(ignored);
        exitCode = code;
        done.cancel();
        for (auto& ws : followers)
            ws->close(wsclose::kNormal);
        followers.clear();
    }

    json summary() const {
        json j{{"id", id}, {"command", command}};
        if (exitCode)
            j["exitCode"] = *exitCode;
        return j;
    }
};

struct Session {
    std::string id;
    pid_t pid = -1;
    std::string dir; // the session's FIFOs and command files, owned by the sandbox user
    std::unique_ptr<stream_descriptor> shellIn, shellOut;
    asio::streambuf status;
    std::vector<std::shared_ptr<Command>> commands;
    bool ended = false;
    bool entrypoint = false; // the image's command: no shell, takes no commands

    std::shared_ptr<Command> find(const std::string& cid) const {
        for (const auto& c : commands)
            if (c->id == cid)
                return c;
        return nullptr;
    }
    json toJson() const {
        json cmds = json::array();
        for (const auto& c : commands)
            cmds.push_back(c->summary());
        return {{"sessionId", id}, {"commands", cmds}};
    }
};

class Sessions {
public:
    explicit Sessions(Toolbox& t)
        : m_t(t) {}

    void create(const std::string& id) {
        if (id.empty() || id.find('/') != std::string::npos || id.size() > 128)
            throw badRequest("'sessionId' must be 1-128 characters without '/'.");
        if (m_sessions.count(id))
            throw apiError(409, "A session named '" + id + "' already exists.", code::kConflict);
        auto s = std::make_shared<Session>();
        s->id = id;
        s->dir = "/tmp/.cove-sessions/" + uuidV4();
        {
            AsUser as(m_t.config.user);
            ::mkdir("/tmp/.cove-sessions", 01777);
            if (::mkdir(s->dir.c_str(), 0700) != 0)
                throw apiError(500,
                               "Cannot create the session's directory: " + std::string(std::strerror(errno)),
                               code::kInternal);
        }
        int in[2], out[2];
        if (::pipe2(in, O_CLOEXEC) != 0)
            throw apiError(500, "Cannot create a pipe.", code::kInternal);
        if (::pipe2(out, O_CLOEXEC) != 0) {
            ::close(in[0]);
            ::close(in[1]);
            throw apiError(500, "Cannot create a pipe.", code::kInternal);
        }
        SpawnRequest req;
        req.argv = {"/bin/bash", "--noprofile", "--norc", "-s"};
        if (::access("/bin/bash", X_OK) != 0)
            req.argv = {"/bin/sh", "-s"};
        req.env = m_t.env.block();
        req.cwd = m_t.config.workDir;
        req.stdinFd = in[0];
        req.stdoutFd = out[1];
        req.stderrFd = out[1];
        const auto spawned = spawnAs(m_t.config.user, req);
        ::close(in[0]);
        ::close(out[1]);
        if (spawned.pid < 0) {
            ::close(in[1]);
            ::close(out[0]);
            throw apiError(500, "The session's shell did not start: " + spawned.message(), code::kInternal);
        }
        s->pid = spawned.pid;
        s->shellIn = std::make_unique<stream_descriptor>(m_t.io, in[1]);
        s->shellOut = std::make_unique<stream_descriptor>(m_t.io, out[0]);
        m_sessions[id] = s;
        std::weak_ptr<Session> weak = s;
        Children::watch(s->pid, [weak](int) {
            if (auto live = weak.lock()) {
                live->ended = true;
                for (auto& c : live->commands)
                    if (!c->exitCode)
                        c->finish(-1);
            }
        });
        readStatus(s);
    }

    std::shared_ptr<Session> get(const std::string& id) const {
        const auto it = m_sessions.find(id);
        if (it == m_sessions.end())
            throw apiError(404, "No session '" + id + "'.", code::kNotFound);
        return it->second;
    }

    json list() const {
        json out = json::array();
        for (const auto& [id, s] : m_sessions)
            out.push_back(s->toJson());
        return out;
    }

    // Starts the image's own command as the `entrypoint` session; a failure to start is in its logs.
    void startEntrypoint(const std::vector<std::string>& argv) {
        auto s = std::make_shared<Session>();
        s->id = kEntrypoint;
        s->entrypoint = true;
        auto c = std::make_shared<Command>(m_t.io.get_executor());
        c->id = uuidV4();
        for (const auto& a : argv)
            c->command += (c->command.empty() ? "" : " ") + a;
        c->tee = true;
        s->commands.push_back(c);
        m_sessions[s->id] = s;

        int out[2] = {-1, -1}, err[2] = {-1, -1};
        if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
            for (int fd : {out[0], out[1]})
                if (fd >= 0)
                    ::close(fd);
            const std::string message = "cove-agent: cannot create a pipe for the entrypoint\n";
            c->keep(Stream::Err, message.data(), message.size());
            c->finish(127);
            s->ended = true;
            return;
        }
        SpawnRequest req;
        req.argv = argv;
        req.env = m_t.env.block();
        req.cwd = m_t.config.workDir;
        req.stdoutFd = out[1];
        req.stderrFd = err[1];
        const auto spawned = spawnAs(m_t.config.user, req);
        ::close(out[1]);
        ::close(err[1]);
        c->out.assign(out[0]);
        c->err.assign(err[0]);
        if (spawned.pid < 0) {
            const std::string message =
                "cove-agent: cannot start " + argv[0] + ": " + spawned.message() + "\n";
            c->keep(Stream::Err, message.data(), message.size());
            c->finish(127);
            s->ended = true;
            return;
        }
        s->pid = spawned.pid;
        c->read(c->out, c->outBuf, Stream::Out);
        c->read(c->err, c->errBuf, Stream::Err);
        Children::watch(s->pid, [s, c](int status) {
            s->ended = true;
            c->finish(Children::exitCode(status));
        });
    }

    void remove(const std::string& id) {
        auto s = get(id);
        if (s->entrypoint)
            throw badRequest("The entrypoint session runs the image's command; it cannot be deleted.");
        if (s->pid > 0 && !s->ended)
            ::kill(-s->pid, SIGKILL);
        for (auto& c : s->commands)
            if (!c->exitCode)
                c->finish(-1);
        boost::system::error_code ignored;
        if (s->shellIn)
            s->shellIn->close(ignored);
        if (s->shellOut)
            s->shellOut->close(ignored);
        std::error_code ec;
        std::filesystem::remove_all(s->dir, ec);
        m_sessions.erase(id);
    }

    std::shared_ptr<Command> start(const std::shared_ptr<Session>& s, const std::string& command) {
        if (s->entrypoint)
            throw badRequest("The entrypoint session runs the image's command; it takes no other commands.");
        if (s->ended)
            throw apiError(410, "Session '" + s->id + "' has ended.", code::kSessionEnded);
        auto c = std::make_shared<Command>(m_t.io.get_executor());
        c->id = uuidV4();
        c->command = command;
        const std::string base = s->dir + "/" + c->id;
        {
            AsUser as(m_t.config.user);
            std::ofstream script(base + ".sh");
            script << command << "\n";
            if (!script || ::mkfifo((base + ".out").c_str(), 0600) != 0 ||
                ::mkfifo((base + ".err").c_str(), 0600) != 0 || ::mkfifo((base + ".in").c_str(), 0600) != 0)
                throw apiError(500, "Cannot prepare the command's files.", code::kInternal);
        }
        // Read-write opens never block and never see EOF while the shell has not opened its side yet.
        const int outFd = ::open((base + ".out").c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
        const int errFd = ::open((base + ".err").c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
        const int inFd = ::open((base + ".in").c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (outFd < 0 || errFd < 0 || inFd < 0) {
            for (int fd : {outFd, errFd, inFd})
                if (fd >= 0)
                    ::close(fd);
            throw apiError(500, "Cannot open the command's pipes.", code::kInternal);
        }
        c->out.assign(outFd);
        c->err.assign(errFd);
        c->in.assign(inFd);
        c->read(c->out, c->outBuf, Stream::Out);
        c->read(c->err, c->errBuf, Stream::Err);
        s->commands.push_back(c);

        // Sourced, so cd and variables persist in the session; the marker line reports the exit code.
        const std::string q = shellQuote(base);
        auto line = std::make_shared<std::string>(
            ". " + shellQuote(base + ".sh") + " >" + shellQuote(base + ".out") + " 2>" +
            shellQuote(base + ".err") + " <" + shellQuote(base + ".in") + "; echo \"" + kDoneMarker + " " +
            c->id + " $?\"; rm -f " + q + ".sh " + q + ".out " + q + ".err " + q + ".in\n");
        asio::async_write(*s->shellIn, asio::buffer(*line),
                          [line](boost::system::error_code, std::size_t) {});
        return c;
    }

private:
    void readStatus(std::shared_ptr<Session> s) {
        asio::async_read_until(*s->shellOut, s->status, '\n',
                               [this, s](boost::system::error_code ec, std::size_t n) {
                                   if (ec)
                                       return;
                                   std::string line(asio::buffers_begin(s->status.data()),
                                                    asio::buffers_begin(s->status.data()) + n);
                                   s->status.consume(n);
                                   std::istringstream in(line);
                                   std::string marker, cid;
                                   int code = -1;
                                   if (in >> marker >> cid >> code && marker == kDoneMarker) {
                                       if (auto c = s->find(cid); c && !c->exitCode)
                                           c->finish(code);
                                   }
                                   readStatus(s);
                               });
    }

    Toolbox& m_t;
    std::map<std::string, std::shared_ptr<Session>> m_sessions;
};

json logsOf(const Command& c) {
    return {{"output", c.combined}, {"stdout", c.stdoutLog}, {"stderr", c.stderrLog}};
}

// The first subprotocol a client offered, echoed so clients that offer one (browsers) accept the answer.
std::string firstOffered(const http::Request& req) {
    const auto offered = offeredProtocols(req);
    return offered.empty() ? std::string() : offered.front();
}

// A command's logs as a WebSocket: what was kept so far, then every chunk as it comes; closed (1000)
// once the command has ended.
awaitable<void> follow(std::shared_ptr<Command> cmd, Call c, std::shared_ptr<WebSocket> ws) {
    const std::string protocol = firstOffered(c.req);
    auto accepting = ws->accept(std::move(c.req), protocol);
    if (!co_await std::move(accepting))
        co_return;
    cmd->replay(*ws);
    if (cmd->exitCode)
        ws->close(wsclose::kNormal);
    else
        cmd->followers.push_back(ws);
    // Reading is what notices the client going away (and answers its close).
    for (;;) {
        auto reading = ws->read();
        auto message = co_await std::move(reading);
        if (!message)
            break;
    }
    std::erase(cmd->followers, ws);
}

awaitable<http::Response> exec(Sessions& sessions, Call c) {
    const json body = c.jsonBody();
    if (!body.is_object() || !body.value("command", json()).is_string() ||
        body["command"].get<std::string>().empty())
        throw apiError(400, "The body must be {command, runAsync?}.", code::kInvalidBody);
    auto s = sessions.get(c.param("id"));
    const bool async = body.value("runAsync", false) || body.value("async", false);
    auto cmd = sessions.start(s, body["command"].get<std::string>());
    if (async)
        co_return c.json(202, {{"cmdId", cmd->id}});
    boost::system::error_code ec;
    co_await cmd->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    json reply = logsOf(*cmd);
    reply["cmdId"] = cmd->id;
    reply["exitCode"] = cmd->exitCode.value_or(-1);
    co_return c.json(200, reply);
}
} // namespace

void addSessionRoutes(Routes& r, Toolbox& t) {
    // Never destroyed, as the desktop: its commands' timers must not outlive the io_context at exit.
    static Sessions& sessions = *new Sessions(t);
    if (!t.config.entrypoint.empty())
        t.onStart.push_back([&t] { sessions.startEntrypoint(t.config.entrypoint); });
    r.addSync(verb::post, "/process/session", [](const Call& c) {
        const json body = c.jsonBody();
        if (!body.is_object() || !body.value("sessionId", json()).is_string())
            throw apiError(400, "The body must be {sessionId}.", code::kInvalidBody);
        sessions.create(body["sessionId"].get<std::string>());
        return c.json(201, json::object());
    });
    r.addSync(verb::get, "/process/session", [](const Call& c) { return c.json(200, sessions.list()); });
    r.addSync(verb::get, "/process/session/{id}",
              [](const Call& c) { return c.json(200, sessions.get(c.param("id"))->toJson()); });
    r.addSync(verb::delete_, "/process/session/{id}", [](const Call& c) {
        sessions.remove(c.param("id"));
        return c.json(200, json::object());
    });
    r.add(verb::post, "/process/session/{id}/exec", [](Call c) { return exec(sessions, std::move(c)); });
    auto command = [](const Call& c) {
        auto cmd = sessions.get(c.param("id"))->find(c.param("cid"));
        if (!cmd)
            throw apiError(404, "No command '" + c.param("cid") + "' in session '" + c.param("id") + "'.",
                           code::kProcessNotFound);
        return cmd;
    };
    r.addSync(verb::get, "/process/session/{id}/command/{cid}",
              [command](const Call& c) { return c.json(200, command(c)->summary()); });
    r.addSync(verb::get, "/process/session/{id}/command/{cid}/logs",
              [command](const Call& c) { return c.json(200, logsOf(*command(c))); });
    r.addWebSocket("/process/session/{id}/command/{cid}/logs",
                   [command](Call c, std::shared_ptr<WebSocket> ws) {
                       auto cmd = command(c);
                       return follow(std::move(cmd), std::move(c), std::move(ws));
                   });
    auto entrypointCommand = [] {
        auto s = sessions.get(kEntrypoint);
        if (s->commands.empty())
            throw apiError(404, "The entrypoint session has no command.", code::kNotFound);
        return s->commands.front();
    };
    r.addSync(verb::get, "/process/session/entrypoint/logs",
              [entrypointCommand](const Call& c) { return c.json(200, logsOf(*entrypointCommand())); });
    r.addWebSocket("/process/session/entrypoint/logs",
                   [entrypointCommand](Call c, std::shared_ptr<WebSocket> ws) {
                       auto cmd = entrypointCommand();
                       return follow(std::move(cmd), std::move(c), std::move(ws));
                   });
    r.addSync(verb::post, "/process/session/{id}/command/{cid}/input", [command](const Call& c) {
        const json body = c.jsonBody();
        if (!body.is_object() || !body.value("data", json()).is_string())
            throw apiError(400, "The body must be {data}.", code::kInvalidBody);
        auto cmd = command(c);
        if (cmd->exitCode || !cmd->in.is_open())
            throw apiError(409, "The command has already completed.", code::kCommandCompleted);
        const std::string data = body["data"].get<std::string>();
        // Small writes to a FIFO with room are whole; a full FIFO means the command is not reading.
        const ssize_t n = ::write(cmd->in.native_handle(), data.data(), data.size());
        if (n != ssize_t(data.size()))
            throw apiError(409, "The command is not reading its input.", code::kConflict);
        return c.json(200, json::object());
    });
}

} // namespace cove::agent
