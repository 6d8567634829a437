// Each tool checks its arguments, calls coved and answers with text (and structured content where it is
// natural). What goes wrong in the sandbox or in coved is a tool result with isError and a sentence saying
// what to do, so the model can correct itself; only a call the protocol cannot take is a JSON-RPC error.
#include "app/cli/McpTools.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QMimeDatabase>
#include <QPointer>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QTimer>
#include <QUrl>
#include <QUuid>

namespace cove::cli::mcp {

namespace {

constexpr int kPollMs = 400;                        // how often a wait asks for the sandbox's state
constexpr qint64 kCreateWaitMs = 10 * 60 * 1000;    // an image build or pull may take minutes
constexpr qint64 kStateWaitMs = 3 * 60 * 1000;      // start and stop
constexpr int kDefaultCommandTimeout = 300;         // seconds
constexpr int kMostCommandTimeout = 24 * 60 * 60;   // seconds
constexpr int kProgressTickMs = 2000;               // progress while a command runs
constexpr qsizetype kMostOutputChars = 1024 * 1024; // output passed on in a tool's answer
constexpr int kMostListed = 1000;                   // entries of list_files
constexpr int kMostResources = 20;                  // sandboxes in resources/list
// In the environment of each command and program, naming its request (to find it when cancelled).
constexpr const char* kMarkerVariable = "COVE_MCP_REQUEST";
const QString kSandboxHint = QStringLiteral("list_sandboxes shows the sandboxes there are.");

QJsonObject text(const QString& t) {
    return {{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), t}};
}

QJsonObject success(const QString& t, const QJsonObject& structured = {}) {
    QJsonObject r{{QStringLiteral("content"), QJsonArray{text(t)}}};
    if (!structured.isEmpty())
        r.insert(QStringLiteral("structuredContent"), structured);
    return r;
}

QJsonObject toolError(const QString& t) {
    return {{QStringLiteral("content"), QJsonArray{text(t)}}, {QStringLiteral("isError"), true}};
}

// The languages of run_code (and of a sandbox's code toolbox).
bool isCodeLanguage(const QString& language) {
    return language == QLatin1String("python") || language == QLatin1String("javascript") ||
           language == QLatin1String("typescript");
}
const QString kLanguageError = QStringLiteral("'language' must be python, javascript or typescript.");

// What a failed coved call tells the model: coved's sentence, and for a sandbox that is not there, where
// to look.
QString failure(const CovedReply& r, bool aboutSandbox = true) {
    QString m = r.error.isEmpty() ? QStringLiteral("The Cove service answered %1.").arg(r.status) : r.error;
    if (r.status == 401)
        m = QStringLiteral("The Cove service refused the API key (%1). Give cove-cli mcp a valid key with "
                           "--api-key-file or COVE_API_KEY.")
                .arg(r.error);
    else if (r.status == 404 && aboutSandbox)
        m += QLatin1Char(' ') + kSandboxHint;
    return m;
}

// The arguments of one call, read with their types checked; the first problem is kept as `error`.
class Args {
public:
    explicit Args(const QJsonObject& o)
        : m_o(o) {}
    QString error;

    QString string(const char* name, bool required = false, const QString& fallback = {}) {
        const QJsonValue v = m_o.value(QLatin1String(name));
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(QStringLiteral("The argument '%1' is required; see the tool's input schema.").arg(name));
            return fallback;
        }
        if (!v.isString()) {
            fail(QStringLiteral("The argument '%1' must be a string.").arg(name));
            return fallback;
        }
        if (required && v.toString().trimmed().isEmpty())
            fail(QStringLiteral("The argument '%1' must not be empty.").arg(name));
        return v.toString();
    }
    std::optional<int> integer(const char* name, int min, int max) {
        const QJsonValue v = m_o.value(QLatin1String(name));
        if (v.isUndefined() || v.isNull())
            return std::nullopt;
        const double d = v.toDouble(-1e300);
        if (!v.isDouble() || d != double(qint64(d)) || d < min || d > max) {
            fail(QStringLiteral("The argument '%1' must be a whole number from %2 to %3.")
                     .arg(name)
                     .arg(min)
                     .arg(max));
            return std::nullopt;
        }
        return int(d);
    }
    QMap<QString, QString> map(const char* name) {
        QMap<QString, QString> out;
        const QJsonValue v = m_o.value(QLatin1String(name));
        if (v.isUndefined() || v.isNull())
            return out;
        if (!v.isObject()) {
            fail(QStringLiteral("The argument '%1' must be an object of strings.").arg(name));
            return out;
        }
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!it.value().isString())
                fail(QStringLiteral("'%1.%2' must be a string.").arg(QLatin1String(name), it.key()));
            out.insert(it.key(), it.value().toString());
        }
        return out;
    }

private:
    void fail(const QString& why) {
        if (error.isEmpty())
            error = why;
    }
    const QJsonObject& m_o;
};

QJsonObject prop(const char* type, const QString& description) {
    return {{QStringLiteral("type"), QLatin1String(type)}, {QStringLiteral("description"), description}};
}

QJsonObject intProp(const QString& description, int min, int max) {
    QJsonObject p = prop("integer", description);
    p.insert(QStringLiteral("minimum"), min);
    p.insert(QStringLiteral("maximum"), max);
    return p;
}

QJsonObject mapProp(const QString& description) {
    QJsonObject p = prop("object", description);
    p.insert(QStringLiteral("additionalProperties"),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}});
    return p;
}

QJsonObject sandboxProp() {
    return prop("string",
                QStringLiteral("The sandbox's id or name, as create_sandbox or list_sandboxes give it."));
}

QJsonObject objectSchema(const QJsonObject& properties, const QStringList& required = {}) {
    QJsonObject s{{QStringLiteral("type"), QStringLiteral("object")},
                  {QStringLiteral("properties"), properties}};
    if (!required.isEmpty())
        s.insert(QStringLiteral("required"), QJsonArray::fromStringList(required));
    return s;
}

