// File operations with POSIX calls under AsUser. Walks are bounded so a huge tree cannot stall the agent.
#include "agent/fs/Files.h"

#include "agent/Call.h"
#include "agent/fs/AsUser.h"
#include "common/Time.h"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <filesystem>

namespace cove::agent::fs {

using nlohmann::json;
namespace stdfs = std::filesystem;

namespace {
// How many entries one find/search/list walk visits, and how many matches find returns.
constexpr std::size_t kMaxWalkEntries = 200000;
constexpr std::size_t kMaxMatches = 10000;
// Files larger than this are not searched by find (nor rewritten by replace).
constexpr off_t kMaxSearchedFile = 64 << 20;

std::string modeString(mode_t m) {
    std::string s = S_ISDIR(m) ? "d" : S_ISLNK(m) ? "L" : S_ISFIFO(m) ? "p" : S_ISSOCK(m) ? "S" : "-";
    const char* rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; ++i)
        s.push_back((m & (0400 >> i)) ? rwx[i] : '-');
    return s;
}

std::string octal(mode_t m) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", unsigned(m & 07777));
    return buf;
}

std::string baseName(const std::string& path) {
    if (path == "/")
        return "/";
    std::string p = path;
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    const auto slash = p.rfind('/');
    return slash == std::string::npos ? p : p.substr(slash + 1);
}

std::string join(const std::string& dir, const std::string& name) {
    return dir.empty() || dir.back() == '/' ? dir + name : dir + "/" + name;
}

struct stat statOrThrow(const std::string& path, const char* doing) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0)
        throw fileError(errno, path, doing);
    return st;
}

void listInto(json& out, const std::string& dir, int depth, std::size_t& visited) {
    DIR* d = ::opendir(dir.c_str());
    if (!d)
        throw fileError(errno, dir, "list");
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") && std::strcmp(e->d_name, ".."))
            names.emplace_back(e->d_name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    for (const auto& n : names) {
        if (++visited > kMaxWalkEntries)
            return;
        const std::string p = join(dir, n);
        struct stat st {};
        if (::lstat(p.c_str(), &st) != 0)
            continue;
        out.push_back(fileInfo(p, n, st));
        if (depth > 1 && S_ISDIR(st.st_mode)) {
            try {
                listInto(out, p, depth - 1, visited);
            } catch (const ApiError&) {
                // An unreadable subdirectory is listed, not descended into.
            }
        }
    }
}

// Visits regular files (and, for names, directories) under root, depth first, bounded.
template <typename F> void walk(const std::string& root, F&& visit) {
    std::error_code ec;
    const auto st = stdfs::symlink_status(root, ec);
    if (ec)
        throw fileError(ec.value(), root, "search");
    if (!stdfs::is_directory(st)) {
        visit(stdfs::path(root), st);
        return;
    }
    std::size_t visited = 0;
    stdfs::recursive_directory_iterator it(root, stdfs::directory_options::skip_permission_denied, ec), end;
    if (ec)
        throw fileError(ec.value(), root, "search");
    for (; it != end && visited < kMaxWalkEntries; it.increment(ec), ++visited) {
        if (ec)
            break;
        const auto s = it->symlink_status(ec);
        if (ec)
            continue;
        if (!visit(it->path(), s))
            break;
    }
}

std::optional<unsigned> number(const std::string& s) {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return unsigned(std::stoul(s));
}

std::optional<gid_t> lookupGroup(const std::string& spec) {
    if (auto n = number(spec))
        return gid_t(*n);
    std::ifstream in("/etc/group");
    for (std::string line; std::getline(in, line);) {
        const auto c1 = line.find(':');
        if (line.substr(0, c1) != spec)
            continue;
        const auto c2 = line.find(':', c1 + 1);
        const auto c3 = line.find(':', c2 + 1);
        if (auto g = number(line.substr(c2 + 1, c3 - c2 - 1)))
            return gid_t(*g);
    }
    return std::nullopt;
}
} // namespace

