// /api/volumes: Daytona's volume resource, and Cove's file access to a volume with no sandbox running
// (/api/volumes/{id}/files).
#include "service/api/Routes.h"

#include "common/Multipart.h"
#include "service/domain/Volumes.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <tuple>

#include <unistd.h>

#include <vector>

namespace cove::api {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kUploadChunk = 256u << 10;

using Body = std::function<http::Response(RequestContext&, const std::string& organizationId)>;

Route volumeRoute(verb method, std::string pattern, const char* scope, Body body, AuditSpec audit = {}) {
    Route r{method, std::move(pattern), Access::scoped(scope),
            [body = std::move(body)](RequestContext& c) -> awaitable<http::Response> {
                co_return body(c, c.principal->organizationId);
            }};
    r.audit = std::move(audit);
    return r;
}

std::string pathParam(const RequestContext& c) {
    return c.queryValue("path").value_or("");
}

http::Response ok(const RequestContext& c, const json& body) {
    return http::jsonResponse(c.req, 200, body);
}

// Writes an answer on a tunnelled connection (which closes after it) and hands it back for the audit.
awaitable<http::Response> answer(Tunnel& t, http::Response res) {
    res.keep_alive(false);
    res.prepare_payload();
    auto [ec, n] = co_await http::bhttp::async_write(*t.client, res, asio::as_tuple(asio::use_awaitable));
    (void)ec;
    (void)n;
    co_return res;
}

// The upload's bytes as they arrive: the body itself, or the part named 'file' (or the first with a
// file name) of a multipart/form-data body. Nothing is held in memory beyond one read.
awaitable<http::Response> upload(domain::Volumes& v, RequestContext& c) {
    const std::string length(c.req[http::bhttp::field::content_length]);
    if (length.empty() || length.size() > 18 || length.find_first_not_of("0123456789") != std::string::npos)
        throw ApiError{
            411, "Send the file with a Content-Length header (a plain or multipart/form-data body).", {}};
    auto up = v.beginUpload(c.param("id"), c.principal->organizationId, pathParam(c));
    const std::string boundary = MultipartParser::boundaryOf(c.req[http::bhttp::field::content_type]);
    bool inFile = false, seen = false, writeFailed = false;
    const auto write = [&](const char* p, std::size_t n) {
        writeFailed = writeFailed || !up.write(p, n);
        return !writeFailed;
    };
    MultipartParser multipart(boundary, {[&](const PartHeader& h) {
                                             inFile = !seen && (h.name == "file" || !h.filename.empty());
                                             seen = seen || inFile;
                                             return true;
                                         },
                                         [&](const char* p, std::size_t n) { return !inFile || write(p, n); },
                                         [&] {
                                             inFile = false;
                                             return true;
                                         }});
    std::optional<ApiError> failure;
    // Once refused, the rest is read and dropped, so that the client hears why.
    const auto take = [&](const char* p, std::size_t n) {
        if (failure || writeFailed)
            return;
        if (boundary.empty())
            write(p, n);
        else if (!multipart.feed(p, n) && !writeFailed)
            failure = ApiError::badRequest("The multipart body is malformed: " + multipart.error() + ".");
    };
    Tunnel& t = *c.tunnel;
    t.streamed = true;
    co_await http::continueIfExpected(*t.client, c.req);
    std::uint64_t remaining = std::stoull(length);
    const auto buffered = t.buffer->data();
    const std::size_t first = static_cast<std::size_t>(std::min<std::uint64_t>(buffered.size(), remaining));
    take(static_cast<const char*>(buffered.data()), first);
    t.buffer->consume(first);
    remaining -= first;
    std::vector<char> chunk(kUploadChunk);
    while (remaining > 0) {
        const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), remaining));
        auto [ec, n] = co_await t.client->async_read_some(asio::buffer(chunk.data(), want),
                                                          asio::as_tuple(asio::use_awaitable));
        if (ec) // the client went away mid-body: nobody to answer; the temporary file goes
            co_return http::errorResponse(
                c.req, ApiError::badRequest("The upload ended early: " + ec.message() + "."));
        take(chunk.data(), n);
        remaining -= n;
    }
    if (!boundary.empty() && !failure && !writeFailed && (!multipart.done() || !seen))
        failure = ApiError::badRequest(seen ? "The multipart body ends early."
                                            : "The multipart body has no part named 'file'.");
    try {
        if (!failure)
            up.commit(); // a failed write throws its reason here
    } catch (const domain::DomainError& e) {
        failure = toApiError(e);
    }
    http::Response res =
        failure ? http::errorResponse(c.req, *failure) : http::jsonResponse(c.req, 200, json::object());
    co_return co_await answer(t, std::move(res));
}

