// File parts are opened as the sandbox user (so they are theirs) and written through the descriptor.
#include "agent/fs/Upload.h"

#include "agent/fs/AsUser.h"
#include "common/Random.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cove::agent::fs {

// A plain field (a destination path) larger than this is not a path.
constexpr std::size_t kMaxFieldValue = 64 << 10;

namespace {
// "files[3].path" → "files[3]", with the suffix in `what`.
std::string indexOf(const std::string& name, std::string& what) {
    const auto dot = name.rfind('.');
    if (dot == std::string::npos)
        return {};
    what = name.substr(dot + 1);
    return name.substr(0, dot);
}

bool makeParents(const std::string& path) {
    std::string partial;
    const auto last = path.rfind('/');
    if (last == std::string::npos || last == 0)
        return true;
    const std::string dir = path.substr(0, last);
    std::size_t pos = 0;
    while (pos != std::string::npos) {
        pos = dir.find('/', pos + 1);
        partial = dir.substr(0, pos);
        if (partial.empty())
            continue;
        if (::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST)
            return false;
    }
    return true;
}
} // namespace

UploadSink::UploadSink(UserInfo user, std::function<std::string(const std::string&)> resolve,
                       std::string singlePath)
    : m_user(std::move(user))
    , m_resolve(std::move(resolve))
    , m_singlePath(std::move(singlePath)) {}

UploadSink::~UploadSink() {
    discard();
}

MultipartParser::Callbacks UploadSink::callbacks() {
    return {[this](const PartHeader& h) { return begin(h); },
            [this](const char* p, std::size_t n) { return data(p, n); }, [this] { return end(); }};
}

bool UploadSink::fail(int status, std::string why) {
    if (m_error.empty()) {
        m_error = std::move(why);
        m_errorStatus = status;
    }
    discard();
    return false;
}

void UploadSink::discard() {
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
        AsUser as(m_user);
        ::unlink(m_temp.c_str());
    }
}

bool UploadSink::begin(const PartHeader& h) {
    std::string what;
    const std::string index = indexOf(h.name, what);
    m_isFile = !h.filename.empty() || h.name == "file" || what == "file";
    if (!m_isFile) {
        m_field = h.name;
        m_value.clear();
        return true;
    }
    std::string requested;
    if (!m_singlePath.empty()) {
        // ?path= names the one file this upload writes (a signed upload URL signs exactly that path):
        // no part may name another destination, and there is one file.
        if (h.name != "file" || !m_written.empty())
            return fail(400, "An upload to ?path= takes a single file part named 'file'; part '" +
                                 h.name.substr(0, 64) + "' is not accepted.");
        requested = m_singlePath;
    } else if (auto it = m_paths.find(index); it != m_paths.end())
        requested = it->second;
    else
        requested = h.filename;
    if (requested.empty())
        return fail(400, "A file part ('" + h.name + "') comes with no destination path.");
    m_dest = m_resolve(requested);
    const auto slash = m_dest.rfind('/');
    m_temp = m_dest.substr(0, slash + 1) + ".cove-upload-" + randomHex(8) + ".part";
    m_bytes = 0;
    AsUser as(m_user);
    if (!makeParents(m_dest))
        return fail(errno == EACCES || errno == EPERM ? 403 : 400,
                    "Cannot create the folders for '" + m_dest + "': " + std::strerror(errno) + ".");
    struct stat st {};
    if (::stat(m_dest.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        return fail(400, "'" + m_dest + "' is a folder; upload to a file path.");
    m_fd = ::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (m_fd < 0)
        return fail(errno == EACCES || errno == EPERM ? 403 : 400,
                    "Cannot write '" + m_dest + "': " + std::strerror(errno) + ".");
    return true;
}

bool UploadSink::data(const char* p, std::size_t n) {
    if (!m_isFile) {
        if (m_value.size() + n > kMaxFieldValue)
            return fail(400, "The form field '" + m_field + "' is too long.");
        m_value.append(p, n);
        return true;
    }
    while (n > 0) {
        const ssize_t w = ::write(m_fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return fail(errno == ENOSPC || errno == EDQUOT ? 507 : 500,
                        "Writing '" + m_dest + "' failed: " + std::strerror(errno) + ".");
        p += w;
        n -= std::size_t(w);
        m_bytes += std::size_t(w);
    }
    return true;
}

bool UploadSink::end() {
    if (!m_isFile) {
        std::string what;
        const std::string index = indexOf(m_field, what);
        if (what == "path")
            m_paths[index] = m_value;
        return true;
    }
    if (::close(m_fd) != 0) {
        m_fd = -1;
        AsUser as(m_user);
        ::unlink(m_temp.c_str());
        return fail(500, "Writing '" + m_dest + "' failed: " + std::strerror(errno) + ".");
    }
    m_fd = -1;
    AsUser as(m_user);
    if (::rename(m_temp.c_str(), m_dest.c_str()) != 0) {
        const int err = errno;
        ::unlink(m_temp.c_str());
        return fail(err == EACCES || err == EPERM ? 403 : 400,
                    "Cannot put '" + m_dest + "' in place: " + std::strerror(err) + ".");
    }
    m_written.push_back({{"path", m_dest}, {"bytes", m_bytes}});
    return true;
}

} // namespace cove::agent::fs
