// The toolbox's route table and the state its handlers share. Everything runs on the agent's single io
// thread, so handlers touch this state without locks.
#pragma once

#include "agent/AgentServer.h"
#include "agent/Call.h"
#include "agent/process/Environment.h"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cove::agent {

using boost::asio::awaitable;
class WebSocket;

struct Toolbox {
    boost::asio::io_context& io;
    AgentConfig config;
    Environment env;
    // Run once the socket listens (the entrypoint session starts here).
    std::vector<std::function<void()>> onStart;

    // A path from a request: relative ones are taken from the work directory, as Daytona's daemon does.
    std::string resolve(const std::string& path) const {
        std::string full;
        if (path.empty())
            full = config.workDir;
        else if (path.front() == '/')
            full = path;
        else if (path == "~" || path.rfind("~/", 0) == 0)
            full = config.user.home + path.substr(1);
        else
            full = config.workDir + "/" + path;
        std::string normal = std::filesystem::path(full).lexically_normal().string();
        while (normal.size() > 1 && normal.back() == '/')
            normal.pop_back();
        return normal;
    }
};

// Handlers take their Call by value: they are coroutines and must own what they use across a suspension.
using Handler = std::function<awaitable<http::Response>(Call)>;

struct Route {
    http::bhttp::verb method;
    std::string pattern; // "/process/session/{id}"; a {name} matches one segment
    Handler handler;
};

// A WebSocket route gets the upgrade request and a socket it accepts (or refuses by throwing ApiError
// before accepting: the client then gets that error as plain HTTP). It runs until the connection ends.
using WsHandler = std::function<awaitable<void>(Call, std::shared_ptr<WebSocket>)>;

struct WsRoute {
    std::string pattern;
    WsHandler handler;
};

// A file a GET route answers with, streamed from the descriptor as the socket takes it (the server
// closes it). A handler refuses by throwing ApiError.
struct OpenedFile {
    int fd = -1;
    unsigned long long size = 0;
    std::string contentType = "application/octet-stream";
    std::string fileName; // for Content-Disposition
};
using FileHandler = std::function<OpenedFile(const Call&)>;

struct FileRoute {
    std::string pattern;
    FileHandler handler;
};

class Routes {
public:
    void add(http::bhttp::verb method, std::string pattern, Handler h) {
        m_routes.push_back({method, std::move(pattern), std::move(h)});
    }
    // A handler that needs no suspension: a plain function from Call to Response.
    void addSync(http::bhttp::verb method, std::string pattern, std::function<http::Response(const Call&)> f);
    // Finds the route for a request and fills call.params; nullptr when none matches. Sets
    // `pathKnown` when the path exists under another method (405, not 404).
    const Route* match(http::bhttp::verb method, std::string_view path, Call& call, bool& pathKnown) const;

    void addWebSocket(std::string pattern, WsHandler h) {
        m_wsRoutes.push_back({std::move(pattern), std::move(h)});
    }
    const WsRoute* matchWebSocket(std::string_view path, Call& call) const;
    const std::vector<Route>& all() const { return m_routes; }
    const std::vector<WsRoute>& allWebSockets() const { return m_wsRoutes; }

    // A GET route whose answer is a file of any size.
    void addFile(std::string pattern, FileHandler h) {
        m_fileRoutes.push_back({std::move(pattern), std::move(h)});
    }
    const FileRoute* matchFile(http::bhttp::verb method, std::string_view path, Call& call) const;
    const std::vector<FileRoute>& allFiles() const { return m_fileRoutes; }

private:
    std::vector<Route> m_routes;
    std::vector<WsRoute> m_wsRoutes;
    std::vector<FileRoute> m_fileRoutes;
};

void addInfoRoutes(Routes& r, Toolbox& t);
void addProcessRoutes(Routes& r, Toolbox& t);
void addSystemRoutes(Routes& r, Toolbox& t);
void addFileRoutes(Routes& r, Toolbox& t);
void addSessionRoutes(Routes& r, Toolbox& t);
void addPtyRoutes(Routes& r, Toolbox& t);
void addGitRoutes(Routes& r, Toolbox& t);
void addComputerUseRoutes(Routes& r, Toolbox& t);
void addInterpreterRoutes(Routes& r, Toolbox& t);
void addLspRoutes(Routes& r, Toolbox& t);

} // namespace cove::agent
