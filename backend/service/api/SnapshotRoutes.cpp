// /api/snapshots: Daytona's snapshot resource; POST /api/sandbox/{id}/snapshot; and the build logs of
// snapshots and of sandboxes built from an image, plain or followed (chunked, until the build ends).
#include "service/api/Routes.h"

#include "service/domain/SandboxService.h"
#include "service/domain/Snapshots.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <fstream>
#include <sstream>

namespace cove::api {

namespace asio = boost::asio;

namespace {

// Reads what the log holds past `offset`.
std::string readFrom(const std::string& path, std::uint64_t offset) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return {};
    in.seekg(static_cast<std::streamoff>(offset));
    std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return out;
}

awaitable<bool> writeAll(asio::ip::tcp::socket& socket, std::string data) {
    auto [ec, n] =
        co_await asio::async_write(socket, asio::buffer(data), asio::as_tuple(asio::use_awaitable));
    (void)n;
    co_return !ec;
}

// The log as one chunked text answer; with follow=true it goes on while the snapshot's work is queued
// or running, and ends with it.
awaitable<http::Response> streamLog(domain::Snapshots& s, RequestContext& c, std::string snapshotId) {
    const bool follow = c.queryValue("follow").value_or("false") == "true";
    const std::string path = s.logPath(snapshotId);
    Tunnel& t = *c.tunnel;
    t.streamed = true;
    std::string head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    bool open = co_await writeAll(*t.client, std::move(head));
    std::uint64_t offset = 0;
    while (open) {
        // Looked at before reading: whatever is written after the read wakes the wait below.
        const std::uint64_t seen = s.logVersion();
        const bool more = follow && s.inProgress(snapshotId);
        const std::string data = readFrom(path, offset);
        offset += data.size();
        if (!data.empty()) {
            std::ostringstream chunk;
            chunk << std::hex << data.size() << "\r\n" << data << "\r\n";
            std::string framed = chunk.str();
            open = co_await writeAll(*t.client, std::move(framed));
        }
        if (!more)
            break;
        co_await s.waitForLog(seen);
    }
    if (open) {
        std::string last = "0\r\n\r\n";
        co_await writeAll(*t.client, std::move(last));
    }
    boost::system::error_code ignored;
    t.client->shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    co_return http::Response{http::bhttp::status::ok, 11};
}

} // namespace

