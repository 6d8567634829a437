// Filesystem access as the sandbox user for the length of a scope: setfsuid/setfsgid (and the user's
// group list) on the agent's single thread, so files are checked and created as that user, then back
// to root. Hold it only across synchronous code: another coroutine must not run under it.
// Changing the filesystem uid makes the kernel mark the process not dumpable, which would close
// /proc/1/fd, /proc/1/environ... to root in the sandbox from the first file call on (`echo … >
// /proc/1/fd/1`, the usual way to write to a container's log, among them): the scope puts the flag
// back as it found it.
#pragma once

#include "agent/process/UserInfo.h"

#include <grp.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <vector>

namespace cove::agent {

class AsUser {
public:
    explicit AsUser(const UserInfo& user) {
        if (::geteuid() != 0 || user.uid == 0)
            return;
        m_active = true;
        m_dumpable = ::prctl(PR_GET_DUMPABLE);
        m_groups.resize(64);
        const int n = ::getgroups(int(m_groups.size()), m_groups.data());
        m_groups.resize(n > 0 ? std::size_t(n) : 0);
        const gid_t g = user.gid;
        ::setgroups(1, &g);
        ::setfsgid(user.gid);
        ::setfsuid(user.uid);
    }
    ~AsUser() {
        if (!m_active)
            return;
        ::setfsuid(0);
        ::setfsgid(0);
        ::setgroups(m_groups.size(), m_groups.data());
        if (m_dumpable > 0)
            ::prctl(PR_SET_DUMPABLE, m_dumpable);
    }
    AsUser(const AsUser&) = delete;
    AsUser& operator=(const AsUser&) = delete;

private:
    bool m_active = false;
    int m_dumpable = -1;
    std::vector<gid_t> m_groups;
};

} // namespace cove::agent