ApiError fileError(int err, const std::string& path, const std::string& doing) {
    const std::string what = "Cannot " + doing + " '" + path + "': " + std::strerror(err) + ".";
    switch (err) {
    case ENOENT:
        return apiError(404, what, code::kFileNotFound);
    case EACCES:
    case EPERM:
    case EROFS:
        return apiError(403, what, code::kFileAccessDenied);
    case ENOTDIR:
    case EISDIR:
    case ENAMETOOLONG:
    case ELOOP:
    case EINVAL:
        return apiError(400, what, code::kInvalidFilePath);
    case EEXIST:
    case ENOTEMPTY:
        return apiError(409, what, code::kConflict);
    default:
        return apiError(400, what, code::kBadRequest);
    }
}

json fileInfo(const std::string& path, const std::string& name, const struct stat& st) {
    const auto mtime =
        std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
    const std::string when = toIso8601(mtime);
    return {{"name", name},
            {"path", path},
            {"size", (long long)st.st_size},
            {"isDir", S_ISDIR(st.st_mode)},
            {"mode", modeString(st.st_mode)},
            {"permissions", octal(st.st_mode)},
            {"owner", std::to_string(st.st_uid)},
            {"group", std::to_string(st.st_gid)},
            {"modTime", when},
            {"modifiedAt", when}};
}

json list(const UserInfo& u, const std::string& path, int depth) {
    AsUser as(u);
    const auto st = statOrThrow(path, "list");
    if (!S_ISDIR(st.st_mode)) {
        struct stat target {};
        if (!(S_ISLNK(st.st_mode) && ::stat(path.c_str(), &target) == 0 && S_ISDIR(target.st_mode)))
            throw apiError(400, "'" + path + "' is not a directory.", code::kInvalidFilePath);
    }
    json out = json::array();
    std::size_t visited = 0;
    listInto(out, path, std::max(1, depth), visited);
    return out;
}

json info(const UserInfo& u, const std::string& path) {
    AsUser as(u);
    struct stat st {};
    // Follow a link, as Daytona's os.Stat does; a dangling one is described itself.
    if (::stat(path.c_str(), &st) != 0)
        st = statOrThrow(path, "read");
    return fileInfo(path, baseName(path), st);
}

