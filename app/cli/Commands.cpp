// The dispatcher, the option parser, help, and what every command shares (Command.h).
#include "app/cli/Command.h"

#include "app/Connection.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QSocketNotifier>
#include <QTimer>
#include <QUrl>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace cove::cli {

namespace {

constexpr char kProgram[] = "cove-cli";

const Option kUrlOption{QStringLiteral("url"),
                        {},
                        QStringLiteral("URL"),
                        QStringLiteral("coved's address (else COVE_URL, DAYTONA_API_URL, the local coved)")};
const Option kKeyOption{QStringLiteral("api-key-file"),
                        {},
                        QStringLiteral("FILE"),
                        QStringLiteral("read the API key from FILE (else COVE_API_KEY, DAYTONA_API_KEY, the "
                                       "local coved's admin.key)")};
const Option kHelpOption{QStringLiteral("help"), QLatin1Char('h'), {}, QStringLiteral("show this help")};

QList<Option> optionsOf(const Spec& spec) {
    QList<Option> all = spec.options;
    if (spec.connects)
        all << kUrlOption << kKeyOption;
    all << kHelpOption;
    return all;
}

QString helpOf(const Spec& spec) {
    QString out = QStringLiteral("Usage: %1 %2 [options]").arg(QLatin1String(kProgram), spec.name);
    if (!spec.synopsis.isEmpty())
        out += QLatin1Char(' ') + spec.synopsis;
    out += QStringLiteral("\n\n") + spec.summary + QLatin1Char('\n');
    if (!spec.details.isEmpty())
        out += QLatin1Char('\n') + spec.details + QLatin1Char('\n');
    QList<QPair<QString, QString>> rows;
    int width = 0;
    for (const Option& o : optionsOf(spec)) {
        QString left =
            o.shortName.isNull() ? QStringLiteral("    ") : QStringLiteral("-%1, ").arg(o.shortName);
        left += QStringLiteral("--") + o.name;
        if (!o.valueName.isEmpty())
            left += QLatin1Char(' ') + o.valueName;
        QString help = o.help;
        if (o.repeat)
            help += QStringLiteral(" (repeatable)");
        rows.append({left, help});
        width = qMax(width, int(left.size()));
    }
    out += QStringLiteral("\nOptions:\n");
    for (const auto& [left, help] : rows)
        out += QStringLiteral("  ") + left.leftJustified(width + 2) + help + QLatin1Char('\n');
    return out;
}

QList<Spec> allCommands() {
    return sandboxCommands() + resourceCommands();
}

const char* const kGroups[][2] = {
    {"sandbox", "create, list, inspect and use sandboxes (exec, ssh, cp, logs)"},
    {"snapshot", "the images sandboxes start from: create (from an image or a Dockerfile), list, delete"},
    {"volume", "shared folders sandboxes mount: create, list, delete"},
    {"key", "API keys: create, list, delete"},
    {"audit", "the audit log: list, export as JSON or CSV"},
};

QString mainHelp() {
    QString out = QStringLiteral(
        "Usage: cove-cli <command> [options]\n\n"
        "Cove's sandboxes from a terminal or a script. cove-cli talks to coved (the local service, or\n"
        "--url) with its API key; `cove-cli <group> --help` lists a group's commands, and\n"
        "`cove-cli <group> <command> --help` a command's options.\n\nCommands:\n");
    for (const auto& g : kGroups)
        out +=
            QStringLiteral("  %1%2\n").arg(QString::fromLatin1(g[0]).leftJustified(21), QLatin1String(g[1]));
    out += QStringLiteral("  %1%2\n")
               .arg(QStringLiteral("exec, ssh, cp, logs").leftJustified(21),
                    QStringLiteral("short for `sandbox exec`, `sandbox ssh`, …"));
    out += QStringLiteral("  %1%2\n")
               .arg(QStringLiteral("completion").leftJustified(21),
                    QStringLiteral("print the shell completion script: completion bash|zsh"));
    out += QStringLiteral("  %1%2\n")
               .arg(QStringLiteral("mcp").leftJustified(21),
                    QStringLiteral("serve the Model Context Protocol on stdio"));
    out += QStringLiteral(
        "\nOutput is a table for people, or with --json the API's JSON for scripts. Exit codes: 0 ok,\n"
        "1 failed, 2 usage, 3 coved unreachable, 4 key refused, 5 not found, 6 conflict or quota; `sandbox\n"
        "exec` and `sandbox ssh` exit with the command's own code.\n");
    return out;
}

QString groupHelp(const QString& group) {
    QString out = QStringLiteral("Usage: cove-cli %1 <command> [options]\n\nCommands:\n").arg(group);
    for (const Spec& s : allCommands())
        if (s.name.section(QLatin1Char(' '), 0, 0) == group)
            out += QStringLiteral("  %1%2\n")
                       .arg(s.name.section(QLatin1Char(' '), 1).leftJustified(10), s.summary);
    return out;
}

bool isGroup(const QString& word) {
    for (const auto& g : kGroups)
        if (word == QLatin1String(g[0]))
            return true;
    return false;
}

// Parses argv (after the command's words) against spec; answers kOk, or kUsage after saying why.
int parse(const Spec& spec, const QStringList& argv, Parsed& out) {
    const QList<Option> options = optionsOf(spec);
    const bool takesCommand = spec.synopsis.contains(QStringLiteral("COMMAND"));
    auto find = [&](auto pred) -> const Option* {
        for (const Option& o : options)
            if (pred(o))
                return &o;
        return nullptr;
    };
    for (int i = 0; i < argv.size(); ++i) {
        const QString& a = argv.at(i);
        if (out.sawDashDash) {
            (takesCommand ? out.command : out.args) << a;
            continue;
        }
        if (a == QLatin1String("--")) {
            out.sawDashDash = true;
            continue;
        }
        // The command of `exec ID ls -la` starts at its first word: its options are its own.
        if (takesCommand && out.args.size() >= spec.minArgs && !a.startsWith(QLatin1Char('-'))) {
            out.command = argv.mid(i);
            break;
        }
        const Option* o = nullptr;
        QString value;
        bool inlineValue = false;
        if (a.startsWith(QStringLiteral("--"))) {
            const QString name = a.mid(2).section(QLatin1Char('='), 0, 0);
            inlineValue = a.contains(QLatin1Char('='));
            value = a.section(QLatin1Char('='), 1);
            o = find([&](const Option& x) { return x.name == name; });
            if (!o)
                return usageError(spec, QStringLiteral("there is no option --%1").arg(name));
        } else if (a.size() >= 2 && a.startsWith(QLatin1Char('-'))) {
            o = find([&](const Option& x) { return x.shortName == a.at(1); });
            if (!o)
                return usageError(spec, QStringLiteral("there is no option %1").arg(a.left(2)));
            inlineValue = a.size() > 2;
            value = a.mid(2);
        } else {
            out.args << a;
            continue;
        }
        if (o->valueName.isEmpty()) {
            if (inlineValue)
                return usageError(spec, QStringLiteral("--%1 takes no value").arg(o->name));
            value.clear();
        } else if (!inlineValue) {
            if (i + 1 >= argv.size())
                return usageError(spec, QStringLiteral("--%1 needs a value (%2)").arg(o->name, o->valueName));
            value = argv.at(++i);
        }
        if (!o->repeat)
            out.values.remove(o->name);
        out.values[o->name] << value;
    }
    if (out.has(QStringLiteral("help")))
        return kOk;
    if (out.args.size() < spec.minArgs)
        return usageError(spec,
                          QStringLiteral("%1 is missing").arg(spec.synopsis.section(QLatin1Char(' '), 0, 0)));
    if (spec.maxArgs >= 0 && out.args.size() > spec.maxArgs)
        return usageError(spec, QStringLiteral("unexpected argument '%1'").arg(out.args.at(spec.maxArgs)));
    if (takesCommand && out.command.isEmpty())
        return usageError(spec, QStringLiteral("the command to run is missing (after --)"));
    return kOk;
}

int runSpec(const Spec& spec, const QStringList& argv) {
    Parsed p;
    if (const int code = parse(spec, argv, p); code != kOk)
        return code;
    if (p.has(QStringLiteral("help"))) {
        writeOut(helpOf(spec).toUtf8());
        return kOk;
    }
    if (p.has(QStringLiteral("api-key-file")) &&
        app::Connection::readKeyFile(p.value(QStringLiteral("api-key-file"))).isEmpty()) {
        printErr(
            QStringLiteral("cove-cli: cannot read an API key from %1; give a file whose first line is the "
                           "key.")
                .arg(p.value(QStringLiteral("api-key-file"))));
        return kAuth;
    }
    Context c(spec, p);
    return spec.run(c, p);
}

} // namespace

