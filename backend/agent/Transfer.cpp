// Streaming uploads and downloads. An upload is read in 64 KiB pieces into the multipart parser, whose
// sink writes each file to a temporary name and renames it when its part is complete. A download
// sizes every part first (stat), sends a Content-Length, then copies each file in 64 KiB pieces.
#include "agent/Transfer.h"

#include "agent/fs/AsUser.h"
#include "agent/fs/Files.h"
#include "agent/fs/Upload.h"
#include "common/Random.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <cerrno>
#include <fcntl.h>
#include <optional>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cove::agent {

namespace asio = boost::asio;
namespace bhttp = http::bhttp;
using nlohmann::json;

constexpr std::size_t kTransferChunk = 64 << 10;
// What one sendfile(2) may move at most (the socket takes what fits in its buffer).
constexpr std::size_t kSendfileChunk = 4 << 20;

bool isUploadRoute(bhttp::verb method, std::string_view path) {
    return method == bhttp::verb::post && (path == "/files/bulk-upload" || path == "/files/upload");
}

bool isDownloadRoute(bhttp::verb method, std::string_view path) {
    return (method == bhttp::verb::post && path == "/files/bulk-download") ||
           (method == bhttp::verb::get && path == "/files/download");
}

std::vector<std::string> transferRoutes() {
    std::vector<std::string> out;
    for (const auto method : {bhttp::verb::get, bhttp::verb::post})
        for (const char* path :
             {"/files/upload", "/files/bulk-upload", "/files/download", "/files/bulk-download"})
            if (isUploadRoute(method, path) || isDownloadRoute(method, path))
                out.push_back(std::string(bhttp::to_string(method)) + " " + path);
    return out;
}

