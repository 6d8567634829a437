#include "service/domain/BuildContexts.h"
#include "service/domain/DomainError.h"

#include "service/domain/Crypto.h"

#include "common/ApiError.h"
#include "common/Random.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <system_error>

namespace cove::domain {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kBlock = 512;
constexpr const char* kObjectName = "context.tar";

// An S3 error: its status and S3's code for it (AccessDenied, NoSuchUpload, …).
DomainError s3Error(int status, std::string code, std::string message) {
    return DomainError{DomainError::kindOf(status), std::move(message), std::move(code), {}};
}

// A key segment: no separators, no dot-only names, nothing a shell or a path would read twice.
bool plainSegment(std::string_view s) {
    return !s.empty() && s.size() <= 128 && s != "." && s != ".." &&
           std::all_of(s.begin(), s.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_' || c == '.'; });
}

// A numeric header field: octal digits (space or NUL ended), or base-256 when its first byte has the top bit.
std::optional<std::uint64_t> numberField(std::string_view field) {
    if (!field.empty() && (static_cast<unsigned char>(field[0]) & 0x80)) {
        std::uint64_t v = static_cast<unsigned char>(field[0]) & 0x7f;
        for (std::size_t i = 1; i < field.size(); ++i) {
            if (v >> 55)
                return std::nullopt;
            v = (v << 8) | static_cast<unsigned char>(field[i]);
        }
        return v;
    }
    std::uint64_t v = 0;
    std::size_t i = 0;
    while (i < field.size() && field[i] == ' ')
        ++i;
    bool digits = false;
    for (; i < field.size() && field[i] >= '0' && field[i] <= '7'; ++i, digits = true) {
        if (v >> 60)
            return std::nullopt;
        v = v * 8 + static_cast<std::uint64_t>(field[i] - '0');
    }
    for (; i < field.size(); ++i)
        if (field[i] != ' ' && field[i] != '\0')
            return std::nullopt;
    if (!digits)
        return std::nullopt;
    return v;
}

std::string readContextFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw DomainError::internal("Cannot read " + path + ".");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string etagOf(std::string_view body) {
    return "\"" + toHex(sha256(body)).substr(0, 32) + "\"";
}

class Md5 {
public:
    Md5()
        : m_ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
        EVP_DigestInit_ex(m_ctx.get(), EVP_md5(), nullptr);
    }
    void update(std::string_view data) { EVP_DigestUpdate(m_ctx.get(), data.data(), data.size()); }
    std::string hex() {
        unsigned char out[EVP_MAX_MD_SIZE];
        unsigned size = 0;
        EVP_DigestFinal_ex(m_ctx.get(), out, &size);
        return toHex(std::string_view(reinterpret_cast<const char*>(out), size));
    }

private:
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> m_ctx;
};

std::string_view cString(std::string_view field) {
    return field.substr(0, std::min(field.find('\0'), field.size()));
}

// The value of `key` in a pax extended header's records ("<length> key=value\n" each), if present.
std::optional<std::string> paxValue(std::string_view records, std::string_view key) {
    while (!records.empty()) {
        const auto space = records.find(' ');
        std::size_t n = 0;
        for (std::size_t i = 0; i < space && i < records.size(); ++i) {
            if (records[i] < '0' || records[i] > '9' || n > records.size())
                return std::nullopt;
            n = n * 10 + static_cast<std::size_t>(records[i] - '0');
        }
        if (space == std::string_view::npos || n <= space + 1 || n > records.size())
            return std::nullopt;
        const std::string_view record = records.substr(space + 1, n - space - 2); // without the newline
        if (record.size() > key.size() && record.substr(0, key.size()) == key && record[key.size()] == '=')
            return std::string(record.substr(key.size() + 1));
        records.remove_prefix(n);
    }
    return std::nullopt;
}

// One entry of a context: its path (no trailing slash), type and data (a hard link's target's data).
struct ContextEntry {
    std::string path;
    char type = '0';
    std::string_view data;
};

// The entries of a tar with their long names (pax `path`/`linkpath`, GNU `L`/`K`, ustar prefix) applied.
std::optional<std::string> contextEntries(std::string_view tar, std::vector<ContextEntry>& out) {
    std::optional<std::string> longName, longLink;
    std::map<std::string, std::string_view> files;
    std::optional<std::string> problem;
    const auto walked = walkTar(tar, [&](std::string_view entry) {
        const std::string_view header = entry.substr(0, kBlock);
        const std::string_view data = entry.substr(kBlock, numberField(header.substr(124, 12)).value_or(0));
        const char type = header[156];
        if (type == 'x' || type == 'L' || type == 'K') {
            if (type == 'x') {
                longName = paxValue(data, "path");
                longLink = paxValue(data, "linkpath");
            } else {
                (type == 'L' ? longName : longLink) = std::string(cString(data));
            }
            return;
        }
        if (type == 'g')
            return;
        std::string path(cString(header.substr(0, 100)));
        if (header.substr(257, 5) == "ustar" && !cString(header.substr(345, 155)).empty())
            path = std::string(cString(header.substr(345, 155))) + "/" + path;
        if (longName)
            path = *longName;
        std::string link = longLink ? *longLink : std::string(cString(header.substr(157, 100)));
        longName.reset();
        longLink.reset();
        while (path.size() > 1 && path.back() == '/')
            path.pop_back();
        ContextEntry e{path, type == '\0' ? '0' : type, {}};
        if (e.type == '0' || e.type == '7') {
            e.type = '0';
            e.data = data;
            files[path] = data;
        } else if (e.type == '1') {
            const auto target = files.find(link);
            if (target == files.end()) {
                problem =
                    "its hard link " + path + " points at " + link + ", which comes before it in no entry";
                return;
            }
            e.type = '0';
            e.data = target->second;
        }
        out.push_back(std::move(e));
    });
    return walked ? walked : problem;
}

// A folder of a context as the SDK walks it: names in byte order, folders in place.
struct ContextDir {
    std::map<std::string, ContextDir> dirs;
    std::map<std::string, std::string_view> files;
};

void hashDir(const ContextDir& dir, const std::string& rel, Md5& md5) {
    // Folders and files interleave by name, as one sorted listing.
    std::map<std::string, std::pair<const ContextDir*, const std::string_view*>> listing;
    for (const auto& [name, sub] : dir.dirs)
        listing[name].first = &sub;
    for (const auto& [name, data] : dir.files)
        listing[name].second = &data;
    if (listing.empty())
        md5.update(rel);
    for (const auto& [name, item] : listing) {
        const std::string path = rel.empty() ? name : rel + "/" + name;
        if (item.first)
            hashDir(*item.first, path, md5);
        if (item.second) {
            md5.update(path);
            md5.update(*item.second);
        }
    }
}

} // namespace

