// The agent's raw process stream (/process/stream, an HTTP upgrade to "cove-stream"): after the 101,
// each direction is a sequence of frames, a type byte, a 4-byte big-endian length and that many bytes.
// coved's SSH gateway uses it for `ssh host cmd`, shells and the SFTP server: stdin goes in, stdout and
// stderr come out apart, binary-safe, then the exit status.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cove::frames {

enum class Type : char {
    // coved to agent
    Stdin = 'i',
    StdinEof = 'e',
    Resize = 'w', // 4 bytes: cols, rows (2 bytes each)
    // agent to coved
    Stdout = 'o',
    Stderr = 'x',
    Exit = 's',  // 4 bytes: the exit code (128 + signal for a signal)
    Error = 'E', // a sentence: the process could not start
};

inline constexpr std::size_t kHeaderBytes = 5;
// No frame carries more than this; a larger length is a broken or hostile peer.
inline constexpr std::size_t kMaxPayload = 64 << 10;

std::string encode(Type type, std::string_view payload);
std::string encodeResize(unsigned cols, unsigned rows);
std::string encodeExit(int code);
// The numbers of a Resize or Exit payload; nothing when the payload is not 4 bytes.
std::optional<std::pair<unsigned, unsigned>> decodeResize(std::string_view payload);
std::optional<int> decodeExit(std::string_view payload);

struct Frame {
    Type type;
    std::string payload;
};

// Takes bytes as they arrive, in any pieces, and gives back whole frames. A bad type or an oversized
// length is an error from which it does not recover (the connection is to be closed).
class Decoder {
public:
    void feed(std::string_view bytes) { m_buf.append(bytes); }
    // The next whole frame, or nothing (more bytes needed, or failed()).
    std::optional<Frame> next();
    bool failed() const { return !m_error.empty(); }
    const std::string& error() const { return m_error; }
    std::size_t buffered() const { return m_buf.size() - m_pos; }

private:
    std::string m_buf;
    std::size_t m_pos = 0;
    std::string m_error;
};

} // namespace cove::frames
