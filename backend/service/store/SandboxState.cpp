#include "service/store/SandboxState.h"

#include <array>
#include <utility>

namespace cove::store {

namespace {
constexpr std::array<std::pair<SandboxState, const char*>, 22> kNames{{
    {SandboxState::Creating, "creating"},
    {SandboxState::Restoring, "restoring"},
    {SandboxState::Destroyed, "destroyed"},
    {SandboxState::Destroying, "destroying"},
    {SandboxState::Started, "started"},
    {SandboxState::Stopped, "stopped"},
    {SandboxState::Starting, "starting"},
    {SandboxState::Stopping, "stopping"},
    {SandboxState::Error, "error"},
    {SandboxState::BuildFailed, "build_failed"},
    {SandboxState::PendingBuild, "pending_build"},
    {SandboxState::BuildingSnapshot, "building_snapshot"},
    {SandboxState::Unknown, "unknown"},
    {SandboxState::PullingSnapshot, "pulling_snapshot"},
    {SandboxState::Archived, "archived"},
    {SandboxState::Archiving, "archiving"},
    {SandboxState::Resizing, "resizing"},
    {SandboxState::Snapshotting, "snapshotting"},
    {SandboxState::Forking, "forking"},
    {SandboxState::Pausing, "pausing"},
    {SandboxState::Paused, "paused"},
    {SandboxState::Resuming, "resuming"},
}};
} // namespace

const char* toString(SandboxState s) {
    for (const auto& [state, name] : kNames)
        if (state == s)
            return name;
    return "unknown";
}

std::optional<SandboxState> sandboxStateFromString(std::string_view name) {
    for (const auto& [state, text] : kNames)
        if (name == text)
            return state;
    return std::nullopt;
}

} // namespace cove::store