// The file, read from disk as the socket takes it.
awaitable<http::Response> download(domain::Volumes& v, RequestContext& c) {
    const std::string path = pathParam(c);
    auto file = v.openDownload(c.param("id"), c.principal->organizationId, path);
    Tunnel& t = *c.tunnel;
    t.streamed = true;
    http::bhttp::response<http::bhttp::empty_body> head{http::bhttp::status::ok, c.req.version()};
    head.set(http::bhttp::field::content_type, "application/octet-stream");
    const auto slash = path.find_last_of('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    std::erase_if(name,
                  [](char ch) { return ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20; });
    head.set(http::bhttp::field::content_disposition, "attachment; filename=\"" + name + "\"");
    head.content_length(static_cast<std::uint64_t>(file.size));
    head.keep_alive(false);
    http::bhttp::response_serializer<http::bhttp::empty_body> sr(head);
    auto [hec, hn] =
        co_await http::bhttp::async_write_header(*t.client, sr, asio::as_tuple(asio::use_awaitable));
    (void)hn;
    std::vector<char> chunk(kUploadChunk);
    for (std::int64_t sent = 0; !hec && sent < file.size;) {
        const ssize_t n = ::pread(file.fd.get(), chunk.data(), chunk.size(), sent);
        if (n <= 0) // shrank or failed under us: the short body tells the client
            break;
        auto [ec, w] =
            co_await asio::async_write(*t.client, asio::buffer(chunk.data(), static_cast<std::size_t>(n)),
                                       asio::as_tuple(asio::use_awaitable));
        (void)w;
        if (ec)
            break;
        sent += n;
    }
    co_return http::Response{http::bhttp::status::ok, c.req.version()};
}

Route tunnelRoute(verb method, std::string pattern, const char* scope,
                  awaitable<http::Response> (*fn)(domain::Volumes&, RequestContext&), domain::Volumes& v,
                  AuditSpec audit) {
    Route r{method, std::move(pattern), Access::scoped(scope),
            [fn, &v](RequestContext& c) -> awaitable<http::Response> { co_return co_await fn(v, c); }};
    r.audit = std::move(audit);
    r.tunnel = true;
    return r;
}

} // namespace