std::optional<std::string> contextHashProblem(std::string_view tar, const std::string& hash) {
    std::vector<ContextEntry> entries;
    if (const auto problem = contextEntries(tar, entries))
        return problem;
    if (entries.empty())
        return std::string("it holds no files");
    const std::string root = entries.front().path;
    const bool single = entries.front().type == '0';
    ContextDir tree;
    for (std::size_t i = 1; i < entries.size(); ++i) {
        const auto& e = entries[i];
        if (single || e.path.size() <= root.size() + 1 || e.path.compare(0, root.size() + 1, root + "/") != 0)
            return "its entry " + e.path + " lies outside " + root + ", the file or folder it was made of";
        ContextDir* at = &tree;
        std::string_view rest = std::string_view(e.path).substr(root.size() + 1);
        for (auto slash = rest.find('/'); slash != std::string_view::npos; slash = rest.find('/')) {
            at = &at->dirs[std::string(rest.substr(0, slash))];
            rest.remove_prefix(slash + 1);
        }
        if (rest.empty() || rest == "." || rest == "..")
            return "its entry " + e.path + " has an empty or dot name";
        if (e.type == '5')
            at->dirs[std::string(rest)];
        else if (e.type == '0')
            at->files[std::string(rest)] = e.data;
    }
    if (!single && entries.front().type != '5')
        return "it starts with " + root + ", neither a file nor a folder";
    // The SDK hashes the archive path as it was given: absolute paths lose their leading slash in a tar.
    for (const std::string& base : {root, "/" + root}) {
        Md5 md5;
        md5.update(base);
        if (single)
            md5.update(entries.front().data);
        else
            hashDir(tree, "", md5);
        if (md5.hex() == hash)
            return std::nullopt;
    }
    return "its content does not have the hash " + hash +
           " its key names (the MD5 of the archive path and the files, as the Daytona SDK computes it)";
}