// ---- helpers

int usageError(const Spec& spec, const QString& sentence) {
    printErr(QStringLiteral("cove-cli %1: %2. See 'cove-cli %1 --help'.").arg(spec.name, sentence));
    return kUsage;
}

int exitCodeFor(int status, const QString& errorCode) {
    if (status == 0)
        return kUnreachable;
    if (status == 401)
        return kAuth;
    if (status == 403)
        return errorCode == QLatin1String("QUOTA_EXCEEDED") ? kConflict : kAuth;
    if (status == 404 || status == 410)
        return kNotFound;
    if (status == 409 || status == 429)
        return kConflict;
    if (status == 400 || status == 413 || status == 422)
        return errorCode == QLatin1String("SNAPSHOT_NOT_READY") ? kConflict : kUsage;
    return kFailed;
}

std::optional<int> intOption(const Parsed& p, const QString& name, int min, int max, QString* bad) {
    if (!p.has(name))
        return std::nullopt;
    bool ok = false;
    const int v = p.value(name).toInt(&ok);
    if (!ok || v < min || v > max) {
        if (bad->isEmpty())
            *bad = QStringLiteral("--%1 must be a whole number from %2 to %3").arg(name).arg(min).arg(max);
        return std::nullopt;
    }
    return v;
}

QJsonObject pairsOption(const Parsed& p, const QString& name, QString* bad) {
    QJsonObject out;
    for (const QString& kv : p.all(name)) {
        const qsizetype eq = kv.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            if (bad->isEmpty())
                *bad = QStringLiteral("--%1 takes KEY=VALUE, not '%2'").arg(name, kv);
            continue;
        }
        out.insert(kv.left(eq), kv.mid(eq + 1));
    }
    return out;
}

