// Supervises the desktop's three processes on the agent's io thread: spawn (as the sandbox user, logs
// to files in a private directory), readiness checks, restart after an unexpected exit, orderly stop.
#include "agent/computeruse/Desktop.h"

#include "agent/Call.h"
#include "agent/Routes.h"
#include "agent/fs/AsUser.h"
#include "agent/process/Children.h"
#include "agent/process/Spawn.h"
#include "common/Random.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace cove::agent::computeruse {

namespace asio = boost::asio;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr const char* kDisplay = ":0";
constexpr const char* kXSocket = "/tmp/.X11-unix/X0";
constexpr const char* kXLock = "/tmp/.X0-lock";
constexpr unsigned short kVncPort = 5901; // Daytona's VNC_PORT
constexpr int kDefaultWidth = 1024;       // Daytona's VNC_RESOLUTION
constexpr int kDefaultHeight = 768;
constexpr auto kReadyTimeout = 15s;
constexpr auto kRestartDelay = 2s;
constexpr auto kStopGrace = 3s;
constexpr std::size_t kMaxLogRead = 64u << 10;
constexpr const char* kAtSpiLauncher = "/usr/libexec/at-spi-bus-launcher";
constexpr const char* kNoDesktop =
    "This sandbox's image has no desktop; create it from the cove-desktop snapshot to use computer use.";

struct Proc {
    std::string name;
    int priority = 0;
    std::string program;   // what it runs; an optional one is left out when the image lacks it
    bool optional = false; // the accessibility buses: the desktop works without them
    bool present = true;
    pid_t pid = -1;
    bool wanted = false;
    unsigned generation = 0; // bumps per spawn: a late exit of an older one changes nothing
    std::unique_ptr<asio::steady_timer> restartTimer;
};

std::string tail(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return {};
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::size_t>(in.tellg());
    const std::size_t from = size > kMaxLogRead ? size - kMaxLogRead : 0;
    in.seekg(std::streamoff(from));
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The last line of a tool's error output, skipping the agent's own notes about restarts.
std::string lastLogLine(const std::string& text) {
    std::istringstream in(text);
    std::string line, last;
    while (std::getline(in, line)) {
        while (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (!line.empty() && line.find("; restarting it") == std::string::npos)
            last = line;
    }
    return last;
}

// Whether something listens on 127.0.0.1:port (read off /proc/net/tcp, so no connection is made).
bool listening(unsigned short port) {
    std::ifstream in("/proc/net/tcp");
    std::string line;
    char want[32];
    std::snprintf(want, sizeof want, "0100007F:%04X", port);
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string slot, local, remote, state;
        fields >> slot >> local >> remote >> state;
        if (local == want && state == "0A")
            return true;
    }
    return false;
}

int resolutionPart(const std::string& text, bool height, int fallback) {
    const auto x = text.find('x');
    if (x == std::string::npos)
        return fallback;
    try {
        const int v = std::stoi(height ? text.substr(x + 1) : text.substr(0, x));
        return v >= 320 && v <= 4096 ? v : fallback;
    } catch (const std::exception&) {
        return fallback;
    }
}

} // namespace

struct Desktop::Impl {
    Toolbox& t;
    std::vector<Proc> procs; // in start order
    std::string password;
    std::string dir;
    int width = kDefaultWidth;
    int height = kDefaultHeight;

    explicit Impl(Toolbox& tb)
        : t(tb) {
        struct Spec {
            const char* name;
            int priority;
            const char* program;
            bool optional;
        };
        for (const auto& s : {Spec{"xvfb", 100, "Xvfb", false}, Spec{"dbus", 150, "dbus-daemon", true},
                              Spec{"atspi", 160, kAtSpiLauncher, true},
                              Spec{"openbox", 200, "openbox", false}, Spec{"x11vnc", 300, "x11vnc", false}}) {
            Proc p;
            p.name = s.name;
            p.priority = s.priority;
            p.program = s.program;
            p.optional = s.optional;
            p.restartTimer = std::make_unique<asio::steady_timer>(t.io);
            procs.push_back(std::move(p));
        }
        dir = "/tmp/.cove-computeruse-" + std::to_string(t.config.user.uid);
    }

