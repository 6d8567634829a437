// A sandbox as the store keeps it, and what is derived from it (container name, reported state).
#pragma once

#include "service/engine/Engine.h"
#include "service/store/Store.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <set>
#include <string>

namespace cove::domain {

using nlohmann::json;

struct SandboxRow {
    std::string id, organizationId, name, snapshot, image, user, state, desiredState, errorReason,
        containerId;
    json env, labels, extra;
    bool isPublic = false;
    int cpu = 0, gpu = 0, memory = 0, disk = 0, autoStop = 0, autoArchive = 0, autoDelete = 0;
    std::int64_t createdAt = 0, updatedAt = 0, lastActivityAt = 0, stateChangedAt = 0;

    static constexpr const char* kColumns =
        "id, organization_id, name, snapshot, image, os_user, env, labels, public, cpu, gpu, memory, disk, "
        "auto_stop_interval, auto_archive_interval, auto_delete_interval, state, desired_state, "
        "error_reason, "
        "container_id, extra, created_at, updated_at, last_activity_at, state_changed_at";

    static SandboxRow from(const store::Row& c) {
        SandboxRow r;
        r.id = c[0].asText();
        r.organizationId = c[1].asText();
        r.name = c[2].asText();
        r.snapshot = c[3].asText();
        r.image = c[4].asText();
        r.user = c[5].asText();
        r.env = json::parse(c[6].asText(), nullptr, false);
        r.labels = json::parse(c[7].asText(), nullptr, false);
        r.isPublic = c[8].asInt() != 0;
        r.cpu = static_cast<int>(c[9].asInt());
        r.gpu = static_cast<int>(c[10].asInt());
        r.memory = static_cast<int>(c[11].asInt());
        r.disk = static_cast<int>(c[12].asInt());
        r.autoStop = static_cast<int>(c[13].asInt());
        r.autoArchive = static_cast<int>(c[14].asInt());
        r.autoDelete = static_cast<int>(c[15].asInt());
        r.state = c[16].asText();
        r.desiredState = c[17].asText();
        r.errorReason = c[18].asText();
        r.containerId = c[19].asText();
        r.extra = json::parse(c[20].asText(), nullptr, false);
        r.createdAt = c[21].asInt();
        r.updatedAt = c[22].asInt();
        r.lastActivityAt = c[23].asInt();
        r.stateChangedAt = c[24].asInt();
        for (json* j : {&r.env, &r.labels, &r.extra})
            if (!j->is_object())
                *j = json::object();
        typedExtra(r.extra);
        return r;
    }

    // A row written badly (by hand, or by another version) must not throw where its fields are read, at
    // start-up or in a listing: wrongly typed keys go, except the network's, which fail closed.
    static void typedExtra(json& extra) {
        const auto wrong = [&](const char* key, bool (json::*is)() const noexcept) {
            return extra.contains(key) && !(extra[key].*is)();
        };
        if (wrong("networkBlockAll", &json::is_boolean) || wrong("networkAllowList", &json::is_string))
            extra["networkBlockAll"] = true;
        for (const char* key :
             {"ip", "networkAllowList", "domainAllowList", "target", "signingKey", "previewKey"})
            if (wrong(key, &json::is_string))
                extra.erase(key);
        for (const char* key : {"volumes", "revokedPreviewTokens"})
            if (wrong(key, &json::is_array))
                extra.erase(key);
        if (wrong("pooled", &json::is_boolean))
            extra.erase("pooled");
        if (wrong("containerSpec", &json::is_object))
            extra.erase("containerSpec");
    }
};

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

// The state clients see, derived from the actual and desired states as Daytona derives it: a sandbox
// that is started but should be stopped is `stopping`, and so on.
std::string reportedState(const std::string& state, const std::string& desired);

} // namespace cove::domain
