// PID 1 duties. The child resets signal dispositions and closes inherited descriptors before exec:
// Asio's sockets are not close-on-exec and a shell that inherits ignored SIGINT ignores Ctrl+C.
#include "agent/process/Init.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <grp.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cove::agent {

static void resetChildState() {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig = 1; sig < NSIG; ++sig)
        signal(sig, SIG_DFL);
    // close_range(3, ~0U, 0); called through syscall() as glibc 2.36's static build lacks a wrapper.
    if (syscall(SYS_close_range, 3U, ~0U, 0U) != 0) {
        for (int fd = 3; fd < 1024; ++fd)
            close(fd);
    }
}

pid_t Init::spawn(const std::vector<std::string>& argv, const UserInfo& user) {
    if (argv.empty()) {
        errno = EINVAL;
        return -1;
    }
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const std::string home = "HOME=" + user.home;
    const std::string userEnv = "USER=" + user.name;

    const pid_t pid = fork();
    if (pid != 0)
        return pid;
    resetChildState();
    setsid();
    if (getuid() == 0 && user.uid != 0) {
        const gid_t groups[] = {user.gid};
        if (setgroups(1, groups) != 0 || setgid(user.gid) != 0 || setuid(user.uid) != 0)
            _exit(126);
    }
    putenv(const_cast<char*>(home.c_str()));
    putenv(const_cast<char*>(userEnv.c_str()));
    if (chdir(user.home.c_str()) != 0 && chdir("/") != 0)
        _exit(126);
    execvp(args[0], args.data());
    _exit(errno == ENOENT ? 127 : 126);
}

int Init::reapAll() {
    int n = 0;
    for (;;) {
        int status = 0;
        const pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid <= 0)
            return n;
        ++n;
    }
}

void Init::signalAll(int sig) {
    kill(-1, sig);
}

} // namespace cove::agent
