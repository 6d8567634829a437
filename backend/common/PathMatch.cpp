// Route pattern matching.
#include "common/PathMatch.h"

#include "common/Url.h"

namespace cove::http {

std::vector<std::string_view> splitPath(std::string_view p) {
    std::vector<std::string_view> out;
    while (!p.empty()) {
        if (p.front() == '/') {
            p.remove_prefix(1);
            continue;
        }
        const auto slash = p.find('/');
        out.push_back(p.substr(0, slash));
        p = slash == std::string_view::npos ? std::string_view() : p.substr(slash);
    }
    return out;
}

bool matchPath(const std::vector<std::string_view>& segs, std::string_view pattern,
               std::map<std::string, std::string>& params) {
    const auto pat = splitPath(pattern);
    std::map<std::string, std::string> found;
    for (std::size_t i = 0; i < pat.size(); ++i) {
        const std::string_view p = pat[i];
        const bool named = p.size() > 2 && p.front() == '{' && p.back() == '}';
        if (named && p[1] == '*' && i + 1 == pat.size()) {
            std::string rest;
            for (std::size_t k = i; k < segs.size(); ++k)
                rest += (k > i ? "/" : "") + percentDecode(segs[k], false);
            found[std::string(p.substr(2, p.size() - 3))] = std::move(rest);
            params = std::move(found);
            return true;
        }
        if (i >= segs.size())
            return false;
        if (named)
            found[std::string(p.substr(1, p.size() - 2))] = percentDecode(segs[i], false);
        else if (p != segs[i])
            return false;
    }
    if (segs.size() != pat.size())
        return false;
    params = std::move(found);
    return true;
}

} // namespace cove::http
