// How process/code-run turns code into a command: one interpreter per language, the code on stdin (or
// a temporary file for TypeScript), and matplotlib figures reported as chart artifacts.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cove::agent {

// Lines of output that start with this carry one artifact as JSON ({"type":"chart","value":{...}}),
// the marker Daytona's daemon and SDK agree on.
inline constexpr const char* kArtifactMarker = "dtn_artifact_k39fd2:";

struct CodeRunCommand {
    std::vector<std::string> argv;
    std::string input; // what the interpreter reads on stdin
};

// Empty when the language is not one the toolbox runs.
std::optional<CodeRunCommand> codeRunCommand(const std::string& language, const std::string& code,
                                             const std::vector<std::string>& args);

// Removes artifact lines from `output` and returns the charts they carried (an array, maybe empty).
nlohmann::json extractCharts(std::string& output);

} // namespace cove::agent
