// The sandbox's desktop for computer use: a virtual screen (Xvfb), a session D-Bus with the AT-SPI
// accessibility bus (when the image has them), a window manager (openbox) and a VNC server (x11vnc, on
// localhost only, behind a password made at start), run as the sandbox user and restarted when they die. Also
// runs the X clients (xdotool, scrot, xwininfo) the routes need, with argv arrays and never through a shell.
#pragma once

#include "agent/process/Run.h"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cove::agent {
struct Toolbox;
}

namespace cove::agent::computeruse {

using boost::asio::awaitable;

class Desktop {
public:
    explicit Desktop(Toolbox& t);
    ~Desktop();

    // Starts what is not running, in order, waiting until each is ready. Throws ApiError: 503 when the
    // image has no desktop, 500 (with the process's own error output) when one does not come up.
    awaitable<void> start();
    // Stops all three, the VNC server first; forgets the VNC password.
    awaitable<void> stop();
    // Stops and starts one process (the VNC server keeps its password). 404 for an unknown name.
    awaitable<void> restart(std::string name);

    // {"xvfb": {running, pid?, priority, autoRestart}, ...}
    nlohmann::json processStatus() const;
    // "active" (all running), "partial" or "inactive", as Daytona reports it.
    std::string status() const;
    bool running(const std::string& name) const; // 404 for an unknown name
    std::string logs(const std::string& name) const;
    std::string errors(const std::string& name) const;

    // Throws unless every process runs: 503 when the image has no desktop, 409 when not started.
    void requireActive() const;
    int width() const;
    int height() const;
    unsigned short vncPort() const;
    // The VNC password of this start (8 characters: RFB's DES auth uses no more).
    std::string vncPassword() const;

    // Runs an X client against the display; its stdout, or a 500 with its stderr when it fails.
    awaitable<std::string> x(std::vector<std::string> argv) const;
    // The same, returning the whole result (for tools whose failure is an answer).
    awaitable<RunResult> xRun(std::vector<std::string> argv) const;
    // Whether the image has a program (on the PATH X clients get).
    bool has(const std::string& program) const;
    // A directory only the sandbox user can read, for screenshots.
    std::string privateDir() const;
    // The environment the desktop's programs get (display, session bus, accessibility settings).
    std::vector<std::string> environment() const;
    // Throws 503 unless the session bus and the AT-SPI accessibility bus run (the image may lack them).
    void requireAccessibility() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace cove::agent::computeruse
