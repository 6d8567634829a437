// fork + exec with the failure of any step before exec sent back over a close-on-exec pipe.
#include "agent/process/Spawn.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace cove::agent {

namespace {
enum Step : int { kStepDup = 1, kStepSession, kStepTty, kStepUser, kStepChdir, kStepExec };

const char* stepName(int step) {
    switch (step) {
    case kStepDup:
        return "redirect";
    case kStepSession:
        return "setsid";
    case kStepTty:
        return "controlling terminal";
    case kStepUser:
        return "switch user";
    case kStepChdir:
        return "chdir";
    default:
        return "exec";
    }
}

[[noreturn]] void fail(int pipeFd, int step) {
    const int report[2] = {step, errno};
    [[maybe_unused]] auto n = ::write(pipeFd, report, sizeof report);
    _exit(127);
}

} // namespace

std::string findProgram(const std::string& name, const std::vector<std::string>& env) {
    if (name.find('/') != std::string::npos)
        return name;
    std::string path = "/usr/local/bin:/usr/bin:/bin";
    for (const auto& kv : env)
        if (kv.rfind("PATH=", 0) == 0)
            path = kv.substr(5);
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto colon = path.find(':', start);
        std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        if (dir.empty())
            dir = ".";
        std::string candidate = dir + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        if (colon == std::string::npos)
            break;
        start = colon + 1;
    }
    return name;
}
std::string SpawnResult::message() const {
    return "cannot " + (what.empty() ? std::string("exec") : what) + ": " + std::strerror(error);
}

std::string userShell(const UserInfo& user) {
    for (const std::string& s : {user.shell, std::string("/bin/bash"), std::string("/bin/sh")}) {
        if (!s.empty() && s.find("nologin") == std::string::npos && s.find("false") == std::string::npos &&
            ::access(s.c_str(), X_OK) == 0)
            return s;
    }
    return "/bin/sh";
}

SpawnResult spawnAs(const UserInfo& user, const SpawnRequest& request) {
    SpawnResult result;
    if (request.argv.empty()) {
        result.error = EINVAL;
        result.what = "exec";
        return result;
    }
    const std::string program = findProgram(request.argv[0], request.env);
    std::vector<char*> args, envp;
    for (const auto& a : request.argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    for (const auto& e : request.env)
        envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    const std::string& cwd = request.cwd.empty() ? user.home : request.cwd;

    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0) {
        result.error = errno;
        result.what = "pipe";
        return result;
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        result.error = errno;
        result.what = "fork";
        ::close(report[0]);
        ::close(report[1]);
        return result;
    }
    if (pid == 0) {
        ::close(report[0]);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int sig = 1; sig < NSIG; ++sig)
            signal(sig, SIG_DFL);
        if (::setsid() < 0)
            fail(report[1], kStepSession);
        int wanted[4] = {request.stdinFd, request.stdoutFd, request.stderrFd, request.extraFd};
        const int count = request.extraFd >= 0 ? 4 : 3;
        // Every source first goes above the numbers it is moved to, so no dup2 closes another's source.
        for (int i = 0; i < count; ++i) {
            if (wanted[i] >= 0 && (wanted[i] = ::fcntl(wanted[i], F_DUPFD, 16)) < 0)
                fail(report[1], kStepDup);
        }
        if (const int moved = ::fcntl(report[1], F_DUPFD_CLOEXEC, 16); moved >= 0)
            report[1] = moved;
        else
            fail(report[1], kStepDup);
        for (int i = 0; i < count; ++i) {
            if (wanted[i] >= 0 && ::dup2(wanted[i], i) < 0)
                fail(report[1], kStepDup);
        }
        // Keep only stdio, the extra descriptor and the report pipe (moved above them): Asio's sockets
        // are not close-on-exec.
        const int reportFd = count;
        if (::dup2(report[1], reportFd) < 0)
            fail(report[1], kStepDup);
        report[1] = reportFd;
        ::fcntl(reportFd, F_SETFD, FD_CLOEXEC);
        if (syscall(SYS_close_range, unsigned(reportFd + 1), ~0U, 0U) != 0) {
            for (int fd = reportFd + 1; fd < 1024; ++fd)
                ::close(fd);
        }
        if (request.controllingTty && ::ioctl(0, TIOCSCTTY, 0) < 0)
            fail(report[1], kStepTty);
        if (::getuid() == 0 && user.uid != 0) {
            const gid_t groups[] = {user.gid};
            if (::setgroups(1, groups) != 0 || ::setgid(user.gid) != 0 || ::setuid(user.uid) != 0)
                fail(report[1], kStepUser);
        }
        if (::chdir(cwd.c_str()) != 0)
            fail(report[1], kStepChdir);
        ::execve(program.c_str(), args.data(), envp.data());
        fail(report[1], kStepExec);
    }
    ::close(report[1]);
    int got[2] = {0, 0};
    ssize_t n;
    do {
        n = ::read(report[0], got, sizeof got);
    } while (n < 0 && errno == EINTR);
    ::close(report[0]);
    if (n == ssize_t(sizeof got)) {
        // The child failed before exec and has exited; the caller's reaper collects it.
        result.error = got[1];
        result.what = stepName(got[0]);
        result.pid = -1;
        return result;
    }
    result.pid = pid;
    return result;
}

} // namespace cove::agent