QJsonObject sandboxSchema() {
    return objectSchema({{QStringLiteral("id"), prop("string", QStringLiteral("The sandbox's id."))},
                         {QStringLiteral("name"), prop("string", QStringLiteral("Its name."))},
                         {QStringLiteral("state"), prop("string", QStringLiteral("started, stopped, …"))},
                         {QStringLiteral("snapshot"), prop("string", QStringLiteral("The image it runs."))},
                         {QStringLiteral("cpu"), prop("number", QStringLiteral("vCPUs."))},
                         {QStringLiteral("memory"), prop("number", QStringLiteral("Memory in GiB."))},
                         {QStringLiteral("disk"), prop("number", QStringLiteral("Disk in GiB."))},
                         {QStringLiteral("labels"), mapProp(QStringLiteral("Its labels."))}},
                        {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("state")});
}

QJsonObject processSchema() {
    return objectSchema(
        {{QStringLiteral("exitCode"), prop("integer", QStringLiteral("The exit code."))},
         {QStringLiteral("output"), prop("string", QStringLiteral("stdout and stderr, combined."))}},
        {QStringLiteral("exitCode"), QStringLiteral("output")});
}

QJsonObject annotations(bool readOnly, bool destructive, bool idempotent) {
    return {{QStringLiteral("readOnlyHint"), readOnly},
            {QStringLiteral("destructiveHint"), destructive},
            {QStringLiteral("idempotentHint"), idempotent},
            {QStringLiteral("openWorldHint"), false}};
}

QJsonObject tool(const char* name, const QString& title, const QString& description, const QJsonObject& input,
                 const QJsonObject& output, const QJsonObject& hints) {
    QJsonObject t{{QStringLiteral("name"), QLatin1String(name)},
                  {QStringLiteral("title"), title},
                  {QStringLiteral("description"), description},
                  {QStringLiteral("inputSchema"), input},
                  {QStringLiteral("annotations"), hints}};
    if (!output.isEmpty())
        t.insert(QStringLiteral("outputSchema"), output);
    return t;
}

QJsonObject summary(const QJsonObject& dto) {
    QJsonObject labels = dto.value(QStringLiteral("labels")).toObject();
    return {{QStringLiteral("id"), dto.value(QStringLiteral("id")).toString()},
            {QStringLiteral("name"), dto.value(QStringLiteral("name")).toString()},
            {QStringLiteral("state"), dto.value(QStringLiteral("state")).toString()},
            {QStringLiteral("snapshot"), dto.value(QStringLiteral("snapshot")).toString()},
            {QStringLiteral("cpu"), dto.value(QStringLiteral("cpu")).toDouble()},
            {QStringLiteral("memory"), dto.value(QStringLiteral("memory")).toDouble()},
            {QStringLiteral("disk"), dto.value(QStringLiteral("disk")).toDouble()},
            {QStringLiteral("labels"), labels}};
}

QString describe(const QJsonObject& s) {
    return QStringLiteral("%1 (id %2): %3, snapshot %4, %5 vCPU, %6 GiB memory, %7 GiB disk")
        .arg(s.value(QStringLiteral("name")).toString(), s.value(QStringLiteral("id")).toString(),
             s.value(QStringLiteral("state")).toString(), s.value(QStringLiteral("snapshot")).toString())
        .arg(s.value(QStringLiteral("cpu")).toDouble())
        .arg(s.value(QStringLiteral("memory")).toDouble())
        .arg(s.value(QStringLiteral("disk")).toDouble());
}

// How far a sandbox on its way to started has come, of 3; -1 for a state it will not leave by itself.
int stageOf(const QString& state) {
    static const QStringList preparing{
        QStringLiteral("creating"),         QStringLiteral("restoring"),
        QStringLiteral("pending_build"),    QStringLiteral("building_snapshot"),
        QStringLiteral("pulling_snapshot"), QStringLiteral("resuming")};
    if (state == QLatin1String("started"))
        return 3;
    if (state == QLatin1String("starting"))
        return 2;
    if (preparing.contains(state))
        return 1;
    return 0;
}

bool failedState(const QString& state) {
    return state == QLatin1String("error") || state == QLatin1String("build_failed") ||
           state == QLatin1String("destroyed") || state == QLatin1String("destroying");
}

// Text is passed on as text: valid UTF-8 with no NUL.
std::optional<QString> asText(const QByteArray& bytes) {
    if (bytes.contains('\0'))
        return std::nullopt;
    QStringDecoder decode(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString s = decode(bytes);
    if (decode.hasError())
        return std::nullopt;
    return s;
}

QString clipped(const QString& output) {
    if (output.size() <= kMostOutputChars)
        return output;
    return output.left(kMostOutputChars / 2) +
           QStringLiteral("\n[… %1 characters left out …]\n").arg(output.size() - kMostOutputChars) +
           output.right(kMostOutputChars / 2);
}

QString listing(const QJsonArray& files, int* shown = nullptr) {
    QStringList lines;
    for (const auto& v : files) {
        if (lines.size() >= kMostListed) {
            lines << QStringLiteral("[… %1 more]").arg(files.size() - kMostListed);
            break;
        }
        const QJsonObject f = v.toObject();
        const bool dir = f.value(QStringLiteral("isDir")).toBool();
        const QString name =
            f.value(QStringLiteral("path")).toString(f.value(QStringLiteral("name")).toString());
        lines << QStringLiteral("%1 %2 %3%4")
                     .arg(f.value(QStringLiteral("mode")).toString(),
                          dir ? QStringLiteral("-")
                              : QString::number(qint64(f.value(QStringLiteral("size")).toDouble())),
                          name, dir ? QStringLiteral("/") : QString());
    }
    if (shown)
        *shown = int(lines.size());
    return lines.isEmpty() ? QStringLiteral("(empty)") : lines.join(QLatin1Char('\n'));
}

} // namespace

