// The JSON-RPC conversation with one server: a read loop that frames and dispatches, a write queue, and
// a table of pending requests, each a timer its answer (or the server's end) cancels.
#include "agent/lsp/LanguageServer.h"

#include "agent/Call.h"
#include "agent/process/Children.h"
#include "agent/process/Spawn.h"
#include "common/JsonLimits.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace cove::agent::lsp {

namespace asio = boost::asio;
using nlohmann::json;

namespace {
// JSON-RPC's "method not found", for server requests the agent does not serve.
constexpr int kMethodNotFound = -32601;
// What of a server's error message reaches the client.
constexpr std::size_t kMaxErrorMessage = 1000;

std::string seconds(std::chrono::milliseconds d) {
    return std::to_string((d.count() + 999) / 1000) + " s";
}
} // namespace

struct LanguageServer::Pending {
    explicit Pending(asio::io_context& io)
        : timer(io) {}
    asio::steady_timer timer;
    bool answered = false;
    json result;
    std::string error; // the server's error answer, or why it went away
    bool serverGone = false;
};

LanguageServer::LanguageServer(asio::io_context& io, Options options)
    : m_io(io)
    , m_options(std::move(options))
    , m_in(io)
    , m_out(io)
    , m_exitGrace(io) {}

LanguageServer::~LanguageServer() {
    if (m_pid > 0 && alive())
        ::kill(-m_pid, SIGKILL);
}

void LanguageServer::spawn() {
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0)
        throw apiError(500, "Cannot create a pipe for " + name() + ".", code::kInternal);
    if (::pipe2(out, O_CLOEXEC) != 0) {
        ::close(in[0]);
        ::close(in[1]);
        throw apiError(500, "Cannot create a pipe for " + name() + ".", code::kInternal);
    }
    const int devNull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    SpawnRequest req;
    req.argv = m_options.argv;
    req.env = m_options.env;
    req.cwd = m_options.cwd;
    req.stdinFd = in[0];
    req.stdoutFd = out[1];
    req.stderrFd = devNull; // its log is not ours to keep; errors reach the client as answers
    const SpawnResult spawned = spawnAs(m_options.user, req);
    for (int fd : {in[0], out[1], devNull})
        if (fd >= 0)
            ::close(fd);
    m_in.assign(in[1]);
    m_out.assign(out[0]);
    if (spawned.pid < 0) {
        m_failure = "could not be started";
        const std::string hint =
            spawned.what == "exec"
                ? " Is `" + m_options.argv.front() + "` installed in the sandbox's image and on its PATH?"
                : "";
        throw apiError(500, "Cannot start " + name() + " (" + spawned.message() + ")." + hint,
                       code::kInternal);
    }
    m_pid = spawned.pid;
    std::weak_ptr<LanguageServer> weak = weak_from_this();
    Children::watch(m_pid, [weak](int status) {
        if (auto self = weak.lock())
            self->fail("exited (code " + std::to_string(Children::exitCode(status)) + ")");
    });
    readMore();
}

void LanguageServer::readMore() {
    m_out.async_read_some(asio::buffer(m_readBuffer),
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                              if (!self->alive())
                                  return;
                              if (n > 0) {
                                  self->m_reader.feed(std::string_view(self->m_readBuffer.data(), n));
                                  while (self->alive()) {
                                      auto body = self->m_reader.next();
                                      if (!body)
                                          break;
                                      // Nothing a server sends may throw out of the io loop (it would end
                                      // the agent, PID 1, and the sandbox with it).
                                      try {
                                          self->onMessage(*body);
                                      } catch (const std::exception&) {
                                          self->fail("sent a message the agent cannot read");
                                      }
                                  }
                                  if (self->m_reader.failed() && self->alive())
                                      self->fail(self->m_reader.error());
                              }
                              if (ec) {
                                  // Its exit status says more than the end of its output: wait a
                                  // moment for it.
                                  self->m_exitGrace.expires_after(kExitAfterEofGrace);
                                  self->m_exitGrace.async_wait(
                                      [self](boost::system::error_code) { self->fail("closed its output"); });
                                  return;
                              }
                              if (self->alive())
                                  self->readMore();
                          });
}

void LanguageServer::onMessage(const std::string& body) {
    auto parsed = parseUntrustedJson(body, kMaxMessageDepth);
    if (!parsed.value || !parsed.value->is_object()) {
        fail("sent a message that is not a JSON object");
        return;
    }
    const json& m = *parsed.value;
    const auto method = m.find("method");
    const auto id = m.find("id");
    if (method != m.end()) {
        if (id != m.end() && !id->is_null())
            answerServerRequest(m);
        return; // notifications (diagnostics, logs, progress) are not needed by any route
    }
    if (id == m.end() || !id->is_number_integer())
        return; // an answer to nothing the agent asked
    const auto it = m_pending.find(id->get<std::int64_t>());
    if (it == m_pending.end())
        return; // late (timed out) or invented
    const auto p = it->second;
    m_pending.erase(it);
    p->answered = true;
    if (const auto err = m.find("error"); err != m.end() && !err->is_null()) {
        std::string message = err->is_object() && err->contains("message") && (*err)["message"].is_string()
                                  ? (*err)["message"].get<std::string>()
                                  : std::string("an error without a message");
        if (message.size() > kMaxErrorMessage)
            message = message.substr(0, kMaxErrorMessage) + "...";
        p->error = std::move(message);
    } else if (const auto r = m.find("result"); r != m.end()) {
        p->result = *r;
    }
    p->timer.cancel();
}

