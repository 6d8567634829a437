// A sandbox as the store keeps it, and what is derived from it (container name, reported state).
#pragma once

#include "service/domain/SandboxStates.h"
#include "service/engine/Engine.h"
#include "service/store/SandboxRepository.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <set>
#include <string>

namespace cove::domain {

using nlohmann::json;
using SandboxRow = store::SandboxRecord;

// Marks a sandbox as being changed by a request for as long as it lives, so the reconciler keeps off.
class BusyMark {
public:
    BusyMark(std::set<std::string>& busy, std::string id)
        : m_busy(busy)
        , m_id(std::move(id)) {
        m_busy.insert(m_id);
    }
    ~BusyMark() { m_busy.erase(m_id); }
    BusyMark(const BusyMark&) = delete;
    BusyMark& operator=(const BusyMark&) = delete;

private:
    std::set<std::string>& m_busy;
    std::string m_id;
};

// The container labels: which sandbox a container is, and which installation made it.
inline constexpr const char* kSandboxLabel = "cove.sandbox.id";
inline constexpr const char* kInstanceLabel = "cove.instance";

// The CPU and memory limits the engine enforces for a sandbox (memory in GiB, as sandboxes have it).
inline engine::Resources resourceLimits(int cpu, int memoryGiB) {
    return {cpu, static_cast<std::int64_t>(memoryGiB) << 30};
}

// Docker's name for a sandbox's container.
inline std::string containerName(const SandboxRow& r) {
    return r.containerId.empty() ? "cove-" + r.id : r.containerId;
}

// The mounts in the shape Volumes::prepareMounts() and binds() read.
inline json mountExtras(const SandboxRow& r) {
    return {{"volumes", r.volumes}};
}

} // namespace cove::domain