Tools::Tools(Toolbox* toolbox)
    : m_toolbox(toolbox) {
    using namespace std::placeholders;
    const QJsonObject timeoutProp =
        intProp(QStringLiteral("Seconds before it is killed (default %1; 0 for no limit).")
                    .arg(kDefaultCommandTimeout),
                0, kMostCommandTimeout);
    add(tool("create_sandbox", QStringLiteral("Create a sandbox"),
             QStringLiteral(
                 "Creates a sandbox (a container with its own filesystem, processes and limits) and "
                 "waits until it has started. Without a snapshot it runs cove-base (Python, Node.js, "
                 "git; user cove with sudo); use cove-desktop for a screen (screenshot tool)."),
             objectSchema(
                 {{QStringLiteral("snapshot"),
                   prop("string",
                        QStringLiteral("The snapshot (image) to run, e.g. cove-base or cove-desktop."))},
                  {QStringLiteral("name"),
                   prop("string", QStringLiteral("A name for it (unique); chosen for you if left out."))},
                  {QStringLiteral("cpu"), intProp(QStringLiteral("vCPUs."), 1, 1024)},
                  {QStringLiteral("memory"), intProp(QStringLiteral("Memory in GiB."), 1, 65536)},
                  {QStringLiteral("disk"), intProp(QStringLiteral("Disk in GiB."), 1, 1048576)},
                  {QStringLiteral("env"),
                   mapProp(QStringLiteral("Environment variables for everything it runs."))},
                  {QStringLiteral("labels"), mapProp(QStringLiteral("Labels to find it by."))},
                  {QStringLiteral("autoStopInterval"),
                   intProp(QStringLiteral("Minutes without activity before it stops (0: never)."), 0,
                           1 << 30)},
                  {QStringLiteral("language"),
                   QJsonObject{{QStringLiteral("type"), QStringLiteral("string")},
                               {QStringLiteral("enum"),
                                QJsonArray{QStringLiteral("python"), QStringLiteral("javascript"),
                                           QStringLiteral("typescript")}},
                               {QStringLiteral("description"),
                                QStringLiteral("The default language of run_code.")}}}}),
             sandboxSchema(), annotations(false, false, false)),
        std::bind(&Tools::createSandbox, this, _1, _2));
    add(tool("list_sandboxes", QStringLiteral("List sandboxes"),
             QStringLiteral("Lists the sandboxes (at most 1000) with their id, name, state and resources."),
             objectSchema(
                 {{QStringLiteral("labels"), mapProp(QStringLiteral("Only those with all these labels."))}}),
             objectSchema(
                 {{QStringLiteral("sandboxes"), QJsonObject{{QStringLiteral("type"), QStringLiteral("array")},
                                                            {QStringLiteral("items"), sandboxSchema()}}}},
                 {QStringLiteral("sandboxes")}),
             annotations(true, false, true)),
        std::bind(&Tools::listSandboxes, this, _1, _2));
    add(tool("start_sandbox", QStringLiteral("Start a sandbox"),
             QStringLiteral("Starts a stopped (or resumes a paused) sandbox and waits until it has started."),
             objectSchema({{QStringLiteral("sandbox"), sandboxProp()}}, {QStringLiteral("sandbox")}),
             sandboxSchema(), annotations(false, false, true)),
        std::bind(&Tools::startSandbox, this, _1, _2));
    add(tool("stop_sandbox", QStringLiteral("Stop a sandbox"),
             QStringLiteral(
                 "Stops a sandbox: its processes end, its files stay. start_sandbox starts it again."),
             objectSchema({{QStringLiteral("sandbox"), sandboxProp()}}, {QStringLiteral("sandbox")}),
             sandboxSchema(), annotations(false, false, true)),
        std::bind(&Tools::stopSandbox, this, _1, _2));
    add(tool("delete_sandbox", QStringLiteral("Delete a sandbox"),
             QStringLiteral("Deletes a sandbox with its files. This cannot be undone."),
             objectSchema({{QStringLiteral("sandbox"), sandboxProp()}}, {QStringLiteral("sandbox")}), {},
             annotations(false, true, true)),
        std::bind(&Tools::deleteSandbox, this, _1, _2));
    add(tool("run_command", QStringLiteral("Run a shell command"),
             QStringLiteral(
                 "Runs a shell command in a started sandbox and answers with its output (stdout and "
                 "stderr combined) and exit code."),
             objectSchema(
                 {{QStringLiteral("sandbox"), sandboxProp()},
                  {QStringLiteral("command"),
                   prop("string", QStringLiteral("The command line, run by the shell."))},
                  {QStringLiteral("cwd"),
                   prop("string", QStringLiteral("The directory to run in (default: the home folder)."))},
                  {QStringLiteral("env"), mapProp(QStringLiteral("Extra environment variables."))},
                  {QStringLiteral("timeout"), timeoutProp}},
                 {QStringLiteral("sandbox"), QStringLiteral("command")}),
             processSchema(), annotations(false, true, false)),
        std::bind(&Tools::runCommand, this, _1, _2));
    add(tool("run_code", QStringLiteral("Run code"),
             QStringLiteral(
                 "Runs a program in a started sandbox (Python by default, or JavaScript or TypeScript) and "
                 "answers with its output and exit code."),
             objectSchema({{QStringLiteral("sandbox"), sandboxProp()},
                           {QStringLiteral("code"), prop("string", QStringLiteral("The program's source."))},
                           {QStringLiteral("language"),
                            QJsonObject{{QStringLiteral("type"), QStringLiteral("string")},
                                        {QStringLiteral("enum"),
                                         QJsonArray{QStringLiteral("python"), QStringLiteral("javascript"),
                                                    QStringLiteral("typescript")}},
                                        {QStringLiteral("description"),
                                         QStringLiteral("Its language (default python).")}}},
                           {QStringLiteral("env"), mapProp(QStringLiteral("Extra environment variables."))},
                           {QStringLiteral("timeout"), timeoutProp}},
                          {QStringLiteral("sandbox"), QStringLiteral("code")}),
             processSchema(), annotations(false, true, false)),
        std::bind(&Tools::runCode, this, _1, _2));
    add(tool("read_file", QStringLiteral("Read a file"),
             QStringLiteral(
                 "Reads a file (up to 8 MiB) from a started sandbox: text as text, anything else as a "
                 "base64 blob."),
             objectSchema(
                 {{QStringLiteral("sandbox"), sandboxProp()},
                  {QStringLiteral("path"),
                   prop("string",
                        QStringLiteral("The file's path (relative ones start at the home folder)."))}},
                 {QStringLiteral("sandbox"), QStringLiteral("path")}),
             {}, annotations(true, false, true)),
        std::bind(&Tools::readFile, this, _1, _2));
    add(tool("write_file", QStringLiteral("Write a file"),
             QStringLiteral(
                 "Writes a file in a started sandbox, making its folders; an existing file is replaced."),
             objectSchema({{QStringLiteral("sandbox"), sandboxProp()},
                           {QStringLiteral("path"),
                            prop("string", QStringLiteral(
                                               "The file's path (relative ones start at the home folder)."))},
                           {QStringLiteral("content"), prop("string", QStringLiteral("What to write."))},
                           {QStringLiteral("encoding"),
                            QJsonObject{{QStringLiteral("type"), QStringLiteral("string")},
                                        {QStringLiteral("enum"),
                                         QJsonArray{QStringLiteral("utf-8"), QStringLiteral("base64")}},
                                        {QStringLiteral("description"),
                                         QStringLiteral("How content is given (default utf-8).")}}}},
                          {QStringLiteral("sandbox"), QStringLiteral("path"), QStringLiteral("content")}),
             objectSchema({{QStringLiteral("path"), prop("string", QStringLiteral("The path written."))},
                           {QStringLiteral("bytes"), prop("integer", QStringLiteral("How many bytes."))}},
                          {QStringLiteral("path"), QStringLiteral("bytes")}),
             annotations(false, true, true)),
        std::bind(&Tools::writeFile, this, _1, _2));
    add(tool("list_files", QStringLiteral("List files"),
             QStringLiteral("Lists a folder of a started sandbox: mode, size and name of each entry."),
             objectSchema({{QStringLiteral("sandbox"), sandboxProp()},
                           {QStringLiteral("path"),
                            prop("string", QStringLiteral("The folder (default: the home folder)."))},
                           {QStringLiteral("depth"),
                            intProp(QStringLiteral("How many levels down (default 1)."), 1, 8)}},
                          {QStringLiteral("sandbox")}),
             objectSchema({{QStringLiteral("files"),
                            QJsonObject{{QStringLiteral("type"), QStringLiteral("array")},
                                        {QStringLiteral("items"),
                                         QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}}}}}},
                          {QStringLiteral("files")}),
             annotations(true, false, true)),
        std::bind(&Tools::listFiles, this, _1, _2));
    add(tool("get_preview_link", QStringLiteral("Get a preview link"),
             QStringLiteral(
                 "The URL at which a port of a sandbox (a web server in it) can be opened, with the token "
                 "a private sandbox needs."),
             objectSchema(
                 {{QStringLiteral("sandbox"), sandboxProp()},
                  {QStringLiteral("port"), intProp(QStringLiteral("The port in the sandbox."), 1, 65535)}},
                 {QStringLiteral("sandbox"), QStringLiteral("port")}),
             objectSchema({{QStringLiteral("url"), prop("string", QStringLiteral("The preview URL."))},
                           {QStringLiteral("token"),
                            prop("string", QStringLiteral("Sent as the X-Daytona-Preview-Token header."))},
                           {QStringLiteral("browserUrl"),
                            prop("string", QStringLiteral("The URL with the token, for a browser."))}},
                          {QStringLiteral("url"), QStringLiteral("token"), QStringLiteral("browserUrl")}),
             annotations(true, false, true)),
        std::bind(&Tools::previewLink, this, _1, _2));
    add(tool("screenshot", QStringLiteral("Take a screenshot"),
             QStringLiteral(
                 "A PNG of the screen of a sandbox made from the cove-desktop snapshot (its desktop is "
                 "started if it is not running)."),
             objectSchema({{QStringLiteral("sandbox"), sandboxProp()}}, {QStringLiteral("sandbox")}), {},
             annotations(true, false, false)),
        std::bind(&Tools::screenshot, this, _1, _2));
}

