// Key names and request fields for computer use.
#include "agent/computeruse/Input.h"

#include "agent/Call.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>

namespace cove::agent::computeruse {

using nlohmann::json;

namespace {

// Named keys, lower case with '-' read as '_', to X keysyms.
const std::map<std::string, std::string>& namedKeys() {
    static const std::map<std::string, std::string> keys = [] {
        std::map<std::string, std::string> k{{"enter", "Return"},
                                             {"return", "Return"},
                                             {"tab", "Tab"},
                                             {"escape", "Escape"},
                                             {"esc", "Escape"},
                                             {"backspace", "BackSpace"},
                                             {"delete", "Delete"},
                                             {"del", "Delete"},
                                             {"insert", "Insert"},
                                             {"space", "space"},
                                             {"spacebar", "space"},
                                             {"up", "Up"},
                                             {"down", "Down"},
                                             {"left", "Left"},
                                             {"right", "Right"},
                                             {"home", "Home"},
                                             {"end", "End"},
                                             {"pageup", "Prior"},
                                             {"page_up", "Prior"},
                                             {"pagedown", "Next"},
                                             {"page_down", "Next"},
                                             {"capslock", "Caps_Lock"},
                                             {"caps_lock", "Caps_Lock"},
                                             {"menu", "Menu"},
                                             {"printscreen", "Print"},
                                             {"print", "Print"},
                                             {"num_lock", "Num_Lock"},
                                             {"ctrl", "Control_L"},
                                             {"control", "Control_L"},
                                             {"lctrl", "Control_L"},
                                             {"left_ctrl", "Control_L"},
                                             {"rctrl", "Control_R"},
                                             {"right_ctrl", "Control_R"},
                                             {"alt", "Alt_L"},
                                             {"option", "Alt_L"},
                                             {"lalt", "Alt_L"},
                                             {"left_alt", "Alt_L"},
                                             {"ralt", "Alt_R"},
                                             {"right_alt", "Alt_R"},
                                             {"shift", "Shift_L"},
                                             {"lshift", "Shift_L"},
                                             {"left_shift", "Shift_L"},
                                             {"rshift", "Shift_R"},
                                             {"right_shift", "Shift_R"},
                                             {"cmd", "Super_L"},
                                             {"command", "Super_L"},
                                             {"super", "Super_L"},
                                             {"meta", "Super_L"},
                                             {"win", "Super_L"},
                                             {"windows", "Super_L"},
                                             {"lcmd", "Super_L"},
                                             {"rcmd", "Super_R"},
                                             {"num_enter", "KP_Enter"},
                                             {"num_plus", "KP_Add"},
                                             {"num_minus", "KP_Subtract"},
                                             {"num_asterisk", "KP_Multiply"},
                                             {"num_slash", "KP_Divide"},
                                             {"num_decimal", "KP_Decimal"},
                                             {"num_equal", "KP_Equal"}};
        for (int i = 1; i <= 24; ++i)
            k["f" + std::to_string(i)] = "F" + std::to_string(i);
        for (int i = 0; i <= 9; ++i)
            k["num" + std::to_string(i)] = "KP_" + std::to_string(i);
        return k;
    }();
    return keys;
}

// Unshifted punctuation keys of a US keyboard.
const std::map<char, std::string>& punctuation() {
    static const std::map<char, std::string> keys{
        {'\'', "apostrophe"}, {',', "comma"},        {'-', "minus"}, {'.', "period"},
        {'/', "slash"},       {';', "semicolon"},    {'=', "equal"}, {'[', "bracketleft"},
        {'\\', "backslash"},  {']', "bracketright"}, {'`', "grave"}};
    return keys;
}

// Shifted symbols and the key that makes them with shift.
const std::map<char, char>& shifted() {
    static const std::map<char, char> keys{
        {'!', '1'}, {'"', '\''}, {'#', '3'}, {'$', '4'}, {'%', '5'},  {'&', '7'}, {'(', '9'},
        {')', '0'}, {'*', '8'},  {'+', '='}, {':', ';'}, {'<', ','},  {'>', '.'}, {'?', '/'},
        {'@', '2'}, {'^', '6'},  {'_', '-'}, {'{', '['}, {'|', '\\'}, {'}', ']'}, {'~', '`'}};
    return keys;
}

std::string normalName(const std::string& raw) {
    std::string n;
    for (char ch : raw)
        n += ch == '-' ? '_' : char(std::tolower((unsigned char)ch));
    return n;
}

// xdotool's modifier for a name, or empty.
std::string modifierOf(const std::string& raw) {
    static const std::map<std::string, std::string> mods{
        {"ctrl", "ctrl"},   {"control", "ctrl"}, {"alt", "alt"},       {"option", "alt"},
        {"shift", "shift"}, {"cmd", "super"},    {"command", "super"}, {"super", "super"},
        {"meta", "super"},  {"win", "super"},    {"windows", "super"}};
    const auto it = mods.find(normalName(raw));
    return it == mods.end() ? std::string() : it->second;
}

std::string quoted(const std::string& s) {
    return json(s).dump();
}

constexpr const char* kKeyHint =
    "use a key name such as enter, tab, escape, backspace, space, up, page_down, home, f1-f24, num0-num9, "
    "or one letter, digit or unshifted punctuation character";

} // namespace

std::string keysymOf(const std::string& key) {
    if (key.empty())
        throw badRequest("'key' must not be empty; " + std::string(kKeyHint) + ".");
    if (key.size() == 1) {
        const char ch = key[0];
        if (std::isalnum((unsigned char)ch))
            return std::string(1, char(std::tolower((unsigned char)ch)));
        if (const auto it = punctuation().find(ch); it != punctuation().end())
            return it->second;
        if (const auto it = shifted().find(ch); it != shifted().end())
            throw badRequest("Unsupported key " + quoted(key) + ": press " +
                             quoted(std::string(1, it->second)) +
                             " with the shift modifier, or type the text.");
        if (ch == ' ')
            throw badRequest("Unsupported key \" \": use \"space\", or type the text.");
        throw badRequest("Unsupported key " + quoted(key) + "; " + kKeyHint + ".");
    }
    const auto it = namedKeys().find(normalName(key));
    if (it == namedKeys().end())
        throw badRequest("Unknown key " + quoted(key) + "; " + kKeyHint + ".");
    return it->second;
}

std::string chord(const std::string& key, const std::vector<std::string>& modifiers) {
    std::vector<std::string> mods;
    for (const auto& m : modifiers) {
        const std::string x = modifierOf(m);
        if (x.empty())
            throw badRequest("Unknown modifier " + quoted(m) +
                             "; the modifiers are ctrl, alt, shift and cmd.");
        if (std::find(mods.begin(), mods.end(), x) != mods.end())
            throw badRequest("The modifier " + quoted(m) + " is given twice.");
        mods.push_back(x);
    }
    std::string out;
    for (const auto& m : mods)
        out += m + "+";
    return out + keysymOf(key);
}

std::string hotkeyChord(const std::string& hotkey) {
    std::vector<std::string> parts;
    std::string part;
    for (char ch : hotkey) {
        if (ch == '+') {
            parts.push_back(part);
            part.clear();
        } else if (ch != ' ') {
            part += ch;
        }
    }
    parts.push_back(part);
    if (std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); }))
        throw badRequest("The hotkey " + quoted(hotkey) +
                         " is not modifiers and a key joined by '+' (for example \"ctrl+c\" or \"alt+f4\").");
    const std::string key = parts.back();
    parts.pop_back();
    return chord(key, parts);
}

