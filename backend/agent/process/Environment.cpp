// The environment overlay. Only the io thread touches it, so it needs no lock.
#include "agent/process/Environment.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

namespace cove::agent {

// Variables that configure the agent itself; the sandbox's processes have no use for them.
static bool isAgentSetting(const std::string& name) {
    return name.rfind("COVE_", 0) == 0;
}

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

Environment::Environment(const std::vector<std::string>& base, const UserInfo& user) {
    for (const auto& kv : base) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0)
            continue;
        std::string name = kv.substr(0, eq);
        if (!isAgentSetting(name))
            m_vars[std::move(name)] = kv.substr(eq + 1);
    }
    // Docker gives PID 1 root's HOME; the sandbox's commands run as the sandbox user.
    m_vars["HOME"] = user.home;
    m_vars["USER"] = user.name;
    m_vars["LOGNAME"] = user.name;
    m_vars.try_emplace("PATH", kDefaultPath);
}

std::vector<std::string> Environment::processEnviron() {
    std::vector<std::string> out;
    for (char** e = ::environ; e && *e; ++e)
        out.emplace_back(*e);
    return out;
}

bool Environment::validName(const std::string& name) {
    return !name.empty() && name.find('=') == std::string::npos && name.find('\0') == std::string::npos;
}

bool Environment::validValue(const std::string& value) {
    return value.find('\0') == std::string::npos;
}

std::optional<std::string> parseEnvObject(const nlohmann::json& j, const char* field, Environment::Map& out) {
    if (j.is_null())
        return std::nullopt;
    if (!j.is_object())
        return std::string("'") + field + "' must be an object of names to string values.";
    for (const auto& [name, value] : j.items()) {
        if (!Environment::validName(name))
            return "'" + std::string(field) + "' holds an invalid variable name '" + name +
                   "': names must be non-empty and contain no '=' or NUL.";
        if (!value.is_string())
            return "The value of '" + name + "' in '" + field + "' must be a string.";
        const auto& v = value.get_ref<const std::string&>();
        if (!Environment::validValue(v))
            return "The value of '" + name + "' in '" + field + "' contains a NUL character.";
        out[name] = v;
    }
    return std::nullopt;
}

std::optional<std::string> Environment::update(const nlohmann::json& request) {
    if (!request.is_object())
        return "The body must be a JSON object {set?, unset?, unsetValuePrefix?}.";
    Map toSet;
    if (auto err = parseEnvObject(request.value("set", nlohmann::json()), "set", toSet))
        return err;
    std::vector<std::string> toUnset;
    if (const auto it = request.find("unset"); it != request.end() && !it->is_null()) {
        if (!it->is_array())
            return "'unset' must be an array of variable names.";
        for (const auto& n : *it) {
            if (!n.is_string() || !validName(n.get_ref<const std::string&>()))
                return "'unset' must hold variable names: non-empty strings with no '=' or NUL.";
            toUnset.push_back(n.get<std::string>());
        }
    }
    std::string prefix;
    if (const auto it = request.find("unsetValuePrefix"); it != request.end() && !it->is_null()) {
        if (!it->is_string())
            return "'unsetValuePrefix' must be a string.";
        prefix = it->get<std::string>();
    }

    for (const auto& n : toUnset)
        m_vars.erase(n);
    if (!prefix.empty()) {
        for (auto it = m_vars.begin(); it != m_vars.end();) {
            if (!toSet.count(it->first) && it->second.rfind(prefix, 0) == 0)
                it = m_vars.erase(it);
            else
                ++it;
        }
    }
    for (auto& [k, v] : toSet)
        m_vars[k] = std::move(v);
    return std::nullopt;
}

std::vector<std::string> Environment::block(const Map& extra) const {
    std::vector<std::string> out;
    out.reserve(m_vars.size() + extra.size());
    for (const auto& [k, v] : m_vars) {
        if (!extra.count(k))
            out.push_back(k + "=" + v);
    }
    for (const auto& [k, v] : extra)
        out.push_back(k + "=" + v);
    return out;
}

} // namespace cove::agent
