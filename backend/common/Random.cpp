// Randomness from getrandom(2), which needs no file descriptor and works in an empty container.
#include "common/Random.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

namespace cove {

void randomBytes(void* buf, std::size_t len) {
    auto* p = static_cast<std::uint8_t*>(buf);
    while (len > 0) {
        const ssize_t n = getrandom(p, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw std::system_error(errno, std::generic_category(), "getrandom");
        }
        p += n;
        len -= static_cast<std::size_t>(n);
    }
}

static std::string toHex(const std::uint8_t* p, std::size_t n) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(digits[p[i] >> 4]);
        out.push_back(digits[p[i] & 0xf]);
    }
    return out;
}

std::string randomHex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    randomBytes(raw.data(), raw.size());
    return toHex(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size());
}

std::string uuidV4() {
    std::uint8_t b[16];
    randomBytes(b, sizeof b);
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
    const std::string h = toHex(b, sizeof b);
    return h.substr(0, 8) + '-' + h.substr(8, 4) + '-' + h.substr(12, 4) + '-' + h.substr(16, 4) + '-' +
           h.substr(20);
}

} // namespace cove
