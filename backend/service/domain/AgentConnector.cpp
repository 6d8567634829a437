// The trusted path to an agent socket (see the header for the threat).
#include "service/domain/AgentConnector.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

namespace cove::domain {

namespace {
struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0)
            ::close(fd);
    }
    int release() { return std::exchange(fd, -1); }
};
} // namespace

ConnectResult connectToAgent(const std::string& runDir, pid_t expectedPid) {
    ConnectResult r;
    Fd dir{::open(runDir.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)};
    if (dir.fd < 0) {
        r.error = "the sandbox's agent directory is missing (" + std::string(std::strerror(errno)) + ")";
        return r;
    }
    Fd path{::openat(dir.fd, "agent.sock", O_PATH | O_NOFOLLOW | O_CLOEXEC)};
    if (path.fd < 0) {
        r.retryable = errno == ENOENT;
        r.error = "the sandbox's agent is not listening (" + std::string(std::strerror(errno)) + ")";
        return r;
    }
    struct stat st {};
    if (::fstat(path.fd, &st) != 0 || !S_ISSOCK(st.st_mode)) {
        r.error = "the sandbox replaced its agent socket with something that is not a socket";
        return r;
    }
    // Non-blocking from the start: a socket whose queue the sandbox keeps full would otherwise hold
    // coved's only thread in connect() for ever. A full queue is EAGAIN at once, and the caller waits.
    Fd sock{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)};
    if (sock.fd < 0) {
        r.error = std::string("cannot create a socket: ") + std::strerror(errno);
        return r;
    }
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d", path.fd);
    if (::connect(sock.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        r.busy = errno == EAGAIN;
        r.retryable = errno == ECONNREFUSED || errno == ENOENT || r.busy;
        r.error =
            "the sandbox's agent does not accept connections (" + std::string(std::strerror(errno)) + ")";
        return r;
    }
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(sock.fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || cred.pid != expectedPid) {
        r.error = "the process behind the sandbox's agent socket is not the sandbox's agent";
        return r;
    }
    r.fd = sock.release();
    return r;
}

} // namespace cove::domain