void Tools::add(const QJsonObject& t, Handler handler) {
    m_list.append(t);
    m_handlers.insert(t.value(QStringLiteral("name")).toString(), std::move(handler));
}

void Tools::callTool(const QString& name, const QJsonObject& arguments, const CallPtr& call) {
    m_handlers.value(name)(arguments, call);
}

void Tools::createSandbox(const QJsonObject& args, const CallPtr& call) {
    Args a(args);
    QJsonObject body;
    const QString snapshot = a.string("snapshot");
    const QString name = a.string("name");
    if (!snapshot.isEmpty())
        body.insert(QStringLiteral("snapshot"), snapshot);
    if (!name.isEmpty())
        body.insert(QStringLiteral("name"), name);
    for (const auto& [key, min, max] :
         {std::tuple{"cpu", 1, 1024}, std::tuple{"memory", 1, 65536}, std::tuple{"disk", 1, 1048576},
          std::tuple{"autoStopInterval", 0, 1 << 30}})
        if (const auto v = a.integer(key, min, max))
            body.insert(QLatin1String(key), *v);
    QJsonObject env, labels;
    for (const auto& [k, v] : a.map("env").asKeyValueRange())
        env.insert(k, v);
    for (const auto& [k, v] : a.map("labels").asKeyValueRange())
        labels.insert(k, v);
    const QString language = a.string("language");
    if (!language.isEmpty()) {
        if (!isCodeLanguage(language))
            return call->reply(toolError(kLanguageError));
        labels.insert(QStringLiteral("code-toolbox-language"), language);
    }
    if (!a.error.isEmpty())
        return call->reply(toolError(a.error));
    if (!env.isEmpty())
        body.insert(QStringLiteral("env"), env);
    if (!labels.isEmpty())
        body.insert(QStringLiteral("labels"), labels);
    call->progress(0, 3, QStringLiteral("Creating the sandbox"));
    m_toolbox->createSandbox(call, body, [this, call](const CovedReply& r) {
        if (!r.ok)
            return call->reply(
                toolError(QStringLiteral("The sandbox was not created: %1").arg(failure(r, false))));
        const QJsonObject s = summary(r.json.object());
        const QString state = s.value(QStringLiteral("state")).toString();
        if (state != QLatin1String("started"))
            call->progress(
                std::max(1, stageOf(state)), 3,
                QStringLiteral("Sandbox %1 is %2").arg(s.value(QStringLiteral("name")).toString(), state));
        waitFor(call, s.value(QStringLiteral("id")).toString(), QStringLiteral("started"),
                QStringLiteral("Created"), kCreateWaitMs);
    });
}

