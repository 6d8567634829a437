// process/execute and process/code-run: one command, its combined output, its exit code.
#include "agent/Routes.h"
#include "agent/process/CodeRun.h"
#include "agent/process/Run.h"
#include "agent/process/Spawn.h"

#include <cmath>

namespace cove::agent {

using http::bhttp::verb;
using nlohmann::json;

namespace {
// Daytona's `timeout` is in seconds; 0 or absent means none.
std::chrono::milliseconds timeoutOf(const json& body) {
    const auto it = body.find("timeout");
    if (it == body.end() || it->is_null())
        return {};
    if (!it->is_number() || it->get<double>() < 0 || !std::isfinite(it->get<double>()))
        throw badRequest("'timeout' must be a number of seconds, 0 for none.");
    return std::chrono::milliseconds(static_cast<long long>(it->get<double>() * 1000));
}

Environment::Map envsOf(const json& body) {
    Environment::Map envs;
    if (auto err = parseEnvObject(body.value("envs", json()), "envs", envs))
        throw badRequest(*err);
    return envs;
}

std::string requireString(const json& body, const char* field) {
    const auto it = body.find(field);
    if (it == body.end() || !it->is_string())
        throw badRequest(std::string("'") + field + "' is required and must be a string.");
    return it->get<std::string>();
}

std::string timeoutMessage(std::chrono::milliseconds t) {
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(t).count();
    return "Command execution timed out after " + std::to_string(secs) +
           " seconds. The timeout can be increased by adjusting the timeout parameter in the request.";
}

// What the caller learns when output went over the cap, at the end of `result`.
void noteDropped(RunResult& r) {
    if (r.dropped > 0)
        r.output +=
            "\n[cove: output truncated; " + std::to_string(r.dropped) + " more bytes were not kept]\n";
}

void throwStartError(const RunResult& r, const std::string& cwd) {
    if (r.startError.find("chdir") != std::string::npos)
        throw badRequest("Cannot run in '" + cwd + "' (" + r.startError +
                         "); pass an existing directory as cwd.");
    throw apiError(500, "The command could not start: " + r.startError + ".", code::kInternal);
}

awaitable<http::Response> execute(Toolbox& t, Call c) {
    const json body = c.jsonBody();
    if (!body.is_object())
        throw apiError(400, "The body must be a JSON object {command, cwd?, envs?, timeout?}.",
                       code::kInvalidBody);
    RunSpec spec;
    spec.input = requireString(body, "command");
    if (spec.input.find_first_not_of(" \t\r\n") == std::string::npos)
        throw badRequest("'command' is empty.");
    spec.input.push_back('\n');
    spec.argv = {userShell(t.config.user)};
    spec.cwd =
        t.resolve(body.value("cwd", json()).is_string() ? body["cwd"].get<std::string>() : std::string());
    spec.env = t.env.block(envsOf(body));
    spec.timeout = timeoutOf(body);
    const std::string cwd = spec.cwd;
    const auto timeout = spec.timeout;

    auto running = runCollect(t.config.user, std::move(spec));
    RunResult r = co_await std::move(running);
    if (!r.started)
        throwStartError(r, cwd);
    if (r.timedOut)
        throw apiError(408, timeoutMessage(timeout), code::kTimeout);
    noteDropped(r);
    co_return c.json(200, {{"exitCode", r.exitCode}, {"result", std::move(r.output)}});
}

awaitable<http::Response> codeRun(Toolbox& t, Call c) {
    const json body = c.jsonBody();
    if (!body.is_object())
        throw apiError(400, "The body must be a JSON object {code, language, argv?, envs?, timeout?}.",
                       code::kInvalidBody);
    const std::string code = requireString(body, "code");
    const std::string language = body.value("language", json()).is_string()
                                     ? body["language"].get<std::string>()
                                     : std::string("python");
    std::vector<std::string> args;
    if (const auto it = body.find("argv"); it != body.end() && !it->is_null()) {
        if (!it->is_array())
            throw badRequest("'argv' must be an array of strings.");
        for (const auto& a : *it) {
            if (!a.is_string())
                throw badRequest("'argv' must be an array of strings.");
            args.push_back(a.get<std::string>());
        }
    }
    auto command = codeRunCommand(language, code, args);
    if (!command)
        throw badRequest("Unsupported language '" + language + "'; use python, javascript or typescript.");

    RunSpec spec;
    spec.argv = std::move(command->argv);
    spec.input = std::move(command->input);
    spec.cwd = t.config.workDir;
    spec.env = t.env.block(envsOf(body));
    spec.timeout = timeoutOf(body);
    const std::string cwd = spec.cwd;
    const auto timeout = spec.timeout;

    auto running = runCollect(t.config.user, std::move(spec));
    RunResult r = co_await std::move(running);
    if (!r.started)
        throwStartError(r, cwd);
    if (r.timedOut)
        throw apiError(408, timeoutMessage(timeout), code::kTimeout);
    json charts = extractCharts(r.output);
    noteDropped(r);
    json reply{{"exitCode", r.exitCode}, {"result", std::move(r.output)}};
    if (!charts.empty())
        reply["artifacts"] = {{"charts", std::move(charts)}};
    co_return c.json(200, reply);
}
} // namespace

void addProcessRoutes(Routes& r, Toolbox& t) {
    r.add(verb::post, "/process/execute", [&t](Call c) { return execute(t, std::move(c)); });
    r.add(verb::post, "/process/code-run", [&t](Call c) { return codeRun(t, std::move(c)); });
}

} // namespace cove::agent
