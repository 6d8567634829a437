// Code interpreter contexts, as Daytona's toolbox has them: each a long-lived python3 worker running as
// the sandbox user in the context's directory, keeping its variables between runs. Runs go to a context
// one at a time and stream their output, errors and end over the caller's WebSocket.
#pragma once

#include "agent/interpreter/Limits.h"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>

namespace cove::agent {

struct Toolbox;
class WebSocket;

struct InterpreterRun {
    std::string code;
    std::map<std::string, std::string> envs;
    std::chrono::milliseconds timeout{}; // zero: none
};

class Interpreters {
public:
    explicit Interpreters(Toolbox& t);
    ~Interpreters();

    // A new context with its worker started, as InterpreterContext JSON. Throws ApiError: a language
    // other than python, a directory the worker cannot start in, or kMaxContexts reached.
    nlohmann::json create(const std::string& cwd, const std::string& language);
    // The contexts callers made (not the default one).
    nlohmann::json list() const;
    // Ends a context's worker (and a run in it). Throws ApiError 400 for "default", 404 for no such id.
    void remove(const std::string& id);
    // Runs code in a context (empty: the default one, made on first use) and streams it on `ws`, which
    // is closed at the end: 1000, 4008 after a timeout, 1001 when the worker died, 1008 when refused.
    boost::asio::awaitable<void> execute(std::string contextId, InterpreterRun run,
                                         std::shared_ptr<WebSocket> ws);

    struct Context;

private:
    Toolbox& m_t;
    std::map<std::string, std::shared_ptr<Context>> m_contexts;
};

// Whether a client's context id could name one of ours: 1-64 letters, digits and dashes.
bool validContextId(const std::string& id);

} // namespace cove::agent
