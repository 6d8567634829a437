// Daytona's sandbox states as one enum, the one place that says which of them end by themselves.
#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace cove::app {

// As Daytona's SandboxState (api v0.190); a state this dashboard does not know reads as Unknown.
enum class SandboxState {
    Unknown,
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

// The wire name ("build_failed") and back; an unknown name gives Unknown.
QString sandboxStateName(SandboxState state);
SandboxState sandboxStateFromString(QStringView name);
// Every state, in the enum's order.
QList<SandboxState> allSandboxStates();

// A state the service leaves by itself (creating, starting, stopping…): shown moving, waited out, polled.
// Unknown is not one: nothing says it will change.
bool isTransitional(SandboxState state);

// The state as a person reads it, in the current language: "Started", "Waiting for build"…
QString sandboxStateLabel(SandboxState state);
// The label of a state's name as sent; a name this dashboard does not know is shown as it is.
QString sandboxStateLabel(const QString& name);

} // namespace cove::app
