// The /files routes that stream: uploads (multipart, any size, straight to disk) and downloads
// (multipart or raw, read from disk as the socket takes them). They own the connection while they run.
#pragma once

#include "agent/Routes.h"

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/flat_buffer.hpp>

namespace cove::agent {

using Socket = boost::asio::local::stream_protocol::socket;
using HeaderParser = http::bhttp::request_parser<http::bhttp::empty_body>;

// Whether a request (its header read) is one of these routes.
bool isUploadRoute(http::bhttp::verb method, std::string_view path);
bool isDownloadRoute(http::bhttp::verb method, std::string_view path);
// Those routes as "METHOD /path" lines (for `cove-agent --routes`).
std::vector<std::string> transferRoutes();

// The socket, buffer and parser belong to the connection coroutine that awaits these, so references
// to them stay valid for the whole call. Both return whether the connection may serve another request.
awaitable<bool> serveUpload(Toolbox& t, Socket& socket, boost::beast::flat_buffer& buffer,
                            HeaderParser& header);
awaitable<bool> serveDownload(Toolbox& t, Socket& socket, http::Request req);
// Answers a request of a file route (Routes::addFile): its error, or the file streamed.
awaitable<bool> serveFile(Socket& socket, http::Request req, const FileRoute& route, Call call);

} // namespace cove::agent