void Tools::waitFor(const CallPtr& call, const QString& sandbox, const QString& wanted, const QString& verb,
                    qint64 deadlineMs) {
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    auto poll = std::make_shared<std::function<void()>>();
    std::weak_ptr<std::function<void()>> weakPoll = poll;
    *poll = [this, call, sandbox, wanted, verb, deadlineMs, clock, weakPoll] {
        m_toolbox->getSandbox(call, sandbox, [=, this](const CovedReply& r) {
            if (!r.ok)
                return call->reply(toolError(failure(r)));
            const QJsonObject s = summary(r.json.object());
            const QString state = s.value(QStringLiteral("state")).toString();
            if (state == wanted) {
                call->progress(3, 3,
                               QStringLiteral("Sandbox %1 is %2")
                                   .arg(s.value(QStringLiteral("name")).toString(), state));
                return call->reply(success(QStringLiteral("%1 sandbox %2").arg(verb, describe(s)), s));
            }
            if (failedState(state) ||
                (wanted == QLatin1String("started") && state == QLatin1String("stopped") &&
                 verb == QLatin1String("Created"))) {
                const QString reason = r.json.object().value(QStringLiteral("errorReason")).toString();
                return call->reply(toolError(
                    QStringLiteral(
                        "Sandbox %1 is %2%3. Delete it with delete_sandbox and create another (another "
                        "snapshot or fewer resources may help).")
                        .arg(sandbox, state,
                             reason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(reason))));
            }
            if (wanted == QLatin1String("started"))
                call->progress(stageOf(state), 3,
                               QStringLiteral("Sandbox %1 is %2")
                                   .arg(s.value(QStringLiteral("name")).toString(), state));
            if (clock->elapsed() > deadlineMs)
                return call->reply(
                    toolError(QStringLiteral("Sandbox %1 is still %2 after %3 s; check on it later with "
                                             "list_sandboxes.")
                                  .arg(sandbox, state)
                                  .arg(clock->elapsed() / 1000)));
            QTimer::singleShot(kPollMs, [call, weakPoll] {
                if (call->finished())
                    return;
                if (auto next = weakPoll.lock())
                    (*next)();
            });
        });
    };
    // The poll function lives as long as the call: its cancel hooks hold it.
    call->onCancel([poll] {});
    (*poll)();
}

void Tools::listSandboxes(const QJsonObject& args, const CallPtr& call) {
    Args a(args);
    const QMap<QString, QString> wanted = a.map("labels");
    if (!a.error.isEmpty())
        return call->reply(toolError(a.error));
    auto found = std::make_shared<QJsonArray>();
    auto page = std::make_shared<std::function<void(const QString&)>>();
    std::weak_ptr<std::function<void(const QString&)>> weakPage = page;
    *page = [this, call, wanted, found, weakPage](const QString& cursor) {
        m_toolbox->listSandboxes(call, cursor, [=](const CovedReply& r) {
            if (!r.ok)
                return call->reply(toolError(failure(r, false)));
            const QJsonObject o = r.json.object();
            for (const auto& v : o.value(QStringLiteral("items")).toArray()) {
                const QJsonObject s = summary(v.toObject());
                const QJsonObject labels = s.value(QStringLiteral("labels")).toObject();
                bool match = true;
                for (const auto& [k, want] : wanted.asKeyValueRange())
                    match = match && labels.value(k).toString() == want;
                if (match)
                    found->append(s);
            }
            const QString next = o.value(QStringLiteral("nextCursor")).toString();
            if (!next.isEmpty() && found->size() < 1000)
                if (auto more = weakPage.lock())
                    return (*more)(next);
            QStringList lines;
            for (const auto& s : *found)
                lines << describe(s.toObject());
            call->reply(success(lines.isEmpty()
                                    ? QStringLiteral("There are no sandboxes; create_sandbox makes one.")
                                    : lines.join(QLatin1Char('\n')),
                                {{QStringLiteral("sandboxes"), *found}}));
        });
    };
    call->onCancel([page] {});
    (*page)({});
}

void Tools::startSandbox(const QJsonObject& args, const CallPtr& call) {
    changeState(args, call, QStringLiteral("start"), QStringLiteral("started"), QStringLiteral("Started"));
}

void Tools::stopSandbox(const QJsonObject& args, const CallPtr& call) {
    changeState(args, call, QStringLiteral("stop"), QStringLiteral("stopped"), QStringLiteral("Stopped"));
}

