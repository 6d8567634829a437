// Runs one command to completion and collects its combined output, without blocking the io thread:
// the engine of process/execute, code-run and git.
#pragma once

#include "agent/process/UserInfo.h"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace cove::agent {

// What one collected run may keep of its output; the rest is read and dropped, so a command that
// prints a gigabyte neither bloats the agent nor blocks on a full pipe.
constexpr std::size_t kMaxCollectedOutput = 8u << 20;

struct RunSpec {
    std::vector<std::string> argv;
    std::vector<std::string> env; // "K=V"
    std::string cwd;
    std::string input;                   // written to stdin, which is then closed
    std::chrono::milliseconds timeout{}; // zero: none
    bool separateStderr = false;         // else stderr goes into `output` too
};

struct RunResult {
    bool started = false;
    std::string startError; // why it could not start (cwd missing, no such program, ...)
    int exitCode = -1;      // the code, or 128 + signal
    bool timedOut = false;  // killed (with its whole process group) after `timeout`
    std::string output;
    std::string errorOutput; // with separateStderr
    std::size_t dropped = 0; // bytes over kMaxCollectedOutput
};

boost::asio::awaitable<RunResult> runCollect(UserInfo user, RunSpec spec);

} // namespace cove::agent