bool stdinIsTerminal() {
    return ::isatty(0) == 1;
}
bool stdoutIsTerminal() {
    return ::isatty(1) == 1;
}
bool stderrIsTerminal() {
    return ::isatty(2) == 1;
}

namespace {
bool writeFd(int fd, const QByteArray& data) {
    qsizetype at = 0;
    while (at < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + at, size_t(data.size() - at));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false; // a closed pipe: the reader is gone
        at += n;
    }
    return true;
}
} // namespace

bool writeOut(const QByteArray& data) {
    return writeFd(1, data);
}
bool writeErr(const QByteArray& data) {
    return writeFd(2, data);
}
void printErr(const QString& line) {
    writeErr(line.toUtf8() + '\n');
}
void printOut(const QString& line) {
    writeOut(line.toUtf8() + '\n');
}

void printTable(const QStringList& header, const QList<QStringList>& rows) {
    QList<int> widths;
    for (const QString& h : header)
        widths << int(h.size());
    for (const QStringList& r : rows)
        for (int i = 0; i < r.size() && i < widths.size(); ++i)
            widths[i] = qMax(widths[i], int(r.at(i).size()));
    auto line = [&](const QStringList& cells) {
        QString out;
        for (int i = 0; i < cells.size(); ++i)
            out += i + 1 < cells.size() ? cells.at(i).leftJustified(widths.value(i) + 2) : cells.at(i);
        printOut(out);
    };
    line(header);
    for (const QStringList& r : rows)
        line(r);
}

QString ageOf(const QString& iso) {
    const QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (iso.isEmpty() || !t.isValid())
        return QStringLiteral("-");
    const qint64 s = qMax<qint64>(0, t.secsTo(QDateTime::currentDateTimeUtc()));
    if (s < 60)
        return QStringLiteral("%1s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1m").arg(s / 60);
    if (s < 86400)
        return QStringLiteral("%1h").arg(s / 3600);
    return QStringLiteral("%1d").arg(s / 86400);
}

