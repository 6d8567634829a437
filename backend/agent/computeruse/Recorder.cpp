// Runs ffmpeg's x11grab per recording on the agent's io thread: spawn as the sandbox user with a pipe on
// its stdin, wait until it has opened its output, stop with "q" (then SIGINT, then SIGKILL), and keep
// what each recording was in memory; files found in the folder fill in the rest.
#include "agent/computeruse/Recorder.h"

#include "agent/Call.h"
#include "agent/computeruse/Desktop.h"
#include "agent/fs/AsUser.h"
#include "agent/process/Children.h"
#include "agent/process/Spawn.h"
#include "common/Random.h"
#include "common/Time.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace cove::agent::computeruse {

namespace asio = boost::asio;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr auto kStartTimeout = 10s;  // until ffmpeg has opened the display and its output file
constexpr auto kQuitGrace = 10s;     // after "q", before SIGINT
constexpr auto kInterruptGrace = 3s; // after SIGINT, before SIGKILL
constexpr std::size_t kMaxLabel = 100;
constexpr std::size_t kMaxListed = 1000; // files of the folder a listing reads

struct Entry {
    std::string id;
    std::string fileName;
    std::string filePath;
    TimePoint start;
    std::optional<TimePoint> end;
    std::string status; // recording, completed, failed
    pid_t pid = -1;
    int input = -1; // the write end of ffmpeg's stdin
    int exitCode = -1;
};

std::string stamp(TimePoint t) {
    const std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%d_%H%M%S", &tm);
    return buf;
}

std::string lastFileLine(const std::string& path) {
    std::ifstream in(path);
    std::string line, last;
    while (std::getline(in, line))
        if (!line.empty())
            last = line;
    return last.substr(0, 300);
}

