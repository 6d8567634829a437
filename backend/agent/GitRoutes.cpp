// /git: the image's own `git`, run as the sandbox user. Credentials reach git through a one-shot
// GIT_ASKPASS helper that reads them from its environment, so they are never on a command line, in a
// URL or in .git/config, and they are scrubbed from any error message.
#include "agent/Routes.h"
#include "agent/fs/AsUser.h"
#include "agent/git/GitCli.h"
#include "agent/process/Run.h"

#include <fcntl.h>
#include <filesystem>
#include <set>
#include <unistd.h>

namespace cove::agent {

using http::bhttp::verb;
using nlohmann::json;

namespace {
constexpr const char* kAskPass = "#!/bin/sh\n"
                                 "case \"$1\" in\n"
                                 "Username*) printf '%s\\n' \"$COVE_GIT_USERNAME\" ;;\n"
                                 "*) printf '%s\\n' \"$COVE_GIT_PASSWORD\" ;;\n"
                                 "esac\n";

struct Credentials {
    std::string username, password;
    bool askPass = true; // handed to git through the askpass helper (else only scrubbed from output)
    bool given() const { return !username.empty() || !password.empty(); }
};

std::string optionalString(const json& body, const char* field) {
    const auto it = body.find(field);
    if (it == body.end() || it->is_null())
        return {};
    if (!it->is_string())
        throw apiError(400, std::string("'") + field + "' must be a string.", code::kInvalidBody);
    return it->get<std::string>();
}

// A branch or revision git must not read as an option.
std::string refName(const json& body, const char* field) {
    std::string name = requireString(body, field);
    if (name.front() == '-')
        throw badRequest(std::string("'") + field + "' cannot start with '-'.");
    return name;
}

// An optional name, revision or URL that git must not read as an option.
std::string notOption(std::string value, const char* field) {
    if (!value.empty() && value.front() == '-')
        throw badRequest(std::string("'") + field + "' cannot start with '-'.");
    return value;
}

// Paths for git after its "--": each a string.
std::vector<std::string> pathList(const json& body, const char* field, bool required) {
    const auto it = body.find(field);
    if (it == body.end() || it->is_null() || (it->is_array() && it->empty())) {
        if (required)
            throw apiError(400, std::string("'") + field + "' must be a non-empty array of paths.",
                           code::kInvalidBody);
        return {};
    }
    if (!it->is_array())
        throw apiError(400, std::string("'") + field + "' must be an array of paths.", code::kInvalidBody);
    std::vector<std::string> out;
    for (const auto& f : *it) {
        if (!f.is_string() || f.get<std::string>().empty())
            throw apiError(400, std::string("'") + field + "' must hold non-empty path strings.",
                           code::kInvalidBody);
        out.push_back(f.get<std::string>());
    }
    return out;
}

// A value for git's credential protocol or config: one line.
std::string oneLine(std::string value, const char* field) {
    if (value.find_first_of(std::string("\n\r\0", 3)) != std::string::npos)
        throw badRequest(std::string("'") + field + "' cannot contain a line break or a NUL byte.");
    return value;
}

// Where `git config` reads and writes: --global (the sandbox user's ~/.gitconfig, the default), --local
// (the repository at `path`, which is then required) or --system (/etc/gitconfig: only a sandbox user
// that is root may write it).
struct ConfigPlace {
    std::string flag, cwd;
};
ConfigPlace configPlace(const Toolbox& t, const std::string& scope, const std::string& path) {
    if (!scope.empty() && scope != "global" && scope != "local" && scope != "system")
        throw badRequest("'scope' must be 'global', 'local' or 'system'.");
    if (scope == "local" && path.empty())
        throw badRequest("'path' is required when 'scope' is 'local': the repository whose config it is.");
    return {"--" + (scope.empty() ? std::string("global") : scope),
            path.empty() ? t.config.workDir : t.resolve(path)};
}

// A config key as `git config` names it ("section[.subsection].name"); git checks the rest.
std::string configKey(std::string key) {
    if (key.empty() || key.front() == '-')
        throw badRequest("'key' must be a config key such as 'user.name' (it cannot start with '-').");
    return oneLine(std::move(key), "key");
}

Credentials credentialsOf(const json& body) {
    return {optionalString(body, "username"), optionalString(body, "password")};
}

// Writes the askpass helper into a fresh directory only the sandbox user can enter.
std::string writeAskPass(const UserInfo& user) {
    AsUser as(user);
    char dir[] = "/tmp/.cove-git-XXXXXX";
    if (!::mkdtemp(dir))
        throw apiError(500, "Cannot create the git credential helper's directory.", code::kInternal);
    const std::string path = std::string(dir) + "/askpass";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
    const std::string script = kAskPass;
    const bool written = fd >= 0 && ::write(fd, script.data(), script.size()) == ssize_t(script.size());
    if (fd >= 0)
        ::close(fd);
    if (!written) {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
        throw apiError(500, "Cannot write the git credential helper.", code::kInternal);
    }
    return dir;
}

struct GitRun {
    std::vector<std::string> args;
    std::string cwd;
    Credentials credentials;
    Environment::Map env;
    std::string input;
};

// Runs git and returns what it printed and its status, credentials already scrubbed from the output.
awaitable<RunResult> runGitRaw(Toolbox& t, GitRun run) {
    std::string askDir;
    Environment::Map env = std::move(run.env);
    env["GIT_TERMINAL_PROMPT"] = "0";
    env["LC_ALL"] = "C";
    if (run.credentials.given() && run.credentials.askPass) {
        askDir = writeAskPass(t.config.user);
        env["GIT_ASKPASS"] = askDir + "/askpass";
        env["COVE_GIT_USERNAME"] = run.credentials.username;
        env["COVE_GIT_PASSWORD"] = run.credentials.password;
    }
    RunSpec spec;
    spec.argv = {"git"};
    spec.argv.insert(spec.argv.end(), run.args.begin(), run.args.end());
    spec.env = t.env.block(env);
    spec.cwd = run.cwd;
    spec.input = std::move(run.input);
    spec.separateStderr = true;
    auto running = runCollect(t.config.user, std::move(spec));
    RunResult r = co_await std::move(running);
    if (!askDir.empty()) {
        AsUser as(t.config.user);
        std::error_code ec;
        std::filesystem::remove_all(askDir, ec);
    }
    if (!r.started) {
        if (r.startError.find("chdir") != std::string::npos)
            throw badRequest("'" + run.cwd + "' is not a directory in the sandbox.");
        throw apiError(500, "git could not start (" + r.startError + "); is git installed in the image?",
                       code::kInternal);
    }
    r.errorOutput = git::redact(r.errorOutput, run.credentials.username, run.credentials.password);
    r.output = git::redact(r.output, run.credentials.username, run.credentials.password);
    co_return r;
}

// Runs git; throws Daytona's error for the failure when it does not exit 0.
awaitable<std::string> runGit(Toolbox& t, std::string op, GitRun run) {
    auto running = runGitRaw(t, std::move(run));
    RunResult r = co_await std::move(running);
    if (r.exitCode != 0)
        throw git::classify(op, r.errorOutput + r.output, r.exitCode);
    co_return std::move(r.output);
}

awaitable<http::Response> clone(Toolbox& t, Call c) {
    const json body = objectBody(c);
    const std::string url = requireString(body, "url");
    const std::string path = t.resolve(requireString(body, "path"));
    const std::string branch = optionalString(body, "branch");
    const std::string commit = optionalString(body, "commit_id");
    GitRun run;
    if (body.value("insecure_skip_tls", json(false)) == json(true))
        run.args = {"-c", "http.sslVerify=false"};
    run.args.push_back("clone");
    if (!branch.empty())
        run.args.insert(run.args.end(), {"--branch", branch});
    if (const auto depth = body.find("depth");
        depth != body.end() && depth->is_number_integer() && depth->get<long long>() > 0)
        run.args.insert(run.args.end(), {"--depth", std::to_string(depth->get<long long>())});
    run.args.insert(run.args.end(), {"--", url, path});
    run.cwd = t.config.workDir;
    run.credentials = credentialsOf(body);
    auto cloning = runGit(t, "git clone", std::move(run));
    co_await std::move(cloning);
    if (!commit.empty()) {
        if (commit.front() == '-')
            throw badRequest("'commit_id' cannot start with '-'.");
        GitRun checkout{{"checkout", "--detach", commit, "--"}, path, {}, {}, {}};
        auto checking = runGit(t, "git checkout", std::move(checkout));
        co_await std::move(checking);
    }
    co_return c.json(200, json::object());
}

awaitable<http::Response> status(Toolbox& t, Call c) {
    GitRun run{{"status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all"},
               t.resolve(c.requireQuery("path")),
               {},
               {},
               {}};
    auto running = runGit(t, "git status", std::move(run));
    const std::string out = co_await std::move(running);
    co_return c.json(200, git::parseStatus(out));
}

awaitable<http::Response> branches(Toolbox& t, Call c) {
    GitRun run{{"for-each-ref", "--format=%(HEAD)%(refname:short)", "refs/heads"},
               t.resolve(c.requireQuery("path")),
               {},
               {},
               {}};
    auto running = runGit(t, "git branch", std::move(run));
    const std::string out = co_await std::move(running);
    json names = json::array();
    json reply = json::object();
    std::size_t start = 0;
    while (start < out.size()) {
        auto end = out.find('\n', start);
        if (end == std::string::npos)
            end = out.size();
        const std::string line = out.substr(start, end - start);
        start = end + 1;
        if (line.size() < 2)
            continue;
        names.push_back(line.substr(1));
        if (line.front() == '*')
            reply["current"] = line.substr(1);
    }
    reply["branches"] = names;
    co_return c.json(200, reply);
}

// A git command whose answer is just "done": path from the body, args built from it.
using ArgsOf = std::function<std::vector<std::string>(const json&)>;
awaitable<http::Response> simple(Toolbox& t, Call c, std::string op, ArgsOf argsOf, int status) {
    const json body = objectBody(c);
    GitRun run;
    run.cwd = t.resolve(requireString(body, "path"));
    run.args = argsOf(body);
    run.credentials = credentialsOf(body);
    auto running = runGit(t, op, std::move(run));
    co_await std::move(running);
    if (status == 204)
        co_return c.empty(204);
    co_return c.json(status, json::object());
}

awaitable<http::Response> commit(Toolbox& t, Call c) {
    const json body = objectBody(c);
    GitRun run;
    run.cwd = t.resolve(requireString(body, "path"));
    run.input = requireString(body, "message");
    const std::string author = requireString(body, "author");
    const std::string email = requireString(body, "email");
    run.env = {{"GIT_AUTHOR_NAME", author},
               {"GIT_AUTHOR_EMAIL", email},
               {"GIT_COMMITTER_NAME", author},
               {"GIT_COMMITTER_EMAIL", email}};
    run.args = {"commit", "--file=-"};
    if (body.value("allow_empty", json(false)) == json(true))
        run.args.push_back("--allow-empty");
    const std::string repo = run.cwd;
    auto committing = runGit(t, "git commit", std::move(run));
    co_await std::move(committing);
    GitRun head{{"rev-parse", "HEAD"}, repo, {}, {}, {}};
    auto reading = runGit(t, "git rev-parse", std::move(head));
    std::string hash = co_await std::move(reading);
    while (!hash.empty() && (hash.back() == '\n' || hash.back() == '\r'))
        hash.pop_back();
    co_return c.json(200, {{"hash", hash}});
}

awaitable<http::Response> init(Toolbox& t, Call c) {
    const json body = objectBody(c);
    GitRun run;
    run.cwd = t.config.workDir; // the repository's directory may not exist yet
    run.args = {"init"};
    if (body.value("bare", json(false)) == json(true))
        run.args.push_back("--bare");
    const std::string initial = optionalString(body, "initial_branch");
    if (!initial.empty())
        run.args.push_back("--initial-branch=" + initial);
    run.args.push_back(t.resolve(requireString(body, "path"))); // absolute: never read as an option
    auto running = runGit(t, "git init", std::move(run));
    co_await std::move(running);
    co_return c.json(200, json::object());
}

awaitable<http::Response> history(Toolbox& t, Call c) {
    GitRun run{
        {"log", "--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%B%x1e"}, t.resolve(c.requireQuery("path")), {}, {}, {}};
    auto running = runGit(t, "git log", std::move(run));
    const std::string out = co_await std::move(running);
    json commits = json::array();
    std::size_t start = 0;
    while (start < out.size()) {
        auto end = out.find('\x1e', start);
        if (end == std::string::npos)
            end = out.size();
        std::string record = out.substr(start, end - start);
        start = end + 1;
        while (!record.empty() && record.front() == '\n')
            record.erase(0, 1);
        std::vector<std::string> f;
        std::size_t at = 0;
        for (int i = 0; i < 4; ++i) {
            const auto sep = record.find('\x1f', at);
            if (sep == std::string::npos)
                break;
            f.push_back(record.substr(at, sep - at));
            at = sep + 1;
        }
        if (f.size() != 4)
            continue;
        std::string message = record.substr(at);
        while (!message.empty() && message.back() == '\n')
            message.pop_back();
        commits.push_back(
            {{"hash", f[0]}, {"author", f[1]}, {"email", f[2]}, {"timestamp", f[3]}, {"message", message}});
    }
    co_return c.json(200, commits);
}

awaitable<http::Response> getConfig(Toolbox& t, Call c) {
    const std::string key = configKey(c.requireQuery("key"));
    const ConfigPlace place =
        configPlace(t, c.queryValue("scope").value_or(""), c.queryValue("path").value_or(""));
    GitRun run{{"config", place.flag, "--get", "--", key}, place.cwd, {}, {}, {}};
    auto running = runGitRaw(t, std::move(run));
    const RunResult r = co_await std::move(running);
    // Status 1 with nothing said: the key is not set, which the SDK reads as an undefined value.
    if (r.exitCode == 1 && r.errorOutput.empty())
        co_return c.json(200, json::object());
    if (r.exitCode != 0)
        throw git::classify("git config", r.errorOutput + r.output, r.exitCode);
    std::string value = r.output;
    if (!value.empty() && value.back() == '\n')
        value.pop_back();
    co_return c.json(200, {{"value", value}});
}

awaitable<http::Response> setConfig(Toolbox& t, Call c) {
    const json body = objectBody(c);
    const std::string key = configKey(requireString(body, "key"));
    const auto value = body.find("value");
    if (value == body.end() || !value->is_string())
        throw apiError(400, "'value' is required and must be a string.", code::kInvalidBody);
    const ConfigPlace place = configPlace(t, optionalString(body, "scope"), optionalString(body, "path"));
    GitRun run{{"config", place.flag, "--", key, oneLine(value->get<std::string>(), "value")},
               place.cwd,
               {},
               {},
               {}};
    auto running = runGit(t, "git config", std::move(run));
    co_await std::move(running);
    co_return c.json(200, json::object());
}

awaitable<http::Response> configureUser(Toolbox& t, Call c) {
    const json body = objectBody(c);
    const std::string name = oneLine(requireString(body, "name"), "name");
    const std::string email = oneLine(requireString(body, "email"), "email");
    const ConfigPlace place = configPlace(t, optionalString(body, "scope"), optionalString(body, "path"));
    GitRun setName{{"config", place.flag, "--", "user.name", name}, place.cwd, {}, {}, {}};
    auto naming = runGit(t, "git config", std::move(setName));
    co_await std::move(naming);
    GitRun setEmail{{"config", place.flag, "--", "user.email", email}, place.cwd, {}, {}, {}};
    auto mailing = runGit(t, "git config", std::move(setEmail));
    co_await std::move(mailing);
    co_return c.json(200, json::object());
}

// The repository's remotes and their (first) URLs, from its config.
awaitable<http::Response> listRemotes(Toolbox& t, Call c) {
    GitRun run{
        {"config", "--get-regexp", "^remote\\..*\\.url$"}, t.resolve(c.requireQuery("path")), {}, {}, {}};
    auto running = runGitRaw(t, std::move(run));
    const RunResult r = co_await std::move(running);
    if (r.exitCode != 0 && !(r.exitCode == 1 && r.errorOutput.empty()))
        throw git::classify("git remote", r.errorOutput + r.output, r.exitCode);
    json remotes = json::array();
    std::set<std::string> seen;
    std::size_t start = 0;
    while (start < r.output.size()) {
        auto end = r.output.find('\n', start);
        if (end == std::string::npos)
            end = r.output.size();
        const std::string line = r.output.substr(start, end - start);
        start = end + 1;
        // "remote.<name>.url <url>"; a name may itself hold dots.
        const auto space = line.find(' ');
        if (space == std::string::npos || space < 11)
            continue;
        const std::string name = line.substr(7, space - 11);
        if (seen.insert(name).second)
            remotes.push_back({{"name", name}, {"url", line.substr(space + 1)}});
    }
    co_return c.json(200, {{"remotes", remotes}});
}

awaitable<http::Response> addRemote(Toolbox& t, Call c) {
    const json body = objectBody(c);
    const std::string repo = t.resolve(requireString(body, "path"));
    const std::string name = notOption(oneLine(requireString(body, "name"), "name"), "name");
    const std::string url = notOption(oneLine(requireString(body, "url"), "url"), "url");
    const bool overwrite = body.value("overwrite", json(false)) == json(true);
    GitRun exists{{"config", "--get", "remote." + name + ".url"}, repo, {}, {}, {}};
    auto checking = runGitRaw(t, std::move(exists));
    const RunResult found = co_await std::move(checking);
    GitRun run{{"remote", "add", "--", name, url}, repo, {}, {}, {}};
    if (found.exitCode == 0 && overwrite)
        run.args = {"remote", "set-url", "--", name, url};
    auto adding = runGit(t, "git remote add", std::move(run));
    co_await std::move(adding);
    if (body.value("fetch", json(false)) == json(true)) {
        GitRun fetch{{"fetch", "--", name}, repo, {}, {}, {}};
        auto fetching = runGit(t, "git fetch", std::move(fetch));
        co_await std::move(fetching);
    }
    co_return c.json(200, json::object());
}

awaitable<http::Response> reset(Toolbox& t, Call c) {
    const json body = objectBody(c);
    GitRun run;
    run.cwd = t.resolve(requireString(body, "path"));
    const std::string mode = optionalString(body, "mode");
    const std::string target = notOption(optionalString(body, "target"), "target");
    const std::vector<std::string> files = pathList(body, "files", false);
    static const std::set<std::string> kModes{"soft", "mixed", "hard", "merge", "keep"};
    if (!mode.empty() && !kModes.count(mode))
        throw badRequest("'mode' must be one of soft, mixed, hard, merge or keep.");
    run.args = {"reset"};
    // With paths git only unstages them; a mode there is its error to report.
    if (!mode.empty() && (files.empty() || mode != "mixed"))
        run.args.push_back("--" + mode);
    run.args.push_back(target.empty() ? "HEAD" : target);
    run.args.push_back("--");
    run.args.insert(run.args.end(), files.begin(), files.end());
    auto running = runGit(t, "git reset", std::move(run));
    co_await std::move(running);
    co_return c.json(200, json::object());
}

awaitable<http::Response> restore(Toolbox& t, Call c) {
    const json body = objectBody(c);
    GitRun run;
    run.cwd = t.resolve(requireString(body, "path"));
    const std::vector<std::string> files = pathList(body, "files", true);
    const std::string source = notOption(optionalString(body, "source"), "source");
    run.args = {"restore"};
    if (body.value("staged", json(false)) == json(true))
        run.args.push_back("--staged");
    if (body.value("worktree", json(false)) == json(true))
        run.args.push_back("--worktree");
    if (!source.empty())
        run.args.push_back("--source=" + source);
    run.args.push_back("--");
    run.args.insert(run.args.end(), files.begin(), files.end());
    auto running = runGit(t, "git restore", std::move(run));
    co_await std::move(running);
    co_return c.json(200, json::object());
}

// dangerouslyAuthenticate: what the SDK promises, the credentials kept in git's plain-text credential
// store (~/.git-credentials, mode 600) for later git operations against that host. They reach git on
// its standard input, never on a command line, and .gitconfig only gains "credential.helper = store".
awaitable<http::Response> authenticate(Toolbox& t, Call c) {
    const json body = objectBody(c);
    const std::string username = oneLine(requireString(body, "username"), "username");
    const std::string password = oneLine(requireString(body, "password"), "password");
    std::string host = oneLine(optionalString(body, "host"), "host");
    std::string protocol = oneLine(optionalString(body, "protocol"), "protocol");
    if (host.empty())
        host = "github.com";
    if (protocol.empty())
        protocol = "https";
    if (host.find_first_of("/@") != std::string::npos)
        throw badRequest("'host' must be a host name such as 'github.com' (with ':port' if needed).");
    if (protocol.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789+.-") != std::string::npos)
        throw badRequest("'protocol' must be a URL scheme such as 'https'.");
    GitRun helpers{{"config", "--global", "--get-all", "credential.helper"}, t.config.workDir, {}, {}, {}};
    auto reading = runGitRaw(t, std::move(helpers));
    const RunResult configured = co_await std::move(reading);
    if (("\n" + configured.output).find("\nstore\n") == std::string::npos) {
        GitRun add{
            {"config", "--global", "--add", "credential.helper", "store"}, t.config.workDir, {}, {}, {}};
        auto adding = runGit(t, "git config", std::move(add));
        co_await std::move(adding);
    }
    GitRun approve;
    approve.args = {"credential", "approve"};
    approve.cwd = t.config.workDir;
    approve.input = "protocol=" + protocol + "\nhost=" + host + "\nusername=" + username +
                    "\npassword=" + password + "\n\n";
    approve.credentials = {username, password}; // scrubbed from any error
    // No askpass: the credentials are the input here, not an answer to a prompt.
    approve.credentials.askPass = false;
    auto storing = runGit(t, "git credential approve", std::move(approve));
    co_await std::move(storing);
    co_return c.json(200, json::object());
}
} // namespace

void addGitRoutes(Routes& r, Toolbox& t) {
    r.add(verb::post, "/git/clone", [&t](Call c) { return clone(t, std::move(c)); });
    r.add(verb::get, "/git/status", [&t](Call c) { return status(t, std::move(c)); });
    r.add(verb::get, "/git/branches", [&t](Call c) { return branches(t, std::move(c)); });
    r.add(verb::get, "/git/history", [&t](Call c) { return history(t, std::move(c)); });
    r.add(verb::post, "/git/commit", [&t](Call c) { return commit(t, std::move(c)); });
    // Creating a branch also switches to it, as Daytona's daemon does.
    r.add(verb::post, "/git/branches", [&t](Call c) {
        return simple(
            t, std::move(c), "git checkout -b",
            [](const json& b) {
                return std::vector<std::string>{"checkout", "-b", refName(b, "name")};
            },
            201);
    });
    r.add(verb::delete_, "/git/branches", [&t](Call c) {
        return simple(
            t, std::move(c), "git branch -D",
            [](const json& b) {
                return std::vector<std::string>{"branch", "-D", refName(b, "name")};
            },
            204);
    });
    r.add(verb::post, "/git/checkout", [&t](Call c) {
        return simple(
            t, std::move(c), "git checkout",
            [](const json& b) {
                return std::vector<std::string>{"checkout", refName(b, "branch"), "--"};
            },
            200);
    });
    r.add(verb::post, "/git/add", [&t](Call c) {
        return simple(
            t, std::move(c), "git add",
            [](const json& b) {
                std::vector<std::string> args{"add", "--"};
                const std::vector<std::string> files = pathList(b, "files", true);
                args.insert(args.end(), files.begin(), files.end());
                return args;
            },
            200);
    });
    r.add(verb::post, "/git/push", [&t](Call c) {
        return simple(
            t, std::move(c), "git push",
            [](const json& b) {
                std::vector<std::string> args{"push"};
                if (b.value("set_upstream", json(false)) == json(true))
                    args.push_back("--set-upstream");
                const std::string remote = optionalString(b, "remote");
                const std::string branch = optionalString(b, "branch");
                if ((!remote.empty() && remote.front() == '-') || (!branch.empty() && branch.front() == '-'))
                    throw badRequest("'remote' and 'branch' cannot start with '-'.");
                args.push_back(remote.empty() ? "origin" : remote);
                args.push_back(branch.empty() ? "HEAD" : branch);
                return args;
            },
            200);
    });
    r.add(verb::post, "/git/pull", [&t](Call c) {
        return simple(
            t, std::move(c), "git pull",
            [](const json& b) {
                std::vector<std::string> args{"pull", "--ff-only"};
                const std::string remote = optionalString(b, "remote");
                const std::string branch = optionalString(b, "branch");
                if ((!remote.empty() && remote.front() == '-') || (!branch.empty() && branch.front() == '-'))
                    throw badRequest("'remote' and 'branch' cannot start with '-'.");
                if (!remote.empty() || !branch.empty())
                    args.push_back(remote.empty() ? "origin" : remote);
                if (!branch.empty())
                    args.push_back(branch);
                return args;
            },
            200);
    });
    r.add(verb::post, "/git/init", [&t](Call c) { return init(t, std::move(c)); });
    r.add(verb::get, "/git/config", [&t](Call c) { return getConfig(t, std::move(c)); });
    r.add(verb::post, "/git/config", [&t](Call c) { return setConfig(t, std::move(c)); });
    r.add(verb::post, "/git/config/user", [&t](Call c) { return configureUser(t, std::move(c)); });
    r.add(verb::get, "/git/remotes", [&t](Call c) { return listRemotes(t, std::move(c)); });
    r.add(verb::post, "/git/remotes", [&t](Call c) { return addRemote(t, std::move(c)); });
    r.add(verb::post, "/git/reset", [&t](Call c) { return reset(t, std::move(c)); });
    r.add(verb::post, "/git/restore", [&t](Call c) { return restore(t, std::move(c)); });
    r.add(verb::post, "/git/credentials", [&t](Call c) { return authenticate(t, std::move(c)); });
}

} // namespace cove::agent
