// A streaming multipart/form-data parser: bytes go in as they arrive, parts come out as callbacks, and
// no more than one header block and one delimiter's worth of data is ever buffered.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace cove {

struct PartHeader {
    std::string name;     // Content-Disposition name
    std::string filename; // empty for plain fields
    std::string contentType;
};

class MultipartParser {
public:
    struct Callbacks {
        std::function<bool(const PartHeader&)> begin;       // false stops with an error
        std::function<bool(const char*, std::size_t)> data; // false stops with an error
        std::function<bool()> end;                          // false stops with an error
    };

    MultipartParser(std::string boundary, Callbacks cb);
    // Returns false once the stream is malformed or a callback refused; error() says why.
    bool feed(const char* data, std::size_t n);
    bool done() const { return m_state == State::Done; }
    const std::string& error() const { return m_error; }

    // RFC 2046's bound on a boundary's length.
    static constexpr std::size_t kMaxBoundaryLength = 70;
    // The boundary of a multipart Content-Type; empty when it is not multipart or the boundary is
    // missing or longer than kMaxBoundaryLength.
    static std::string boundaryOf(std::string_view contentType);

private:
    enum class State { Preamble, AfterBoundary, Headers, Body, Done, Failed };
    bool fail(std::string why);
    bool parseHeaders(std::string_view block);

    std::string m_delimiter; // "\r\n--" + boundary
    Callbacks m_cb;
    std::string m_buf;
    State m_state = State::Preamble;
    std::string m_error;
};

} // namespace cove