void Tools::changeState(const QJsonObject& args, const CallPtr& call, const QString& action,
                        const QString& wanted, const QString& verb) {
    Args a(args);
    const QString sandbox = a.string("sandbox", true);
    if (!a.error.isEmpty())
        return call->reply(toolError(a.error));
    m_toolbox->sandboxAction(call, sandbox, action, [this, call, sandbox, wanted, verb](const CovedReply& r) {
        if (!r.ok)
            return call->reply(toolError(failure(r)));
        waitFor(call, sandbox, wanted, verb, kStateWaitMs);
    });
}

void Tools::deleteSandbox(const QJsonObject& args, const CallPtr& call) {
    Args a(args);
    const QString sandbox = a.string("sandbox", true);
    if (!a.error.isEmpty())
        return call->reply(toolError(a.error));
    m_toolbox->deleteSandbox(call, sandbox, [call, sandbox](const CovedReply& r) {
        if (!r.ok)
            return call->reply(toolError(failure(r)));
        call->reply(success(QStringLiteral("Deleted sandbox %1.").arg(sandbox)));
    });
}

void Tools::runProcess(const CallPtr& call, const QString& sandbox, const QString& what,
                       const QMap<QString, QString>& env, int timeout,
                       const std::function<void(const QMap<QString, QString>& env, Toolbox::Done)>& start) {
    // The agent lets a command run on when its request goes away; a cancelled one is found by a variable
    // of its environment, which its children inherit, and killed.
    const QString marker = QUuid::createUuid().toString(QUuid::Id128);
    call->onCancel([this, sandbox, marker] {
        const QString kill =
            QStringLiteral("m=%1=%2; for i in $(seq 50); do found=; for p in /proc/[0-9]*; do "
                           "if grep -qzx \"$m\" \"$p/environ\" 2>/dev/null; then kill -KILL \"${p#/proc/}\" "
                           "2>/dev/null; found=1; fi; done; [ -z \"$found\" ] && break; sleep 0.1; done")
                .arg(QLatin1String(kMarkerVariable), marker);
        ++m_cleanups;
        m_toolbox->execute(std::make_shared<Call>(), sandbox, kill, {}, {}, 30, [this](const CovedReply& r) {
            if (!r.ok)
                qWarning("cove-cli mcp: a cancelled command may still run: %s", qPrintable(r.error));
            if (--m_cleanups == 0 && m_settled)
                m_settled();
        });
    });
    // Progress while it runs: seconds so far, of the timeout when there is one.
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    const std::optional<double> total = timeout > 0 ? std::optional<double>(timeout) : std::nullopt;
    call->progress(0, total, QStringLiteral("Running %1 in %2").arg(what, sandbox));
    QPointer<QTimer> ticker = new QTimer;
    ticker->setInterval(kProgressTickMs);
    QObject::connect(ticker, &QTimer::timeout, ticker, [call, clock, total, what] {
        call->progress(double(clock->elapsed() / 1000), total,
                       QStringLiteral("%1 has run for %2 s").arg(what).arg(clock->elapsed() / 1000));
    });
    ticker->start();
    const auto stopTicker = [ticker] {
        if (ticker)
            ticker->deleteLater();
    };
    call->onCancel(stopTicker);
    QMap<QString, QString> marked = env;
    marked.insert(QLatin1String(kMarkerVariable), marker);
    start(marked, [call, stopTicker, timeout, what](const CovedReply& r) {
        stopTicker();
        if (!r.ok) {
            if (r.status == 408)
                return call->reply(
                    toolError(QStringLiteral("%1 (The %2 was killed; pass a larger timeout, or 0 for "
                                             "none.)")
                                  .arg(r.error, what)));
            if (r.status == 0 && timeout == 0)
                return call->reply(toolError(r.error));
            return call->reply(toolError(failure(r)));
        }
        const QJsonObject o = r.json.object();
        const int exitCode =
            o.value(QStringLiteral("exitCode")).toInt(o.value(QStringLiteral("code")).toInt());
        const QString output = clipped(o.value(QStringLiteral("result")).toString());
        QString t = output;
        if (!t.isEmpty() && !t.endsWith(QLatin1Char('\n')))
            t += QLatin1Char('\n');
        t += QStringLiteral("[exit code %1]").arg(exitCode);
        call->reply(success(t, {{QStringLiteral("exitCode"), exitCode}, {QStringLiteral("output"), output}}));
    });
}

void Tools::runCommand(const QJsonObject& args, const CallPtr& call) {
    Args a(args);
    const QString sandbox = a.string("sandbox", true);
    const QString command = a.string("command", true);
    const QString cwd = a.string("cwd");
    const QMap<QString, QString> env = a.map("env");
    const int timeout = a.integer("timeout", 0, kMostCommandTimeout).value_or(kDefaultCommandTimeout);
    if (!a.error.isEmpty())
        return call->reply(toolError(a.error));
    runProcess(call, sandbox, QStringLiteral("command"), env, timeout,
               [=, this](const QMap<QString, QString>& marked, Toolbox::Done done) {
                   m_toolbox->execute(call, sandbox, command, cwd, marked, timeout, std::move(done));
               });
}

void Tools::runCode(const QJsonObject& args, const CallPtr& call) {
    Args a(args);
    const QString sandbox = a.string("sandbox", true);
    const QString code = a.string("code", true);
    const QString language = a.string("language", false, QStringLiteral("python"));
    const QMap<QString, QString> env = a.map("env");
    const int timeout = a.integer("timeout", 0, kMostCommandTimeout).value_or(kDefaultCommandTimeout);
    if (!a.error.isEmpty())
        return call->reply(toolError(a.error));
    if (!isCodeLanguage(language))
        return call->reply(toolError(kLanguageError));
    runProcess(call, sandbox, QStringLiteral("program"), env, timeout,
               [=, this](const QMap<QString, QString>& marked, Toolbox::Done done) {
                   m_toolbox->codeRun(call, sandbox, code, language, marked, timeout, std::move(done));
               });
}

