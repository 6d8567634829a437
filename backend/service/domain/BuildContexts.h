// Build contexts: the files a Dockerfile's COPY and ADD take, uploaded by the SDK before it asks for a
// build (Image.addLocalFile/addLocalDir). Daytona's SDK puts each as <organizationId>/<hash>/context.tar
// into an S3 bucket whose temporary credentials come from /api/object-storage/push-access; Cove keeps
// them under <data>/build-contexts/ and serves the few S3 calls the SDK makes (ObjectStorageRoutes.cpp).
// A build sends the engine the named contexts' entries and the Dockerfile as one tar.
#pragma once

#include "common/ApiError.h"
#include "common/Time.h"
#include "service/domain/Caller.h"
#include "service/domain/DomainError.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cove::domain {

using nlohmann::json;

struct BuildContextLimits {
    // One uploaded context, and all the contexts of one build together with the Dockerfile.
    static constexpr std::uint64_t kMaxBytes = 256ull << 20;
    static constexpr std::size_t kMaxContextsPerBuild = 64;
    static constexpr int kMaxParts = 10000;
    // Multipart uploads open at once in one organization: each may hold kMaxBytes on disk until done.
    static constexpr std::size_t kMaxOpenUploads = 8;
    // How long push-access credentials work (Daytona's are an hour too).
    static constexpr std::chrono::minutes kGrantLifetime{60};
    // Unfinished multipart uploads, and contexts no build used for this long, go at coved's start.
    static constexpr std::chrono::hours kUploadRetention{24};
    static constexpr std::chrono::hours kContextRetention{7 * 24};
};

// The Dockerfile's name in an assembled context: one the SDK's archive paths never use.
inline constexpr const char* kAssembledDockerfile = ".cove-build/Dockerfile";

// A ustar archive of one file (mode 0644, owned by root), end blocks included.
std::string singleFileTar(const std::string& name, const std::string& content);

// Walks the entries of a tar archive (ustar, GNU or pax): each entry's header and data blocks are passed
// to `entry` as the bytes to copy. Answers what is wrong (a header's checksum or size, an entry past the
// end), or nothing once the zero block that ends it is reached.
std::optional<std::string> walkTar(std::string_view tar, const std::function<void(std::string_view)>& entry);

// What is wrong with a tar archive (ustar, GNU or pax), or nothing: every header's checksum and size,
// and the two zero blocks that end it.
std::optional<std::string> tarProblem(std::string_view tar);

// Why a context tar does not match the hash its key names, or nothing. The Daytona SDK names a context
// by the MD5 of its archive path followed by, for a file, its content, or for a folder, each file's
// path below it and content (and each empty folder's path) in a depth-first walk in name order.
// Every entry must lie in that one file or folder: nothing rides along unhashed.
std::optional<std::string> contextHashProblem(std::string_view tar, const std::string& hash);

class BuildContexts {
public:
    static constexpr const char* kBucket = "cove-build-contexts";
    static constexpr const char* kRegion = "us-east-1";

    BuildContexts(std::string dir, const Clock& clock);

    // Temporary S3 credentials for the caller's organization, as Daytona's StorageAccessDto (plus the
    // region the AWS SDK needs).
    json pushAccess(const Principal& who, const std::string& storageUrl);
    struct Grant {
        Principal who;
        std::string secret, sessionToken;
        TimePoint expires;
    };
    // The unexpired grant of an access key.
    std::optional<Grant> grant(const std::string& accessKey) const;

    struct Object {
        std::string key;
        std::uint64_t size = 0;
        TimePoint modified;
    };
    // Objects whose key starts with prefix, which must lie in the organization's own folder.
    std::vector<Object> list(const std::string& org, const std::string& prefix, std::size_t maxKeys) const;
    // Each answers the object's ETag. Keys are <org>/<hash>/context.tar; the body must be a tar archive
    // whose content has that hash (contextHashProblem). Slow work (files, hashing): callers on the io
    // thread run put, putPart, complete, abort and assemble through offload() (Workers.h).
    std::string put(const std::string& org, const std::string& key, std::string_view body);
    std::string startUpload(const std::string& org, const std::string& key);
    std::string putPart(const std::string& org, const std::string& key, const std::string& uploadId, int part,
                        std::string_view body);
    std::string complete(const std::string& org, const std::string& key, const std::string& uploadId,
                         const std::vector<std::pair<int, std::string>>& parts);
    void abort(const std::string& org, const std::string& key, const std::string& uploadId);

    // A build's whole context: each named context's entries, then the Dockerfile as kAssembledDockerfile.
    // Throws DomainError 400 for a hash never uploaded, 413 past kMaxBytes.
    std::string assemble(const std::string& org, const std::vector<std::string>& hashes,
                         const std::string& dockerfile);
    // Throws DomainError 400 naming the first hash the organization has no context for.
    void requireAll(const std::string& org, const std::vector<std::string>& hashes) const;

private:
    // <dir>/<org>/<hash>/context.tar for a well-formed key in org's folder; DomainError otherwise.
    std::string pathOf(const std::string& org, const std::string& key) const;
    std::string uploadDir(const std::string& org, const std::string& key, const std::string& uploadId) const;
    std::string store(const std::string& path, std::string_view body);
    void sweep();

    std::string m_dir;
    const Clock& m_clock;
    std::map<std::string, Grant> m_grants; // by access key
};

} // namespace cove::domain
