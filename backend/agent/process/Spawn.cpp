// clone (sharing memory until exec, as posix_spawn) + exec, with the failure of any step before exec sent
// back over a close-on-exec pipe.
#include "agent/process/Spawn.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace cove::agent {

namespace {
// The child's stack until it execs: it calls only a few small functions of libc.
constexpr std::size_t kChildStack = 64 * 1024;

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

namespace {

// What the child needs, prepared by the parent: the child shares the parent's memory until it execs,
// so it allocates nothing and writes only to its own stack.
struct ChildArgs {
    const UserInfo* user;
    const SpawnRequest* request;
    const char* program;
    char* const* argv;
    char* const* envp;
    const char* cwd;
    int reportFd;
};

// The child, between clone and exec. Credentials change by raw system calls: glibc's setuid and
// friends would signal the other threads of the process they believe they are in, which is the agent.
int child(void* p) {
    ChildArgs& a = *static_cast<ChildArgs*>(p);
    const SpawnRequest& request = *a.request;
    int report = a.reportFd;
    // Default dispositions before any signal can arrive (the parent blocked them all), so no handler of
    // the agent's runs here; then the mask the command starts with: none blocked.
    for (int sig = 1; sig < NSIG; ++sig) {
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        ::sigaction(sig, &dfl, nullptr);
    }
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (::setsid() < 0)
        fail(report, kStepSession);
    int wanted[4] = {request.stdinFd, request.stdoutFd, request.stderrFd, request.extraFd};
    const int count = request.extraFd >= 0 ? 4 : 3;
    // Every source first goes above the numbers it is moved to, so no dup2 closes another's source.
    for (int i = 0; i < count; ++i) {
        if (wanted[i] >= 0 && (wanted[i] = ::fcntl(wanted[i], F_DUPFD, 16)) < 0)
            fail(report, kStepDup);
    }
    if (const int moved = ::fcntl(report, F_DUPFD_CLOEXEC, 16); moved >= 0)
        report = moved;
    else
        fail(report, kStepDup);
    for (int i = 0; i < count; ++i) {
        if (wanted[i] >= 0 && ::dup2(wanted[i], i) < 0)
            fail(report, kStepDup);
    }
    // Keep only stdio, the extra descriptor and the report pipe (moved above them): Asio's sockets
    // are not close-on-exec.
    const int reportFd = count;
    if (::dup2(report, reportFd) < 0)
        fail(report, kStepDup);
    report = reportFd;
    ::fcntl(reportFd, F_SETFD, FD_CLOEXEC);
    if (syscall(SYS_close_range, unsigned(reportFd + 1), ~0U, 0U) != 0) {
        for (int fd = reportFd + 1; fd < 1024; ++fd)
            ::close(fd);
    }
    if (request.controllingTty && ::ioctl(0, TIOCSCTTY, 0) < 0)
        fail(report, kStepTty);
    const UserInfo& user = *a.user;
    if (::syscall(SYS_getuid) == 0 && user.uid != 0) {
        const gid_t groups[] = {user.gid};
        if (::syscall(SYS_setgroups, 1, groups) != 0 ||
            ::syscall(SYS_setresgid, user.gid, user.gid, user.gid) != 0 ||
            ::syscall(SYS_setresuid, user.uid, user.uid, user.uid) != 0)
            fail(report, kStepUser);
    }
    if (::chdir(a.cwd) != 0)
        fail(report, kStepChdir);
    ::execve(a.program, a.argv, a.envp);
    fail(report, kStepExec);
}

} // namespace

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
    // As posix_spawn does: the child borrows this process's memory (no page tables copied, which on a
    // virtual machine costs about a millisecond a command) and this thread waits until it has exec'd
    // or failed. Every signal stays blocked meanwhile, so none reaches a handler of the agent's in it.
    ChildArgs a{&user, &request, program.c_str(), args.data(), envp.data(), cwd.c_str(), report[1]};
    sigset_t all, parentMask;
    sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &parentMask);
    std::vector<char> stack(kChildStack);
    const pid_t pid = ::clone(child, stack.data() + stack.size(), CLONE_VM | CLONE_VFORK | SIGCHLD, &a);
    const int cloneError = errno;
    ::pthread_sigmask(SIG_SETMASK, &parentMask, nullptr);
    // The child's change of user marked the memory it shared with this process not dumpable, which
    // would leave the agent's /proc entries (root's `echo > /proc/1/fd/1`, the sandbox's log) closed
    // to the sandbox's root. The child has exec'd or exited by now: the mark is the agent's alone.
    ::prctl(PR_SET_DUMPABLE, 1);
    ::close(report[1]);
    if (pid < 0) {
        result.error = cloneError;
        result.what = "fork";
        ::close(report[0]);
        return result;
    }
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
