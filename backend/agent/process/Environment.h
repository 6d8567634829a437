// The environment every process the agent starts gets: the container's own, minus the agent's private
// settings, with the sandbox user's HOME/USER, and whatever POST /env changed since.
#pragma once

#include "agent/process/UserInfo.h"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cove::agent {

class Environment {
public:
    using Map = std::map<std::string, std::string>;

    // Starts from `base` (normally the agent's own environ) for `user`.
    Environment(const std::vector<std::string>& base, const UserInfo& user);
    // The agent's own process environment.
    static std::vector<std::string> processEnviron();

    const Map& current() const { return m_vars; }

    // Applies a Daytona UpdateEnvRequest {set?, unset?, unsetValuePrefix?}: removals first, then set.
    // Returns an error message (and changes nothing) when the request is malformed.
    std::optional<std::string> update(const nlohmann::json& request);

    // "K=V" strings for execve: the current variables overlaid with `extra` (a request's envs).
    std::vector<std::string> block(const Map& extra = {}) const;

    // A name a process environment can hold: non-empty, no '=' and no NUL.
    static bool validName(const std::string& name);
    static bool validValue(const std::string& value);

private:
    Map m_vars;
};

// Checks a request's {"K": "V"} object; returns an error message or fills `out`.
std::optional<std::string> parseEnvObject(const nlohmann::json& j, const char* field, Environment::Map& out);

} // namespace cove::agent