    Proc& proc(const std::string& name) {
        for (auto& p : procs)
            if (p.name == name)
                return p;
        throw apiError(404,
                       "No computer-use process '" + name +
                           "'; the processes are xvfb, dbus, atspi, openbox and x11vnc.",
                       code::kNotFound);
    }
    const Proc& proc(const std::string& name) const { return const_cast<Impl*>(this)->proc(name); }

    std::string busPath() const { return dir + "/bus"; }
    std::string busAddress() const { return "unix:path=" + busPath(); }

    // What every desktop process and every X client gets: the display, the session bus and the settings
    // that make GTK and Qt applications publish their accessibility tree on the AT-SPI bus.
    Environment::Map desktopVars() const {
        Environment::Map vars{{"DISPLAY", kDisplay}};
        if (proc("dbus").present) {
            vars["DBUS_SESSION_BUS_ADDRESS"] = busAddress();
            vars["NO_AT_BRIDGE"] = "0";
            vars["GTK_MODULES"] = "gail:atk-bridge";
            vars["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1";
            vars["QT_ACCESSIBILITY"] = "1";
        }
        return vars;
    }
    std::vector<std::string> env() const { return t.env.block(desktopVars()); }

    // Commands run after the start (an application launched through process/execute or a session)
    // land on this desktop: the variables they lack are added to the toolbox's environment.
    void exportDesktopVars() {
        json set = json::object();
        for (const auto& [k, v] : desktopVars())
            if (!t.env.current().count(k))
                set[k] = v;
        if (!set.empty())
            t.env.update({{"set", set}});
    }

    std::string logPath(const Proc& p) const { return dir + "/" + p.name + ".log"; }
    std::string errPath(const Proc& p) const { return dir + "/" + p.name + ".err"; }
    std::string passwordPath() const { return dir + "/vnc.passwd"; }

    // Why this image cannot run the desktop, if it cannot.
    std::optional<std::string> missing() const {
        const auto e = t.env.block({{"DISPLAY", kDisplay}});
        if (findProgram("Xvfb", e).find('/') == std::string::npos)
            return std::string(kNoDesktop);
        for (const char* tool : {"openbox", "x11vnc", "xdotool", "scrot", "xwininfo", "xprop"})
            if (findProgram(tool, e).find('/') == std::string::npos)
                return "This sandbox's image has no " + std::string(tool) +
                       ", which computer use needs; create the sandbox from the cove-desktop snapshot.";
        return std::nullopt;
    }

    // The private directory, made as the sandbox user; refuses one someone else planted.
    void ensureDir() {
        AsUser as(t.config.user);
        ::mkdir(dir.c_str(), 0700);
        struct stat st {};
        const uid_t owner = ::geteuid() == 0 ? t.config.user.uid : ::geteuid();
        if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != owner ||
            (st.st_mode & 077) != 0)
            throw apiError(
                500, dir + " is not a private directory of the sandbox user; remove it and start again.",
                code::kInternal);
    }

    // A file of the private directory, opened as the sandbox user.
    int openAsUser(const std::string& path, int flags) const {
        AsUser as(t.config.user);
        return ::open(path.c_str(), flags | O_CLOEXEC | O_NOFOLLOW, 0600);
    }

    void writePassword() {
        static constexpr char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        unsigned char bytes[8];
        randomBytes(bytes, sizeof bytes);
        password.clear();
        for (unsigned char b : bytes)
            password += alphabet[b % (sizeof alphabet - 1)];
        ::unlink(passwordPath().c_str());
        const int fd = openAsUser(passwordPath(), O_WRONLY | O_CREAT | O_EXCL);
        const std::string line = password + "\n";
        if (fd < 0 || ::write(fd, line.data(), line.size()) != ssize_t(line.size())) {
            if (fd >= 0)
                ::close(fd);
            password.clear();
            throw apiError(500, "Cannot write the VNC password file in " + dir + ".", code::kInternal);
        }
        ::close(fd);
    }

