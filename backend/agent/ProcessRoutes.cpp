// process/execute and process/code-run: one command, its combined output, its exit code.
#include "agent/Routes.h"
#include "agent/process/CodeRun.h"
#include "agent/process/Run.h"
#include "agent/process/Spawn.h"

#include <sys/stat.h>

#include <cctype>
#include <cmath>
#include <optional>
#include <set>

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

// A command with no shell syntax at all, only words of plain characters, is run directly as the shell
// would run it, found on the same PATH, without starting a shell first (that start is most of an exec's
// time). Anything else, a first word that is no program, or a name whose builtin behaves differently
// from the program of that name, goes to the user's shell.
std::optional<std::vector<std::string>> plainCommand(std::string command,
                                                     const std::vector<std::string>& env) {
    while (!command.empty() && (command.back() == '\n' || command.back() == ' ' || command.back() == '\t'))
        command.pop_back();
    std::vector<std::string> words;
    std::string word;
    for (const char c : command) {
        if (c == ' ' || c == '\t') {
            if (!word.empty())
                words.push_back(std::move(word));
            word.clear();
            continue;
        }
        const bool plain = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
                           c == '/' || c == ',' || c == ':' || c == '+' || c == '@' || c == '%' ||
                           (c == '=' && !words.empty());
        if (!plain)
            return std::nullopt;
        word.push_back(c);
    }
    if (!word.empty())
        words.push_back(std::move(word));
    static const std::set<std::string> builtins{
        "time",  "pwd",  "echo", "type", "command", "exec", "source",  "alias", "hash",   "ulimit",
        "umask", "wait", "read", "jobs", "fg",      "bg",   "history", "kill",  "printf", "test"};
    if (words.empty() || builtins.count(words[0]))
        return std::nullopt;
    std::string path = "/usr/local/bin:/usr/bin:/bin";
    for (const auto& e : env)
        if (e.rfind("PATH=", 0) == 0)
            path = e.substr(5);
    const auto executable = [](const std::string& f) {
        struct stat st {};
        return ::stat(f.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
    };
    if (words[0].find('/') != std::string::npos)
        return executable(words[0]) ? std::optional(words) : std::nullopt;
    for (std::size_t start = 0; start <= path.size();) {
        const auto colon = std::min(path.find(':', start), path.size());
        const std::string dir = path.substr(start, colon - start);
        if (!dir.empty() && dir[0] == '/' && executable(dir + "/" + words[0]))
            return words;
        start = colon + 1;
    }
    return std::nullopt;
}

void throwStartError(const RunResult& r, const std::string& cwd) {
    if (r.startError.find("chdir") != std::string::npos)
        throw badRequest("Cannot run in '" + cwd + "' (" + r.startError +
                         "); pass an existing directory as cwd.");
    throw apiError(500, "The command could not start: " + r.startError + ".", code::kInternal);
}

// Runs to the end; a command that could not start or ran out of time is the caller's error.
awaitable<RunResult> runChecked(Toolbox& t, RunSpec spec) {
    const std::string cwd = spec.cwd;
    const auto timeout = spec.timeout;
    auto running = runCollect(t.config.user, std::move(spec));
    RunResult r = co_await std::move(running);
    if (!r.started)
        throwStartError(r, cwd);
    if (r.timedOut)
        throw apiError(408, timeoutMessage(timeout), code::kTimeout);
    co_return r;
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
    spec.cwd =
        t.resolve(body.value("cwd", json()).is_string() ? body["cwd"].get<std::string>() : std::string());
    spec.env = t.env.block(envsOf(body));
    if (auto direct = plainCommand(spec.input, spec.env)) {
        spec.argv = std::move(*direct);
        spec.input.clear(); // the program's stdin is empty, as under `sh` reading the script
    } else {
        spec.argv = {userShell(t.config.user)};
    }
    spec.timeout = timeoutOf(body);
    auto running = runChecked(t, std::move(spec));
    RunResult r = co_await std::move(running);
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
    auto running = runChecked(t, std::move(spec));
    RunResult r = co_await std::move(running);
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
