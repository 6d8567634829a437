// What every fuzz target uses: an invariant check that stops the run with the failed condition, and a
// reader that takes typed pieces off the fuzzer's input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

// An invariant: when it does not hold, the input is a finding (libFuzzer saves it as a crash).
#define FUZZ_CHECK(cond)                                                                                     \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);                \
            std::abort();                                                                                    \
        }                                                                                                    \
    } while (0)

namespace cove::fuzz {

// Pieces of the input in order: bytes, and strings that end at a separator byte (or the end).
class Input {
public:
    Input(const std::uint8_t* data, std::size_t size)
        : m_rest(reinterpret_cast<const char*>(data), size) {}
    bool empty() const { return m_rest.empty(); }
    std::uint8_t byte() {
        if (m_rest.empty())
            return 0;
        const auto b = static_cast<std::uint8_t>(m_rest.front());
        m_rest.remove_prefix(1);
        return b;
    }
    std::string_view until(char separator) {
        const auto at = m_rest.find(separator);
        const std::string_view piece = m_rest.substr(0, at);
        m_rest = at == std::string_view::npos ? std::string_view() : m_rest.substr(at + 1);
        return piece;
    }
    std::string_view rest() {
        const std::string_view all = m_rest;
        m_rest = {};
        return all;
    }

private:
    std::string_view m_rest;
};

} // namespace cove::fuzz
