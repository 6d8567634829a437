// The sandbox user's ids and home, read from the image's /etc/passwd (a static binary must not use NSS).
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>

namespace cove::agent {

struct UserInfo {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;
    std::string home;
    std::string shell;
};

// Accepts a name, "uid" or "uid:gid" (Docker's forms of USER). Returns nothing when a name is unknown.
std::optional<UserInfo> lookupUser(const std::string& spec, const std::string& passwdPath = "/etc/passwd");

} // namespace cove::agent
