// SSH access tokens, as Daytona's: a random token opens an SSH session (the token is the user name) into
// one sandbox until it expires or is revoked. Only its SHA-256 is stored, so the tokens survive a restart
// of coved and a copy of the database opens nothing. A token dies with its sandbox.
#pragma once

#include "common/Time.h"
#include "service/domain/Caller.h"
#include "service/store/SshAccessRepository.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace cove::domain {

class SandboxService;

class SshAccess {
public:
    SshAccess(store::Database& db, SandboxService& sandboxes, const Clock& clock)
        : m_db(db)
        , m_repo(db)
        , m_sandboxes(sandboxes)
        , m_clock(clock) {}

    // Where the gateway listens, for the `ssh` command handed back; empty host: the gateway is off.
    void setGateway(std::string host, unsigned short port) {
        m_host = std::move(host);
        m_port = port;
    }
    bool gatewayOn() const { return !m_host.empty(); }

    // POST /api/sandbox/{id}/ssh-access: SshAccessDto, the token shown this once. `minutes` is the
    // query's text (absent: SshLimits::kDefaultExpiryMinutes).
    nlohmann::json create(const std::string& idOrName, const std::optional<std::string>& minutes,
                          const Caller& caller);
    // DELETE: revokes one token of the sandbox, or all of them; answers the sandbox.
    nlohmann::json revoke(const std::string& idOrName, const std::optional<std::string>& token,
                          const Caller& caller);
    // GET /api/sandbox/ssh-access/validate: SshAccessValidationDto. A token of another organization's
    // sandbox is answered as invalid, with no sandbox id.
    nlohmann::json validate(const std::string& token, const Caller& caller);

    // The gateway's check: the sandbox a live token opens, and who acts there (the token's organization,
    // with the right to use that sandbox's toolbox only).
    struct Grant {
        std::string sandboxId;
        Principal who;
    };
    std::optional<Grant> authenticate(const std::string& token);

    // The sandbox is gone: its tokens with it.
    void forgetSandbox(const std::string& sandboxId);

    static std::string hashOf(const std::string& token);

private:
    std::optional<store::SshAccessRecord> live(const std::string& token);

    store::Database& m_db;

    store::SshAccessRepository m_repo;
    SandboxService& m_sandboxes;
    const Clock& m_clock;
    std::string m_host;
    unsigned short m_port = 0;
};

} // namespace cove::domain