std::string singleFileTar(const std::string& name, const std::string& content) {
    std::string header(512, '\0');
    std::memcpy(header.data(), name.data(), std::min<std::size_t>(name.size(), 99));
    const auto octal = [&](std::size_t at, std::size_t width, unsigned long long v) {
        std::string digits(width - 1, '0');
        for (std::size_t i = width - 1; i-- > 0; v >>= 3)
            digits[i] = static_cast<char>('0' + (v & 7));
        std::memcpy(header.data() + at, digits.data(), digits.size());
    };
    octal(100, 8, 0644);
    octal(108, 8, 0);
    octal(116, 8, 0);
    octal(124, 12, content.size());
    octal(136, 12, 0);
    header[156] = '0';
    std::memcpy(header.data() + 257,
                "ustar\0"
                "00",
                8);
    std::memset(header.data() + 148, ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : header)
        sum += c;
    octal(148, 7, sum);
    std::string out = header + content;
    out.resize(out.size() + (512 - content.size() % 512) % 512, '\0');
    out.resize(out.size() + 1024, '\0');
    return out;
}

std::optional<std::string> walkTar(std::string_view tar, const std::function<void(std::string_view)>& entry) {
    std::size_t at = 0;
    for (;;) {
        if (at + kBlock > tar.size())
            return std::string("it ends without the two zero blocks that close a tar archive");
        const std::string_view header = tar.substr(at, kBlock);
        if (std::all_of(header.begin(), header.end(), [](char c) { return c == '\0'; }))
            return std::nullopt;
        const auto stored = numberField(header.substr(148, 8));
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < kBlock; ++i)
            sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(header[i]);
        if (!stored || *stored != sum)
            return "the header at byte " + std::to_string(at) + " has a wrong checksum (not a tar archive?)";
        const auto size = numberField(header.substr(124, 12));
        if (!size)
            return "the header at byte " + std::to_string(at) + " has no valid size";
        const std::uint64_t data = (*size + kBlock - 1) / kBlock * kBlock;
        if (data > tar.size() - at - kBlock)
            return "the entry at byte " + std::to_string(at) + " runs past the end of the archive";
        entry(tar.substr(at, kBlock + data));
        at += kBlock + data;
    }
}

std::optional<std::string> tarProblem(std::string_view tar) {
    return walkTar(tar, [](std::string_view) {});
}

BuildContexts::BuildContexts(std::string dir, const Clock& clock)
    : m_dir(std::move(dir))
    , m_clock(clock) {
    sweep();
}

void BuildContexts::sweep() {
    std::error_code ec;
    const auto now = fs::file_time_type::clock::now();
    const auto old = [&](const fs::path& p, std::chrono::hours keep) {
        std::error_code e;
        const auto t = fs::last_write_time(p, e);
        return !e && now - t > keep;
    };
    for (const auto& org : fs::directory_iterator(m_dir, ec)) {
        std::error_code e;
        for (const auto& entry : fs::directory_iterator(org.path(), e)) {
            const bool uploads = entry.path().filename() == ".uploads";
            for (const auto& item :
                 uploads ? fs::directory_iterator(entry.path(), e) : fs::directory_iterator())
                if (old(item.path(), BuildContextLimits::kUploadRetention))
                    fs::remove_all(item.path(), e);
            if (!uploads && old(entry.path() / kObjectName, BuildContextLimits::kContextRetention))
                fs::remove_all(entry.path(), e);
        }
    }
}

json BuildContexts::pushAccess(const Principal& who, const std::string& storageUrl) {
    const TimePoint now = m_clock.now();
    std::erase_if(m_grants, [&](const auto& g) { return g.second.expires <= now; });
    const std::string accessKey = "COVE" + randomHex(8);
    Grant g{who, randomHex(32), randomHex(32), now + BuildContextLimits::kGrantLifetime};
    m_grants[accessKey] = g;
    return {{"accessKey", accessKey},
            {"secret", g.secret},
            {"sessionToken", g.sessionToken},
            {"storageUrl", storageUrl},
            {"organizationId", who.organizationId},
            {"bucket", kBucket},
            {"region", kRegion},
            {"expiresAt", toIso8601(g.expires)}};
}

std::optional<BuildContexts::Grant> BuildContexts::grant(const std::string& accessKey) const {
    const auto it = m_grants.find(accessKey);
    if (it == m_grants.end() || it->second.expires <= m_clock.now())
        return std::nullopt;
    return it->second;
}

std::string BuildContexts::pathOf(const std::string& org, const std::string& key) const {
    const auto first = key.find('/');
    const auto last = key.rfind('/');
    if (first == std::string::npos || key.substr(0, first) != org)
        throw s3Error(403, "AccessDenied", "This access reaches only keys under " + org + "/.");
    const std::string hash = key.substr(first + 1, last - first - 1);
    if (first == last || !plainSegment(hash) || key.substr(last + 1) != kObjectName || !plainSegment(org))
        throw s3Error(400, "InvalidArgument",
                      "Cove keeps build contexts only: keys are <organizationId>/<hash>/context.tar, not " +
                          key + ".");
    return m_dir + "/" + org + "/" + hash + "/" + kObjectName;
}