void Tools::readFile(const QJsonObject& args, const CallPtr& call) {
    Args a(args);
    const QString sandbox = a.string("sandbox", true);
    const QString path = a.string("path", true);
    if (!a.error.isEmpty())
        return call->reply(toolError(a.error));
    m_toolbox->download(call, sandbox, path, [call, sandbox, path](const CovedReply& r) {
        if (!r.ok)
            return call->reply(toolError(failure(r, false)));
        if (const auto t = asText(r.body))
            return call->reply(success(*t));
        const QString mime = QMimeDatabase().mimeTypeForFileNameAndData(path, r.body).name();
        const QJsonObject resource{
            {QStringLiteral("uri"),
             QStringLiteral("cove://sandbox/%1/files/%2")
                 .arg(QString::fromLatin1(QUrl::toPercentEncoding(sandbox)),
                      QString::fromLatin1(QUrl::toPercentEncoding(
                          path.startsWith(QLatin1Char('/')) ? path.mid(1) : path, "/")))},
            {QStringLiteral("mimeType"), mime},
            {QStringLiteral("blob"), QString::fromLatin1(r.body.toBase64())}};
        call->reply({{QStringLiteral("content"),
                      QJsonArray{text(QStringLiteral("%1 is binary (%2, %3 bytes); it follows as base64.")
                                          .arg(path, mime)
                                          .arg(r.body.size())),
                                 QJsonObject{{QStringLiteral("type"), QStringLiteral("resource")},
                                             {QStringLiteral("resource"), resource}}}}});
    });
}

void Tools::writeFile(const QJsonObject& args, const CallPtr& call) {
    Args a(args);
    const QString sandbox = a.string("sandbox", true);
    const QString path = a.string("path", true);
    const QString content = a.string("content");
    const QString encoding = a.string("encoding", false, QStringLiteral("utf-8"));
    if (!args.value(QStringLiteral("content")).isString() && a.error.isEmpty())
        a.error = QStringLiteral("The argument 'content' is required (a string; \"\" for an empty file).");
    if (!a.error.isEmpty())
        return call->reply(toolError(a.error));
    QByteArray bytes;
    if (encoding == QLatin1String("base64")) {
        const auto decoded =
            QByteArray::fromBase64Encoding(content.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return call->reply(toolError(QStringLiteral("'content' is not valid base64.")));
        bytes = *decoded;
    } else if (encoding == QLatin1String("utf-8")) {
        bytes = content.toUtf8();
    } else {
        return call->reply(toolError(QStringLiteral("'encoding' must be utf-8 or base64.")));
    }
    const qsizetype size = bytes.size();
    m_toolbox->upload(call, sandbox, path, bytes, [call, path, size](const CovedReply& r) {
        if (!r.ok)
            return call->reply(toolError(failure(r, false)));
        call->reply(success(QStringLiteral("Wrote %1 bytes to %2.").arg(size).arg(path),
                            {{QStringLiteral("path"), path}, {QStringLiteral("bytes"), double(size)}}));
    });
}

void Tools::listFiles(const QJsonObject& args, const CallPtr& call) {
    Args a(args);
    const QString sandbox = a.string("sandbox", true);
    const QString path = a.string("path");
    const int depth = a.integer("depth", 1, 8).value_or(1);
    if (!a.error.isEmpty())
        return call->reply(toolError(a.error));
    m_toolbox->listFiles(call, sandbox, path, depth, [call](const CovedReply& r) {
        if (!r.ok)
            return call->reply(toolError(failure(r, false)));
        QJsonArray files = r.json.array();
        while (files.size() > kMostListed)
            files.removeLast();
        call->reply(success(listing(r.json.array()), {{QStringLiteral("files"), files}}));
    });
}

void Tools::previewLink(const QJsonObject& args, const CallPtr& call) {
    Args a(args);
    const QString sandbox = a.string("sandbox", true);
    const auto port = a.integer("port", 1, 65535);
    if (a.error.isEmpty() && !port)
        a.error =
            QStringLiteral("The argument 'port' is required: the port a server in the sandbox listens on.");
    if (!a.error.isEmpty())
        return call->reply(toolError(a.error));
    m_toolbox->previewUrl(call, sandbox, *port, [call, port](const CovedReply& r) {
        if (!r.ok)
            return call->reply(toolError(failure(r)));
        const QJsonObject o = r.json.object();
        const QString url = o.value(QStringLiteral("url")).toString();
        const QString token = o.value(QStringLiteral("token")).toString();
        QUrl browser(url);
        browser.setQuery(QStringLiteral("DAYTONA_SANDBOX_AUTH_KEY=") + token);
        const QString browserUrl = browser.toString();
        call->reply(
            success(QStringLiteral("Port %1 of the sandbox is at %2\nA private sandbox needs its token: send "
                                   "the header \"X-Daytona-Preview-Token: %3\", or open %4 in a browser.")
                        .arg(*port)
                        .arg(url, token, browserUrl),
                    {{QStringLiteral("url"), url},
                     {QStringLiteral("token"), token},
                     {QStringLiteral("browserUrl"), browserUrl}}));
    });
}

void Tools::screenshot(const QJsonObject& args, const CallPtr& call) {
    Args a(args);
    const QString sandbox = a.string("sandbox", true);
    if (!a.error.isEmpty())
        return call->reply(toolError(a.error));
    auto answer = [call](const CovedReply& r) {
        const QString png = r.json.object().value(QStringLiteral("screenshot")).toString();
        if (png.isEmpty())
            return call->reply(toolError(QStringLiteral("The sandbox answered with no image.")));
        call->reply({{QStringLiteral("content"),
                      QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("image")},
                                             {QStringLiteral("data"), png},
                                             {QStringLiteral("mimeType"), QStringLiteral("image/png")}}}}});
    };
    m_toolbox->screenshot(call, sandbox, [this, call, sandbox, answer](const CovedReply& r) {
        if (r.ok)
            return answer(r);
        if (r.status == 503)
            return call->reply(toolError(r.error)); // it says to use the cove-desktop snapshot
        if (r.status != 409)
            return call->reply(toolError(failure(r)));
        // The desktop is not running: start it, then look again.
        call->progress(1, 3, QStringLiteral("Starting the desktop"));
        m_toolbox->startComputerUse(call, sandbox, [this, call, sandbox, answer](const CovedReply& started) {
            if (!started.ok)
                return call->reply(
                    toolError(QStringLiteral("The desktop did not start: %1").arg(failure(started))));
            call->progress(2, 3, QStringLiteral("Taking the screenshot"));
            m_toolbox->screenshot(call, sandbox, [call, answer](const CovedReply& again) {
                if (!again.ok)
                    return call->reply(toolError(failure(again)));
                answer(again);
            });
        });
    });
}