Confirm confirm(const QString& question, bool yes) {
    if (yes)
        return Confirm::Yes;
    if (!stdinIsTerminal() || !stderrIsTerminal())
        return Confirm::NoTerminal;
    writeErr((question + QStringLiteral(" [y/N] ")).toUtf8());
    char buf[64] = {};
    const ssize_t n = ::read(0, buf, sizeof buf - 1);
    if (n <= 0)
        return Confirm::No;
    const char c = buf[0];
    return c == 'y' || c == 'Y' ? Confirm::Yes : Confirm::No;
}

QString encoded(const QString& s) {
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

QString sandboxPath(const QString& idOrName) {
    return QStringLiteral("/api/sandbox/") + encoded(idOrName);
}

// ---- SignalWatch

namespace {
int g_signalPipe[2] = {-1, -1};
void onSignal(int sig) {
    const int saved = errno;
    const unsigned char b = static_cast<unsigned char>(sig);
    [[maybe_unused]] auto n = ::write(g_signalPipe[1], &b, 1);
    errno = saved;
}
} // namespace

SignalWatch::SignalWatch(const QList<int>& which, std::function<void(int)> handler)
    : m_signals(which) {
    if (g_signalPipe[0] < 0 && ::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        g_signalPipe[0] = g_signalPipe[1] = -1;
    auto* notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(notifier, &QSocketNotifier::activated, notifier, [handler = std::move(handler)] {
        unsigned char b = 0;
        while (::read(g_signalPipe[0], &b, 1) == 1)
            handler(b);
    });
    m_notifier = notifier;
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (int s : which)
        ::sigaction(s, &sa, nullptr);
}

SignalWatch::~SignalWatch() {
    for (int s : m_signals)
        ::signal(s, SIG_DFL);
    delete m_notifier;
}

// ---- Context

Context::Context(const Spec& spec, const Parsed& parsed)
    : m_spec(spec)
    , m_parsed(parsed) {
    m_client.setSource("cli");
    m_client.setUserAgent("cove-cli/" COVE_VERSION);
    if (spec.connects)
        m_client.setTarget(app::Connection::resolve(parsed.value(QStringLiteral("url")),
                                                    parsed.value(QStringLiteral("api-key-file"))));
}

app::ApiResult Context::call(const QByteArray& verb, const QString& path, const QJsonObject& body) {
    app::ApiResult result;
    QEventLoop loop;
    auto done = [&](const app::ApiResult& r) {
        result = r;
        loop.quit();
    };
    if (verb == "GET")
        m_client.get(path, &loop, done);
    else if (verb == "POST")
        m_client.post(path, body, &loop, done);
    else if (verb == "PUT")
        m_client.put(path, body, &loop, done);
    else
        m_client.del(path, &loop, done);
    loop.exec();
    return result;
}

int Context::fail(const app::ApiResult& r) {
    const QJsonObject o = QJsonDocument::fromJson(r.body).object();
    QString message = o.value(QStringLiteral("message")).toString();
    if (message.isEmpty() && r.status != 0)
        message = QString::fromUtf8(r.body.left(300)).trimmed();
    return report(r.status, o.value(QStringLiteral("code")).toString(), message, r.networkError);
}

int Context::fail(const app::ApiError& e) {
    return report(e.status, e.codeName, e.message, {});
}

int Context::report(int status, const QString& code, QString message, const QString& networkError) {
    const QString url = m_client.target().url;
    QString sentence;
    if (status == 0) {
        sentence =
            QStringLiteral("cannot reach coved at %1%2; start it (sudo systemctl start coved, or "
                           "installer/setup.sh run) or point --url or COVE_URL at a running one.")
                .arg(url, networkError.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(networkError));
    } else if (status == 401) {
        sentence = QStringLiteral("coved at %1 refused the API key%2; pass --api-key-file FILE or set "
                                  "COVE_API_KEY (the local service's key is %3).")
                       .arg(url, message.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(message),
                            app::Connection::localKeyFile());
    } else {
        if (message.isEmpty())
            message = QStringLiteral("coved answered %1 to `cove-cli %2`").arg(status).arg(m_spec.name);
        sentence = message;
        if (status == 403 && code != QLatin1String("QUOTA_EXCEEDED"))
            sentence += QStringLiteral(" Use a key with that permission (cove-cli key create --help).");
    }
    if (!sentence.endsWith(QLatin1Char('.')) && !sentence.endsWith(QLatin1Char(')')))
        sentence += QLatin1Char('.');
    printErr(QStringLiteral("cove-cli: ") + sentence);
    return exitCodeFor(status, code);
}

void Context::printJson(const app::ApiResult& r) {
    QByteArray body = r.body;
    if (!body.endsWith('\n'))
        body += '\n';
    writeOut(body);
}

void Context::printJson(const QJsonDocument& doc) {
    writeOut(doc.toJson(QJsonDocument::Compact) + '\n');
}

std::optional<int> Context::failedOrPrintedJson(const app::ApiResult& r) {
    if (!r.ok)
        return fail(r);
    if (json()) {
        printJson(r);
        return kOk;
    }
    return std::nullopt;
}

int removeEach(Context& c, const Parsed& p, const QString& what,
               const std::function<QString(const QString&)>& path, const QString& alsoDeleted,
               const std::function<int(const QString&)>& settle) {
    int worst = kOk;
    for (const QString& name : p.args) {
        switch (confirm(QStringLiteral("Delete %1 %2%3?").arg(what, name, alsoDeleted),
                        p.has(QStringLiteral("yes")))) {
        case Confirm::NoTerminal:
            return usageError(c.spec(),
                              QStringLiteral("there is no terminal to confirm on; pass -y to delete "
                                             "without asking"));
        case Confirm::No:
            printErr(QStringLiteral("Kept %1 %2.").arg(what, name));
            worst = qMax(worst, int(kFailed));
            continue;
        case Confirm::Yes:
            break;
        }
        const QString target = path(name);
        if (target.isEmpty()) {
            worst = qMax(worst, int(kNotFound));
            continue;
        }
        const app::ApiResult r = c.call("DELETE", target);
        if (!r.ok) {
            worst = qMax(worst, c.fail(r));
            continue;
        }
        if (settle) {
            if (const int waited = settle(name); waited != kOk) {
                worst = qMax(worst, waited);
                continue;
            }
        }
        if (c.json())
            c.printJson(r);
        else if (p.has(QStringLiteral("no-wait"))) // answered, not waited for
            printOut(QStringLiteral("%1 %2: delete requested.").arg(what, name));
        else
            printOut(QStringLiteral("Deleted %1 %2.").arg(what, name));
    }
    return worst;
}

Context::Wait Context::waitForSandbox(const QString& id, const QStringList& targets, int timeoutSeconds) {
    QDeadlineTimer deadline(timeoutSeconds > 0 ? timeoutSeconds * 1000 : -1);
    Wait w;
    for (;;) {
        const app::ApiResult r = get(sandboxPath(id));
        if (r.status == 404 && targets.contains(QStringLiteral("destroyed")))
            return w;
        if (!r.ok) {
            w.exitCode = fail(r);
            return w;
        }
        w.sandbox = r.json.object();
        const QString state = w.sandbox.value(QStringLiteral("state")).toString();
        if (targets.contains(state))
            return w;
        if (state == QLatin1String("error") || state == QLatin1String("build_failed")) {
            const QString reason = w.sandbox.value(QStringLiteral("errorReason")).toString();
            printErr(QStringLiteral("cove-cli: sandbox %1 is in state %2%3; see `cove-cli sandbox info %1`.")
                         .arg(id, state, reason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(reason)));
            w.exitCode = kFailed;
            return w;
        }
        if (deadline.hasExpired()) {
            printErr(
                QStringLiteral("cove-cli: sandbox %1 is still %2 after %3 s; check it with `cove-cli sandbox "
                               "info %1` or wait longer with --timeout.")
                    .arg(id, state)
                    .arg(timeoutSeconds));
            w.exitCode = kFailed;
            return w;
        }
        QEventLoop pause;
        QTimer::singleShot(250, &pause, &QEventLoop::quit);
        pause.exec();
    }
}

bool followLog(Context& c, const QString& path) {
    QNetworkRequest req = c.client().request(path);
    req.setRawHeader("Accept", "text/plain");
    QNetworkReply* reply = c.client().network()->get(req);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::readyRead, &loop, [reply] {
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200)
            writeErr(reply->readAll());
    });
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    int interrupted = 0;
    SignalWatch watch({SIGINT, SIGTERM, SIGHUP}, [&](int sig) {
        interrupted = sig;
        reply->abort();
    });
    loop.exec();
    const bool ok = reply->error() == QNetworkReply::NoError;
    reply->deleteLater();
    if (interrupted)
        ::exit(128 + interrupted);
    return ok;
}

