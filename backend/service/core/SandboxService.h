// Sandboxes: validation, the store rows, the containers behind them and the Daytona DTOs.
#pragma once

#include "common/Time.h"
#include "service/api/Route.h"
#include "service/core/Config.h"
#include "service/docker/Engine.h"
#include "service/store/Store.h"

#include <map>
#include <mutex>

namespace cove::core {

using nlohmann::json;

class SandboxService {
public:
    SandboxService(store::Database& db, docker::Engine& engine, const Clock& clock, ServiceConfig config);

    api::awaitable<json> create(const json& body, const api::Caller& caller);
    json get(const std::string& idOrName, const api::Caller& caller);
    json list(const api::RequestContext& ctx);
    api::awaitable<json> remove(const std::string& idOrName, const api::Caller& caller);

    // A connected socket to the sandbox's agent (the caller owns it), or an ApiError thrown.
    api::awaitable<int> connectAgent(const std::string& idOrName, const api::Caller& caller);

    // At start-up: settles sandboxes a previous coved left mid-transition. An interrupted create is
    // rolled back to `error` (its container removed; the client never got it), an interrupted delete is
    // finished. Returns how many rows it settled.
    api::awaitable<int> settleInterrupted();

    // Registers the default snapshots whose images exist. Returns the names of those missing.
    api::awaitable<std::vector<std::string>> registerDefaultSnapshots();

    void audit(const api::Principal* who, const std::string& action, const std::string& targetType,
               const std::string& targetId, int status, const std::string& error, const std::string& ip);

private:
    struct Row;
    std::optional<Row> find(const std::string& idOrName, const std::string& orgId);
    json toDto(const Row& r, bool listItem, const std::string& baseUrl) const;
    api::awaitable<pid_t> agentPid(const Row& r, bool refresh);
    api::awaitable<void> waitForAgent(const Row& r);

    store::Database& m_db;
    docker::Engine& m_engine;
    const Clock& m_clock;
    ServiceConfig m_config;
    std::map<std::string, pid_t> m_agentPids; // sandbox id -> host pid of its PID 1
};

} // namespace cove::core
