// The worker channel's line parser: bounded, and strict about what a frame is.
#include "agent/interpreter/WorkerFrames.h"
#include "agent/interpreter/Limits.h"

#include <nlohmann/json.hpp>

namespace cove::agent {

namespace {
// A string field cut to `max` bytes, without splitting a UTF-8 sequence; false when it is not a string.
bool field(const nlohmann::json& j, const char* name, std::size_t max, std::string& out) {
    const auto it = j.find(name);
    if (it == j.end())
        return true;
    if (!it->is_string())
        return false;
    out = it->get<std::string>();
    if (out.size() > max) {
        std::size_t cut = max;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
            --cut;
        out.resize(cut);
    }
    return true;
}
} // namespace

std::vector<WorkerFrame> WorkerFrameParser::feed(std::string_view bytes) {
    std::vector<WorkerFrame> out;
    while (!bytes.empty()) {
        const auto nl = bytes.find('\n');
        const std::string_view part = bytes.substr(0, nl);
        if (!m_skipping) {
            if (m_line.size() + part.size() > InterpreterLimits::kMaxFrameBytes) {
                m_line.clear();
                m_skipping = true;
                ++m_rejected;
            } else {
                m_line.append(part);
            }
        }
        if (nl == std::string_view::npos)
            break;
        if (m_skipping)
            m_skipping = false;
        else
            finishLine(out);
        m_line.clear();
        bytes.remove_prefix(nl + 1);
    }
    return out;
}

void WorkerFrameParser::finishLine(std::vector<WorkerFrame>& out) {
    if (m_line.empty())
        return;
    const auto j = nlohmann::json::parse(m_line, nullptr, false);
    WorkerFrame f;
    const auto type = j.is_object() ? j.find("type") : j.end();
    bool ok = j.is_object() && type != j.end() && type->is_string() &&
              field(j, "id", InterpreterLimits::kMaxContextIdBytes, f.id);
    if (ok && *type == "control") {
        f.kind = WorkerFrame::Kind::Control;
        ok = field(j, "text", 16, f.text) && (f.text == "completed" || f.text == "interrupted");
    } else if (ok && *type == "error") {
        f.kind = WorkerFrame::Kind::Error;
        ok = field(j, "name", InterpreterLimits::kMaxErrorNameBytes, f.name) &&
             field(j, "value", InterpreterLimits::kMaxErrorValueBytes, f.value) &&
             field(j, "traceback", InterpreterLimits::kMaxTracebackBytes, f.traceback);
    } else {
        ok = false;
    }
    if (ok)
        out.push_back(std::move(f));
    else
        ++m_rejected;
}

} // namespace cove::agent
