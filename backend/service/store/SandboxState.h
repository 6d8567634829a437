// The states a sandbox is stored in, as Daytona names them (its SandboxState enum), and their text.
#pragma once

#include <optional>
#include <string_view>

namespace cove::store {

enum class SandboxState {
    Creating,
    Restoring,
    Destroyed,
    Destroying,
    Started,
    Stopped,
    Starting,
    Stopping,
    Error,
    BuildFailed,
    PendingBuild,
    BuildingSnapshot,
    Unknown,
    PullingSnapshot,
    Archived,
    Archiving,
    Resizing,
    Snapshotting,
    Forking,
    Pausing,
    Paused,
    Resuming,
};

// The name stored and shown ("build_failed"); every value has one.
const char* toString(SandboxState s);
// The state a stored name stands for; nullopt for a name Daytona does not have.
std::optional<SandboxState> sandboxStateFromString(std::string_view name);

} // namespace cove::store
