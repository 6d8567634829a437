// The helper is Python because AT-SPI's client library is GObject-based and its Python bindings are what
// desktop images carry; the agent itself stays static and free of D-Bus. The script is passed with -c,
// its arguments as argv (one JSON object), never through a shell.
#include "agent/computeruse/A11y.h"

#include "agent/Call.h"
#include "agent/computeruse/Desktop.h"

namespace cove::agent::computeruse {

using nlohmann::json;

namespace {

// Prints one JSON object: the answer, or {"error": kind, "message": ...}.
constexpr const char* kHelper = R"PY(import json, re, sys
LIMITS = {"nodes": 2000, "text": 1024, "depth": 64}
def done(o):
    sys.stdout.write(json.dumps(o))
    sys.stdout.flush()
    sys.exit(0)
def fail(kind, message):
    done({"error": kind, "message": message})
try:
    import gi
    gi.require_version("Atspi", "2.0")
    from gi.repository import Atspi
except Exception as e:
    fail("unavailable", "The AT-SPI Python bindings cannot be loaded: %s" % e)
cmd, args = sys.argv[1], json.loads(sys.argv[2])
LIMITS.update(args.get("limits", {}))
Atspi.set_timeout(2000, 5000)
count = [0]
truncated = [False]
def text(s):
    s = s or ""
    return s[:LIMITS["text"]]
def ident(a):
    app = a.app
    bus = app.bus_name if app and app.bus_name else "org.a11y.atspi.Registry"
    return "%s:%s" % (bus, a.path)
def states(a):
    out = []
    try:
        for s in a.get_state_set().get_states():
            out.append(s.value_nick.replace("-", "_"))
    except Exception:
        pass
    return out
def actions(a):
    out = []
    try:
        act = a.get_action_iface()
        if act:
            for i in range(min(act.get_n_actions(), 32)):
                out.append(act.get_action_name(i))
    except Exception:
        pass
    return out
def describe(a):
    n = {"id": ident(a), "role": a.get_role_name() or "", "name": text(a.get_name()),
         "description": text(a.get_description()), "states": states(a), "actions": actions(a)}
    try:
        comp = a.get_component_iface()
        if comp:
            r = comp.get_extents(Atspi.CoordType.SCREEN)
            n["bounds"] = {"x": r.x, "y": r.y, "width": r.width, "height": r.height}
    except Exception:
        pass
    return n
def children(a):
    try:
        for i in range(a.get_child_count()):
            c = a.get_child_at_index(i)
            if c is not None:
                yield c
    except Exception:
        return
def tree(a, depth, maxDepth):
    count[0] += 1
    n = describe(a)
    if maxDepth >= 0 and depth >= maxDepth:
        return n
    if depth >= LIMITS["depth"]:
        truncated[0] = True
        return n
    kids = []
    for c in children(a):
        if count[0] >= LIMITS["nodes"]:
            truncated[0] = True
            break
        kids.append(tree(c, depth + 1, maxDepth))
    n["children"] = kids
    return n
def walk(a, depth=0):
    count[0] += 1
    yield a
    if depth >= LIMITS["depth"]:
        return
    for c in children(a):
        if count[0] >= LIMITS["nodes"] * 5:
            truncated[0] = True
            return
        yield from walk(c, depth + 1)
def apps():
    desktop = Atspi.get_desktop(0)
    return desktop, list(children(desktop))
def active(a):
    try:
        return a.get_state_set().contains(Atspi.StateType.ACTIVE)
    except Exception:
        return False
def root(scope, pid):
    desktop, all_apps = apps()
    if scope == "all":
        return desktop
    if scope == "pid":
        for app in all_apps:
            try:
                if app.get_process_id() == pid:
                    return app
            except Exception:
                pass
        fail("notfound", "No accessible application has process id %d; start it on the desktop first." % pid)
    for app in all_apps:
        for w in children(app):
            if active(w):
                return app
    if len(all_apps) == 1:
        return all_apps[0]
    fail("notfound", "No accessible application has the focus; pass scope 'all' or 'pid'.")
def norm(s):
    return re.sub(r"[\s_-]+", " ", (s or "").strip().lower())
ALIASES = {"button": "push button", "entry": "text", "textbox": "text", "window": "frame"}
def matches(a, f):
    if f.get("role"):
        want = norm(f["role"])
        have = norm(a.get_role_name())
        if have != want and have != ALIASES.get(want):
            return False
    if f.get("name"):
        name = a.get_name() or ""
        how = f.get("nameMatch") or "exact"
        if how == "exact" and name != f["name"]:
            return False
        if how == "substring" and f["name"].lower() not in name.lower():
            return False
        if how == "regex":
            try:
                if not re.search(f["name"], name):
                    return False
            except re.error as e:
                fail("badrequest", "'name' is not a valid regular expression: %s" % e)
    if f.get("states"):
        have = set(states(a))
        if not all(norm(s).replace(" ", "_") in have for s in f["states"]):
            return False
    return True
def node(nid):
    m = re.match(r"^(:[0-9]+\.[0-9]+):(/org/a11y/atspi/accessible/[A-Za-z0-9_/]+)$", nid)
    if not m:
        fail("notfound", "accessibility node not found: %s" % nid)
    bus, path = m.group(1), m.group(2)
    _, all_apps = apps()
    for app in all_apps:
        if app.app is None or app.app.bus_name != bus:
            continue
        for a in walk(app):
            if a.path == path:
                return a
    fail("notfound", "accessibility node not found: %s (the application may have closed)" % nid)
if cmd == "tree":
    r = root(args.get("scope", "focused"), args.get("pid", 0))
    t = tree(r, 0, args.get("maxDepth", -1))
    done({"root": t, "truncated": truncated[0]})
if cmd == "find":
    r = root(args.get("scope", "focused"), args.get("pid", 0))
    out = []
    for a in walk(r):
        if matches(a, args):
            if len(out) >= args.get("limit", 100):
                truncated[0] = True
                break
            out.append(describe(a))
    done({"matches": out, "truncated": truncated[0]})
a = node(args["id"])
if cmd == "focus":
    comp = a.get_component_iface()
    if not comp or not comp.grab_focus():
        fail("unsupported", "action not supported by node: it cannot take the focus")
    done({"ok": True})
if cmd == "invoke":
    act = a.get_action_iface()
    n = act.get_n_actions() if act else 0
    if n == 0:
        fail("unsupported", "action not supported by node: it has no actions")
    want = args.get("action") or ""
    index = 0
    if want:
        names = [act.get_action_name(i) for i in range(n)]
        if want not in names:
            fail("unsupported", "action not supported by node: '%s'; it has %s" % (want, ", ".join(names)))
        index = names.index(want)
    act.do_action(index)
    done({"ok": True})
if cmd == "value":
    value = args.get("value", "")
    et = a.get_editable_text_iface()
    if et:
        et.set_text_contents(value)
        done({"ok": True})
    v = a.get_value_iface()
    if v:
        try:
            number = float(value)
        except ValueError:
            fail("badrequest", "This node takes a number; '%s' is not one." % value[:40])
        v.set_current_value(number)
        done({"ok": True})
    fail("unsupported", "action not supported by node: it has no editable text or value")
fail("badrequest", "unknown command")
)PY";

std::string lastOutputLine(const std::string& text) {
    const auto end = text.find_last_not_of("\n");
    if (end == std::string::npos)
        return {};
    const auto start = text.rfind('\n', end);
    return text.substr(start == std::string::npos ? 0 : start + 1, std::min<std::size_t>(end - start, 300));
}

} // namespace

boost::asio::awaitable<json> runA11y(const Desktop& d, std::string command, json args, A11yAnswer kind) {
    d.requireAccessibility();
    if (!d.has("python3"))
        throw apiError(
            503,
            "This sandbox's image has no python3 with the AT-SPI bindings; create the sandbox from "
            "the cove-desktop snapshot to use the accessibility tree.",
            code::kUnavailable);
    args["limits"] = {{"nodes", kMaxA11yNodes}, {"text", kMaxA11yText}, {"depth", kMaxA11yDepth}};
    auto running = d.xRun({"python3", "-W", "ignore", "-c", kHelper, command, args.dump()});
    const RunResult r = co_await std::move(running);
    if (!r.started)
        throw apiError(500, "The accessibility helper did not start: " + r.startError, code::kInternal);
    if (r.timedOut)
        throw apiError(500,
                       "The accessibility helper did not answer within 10 seconds; an application on the "
                       "desktop may not be responding.",
                       code::kInternal);
    if (r.output.empty())
        throw apiError(500, "The accessibility helper failed: " + lastOutputLine(r.errorOutput),
                       code::kInternal);
    co_return parseA11yOutput(r.output, kind);
}

} // namespace cove::agent::computeruse
