// Small toolbox routes about the sandbox itself: version, directories, the environment.
#include "agent/Routes.h"
#include "cove/Version.h"

namespace cove::agent {

using http::bhttp::verb;

void addInfoRoutes(Routes& r, Toolbox& t) {
    r.addSync(verb::get, "/version", [](const Call& c) { return c.json(200, {{"version", kVersion}}); });
    r.addSync(verb::get, "/user-home-dir", [&t](const Call& c) {
        return c.json(200, {{"dir", t.config.user.home}});
    });
    r.addSync(verb::get, "/work-dir", [&t](const Call& c) {
        return c.json(200, {{"dir", t.config.workDir}});
    });

    r.addSync(verb::get, "/env", [&t](const Call& c) { return c.json(200, t.env.current()); });
    r.addSync(verb::post, "/env", [&t](const Call& c) {
        if (auto err = t.env.update(c.jsonBody()))
            throw apiError(400, *err, code::kInvalidBody);
        return c.json(200, t.env.current());
    });
}

} // namespace cove::agent
