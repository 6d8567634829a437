// /api/sandbox: Daytona's sandbox resource.
#include "service/api/Routes.h"

#include "service/domain/SandboxService.h"

namespace cove::api {

using bhttp = http::bhttp::verb;

void addSandboxRoutes(Router& r, domain::SandboxService& s) {
    using Interval = domain::SandboxService::Interval;
    const Access write = Access::scoped(kWriteSandboxes);
    r.add(asyncRoute(
        bhttp::post, "/api/sandbox", write,
        [&s](RequestContext& c, const Caller& who) { return s.create(c.jsonBody(), who); },
        {"create", "sandbox", ""}, RateClass::Create));
    r.add(syncRoute(bhttp::get, "/api/sandbox", Access::anyKey(),
                    [&s](RequestContext& c, const Caller& who) { return s.list(who, c.listQuery()); }));
    r.add(syncRoute(bhttp::get, "/api/sandbox/{id}", Access::anyKey(),
                    [&s](RequestContext& c, const Caller& who) { return s.get(c.param("id"), who); }));
    r.add(asyncRoute(
        bhttp::delete_, "/api/sandbox/{id}", Access::scoped(kDeleteSandboxes),
        [&s](RequestContext& c, const Caller& who) { return s.remove(c.param("id"), who); },
        {"delete", "sandbox", "id"}, RateClass::Lifecycle));
    r.add(asyncRoute(
        bhttp::post, "/api/sandbox/{id}/start", write,
        [&s](RequestContext& c, const Caller& who) { return s.start(c.param("id"), who); },
        {"start", "sandbox", "id"}, RateClass::Lifecycle));
    r.add(asyncRoute(
        bhttp::post, "/api/sandbox/{id}/stop", write,
        [&s](RequestContext& c, const Caller& who) {
            return s.stop(c.param("id"), c.queryValue("force").value_or("false") == "true", who);
        },
        {"stop", "sandbox", "id"}, RateClass::Lifecycle));
    r.add(asyncRoute(
        bhttp::post, "/api/sandbox/{id}/archive", write,
        [&s](RequestContext& c, const Caller& who) { return s.archive(c.param("id"), who); },
        {"archive", "sandbox", "id"}, RateClass::Lifecycle));
    r.add(asyncRoute(
        bhttp::post, "/api/sandbox/{id}/recover", write,
        [&s](RequestContext& c, const Caller& who) { return s.recover(c.param("id"), who); },
        {"recover", "sandbox", "id"}, RateClass::Lifecycle));
    r.add(asyncRoute(
        bhttp::post, "/api/sandbox/{id}/pause", write,
        [&s](RequestContext& c, const Caller& who) { return s.pause(c.param("id"), who); },
        {"pause", "sandbox", "id"}, RateClass::Lifecycle));
    r.add(asyncRoute(
        bhttp::post, "/api/sandbox/{id}/fork", write,
        [&s](RequestContext& c, const Caller& who) { return s.fork(c.param("id"), c.jsonBody(), who); },
        {"fork", "sandbox", "id"}, RateClass::Create));
    r.add(syncRoute(
        bhttp::get, "/api/sandbox/{id}/forks", Access::anyKey(), [&s](RequestContext& c, const Caller& who) {
            return s.forks(c.param("id"), c.queryValue("includeDestroyed").value_or("") == "true", who);
        }));
    r.add(syncRoute(bhttp::get, "/api/sandbox/{id}/parent", Access::anyKey(),
                    [&s](RequestContext& c, const Caller& who) { return s.parent(c.param("id"), who); }));
    r.add(syncRoute(bhttp::get, "/api/sandbox/{id}/ancestors", Access::anyKey(),
                    [&s](RequestContext& c, const Caller& who) { return s.ancestors(c.param("id"), who); }));
    r.add(asyncRoute(
        bhttp::post, "/api/sandbox/{id}/backup", write,
        [&s](RequestContext& c, const Caller& who) { return s.backup(c.param("id"), who); },
        {"create_backup", "sandbox", "id"}, RateClass::Lifecycle));
    // Cove's checkpoints (beyond Daytona's API).
    r.add(syncRoute(
        bhttp::get, "/api/sandbox/{id}/checkpoints", Access::anyKey(),
        [&s](RequestContext& c, const Caller& who) { return s.listCheckpoints(c.param("id"), who); }));
    r.add(asyncRoute(
        bhttp::post, "/api/sandbox/{id}/checkpoints", write,
        [&s](RequestContext& c, const Caller& who) {
            return s.createCheckpoint(c.param("id"), c.jsonBody(), who);
        },
        {"create_checkpoint", "sandbox", "id"}, RateClass::Lifecycle));
    r.add(asyncRoute(
        bhttp::post, "/api/sandbox/{id}/checkpoints/{checkpoint}/rollback", write,
        [&s](RequestContext& c, const Caller& who) {
            return s.rollback(c.param("id"), c.param("checkpoint"), who);
        },
        {"rollback_checkpoint", "sandbox", "id"}, RateClass::Lifecycle));
    r.add(asyncRoute(
        bhttp::delete_, "/api/sandbox/{id}/checkpoints/{checkpoint}", write,
        [&s](RequestContext& c, const Caller& who) {
            return s.deleteCheckpoint(c.param("id"), c.param("checkpoint"), who);
        },
        {"delete_checkpoint", "sandbox", "id"}, RateClass::Lifecycle));
    r.add(syncRoute(bhttp::post, "/api/sandbox/{id}/ttl/{minutes}", write,
                    [&s](RequestContext& c, const Caller& who) {
                        return s.setTtl(c.param("id"), c.param("minutes"), who);
                    },
                    {"set_ttl", "sandbox", "id"}));
    r.add(asyncRoute(
        bhttp::post, "/api/sandbox/{id}/resize", write,
        [&s](RequestContext& c, const Caller& who) { return s.resize(c.param("id"), c.jsonBody(), who); },
        {"update", "sandbox", "id"}, RateClass::Lifecycle));
    r.add(syncRoute(bhttp::put, "/api/sandbox/{id}/labels", write,
                    [&s](RequestContext& c, const Caller& who) {
                        return s.replaceLabels(c.param("id"), c.jsonBody(), who);
                    },
                    {"replace_labels", "sandbox", "id"}));
    r.add(syncRoute(bhttp::post, "/api/sandbox/{id}/public/{isPublic}", write,
                    [&s](RequestContext& c, const Caller& who) {
                        return s.setPublic(c.param("id"), c.param("isPublic"), who);
                    },
                    {"update_public_status", "sandbox", "id"}));
    r.add(syncRoute(bhttp::post, "/api/sandbox/{id}/network-settings", write,
                    [&s](RequestContext& c, const Caller& who) {
                        return s.updateNetworkSettings(c.param("id"), c.jsonBody(), who);
                    },
                    {"update_network_settings", "sandbox", "id"}));
    struct IntervalRoute {
        const char* segment;
        Interval which;
        const char* action;
    };
    for (const auto& [segment, which, action] :
         {IntervalRoute{"autostop", Interval::AutoStop, "set_auto_stop_interval"},
          IntervalRoute{"autoarchive", Interval::AutoArchive, "set_auto_archive_interval"},
          IntervalRoute{"autodelete", Interval::AutoDelete, "set_auto_delete_interval"},
          IntervalRoute{"autopause", Interval::AutoPause, "set_auto_pause_interval"}}) {
        r.add(syncRoute(bhttp::post, std::string("/api/sandbox/{id}/") + segment + "/{interval}", write,
                        [&s, which](RequestContext& c, const Caller& who) {
                            return s.setInterval(c.param("id"), which, c.param("interval"), who);
                        },
                        {action, "sandbox", "id"}));
    }
    r.add(syncRoute(bhttp::post, "/api/sandbox/{id}/last-activity", write,
                    [&s](RequestContext& c, const Caller& who) {
                        s.touch(c.param("id"), who);
                        return json::object();
                    },
                    {"update", "sandbox", "id"}));
    r.add(syncRoute(bhttp::get, "/api/sandbox/{id}/ports/{port}/preview-url", Access::anyKey(),
                    [&s](RequestContext& c, const Caller& who) {
                        return s.previewUrl(c.param("id"), c.param("port"), who);
                    },
                    {"get_port_preview_url", "sandbox", "id"}));
    r.add(syncRoute(bhttp::get, "/api/sandbox/{id}/ports/{port}/signed-preview-url", Access::anyKey(),
                    [&s](RequestContext& c, const Caller& who) {
                        return s.signedPreviewUrl(c.param("id"), c.param("port"),
                                                  c.queryValue("expiresInSeconds").value_or(""), who);
                    },
                    {"get_port_preview_url", "sandbox", "id"}));
    r.add(syncRoute(bhttp::post, "/api/sandbox/{id}/ports/{port}/signed-preview-url/{token}/expire", write,
                    [&s](RequestContext& c, const Caller& who) {
                        s.expireSignedPreviewUrl(c.param("id"), c.param("port"), c.param("token"), who);
                        return json::object();
                    },
                    {"update", "sandbox", "id"}));
    r.add(syncRoute(
        bhttp::get, "/api/sandbox/{id}/signing-key", Access::scoped(kWriteSandboxes),
        [&s](RequestContext& c, const Caller& who) { return s.signingKey(c.param("id"), who, false); }));
    r.add(syncRoute(
        bhttp::post, "/api/sandbox/{id}/signing-key/rotate", write,
        [&s](RequestContext& c, const Caller& who) { return s.signingKey(c.param("id"), who, true); },
        {"update", "sandbox", "id"}));
    r.add(syncRoute(
        bhttp::get, "/api/sandbox/{id}/toolbox-proxy-url", Access::anyKey(),
        [&s](RequestContext& c, const Caller& who) { return s.toolboxProxyUrl(c.param("id"), who); }));
}

} // namespace cove::api
