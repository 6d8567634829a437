// process/pty: terminals over WebSocket as SDK 0.218 drives them (create-connect in one round trip,
// envs in a subprotocol token, control frames) and as older clients do (POST, then connect), plus the
// REST side: list, info, resize, kill.
#include "agent/Routes.h"
#include "agent/process/Spawn.h"
#include "agent/pty/Pty.h"
#include "agent/ws/WebSocket.h"

#include <algorithm>
#include <charconv>

namespace cove::agent {

using http::bhttp::verb;
using nlohmann::json;

namespace {
// The subprotocols SDK 0.218 offers: it wants `exited` frames, and it passes envs this way.
constexpr std::string_view kExitControl = "X-Daytona-Pty-Exit-Control";
constexpr std::string_view kEnvsPrefix = "X-Daytona-Pty-Envs~";
constexpr std::size_t kMaxPtyIdLength = 128;

std::optional<std::string> base64UrlDecode(std::string_view in) {
    std::string out;
    unsigned value = 0;
    int bits = 0;
    for (char ch : in) {
        int v;
        if (ch >= 'A' && ch <= 'Z')
            v = ch - 'A';
        else if (ch >= 'a' && ch <= 'z')
            v = ch - 'a' + 26;
        else if (ch >= '0' && ch <= '9')
            v = ch - '0' + 52;
        else if (ch == '-' || ch == '+')
            v = 62;
        else if (ch == '_' || ch == '/')
            v = 63;
        else if (ch == '=')
            break;
        else
            return std::nullopt;
        value = (value << 6) | unsigned(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(char((value >> bits) & 0xff));
        }
    }
    return out;
}

class Ptys {
public:
    explicit Ptys(Toolbox& t)
        : m_t(t) {}

    std::shared_ptr<Pty> find(const std::string& id) const {
        const auto it = m_ptys.find(id);
        return it == m_ptys.end() ? nullptr : it->second;
    }
    std::shared_ptr<Pty> get(const std::string& id) const {
        auto p = find(id);
        if (!p)
            throw apiError(404, "No PTY session '" + id + "'.", code::kNotFound);
        return p;
    }

    // Registers a terminal (and starts it unless lazy). A finished one of the same id is replaced.
    std::shared_ptr<Pty> create(PtyOptions o) {
        if (o.id.empty() || o.id.size() > kMaxPtyIdLength || o.id.find('/') != std::string::npos)
            throw badRequest("A PTY session id must be 1-128 characters without '/'.");
        if (auto existing = find(o.id); existing && !existing->finished())
            throw apiError(409, "A PTY session named '" + o.id + "' already exists.", code::kConflict);
        if (o.cwd.empty())
            o.cwd = m_t.config.workDir;
        o.cwd = m_t.resolve(o.cwd);
        auto pty = std::make_shared<Pty>(m_t.io, o);
        if (!o.lazyStart)
            start(*pty);
        m_ptys[o.id] = pty;
        return pty;
    }

    // Starts a lazy terminal on its first client.
    void ensureStarted(Pty& pty) {
        if (!pty.started() && !pty.finished())
            start(pty);
    }

    void remove(const std::string& id) {
        get(id)->kill();
        m_ptys.erase(id);
    }

    json list() const {
        json out = json::array();
        for (const auto& [id, p] : m_ptys)
            out.push_back(p->info());
        return {{"sessions", out}};
    }

private:
    void start(Pty& pty) {
        const PtyOptions& o = pty.options();
        // What a login gives: the user's identity and shell, a terminal type; the request's envs win.
        Environment::Map extra{{"TERM", "xterm-256color"},
                               {"SHELL", userShell(m_t.config.user)},
                               {"LOGNAME", m_t.config.user.name}};
        for (const auto& [k, v] : o.envs)
            extra[k] = v;
        if (auto error = pty.start(m_t.config.user, m_t.env.block(extra)))
            throw badRequest("The terminal's shell did not start in '" + o.cwd + "': " + *error + ".");
    }

