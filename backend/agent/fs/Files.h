// The toolbox's file operations that fit in one request and one answer: list, info, folder, delete,
// move, permissions, find (content), search (names) and replace. All run as the sandbox user; errors
// are ApiErrors with Daytona's codes.
#pragma once

#include "agent/process/UserInfo.h"
#include "common/ApiError.h"

#include <nlohmann/json.hpp>

#include <string>
#include <sys/stat.h>

namespace cove::agent::fs {

// The ApiError for a failed system call on `path` (FILE_NOT_FOUND, FILE_ACCESS_DENIED, ...).
ApiError fileError(int err, const std::string& path, const std::string& doing);

nlohmann::json fileInfo(const std::string& path, const std::string& name, const struct stat& st);

nlohmann::json list(const UserInfo& u, const std::string& path, int depth);
nlohmann::json info(const UserInfo& u, const std::string& path);
void createFolder(const UserInfo& u, const std::string& path, const std::string& mode);
void remove(const UserInfo& u, const std::string& path, bool recursive);
void move(const UserInfo& u, const std::string& from, const std::string& to);
void setPermissions(const UserInfo& u, const std::string& path, const std::string& owner,
                    const std::string& group, const std::string& mode);
nlohmann::json find(const UserInfo& u, const std::string& path, const std::string& pattern);
nlohmann::json search(const UserInfo& u, const std::string& path, const std::string& pattern);
nlohmann::json replace(const UserInfo& u, const nlohmann::json& files, const std::string& pattern,
                       const std::string& newValue);

} // namespace cove::agent::fs
