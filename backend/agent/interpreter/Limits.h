// The code interpreter's limits and defaults, in one place: what one sandbox's contexts, runs and
// workers may take of the agent.
#pragma once

#include <chrono>
#include <cstddef>

namespace cove::agent {

struct InterpreterLimits {
    // Contexts a sandbox may create (the default context is not counted).
    static constexpr std::size_t kMaxContexts = 16;
    // Runs that may wait for a busy context, beyond the one running.
    static constexpr std::size_t kMaxQueuedRuns = 8;
    // The first WebSocket message: the code and its options.
    static constexpr std::size_t kMaxRequestBytes = 1u << 20;
    // A context id as a client may send it (the agent's own are UUIDs).
    static constexpr std::size_t kMaxContextIdBytes = 64;
    // A run without `timeout` gets this one, as Daytona's daemon gives; 0 in the request means none.
    static constexpr std::chrono::seconds kDefaultTimeout{600};
    // After its timeout a run is interrupted (SIGINT); one still running this much later is killed
    // with its worker, which the next run starts afresh.
    static constexpr std::chrono::milliseconds kInterruptGrace{2000};

    // What the worker sends on its private channel, one JSON line a frame: a longer line is dropped.
    static constexpr std::size_t kMaxFrameBytes = 64u << 10;
    static constexpr std::size_t kMaxErrorNameBytes = 256;
    static constexpr std::size_t kMaxErrorValueBytes = 16u << 10;
    static constexpr std::size_t kMaxTracebackBytes = 32u << 10;

    // Output waiting for a client: reading the worker's pipes stops above the high mark and starts
    // again below the low one, so a flood waits in the worker (blocked on its pipe), not in the agent.
    static constexpr std::size_t kSendHighWater = 1u << 20;
    static constexpr std::size_t kSendLowWater = 256u << 10;
    // What is read from one pipe at once, and at most when a run ends and its last output is collected.
    static constexpr std::size_t kReadChunk = 16u << 10;
    static constexpr std::size_t kMaxDrainBytes = 256u << 10;
};

} // namespace cove::agent
