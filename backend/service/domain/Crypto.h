// The few OpenSSL primitives coved signs and checks with, over strings of raw bytes.
#pragma once

#include <string>
#include <string_view>

namespace cove::domain {

std::string sha256(std::string_view data);
std::string hmacSha256(std::string_view key, std::string_view message);
std::string toHex(std::string_view bytes); // lower case
// Compares without a timing that tells how much of a secret matched.
bool equalConstantTime(std::string_view a, std::string_view b);

} // namespace cove::domain
