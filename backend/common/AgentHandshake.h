// The opening exchange of an agent connection made over a network rather than the sandbox's own unix
// socket (where the kernel vouches for the peer): each side proves it holds the sandbox's secret without
// sending it, over fresh nonces, so a recorded exchange opens nothing later.
//
//   agent -> coved   "COVE-AGENT 1 <agent nonce>\n"
//   coved -> agent   "<coved nonce> <proof(secret, "coved", agent nonce, coved nonce, sandbox id)>\n"
//   agent -> coved   "OK <proof(secret, "agent", agent nonce, coved nonce, sandbox id)>\n"
//
// then HTTP, as on the unix socket. A wrong proof ends the connection at once. Nonces are 32 random bytes
// in hex; a proof is HMAC-SHA-256 in hex. Lines are at most kMaxLine bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cove::handshake {

inline constexpr std::string_view kGreeting = "COVE-AGENT 1 ";
inline constexpr std::size_t kMaxLine = 256;

std::string nonce();
// The agent's greeting line (without its newline): the agent's nonce, or nothing.
std::optional<std::string_view> parseGreeting(std::string_view line);
// coved's answer line (without its newline): its nonce and proof, or nothing.
struct Answer {
    std::string_view nonce, proof;
};
std::optional<Answer> parseAnswer(std::string_view line);
std::string proof(std::string_view secret, std::string_view side, std::string_view agentNonce,
                  std::string_view covedNonce, std::string_view sandboxId);
// Constant-time comparison of a received proof with the expected one.
bool matches(std::string_view received, std::string_view expected);

// SHA-256 and HMAC-SHA-256 (raw 32 bytes), for the agent, which links no crypto library.
std::string sha256(std::string_view data);
std::string hmacSha256(std::string_view key, std::string_view message);
std::string toHex(std::string_view bytes); // lower case

} // namespace cove::handshake
