// PID 1 duties, on top of the toolbox's child registry.
#include "agent/process/Init.h"

#include "agent/process/Children.h"

#include <cerrno>
#include <csignal>

namespace cove::agent {

int Init::reapAll() {
    return Children::reapAll();
}

void Init::signalAll(int sig) {
    kill(-1, sig);
}

} // namespace cove::agent
