// computeruse/*: Daytona's computer-use toolbox routes (desktop processes, mouse, keyboard, screenshots,
// display) on top of Xvfb, openbox, x11vnc, xdotool and scrot, plus two of Cove's own: the VNC stream
// as a WebSocket (computeruse/vnc) and the VNC password of the current start (computeruse/vnc/password).
#include "agent/Routes.h"
#include "agent/computeruse/Desktop.h"
#include "agent/computeruse/Input.h"
#include "agent/computeruse/Screen.h"
#include "agent/computeruse/VncTunnel.h"
#include "agent/ws/WebSocket.h"

#include <sstream>

namespace cove::agent {

using http::bhttp::verb;
using nlohmann::json;
using namespace computeruse;

namespace {

constexpr int kMaxTypeLength = 10000;
constexpr int kMaxTypeDelay = 1000;
constexpr int kDefaultTypeDelay = 12; // xdotool's own
constexpr int kMaxScroll = 100;

json body(const Call& c) {
    json b = c.jsonBody();
    if (!b.is_object())
        throw apiError(400, "The body must be a JSON object.", code::kInvalidBody);
    return b;
}

std::string screenHint(const Desktop& d) {
    return "(the display is " + std::to_string(d.width()) + "x" + std::to_string(d.height()) + ")";
}

int xOf(const json& b, const Desktop& d, const char* name = "x") {
    return requiredInt(b, name, 0, d.width() - 1, screenHint(d));
}

int yOf(const json& b, const Desktop& d, const char* name = "y") {
    return requiredInt(b, name, 0, d.height() - 1, screenHint(d));
}

json position(std::pair<int, int> p) {
    return {{"x", p.first}, {"y", p.second}};
}

// Handlers that need the desktop running: they check it, then run.
using DesktopHandler = std::function<awaitable<http::Response>(const Desktop&, Call)>;

Handler withDesktop(const Desktop& d, DesktopHandler h) {
    return [&d, h = std::move(h)](Call c) -> awaitable<http::Response> {
        d.requireActive();
        auto running = h(d, std::move(c));
        co_return co_await std::move(running);
    };
}

// The window ids an EWMH root property lists ("... window id # 0x1a00004, 0x1c00003").
std::vector<std::string> windowIds(const std::string& xprop) {
    std::vector<std::string> ids;
    const auto hash = xprop.find('#');
    if (hash == std::string::npos)
        return ids;
    std::istringstream in(xprop.substr(hash + 1));
    std::string id;
    while (std::getline(in, id, ',')) {
        id.erase(0, id.find_first_not_of(" \n"));
        id.erase(id.find_last_not_of(" \n") + 1);
        if (id.rfind("0x", 0) == 0 && id.size() > 2 &&
            id.find_first_not_of("0123456789abcdefx") == std::string::npos)
            ids.push_back(id);
    }
    return ids;
}

// The windows the window manager manages (its _NET_CLIENT_LIST), with their titles and geometry.
awaitable<http::Response> windows(const Desktop& d, Call c) {
    auto listing = d.xRun({"xprop", "-root", "_NET_CLIENT_LIST"});
    const RunResult clients = co_await std::move(listing);
    auto asking = d.xRun({"xprop", "-root", "_NET_ACTIVE_WINDOW"});
    const RunResult active = co_await std::move(asking);
    const auto activeIds = windowIds(active.output);
    const long activeId = activeIds.empty() ? -1 : std::stol(activeIds.front(), nullptr, 16);
    json list = json::array();
    for (const auto& id : windowIds(clients.output)) {
        if (list.size() >= 100)
            break;
        auto describing = d.xRun({"xwininfo", "-id", id});
        const RunResult info = co_await std::move(describing);
        if (info.exitCode != 0 || info.output.find("(the root window)") != std::string::npos)
            continue; // gone meanwhile, or the screen itself
        const long number = std::stol(id, nullptr, 16);
        json w{{"id", number}, {"isActive", number == activeId}, {"title", ""}};
        std::istringstream lines(info.output);
        std::string line;
        while (std::getline(lines, line)) {
            const auto value = [&](const char* label) -> std::optional<int> {
                const auto at = line.find(label);
                if (at == std::string::npos)
                    return std::nullopt;
                return std::atoi(line.c_str() + at + std::string(label).size());
            };
            if (const auto q = line.find('"');
                line.find("Window id:") != std::string::npos && q != std::string::npos)
                w["title"] = line.substr(q + 1, line.rfind('"') > q ? line.rfind('"') - q - 1 : 0);
            else if (auto v = value("Absolute upper-left X:"))
                w["x"] = *v;
            else if (auto v2 = value("Absolute upper-left Y:"))
                w["y"] = *v2;
            else if (auto v3 = value("Width:"))
                w["width"] = *v3;
            else if (auto v4 = value("Height:"))
                w["height"] = *v4;
        }
        // The window manager's helper windows live off screen.
        if (w.value("x", 0) + w.value("width", 0) <= 0 || w.value("y", 0) + w.value("height", 0) <= 0)
            continue;
        list.push_back(w);
    }
    co_return c.json(200, {{"windows", list}});
}

void addProcessControl(Routes& r, Desktop& d) {
    r.add(verb::post, "/computeruse/start", [&d](Call c) -> awaitable<http::Response> {
        auto starting = d.start();
        co_await std::move(starting);
        co_return c.json(
            200, {{"message", "Computer use processes started successfully"}, {"status", d.processStatus()}});
    });
    r.add(verb::post, "/computeruse/stop", [&d](Call c) -> awaitable<http::Response> {
        auto stopping = d.stop();
        co_await std::move(stopping);
        co_return c.json(
            200, {{"message", "Computer use processes stopped successfully"}, {"status", d.processStatus()}});
    });
    const auto status = [&d](const Call& c) { return c.json(200, {{"status", d.status()}}); };
    r.addSync(verb::get, "/computeruse/status", status);
    r.addSync(verb::get, "/computeruse/process-status", status);
    r.addSync(verb::get, "/computeruse/process/{name}/status", [&d](const Call& c) {
        return c.json(200, {{"processName", c.param("name")}, {"running", d.running(c.param("name"))}});
    });
    r.addSync(verb::get, "/computeruse/process/{name}/logs", [&d](const Call& c) {
        return c.json(200, {{"processName", c.param("name")}, {"logs", d.logs(c.param("name"))}});
    });
    r.addSync(verb::get, "/computeruse/process/{name}/errors", [&d](const Call& c) {
        return c.json(200, {{"processName", c.param("name")}, {"errors", d.errors(c.param("name"))}});
    });
    r.add(verb::post, "/computeruse/process/{name}/restart", [&d](Call c) -> awaitable<http::Response> {
        const std::string name = c.param("name");
        auto restarting = d.restart(name);
        co_await std::move(restarting);
        co_return c.json(200,
                         {{"message", "Process " + name + " restarted successfully"}, {"processName", name}});
    });
}

void addMouse(Routes& r, const Desktop& desktop) {
    r.add(verb::get, "/computeruse/mouse/position",
          withDesktop(desktop, [](const Desktop& d, Call c) -> awaitable<http::Response> {
              auto locating = pointer(d);
              const auto p = co_await std::move(locating);
              co_return c.json(200, position(p));
          }));
    r.add(verb::post, "/computeruse/mouse/move",
          withDesktop(desktop, [](const Desktop& d, Call c) -> awaitable<http::Response> {
              const json b = body(c);
              const int x = xOf(b, d), y = yOf(b, d);
              auto moving = d.x({"xdotool", "mousemove", std::to_string(x), std::to_string(y)});
              co_await std::move(moving);
              auto locating = pointer(d);
              const auto p = co_await std::move(locating);
              co_return c.json(200, position(p));
          }));
    r.add(verb::post, "/computeruse/mouse/click",
          withDesktop(desktop, [](const Desktop& d, Call c) -> awaitable<http::Response> {
              const json b = body(c);
              const int x = xOf(b, d), y = yOf(b, d);
              const int button = buttonOf(optionalString(b, "button", "left"));
              const bool twice = optionalBool(b, "double", false);
              auto clicking = d.x({"xdotool", "mousemove", std::to_string(x), std::to_string(y), "click",
                                   "--repeat", twice ? "2" : "1", std::to_string(button)});
              co_await std::move(clicking);
              co_return c.json(200, {{"x", x}, {"y", y}});
          }));
    r.add(verb::post, "/computeruse/mouse/drag",
          withDesktop(desktop, [](const Desktop& d, Call c) -> awaitable<http::Response> {
              const json b = body(c);
              const int sx = xOf(b, d, "startX"), sy = yOf(b, d, "startY");
              const int ex = xOf(b, d, "endX"), ey = yOf(b, d, "endY");
              const std::string button = std::to_string(buttonOf(optionalString(b, "button", "left")));
              auto dragging =
                  d.x({"xdotool", "mousemove", std::to_string(sx), std::to_string(sy), "mousedown", button,
                       "mousemove", std::to_string(ex), std::to_string(ey), "mouseup", button});
              co_await std::move(dragging);
              co_return c.json(200, {{"x", ex}, {"y", ey}});
          }));
    r.add(verb::post, "/computeruse/mouse/scroll",
          withDesktop(desktop, [](const Desktop& d, Call c) -> awaitable<http::Response> {
              const json b = body(c);
              const int x = xOf(b, d), y = yOf(b, d);
              const std::string direction = optionalString(b, "direction", "");
              const char* button = direction == "up"      ? "4"
                                   : direction == "down"  ? "5"
                                   : direction == "left"  ? "6"
                                   : direction == "right" ? "7"
                                                          : nullptr;
              if (!button)
                  throw badRequest("'direction' must be up, down, left or right.");
              const int amount = optionalInt(b, "amount", 1, kMaxScroll, 1);
              auto scrolling = d.x({"xdotool", "mousemove", std::to_string(x), std::to_string(y), "click",
                                    "--repeat", std::to_string(amount), button});
              co_await std::move(scrolling);
              co_return c.json(200, {{"success", true}});
          }));
}

void addKeyboard(Routes& r, const Desktop& desktop) {
    r.add(verb::post, "/computeruse/keyboard/type",
          withDesktop(desktop, [](const Desktop& d, Call c) -> awaitable<http::Response> {
              const json b = body(c);
              const std::string text = optionalString(b, "text", "");
              if (text.empty() || text.size() > std::size_t(kMaxTypeLength))
                  throw badRequest("'text' must be a string of 1 to " + std::to_string(kMaxTypeLength) +
                                   " characters.");
              const int delay = optionalInt(b, "delay", 0, kMaxTypeDelay, kDefaultTypeDelay);
              auto typing = d.x({"xdotool", "type", "--delay", std::to_string(delay), "--", text});
              co_await std::move(typing);
              co_return c.json(200, json::object());
          }));
    r.add(verb::post, "/computeruse/keyboard/key",
          withDesktop(desktop, [](const Desktop& d, Call c) -> awaitable<http::Response> {
              const json b = body(c);
              const std::string keys = chord(optionalString(b, "key", ""), stringList(b, "modifiers"));
              auto pressing = d.x({"xdotool", "key", "--", keys});
              co_await std::move(pressing);
              co_return c.json(200, json::object());
          }));
    r.add(verb::post, "/computeruse/keyboard/hotkey",
          withDesktop(desktop, [](const Desktop& d, Call c) -> awaitable<http::Response> {
              const json b = body(c);
              const std::string keys = hotkeyChord(optionalString(b, "keys", ""));
              auto pressing = d.x({"xdotool", "key", "--", keys});
              co_await std::move(pressing);
              co_return c.json(200, json::object());
          }));
}

void addScreen(Routes& r, Desktop& desktop) {
    for (const bool region : {false, true}) {
        for (const bool compressed : {false, true}) {
            const std::string path = std::string("/computeruse/screenshot") + (region ? "/region" : "") +
                                     (compressed ? "/compressed" : "");
            r.add(verb::get, path,
                  withDesktop(desktop,
                              [region, compressed](const Desktop& d, Call c) -> awaitable<http::Response> {
                                  ShotRequest shot = parseShot(c, d, region, compressed);
                                  auto taking = takeScreenshot(d, shot);
                                  const json out = co_await std::move(taking);
                                  co_return c.json(200, out);
                              }));
        }
    }
    r.add(verb::get, "/computeruse/display/info",
          withDesktop(desktop, [](const Desktop& d, Call c) -> awaitable<http::Response> {
              co_return c.json(200, {{"displays", json::array({{{"id", 0},
                                                                {"x", 0},
                                                                {"y", 0},
                                                                {"width", d.width()},
                                                                {"height", d.height()},
                                                                {"isActive", true}}})}});
          }));
    r.add(verb::get, "/computeruse/display/windows", withDesktop(desktop, windows));
    r.addSync(verb::get, "/computeruse/vnc/password", [&desktop](const Call& c) {
        return c.json(200, {{"password", desktop.vncPassword()}, {"port", desktop.vncPort()}});
    });
    r.addWebSocket("/computeruse/vnc", [&desktop](Call c, std::shared_ptr<WebSocket> ws) {
        return vncTunnel(desktop, std::move(c), std::move(ws));
    });
}

} // namespace

void addComputerUseRoutes(Routes& r, Toolbox& t) {
    // Never destroyed: its timers and exit callbacks must not outlive the io_context in a destructor.
    static Desktop* desktop = new Desktop(t);
    addProcessControl(r, *desktop);
    addMouse(r, *desktop);
    addKeyboard(r, *desktop);
    addScreen(r, *desktop);
}

} // namespace cove::agent