// Servers ask the client things and some wait for the answer before going on; the agent answers the
// usual ones as a client with no settings would, and refuses the rest.
void LanguageServer::answerServerRequest(const json& message) {
    const std::string method = message["method"].is_string() ? message["method"].get<std::string>() : "";
    json reply{{"jsonrpc", "2.0"}, {"id", message["id"]}};
    if (method == "workspace/configuration") {
        std::size_t items = 0;
        if (const auto p = message.find("params"); p != message.end() && p->is_object())
            if (const auto i = p->find("items"); i != p->end() && i->is_array())
                items = i->size();
        reply["result"] = json::array();
        for (std::size_t k = 0; k < items; ++k)
            reply["result"].push_back(nullptr);
    } else if (method == "window/workDoneProgress/create" || method == "client/registerCapability" ||
               method == "client/unregisterCapability" || method == "window/showMessageRequest" ||
               method == "workspace/workspaceFolders") {
        reply["result"] = method == "workspace/workspaceFolders" ? json::array() : json(nullptr);
    } else {
        reply["error"] = {{"code", kMethodNotFound}, {"message", "The client does not serve " + method}};
    }
    send(reply);
}

void LanguageServer::send(const json& message) {
    if (!alive())
        return;
    std::string framed = frame(message.dump(-1, ' ', false, json::error_handler_t::replace));
    if (m_queuedBytes + framed.size() > kMaxQueuedInputBytes) {
        fail("stopped reading its input");
        return;
    }
    m_queuedBytes += framed.size();
    m_writes.push_back(std::move(framed));
    writeMore();
}

void LanguageServer::writeMore() {
    if (m_writing || m_writes.empty() || !alive())
        return;
    m_writing = true;
    asio::async_write(m_in, asio::buffer(m_writes.front()),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                          self->m_writing = false;
                          if (self->m_writes.empty())
                              return;
                          self->m_queuedBytes -= self->m_writes.front().size();
                          self->m_writes.pop_front();
                          if (ec) {
                              self->fail("closed its input");
                              return;
                          }
                          self->writeMore();
                      });
}

void LanguageServer::notify(std::string method, json params) {
    send(json{{"jsonrpc", "2.0"}, {"method", std::move(method)}, {"params", std::move(params)}});
}

asio::awaitable<json> LanguageServer::request(std::string method, json params,
                                              std::chrono::milliseconds timeout) {
    if (!alive())
        throw apiError(503, "The " + name() + " " + m_failure + "; start it again.", code::kUnavailable);
    if (m_pending.size() >= kMaxPendingRequests)
        throw apiError(503,
                       "The " + name() + " already has " + std::to_string(kMaxPendingRequests) +
                           " requests waiting; try again when they are answered.",
                       code::kUnavailable);
    const std::int64_t id = ++m_nextId;
    auto p = std::make_shared<Pending>(m_io);
    p->timer.expires_after(timeout);
    m_pending.emplace(id, p);
    send(json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
    // A server that fails here (say its input is full) has already failed `p`.
    boost::system::error_code ec;
    if (!p->answered && !p->serverGone)
        co_await p->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    // The agent's io_context going away leaves `this` to its last owner; nothing else touches it here.
    if (p->serverGone)
        throw apiError(503,
                       "The " + name() + " " + p->error + " while answering " + method + "; start it again.",
                       code::kUnavailable);
    if (!p->answered) {
        m_pending.erase(id);
        notify("$/cancelRequest", json{{"id", id}});
        throw apiError(504,
                       "The " + name() + " did not answer " + method + " within " + seconds(timeout) +
                           "; it may still be loading the project. Try again, or stop and start it.",
                       code::kTimeout);
    }
    if (!p->error.empty())
        throw badRequest("The " + name() + " refused " + method + ": " + p->error);
    co_return std::move(p->result);
}

void LanguageServer::fail(std::string why) {
    if (!alive())
        return;
    m_failure = std::move(why);
    m_exitGrace.cancel();
    if (m_pid > 0)
        ::kill(-m_pid, SIGKILL);
    boost::system::error_code ignored;
    m_in.close(ignored);
    m_out.close(ignored);
    m_writes.clear();
    m_queuedBytes = 0;
    auto pending = std::move(m_pending);
    m_pending.clear();
    for (auto& [id, p] : pending) {
        p->serverGone = true;
        p->error = m_failure;
        p->timer.cancel();
    }
}

asio::awaitable<void> LanguageServer::stop() {
    if (alive() && initialized) {
        try {
            auto answered = request("shutdown", nullptr, kShutdownTimeout);
            co_await std::move(answered);
            notify("exit", nullptr);
        } catch (const ApiError&) {
            // A server that will not shut down politely is killed below all the same.
        }
    }
    fail("was stopped");
}

} // namespace cove::agent::lsp
