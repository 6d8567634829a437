// The sandbox lifecycle as one table: which state a sandbox may move to from which, and the state clients
// see, derived from the actual and the desired state as Daytona derives it.
#pragma once

#include "service/store/SandboxState.h"

#include <string>
#include <vector>

namespace cove::domain {

using store::SandboxState;
using store::toString;

// Whether the actual state may change from `from` to `to` (staying put counts, except once destroyed).
bool canTransition(SandboxState from, SandboxState to);
// Every state `to` may be reached from: the condition of the conditional write that makes the change.
std::vector<SandboxState> sourcesOf(SandboxState to);

// The state clients see: a sandbox that is started but should be stopped is `stopping`, and so on.
SandboxState reportedState(SandboxState state, SandboxState desired);

// "stopped or archived", for messages.
std::string joined(const std::vector<SandboxState>& states);

} // namespace cove::domain
