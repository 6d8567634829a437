// Parsing git's porcelain and its error messages. The message patterns are the ones git 2.x prints in
// English (the agent runs git with LC_ALL=C so they do not depend on the sandbox's locale).
#include "agent/git/GitCli.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <vector>

namespace cove::agent::git {

using nlohmann::json;

namespace {
const char* statusName(char c) {
    switch (c) {
    case 'M':
    case 'T':
        return "Modified";
    case 'A':
        return "Added";
    case 'D':
        return "Deleted";
    case 'R':
        return "Renamed";
    case 'C':
        return "Copied";
    case 'U':
        return "Updated but unmerged";
    case '?':
        return "Untracked";
    default:
        return "Unmodified";
    }
}

std::vector<std::string> splitNul(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < s.size()) {
        auto end = s.find('\0', start);
        if (end == std::string::npos)
            end = s.size();
        out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// The text after the first `fields` space-separated fields (a path may itself hold spaces).
std::string afterFields(const std::string& line, int fields) {
    std::size_t pos = 0;
    for (int i = 0; i < fields && pos != std::string::npos; ++i) {
        pos = line.find(' ', pos);
        if (pos != std::string::npos)
            ++pos;
    }
    return pos == std::string::npos ? std::string() : line.substr(pos);
}

bool any(const std::string& haystack, std::initializer_list<const char*> needles) {
    return std::any_of(needles.begin(), needles.end(),
                       [&](const char* n) { return haystack.find(n) != std::string::npos; });
}
} // namespace

json parseStatus(const std::string& porcelain) {
    json files = json::array();
    std::string branch;
    std::string upstream;
    int ahead = 0, behind = 0;
    const auto entries = splitNul(porcelain);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const std::string& e = entries[i];
        if (e.rfind("# branch.head ", 0) == 0) {
            branch = e.substr(14);
        } else if (e.rfind("# branch.upstream ", 0) == 0) {
            upstream = e.substr(18);
        } else if (e.rfind("# branch.ab ", 0) == 0) {
            std::sscanf(e.c_str() + 12, "+%d -%d", &ahead, &behind);
        } else if (e.size() > 4 && (e[0] == '1' || e[0] == '2' || e[0] == 'u') && e[1] == ' ') {
            const int fields = e[0] == '1' ? 8 : e[0] == '2' ? 9 : 10;
            json f{{"name", afterFields(e, fields)},
                   {"staging", statusName(e[2])},
                   {"worktree", statusName(e[3])},
                   {"extra", ""}};
            if (e[0] == '2' && i + 1 < entries.size())
                f["extra"] = entries[++i]; // the path it was renamed or copied from
            files.push_back(std::move(f));
        } else if (e.size() > 2 && e[0] == '?' && e[1] == ' ') {
            files.push_back(
                {{"name", e.substr(2)}, {"staging", "Untracked"}, {"worktree", "Untracked"}, {"extra", ""}});
        }
    }
    const bool detached = branch == "(detached)";
    json out{{"currentBranch", detached ? std::string("HEAD") : branch},
             {"fileStatus", files},
             {"ahead", ahead},
             {"behind", behind},
             {"branchPublished", !upstream.empty()},
             {"detached", detached}};
    if (!upstream.empty())
        out["upstream"] = upstream;
    return out;
}

ApiError classify(const std::string& op, const std::string& output, int exitCode) {
    std::string s = output;
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    std::string detail = output;
    while (!detail.empty() && std::isspace(static_cast<unsigned char>(detail.back())))
        detail.pop_back();
    const std::string message = op + " failed (exit status " + std::to_string(exitCode) + "): " + detail;

    if (any(s, {"authentication failed", "invalid username or password", "could not read username",
                "could not read password", "terminal prompts disabled"}))
        return {401, message, kAuthFailed};
    if (any(s, {"the requested url returned error: 403"}) ||
        (s.find("remote: permission") != std::string::npos && s.find("denied") != std::string::npos))
        return {403, message, "FORBIDDEN"};
    if (any(s, {"repository not found", "the requested url returned error: 404", "remote: not found",
                "does not appear to be a git repository"}) ||
        (s.find("fatal: repository '") != std::string::npos && s.find("does not exist") != std::string::npos))
        return {404, message, kRepoNotFound};
    if ((s.find("remote branch") != std::string::npos && s.find("not found") != std::string::npos) ||
        (s.find("src refspec") != std::string::npos && s.find("does not match any") != std::string::npos) ||
        any(s, {"you are not currently on a branch", "unknown revision or path not in the working tree",
                "did not match any file(s) known to git", "invalid reference", "not a valid object name",
                "couldn't find remote ref"}) ||
        (s.find("error: branch '") != std::string::npos && s.find("not found") != std::string::npos))
        return {404, message, kBranchNotFound};
    if (s.find("a branch named") != std::string::npos && s.find("already exists") != std::string::npos)
        return {409, message, kBranchExists};
    if (s.find("error: remote") != std::string::npos && s.find("already exists") != std::string::npos)
        return {409, message, "CONFLICT"};
    if (any(s, {"no such remote"}))
        return {404, message, "NOT_FOUND"};
    if (any(s, {"could not lock config file"}))
        return {403, message, "FORBIDDEN"};
    if (any(s, {"key does not contain a section", "invalid key", "with paths"}))
        return {400, message, "BAD_REQUEST"};
    if (any(s, {"already exists and is not an empty directory"}))
        return {409, message, "CONFLICT"};
    if (any(s, {"[remote rejected]", "hook declined", "protected branch"}))
        return {422, message, kRemoteRejected};
    if (any(s, {"non-fast-forward", "fetch first", "updates were rejected", "stale info"}))
        return {409, message, kPushRejected};
    if (any(s, {"your local changes to the following files would be overwritten",
                "please commit your changes or stash them", "needs merge"}))
        return {409, message, kDirtyWorktree};
    if (any(s, {"not possible to fast-forward", "automatic merge failed", "conflict ("}))
        return {409, message, kMergeConflict};
    if (any(s, {"could not resolve host", "failed to connect", "connection timed out", "connection refused",
                "ssl certificate", "unable to access"}))
        return {502, message, kTransportFailed};
    if (any(s, {"not a git repository", "nothing to commit", "nothing added to commit"}))
        return {400, message, "BAD_REQUEST"};
    return {500, message, "INTERNAL_SERVER_ERROR"};
}

std::string redact(std::string text, const std::string& username, const std::string& password) {
    for (const std::string* secret : {&password, &username}) {
        if (secret->empty())
            continue;
        for (auto pos = text.find(*secret); pos != std::string::npos; pos = text.find(*secret, pos + 3))
            text.replace(pos, secret->size(), "***");
    }
    return text;
}

} // namespace cove::agent::git