QJsonArray Tools::resourceTemplates() const {
    return {QJsonObject{
        {QStringLiteral("uriTemplate"), QStringLiteral("cove://sandbox/{sandbox}/files/{+path}")},
        {QStringLiteral("name"), QStringLiteral("sandbox-file")},
        {QStringLiteral("title"), QStringLiteral("A file or folder in a sandbox")},
        {QStringLiteral("description"),
         QStringLiteral(
             "{sandbox} is a started sandbox's id or name; {path} an absolute path without its leading "
             "slash (empty for the home folder). Files read as text or a blob; folders as a listing.")}}};
}

void Tools::listResources(const CallPtr& call) {
    m_toolbox->listSandboxes(call, {}, [call](const CovedReply& r) {
        if (!r.ok)
            return call->fail(kInternalError, failure(r, false));
        QJsonArray resources;
        for (const auto& v : r.json.object().value(QStringLiteral("items")).toArray()) {
            const QJsonObject s = v.toObject();
            if (s.value(QStringLiteral("state")).toString() != QLatin1String("started"))
                continue;
            if (resources.size() >= kMostResources)
                break;
            const QString id = s.value(QStringLiteral("id")).toString();
            const QString name = s.value(QStringLiteral("name")).toString();
            resources.append(
                QJsonObject{{QStringLiteral("uri"), QStringLiteral("cove://sandbox/%1/files/").arg(id)},
                            {QStringLiteral("name"), name + QStringLiteral(" home")},
                            {QStringLiteral("title"), QStringLiteral("Home folder of sandbox %1").arg(name)},
                            {QStringLiteral("description"),
                             QStringLiteral("A listing of the home folder of the started sandbox "
                                            "%1 (id %2); its files are cove://sandbox/%2/files/<path>.")
                                 .arg(name, id)},
                            {QStringLiteral("mimeType"), QStringLiteral("text/plain")}});
        }
        call->reply({{QStringLiteral("resources"), resources}});
    });
}

void Tools::readResource(const QString& uri, const CallPtr& call) {
    static const QRegularExpression form(QStringLiteral("^cove://sandbox/([^/?#]+)/files(?:/([^?#]*))?$"));
    const auto m = form.match(uri);
    if (!m.hasMatch())
        return call->fail(kResourceNotFound,
                          QStringLiteral("Resource not found: %1 (this server's resources are "
                                         "cove://sandbox/{sandbox}/files/{path}).")
                              .arg(uri),
                          QJsonObject{{QStringLiteral("uri"), uri}});
    const QString sandbox = QUrl::fromPercentEncoding(m.captured(1).toUtf8());
    const QString rest = QUrl::fromPercentEncoding(m.captured(2).toUtf8());
    const QString path = rest.isEmpty() ? QString() : QLatin1Char('/') + rest;
    const auto fail = [call, uri](const CovedReply& r) {
        const int code = r.status == 404 || r.status == 400 ? kResourceNotFound : kInternalError;
        call->fail(code, QStringLiteral("Cannot read %1: %2").arg(uri, failure(r, false)),
                   QJsonObject{{QStringLiteral("uri"), uri}});
    };
    const auto listFolder = [this, call, sandbox, path, uri, fail] {
        m_toolbox->listFiles(call, sandbox, path, 1, [call, uri, fail](const CovedReply& r) {
            if (!r.ok)
                return fail(r);
            call->reply({{QStringLiteral("contents"),
                          QJsonArray{QJsonObject{{QStringLiteral("uri"), uri},
                                                 {QStringLiteral("mimeType"), QStringLiteral("text/plain")},
                                                 {QStringLiteral("text"), listing(r.json.array())}}}}});
        });
    };
    if (path.isEmpty())
        return listFolder();
    m_toolbox->fileInfo(
        call, sandbox, path, [this, call, sandbox, path, uri, fail, listFolder](const CovedReply& info) {
            if (!info.ok)
                return fail(info);
            if (info.json.object().value(QStringLiteral("isDir")).toBool())
                return listFolder();
            m_toolbox->download(call, sandbox, path, [call, path, uri, fail](const CovedReply& r) {
                if (!r.ok)
                    return fail(r);
                const QString mime = QMimeDatabase().mimeTypeForFileNameAndData(path, r.body).name();
                QJsonObject content{{QStringLiteral("uri"), uri}, {QStringLiteral("mimeType"), mime}};
                if (const auto t = asText(r.body))
                    content.insert(QStringLiteral("text"), *t);
                else
                    content.insert(QStringLiteral("blob"), QString::fromLatin1(r.body.toBase64()));
                call->reply({{QStringLiteral("contents"), QJsonArray{content}}});
            });
        });
}

} // namespace cove::cli::mcp
