#include "service/domain/SandboxStates.h"

#include <algorithm>
#include <array>
#include <utility>

namespace cove::domain {

namespace {

using S = SandboxState;

// Each state and the states it may move to. Staying put is allowed everywhere but in Destroyed: a step
// that is repeated (the reconciler restarting a started sandbox, a second error) writes the same state.
// The passing states (destroying, starting, …) are what clients see, not what Cove stores, but a store
// written by hand or by another version may hold them: they settle like the state they pass to.
const std::array<std::pair<S, std::vector<S>>, 21> kTransitions{{
    {S::Creating, {S::Started, S::Destroyed, S::Error}},
    {S::PendingBuild, {S::BuildingSnapshot, S::BuildFailed, S::Creating, S::Destroyed, S::Error}},
    {S::BuildingSnapshot, {S::BuildFailed, S::Creating, S::Destroyed, S::Error}},
    {S::Started, {S::Stopped, S::Destroyed, S::Error, S::Snapshotting, S::Paused}},
    {S::Stopped, {S::Started, S::Archived, S::Destroyed, S::Error, S::Snapshotting}},
    {S::Archived, {S::Started, S::Destroyed, S::Error}},
    {S::Snapshotting, {S::Started, S::Stopped, S::Destroyed, S::Error}},
    {S::Error, {S::Started, S::Stopped, S::Destroyed}},
    {S::BuildFailed, {S::Destroyed, S::Error}},
    {S::Unknown, {S::Started, S::Stopped, S::Destroyed, S::Error}},
    {S::Destroying, {S::Destroyed, S::Error}},
    {S::Starting, {S::Started, S::Stopped, S::Destroyed, S::Error}},
    {S::Stopping, {S::Stopped, S::Started, S::Destroyed, S::Error}},
    {S::Archiving, {S::Archived, S::Stopped, S::Started, S::Destroyed, S::Error}},
    {S::Restoring, {S::Started, S::Archived, S::Destroyed, S::Error}},
    {S::PullingSnapshot, {S::Creating, S::BuildFailed, S::Destroyed, S::Error}},
    {S::Resizing, {S::Started, S::Stopped, S::Destroyed, S::Error}},
    // Paused: frozen by the cgroup freezer, memory and processes kept; a start resumes it.
    {S::Paused, {S::Started, S::Stopped, S::Destroyed, S::Error}},
    {S::Pausing, {S::Paused, S::Started, S::Destroyed, S::Error}},
    {S::Resuming, {S::Started, S::Paused, S::Destroyed, S::Error}},
    {S::Forking, {S::Started, S::Stopped, S::Paused, S::Destroyed, S::Error}},
}};

} // namespace

bool canTransition(SandboxState from, SandboxState to) {
    if (from == S::Destroyed)
        return false;
    if (from == to)
        return true;
    const auto it = std::find_if(kTransitions.begin(), kTransitions.end(),
                                 [&](const auto& entry) { return entry.first == from; });
    return it != kTransitions.end() &&
           std::find(it->second.begin(), it->second.end(), to) != it->second.end();
}

std::vector<SandboxState> sourcesOf(SandboxState to) {
    std::vector<SandboxState> out;
    for (const auto& [from, targets] : kTransitions)
        if (canTransition(from, to))
            out.push_back(from);
    return out;
}

SandboxState reportedState(SandboxState state, SandboxState desired) {
    if (state == desired || state == S::Error || state == S::BuildFailed || state == S::Destroyed)
        return state;
    if (desired == S::Destroyed)
        return S::Destroying;
    if (state == S::Started && desired == S::Stopped)
        return S::Stopping;
    if (state == S::Stopped && desired == S::Started)
        return S::Starting;
    if (state == S::Stopped && desired == S::Archived)
        return S::Archiving;
    if (state == S::Archived && desired == S::Started)
        return S::Restoring;
    if (state == S::Started && desired == S::Paused)
        return S::Pausing;
    if (state == S::Paused && desired == S::Started)
        return S::Resuming;
    if (state == S::Paused && desired == S::Stopped)
        return S::Stopping;
    if ((state == S::Unknown || state == S::Creating) && desired == S::Started)
        return S::Creating;
    return state;
}

std::string joined(const std::vector<SandboxState>& states) {
    std::string out;
    for (const SandboxState s : states)
        out += (out.empty() ? "" : " or ") + std::string(toString(s));
    return out;
}

} // namespace cove::domain
