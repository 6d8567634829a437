// Checks what computer-use requests ask for and turns it into xdotool's terms: key names into X keysyms,
// modifiers into xdotool's, Daytona's "ctrl+c" hotkeys into chords. Everything that is not known is
// refused here with a 400 that says what would be accepted; nothing unchecked reaches the X tools.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace cove::agent::computeruse {

// The X keysym of one key: a named key ("enter", "page_down", "f5", "num3", "cmd") or a single
// letter, digit or unshifted punctuation character. Throws a 400 ApiError otherwise.
std::string keysymOf(const std::string& key);

// "ctrl+shift+Return" for xdotool's `key` from a key and its modifiers (ctrl, alt, shift, cmd and
// their aliases). Throws a 400 ApiError on an unknown or repeated modifier.
std::string chord(const std::string& key, const std::vector<std::string>& modifiers);

// A hotkey as Daytona writes it ("ctrl+c", "alt+F4", "ctrl+shift+t"): modifiers, then one key.
std::string hotkeyChord(const std::string& hotkey);

// xdotool's button number for "left", "middle" and "right" (1, 2, 3).
int buttonOf(const std::string& name);

// Fields of a JSON request body, with the toolbox's 400s.
// An integer in [min, max]; `hint` follows the range in the error ("(the display is 1024x768)").
int requiredInt(const nlohmann::json& body, const char* name, int min, int max, const std::string& hint = {});
int optionalInt(const nlohmann::json& body, const char* name, int min, int max, int fallback);
// A string field; absent or null gives `fallback`.
std::string optionalString(const nlohmann::json& body, const char* name, const std::string& fallback);
bool optionalBool(const nlohmann::json& body, const char* name, bool fallback);
// An array of strings; absent or null gives an empty list.
std::vector<std::string> stringList(const nlohmann::json& body, const char* name);

} // namespace cove::agent::computeruse
