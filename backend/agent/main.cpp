// cove-agent: PID 1 of every sandbox. Serves the toolbox on a unix socket, starts the image's own
// command, reaps orphans, and passes termination on to the container's processes.
#include "agent/AgentServer.h"
#include "agent/TcpGate.h"
#include "agent/process/Init.h"
#include "cove/Version.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

using namespace cove::agent;

static void usage() {
    std::puts("usage: cove-agent [--socket PATH] [--tcp ADDR:PORT] [--version] [--routes] [--pause]\n"
              "                  [-- COMMAND [ARG...]]\n"
              "\n"
              "The toolbox inside a Cove sandbox. Runs as the container's PID 1, serves the toolbox API on\n"
              "a unix socket (default /run/cove/agent.sock) and starts COMMAND, the image's own entrypoint.\n"
              "Environment: COVE_SANDBOX_USER (user that commands run as), COVE_WORKDIR (their directory).\n"
              "--pause waits, doing nothing, until killed, in any image (even an empty one): coved runs\n"
              "it to learn what the Docker engine gives a container.");
}

static const char* envOr(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

int main(int argc, char** argv) {
    AgentConfig config;
    std::string tcpListen;
    std::vector<std::string> command;
    bool listRoutes = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--") {
            command.assign(argv + i + 1, argv + argc);
            break;
        } else if (a == "--socket" && i + 1 < argc) {
            config.socketPath = argv[++i];
        } else if (a == "--tcp" && i + 1 < argc) {
            tcpListen = argv[++i];
        } else if (a == "--version") {
            std::printf("cove-agent %s\n", cove::kVersion);
            return 0;
        } else if (a == "--routes") {
            listRoutes = true;
        } else if (a == "--pause") {
            for (;;)
                ::pause();
        } else if (a == "--help" || a == "-h") {
            usage();
            return 0;
        } else {
            std::fprintf(stderr, "cove-agent: unknown argument '%s'; see --help\n", a.c_str());
            return 2;
        }
    }

    const std::string userSpec = envOr("COVE_SANDBOX_USER", "0");
    const auto user = lookupUser(userSpec);
    if (!user) {
        std::fprintf(stderr, "cove-agent: user '%s' is not in this image's /etc/passwd\n", userSpec.c_str());
        return 2;
    }
    config.user = *user;
    config.workDir = envOr("COVE_WORKDIR", user->home.c_str());
    config.entrypoint = std::move(command);
    if (listRoutes) { // the route table, for the SDK coverage test; starts nothing
        boost::asio::io_context io(1);
        const AgentServer table(io, config);
        for (const auto& line : table.routeList())
            std::printf("%s\n", line.c_str());
        return 0;
    }

    boost::asio::io_context io(1);
    boost::asio::signal_set children(io, SIGCHLD);
    std::function<void()> waitChildren = [&] {
        children.async_wait([&](const boost::system::error_code& ec, int) {
            if (ec)
                return;
            Init::reapAll();
            waitChildren();
        });
    };
    waitChildren();

    // As PID 1 we get no default action for SIGTERM: pass it on and leave, so `docker stop` is quick.
    boost::asio::signal_set termination(io, SIGTERM, SIGINT);
    termination.async_wait([&](const boost::system::error_code& ec, int sig) {
        if (ec)
            return;
        if (getpid() == 1)
            Init::signalAll(sig);
        io.stop();
    });
    std::signal(SIGPIPE, SIG_IGN);

    // The TCP gate's secret is for the agent alone: no process it starts inherits it.
    const std::string secret = envOr("COVE_AGENT_SECRET", "");
    ::unsetenv("COVE_AGENT_SECRET");
    AgentServer server(io, config);
    try {
        server.start();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cove-agent: cannot listen on %s: %s\n", config.socketPath.c_str(), e.what());
        return 1;
    }
    TcpGate gate(io, secret, envOr("COVE_SANDBOX_ID", ""), config.socketPath);
    if (!tcpListen.empty()) {
        try {
            gate.listen(tcpListen);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "cove-agent: cannot listen on %s: %s\n", tcpListen.c_str(), e.what());
            return 1;
        }
    }

    io.run();
    return 0;
}
