// What an interpreter worker tells the agent on its private channel: one JSON object a line, an error
// or the end of a run. The worker runs the sandbox's code, which may write anything on that channel,
// so every byte is untrusted: a line, each field and the buffer are bounded and anything else dropped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cove::agent {

struct WorkerFrame {
    enum class Kind { Error, Control };
    Kind kind = Kind::Control;
    std::string id;   // the run it belongs to
    std::string text; // Control: "completed" or "interrupted"
    std::string name; // Error: the exception's type, message and traceback
    std::string value;
    std::string traceback;
};

class WorkerFrameParser {
public:
    // Takes the next bytes of the channel and returns the well-formed frames they complete, in order.
    std::vector<WorkerFrame> feed(std::string_view bytes);
    // Bytes of an unfinished line held for the next feed (never more than kMaxFrameBytes).
    std::size_t buffered() const { return m_line.size(); }
    // Lines dropped: too long, not JSON, or not a frame.
    std::size_t rejected() const { return m_rejected; }

private:
    void finishLine(std::vector<WorkerFrame>& out);

    std::string m_line;
    bool m_skipping = false; // inside a line that grew too long, until its newline
    std::size_t m_rejected = 0;
};

} // namespace cove::agent