void addVolumeRoutes(Router& r, domain::Volumes& v) {
    using D = RouteDoc;
    // Reads measure the volumes first (on the worker pool), so usedBytes is current.
    r.add({verb::get, "/api/volumes", Access::scoped(kReadVolumes),
           [&v](RequestContext& c) -> awaitable<http::Response> {
               const std::string org = c.principal->organizationId;
               co_await v.measure(org);
               co_return ok(c, v.list(org, c.queryValue("includeDeleted").value_or("false") == "true"));
           }},
          {.summary = "List volumes (a bare array, as Daytona's)",
           .reply = "Volume[]",
           .query = {{"includeDeleted", "boolean"}}});
    Route create{verb::post, "/api/volumes", Access::scoped(kWriteVolumes),
                 [&v](RequestContext& c) -> awaitable<http::Response> {
                     const Caller caller = c.caller();
                     co_return ok(c, v.create(c.jsonBody(), caller));
                 }};
    create.audit = {"create", "volume", ""};
    r.add(std::move(create), {.summary = "Create a volume", .reply = "Volume", .request = "CreateVolume"});
    // One volume by id or by name, measured first.
    for (const auto& [pattern, param, byName] : {std::tuple{"/api/volumes/by-name/{name}", "name", true},
                                                 std::tuple{"/api/volumes/{id}", "id", false}})
        r.add({verb::get, pattern, Access::scoped(kReadVolumes),
               [&v, param, byName](RequestContext& c) -> awaitable<http::Response> {
                   const std::string org = c.principal->organizationId;
                   const std::string which = c.param(param); // GCC 12: no temporaries in co_await
                   co_await v.measure(org, which);
                   co_return ok(c, byName ? v.getByName(which, org) : v.get(which, org));
               }},
              {.summary = byName ? "Get a volume by name" : "Get a volume by id or name", .reply = "Volume"});
    Route remove{verb::delete_, "/api/volumes/{id}", Access::scoped(kDeleteVolumes),
                 [&v](RequestContext& c) -> awaitable<http::Response> {
                     const Caller caller = c.caller();
                     const std::string id = c.param("id");
                     const json dto = co_await v.remove(id, caller);
                     co_return ok(c, dto);
                 }};
    remove.audit = {"delete", "volume", "id"};
    r.add(std::move(remove),
          {.summary = "Delete a volume no sandbox mounts", .reply = "Volume", .request = D::kNoBody});

    // Files.
    r.add(volumeRoute(verb::get, "/api/volumes/{id}/files", kReadVolumes,
                      [&v](RequestContext& c, const std::string& org) {
                          return ok(c, v.listFiles(c.param("id"), org, pathParam(c)));
                      }),
          {.summary = "List a folder of a volume (no sandbox needed)",
           .reply = "VolumeFile[]",
           .query = {{"path", "string", "the folder, relative to the volume's root (the root)"}}});
    r.add(tunnelRoute(verb::get, "/api/volumes/{id}/files/download", kReadVolumes, download, v,
                      {"toolbox_download_file", "volume", "id"}),
          {.summary = "Download a file of a volume",
           .reply = D::kBinary,
           .query = {{"path", "string", "the file, relative to the volume's root"}}});
    for (const auto method : {verb::post, verb::put}) // PUT: what `curl -T` sends
        r.add(tunnelRoute(method, "/api/volumes/{id}/files/upload", kWriteVolumes, upload, v,
                          {"toolbox_upload_file", "volume", "id"}),
              {.summary = "Upload a file to a volume",
               .reply = D::kEmpty,
               .request = D::kUpload,
               .query = {{"path", "string", "where the file goes, relative to the volume's root"}},
               .description = "The body is the file itself, or a multipart/form-data body whose part "
                              "`file` is; send Content-Length."});
    r.add(volumeRoute(verb::post, "/api/volumes/{id}/files/folder", kWriteVolumes,
                      [&v](RequestContext& c, const std::string& org) {
                          v.makeFolder(c.param("id"), org, pathParam(c));
                          return ok(c, json::object());
                      },
                      {"toolbox_create_folder", "volume", "id"}),
          {.summary = "Create a folder in a volume",
           .reply = D::kEmpty,
           .request = D::kNoBody,
           .query = {{"path", "string", "the new folder, relative to the volume's root"}}});
    Route removeFile{verb::delete_, "/api/volumes/{id}/files", Access::scoped(kWriteVolumes),
                     [&v](RequestContext& c) -> awaitable<http::Response> {
                         const std::string id = c.param("id"), path = pathParam(c);
                         const std::string org = c.principal->organizationId;
                         const bool recursive = c.queryValue("recursive").value_or("false") == "true";
                         co_await v.removeFile(id, org, path, recursive);
                         co_return ok(c, json::object());
                     }};
    removeFile.audit = {"toolbox_delete_file", "volume", "id"};
    r.add(std::move(removeFile),
          {.summary = "Delete a file or folder of a volume",
           .reply = D::kEmpty,
           .request = D::kNoBody,
           .query = {{"path", "string", "relative to the volume's root"},
                     {"recursive", "boolean", "needed for a folder that is not empty"}}});
}

} // namespace cove::api
