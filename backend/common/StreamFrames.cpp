#include "common/StreamFrames.h"

namespace cove::frames {

namespace {

void put32(std::string& out, std::uint32_t v) {
    out.push_back(char((v >> 24) & 0xff));
    out.push_back(char((v >> 16) & 0xff));
    out.push_back(char((v >> 8) & 0xff));
    out.push_back(char(v & 0xff));
}

std::uint32_t get32(std::string_view in) {
    const auto b = [&](std::size_t i) { return std::uint32_t(static_cast<unsigned char>(in[i])); };
    return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

bool known(char t) {
    switch (static_cast<Type>(t)) {
    case Type::Stdin:
    case Type::StdinEof:
    case Type::Resize:
    case Type::Stdout:
    case Type::Stderr:
    case Type::Exit:
    case Type::Error:
        return true;
    }
    return false;
}

} // namespace

std::string encode(Type type, std::string_view payload) {
    std::string out;
    out.reserve(kHeaderBytes + payload.size());
    out.push_back(static_cast<char>(type));
    put32(out, static_cast<std::uint32_t>(payload.size()));
    out.append(payload);
    return out;
}

std::string encodeResize(unsigned cols, unsigned rows) {
    std::string p;
    p.push_back(char((cols >> 8) & 0xff));
    p.push_back(char(cols & 0xff));
    p.push_back(char((rows >> 8) & 0xff));
    p.push_back(char(rows & 0xff));
    return encode(Type::Resize, p);
}

std::string encodeExit(int code) {
    std::string p;
    put32(p, static_cast<std::uint32_t>(code));
    return encode(Type::Exit, p);
}

std::optional<std::pair<unsigned, unsigned>> decodeResize(std::string_view payload) {
    if (payload.size() != 4)
        return std::nullopt;
    const auto b = [&](std::size_t i) { return unsigned(static_cast<unsigned char>(payload[i])); };
    return std::pair<unsigned, unsigned>{(b(0) << 8) | b(1), (b(2) << 8) | b(3)};
}

std::optional<int> decodeExit(std::string_view payload) {
    if (payload.size() != 4)
        return std::nullopt;
    return static_cast<int>(get32(payload));
}

std::optional<Frame> Decoder::next() {
    if (failed() || m_buf.size() - m_pos < kHeaderBytes)
        return std::nullopt;
    const std::string_view head(m_buf.data() + m_pos, kHeaderBytes);
    if (!known(head[0])) {
        m_error = "unknown frame type " + std::to_string(static_cast<unsigned char>(head[0]));
        return std::nullopt;
    }
    const std::uint32_t length = get32(head.substr(1));
    if (length > kMaxPayload) {
        m_error = "frame of " + std::to_string(length) + " bytes, more than " + std::to_string(kMaxPayload);
        return std::nullopt;
    }
    if (m_buf.size() - m_pos - kHeaderBytes < length)
        return std::nullopt;
    Frame f{static_cast<Type>(head[0]), m_buf.substr(m_pos + kHeaderBytes, length)};
    m_pos += kHeaderBytes + length;
    // Consumed bytes are dropped once they are most of the buffer, so it never grows past a frame or two.
    if (m_pos > 4096 && m_pos * 2 > m_buf.size()) {
        m_buf.erase(0, m_pos);
        m_pos = 0;
    }
    return f;
}

} // namespace cove::frames
