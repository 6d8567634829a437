// Archive and restore: a stopped sandbox's filesystem goes to a gzip-compressed tar under
// <data>/archive/ and its container is removed (freeing everything but that file); a start imports
// the tar as an image and makes the container again with the sandbox's own settings.
#include "service/domain/SandboxService.h"

#include "service/domain/SandboxRow.h"
#include "service/domain/Workers.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace cove::domain {

namespace fs = std::filesystem;

namespace {
// Fast compression: archiving is bound by the disk, and level 1 already halves a typical root fs.
constexpr int kGzipLevel = 1;
// A progress event after every this many bytes of filesystem.
constexpr std::uint64_t kProgressStep = 64ull << 20;
// The engine's stream arrives in small pieces; they go to the compressing worker this many at a time.
constexpr std::size_t kCompressBatch = 4u << 20;
} // namespace

awaitable<void> SandboxService::archiveContainer(SandboxRow& r) {
    std::error_code ec;
    fs::create_directories(m_config.dataDir + "/archive", ec);
    const std::string target = archivePath(r.id), part = target + ".part";
    const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        throw DomainError::internal("Cannot write " + part + ": " + std::strerror(errno) + ".");
    gzFile gz = gzdopen(::dup(fd), ("wb" + std::to_string(kGzipLevel)).c_str());
    bool writeFailed = gz == nullptr;
    std::uint64_t nextProgress = kProgressStep;
    const std::string container = containerName(r);
    std::uint64_t bytes = 0;
    std::string batch;
    // Compression is CPU work: off the io thread, a batch at a time (the next waits for it).
    const auto compress = [&]() -> awaitable<void> {
        if (!writeFailed && !batch.empty())
            writeFailed = co_await offload([&] {
                return gzwrite(gz, batch.data(), static_cast<unsigned>(batch.size())) !=
                       static_cast<int>(batch.size());
            });
        batch.clear();
    };
    try {
        bytes = co_await m_engine.exportContainer(
            container, [&](const char* data, std::size_t size) -> awaitable<void> {
                if (writeFailed || size == 0)
                    co_return;
                batch.append(data, size);
                if (batch.size() >= kCompressBatch)
                    co_await compress();
                bytes += size;
                if (bytes >= nextProgress && m_publish) {
                    nextProgress += kProgressStep;
                    m_publish(r.organizationId, "sandbox.archive.progress",
                              {{"sandboxId", r.id}, {"bytes", bytes}});
                }
            });
        co_await compress();
    } catch (...) {
        if (gz)
            gzclose(gz);
        ::close(fd);
        ::unlink(part.c_str());
        throw;
    }
    writeFailed = co_await offload([&] {
        bool failed = (gz ? gzclose(gz) != Z_OK : true) || writeFailed;
        return ::fsync(fd) != 0 || failed;
    });
    ::close(fd);
    if (writeFailed || ::rename(part.c_str(), target.c_str()) != 0) {
        ::unlink(part.c_str());
        throw DomainError::internal("Cannot write the archive " + target + " (is the disk full?).");
    }
    // Only with the archive safely on disk does the container go.
    co_await m_engine.removeContainer(container);
    m_agentPids.erase(r.id);
    r.containerId.clear();
    const auto compressed = fs::file_size(target, ec);
    r.archiveBytes = static_cast<std::int64_t>(bytes);
    r.archiveCompressedBytes = ec ? 0 : static_cast<std::int64_t>(compressed);
    m_repo.setArchived(r.id, *r.archiveBytes, *r.archiveCompressedBytes);
    if (m_publish)
        m_publish(r.organizationId, "sandbox.archive.progress",
                  {{"sandboxId", r.id}, {"bytes", bytes}, {"done", true}});
}

awaitable<void> SandboxService::restoreContainer(SandboxRow& r) {
    const std::string source = archivePath(r.id);
    if (!fs::exists(source) || r.containerSpec.is_null())
        throw DomainError::conflict("The archive of sandbox '" + r.name + "' is missing (" + source +
                                    "); it cannot be restored. Delete it and create a new one.");
    const std::string image = "cove-archive:" + r.id;
    co_await m_engine.importImage(source, image);
    // An older Cove stored the engine's own create body: read once, stored again in Cove's shape.
    const engine::ContainerSpec stored = engine::ContainerSpec::fromJson(r.containerSpec.get());
    engine::ContainerSpec spec = stored;
    spec.image = image;
    // Limits as they are now (the sandbox may have been resized while archived).
    spec.resources = resourceLimits(r.cpu, r.memory);
    makeRunDir(r.id);
    provideSecretsTrust(r);
    const std::string container = containerName(r);
    r.containerId = co_await m_engine.createContainer(container, spec);
    r.containerSpec = stored.toJson();
    r.archiveBytes.reset();
    r.archiveCompressedBytes.reset();
    m_repo.setContainer(r.id, r.containerId, r.containerSpec.get());
    std::error_code ec;
    fs::remove(source, ec);
}

} // namespace cove::domain
