// computeruse/*: Daytona's computer-use toolbox routes (desktop processes, mouse, keyboard, screenshots,
// display, screen recordings, the accessibility tree) on top of Xvfb, openbox, x11vnc, xdotool, scrot,
// ffmpeg and AT-SPI, plus two of Cove's own: the VNC stream
// as a WebSocket (computeruse/vnc) and the VNC password of the current start (computeruse/vnc/password).
#include "agent/Routes.h"
#include "agent/computeruse/A11y.h"
#include "agent/computeruse/Desktop.h"
#include "agent/computeruse/Input.h"
#include "agent/computeruse/Recorder.h"
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

void addProcessControl(Routes& r, Desktop& d, Recorder& recorder) {
    r.add(verb::post, "/computeruse/start", [&d](Call c) -> awaitable<http::Response> {
        auto starting = d.start();
        co_await std::move(starting);
        co_return c.json(
            200, {{"message", "Computer use processes started successfully"}, {"status", d.processStatus()}});
    });
    r.add(verb::post, "/computeruse/stop", [&d, &recorder](Call c) -> awaitable<http::Response> {
        // Recordings end first, so their files are finalized while the display still exists.
        auto finishing = recorder.stopAll();
        co_await std::move(finishing);
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

std::string recordingId(const Call& c) {
    const std::string& id = c.param("id");
    if (!Recorder::validId(id))
        throw badRequest("'" + id.substr(0, 64) +
                         "' is not a recording id; use an id that POST /computeruse/recordings/start or GET "
                         "/computeruse/recordings returned.");
    return id;
}

void addRecordings(Routes& r, Recorder& rec) {
    r.add(verb::post, "/computeruse/recordings/start", [&rec](Call c) -> awaitable<http::Response> {
        const json b = body(c);
        const std::string label = optionalString(b, "label", "");
        auto starting = rec.start(label);
        const json started = co_await std::move(starting);
        co_return c.json(201, started);
    });
    r.add(verb::post, "/computeruse/recordings/stop", [&rec](Call c) -> awaitable<http::Response> {
        const json b = body(c);
        const std::string id = optionalString(b, "id", "");
        if (id.empty())
            throw badRequest("'id' is required: the id of the recording to stop.");
        auto stopping = rec.stop(id);
        const json stopped = co_await std::move(stopping);
        co_return c.json(200, stopped);
    });
    r.addSync(verb::get, "/computeruse/recordings",
              [&rec](const Call& c) { return c.json(200, rec.list()); });
    r.addSync(verb::get, "/computeruse/recordings/{id}",
              [&rec](const Call& c) { return c.json(200, rec.get(recordingId(c))); });
    r.addSync(verb::delete_, "/computeruse/recordings/{id}", [&rec](const Call& c) {
        rec.remove(recordingId(c));
        return c.empty(204);
    });
    r.addFile("/computeruse/recordings/{id}/download",
              [&rec](const Call& c) { return rec.open(recordingId(c)); });
}

constexpr std::size_t kMaxA11yFilter = 256;
constexpr std::size_t kMaxA11yValue = 10000;
constexpr int kDefaultA11yLimit = 100;

std::string a11yText(const json& b, const char* name, std::size_t limit) {
    const std::string v = optionalString(b, name, "");
    if (v.size() > limit)
        throw badRequest("'" + std::string(name) + "' must be at most " + std::to_string(limit) +
                         " characters.");
    return v;
}

// scope and pid, shared by tree and find: focused (the default), all, or pid with a pid.
void a11yScope(json& args, const std::string& scope, std::optional<long long> pid) {
    const std::string s = scope.empty() ? "focused" : scope;
    if (s != "focused" && s != "all" && s != "pid")
        throw badRequest("invalid accessibility scope '" + s.substr(0, 32) + "': use focused, all or pid.");
    if (s == "pid" && (!pid || *pid <= 0 || *pid > 4194304))
        throw badRequest("scope 'pid' needs 'pid', the process id of an application on the desktop.");
    args["scope"] = s;
    args["pid"] = pid.value_or(0);
}

std::string a11yNodeId(const json& b) {
    const std::string id = a11yText(b, "id", kMaxA11yFilter);
    if (!validA11yNodeId(id))
        throw badRequest(
            "'id' must be an accessibility node id as getTree and findNodes return them, such as "
            "':1.23:/org/a11y/atspi/accessible/12'.");
    return id;
}

std::optional<long long> queryNumber(const Call& c, const char* name) {
    const auto v = c.queryValue(name);
    if (!v || v->empty())
        return std::nullopt;
    try {
        std::size_t used = 0;
        const long long n = std::stoll(*v, &used);
        if (used == v->size())
            return n;
    } catch (const std::exception&) {
    }
    throw badRequest("The query parameter '" + std::string(name) + "' must be an integer.");
}

void addAccessibility(Routes& r, const Desktop& desktop) {
    r.add(verb::get, "/computeruse/a11y/tree",
          withDesktop(desktop, [](const Desktop& d, Call c) -> awaitable<http::Response> {
              json args = json::object();
              a11yScope(args, c.queryValue("scope").value_or(""), queryNumber(c, "pid"));
              const long long depth = queryNumber(c, "maxDepth").value_or(-1);
              if (depth < -1)
                  throw badRequest("'maxDepth' must be -1 (no limit), 0 (the root only) or more.");
              args["maxDepth"] = std::min<long long>(depth, kMaxA11yDepth);
              auto asking = runA11y(d, "tree", args, A11yAnswer::Tree);
              const json tree = co_await std::move(asking);
              co_return c.json(200, tree);
          }));
    r.add(verb::post, "/computeruse/a11y/find",
          withDesktop(desktop, [](const Desktop& d, Call c) -> awaitable<http::Response> {
              const json b = body(c);
              json args = json::object();
              std::optional<long long> pid;
              if (b.contains("pid"))
                  pid = requiredInt(b, "pid", 1, 4194304);
              a11yScope(args, a11yText(b, "scope", 16), pid);
              args["role"] = a11yText(b, "role", kMaxA11yFilter);
              args["name"] = a11yText(b, "name", kMaxA11yFilter);
              const std::string match = a11yText(b, "nameMatch", 16);
              if (!match.empty() && match != "exact" && match != "substring" && match != "regex")
                  throw badRequest("'nameMatch' must be exact, substring or regex.");
              args["nameMatch"] = match.empty() ? "exact" : match;
              args["states"] = stringList(b, "states");
              if (args["states"].size() > kMaxA11yList)
                  throw badRequest("'states' may name at most " + std::to_string(kMaxA11yList) + " states.");
              const int limit = optionalInt(b, "limit", 0, kMaxA11yNodes, kDefaultA11yLimit);
              args["limit"] = limit == 0 ? kMaxA11yNodes : limit;
              auto asking = runA11y(d, "find", args, A11yAnswer::Find);
              const json found = co_await std::move(asking);
              co_return c.json(200, found);
          }));
    const auto nodeRoute = [&](const char* path, const char* command) {
        r.add(verb::post, path,
              withDesktop(desktop, [command](const Desktop& d, Call c) -> awaitable<http::Response> {
                  const json b = body(c);
                  json args{{"id", a11yNodeId(b)}};
                  if (std::string(command) == "invoke")
                      args["action"] = a11yText(b, "action", kMaxA11yFilter);
                  if (std::string(command) == "value")
                      args["value"] = a11yText(b, "value", kMaxA11yValue);
                  auto asking = runA11y(d, command, args, A11yAnswer::Done);
                  co_await std::move(asking);
                  co_return c.json(200, json::object());
              }));
    };
    nodeRoute("/computeruse/a11y/node/focus", "focus");
    nodeRoute("/computeruse/a11y/node/invoke", "invoke");
    nodeRoute("/computeruse/a11y/node/value", "value");
}

} // namespace

void addComputerUseRoutes(Routes& r, Toolbox& t) {
    // Never destroyed: its timers and exit callbacks must not outlive the io_context in a destructor.
    static Desktop* desktop = new Desktop(t);
    static Recorder* recorder = new Recorder(t, *desktop);
    addProcessControl(r, *desktop, *recorder);
    addRecordings(r, *recorder);
    addAccessibility(r, *desktop);
    addMouse(r, *desktop);
    addKeyboard(r, *desktop);
    addScreen(r, *desktop);
}

} // namespace cove::agent