void addSnapshotRoutes(Router& r, domain::SandboxService& sandboxes) {
    domain::Snapshots& s = sandboxes.snapshots();
    using D = RouteDoc;
    const Access write = Access::scoped(kWriteSnapshots);
    r.add(syncRoute(verb::get, "/api/snapshots", Access::anyKey(),
                    [&s](RequestContext& c, const Caller& who) { return s.list(who.who, c.listQuery()); }),
          {.summary = "List snapshots, a page at a time",
           .reply = "SnapshotPage",
           .query = {{"page", "integer", "from 1"},
                     {"limit", "integer", "items per page, 1 to 200 (100)"},
                     {"name", "string", "a part of the name"},
                     {"sourceSandboxId", "string", "only snapshots made of this sandbox"},
                     {"sort", "string", "name, state, createdAt (default), updatedAt or lastUsedAt"},
                     {"order", "string", "asc or desc (default)"}}});
    r.add(syncRoute(verb::get, "/api/snapshots/{id}", Access::anyKey(),
                    [&s](RequestContext& c, const Caller& who) { return s.get(c.param("id"), who); }),
          {.summary = "Get a snapshot by id or name", .reply = "Snapshot"});
    r.add(
        asyncRoute(verb::post, "/api/snapshots", write,
                   [&s](RequestContext& c, const Caller& who) { return s.create(c.jsonBody(), who); },
                   {"create", "snapshot", ""}),
        {.summary = "Create a snapshot from an image or a Dockerfile",
         .reply = "Snapshot",
         .request = "CreateSnapshot",
         .description =
             "The snapshot is `pending` (or `building`) and turns `active` once a sandbox made from it ran; "
             "its build log is at GET /api/snapshots/{id}/build-logs."});
    r.add(asyncRoute(verb::delete_, "/api/snapshots/{id}", Access::scoped(kDeleteSnapshots),
                     [&s](RequestContext& c, const Caller& who) { return s.remove(c.param("id"), who); },
                     {"delete", "snapshot", "id"}),
          {.summary = "Delete a snapshot no sandbox uses", .reply = D::kEmpty, .request = D::kNoBody});
    r.add(syncRoute(verb::post, "/api/snapshots/{id}/activate", write,
                    [&s](RequestContext& c, const Caller& who) { return s.activate(c.param("id"), who); },
                    {"activate", "snapshot", "id"}),
          {.summary = "Activate an inactive snapshot", .reply = "Snapshot", .request = D::kNoBody});
    Route deactivate{verb::post, "/api/snapshots/{id}/deactivate", write,
                     [&s](RequestContext& c) -> awaitable<http::Response> {
                         s.deactivate(c.param("id"), c.caller());
                         http::Response res{http::bhttp::status::no_content, c.req.version()};
                         res.keep_alive(c.req.keep_alive());
                         co_return res;
                     }};
    deactivate.audit = {"deactivate", "snapshot", "id"};
    r.add(std::move(deactivate), {.summary = "Deactivate a snapshot: no new sandboxes from it",
                                  .reply = D::kNothing,
                                  .request = D::kNoBody,
                                  .status = 204});
    r.add(asyncRoute(
              verb::post, "/api/sandbox/{id}/snapshot", write,
              [&s](RequestContext& c, const Caller& who) {
                  return s.fromSandbox(c.param("id"), c.jsonBody(), who);
              },
              {"create", "snapshot", ""}, RateClass::Lifecycle),
          {.summary = "Make a snapshot of a started or stopped sandbox",
           .reply = "Sandbox",
           .request = "CreateSnapshotFromSandbox",
           .tag = "snapshots"});

    // The SDK asks for the logs' URL and then reads it with ?follow=true and its usual headers.
    r.add(syncRoute(verb::get, "/api/snapshots/{id}/build-logs-url", Access::anyKey(),
                    [&s](RequestContext& c, const Caller& who) {
                        const std::string id = s.requireId(c.param("id"), who);
                        return json{{"url", who.baseUrl + "/api/snapshots/" + id + "/build-logs"}};
                    }),
          {.summary = "Where to read a snapshot's build log", .reply = "Url"});
    r.add(
        syncRoute(verb::get, "/api/sandbox/{id}/build-logs-url", Access::anyKey(),
                  [&s](RequestContext& c, const Caller& who) {
                      s.snapshotOfSandbox(c.param("id"), who);
                      return json{{"url", who.baseUrl + "/api/sandbox/" + c.param("id") + "/build-logs"}};
                  }),
        {.summary = "Where to read the build log of a sandbox's image", .reply = "Url", .tag = "snapshots"});
    for (const auto& [pattern, ofSandbox] : {std::pair{"/api/snapshots/{id}/build-logs", false},
                                             std::pair{"/api/sandbox/{id}/build-logs", true}}) {
        Route route{verb::get, pattern, Access::anyKey(),
                    [&s, ofSandbox = ofSandbox](RequestContext& c) -> awaitable<http::Response> {
                        const Caller caller = c.caller();
                        std::string id = ofSandbox ? s.snapshotOfSandbox(c.param("id"), caller)
                                                   : s.requireId(c.param("id"), caller);
                        co_return co_await streamLog(s, c, id);
                    }};
        route.tunnel = true;
        r.add(std::move(route),
              {.summary = ofSandbox ? "The build log of a sandbox's image" : "A snapshot's build log",
               .reply = D::kText,
               .query = {{"follow", "boolean", "go on until the build ends (chunked)"}},
               .tag = "snapshots"});
    }
}

} // namespace cove::api