TimePoint mtimeOf(const struct stat& st) {
    return TimePoint(std::chrono::duration_cast<std::chrono::system_clock::duration>(
        std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
}

ApiError notFound(const std::string& id) {
    return apiError(404, "No recording '" + id + "'; GET /computeruse/recordings lists them.",
                    code::kNotFound);
}

} // namespace

struct Recorder::Impl {
    Toolbox& t;
    const Desktop& desktop;
    std::map<std::string, Entry> entries; // what this agent recorded

    Impl(Toolbox& tb, const Desktop& d)
        : t(tb)
        , desktop(d) {}

    std::string folder() const { return t.config.user.home + "/" + kRecordingsFolder; }

    // The folder, made as the sandbox user (so a link planted there gives no more than the user has).
    void ensureFolder() const {
        AsUser as(t.config.user);
        std::string path = t.config.user.home;
        std::istringstream parts(kRecordingsFolder);
        std::string part;
        while (std::getline(parts, part, '/')) {
            path += "/" + part;
            ::mkdir(path.c_str(), 0700);
        }
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
            throw apiError(500, "Cannot make the recordings folder " + path + "; check the home directory.",
                           code::kInternal);
    }

    int activeCount() const {
        return int(std::count_if(entries.begin(), entries.end(),
                                 [](const auto& e) { return e.second.status == "recording"; }));
    }

    json toJson(const Entry& e) const {
        json j{{"id", e.id},
               {"fileName", e.fileName},
               {"filePath", e.filePath},
               {"startTime", toIso8601(e.start)},
               {"status", e.status}};
        if (e.end) {
            j["endTime"] = toIso8601(*e.end);
            j["durationSeconds"] =
                std::chrono::duration_cast<std::chrono::milliseconds>(*e.end - e.start).count() / 1000.0;
        }
        AsUser as(t.config.user);
        struct stat st {};
        if (::lstat(e.filePath.c_str(), &st) == 0 && S_ISREG(st.st_mode))
            j["sizeBytes"] = (long long)st.st_size;
        return j;
    }

    // The finished recordings in the folder this agent did not make (an earlier run's): regular files
    // named "<id>_....mp4", links and anything else left out.
    std::vector<json> scan(const std::string* onlyId) const {
        std::vector<json> out;
        AsUser as(t.config.user);
        DIR* dir = ::opendir(folder().c_str());
        if (!dir)
            return out;
        std::size_t seen = 0;
        while (const dirent* ent = ::readdir(dir)) {
            if (++seen > kMaxListed)
                break;
            const std::string name = ent->d_name;
            if (name.size() < 41 || name.compare(name.size() - 4, 4, ".mp4") != 0 || name[36] != '_')
                continue;
            const std::string id = name.substr(0, 36);
            if (!validId(id) || entries.count(id) || (onlyId && id != *onlyId))
                continue;
            const std::string path = folder() + "/" + name;
            struct stat st {};
            if (::fstatat(dirfd(dir), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
                continue;
            const std::string when = toIso8601(mtimeOf(st));
            out.push_back({{"id", id},
                           {"fileName", name},
                           {"filePath", path},
                           {"startTime", when},
                           {"endTime", when},
                           {"status", "completed"},
                           {"sizeBytes", (long long)st.st_size}});
        }
        ::closedir(dir);
        return out;
    }

    Entry* find(const std::string& id) {
        const auto it = entries.find(id);
        return it == entries.end() ? nullptr : &it->second;
    }

    std::string errPath(const std::string& id) const {
        return desktop.privateDir() + "/recording-" + id + ".err";
    }

    void exited(const std::string& id, int status) {
        Entry* e = find(id);
        if (!e)
            return;
        e->pid = -1;
        e->exitCode = Children::exitCode(status);
        if (e->input >= 0) {
            ::close(e->input);
            e->input = -1;
        }
        if (e->status == "recording") { // not asked to stop: the display went away, or ffmpeg failed
            e->status = "failed";
            e->end = std::chrono::system_clock::now();
        }
    }

    awaitable<bool> waitExit(const std::string& id, std::chrono::milliseconds limit) {
        asio::steady_timer timer(t.io);
        const auto deadline = std::chrono::steady_clock::now() + limit;
        for (;;) {
            const Entry* e = find(id);
            if (!e || e->pid < 0)
                co_return true;
            if (std::chrono::steady_clock::now() > deadline)
                co_return false;
            timer.expires_after(20ms);
            boost::system::error_code ec;
            co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
    }
};

Recorder::Recorder(Toolbox& t, const Desktop& d)
    : d(std::make_unique<Impl>(t, d)) {}

Recorder::~Recorder() = default;

bool Recorder::validId(const std::string& id) {
    if (id.size() != 36)
        return false;
    for (std::size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

bool Recorder::validLabel(const std::string& label) {
    if (label.empty() || label.size() > kMaxLabel)
        return false;
    const auto first = label.find_first_not_of(' ');
    if (first == std::string::npos || label[first] == '.')
        return false;
    return std::all_of(label.begin(), label.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
               c == '.' || c == '_' || c == '-';
    });
}

awaitable<json> Recorder::start(std::string label) {
    if (!label.empty() && !validLabel(label))
        throw badRequest("'label' must be 1 to 100 letters, digits, spaces, '.', '_' or '-', not starting "
                         "with '.'.");
    d->desktop.requireActive();
    if (!d->desktop.has("ffmpeg"))
        throw apiError(
            503,
            "This sandbox's image has no ffmpeg, which recordings need; create the sandbox from the "
            "cove-desktop snapshot.",
            code::kUnavailable);
    if (d->activeCount() >= kMaxActiveRecordings)
        throw apiError(409,
                       std::to_string(kMaxActiveRecordings) +
                           " recordings are already running; stop one with POST /computeruse/recordings/stop "
                           "first.",
                       code::kConflict);
    d->ensureFolder();

    Entry e;
    e.id = uuidV4();
    e.start = std::chrono::system_clock::now();
    e.fileName =
        e.id + "_" + (label.empty() ? std::string("session") : label) + "_" + stamp(e.start) + ".mp4";
    e.filePath = d->folder() + "/" + e.fileName;
    e.status = "recording";

    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0)
        throw apiError(500, "Cannot make a pipe for ffmpeg.", code::kInternal);
    int err = -1;
    {
        AsUser as(d->t.config.user);
        err = ::open(d->errPath(e.id).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    }
    const int nul = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    SpawnRequest req;
    req.argv = {"ffmpeg",      "-hide_banner",
                "-loglevel",   "error",
                "-f",          "x11grab",
                "-framerate",  std::to_string(kRecordingFrameRate),
                "-video_size", std::to_string(d->desktop.width()) + "x" + std::to_string(d->desktop.height()),
                "-i",          ":0",
                "-c:v",        "libx264",
                "-preset",     "ultrafast",
                "-pix_fmt",    "yuv420p",
                "-n",          e.filePath};
    req.env = d->desktop.environment();
    req.cwd = d->desktop.privateDir();
    req.stdinFd = pipeFds[0];
    req.stdoutFd = nul;
    req.stderrFd = err >= 0 ? err : nul;
    const SpawnResult spawned = spawnAs(d->t.config.user, req);
    for (int fd : {pipeFds[0], err, nul})
        if (fd >= 0)
            ::close(fd);
    if (spawned.pid < 0) {
        ::close(pipeFds[1]);
        throw apiError(500, "ffmpeg did not start: " + spawned.message(), code::kInternal);
    }
    e.pid = spawned.pid;
    e.input = pipeFds[1];
    const std::string id = e.id;
    d->entries.emplace(id, std::move(e));
    Children::watch(spawned.pid, [impl = d.get(), id](int status) { impl->exited(id, status); });

    // Acknowledged once ffmpeg has opened the display and made its file: a grab that cannot start dies
    // first, and the caller hears why instead of getting a recording that never captured a frame.
    asio::steady_timer timer(d->t.io);
    const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    for (;;) {
        Entry* now = d->find(id);
        struct stat st {};
        bool made = false;
        {
            AsUser as(d->t.config.user);
            made = ::lstat(now->filePath.c_str(), &st) == 0;
        }
        if (now->pid > 0 && made)
            break;
        if (now->pid < 0 || std::chrono::steady_clock::now() > deadline) {
            if (now->pid > 0)
                ::kill(now->pid, SIGKILL);
            const std::string why = lastFileLine(d->errPath(id));
            const std::string partial = now->filePath;
            d->entries.erase(id);
            {
                AsUser as(d->t.config.user);
                ::unlink(partial.c_str());
            }
            throw apiError(500, "ffmpeg did not start recording" + (why.empty() ? "." : ": " + why),
                           code::kInternal);
        }
        timer.expires_after(20ms);
        boost::system::error_code ec;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    co_return d->toJson(*d->find(id));
}

awaitable<json> Recorder::stop(std::string id) {
    Entry* e = validId(id) ? d->find(id) : nullptr;
    if (!e || e->status != "recording")
        throw apiError(404, "No running recording '" + id + "'; GET /computeruse/recordings lists them.",
                       code::kNotFound);
    e->status = "stopping";
    if (e->input >= 0) {
        [[maybe_unused]] auto n = ::write(e->input, "q", 1);
        ::close(e->input);
        e->input = -1;
    }
    auto quitting = d->waitExit(id, kQuitGrace);
    bool gone = co_await std::move(quitting);
    if (!gone) {
        if (const Entry* still = d->find(id); still && still->pid > 0)
            ::kill(still->pid, SIGINT);
        auto interrupting = d->waitExit(id, kInterruptGrace);
        gone = co_await std::move(interrupting);
    }
    if (!gone) {
        if (const Entry* still = d->find(id); still && still->pid > 0)
            ::kill(still->pid, SIGKILL);
        auto killing = d->waitExit(id, kInterruptGrace);
        co_await std::move(killing);
    }
    e = d->find(id);
    if (!e)
        throw notFound(id);
    e->end = std::chrono::system_clock::now();
    e->status = gone && e->exitCode == 0 ? "completed" : "failed";
    co_return d->toJson(*e);
}

awaitable<void> Recorder::stopAll() {
    std::vector<std::string> running;
    for (const auto& [id, e] : d->entries)
        if (e.status == "recording")
            running.push_back(id);
    for (const auto& id : running) {
        auto stopping = stop(id);
        co_await std::move(stopping);
    }
}

json Recorder::list() const {
    json out = json::array();
    for (const auto& [id, e] : d->entries)
        out.push_back(d->toJson(e));
    for (auto& j : d->scan(nullptr))
        out.push_back(std::move(j));
    return {{"recordings", out}};
}

json Recorder::get(const std::string& id) const {
    if (!validId(id))
        throw notFound(id);
    if (const auto it = d->entries.find(id); it != d->entries.end())
        return d->toJson(it->second);
    auto found = d->scan(&id);
    if (found.empty())
        throw notFound(id);
    return found.front();
}

void Recorder::remove(const std::string& id) {
    const json r = get(id);
    const std::string status = r.value("status", "");
    if (status == "recording" || status == "stopping")
        throw apiError(409,
                       "Recording '" + id +
                           "' is still running; stop it with POST /computeruse/recordings/stop "
                           "first.",
                       code::kConflict);
    {
        AsUser as(d->t.config.user);
        const std::string path = d->folder() + "/" + r.value("fileName", "");
        if (::unlink(path.c_str()) != 0 && errno != ENOENT)
            throw apiError(500, "Cannot delete " + path + ": " + std::strerror(errno), code::kInternal);
    }
    d->entries.erase(id);
}

OpenedFile Recorder::open(const std::string& id) const {
    const json r = get(id);
    const std::string status = r.value("status", "");
    if (status == "recording" || status == "stopping")
        throw apiError(409, "Recording '" + id + "' is still running; stop it before downloading it.",
                       code::kConflict);
    const std::string path = d->folder() + "/" + r.value("fileName", "");
    OpenedFile f;
    {
        AsUser as(d->t.config.user);
        f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    }
    struct stat st {};
    if (f.fd < 0 || ::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (f.fd >= 0)
            ::close(f.fd);
        throw notFound(id);
    }
    f.size = (unsigned long long)st.st_size;
    f.contentType = "video/mp4";
    f.fileName = r.value("fileName", "");
    return f;
}

} // namespace cove::agent::computeruse
