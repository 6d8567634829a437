// What the git routes need from git's own output: `status --porcelain=v2` read into Daytona's GitStatus,
// and a failed command's output turned into Daytona's git error codes.
#pragma once

#include "common/ApiError.h"

#include <nlohmann/json.hpp>

#include <string>

namespace cove::agent::git {

// Daytona's codes for git failures (DaemonErrorCode), and the statuses the SDK maps them from.
inline constexpr const char* kAuthFailed = "GIT_AUTH_FAILED";           // 401
inline constexpr const char* kRepoNotFound = "GIT_REPO_NOT_FOUND";      // 404
inline constexpr const char* kBranchNotFound = "GIT_BRANCH_NOT_FOUND";  // 404
inline constexpr const char* kBranchExists = "GIT_BRANCH_EXISTS";       // 409
inline constexpr const char* kPushRejected = "GIT_PUSH_REJECTED";       // 409
inline constexpr const char* kDirtyWorktree = "GIT_DIRTY_WORKTREE";     // 409
inline constexpr const char* kMergeConflict = "GIT_MERGE_CONFLICT";     // 409
inline constexpr const char* kTransportFailed = "GIT_TRANSPORT_FAILED"; // 502
inline constexpr const char* kRemoteRejected = "GIT_REMOTE_REJECTED";   // 422

// `git status --porcelain=v2 --branch -z` output as {currentBranch, fileStatus[], ahead, behind,
// branchPublished, detached, upstream?}.
nlohmann::json parseStatus(const std::string& porcelain);

// The error for a git command that failed: `op` names it ("git clone"), `output` is what it printed
// (already stripped of credentials), `exitCode` its status.
ApiError classify(const std::string& op, const std::string& output, int exitCode);

// `text` with every occurrence of each non-empty secret replaced by "***".
std::string redact(std::string text, const std::string& username, const std::string& password);

} // namespace cove::agent::git
