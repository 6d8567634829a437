// Short-lived tokens for the web terminal: each opens the terminal of one sandbox, once.
//
// A token is "<id>.<secret>": the id finds the grant, the secret is compared in constant time, so a
// lookup tells an attacker nothing about how close a guess was. Grants live in memory only: a coved
// restart voids them all, which costs a browser one click on the dashboard.
#pragma once

#include "common/ApiError.h"
#include "common/Time.h"
#include "service/domain/Caller.h"

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace cove::domain {

class TerminalTokens {
public:
    // How long a new token may wait before it opens its terminal.
    static constexpr std::chrono::seconds kOpenWindow{60};
    // How long after its socket drops a terminal waits for the page to reconnect (then it is ended).
    static constexpr std::chrono::minutes kResumeWindow{10};

    struct Grant {
        std::string sandboxId;
        Principal who;       // the key that asked for it: the terminal acts on its behalf
        std::string ptyId;   // empty: open a new shell; else reattach to this one
        TimePoint expiresAt; // TimePoint::max() while its terminal is connected (a resume token)
    };
    struct Issued {
        std::string token;
        TimePoint expiresAt;
    };

    explicit TerminalTokens(const Clock& clock)
        : m_clock(clock) {}

    // A token that opens a new shell in the sandbox, for kOpenWindow.
    Issued issue(const std::string& sandboxId, const Principal& who);
    // A token that reattaches to `ptyId`; valid once the terminal's socket is gone (see release()).
    std::string issueResume(const std::string& sandboxId, const Principal& who, const std::string& ptyId);
    // Uses up a token for `sandboxId`: the grant, or nothing (unknown, expired, used or another sandbox's).
    std::optional<Grant> redeem(const std::string& token, const std::string& sandboxId);
    // The terminal of a resume token dropped: the token works for kResumeWindow from now.
    void release(const std::string& token);
    // Whether a token is still waiting to be redeemed (its terminal was not resumed).
    bool pending(const std::string& token) const;
    // Voids a token (its shell exited, or its resume window ran out).
    void revoke(const std::string& token);

private:
    std::string mint(Grant grant);
    void purge();

    const Clock& m_clock;
    std::map<std::string, std::pair<std::string, Grant>> m_grants; // id -> (secret, grant)
};

} // namespace cove::domain
