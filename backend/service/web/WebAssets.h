// The browser-side files coved serves (the web terminal's page, its script and xterm.js), compiled in.
#pragma once

#include <string_view>

namespace cove::web {

struct Asset {
    std::string_view contentType;
    std::string_view body;
};

// The asset served at /web/<name>, or nullptr.
const Asset* asset(std::string_view name);
// The terminal's page, served at /terminal/{sandboxId}.
const Asset& terminalPage();

} // namespace cove::web
