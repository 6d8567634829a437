// Randomness from the kernel: ids and secrets.
#pragma once

#include <cstddef>
#include <string>

namespace cove {

// Fills buf from getrandom(2); throws std::system_error if the kernel refuses.
void randomBytes(void* buf, std::size_t len);
std::string randomHex(std::size_t bytes);
// An RFC 4122 version 4 UUID, the form Daytona uses for sandbox ids.
std::string uuidV4();

} // namespace cove
