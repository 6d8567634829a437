// Embeds the files with the assembler's .incbin: no generated source, no size limit, and the build
// tracks them through the object's dependencies (backend/service/CMakeLists.txt).
#include "service/web/WebAssets.h"

#include <array>

// Each file becomes <name>_begin .. <name>_end in .rodata.
#define COVE_EMBED(name, path)                                                                               \
    asm(".section .rodata\n"                                                                                 \
        ".global " #name "_begin\n"                                                                          \
        ".global " #name "_end\n"                                                                            \
        ".balign 16\n" #name "_begin:\n"                                                                     \
        ".incbin \"" path "\"\n" #name "_end:\n"                                                             \
        ".byte 0\n"                                                                                          \
        ".previous\n");                                                                                      \
    extern "C" const char name##_begin[];                                                                    \
    extern "C" const char name##_end[];

COVE_EMBED(cove_web_xterm_js, COVE_WEB_XTERM_JS)
COVE_EMBED(cove_web_xterm_css, COVE_WEB_XTERM_CSS)
COVE_EMBED(cove_web_fit_js, COVE_WEB_FIT_JS)
COVE_EMBED(cove_web_terminal_html, COVE_WEB_DIR "/terminal.html")
COVE_EMBED(cove_web_terminal_js, COVE_WEB_DIR "/terminal.js")
COVE_EMBED(cove_web_terminal_css, COVE_WEB_DIR "/terminal.css")

namespace cove::web {

namespace {
std::string_view bytes(const char* begin, const char* end) {
    return {begin, static_cast<std::size_t>(end - begin)};
}
constexpr std::string_view kJs = "text/javascript; charset=utf-8";
constexpr std::string_view kCss = "text/css; charset=utf-8";
} // namespace

const Asset* asset(std::string_view name) {
    static const std::array<std::pair<std::string_view, Asset>, 5> assets{{
        {"xterm.js", {kJs, bytes(cove_web_xterm_js_begin, cove_web_xterm_js_end)}},
        {"xterm.css", {kCss, bytes(cove_web_xterm_css_begin, cove_web_xterm_css_end)}},
        {"addon-fit.js", {kJs, bytes(cove_web_fit_js_begin, cove_web_fit_js_end)}},
        {"terminal.js", {kJs, bytes(cove_web_terminal_js_begin, cove_web_terminal_js_end)}},
        {"terminal.css", {kCss, bytes(cove_web_terminal_css_begin, cove_web_terminal_css_end)}},
    }};
    for (const auto& [n, a] : assets)
        if (n == name)
            return &a;
    return nullptr;
}

const Asset& terminalPage() {
    static const Asset page{"text/html; charset=utf-8",
                            bytes(cove_web_terminal_html_begin, cove_web_terminal_html_end)};
    return page;
}

} // namespace cove::web