std::vector<BuildContexts::Object> BuildContexts::list(const std::string& org, const std::string& prefix,
                                                       std::size_t maxKeys) const {
    if (prefix.rfind(org + "/", 0) != 0)
        throw s3Error(403, "AccessDenied", "This access lists only keys under " + org + "/.");
    std::vector<Object> out;
    std::error_code ec;
    if (!plainSegment(org))
        return out;
    for (const auto& entry : fs::directory_iterator(m_dir + "/" + org, ec)) {
        const std::string key = org + "/" + entry.path().filename().string() + "/" + kObjectName;
        std::error_code e;
        const auto file = entry.path() / kObjectName;
        if (key.rfind(prefix, 0) != 0 || !fs::is_regular_file(file, e))
            continue;
        const auto mtime = fs::last_write_time(file, e);
        const auto modified = fs::file_time_type::clock::to_sys(mtime);
        out.push_back(
            {key, fs::file_size(file, e), std::chrono::time_point_cast<TimePoint::duration>(modified)});
    }
    std::sort(out.begin(), out.end(), [](const Object& a, const Object& b) { return a.key < b.key; });
    if (out.size() > maxKeys)
        out.resize(maxKeys);
    return out;
}

std::string BuildContexts::store(const std::string& path, std::string_view body) {
    if (body.size() > BuildContextLimits::kMaxBytes)
        throw s3Error(413, "EntityTooLarge",
                      "A build context may be at most " +
                          std::to_string(BuildContextLimits::kMaxBytes >> 20) + " MiB; this one is " +
                          std::to_string(body.size() >> 20) +
                          " MiB. Leave large files out of the context and fetch them with RUN steps.");
    if (const auto problem = tarProblem(body))
        throw s3Error(400, "InvalidArgument", "A build context must be a tar archive, and " + *problem + ".");
    const std::string hash = fs::path(path).parent_path().filename().string();
    if (const auto problem = contextHashProblem(body, hash))
        throw s3Error(
            400, "BadDigest",
            "This build context cannot be kept as " + hash + ": " + *problem +
                ". Upload contexts with the Daytona SDK (Image.addLocalFile/addLocalDir), which names "
                "each by the hash of its files.");
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    const std::string temp = path + ".part-" + randomHex(4);
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out.write(body.data(), static_cast<std::streamsize>(body.size()));
        if (!out.flush())
            throw DomainError::unavailable("Cove could not store the build context under " + m_dir +
                                           " (is the disk full?).");
    }
    fs::rename(temp, path, ec);
    if (ec)
        throw DomainError::internal("Cannot store " + path + ": " + ec.message());
    return etagOf(body);
}

std::string BuildContexts::put(const std::string& org, const std::string& key, std::string_view body) {
    return store(pathOf(org, key), body);
}

