// Rebuilds the helper's answer field by field instead of passing it on: bounded sizes, depth and
// counts, strings cut at a character boundary, and nodes without a well-formed id left out.
#include "agent/computeruse/A11yOutput.h"

#include "common/ApiError.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <optional>

namespace cove::agent::computeruse {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxIdLength = 256;
constexpr std::size_t kMaxShortText = 64; // a role, a state, an action name
constexpr std::size_t kMaxMessage = 500;
constexpr long long kMaxCoordinate = 1'000'000;
// JSON nesting a well-formed answer can reach: an object and a children array per level, plus the
// node's own fields.
constexpr int kMaxJsonDepth = 2 * kMaxA11yDepth + 8;

ApiError malformed(const std::string& why) {
    return ApiError{500, "The accessibility helper gave a malformed answer (" + why + ").",
                    "INTERNAL_SERVER_ERROR"};
}

// Cut to at most `limit` bytes without splitting a UTF-8 character (the parser has checked the encoding).
std::string cut(const std::string& s, std::size_t limit) {
    if (s.size() <= limit)
        return s;
    std::size_t n = limit;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
        --n;
    return s.substr(0, n);
}

std::string text(const json& o, const char* key, std::size_t limit) {
    const auto it = o.find(key);
    return it != o.end() && it->is_string() ? cut(it->get_ref<const std::string&>(), limit) : std::string();
}

json list(const json& o, const char* key) {
    json out = json::array();
    const auto it = o.find(key);
    if (it == o.end() || !it->is_array())
        return out;
    for (const auto& v : *it) {
        if (out.size() >= kMaxA11yList)
            break;
        if (v.is_string() && !v.get_ref<const std::string&>().empty())
            out.push_back(cut(v.get_ref<const std::string&>(), kMaxShortText));
    }
    return out;
}

struct Walk {
    int count = 0;
    bool truncated = false;

    std::optional<json> node(const json& in, int depth, bool withChildren) {
        if (!in.is_object())
            return std::nullopt;
        const auto id = in.find("id");
        if (id == in.end() || !id->is_string() || !validA11yNodeId(id->get_ref<const std::string&>()))
            return std::nullopt;
        if (count >= kMaxA11yNodes) {
            truncated = true;
            return std::nullopt;
        }
        ++count;
        json out{{"id", *id},
                 {"role", text(in, "role", kMaxShortText)},
                 {"name", text(in, "name", kMaxA11yText)},
                 {"description", text(in, "description", kMaxA11yText)},
                 {"states", list(in, "states")},
                 {"actions", list(in, "actions")}};
        if (const auto b = in.find("bounds"); b != in.end() && b->is_object()) {
            json bounds = json::object();
            for (const char* k : {"x", "y", "width", "height"}) {
                const auto v = b->find(k);
                if (v != b->end() && v->is_number_integer())
                    bounds[k] = std::clamp(v->get<long long>(), -kMaxCoordinate, kMaxCoordinate);
            }
            if (bounds.size() == 4)
                out["bounds"] = bounds;
        }
        const auto kids = in.find("children");
        if (!withChildren || kids == in.end() || !kids->is_array())
            return out;
        json children = json::array();
        if (depth >= kMaxA11yDepth) {
            truncated = truncated || !kids->empty();
        } else {
            for (const auto& k : *kids)
                if (auto child = node(k, depth + 1, true))
                    children.push_back(std::move(*child));
        }
        out["children"] = std::move(children);
        return out;
    }
};

} // namespace

bool validA11yNodeId(std::string_view id) {
    if (id.empty() || id.size() > kMaxIdLength)
        return false;
    // The bus name: a unique one (":1.23") or a well-known one ("org.a11y.atspi.Registry").
    std::size_t i = 0;
    if (id[0] == ':') {
        i = 1;
        while (i < id.size() && ((id[i] >= '0' && id[i] <= '9') || id[i] == '.'))
            ++i;
        if (i == 1)
            return false;
    } else {
        while (i < id.size() &&
               (std::isalnum(static_cast<unsigned char>(id[i])) || id[i] == '.' || id[i] == '_'))
            ++i;
        if (i == 0)
            return false;
    }
    if (i + 1 >= id.size() || id[i] != ':' || id[i + 1] != '/')
        return false;
    // The object path: D-Bus's own alphabet, no empty element.
    for (std::size_t j = i + 1; j < id.size(); ++j) {
        const char c = id[j];
        if (c == '/') {
            if (j + 1 == id.size() || id[j + 1] == '/')
                return false;
        } else if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
            return false;
        }
    }
    return true;
}

json parseA11yOutput(std::string_view bytes, A11yAnswer kind) {
    if (bytes.size() > kMaxA11yOutput)
        throw malformed("more than " + std::to_string(kMaxA11yOutput >> 20) + " MiB");
    bool tooDeep = false;
    const json::parser_callback_t depthGuard = [&](int depth, json::parse_event_t, json&) {
        if (depth > kMaxJsonDepth)
            tooDeep = true;
        return !tooDeep;
    };
    const json in = json::parse(bytes.begin(), bytes.end(), depthGuard, false);
    if (tooDeep)
        throw malformed("nested too deeply");
    if (in.is_discarded() || !in.is_object())
        throw malformed("not a JSON object");

    if (const auto err = in.find("error"); err != in.end()) {
        const std::string what = err->is_string() ? err->get<std::string>() : std::string();
        std::string message = text(in, "message", kMaxMessage);
        if (message.empty())
            message = "The accessibility helper failed.";
        const int status = what == "notfound"                              ? 404
                           : what == "unsupported" || what == "badrequest" ? 400
                           : what == "unavailable"                         ? 503
                                                                           : 500;
        const char* code = status == 404   ? "NOT_FOUND"
                           : status == 400 ? "BAD_REQUEST"
                           : status == 503 ? "SERVICE_UNAVAILABLE"
                                           : "INTERNAL_SERVER_ERROR";
        throw ApiError{status, message, code};
    }

    Walk walk;
    const auto flag = in.find("truncated");
    const bool saidTruncated = flag != in.end() && flag->is_boolean() && flag->get<bool>();
    switch (kind) {
    case A11yAnswer::Tree: {
        const auto root = in.find("root");
        if (root == in.end())
            throw malformed("no root");
        auto node = walk.node(*root, 0, true);
        if (!node)
            throw malformed("the root is not a node with an id");
        return {{"root", std::move(*node)}, {"truncated", saidTruncated || walk.truncated}};
    }
    case A11yAnswer::Find: {
        const auto matches = in.find("matches");
        if (matches == in.end() || !matches->is_array())
            throw malformed("no matches");
        json out = json::array();
        for (const auto& m : *matches)
            if (auto node = walk.node(m, 0, false))
                out.push_back(std::move(*node));
        return {{"matches", std::move(out)}, {"truncated", saidTruncated || walk.truncated}};
    }
    case A11yAnswer::Done:
        if (const auto ok = in.find("ok"); ok == in.end() || !ok->is_boolean() || !ok->get<bool>())
            throw malformed("no ok");
        return json::object();
    }
    throw malformed("unknown answer");
}

} // namespace cove::agent::computeruse
