// The default snapshots' images, built by coved itself on first start: when cove-base or cove-desktop is
// missing from the engine and Cove's image recipes are installed (<imagesDir>/build-images.sh), the
// script runs in the background, its output going to each default snapshot's build log. The snapshots
// show `building` meanwhile, then `active`, or `build_failed` with the step that failed.
#include "service/domain/Snapshots.h"
#include "service/store/SnapshotRepository.h"

#include "common/Random.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

namespace cove::domain {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

constexpr const char* kScript = "build-images.sh";

// The script as a child in its own process group, its stdout and stderr on one pipe. It ends with
// coved (PR_SET_PDEATHSIG): a build left behind would race the next start's.
pid_t spawnScript(const std::string& dir, const std::string& tag, int& readEnd) {
    // Everything the child needs is made before fork: between fork and exec only async-signal-safe calls.
    const std::string script = dir + "/" + kScript;
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "COVE_IMAGE_TAG=", 15) != 0)
            env.emplace_back(*e);
    env.push_back("COVE_IMAGE_TAG=" + tag);
    std::vector<char*> envp;
    for (auto& e : env)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        ::dup2(fds[1], STDOUT_FILENO);
        ::dup2(fds[1], STDERR_FILENO);
        const int null = ::open("/dev/null", O_RDONLY);
        ::dup2(null, STDIN_FILENO);
        if (::chdir(dir.c_str()) == 0)
            ::execle("/bin/bash", "bash", script.c_str(), static_cast<char*>(nullptr), envp.data());
        constexpr const char kFailed[] = "coved could not run the image build script\n";
        [[maybe_unused]] const auto n = ::write(STDERR_FILENO, kFailed, sizeof kFailed - 1);
        ::_exit(127);
    }
    ::close(fds[1]);
    if (pid < 0) {
        ::close(fds[0]);
        return -1;
    }
    readEnd = fds[0];
    return pid;
}

std::string lastLineOf(const std::string& text) {
    std::string out, line;
    for (char c : text) {
        if (c == '\n') {
            if (line.find_first_not_of(" \t\r") != std::string::npos)
                out = line;
            line.clear();
        } else {
            line += c;
        }
    }
    if (line.find_first_not_of(" \t\r") != std::string::npos)
        out = line;
    const auto start = out.find_first_not_of(" \t");
    return start == std::string::npos ? std::string() : out.substr(start);
}

} // namespace

bool Snapshots::canBuildDefaultImages() const {
    return !m_config.imagesDir.empty() && fs::exists(m_config.imagesDir + "/" + kScript);
}

void Snapshots::buildDefaultImages(const asio::any_io_executor& ex, const std::vector<std::string>& missing) {
    std::vector<std::string> ids;
    const auto now = toMillis(m_clock.now());
    for (const auto& image : missing) {
        const std::string name = image.substr(0, image.find(':'));
        const std::string id =
            store::SnapshotRepository(m_db).upsertGeneralBuilding(uuidV4(), name, image, now);
        std::error_code ec;
        fs::create_directories(fs::path(logPath(id)).parent_path(), ec);
        std::ofstream(logPath(id), std::ios::trunc);
        m_inProgress.insert(id);
        ids.push_back(id);
    }
    m_executor = ex;
    asio::co_spawn(ex, runDefaultBuild(ids), asio::detached);
}

awaitable<void> Snapshots::runDefaultBuild(std::vector<std::string> ids) {
    const auto appendAll = [&](const std::string& text) {
        for (const auto& id : ids)
            appendLog(id, text);
    };
    appendAll("Building Cove's default images with " + m_config.imagesDir + "/" + kScript +
              " (the first time takes a few minutes) ...\n");
    std::fprintf(stderr, "coved: building the default snapshot images in the background (%s/%s)\n",
                 m_config.imagesDir.c_str(), kScript);
    int fd = -1;
    const pid_t pid = spawnScript(m_config.imagesDir, m_config.defaultImageTag, fd);
    std::string output, step, reason;
    if (pid < 0) {
        reason = std::string("The image build could not be started: ") + std::strerror(errno);
    } else {
        asio::posix::stream_descriptor pipe(co_await asio::this_coro::executor, fd);
        std::string pending;
        for (;;) {
            char buf[4096];
            auto [ec, n] =
                co_await pipe.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
            if (n > 0) {
                pending.append(buf, n);
                output.append(buf, n);
                if (output.size() > 64 * 1024)
                    output.erase(0, output.size() - 32 * 1024);
                // Whole lines only, so a follower never sees half of one.
                const auto end = pending.rfind('\n');
                if (end != std::string::npos) {
                    const std::string lines = pending.substr(0, end + 1);
                    pending.erase(0, end + 1);
                    appendAll(lines);
                    std::size_t at = 0;
                    for (std::size_t nl; (nl = lines.find('\n', at)) != std::string::npos; at = nl + 1) {
                        std::string line = lines.substr(at, nl - at);
                        const auto start = line.find_first_not_of(" \t");
                        if (start != std::string::npos &&
                            (line.compare(start, 5, "Step ") == 0 || line.compare(start, 1, "[") == 0))
                            step = line.substr(start);
                    }
                }
            }
            if (ec)
                break;
        }
        if (!pending.empty())
            appendAll(pending);
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (!ok) {
            const std::string last = lastLineOf(output);
            reason = "Building the default images failed" + (step.empty() ? std::string() : " at " + step) +
                     (last.empty() || last == step ? std::string(".") : ": " + last) +
                     " The build log has the details; restart coved to try again.";
        }
    }
    for (const auto& id : ids) {
        auto r = find(id, "");
        if (!r)
            continue;
        std::optional<engine::ImageInfo> info;
        if (reason.empty()) {
            info = co_await m_engine.inspectImage(r->image);
            if (!info)
                reason = "The image build ended but " + r->image + " is missing from the Docker engine.";
        }
        if (!reason.empty()) {
            appendLog(id, "ERROR: " + reason + "\n");
            setState(*r, "build_failed", reason);
        } else {
            r->sizeBytes = info->sizeBytes;
            appendLog(id, "Snapshot " + r->name + " is active.\n");
            setState(*r, "active");
        }
        m_inProgress.erase(id);
    }
    notifyFollowers();
    std::fprintf(stderr, "coved: %s\n",
                 reason.empty() ? "the default snapshot images are built" : reason.c_str());
}

} // namespace cove::domain