int buttonOf(const std::string& name) {
    if (name == "left")
        return 1;
    if (name == "middle")
        return 2;
    if (name == "right")
        return 3;
    throw badRequest("Unknown mouse button " + quoted(name) + "; the buttons are left, middle and right.");
}

int requiredInt(const json& body, const char* name, int min, int max, const std::string& hint) {
    const auto it = body.find(name);
    const std::string range = "'" + std::string(name) + "' must be an integer between " +
                              std::to_string(min) + " and " + std::to_string(max) +
                              (hint.empty() ? "" : " " + hint) + ".";
    if (it == body.end() || it->is_null())
        throw badRequest(range);
    if (!it->is_number_integer())
        throw badRequest(range);
    const long long v = it->get<long long>();
    if (v < min || v > max)
        throw badRequest(range);
    return int(v);
}

int optionalInt(const json& body, const char* name, int min, int max, int fallback) {
    const auto it = body.find(name);
    if (it == body.end() || it->is_null())
        return fallback;
    return requiredInt(body, name, min, max);
}

std::string optionalString(const json& body, const char* name, const std::string& fallback) {
    const auto it = body.find(name);
    if (it == body.end() || it->is_null())
        return fallback;
    if (!it->is_string())
        throw badRequest("'" + std::string(name) + "' must be a string.");
    return it->get<std::string>();
}

bool optionalBool(const json& body, const char* name, bool fallback) {
    const auto it = body.find(name);
    if (it == body.end() || it->is_null())
        return fallback;
    if (!it->is_boolean())
        throw badRequest("'" + std::string(name) + "' must be true or false.");
    return it->get<bool>();
}

std::vector<std::string> stringList(const json& body, const char* name) {
    const auto it = body.find(name);
    if (it == body.end() || it->is_null())
        return {};
    if (!it->is_array() || !std::all_of(it->begin(), it->end(), [](const json& v) { return v.is_string(); }))
        throw badRequest("'" + std::string(name) + "' must be an array of strings.");
    return it->get<std::vector<std::string>>();
}

} // namespace cove::agent::computeruse
