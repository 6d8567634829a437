// The /files routes that fit in one request and one answer; uploads and downloads stream (Transfer.cpp).
#include "agent/Routes.h"
#include "agent/fs/Files.h"

namespace cove::agent {

using http::bhttp::verb;
using nlohmann::json;

void addFileRoutes(Routes& r, Toolbox& t) {
    const UserInfo& u = t.config.user;
    r.addSync(verb::get, "/files", [&t, &u](const Call& c) {
        const std::string depthText = c.queryValue("depth").value_or("1");
        char* end = nullptr;
        const long depth = std::strtol(depthText.c_str(), &end, 10);
        if (*end || depth < 1 || depth > 64)
            throw badRequest("'depth' must be a whole number from 1 to 64.");
        return c.json(200, fs::list(u, t.resolve(c.queryValue("path").value_or("")), int(depth)));
    });
    r.addSync(verb::get, "/files/info", [&t, &u](const Call& c) {
        return c.json(200, fs::info(u, t.resolve(c.requireQuery("path"))));
    });
    r.addSync(verb::post, "/files/folder", [&t, &u](const Call& c) {
        fs::createFolder(u, t.resolve(c.requireQuery("path")), c.queryValue("mode").value_or(""));
        return c.json(201, json::object());
    });
    r.addSync(verb::delete_, "/files", [&t, &u](const Call& c) {
        fs::remove(u, t.resolve(c.requireQuery("path")), c.queryValue("recursive").value_or("") == "true");
        return c.empty(204);
    });
    r.addSync(verb::post, "/files/move", [&t, &u](const Call& c) {
        fs::move(u, t.resolve(c.requireQuery("source")), t.resolve(c.requireQuery("destination")));
        return c.json(200, json::object());
    });
    r.addSync(verb::post, "/files/permissions", [&t, &u](const Call& c) {
        fs::setPermissions(u, t.resolve(c.requireQuery("path")), c.queryValue("owner").value_or(""),
                           c.queryValue("group").value_or(""), c.queryValue("mode").value_or(""));
        return c.json(200, json::object());
    });
    r.addSync(verb::get, "/files/find", [&t, &u](const Call& c) {
        return c.json(200, fs::find(u, t.resolve(c.requireQuery("path")), c.requireQuery("pattern")));
    });
    r.addSync(verb::get, "/files/search", [&t, &u](const Call& c) {
        return c.json(200, fs::search(u, t.resolve(c.requireQuery("path")), c.requireQuery("pattern")));
    });
    r.addSync(verb::post, "/files/replace", [&t, &u](const Call& c) {
        const json body = c.jsonBody();
        if (!body.is_object() || !body.value("pattern", json()).is_string() ||
            !body.value("newValue", json()).is_string())
            throw apiError(400, "The body must be {files: [paths], pattern, newValue}.", code::kInvalidBody);
        json files = json::array();
        for (const auto& f : body.value("files", json::array()))
            files.push_back(f.is_string() ? json(t.resolve(f.get<std::string>())) : f);
        return c.json(200, fs::replace(u, files, body["pattern"].get<std::string>(),
                                       body["newValue"].get<std::string>()));
    });
}

} // namespace cove::agent
