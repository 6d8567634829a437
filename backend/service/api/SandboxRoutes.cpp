// /api/sandbox: Daytona's sandbox resource.
#include "service/api/Routes.h"

#include "service/domain/SandboxService.h"

namespace cove::api {

void addSandboxRoutes(Router& r, domain::SandboxService& s) {
    using Interval = domain::SandboxService::Interval;
    using D = RouteDoc;
    const Access write = Access::scoped(kWriteSandboxes);
    r.add(asyncRoute(
              verb::post, "/api/sandbox", write,
              [&s](RequestContext& c, const Caller& who) { return s.create(c.jsonBody(), who); },
              {"create", "sandbox", ""}, RateClass::Create),
          {.summary = "Create a sandbox",
           .reply = "Sandbox",
           .request = "CreateSandbox",
           .description =
               "Answers at once with the sandbox in `creating` (or `started` from the warm pool, "
               "`pending_build` while its image builds); follow its state with GET or the events."});
    // The list is written as JSON text, not built as a json tree first.
    r.add(
        Route{verb::get, "/api/sandbox", Access::anyKey(),
              [&s](RequestContext& c) -> awaitable<http::Response> {
                  const Caller caller = c.caller();
                  co_return http::jsonTextResponse(c.req, 200, s.list(caller, c.listQuery()));
              }},
        {.summary = "List sandboxes, a page at a time",
         .reply = "SandboxList",
         .query = {{"cursor", "string", "`nextCursor` of the previous page"},
                   {"limit", "integer", "items per page, 1 to 1000 (100)"},
                   {"id", "string", "id prefix"},
                   {"name", "string", "name prefix"},
                   {"labels", "string", "a JSON object of labels every sandbox listed has"},
                   {"states", "string[]", "states to list (repeat the key)"},
                   {"snapshots", "string[]", "snapshots to list (repeat the key)"},
                   {"minCpu", "integer"},
                   {"maxCpu", "integer"},
                   {"minMemoryGiB", "integer"},
                   {"maxMemoryGiB", "integer"},
                   {"minDiskGiB", "integer"},
                   {"maxDiskGiB", "integer"},
                   {"createdAtAfter", "date-time"},
                   {"createdAtBefore", "date-time"},
                   {"lastEventAfter", "date-time"},
                   {"lastEventBefore", "date-time"},
                   {"isPublic", "boolean"},
                   {"includeErroredDeleted", "boolean", "also sandboxes whose deletion failed"},
                   {"sort", "string", "name, cpu, memoryGib, diskGib, lastActivityAt or createdAt (default)"},
                   {"order", "string", "asc or desc (default)"}}});
    r.add(syncRoute(verb::get, "/api/sandbox/{id}", Access::anyKey(),
                    [&s](RequestContext& c, const Caller& who) { return s.get(c.param("id"), who); }),
          {.summary = "Get a sandbox by id or name", .reply = "Sandbox"});
    r.add(asyncRoute(
              verb::delete_, "/api/sandbox/{id}", Access::scoped(kDeleteSandboxes),
              [&s](RequestContext& c, const Caller& who) { return s.remove(c.param("id"), who); },
              {"delete", "sandbox", "id"}, RateClass::Lifecycle),
          {.summary = "Delete a sandbox", .reply = "Sandbox", .request = D::kNoBody});
    r.add(asyncRoute(
              verb::post, "/api/sandbox/{id}/start", write,
              [&s](RequestContext& c, const Caller& who) { return s.start(c.param("id"), who); },
              {"start", "sandbox", "id"}, RateClass::Lifecycle),
          {.summary = "Start a stopped or archived sandbox, or resume a paused one",
           .reply = "Sandbox",
           .request = D::kNoBody});
    r.add(asyncRoute(
              verb::post, "/api/sandbox/{id}/stop", write,
              [&s](RequestContext& c, const Caller& who) {
                  return s.stop(c.param("id"), c.queryValue("force").value_or("false") == "true", who);
              },
              {"stop", "sandbox", "id"}, RateClass::Lifecycle),
          {.summary = "Stop a sandbox",
           .reply = "Sandbox",
           .request = D::kNoBody,
           .query = {{"force", "boolean", "kill at once instead of a graceful stop"}}});
    r.add(asyncRoute(
              verb::post, "/api/sandbox/{id}/archive", write,
              [&s](RequestContext& c, const Caller& who) { return s.archive(c.param("id"), who); },
              {"archive", "sandbox", "id"}, RateClass::Lifecycle),
          {.summary = "Archive a stopped sandbox: its filesystem to a file, its container removed",
           .reply = "Sandbox",
           .request = D::kNoBody});
    r.add(asyncRoute(
              verb::post, "/api/sandbox/{id}/recover", write,
              [&s](RequestContext& c, const Caller& who) { return s.recover(c.param("id"), who); },
              {"recover", "sandbox", "id"}, RateClass::Lifecycle),
          {.summary = "Recover a sandbox in error", .reply = "Sandbox", .request = D::kNoBody});
    r.add(asyncRoute(
              verb::post, "/api/sandbox/{id}/pause", write,
              [&s](RequestContext& c, const Caller& who) { return s.pause(c.param("id"), who); },
              {"pause", "sandbox", "id"}, RateClass::Lifecycle),
          {.summary = "Pause a started sandbox (cgroup freezer); start resumes it",
           .reply = "Sandbox",
           .request = D::kNoBody});
    r.add(asyncRoute(
              verb::post, "/api/sandbox/{id}/fork", write,
              [&s](RequestContext& c, const Caller& who) { return s.fork(c.param("id"), c.jsonBody(), who); },
              {"fork", "sandbox", "id"}, RateClass::Create),
          {.summary = "Fork a sandbox: a new started sandbox with a copy of its files",
           .reply = "Sandbox",
           .request = "ForkSandbox"});
    r.add(syncRoute(verb::get, "/api/sandbox/{id}/forks", Access::anyKey(),
                    [&s](RequestContext& c, const Caller& who) {
                        return s.forks(c.param("id"), c.queryValue("includeDestroyed").value_or("") == "true",
                                       who);
                    }),
          {.summary = "The sandboxes forked from this one",
           .reply = "Sandbox[]",
           .query = {{"includeDestroyed", "boolean"}}});
    r.add(syncRoute(verb::get, "/api/sandbox/{id}/parent", Access::anyKey(),
                    [&s](RequestContext& c, const Caller& who) { return s.parent(c.param("id"), who); }),
          {.summary = "The sandbox this one was forked from", .reply = "Sandbox"});
    r.add(
        syncRoute(verb::get, "/api/sandbox/{id}/ancestors", Access::anyKey(),
                  [&s](RequestContext& c, const Caller& who) { return s.ancestors(c.param("id"), who); }),
        {.summary = "The chain of sandboxes this one was forked from, nearest first", .reply = "Sandbox[]"});
    r.add(asyncRoute(
              verb::post, "/api/sandbox/{id}/backup", write,
              [&s](RequestContext& c, const Caller& who) { return s.backup(c.param("id"), who); },
              {"create_backup", "sandbox", "id"}, RateClass::Lifecycle),
          {.summary = "Make the checkpoint named backup again", .reply = "Sandbox", .request = D::kNoBody});
    // Cove's checkpoints (beyond Daytona's API).
    r.add(syncRoute(
              verb::get, "/api/sandbox/{id}/checkpoints", Access::anyKey(),
              [&s](RequestContext& c, const Caller& who) { return s.listCheckpoints(c.param("id"), who); }),
          {.summary = "List a sandbox's checkpoints (Cove)", .reply = "Checkpoint[]"});
    r.add(asyncRoute(
              verb::post, "/api/sandbox/{id}/checkpoints", write,
              [&s](RequestContext& c, const Caller& who) {
                  return s.createCheckpoint(c.param("id"), c.jsonBody(), who);
              },
              {"create_checkpoint", "sandbox", "id"}, RateClass::Lifecycle),
          {.summary = "Save a checkpoint of a sandbox's files (Cove)",
           .reply = "Checkpoint",
           .request = "CreateCheckpoint"});
    r.add(asyncRoute(
              verb::post, "/api/sandbox/{id}/checkpoints/{checkpoint}/rollback", write,
              [&s](RequestContext& c, const Caller& who) {
                  return s.rollback(c.param("id"), c.param("checkpoint"), who);
              },
              {"rollback_checkpoint", "sandbox", "id"}, RateClass::Lifecycle),
          {.summary = "Put a checkpoint's files back (Cove)", .reply = "Sandbox", .request = D::kNoBody});
    r.add(asyncRoute(
              verb::delete_, "/api/sandbox/{id}/checkpoints/{checkpoint}", write,
              [&s](RequestContext& c, const Caller& who) {
                  return s.deleteCheckpoint(c.param("id"), c.param("checkpoint"), who);
              },
              {"delete_checkpoint", "sandbox", "id"}, RateClass::Lifecycle),
          {.summary = "Delete a checkpoint (Cove)", .reply = D::kEmpty, .request = D::kNoBody});
    r.add(syncRoute(verb::post, "/api/sandbox/{id}/ttl/{minutes}", write,
                    [&s](RequestContext& c, const Caller& who) {
                        return s.setTtl(c.param("id"), c.param("minutes"), who);
                    },
                    {"set_ttl", "sandbox", "id"}),
          {.summary = "Destroy the sandbox this many minutes from now (0: never)",
           .reply = "Sandbox",
           .request = D::kNoBody});
    r.add(
        asyncRoute(
            verb::post, "/api/sandbox/{id}/resize", write,
            [&s](RequestContext& c, const Caller& who) { return s.resize(c.param("id"), c.jsonBody(), who); },
            {"update", "sandbox", "id"}, RateClass::Lifecycle),
        {.summary = "Change CPU, memory or (growing only) disk",
         .reply = "Sandbox",
         .request = "ResizeSandbox"});
    r.add(syncRoute(verb::put, "/api/sandbox/{id}/labels", write,
                    [&s](RequestContext& c, const Caller& who) {
                        return s.replaceLabels(c.param("id"), c.jsonBody(), who);
                    },
                    {"replace_labels", "sandbox", "id"}),
          {.summary = "Replace a sandbox's labels", .reply = "Labels", .request = "Labels"});
    r.add(syncRoute(verb::post, "/api/sandbox/{id}/public/{isPublic}", write,
                    [&s](RequestContext& c, const Caller& who) {
                        return s.setPublic(c.param("id"), c.param("isPublic"), who);
                    },
                    {"update_public_status", "sandbox", "id"}),
          {.summary = "Make previews public (true) or private (false)",
           .reply = "Sandbox",
           .request = D::kNoBody});
    r.add(syncRoute(verb::post, "/api/sandbox/{id}/network-settings", write,
                    [&s](RequestContext& c, const Caller& who) {
                        return s.updateNetworkSettings(c.param("id"), c.jsonBody(), who);
                    },
                    {"update_network_settings", "sandbox", "id"}),
          {.summary = "Change the egress policy of a sandbox, live",
           .reply = "Sandbox",
           .request = "NetworkSettings"});
    struct IntervalRoute {
        const char* segment;
        Interval which;
        const char* action;
        const char* summary;
    };
    for (const auto& [segment, which, action, summary] :
         {IntervalRoute{"autostop", Interval::AutoStop, "set_auto_stop_interval",
                        "Stop the sandbox after this many idle minutes (0: never)"},
          IntervalRoute{"autoarchive", Interval::AutoArchive, "set_auto_archive_interval",
                        "Archive the sandbox after this many minutes stopped (0: the longest)"},
          IntervalRoute{"autodelete", Interval::AutoDelete, "set_auto_delete_interval",
                        "Delete the sandbox this many minutes after it stops (-1: never, 0: at once)"},
          IntervalRoute{"autopause", Interval::AutoPause, "set_auto_pause_interval",
                        "Pause the sandbox after this many idle minutes (0: never)"}}) {
        r.add(syncRoute(verb::post, std::string("/api/sandbox/{id}/") + segment + "/{interval}", write,
                        [&s, which](RequestContext& c, const Caller& who) {
                            return s.setInterval(c.param("id"), which, c.param("interval"), who);
                        },
                        {action, "sandbox", "id"}),
              {.summary = summary, .reply = "Sandbox", .request = D::kNoBody});
    }
    r.add(syncRoute(verb::post, "/api/sandbox/{id}/last-activity", write,
                    [&s](RequestContext& c, const Caller& who) {
                        s.touch(c.param("id"), who);
                        return json::object();
                    },
                    {"update", "sandbox", "id"}),
          {.summary = "Count now as activity (delays auto-stop)", .reply = D::kEmpty, .request = D::kNoBody});
    r.add(syncRoute(verb::get, "/api/sandbox/{id}/ports/{port}/preview-url", Access::anyKey(),
                    [&s](RequestContext& c, const Caller& who) {
                        return s.previewUrl(c.param("id"), c.param("port"), who);
                    },
                    {"get_port_preview_url", "sandbox", "id"}),
          {.summary = "The preview address of a port and its token", .reply = "PreviewUrl"});
    r.add(syncRoute(verb::get, "/api/sandbox/{id}/ports/{port}/signed-preview-url", Access::anyKey(),
                    [&s](RequestContext& c, const Caller& who) {
                        return s.signedPreviewUrl(c.param("id"), c.param("port"),
                                                  c.queryValue("expiresInSeconds").value_or(""), who);
                    },
                    {"get_port_preview_url", "sandbox", "id"}),
          {.summary = "A signed preview address of a port",
           .reply = "SignedPreviewUrl",
           .query = {{"expiresInSeconds", "integer", "1 to 86400 (60)"}}});
    r.add(syncRoute(verb::post, "/api/sandbox/{id}/ports/{port}/signed-preview-url/{token}/expire", write,
                    [&s](RequestContext& c, const Caller& who) {
                        s.expireSignedPreviewUrl(c.param("id"), c.param("port"), c.param("token"), who);
                        return json::object();
                    },
                    {"update", "sandbox", "id"}),
          {.summary = "Revoke a signed preview address", .reply = D::kEmpty, .request = D::kNoBody});
    r.add(syncRoute(
              verb::get, "/api/sandbox/{id}/signing-key", Access::scoped(kWriteSandboxes),
              [&s](RequestContext& c, const Caller& who) { return s.signingKey(c.param("id"), who, false); }),
          {.summary = "The key that signs download and upload URLs", .reply = "SigningKey"});
    r.add(syncRoute(
              verb::post, "/api/sandbox/{id}/signing-key/rotate", write,
              [&s](RequestContext& c, const Caller& who) { return s.signingKey(c.param("id"), who, true); },
              {"update", "sandbox", "id"}),
          {.summary = "A new signing key: every signed URL and preview token made before stops working",
           .reply = "SigningKey",
           .request = D::kNoBody});
    r.add(syncRoute(
              verb::get, "/api/sandbox/{id}/toolbox-proxy-url", Access::anyKey(),
              [&s](RequestContext& c, const Caller& who) { return s.toolboxProxyUrl(c.param("id"), who); }),
          {.summary = "The base address of the sandbox's toolbox", .reply = "Url"});
}

} // namespace cove::api