// ---- entry point

int runCommand(const QStringList& args) {
    if (args.isEmpty()) {
        writeErr(mainHelp().toUtf8());
        return kUsage;
    }
    // Connection options may come before the command too: `cove-cli --url URL sandbox list`.
    QStringList global;
    QStringList words = args;
    while (!words.isEmpty()) {
        const QString w = words.first();
        if ((w == QLatin1String("--url") || w == QLatin1String("--api-key-file")) && words.size() > 1) {
            global << words.takeFirst() << words.takeFirst();
        } else if (w.startsWith(QStringLiteral("--url=")) ||
                   w.startsWith(QStringLiteral("--api-key-file=")) || w == QLatin1String("--json")) {
            global << words.takeFirst();
        } else {
            break;
        }
    }
    if (words.isEmpty()) {
        writeErr(mainHelp().toUtf8());
        return kUsage;
    }
    const QString first = words.first();
    if (first == QLatin1String("--help") || first == QLatin1String("-h") || first == QLatin1String("help")) {
        writeOut(mainHelp().toUtf8());
        return kOk;
    }
    if (first == QLatin1String("--version") || first == QLatin1String("version")) {
        printOut(QStringLiteral("cove-cli " COVE_VERSION));
        return kOk;
    }
    if (first == QLatin1String("completion")) {
        const QByteArray script = completionScript(words.value(1));
        if (script.isEmpty() || words.size() > 2) {
            printErr(QStringLiteral("cove-cli completion: name the shell, bash or zsh: "
                                    "source <(cove-cli completion bash)."));
            return words.value(1) == QLatin1String("--help") ? kOk : kUsage;
        }
        writeOut(script);
        return kOk;
    }
    const QList<Spec> commands = allCommands();
    QString name;
    QStringList rest;
    // Shortcuts for what is used most: `cove-cli exec ID -- …` is `cove-cli sandbox exec ID -- …`.
    static const QStringList kShortcuts = {QStringLiteral("exec"), QStringLiteral("ssh"),
                                           QStringLiteral("terminal"), QStringLiteral("cp"),
                                           QStringLiteral("logs")};
    if (kShortcuts.contains(first)) {
        name = QStringLiteral("sandbox ") + first;
        rest = words.mid(1);
    } else if (isGroup(first)) {
        const QString sub = words.value(1);
        if (sub.isEmpty() || sub == QLatin1String("--help") || sub == QLatin1String("-h") ||
            sub == QLatin1String("help")) {
            (sub.isEmpty() ? writeErr : writeOut)(groupHelp(first).toUtf8());
            return sub.isEmpty() ? kUsage : kOk;
        }
        name = first + QLatin1Char(' ') + sub;
        rest = words.mid(2);
    } else {
        printErr(QStringLiteral("cove-cli: there is no command '%1'. See 'cove-cli --help'.").arg(first));
        return kUsage;
    }
    // Before the command's own words, so that `exec ID -- …` keeps what follows as it is.
    for (const Spec& s : commands)
        if (s.name == name)
            return runSpec(s, global + rest);
    printErr(QStringLiteral("cove-cli: there is no command '%1'. See 'cove-cli %2 --help'.")
                 .arg(name, name.section(QLatin1Char(' '), 0, 0)));
    return kUsage;
}

} // namespace cove::cli