    std::vector<std::string> argvOf(const Proc& p) const {
        const std::string geometry = std::to_string(width) + "x" + std::to_string(height) + "x24";
        if (p.name == "xvfb")
            // -noreset: the server must not reset when its last client (a readiness probe) leaves.
            return {"Xvfb", kDisplay, "-screen", "0", geometry, "-nolisten", "tcp", "-noreset"};
        if (p.name == "openbox")
            return {"openbox", "--sm-disable"};
        if (p.name == "dbus")
            return {"dbus-daemon", "--session", "--nofork", "--nopidfile", "--address=" + busAddress()};
        if (p.name == "atspi")
            return {kAtSpiLauncher, "--launch-immediately"};
        return {"x11vnc",     "-display", kDisplay,      "-rfbport",     std::to_string(kVncPort),
                "-localhost", "-noipv6",  "-passwdfile", passwordPath(), "-forever",
                "-shared",    "-norc"};
    }

    void appendError(const Proc& p, const std::string& line) const {
        const int fd = openAsUser(errPath(p), O_WRONLY | O_CREAT | O_APPEND);
        if (fd < 0)
            return;
        [[maybe_unused]] auto n = ::write(fd, line.data(), line.size());
        ::close(fd);
    }

    // A stale lock of a display server that died without cleaning up stops the next one starting.
    static void clearStaleXLock() {
        std::ifstream in(kXLock);
        long pid = 0;
        if (!(in >> pid))
            return;
        if (pid > 0 && ::kill(pid_t(pid), 0) == 0)
            return;
        ::unlink(kXLock);
        ::unlink(kXSocket);
    }

    void spawn(Proc& p) {
        if (p.name == "xvfb")
            clearStaleXLock();
        const int out = openAsUser(logPath(p), O_WRONLY | O_CREAT | O_APPEND);
        const int err = openAsUser(errPath(p), O_WRONLY | O_CREAT | O_APPEND);
        const int nul = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        SpawnRequest req;
        req.argv = argvOf(p);
        req.env = env();
        req.cwd = dir;
        req.stdinFd = nul;
        req.stdoutFd = out;
        req.stderrFd = err;
        const SpawnResult spawned = spawnAs(t.config.user, req);
        for (int fd : {out, err, nul})
            if (fd >= 0)
                ::close(fd);
        if (spawned.pid < 0) {
            appendError(p, p.name + " did not start: " + spawned.message() + "\n");
            return;
        }
        p.pid = spawned.pid;
        const unsigned generation = ++p.generation;
        Children::watch(p.pid,
                        [this, name = p.name, generation](int status) { exited(name, generation, status); });
    }

    void exited(const std::string& name, unsigned generation, int status) {
        Proc& p = proc(name);
        if (generation != p.generation)
            return;
        p.pid = -1;
        if (!p.wanted)
            return;
        appendError(p, p.name + " exited with code " + std::to_string(Children::exitCode(status)) +
                           "; restarting it\n");
        p.restartTimer->expires_after(kRestartDelay);
        p.restartTimer->async_wait([this, name](boost::system::error_code ec) {
            Proc& again = proc(name);
            if (!ec && again.wanted && again.pid < 0)
                spawn(again);
        });
    }

