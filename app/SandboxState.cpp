// The names are Daytona's; the labels are translated in the context "SandboxState".
#include "app/SandboxState.h"

#include <QCoreApplication>

#include <array>

namespace cove::app {

namespace {

struct StateInfo {
    SandboxState state;
    const char* name;
    const char* label;
    bool transitional;
};

constexpr std::array kStates = {
    StateInfo{SandboxState::Unknown, "unknown", QT_TRANSLATE_NOOP("SandboxState", "Unknown"), false},
    StateInfo{SandboxState::Creating, "creating", QT_TRANSLATE_NOOP("SandboxState", "Creating"), true},
    StateInfo{SandboxState::Restoring, "restoring", QT_TRANSLATE_NOOP("SandboxState", "Restoring"), true},
    StateInfo{SandboxState::Destroyed, "destroyed", QT_TRANSLATE_NOOP("SandboxState", "Deleted"), false},
    StateInfo{SandboxState::Destroying, "destroying", QT_TRANSLATE_NOOP("SandboxState", "Deleting"), true},
    StateInfo{SandboxState::Started, "started", QT_TRANSLATE_NOOP("SandboxState", "Started"), false},
    StateInfo{SandboxState::Stopped, "stopped", QT_TRANSLATE_NOOP("SandboxState", "Stopped"), false},
    StateInfo{SandboxState::Starting, "starting", QT_TRANSLATE_NOOP("SandboxState", "Starting"), true},
    StateInfo{SandboxState::Stopping, "stopping", QT_TRANSLATE_NOOP("SandboxState", "Stopping"), true},
    StateInfo{SandboxState::Error, "error", QT_TRANSLATE_NOOP("SandboxState", "Error"), false},
    StateInfo{SandboxState::BuildFailed, "build_failed", QT_TRANSLATE_NOOP("SandboxState", "Build failed"),
              false},
    StateInfo{SandboxState::PendingBuild, "pending_build",
              QT_TRANSLATE_NOOP("SandboxState", "Waiting for build"), true},
    StateInfo{SandboxState::BuildingSnapshot, "building_snapshot",
              QT_TRANSLATE_NOOP("SandboxState", "Building snapshot"), true},
    StateInfo{SandboxState::PullingSnapshot, "pulling_snapshot",
              QT_TRANSLATE_NOOP("SandboxState", "Pulling snapshot"), true},
    StateInfo{SandboxState::Archived, "archived", QT_TRANSLATE_NOOP("SandboxState", "Archived"), false},
    StateInfo{SandboxState::Archiving, "archiving", QT_TRANSLATE_NOOP("SandboxState", "Archiving"), true},
    StateInfo{SandboxState::Resizing, "resizing", QT_TRANSLATE_NOOP("SandboxState", "Resizing"), true},
    StateInfo{SandboxState::Snapshotting, "snapshotting", QT_TRANSLATE_NOOP("SandboxState", "Snapshotting"),
              true},
    StateInfo{SandboxState::Forking, "forking", QT_TRANSLATE_NOOP("SandboxState", "Forking"), true},
    StateInfo{SandboxState::Pausing, "pausing", QT_TRANSLATE_NOOP("SandboxState", "Pausing"), true},
    StateInfo{SandboxState::Paused, "paused", QT_TRANSLATE_NOOP("SandboxState", "Paused"), false},
    StateInfo{SandboxState::Resuming, "resuming", QT_TRANSLATE_NOOP("SandboxState", "Resuming"), true},
};

const StateInfo& infoOf(SandboxState state) {
    for (const auto& i : kStates)
        if (i.state == state)
            return i;
    return kStates.front();
}

} // namespace

QString sandboxStateName(SandboxState state) {
    return QString::fromLatin1(infoOf(state).name);
}

SandboxState sandboxStateFromString(QStringView name) {
    for (const auto& i : kStates)
        if (name == QLatin1String(i.name))
            return i.state;
    return SandboxState::Unknown;
}

QList<SandboxState> allSandboxStates() {
    QList<SandboxState> out;
    for (const auto& i : kStates)
        out << i.state;
    return out;
}

bool isTransitional(SandboxState state) {
    return infoOf(state).transitional;
}

QString sandboxStateLabel(SandboxState state) {
    return QCoreApplication::translate("SandboxState", infoOf(state).label);
}

QString sandboxStateLabel(const QString& name) {
    const SandboxState state = sandboxStateFromString(name);
    return state == SandboxState::Unknown && name != QLatin1String("unknown") ? name
                                                                              : sandboxStateLabel(state);
}

} // namespace cove::app
