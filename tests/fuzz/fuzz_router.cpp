// Router::match (service/api/Route.cpp) on any method and path, with patterns like coved's own: literal
// segments, {name} segments and a final {*rest}. A match must be explained by the path: the route's
// method, every literal segment equal to the path's segment as sent (nothing decoded or normalised, so
// "..", "%2e%2e" or "%2F" can never make a path reach a route whose prefix it does not have), each
// {name} the decoding of exactly one segment, and {*rest} the decoded remaining segments. Building the
// path again from the parameters matches the same route with the same parameters.
#include "FuzzCheck.h"

#include "service/api/Route.h"

#include <utility>
#include <vector>

using namespace cove;
using api::Route;
using verb = http::bhttp::verb;

namespace {

std::vector<std::string> segments(std::string_view p) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < p.size();) {
        if (p[i] == '/') {
            ++i;
            continue;
        }
        const auto j = std::min(p.find('/', i), p.size());
        out.emplace_back(p.substr(i, j - i));
        i = j;
    }
    return out;
}

const api::Router& router() {
    static const api::Router r = [] {
        api::Router r;
        // A sample of coved's own patterns: literal segments, {param}s and {*rest}.
        const std::pair<verb, const char*> routes[] = {
            {verb::get, "/api/sandbox"},
            {verb::post, "/api/sandbox"},
            {verb::get, "/api/sandbox/{id}"},
            {verb::delete_, "/api/sandbox/{id}"},
            {verb::post, "/api/sandbox/{id}/start"},
            {verb::post, "/api/sandbox/{id}/autostop/{interval}"},
            {verb::get, "/api/volumes/by-name/{name}"},
            {verb::get, "/api/socket.io"},
            {verb::get, "/toolbox/{id}/{*path}"},
            {verb::post, "/toolbox/{id}/{*path}"},
            {verb::put, "/api/object-storage/s3/{bucket}/{*key}"},
            {verb::get, "/api/object-storage/s3/{bucket}"},
        };
        for (const auto& [m, pattern] : routes)
            r.add(Route{m, pattern, api::Access::anyKey(), {}});
        return r;
    }();
    return r;
}

constexpr verb kMethods[] = {verb::get, verb::post, verb::put, verb::delete_, verb::patch, verb::head};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cove::fuzz::Input in(data, size);
    const verb method = kMethods[in.byte() % std::size(kMethods)];
    const std::string_view target = in.rest();
    const std::string_view path = http::pathOf(target);
    const auto m = router().match(method, path);
    if (!m.route)
        return 0;
    FUZZ_CHECK(m.route->method == method);

    const auto segs = segments(path);
    const auto pat = segments(m.route->pattern);
    const bool wildcard = !pat.empty() && pat.back().starts_with("{*");
    FUZZ_CHECK(wildcard ? segs.size() >= pat.size() - 1 : segs.size() == pat.size());
    std::string rebuilt;
    for (std::size_t i = 0; i < pat.size(); ++i) {
        const std::string& p = pat[i];
        if (p.starts_with("{*")) {
            const std::string& rest = m.params.at(p.substr(2, p.size() - 3));
            std::string expected;
            for (std::size_t k = i; k < segs.size(); ++k)
                expected += (k > i ? "/" : "") + http::percentDecode(segs[k], false);
            FUZZ_CHECK(rest == expected);
            rebuilt += "/" + http::percentEncode(rest); // one segment: its slashes escaped
        } else if (p.starts_with("{")) {
            const std::string& value = m.params.at(p.substr(1, p.size() - 2));
            FUZZ_CHECK(!value.empty());
            FUZZ_CHECK(value == http::percentDecode(segs[i], false));
            rebuilt += "/" + http::percentEncode(value);
        } else {
            FUZZ_CHECK(p == segs[i]); // literal: as sent, never decoded
            rebuilt += "/" + p;
        }
    }
    const auto again = router().match(method, rebuilt);
    FUZZ_CHECK(again.route == m.route);
    FUZZ_CHECK(again.params == m.params);
    return 0;
}