    awaitable<bool> ready(const Proc& p) const {
        if (p.name == "x11vnc")
            co_return listening(kVncPort);
        if (p.name == "xvfb" && ::access(kXSocket, F_OK) != 0)
            co_return false;
        if (p.name == "dbus")
            co_return ::access(busPath().c_str(), F_OK) == 0;
        if (p.name == "atspi") {
            // The launcher publishes the accessibility bus's address on the root window once it runs.
            RunSpec spec{{"xprop", "-root", "AT_SPI_BUS"}, env(), dir, {}, 5s, true};
            auto asking = runCollect(t.config.user, std::move(spec));
            RunResult r = co_await std::move(asking);
            co_return r.exitCode == 0 && r.output.find("unix:") != std::string::npos;
        }
        // The screen is ready once a client gets its root window's properties; the window manager once
        // it has claimed the screen.
        RunSpec spec{{"xprop", "-root", "_NET_SUPPORTING_WM_CHECK"}, env(), dir, {}, 5s, true};
        auto running = runCollect(t.config.user, std::move(spec));
        RunResult r = co_await std::move(running);
        co_return r.exitCode == 0 && (p.name == "xvfb" || r.output.find("window id") != std::string::npos);
    }

    awaitable<void> bringUp(Proc& p) {
        p.wanted = true;
        if (p.pid < 0)
            spawn(p);
        asio::steady_timer timer(t.io);
        const auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
        for (;;) {
            bool isReady = false;
            if (p.pid > 0) {
                auto checking = ready(p);
                isReady = co_await std::move(checking);
            }
            if (isReady)
                co_return;
            if (std::chrono::steady_clock::now() > deadline || p.pid < 0) {
                const std::string why = lastLogLine(tail(errPath(p)));
                throw apiError(
                    500, "The " + p.name + " process did not come up" + (why.empty() ? "." : ": " + why),
                    code::kInternal);
            }
            timer.expires_after(50ms);
            boost::system::error_code ec;
            co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
    }

    awaitable<void> bringDown(Proc& p) {
        p.wanted = false;
        p.restartTimer->cancel();
        if (p.pid < 0)
            co_return;
        ::kill(-p.pid, SIGTERM);
        asio::steady_timer timer(t.io);
        bool killed = false;
        const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
        while (p.pid > 0) {
            if (!killed && std::chrono::steady_clock::now() > deadline) {
                ::kill(-p.pid, SIGKILL);
                killed = true;
            }
            timer.expires_after(20ms);
            boost::system::error_code ec;
            co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
    }

    bool active() const {
        for (const auto& p : procs)
            if (p.present && p.pid < 0)
                return false;
        return true;
    }

    // Which optional processes this image can run.
    void probe() {
        const auto e = t.env.block({{"DISPLAY", kDisplay}});
        bool buses = true;
        for (auto& p : procs)
            if (p.optional)
                buses = buses && findProgram(p.program, e).find('/') != std::string::npos;
        for (auto& p : procs)
            if (p.optional)
                p.present = buses; // the accessibility bus needs the session bus and the other way round
    }
};

Desktop::Desktop(Toolbox& t)
    : d(std::make_unique<Impl>(t)) {}

Desktop::~Desktop() = default;

awaitable<void> Desktop::start() {
    if (auto why = d->missing())
        throw apiError(503, *why, code::kUnavailable);
    d->ensureDir();
    d->probe();
    const auto& vars = d->t.env.current();
    if (const auto it = vars.find("VNC_RESOLUTION"); it != vars.end() && d->procs.front().pid < 0) {
        d->width = resolutionPart(it->second, false, kDefaultWidth);
        d->height = resolutionPart(it->second, true, kDefaultHeight);
    }
    if (d->password.empty() || d->procs.back().pid < 0)
        d->writePassword();
    // All or nothing: a process that does not come up takes the others down with it.
    std::exception_ptr failed;
    try {
        for (auto& p : d->procs) {
            if (!p.present)
                continue;
            auto up = d->bringUp(p);
            co_await std::move(up);
        }
        d->exportDesktopVars();
    } catch (...) {
        failed = std::current_exception();
    }
    if (failed) {
        auto stopping = stop();
        co_await std::move(stopping);
        std::rethrow_exception(failed);
    }
}

awaitable<void> Desktop::stop() {
    for (auto it = d->procs.rbegin(); it != d->procs.rend(); ++it) {
        auto down = d->bringDown(*it);
        co_await std::move(down);
    }
    d->password.clear();
    ::unlink(d->passwordPath().c_str());
}

awaitable<void> Desktop::restart(std::string name) {
    Proc& p = d->proc(name);
    if (auto why = d->missing())
        throw apiError(503, *why, code::kUnavailable);
    d->probe();
    if (!p.present)
        throw apiError(503, "This sandbox's image has no " + p.program + "; it cannot run " + p.name + ".",
                       code::kUnavailable);
    auto down = d->bringDown(p);
    co_await std::move(down);
    if (p.name == "x11vnc" && d->password.empty())
        d->writePassword();
    auto up = d->bringUp(p);
    co_await std::move(up);
}

json Desktop::processStatus() const {
    json out = json::object();
    for (const auto& p : d->procs) {
        if (!p.present)
            continue;
        json s{{"running", p.pid > 0}, {"priority", p.priority}, {"autoRestart", true}};
        if (p.pid > 0)
            s["pid"] = p.pid;
        out[p.name] = s;
    }
    return out;
}

std::string Desktop::status() const {
    if (d->active())
        return "active";
    for (const auto& p : d->procs)
        if (p.pid > 0)
            return "partial";
    return "inactive";
}

bool Desktop::running(const std::string& name) const {
    return d->proc(name).pid > 0;
}

std::string Desktop::logs(const std::string& name) const {
    return tail(d->logPath(d->proc(name)));
}

std::string Desktop::errors(const std::string& name) const {
    return tail(d->errPath(d->proc(name)));
}

void Desktop::requireActive() const {
    if (d->active())
        return;
    if (auto why = d->missing())
        throw apiError(503, *why, code::kUnavailable);
    throw apiError(409, "Computer use is not running in this sandbox; start it with POST /computeruse/start.",
                   code::kConflict);
}

int Desktop::width() const {
    return d->width;
}

int Desktop::height() const {
    return d->height;
}

unsigned short Desktop::vncPort() const {
    return kVncPort;
}

std::string Desktop::vncPassword() const {
    requireActive();
    return d->password;
}

bool Desktop::has(const std::string& program) const {
    return findProgram(program, d->env()).find('/') != std::string::npos;
}

std::string Desktop::privateDir() const {
    return d->dir;
}

std::vector<std::string> Desktop::environment() const {
    return d->env();
}

void Desktop::requireAccessibility() const {
    requireActive();
    const auto& bus = d->proc("atspi");
    if (!bus.present)
        throw apiError(
            503,
            "This sandbox's image has no AT-SPI accessibility bus (at-spi2-core, dbus); create the "
            "sandbox from the cove-desktop snapshot to use the accessibility tree.",
            code::kUnavailable);
    if (bus.pid < 0 || d->proc("dbus").pid < 0)
        throw apiError(
            503,
            "The accessibility bus is not running; restart computer use with POST /computeruse/stop "
            "and POST /computeruse/start.",
            code::kUnavailable);
}

awaitable<RunResult> Desktop::xRun(std::vector<std::string> argv) const {
    RunSpec spec{std::move(argv), d->env(), d->dir, {}, 10s, true};
    auto running = runCollect(d->t.config.user, std::move(spec));
    RunResult r = co_await std::move(running);
    co_return r;
}

awaitable<std::string> Desktop::x(std::vector<std::string> argv) const {
    const std::string tool = argv.front();
    auto running = xRun(std::move(argv));
    RunResult r = co_await std::move(running);
    if (!r.started)
        throw apiError(500, tool + " did not start: " + r.startError, code::kInternal);
    if (r.timedOut)
        throw apiError(500, tool + " did not finish within 10 seconds.", code::kInternal);
    if (r.exitCode != 0)
        throw apiError(500, tool + " failed: " + lastLogLine(r.errorOutput), code::kInternal);
    co_return r.output;
}

} // namespace cove::agent::computeruse