std::string BuildContexts::uploadDir(const std::string& org, const std::string& key,
                                     const std::string& uploadId) const {
    pathOf(org, key);
    if (uploadId.size() != 32 || uploadId.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw s3Error(404, "NoSuchUpload", "There is no upload " + uploadId + ".");
    const std::string dir = m_dir + "/" + org + "/.uploads/" + uploadId;
    std::error_code ec;
    std::ifstream keyFile(dir + "/key");
    std::string forKey;
    if (!keyFile || !std::getline(keyFile, forKey) || forKey != key)
        throw s3Error(404, "NoSuchUpload", "There is no upload " + uploadId + " of " + key + ".");
    return dir;
}

std::string BuildContexts::startUpload(const std::string& org, const std::string& key) {
    pathOf(org, key);
    std::error_code ec;
    std::size_t open = 0;
    for (auto it = fs::directory_iterator(m_dir + "/" + org + "/.uploads", ec);
         !ec && it != fs::directory_iterator(); it.increment(ec))
        ++open;
    if (open >= BuildContextLimits::kMaxOpenUploads)
        throw s3Error(503, "SlowDown",
                      "This organization has " + std::to_string(open) +
                          " multipart uploads open, the most Cove keeps at once; complete or abort one first "
                          "(unfinished ones go after " +
                          std::to_string(BuildContextLimits::kUploadRetention.count()) + " hours).");
    const std::string id = randomHex(16);
    const std::string dir = m_dir + "/" + org + "/.uploads/" + id;
    fs::create_directories(dir, ec);
    std::ofstream(dir + "/key") << key << "\n";
    return id;
}

std::string BuildContexts::putPart(const std::string& org, const std::string& key,
                                   const std::string& uploadId, int part, std::string_view body) {
    const std::string dir = uploadDir(org, key, uploadId);
    if (part < 1 || part > BuildContextLimits::kMaxParts)
        throw s3Error(400, "InvalidArgument",
                      "Part numbers run from 1 to " + std::to_string(BuildContextLimits::kMaxParts) + ".");
    std::uint64_t total = body.size();
    std::error_code ec;
    for (const auto& p : fs::directory_iterator(dir, ec))
        if (p.path().filename().string().rfind("part-", 0) == 0 &&
            p.path().filename() != "part-" + std::to_string(part))
            total += fs::file_size(p.path(), ec);
    if (total > BuildContextLimits::kMaxBytes)
        throw s3Error(413, "EntityTooLarge",
                      "A build context may be at most " +
                          std::to_string(BuildContextLimits::kMaxBytes >> 20) +
                          " MiB; this upload's parts come to more. Leave large files out of the context and "
                          "fetch them with RUN steps.");
    std::ofstream out(dir + "/part-" + std::to_string(part), std::ios::binary | std::ios::trunc);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    if (!out.flush())
        throw DomainError::unavailable("Cove could not store the upload's part (is the disk full?).");
    return etagOf(body);
}

std::string BuildContexts::complete(const std::string& org, const std::string& key,
                                    const std::string& uploadId,
                                    const std::vector<std::pair<int, std::string>>& parts) {
    const std::string dir = uploadDir(org, key, uploadId);
    if (parts.empty())
        throw s3Error(400, "MalformedXML", "CompleteMultipartUpload names no parts.");
    std::string whole;
    int previous = 0;
    for (const auto& [number, etag] : parts) {
        if (number <= previous)
            throw s3Error(400, "InvalidPartOrder", "Parts must be listed in ascending order.");
        previous = number;
        std::error_code ec;
        const std::string file = dir + "/part-" + std::to_string(number);
        if (!fs::is_regular_file(file, ec))
            throw s3Error(400, "InvalidPart", "Part " + std::to_string(number) + " was not uploaded.");
        std::string data = readContextFile(file);
        const std::string sent = etagOf(data);
        if (sent != etag && sent != "\"" + etag + "\"") // clients may send it with or without quotes
            throw s3Error(400, "InvalidPart", "Part " + std::to_string(number) + "'s ETag does not match.");
        whole += data;
    }
    const std::string tag = store(pathOf(org, key), whole);
    std::error_code ec;
    fs::remove_all(dir, ec);
    return tag;
}

void BuildContexts::abort(const std::string& org, const std::string& key, const std::string& uploadId) {
    std::error_code ec;
    fs::remove_all(uploadDir(org, key, uploadId), ec);
}

void BuildContexts::requireAll(const std::string& org, const std::vector<std::string>& hashes) const {
    if (hashes.size() > BuildContextLimits::kMaxContextsPerBuild)
        throw DomainError::invalid("A build takes at most " +
                                   std::to_string(BuildContextLimits::kMaxContextsPerBuild) + " contexts.");
    for (const auto& hash : hashes) {
        std::error_code ec;
        if (!plainSegment(hash) || !plainSegment(org) ||
            !fs::is_regular_file(m_dir + "/" + org + "/" + hash + "/" + kObjectName, ec))
            throw DomainError::invalid(
                "The build context '" + hash +
                "' was never uploaded (or is gone after a week unused). The SDK uploads "
                "the files of Image.addLocalFile/addLocalDir itself; create again.");
    }
}

std::string BuildContexts::assemble(const std::string& org, const std::vector<std::string>& hashes,
                                    const std::string& dockerfile) {
    requireAll(org, hashes);
    std::string out;
    for (const auto& hash : hashes) {
        const std::string path = m_dir + "/" + org + "/" + hash + "/" + kObjectName;
        const std::string tar = readContextFile(path);
        std::error_code ec;
        fs::last_write_time(path, fs::file_time_type::clock::now(), ec); // used: kept another week
        if (const auto problem = walkTar(tar, [&](std::string_view entry) { out += entry; }))
            throw DomainError::invalid("The build context '" + hash + "' is damaged: " + *problem + ".");
        if (out.size() + dockerfile.size() > BuildContextLimits::kMaxBytes)
            throw DomainError::tooLarge("This build's contexts come to more than " +
                                        std::to_string(BuildContextLimits::kMaxBytes >> 20) +
                                        " MiB. Leave large files out and fetch them with RUN steps.");
    }
    out += singleFileTar(kAssembledDockerfile, dockerfile);
    return out;
}

} // namespace cove::domain
