// process/interpreter: contexts (create, list, delete) and code runs streamed over a WebSocket, as
// SDK 0.218's CodeInterpreter drives them.
#include "agent/Routes.h"
#include "agent/interpreter/Interpreter.h"
#include "agent/ws/WebSocket.h"

#include <cmath>

namespace cove::agent {

using http::bhttp::verb;
using nlohmann::json;

namespace {
using L = InterpreterLimits;

// The request a run starts with; the reason (short: it goes in a close frame) when it is not one.
std::optional<std::string> parseRun(const std::string& text, std::string& contextId, InterpreterRun& run) {
    const json body = json::parse(text, nullptr, false);
    if (!body.is_object())
        return "the first message must be JSON {code, contextId?, envs?, timeout?}";
    const auto code = body.find("code");
    if (code == body.end() || !code->is_string() ||
        code->get_ref<const std::string&>().find_first_not_of(" \t\r\n") == std::string::npos)
        return "code is required";
    run.code = code->get<std::string>();
    if (const auto id = body.find("contextId"); id != body.end() && !id->is_null()) {
        if (!id->is_string() || !validContextId(id->get<std::string>()))
            return "contextId must be an id from createContext";
        contextId = id->get<std::string>();
    }
    if (auto error = parseEnvObject(body.value("envs", json()), "envs", run.envs))
        return "envs must be an object of strings";
    run.timeout = L::kDefaultTimeout;
    if (const auto t = body.find("timeout"); t != body.end() && !t->is_null()) {
        if (!t->is_number() || !std::isfinite(t->get<double>()) || t->get<double>() < 0)
            return "timeout must be a number of seconds, 0 for none";
        run.timeout =
            std::chrono::milliseconds(static_cast<long long>(std::min(t->get<double>(), 1e9) * 1000));
    }
    return std::nullopt;
}

awaitable<void> execute(Interpreters& interpreters, Call c, std::shared_ptr<WebSocket> ws) {
    // The browser SDK offers a subprotocol and gives up when none is answered.
    const auto offered = offeredProtocols(c.req);
    ws->setMaxMessage(L::kMaxRequestBytes);
    auto accepting = ws->accept(std::move(c.req), offered.empty() ? std::string() : offered.front());
    if (!co_await std::move(accepting))
        co_return;
    auto reading = ws->read();
    auto first = co_await std::move(reading);
    if (!first)
        co_return; // gone, or its message was over kMaxRequestBytes (Beast closed with 1009)
    std::string contextId;
    InterpreterRun run;
    if (auto error = parseRun(first->data, contextId, run)) {
        ws->close(wsclose::kPolicy, *error);
        co_return;
    }
    auto running = interpreters.execute(std::move(contextId), std::move(run), ws);
    co_await std::move(running);
}
} // namespace

void addInterpreterRoutes(Routes& r, Toolbox& t) {
    // Never destroyed, as the terminals: its workers' callbacks must not outlive the io_context at exit.
    static Interpreters& interpreters = *new Interpreters(t);
    r.addSync(verb::post, "/process/interpreter/context", [](const Call& c) {
        const json body = c.jsonBody();
        if (!body.is_object())
            throw apiError(400, "The body must be a JSON object {cwd?, language?}.", code::kInvalidBody);
        for (const char* field : {"cwd", "language"})
            if (body.contains(field) && !body[field].is_null() && !body[field].is_string())
                throw badRequest(std::string("'") + field + "' must be a string.");
        const auto text = [&](const char* field) {
            return body.value(field, json()).is_string() ? body[field].get<std::string>() : std::string();
        };
        return c.json(200, interpreters.create(text("cwd"), text("language")));
    });
    r.addSync(verb::get, "/process/interpreter/context",
              [](const Call& c) { return c.json(200, interpreters.list()); });
    r.addSync(verb::delete_, "/process/interpreter/context/{id}", [](const Call& c) {
        interpreters.remove(c.param("id"));
        return c.json(200, {{"message", "Context deleted successfully"}});
    });
    r.addWebSocket("/process/interpreter/execute", [](Call c, std::shared_ptr<WebSocket> ws) {
        return execute(interpreters, std::move(c), ws);
    });
}

} // namespace cove::agent