    Toolbox& m_t;
    std::map<std::string, std::shared_ptr<Pty>> m_ptys;
};

unsigned sizeOf(const std::optional<std::string>& text, unsigned fallback) {
    if (!text || text->empty())
        return fallback;
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || end != text->data() + text->size() || v < kMinPtySize || v > kMaxPtySize)
        throw badRequest("cols and rows must be numbers between 1 and 1000.");
    return v;
}

unsigned sizeOf(const json& body, const char* field, unsigned fallback) {
    const auto it = body.find(field);
    if (it == body.end() || it->is_null())
        return fallback;
    if (!it->is_number_integer() || it->get<long long>() < kMinPtySize || it->get<long long>() > kMaxPtySize)
        throw badRequest(std::string("'") + field + "' must be a number between 1 and 1000.");
    return it->get<unsigned>();
}

// The error Daytona's daemon sends on a terminal socket, then the close.
void refuse(WebSocket& ws, const std::string& message) {
    ws.sendText(json{{"type", "control"}, {"status", "error"}, {"error", message}}.dump());
    ws.close(wsclose::kError, json{{"error", message}}.dump());
}

// Accepts the socket, echoing the exit-control subprotocol when offered (else the first offered: the
// client aborts when its offer gets no answer).
awaitable<bool> acceptTerminal(WebSocket& ws, http::Request req, bool& exitControl) {
    const auto offered = offeredProtocols(req);
    exitControl = std::find(offered.begin(), offered.end(), kExitControl) != offered.end();
    const std::string protocol =
        exitControl ? std::string(kExitControl) : (offered.empty() ? std::string() : offered.front());
    auto accepting = ws.accept(std::move(req), protocol);
    co_return co_await std::move(accepting);
}

// Feeds the client's input to the terminal until the client or the terminal goes.
awaitable<void> pump(std::shared_ptr<Pty> pty, std::shared_ptr<WebSocket> ws) {
    for (;;) {
        auto reading = ws->read();
        auto message = co_await std::move(reading);
        if (!message)
            break;
        if (!pty->input(std::move(message->data))) {
            ws->close(wsclose::kPolicy, "the terminal is not taking input");
            break;
        }
    }
    pty->detach(ws);
}

awaitable<void> createConnect(Ptys& ptys, Call c, std::shared_ptr<WebSocket> ws) {
    const auto offered = offeredProtocols(c.req);
    bool exitControl = false;
    auto accepting = acceptTerminal(*ws, std::move(c.req), exitControl);
    if (!co_await std::move(accepting))
        co_return;
    // Refusals come as a control frame on the open socket: that is where the SDK looks for them.
    std::shared_ptr<Pty> pty;
    std::string refusal;
    try {
        PtyOptions o;
        o.id = c.queryValue("id").value_or(std::string());
        o.cols = sizeOf(c.queryValue("cols"), 80);
        o.rows = sizeOf(c.queryValue("rows"), 24);
        o.cwd = c.queryValue("cwd").value_or(std::string());
        for (const auto& token : offered) {
            if (token.rfind(kEnvsPrefix, 0) != 0)
                continue;
            const auto decoded = base64UrlDecode(std::string_view(token).substr(kEnvsPrefix.size()));
            const json envs = decoded ? json::parse(*decoded, nullptr, false) : json();
            if (auto error = parseEnvObject(envs, "envs", o.envs))
                throw badRequest("The envs subprotocol token is not a base64url JSON object: " + *error);
        }
        pty = ptys.create(std::move(o));
    } catch (const ApiError& e) {
        refusal = e.message;
    }
    if (!pty) {
        refuse(*ws, refusal);
        co_return;
    }
    pty->attach(ws, exitControl);
    auto pumping = pump(pty, ws);
    co_await std::move(pumping);
}

awaitable<void> connect(Ptys& ptys, Call c, std::shared_ptr<WebSocket> ws) {
    bool exitControl = false;
    const std::string id = c.param("id");
    auto accepting = acceptTerminal(*ws, std::move(c.req), exitControl);
    if (!co_await std::move(accepting))
        co_return;
    auto pty = ptys.find(id);
    if (!pty) {
        refuse(*ws, "No PTY session '" + id + "'.");
        co_return;
    }
    std::string refusal;
    try {
        ptys.ensureStarted(*pty);
    } catch (const ApiError& e) {
        refusal = e.message;
    }
    if (!refusal.empty()) {
        refuse(*ws, refusal);
        co_return;
    }
    pty->attach(ws, exitControl);
    auto pumping = pump(pty, ws);
    co_await std::move(pumping);
}
} // namespace

void addPtyRoutes(Routes& r, Toolbox& t) {
    // Never destroyed, as the desktop: its terminals' timers must not outlive the io_context at exit.
    static Ptys& ptys = *new Ptys(t);
    r.addSync(verb::get, "/process/pty", [](const Call& c) { return c.json(200, ptys.list()); });
    r.addSync(verb::post, "/process/pty", [](const Call& c) {
        const json body = c.jsonBody();
        if (!body.is_object())
            throw apiError(400, "The body must be {id, cwd?, envs?, cols?, rows?, lazyStart?}.",
                           code::kInvalidBody);
        PtyOptions o;
        const json id = body.value("id", json());
        if (!id.is_null() && !id.is_string())
            throw badRequest("'id' must be a string.");
        o.id = id.is_string() ? id.get<std::string>() : std::string();
        if (o.id.empty())
            o.id = "pty-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
        const json cwd = body.value("cwd", json());
        if (!cwd.is_null() && !cwd.is_string())
            throw badRequest("'cwd' must be a string.");
        o.cwd = cwd.is_string() ? cwd.get<std::string>() : std::string();
        if (auto error = parseEnvObject(body.value("envs", json()), "envs", o.envs))
            throw badRequest(*error);
        o.cols = sizeOf(body, "cols", 80);
        o.rows = sizeOf(body, "rows", 24);
        o.lazyStart = body.value("lazyStart", json(false)).is_boolean() && body["lazyStart"].get<bool>();
        auto pty = ptys.create(std::move(o));
        return c.json(201, {{"sessionId", pty->id()}});
    });
    r.addSync(verb::get, "/process/pty/{id}",
              [](const Call& c) { return c.json(200, ptys.get(c.param("id"))->info()); });
    r.addSync(verb::delete_, "/process/pty/{id}", [](const Call& c) {
        ptys.remove(c.param("id"));
        return c.json(200, {{"message", "PTY session " + c.param("id") + " deleted"}});
    });
    r.addSync(verb::post, "/process/pty/{id}/resize", [](const Call& c) {
        const json body = c.jsonBody();
        if (!body.is_object() || !body.contains("cols") || !body.contains("rows"))
            throw apiError(400, "The body must be {cols, rows}.", code::kInvalidBody);
        auto pty = ptys.get(c.param("id"));
        if (auto error = pty->resize(sizeOf(body, "cols", 0), sizeOf(body, "rows", 0)))
            throw badRequest(*error);
        return c.json(200, pty->info());
    });
    r.addWebSocket("/process/pty/create-connect", [](Call c, std::shared_ptr<WebSocket> ws) {
        return createConnect(ptys, std::move(c), ws);
    });
    r.addWebSocket("/process/pty/{id}/connect",
                   [](Call c, std::shared_ptr<WebSocket> ws) { return connect(ptys, std::move(c), ws); });
}

} // namespace cove::agent