void createFolder(const UserInfo& u, const std::string& path, const std::string& mode) {
    mode_t m = 0755;
    if (!mode.empty()) {
        char* end = nullptr;
        const unsigned long v = std::strtoul(mode.c_str(), &end, 8);
        if (*end || v > 07777)
            throw badRequest("'" + mode + "' is not an octal mode such as 755.");
        m = mode_t(v);
    }
    AsUser as(u);
    std::string partial;
    std::stringstream ss(path);
    if (!path.empty() && path.front() == '/')
        partial = "/";
    for (std::string seg; std::getline(ss, seg, '/');) {
        if (seg.empty())
            continue;
        partial = join(partial, seg);
        if (::mkdir(partial.c_str(), m) != 0 && errno != EEXIST)
            throw fileError(errno, partial, "create the folder");
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw apiError(409, "'" + path + "' exists and is not a folder.", code::kConflict);
    ::chmod(path.c_str(), m); // mkdir's mode passes through the umask; the caller asked for this one
}

void remove(const UserInfo& u, const std::string& path, bool recursive) {
    AsUser as(u);
    const auto st = statOrThrow(path, "delete");
    if (S_ISDIR(st.st_mode)) {
        if (!recursive) {
            if (::rmdir(path.c_str()) != 0) {
                if (errno == ENOTEMPTY || errno == EEXIST)
                    throw apiError(400,
                                   "'" + path + "' is a folder that is not empty; delete it recursively.",
                                   code::kBadRequest);
                throw fileError(errno, path, "delete");
            }
            return;
        }
        std::error_code ec;
        stdfs::remove_all(path, ec);
        if (ec)
            throw fileError(ec.value(), path, "delete");
        return;
    }
    if (::unlink(path.c_str()) != 0)
        throw fileError(errno, path, "delete");
}

void move(const UserInfo& u, const std::string& from, const std::string& to) {
    AsUser as(u);
    statOrThrow(from, "move");
    if (::rename(from.c_str(), to.c_str()) == 0)
        return;
    if (errno != EXDEV)
        throw fileError(errno, to, "move '" + from + "' to");
    std::error_code ec;
    stdfs::copy(from, to, stdfs::copy_options::recursive | stdfs::copy_options::copy_symlinks, ec);
    if (ec)
        throw fileError(ec.value(), to, "copy '" + from + "' to");
    stdfs::remove_all(from, ec);
}

void setPermissions(const UserInfo& u, const std::string& path, const std::string& owner,
                    const std::string& group, const std::string& mode) {
    {
        AsUser as(u);
        statOrThrow(path, "change permissions of");
        if (!mode.empty()) {
            char* end = nullptr;
            const unsigned long v = std::strtoul(mode.c_str(), &end, 8);
            if (*end || v > 07777)
                throw badRequest("'" + mode + "' is not an octal mode such as 644.");
            if (::chmod(path.c_str(), mode_t(v)) != 0)
                throw fileError(errno, path, "change the mode of");
        }
    }
    if (owner.empty() && group.empty())
        return;
    // The sandbox user has passwordless sudo, so an ownership change as root grants nothing new.
    uid_t uid = uid_t(-1);
    gid_t gid = gid_t(-1);
    if (!owner.empty()) {
        const auto who = lookupUser(owner);
        if (!who)
            throw badRequest("No user '" + owner + "' in this sandbox.");
        uid = who->uid;
    }
    if (!group.empty()) {
        const auto g = lookupGroup(group);
        if (!g)
            throw badRequest("No group '" + group + "' in this sandbox.");
        gid = *g;
    }
    if (::lchown(path.c_str(), uid, gid) != 0)
        throw fileError(errno, path, "change the owner of");
}

json find(const UserInfo& u, const std::string& path, const std::string& pattern) {
    if (pattern.empty())
        throw badRequest("'pattern' must not be empty.");
    AsUser as(u);
    json out = json::array();
    walk(path, [&](const stdfs::path& p, const stdfs::file_status& s) {
        if (!stdfs::is_regular_file(s))
            return true;
        std::error_code ec;
        if (stdfs::file_size(p, ec) > std::uintmax_t(kMaxSearchedFile) || ec)
            return true;
        std::ifstream in(p, std::ios::binary);
        int lineNo = 0;
        for (std::string line; std::getline(in, line);) {
            ++lineNo;
            if (line.find('\0') != std::string::npos)
                return true; // binary
            if (line.find(pattern) != std::string::npos) {
                out.push_back({{"file", p.string()}, {"line", lineNo}, {"content", line}});
                if (out.size() >= kMaxMatches)
                    return false;
            }
        }
        return true;
    });
    return out;
}

json search(const UserInfo& u, const std::string& path, const std::string& pattern) {
    if (pattern.empty())
        throw badRequest("'pattern' must not be empty.");
    AsUser as(u);
    json files = json::array();
    walk(path, [&](const stdfs::path& p, const stdfs::file_status&) {
        if (::fnmatch(pattern.c_str(), p.filename().c_str(), 0) == 0)
            files.push_back(p.string());
        return files.size() < kMaxMatches;
    });
    return {{"files", files}};
}

json replace(const UserInfo& u, const json& files, const std::string& pattern, const std::string& newValue) {
    if (!files.is_array())
        throw badRequest("'files' must be an array of paths.");
    if (pattern.empty())
        throw badRequest("'pattern' must not be empty.");
    AsUser as(u);
    json out = json::array();
    for (const auto& f : files) {
        if (!f.is_string())
            throw badRequest("'files' must be an array of paths.");
        const std::string path = f.get<std::string>();
        json result{{"file", path}, {"success", false}};
        std::ifstream in(path, std::ios::binary);
        struct stat st {};
        if (!in || ::stat(path.c_str(), &st) != 0) {
            result["error"] = "Cannot read '" + path + "': " + std::strerror(errno);
            out.push_back(result);
            continue;
        }
        if (st.st_size > kMaxSearchedFile) {
            result["error"] = "'" + path + "' is too large to rewrite here.";
            out.push_back(result);
            continue;
        }
        std::stringstream ss;
        ss << in.rdbuf();
        std::string text = ss.str();
        in.close();
        std::size_t pos = 0;
        while ((pos = text.find(pattern, pos)) != std::string::npos) {
            text.replace(pos, pattern.size(), newValue);
            pos += newValue.size();
        }
        std::ofstream outFile(path, std::ios::binary | std::ios::trunc);
        if (!outFile || !(outFile << text) || !outFile.flush()) {
            result["error"] = "Cannot write '" + path + "'.";
        } else {
            result["success"] = true;
        }
        out.push_back(result);
    }
    return out;
}

} // namespace cove::agent::fs
