// Parses /etc/passwd by hand: getpwnam would pull NSS into the static agent.
#include "agent/process/UserInfo.h"

#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

namespace cove::agent {

static std::optional<unsigned> parseNumber(const std::string& s) {
    unsigned v = 0;
    const auto* end = s.data() + s.size();
    auto [p, ec] = std::from_chars(s.data(), end, v);
    if (ec != std::errc() || p != end || s.empty())
        return std::nullopt;
    return v;
}

std::optional<UserInfo> lookupUser(const std::string& spec, const std::string& passwdPath) {
    std::string userPart = spec, groupPart;
    if (const auto colon = spec.find(':'); colon != std::string::npos) {
        userPart = spec.substr(0, colon);
        groupPart = spec.substr(colon + 1);
    }
    if (userPart.empty())
        userPart = std::string(1, '0'); // root, as Docker reads an empty USER
    const auto numericUid = parseNumber(userPart);

    std::optional<UserInfo> found;
    std::ifstream in(passwdPath);
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> f;
        std::stringstream ss(line);
        for (std::string field; std::getline(ss, field, ':');)
            f.push_back(field);
        if (f.size() < 7)
            continue;
        const auto uid = parseNumber(f[2]), gid = parseNumber(f[3]);
        if (!uid || !gid)
            continue;
        if ((numericUid && *uid == *numericUid) || (!numericUid && f[0] == userPart)) {
            found = UserInfo{f[0], *uid, *gid, f[5], f[6]};
            break;
        }
    }
    if (!found) {
        if (!numericUid)
            return std::nullopt;
        // A numeric user with no passwd entry is legal in Docker; it lives in /.
        found = UserInfo{userPart, *numericUid, *numericUid, "/", "/bin/sh"};
    }
    if (!groupPart.empty()) {
        if (const auto g = parseNumber(groupPart))
            found->gid = *g;
    }
    return found;
}

} // namespace cove::agent