namespace {
awaitable<bool> reply(Socket& socket, http::Response res) {
    boost::system::error_code ec;
    co_await bhttp::async_write(socket, res, asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec && res.keep_alive();
}

// Named awaitables keep temporaries out of co_await expressions (GCC 12 mishandles them there).
awaitable<bool> replyError(Socket& socket, http::Request req, ApiError e) {
    http::Response res = errorReply(req, e);
    auto op = reply(socket, std::move(res));
    co_return co_await std::move(op);
}

// The one `path` of a request that names a single file; a request naming two is refused, not guessed at.
std::string singlePathParam(std::string_view target) {
    const auto q = http::singleQueryValue(target, "path");
    if (q.repeated)
        throw badRequest("The query parameter 'path' is given more than once.");
    if (!q.value || q.value->empty())
        throw badRequest("The query parameter 'path' is required.");
    return *q.value;
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char ch : s) {
        if (ch == '"' || ch == '\\')
            out.push_back('\\');
        out.push_back(ch);
    }
    return out + "\"";
}

std::string randomBoundary() {
    return "cove-" + randomHex(16);
}

// Copies `size` bytes of fd to the socket; false when the file or the socket fails. sendfile(2) moves
// them from the page cache to the socket without passing through the agent; a file it cannot take (a
// special file's) is read and written.
awaitable<bool> copyFile(Socket& socket, int fd, unsigned long long size) {
    boost::system::error_code ec;
    socket.non_blocking(true, ec);
    while (size > 0) {
        const ssize_t n = ::sendfile(socket.native_handle(), fd, nullptr,
                                     std::size_t(std::min<unsigned long long>(size, kSendfileChunk)));
        if (n > 0) {
            size -= std::size_t(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            co_await socket.async_wait(Socket::wait_write, asio::redirect_error(asio::use_awaitable, ec));
            if (ec)
                co_return false;
            continue;
        }
        if (n < 0 && (errno == EINVAL || errno == ENOSYS))
            break;
        co_return false; // the file shrank under us (0), or failed: the length we promised cannot be kept
    }
    std::vector<char> buf(size > 0 ? kTransferChunk : 0);
    while (size > 0) {
        const std::size_t want = std::size_t(std::min<unsigned long long>(size, buf.size()));
        const ssize_t n = ::read(fd, buf.data(), want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            co_return false;
        co_await asio::async_write(socket, asio::buffer(buf.data(), std::size_t(n)),
                                   asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            co_return false;
        size -= std::size_t(n);
    }
    co_return true;
}

// Answers with the whole of an open file (and closes it): the header, then the bytes as the socket
// takes them.
awaitable<bool> sendFile(Socket& socket, const http::Request& req, OpenedFile file) {
    bhttp::response<bhttp::empty_body> res{bhttp::status::ok, req.version()};
    res.set(bhttp::field::content_type, file.contentType);
    if (!file.fileName.empty())
        res.set(bhttp::field::content_disposition, "attachment; filename=" + agent::quoted(file.fileName));
    res.content_length(file.size);
    res.keep_alive(req.keep_alive());
    bhttp::response_serializer<bhttp::empty_body> sr{res};
    boost::system::error_code ec;
    co_await bhttp::async_write_header(socket, sr, asio::redirect_error(asio::use_awaitable, ec));
    bool ok = !ec;
    if (ok) {
        auto copy = copyFile(socket, file.fd, file.size);
        ok = co_await std::move(copy);
    }
    ::close(file.fd);
    co_return ok&& req.keep_alive();
}

struct Part {
    std::string requested;
    int fd = -1;
    unsigned long long size = 0;
    std::string header; // the part's own header block
    std::string body;   // an error part's JSON
};

// Opens a requested path as the sandbox user; on failure fills an error part as Daytona's daemon does.
Part openPart(Toolbox& t, const std::string& requested, const std::string& boundary) {
    Part p;
    p.requested = requested;
    const std::string path = t.resolve(requested);
    ApiError error;
    bool ok = false;
    {
        AsUser as(t.config.user);
        struct stat st {};
        if (requested.empty()) {
            error = apiError(400, "An empty path cannot be downloaded.", code::kInvalidFilePath);
        } else if (::stat(path.c_str(), &st) != 0) {
            error = fs::fileError(errno, path, "read");
        } else if (S_ISDIR(st.st_mode)) {
            error = apiError(400, "'" + path + "' is a folder; download the files in it.",
                             code::kInvalidFilePath);
        } else if ((p.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC)) < 0) {
            error = fs::fileError(errno, path, "read");
        } else {
            p.size = (unsigned long long)st.st_size;
            ok = true;
        }
    }
    if (ok) {
        p.header = "--" + boundary +
                   "\r\nContent-Disposition: form-data; name=\"file\"; filename=" + quoted(requested) +
                   "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + std::to_string(p.size) +
                   "\r\n\r\n";
    } else {
        if (error.code == code::kBadRequest)
            error.code = code::kFileReadFailed;
        auto j = error.toJson(requested);
        j["source"] = "DAYTONA_DAEMON";
        p.body = j.dump();
        p.header = "--" + boundary +
                   "\r\nContent-Disposition: form-data; name=\"error\"; filename=" + quoted(requested) +
                   "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(p.body.size()) +
                   "\r\n\r\n";
    }
    return p;
}
} // namespace

awaitable<bool> serveUpload(Toolbox& t, Socket& socket, boost::beast::flat_buffer& buffer,
                            HeaderParser& header) {
    bhttp::request_parser<bhttp::buffer_body> parser(std::move(header));
    parser.body_limit(boost::none); // the disk, not the agent, bounds an upload
    const http::Request head(parser.get().base());
    http::Request answerTo = head;
    answerTo.keep_alive(false); // after a refusal the rest of the body is not worth reading

    const std::string boundary = MultipartParser::boundaryOf(head[bhttp::field::content_type]);
    std::optional<ApiError> refusal;
    std::string single;
    if (boundary.empty())
        refusal = badRequest("Send the files as multipart/form-data with a boundary of 1 to 70 characters.");
    else if (http::pathOf(head.target()) == "/files/upload") {
        try {
            single = singlePathParam(head.target());
        } catch (const ApiError& e) {
            refusal = e;
        }
    }
    if (refusal) {
        auto op = replyError(socket, answerTo, *refusal);
        co_return co_await std::move(op);
    }

    fs::UploadSink sink(
        t.config.user, [&t](const std::string& p) { return t.resolve(p); }, single);
    MultipartParser multipart(boundary, sink.callbacks());
    std::vector<char> chunk(kTransferChunk);
    // Beast reads the socket into `buffer` at most its free capacity at a time (at least 512 bytes),
    // and the body leaves it empty after each piece; without room it would read 512 bytes a call.
    buffer.reserve(kTransferChunk);
    boost::system::error_code ec;
    bool ok = true;
    while (ok && !parser.is_done()) {
        parser.get().body().data = chunk.data();
        parser.get().body().size = chunk.size();
        co_await bhttp::async_read_some(socket, buffer, parser,
                                        asio::redirect_error(asio::use_awaitable, ec));
        if (ec == bhttp::error::need_buffer)
            ec = {};
        if (ec)
            co_return false; // the client went away mid-upload: the sink removes the partial file
        const std::size_t got = chunk.size() - parser.get().body().size;
        ok = multipart.feed(chunk.data(), got);
    }
    if (!ok || !multipart.done()) {
        const std::string why = !sink.error().empty() ? sink.error()
                                : !multipart.error().empty()
                                    ? "The multipart body is malformed: " + multipart.error() + "."
                                    : std::string("The multipart body ended before its final boundary.");
        const int status = !sink.error().empty() ? sink.errorStatus() : 400;
        auto op = replyError(socket, answerTo, apiError(status, why, code::kBadRequest));
        co_return co_await std::move(op);
    }
    http::Response res = http::jsonResponse(head, 200, sink.written());
    auto op = reply(socket, std::move(res));
    co_return co_await std::move(op);
}

awaitable<bool> serveDownload(Toolbox& t, Socket& socket, http::Request req) {
    std::vector<std::string> paths;
    const bool single = req.method() == bhttp::verb::get;
    Call call;
    call.req = req;
    std::optional<ApiError> refusal;
    try {
        if (single) {
            paths.push_back(singlePathParam(req.target()));
        } else {
            const json body = call.jsonBody();
            if (!body.is_object() || !body.value("paths", json()).is_array())
                throw apiError(400, "The body must be {paths: [...]}.", code::kInvalidBody);
            for (const auto& p : body["paths"]) {
                if (!p.is_string())
                    throw apiError(400, "'paths' must hold strings.", code::kInvalidBody);
                paths.push_back(p.get<std::string>());
            }
        }
    } catch (const ApiError& e) {
        refusal = e;
    }
    if (refusal) {
        auto op = replyError(socket, req, *refusal);
        co_return co_await std::move(op);
    }

    if (single) {
        Part p = openPart(t, paths[0], "x");
        if (p.fd < 0) {
            const auto j = json::parse(p.body);
            const ApiError e{j.value("statusCode", 400), j.value("message", ""), j.value("code", "")};
            auto op = replyError(socket, req, e);
            co_return co_await std::move(op);
        }
        OpenedFile file{p.fd, p.size, "application/octet-stream", {}};
        auto sending = sendFile(socket, req, file);
        co_return co_await std::move(sending);
    }

    const std::string boundary = randomBoundary();
    std::vector<Part> parts;
    unsigned long long total = 0;
    for (const auto& path : paths) {
        parts.push_back(openPart(t, path, boundary));
        const Part& p = parts.back();
        total += p.header.size() + (p.fd >= 0 ? p.size : p.body.size()) + 2;
    }
    const std::string closing = "--" + boundary + "--\r\n";
    total += closing.size();

    bhttp::response<bhttp::empty_body> res{bhttp::status::ok, req.version()};
    res.set(bhttp::field::content_type, "multipart/form-data; boundary=" + boundary);
    res.content_length(total);
    res.keep_alive(req.keep_alive());
    bhttp::response_serializer<bhttp::empty_body> sr{res};
    boost::system::error_code ec;
    co_await bhttp::async_write_header(socket, sr, asio::redirect_error(asio::use_awaitable, ec));
    bool ok = !ec;
    for (auto& p : parts) {
        if (ok) {
            const std::string head = p.header + p.body;
            co_await asio::async_write(socket, asio::buffer(head),
                                       asio::redirect_error(asio::use_awaitable, ec));
            ok = !ec;
        }
        if (ok && p.fd >= 0) {
            auto copy = copyFile(socket, p.fd, p.size);
            ok = co_await std::move(copy);
        }
        if (p.fd >= 0)
            ::close(p.fd);
        if (ok) {
            const std::string crlf = "\r\n";
            co_await asio::async_write(socket, asio::buffer(crlf),
                                       asio::redirect_error(asio::use_awaitable, ec));
            ok = !ec;
        }
    }
    if (ok) {
        co_await asio::async_write(socket, asio::buffer(closing),
                                   asio::redirect_error(asio::use_awaitable, ec));
        ok = !ec;
    }
    co_return ok&& req.keep_alive();
}

awaitable<bool> serveFile(Socket& socket, http::Request req, const FileRoute& route, Call call) {
    const http::Request head(req.base());
    call.req = std::move(req);
    OpenedFile file;
    std::optional<ApiError> refusal;
    try {
        file = route.handler(call);
    } catch (const ApiError& e) {
        refusal = e;
    } catch (const std::exception& e) {
        refusal = apiError(500, std::string("The toolbox failed: ") + e.what(), code::kInternal);
    }
    if (refusal) {
        auto op = replyError(socket, head, *refusal);
        co_return co_await std::move(op);
    }
    auto sending = sendFile(socket, head, file);
    co_return co_await std::move(sending);
}

} // namespace cove::agent
