// `cove-cli sandbox …`: the lifecycle on /api/sandbox, and exec, logs and cp through the sandbox's toolbox.
#include "app/cli/Command.h"

#include "app/ToolboxApi.h"
#include "app/Transfer.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>
#include <QUrlQuery>
#include <QUuid>

#include <csignal>

namespace cove::cli {

namespace {

const Option kJson{QStringLiteral("json"), {}, {}, QStringLiteral("print the API's JSON instead of a table")};
const Option kYes{QStringLiteral("yes"), QLatin1Char('y'), {}, QStringLiteral("do not ask for confirmation")};
const Option kNoWait{
    QStringLiteral("no-wait"),
    {},
    {},
    QStringLiteral("answer once coved has taken the request, without waiting for the state")};
const Option kTimeout{QStringLiteral("timeout"),
                      {},
                      QStringLiteral("SECONDS"),
                      QStringLiteral("how long to wait for the state (default 300; 0: no limit)")};

QString str(const QJsonObject& o, const char* key) {
    return o.value(QLatin1String(key)).toString();
}

QString labelsText(const QJsonObject& labels) {
    QStringList out;
    for (auto it = labels.begin(); it != labels.end(); ++it)
        out << it.key() + QLatin1Char('=') + it.value().toString();
    return out.isEmpty() ? QStringLiteral("-") : out.join(QLatin1Char(','));
}

QStringList sandboxRow(const QJsonObject& s) {
    const QString id = str(s, "id");
    const QString name = str(s, "name");
    return {id,
            name.isEmpty() || name == id ? QStringLiteral("-") : name,
            str(s, "state"),
            str(s, "snapshot").isEmpty() ? QStringLiteral("-") : str(s, "snapshot"),
            QString::number(s.value(QStringLiteral("cpu")).toInt()),
            QStringLiteral("%1G").arg(s.value(QStringLiteral("memory")).toInt()),
            QStringLiteral("%1G").arg(s.value(QStringLiteral("disk")).toInt()),
            ageOf(str(s, "createdAt")),
            labelsText(s.value(QStringLiteral("labels")).toObject())};
}

const QStringList kSandboxHeader = {
    QStringLiteral("ID"),       QStringLiteral("NAME"),    QStringLiteral("STATE"),
    QStringLiteral("SNAPSHOT"), QStringLiteral("CPU"),     QStringLiteral("MEMORY"),
    QStringLiteral("DISK"),     QStringLiteral("CREATED"), QStringLiteral("LABELS")};

int timeoutOf(const Parsed& p, QString* bad) {
    return intOption(p, QStringLiteral("timeout"), 0, 1 << 20, bad).value_or(300);
}

// ---- create

int create(Context& c, const Parsed& p) {
    QString bad;
    QJsonObject body;
    QString name = p.value(QStringLiteral("name"));
    if (!p.args.isEmpty())
        name = p.args.first();
    if (!name.isEmpty())
        body.insert(QStringLiteral("name"), name);
    if (p.has(QStringLiteral("snapshot")))
        body.insert(QStringLiteral("snapshot"), p.value(QStringLiteral("snapshot")));
    const bool build = p.has(QStringLiteral("dockerfile")) || p.has(QStringLiteral("context"));
    if (build && p.has(QStringLiteral("snapshot")))
        return usageError(c.spec(),
                          QStringLiteral("give --snapshot, or --dockerfile and --context, not both"));
    const struct {
        const char* option;
        const char* field;
        int min, max;
    } numbers[] = {{"cpu", "cpu", 1, 1024},
                   {"memory", "memory", 1, 1 << 16},
                   {"disk", "disk", 1, 1 << 20},
                   {"auto-stop", "autoStopInterval", 0, 1 << 30},
                   {"auto-pause", "autoPauseInterval", 0, 1 << 30},
                   {"auto-archive", "autoArchiveInterval", 0, 1 << 30},
                   {"auto-delete", "autoDeleteInterval", -1, 1 << 30},
                   {"ttl", "ttlMinutes", 0, 1 << 30}};
    for (const auto& n : numbers)
        if (const auto v = intOption(p, QLatin1String(n.option), n.min, n.max, &bad))
            body.insert(QLatin1String(n.field), *v);
    if (p.has(QStringLiteral("ephemeral"))) {
        if (p.has(QStringLiteral("auto-delete")))
            return usageError(c.spec(), QStringLiteral("--ephemeral is --auto-delete 0; give one of them"));
        body.insert(QStringLiteral("autoDeleteInterval"), 0);
    }
    const QJsonObject env = pairsOption(p, QStringLiteral("env"), &bad);
    const QJsonObject labels = pairsOption(p, QStringLiteral("label"), &bad);
    if (!env.isEmpty())
        body.insert(QStringLiteral("env"), env);
    if (!labels.isEmpty())
        body.insert(QStringLiteral("labels"), labels);
    if (p.has(QStringLiteral("public")))
        body.insert(QStringLiteral("public"), true);
    if (p.has(QStringLiteral("network-block-all")))
        body.insert(QStringLiteral("networkBlockAll"), true);
    if (p.has(QStringLiteral("network-allow-list")))
        body.insert(QStringLiteral("networkAllowList"), p.value(QStringLiteral("network-allow-list")));
    if (p.has(QStringLiteral("domain-allow-list")))
        body.insert(QStringLiteral("domainAllowList"), p.value(QStringLiteral("domain-allow-list")));
    if (p.has(QStringLiteral("user")))
        body.insert(QStringLiteral("user"), p.value(QStringLiteral("user")));
    if (p.has(QStringLiteral("target")))
        body.insert(QStringLiteral("target"), p.value(QStringLiteral("target")));
    QJsonArray volumes;
    for (const QString& v : p.all(QStringLiteral("volume"))) {
        // VOLUME[/SUBPATH]:MOUNTPATH[:ro]
        QStringList parts = v.split(QLatin1Char(':'));
        bool readOnly = false;
        if (parts.size() == 3 &&
            (parts.last() == QLatin1String("ro") || parts.last() == QLatin1String("rw"))) {
            readOnly = parts.takeLast() == QLatin1String("ro");
        }
        if (parts.size() != 2 || parts.first().isEmpty() || !parts.last().startsWith(QLatin1Char('/'))) {
            if (bad.isEmpty())
                bad = QStringLiteral("--volume takes VOLUME[/SUBPATH]:/MOUNT/PATH[:ro], not '%1'").arg(v);
            continue;
        }
        QJsonObject m{{QStringLiteral("volumeId"), parts.first().section(QLatin1Char('/'), 0, 0)},
                      {QStringLiteral("mountPath"), parts.last()},
                      {QStringLiteral("readOnly"), readOnly}};
        const QString sub = parts.first().section(QLatin1Char('/'), 1);
        if (!sub.isEmpty())
            m.insert(QStringLiteral("subpath"), sub);
        volumes.append(m);
    }
    if (!volumes.isEmpty())
        body.insert(QStringLiteral("volumes"), volumes);
    // A build takes as long as it takes, unless told.
    const int timeout = build && !p.has(QStringLiteral("timeout")) ? 0 : timeoutOf(p, &bad);
    if (!bad.isEmpty())
        return usageError(c.spec(), bad);
    if (build)
        if (const int code = addBuildInfo(c, p, &body); code != kOk)
            return code;

    const app::ApiResult r = c.call("POST", QStringLiteral("/api/sandbox"), body);
    if (!r.ok)
        return c.fail(r);
    QJsonObject sandbox = r.json.object();
    const QString id = str(sandbox, "id");
    if (!p.has(QStringLiteral("no-wait")) && str(sandbox, "state") != QLatin1String("started")) {
        // A sandbox of a Dockerfile waits for its build: its log comes first.
        if (str(sandbox, "state") == QLatin1String("pending_build"))
            followLog(c, sandboxPath(id) + QStringLiteral("/build-logs?follow=true"));
        else if (stderrIsTerminal())
            printErr(QStringLiteral("Waiting for sandbox %1 to start (%2)…").arg(id, str(sandbox, "state")));
        const auto w = c.waitForSandbox(id, {QStringLiteral("started")}, timeout);
        if (w.exitCode != kOk)
            return w.exitCode;
        sandbox = w.sandbox;
    }
    if (c.json())
        Context::printJson(QJsonDocument(sandbox));
    else if (p.has(QStringLiteral("quiet")))
        printOut(id);
    else
        printOut(
            QStringLiteral("Sandbox %1 (%2) is %3.").arg(id, str(sandbox, "name"), str(sandbox, "state")));
    return kOk;
}

// ---- list

int list(Context& c, const Parsed& p) {
    QString bad;
    QUrlQuery q;
    const int limit = intOption(p, QStringLiteral("limit"), 1, 200, &bad).value_or(100);
    q.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    const QJsonObject labels = pairsOption(p, QStringLiteral("label"), &bad);
    if (!labels.isEmpty())
        q.addQueryItem(QStringLiteral("labels"),
                       QString::fromUtf8(QJsonDocument(labels).toJson(QJsonDocument::Compact)));
    for (const QString& s : p.all(QStringLiteral("state")))
        for (const QString& one : s.split(QLatin1Char(','), Qt::SkipEmptyParts))
            q.addQueryItem(QStringLiteral("states"), one.trimmed());
    if (p.has(QStringLiteral("name")))
        q.addQueryItem(QStringLiteral("name"), p.value(QStringLiteral("name")));
    if (p.has(QStringLiteral("snapshot")))
        q.addQueryItem(QStringLiteral("snapshots"), p.value(QStringLiteral("snapshot")));
    if (p.has(QStringLiteral("sort")))
        q.addQueryItem(QStringLiteral("sort"), p.value(QStringLiteral("sort")));
    if (p.has(QStringLiteral("order")))
        q.addQueryItem(QStringLiteral("order"), p.value(QStringLiteral("order")));
    if (!bad.isEmpty())
        return usageError(c.spec(), bad);
    const bool all = p.has(QStringLiteral("all"));
    QString cursor = p.value(QStringLiteral("cursor"));
    QJsonArray items;
    QJsonValue next;
    app::ApiResult first;
    for (int page = 0;; ++page) {
        QUrlQuery pq = q;
        if (!cursor.isEmpty())
            pq.addQueryItem(QStringLiteral("cursor"), cursor);
        // Values such as the labels' JSON must reach coved as they are: every reserved byte encoded.
        QString query;
        for (const auto& [k, v] : pq.queryItems(QUrl::FullyDecoded))
            query += (query.isEmpty() ? QStringLiteral("?") : QStringLiteral("&")) + encoded(k) +
                     QLatin1Char('=') + encoded(v);
        const app::ApiResult r = c.get(QStringLiteral("/api/sandbox") + query);
        if (!r.ok)
            return c.fail(r);
        if (page == 0)
            first = r;
        const QJsonObject o = r.json.object();
        for (const QJsonValue& v : o.value(QStringLiteral("items")).toArray())
            items.append(v);
        next = o.value(QStringLiteral("nextCursor"));
        cursor = next.toString();
        if (!all || cursor.isEmpty())
            break;
    }
    if (c.json()) {
        if (!all)
            c.printJson(first);
        else
            Context::printJson(QJsonDocument(
                QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("nextCursor"), QJsonValue()}}));
        return kOk;
    }
    if (p.has(QStringLiteral("quiet"))) {
        for (const QJsonValue& v : items)
            printOut(str(v.toObject(), "id"));
        return kOk;
    }
    QList<QStringList> rows;
    for (const QJsonValue& v : items)
        rows << sandboxRow(v.toObject());
    printTable(kSandboxHeader, rows);
    if (!next.toString().isEmpty())
        printErr(QStringLiteral("More sandboxes follow: --cursor %1, or --all for every page.")
                     .arg(next.toString()));
    return kOk;
}

// ---- info

QString minutes(const QJsonObject& s, const char* key, const QString& offText, int offValue = 0) {
    const QJsonValue v = s.value(QLatin1String(key));
    if (!v.isDouble())
        return QStringLiteral("-");
    return v.toInt() == offValue ? offText : QStringLiteral("%1 min").arg(v.toInt());
}

int info(Context& c, const Parsed& p) {
    const app::ApiResult r = c.get(sandboxPath(p.args.first()));
    if (const auto done = c.failedOrPrintedJson(r))
        return *done;
    const QJsonObject s = r.json.object();
    QList<QPair<QString, QString>> rows;
    rows << qMakePair(QStringLiteral("ID"), str(s, "id"))
         << qMakePair(QStringLiteral("Name"), str(s, "name"));
    QString state = str(s, "state");
    if (!str(s, "errorReason").isEmpty())
        state += QStringLiteral(" (%1)").arg(str(s, "errorReason"));
    rows << qMakePair(QStringLiteral("State"), state)
         << qMakePair(QStringLiteral("Snapshot"), str(s, "snapshot"))
         << qMakePair(QStringLiteral("User"), str(s, "user"))
         << qMakePair(QStringLiteral("Resources"), QStringLiteral("%1 vCPU, %2 GiB memory, %3 GiB disk")
                                                       .arg(s.value(QStringLiteral("cpu")).toInt())
                                                       .arg(s.value(QStringLiteral("memory")).toInt())
                                                       .arg(s.value(QStringLiteral("disk")).toInt()))
         << qMakePair(QStringLiteral("Labels"), labelsText(s.value(QStringLiteral("labels")).toObject()));
    QStringList envNames = s.value(QStringLiteral("env")).toObject().keys();
    rows << qMakePair(QStringLiteral("Environment"),
                      envNames.isEmpty() ? QStringLiteral("-") : envNames.join(QLatin1Char(',')))
         << qMakePair(QStringLiteral("Public"), s.value(QStringLiteral("public")).toBool()
                                                    ? QStringLiteral("yes")
                                                    : QStringLiteral("no"));
    QString network = s.value(QStringLiteral("networkBlockAll")).toBool() ? QStringLiteral("all blocked")
                                                                          : QStringLiteral("open");
    if (!str(s, "networkAllowList").isEmpty())
        network = QStringLiteral("only %1").arg(str(s, "networkAllowList"));
    rows << qMakePair(QStringLiteral("Network"), network)
         << qMakePair(QStringLiteral("Auto-stop"), minutes(s, "autoStopInterval", QStringLiteral("off")))
         << qMakePair(QStringLiteral("Auto-pause"), minutes(s, "autoPauseInterval", QStringLiteral("off")))
         << qMakePair(QStringLiteral("Auto-archive"),
                      minutes(s, "autoArchiveInterval", QStringLiteral("off")))
         << qMakePair(QStringLiteral("Auto-delete"),
                      s.value(QStringLiteral("autoDeleteInterval")).toInt() == 0
                          ? QStringLiteral("when stopped")
                          : minutes(s, "autoDeleteInterval", QStringLiteral("off"), -1));
    if (!str(s, "autoDestroyAt").isEmpty())
        rows << qMakePair(QStringLiteral("Destroyed at"), str(s, "autoDestroyAt"));
    QStringList mounts;
    for (const QJsonValue& v : s.value(QStringLiteral("volumes")).toArray()) {
        const QJsonObject m = v.toObject();
        mounts << QStringLiteral("%1:%2%3").arg(
            str(m, "volumeId"), str(m, "mountPath"),
            m.value(QStringLiteral("readOnly")).toBool() ? QStringLiteral(":ro") : QString());
    }
    if (!mounts.isEmpty())
        rows << qMakePair(QStringLiteral("Volumes"), mounts.join(QStringLiteral(", ")));
    if (!str(s, "parentSandboxId").isEmpty())
        rows << qMakePair(QStringLiteral("Forked from"), str(s, "parentSandboxId"));
    rows << qMakePair(QStringLiteral("Created"), str(s, "createdAt"))
         << qMakePair(QStringLiteral("Last activity"), str(s, "lastActivityAt"));
    int width = 0;
    for (const auto& row : rows)
        width = qMax(width, int(row.first.size()));
    for (const auto& [k, v] : rows)
        printOut((k + QLatin1Char(':')).leftJustified(width + 2) + (v.isEmpty() ? QStringLiteral("-") : v));
    return kOk;
}

// ---- start, stop, archive, delete

Handler action(const QString& path, const QStringList& targets, const QString& done) {
    return [path, targets, done](Context& c, const Parsed& p) {
        QString bad;
        const int timeout = timeoutOf(p, &bad);
        if (!bad.isEmpty())
            return usageError(c.spec(), bad);
        const QString id = p.args.first();
        QString rest = path;
        if (p.has(QStringLiteral("force")))
            rest += QStringLiteral("?force=true");
        const app::ApiResult r = c.call("POST", sandboxPath(id) + rest);
        if (!r.ok)
            return c.fail(r);
        QJsonObject s = r.json.object();
        if (!p.has(QStringLiteral("no-wait"))) {
            const auto w = c.waitForSandbox(id, targets, timeout);
            if (w.exitCode != kOk)
                return w.exitCode;
            s = w.sandbox;
        }
        if (c.json())
            Context::printJson(QJsonDocument(s));
        else if (!p.has(QStringLiteral("no-wait")))
            printOut(QStringLiteral("Sandbox %1 is %2.")
                         .arg(id, str(s, "state").isEmpty() ? done : str(s, "state")));
        else
            printOut(QStringLiteral("Sandbox %1: %2 requested.").arg(id, path.mid(1)));
        return int(kOk);
    };
}

int remove(Context& c, const Parsed& p) {
    QString bad;
    const int timeout = timeoutOf(p, &bad);
    if (!bad.isEmpty())
        return usageError(c.spec(), bad);
    // coved answers at once with `destroying`; the container and its files take a few seconds more.
    std::function<int(const QString&)> settle;
    if (!p.has(QStringLiteral("no-wait")))
        settle = [&](const QString& id) {
            return c.waitForSandbox(id, {QStringLiteral("destroyed")}, timeout).exitCode;
        };
    return removeEach(c, p, QStringLiteral("sandbox"), sandboxPath, QStringLiteral(" and its files"), settle);
}

// ---- exec

QString shellQuote(const QString& s) {
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./:=@%+,-]+$"));
    if (plain.match(s).hasMatch())
        return s;
    QString out = s;
    out.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

int exec(Context& c, const Parsed& p) {
    QString bad;
    const QJsonObject env = pairsOption(p, QStringLiteral("env"), &bad);
    const std::optional<int> timeout = intOption(p, QStringLiteral("timeout"), 1, 1 << 24, &bad);
    static const QRegularExpression name(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    for (auto it = env.begin(); it != env.end() && bad.isEmpty(); ++it)
        if (!name.match(it.key()).hasMatch())
            bad =
                QStringLiteral("'%1' is no environment variable name (letters, digits and _)").arg(it.key());
    if (!bad.isEmpty())
        return usageError(c.spec(), bad);
    const QString id = p.args.first();
    // One word is a shell command line (`exec ID -- 'make && make test'`); several are a program and
    // its arguments, each passed as it is.
    QString line;
    if (p.command.size() == 1) {
        line = p.command.first();
    } else {
        QStringList words;
        for (const QString& w : p.command)
            words << shellQuote(w);
        line = words.join(QLatin1Char(' '));
    }
    // A subshell: `exit` ends the command, not the session's shell; stdin is empty, not the session's.
    QString script;
    for (auto it = env.begin(); it != env.end(); ++it)
        script += QStringLiteral("export %1=%2\n").arg(it.key(), shellQuote(it.value().toString()));
    if (p.has(QStringLiteral("cwd")))
        script += QStringLiteral("cd %1 || exit 1\n").arg(shellQuote(p.value(QStringLiteral("cwd"))));
    script = QStringLiteral("(\n%1%2\n) </dev/null").arg(script, line);

    app::ToolboxApi toolbox(&c.client());
    const QString session = QStringLiteral("cove-cli-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const auto made =
        await<app::Done>([&](QObject* ctx, auto reply) { toolbox.createSession(id, session, ctx, reply); });
    if (!made.ok())
        return c.fail(made.error());
    auto cleanUp = [&] {
        await<app::Done>([&](QObject* ctx, auto reply) { toolbox.deleteSession(id, session, ctx, reply); });
    };
    const auto started = await<app::SessionCommand>(
        [&](QObject* ctx, auto reply) { toolbox.startCommand(id, session, script, ctx, reply); });
    if (!started.ok()) {
        const int code = c.fail(started.error());
        cleanUp();
        return code;
    }
    const QString cmdId = started.value().id;

    QEventLoop loop;
    bool complete = false;
    QString streamError;
    int interrupted = 0;
    bool timedOut = false;
    app::LogStream* stream = toolbox.followLogs(id, session, cmdId, &loop);
    // A reader that goes away (`exec … | head -1`) ends the command too, as it would locally.
    ::signal(SIGPIPE, SIG_IGN);
    auto pass = [&](bool written) {
        if (!written && !interrupted) {
            interrupted = SIGPIPE;
            loop.quit();
        }
    };
    QObject::connect(stream, &app::LogStream::output, &loop, [&](const QByteArray& b) { pass(writeOut(b)); });
    QObject::connect(stream, &app::LogStream::errorOutput, &loop,
                     [&](const QByteArray& b) { pass(writeErr(b)); });
    QObject::connect(stream, &app::LogStream::finished, &loop, [&](bool ok, const QString& error) {
        complete = ok;
        streamError = error;
        loop.quit();
    });
    SignalWatch watch({SIGINT, SIGTERM, SIGHUP}, [&](int sig) {
        interrupted = sig;
        loop.quit();
    });
    if (timeout)
        QTimer::singleShot(*timeout * 1000, &loop, [&] {
            timedOut = true;
            loop.quit();
        });
    loop.exec();
    stream->abort();
    if (interrupted || timedOut) {
        cleanUp(); // kills what still runs
        if (timedOut) {
            printErr(
                QStringLiteral("cove-cli: the command ran longer than %1 s and was killed.").arg(*timeout));
            return 124; // as timeout(1)
        }
        return 128 + interrupted;
    }
    // The stream ends when the command does; its exit code is in the command's status by then. A stream
    // cut short (coved restarted, the network went) is waited out on the status.
    if (!complete)
        printErr(QStringLiteral("cove-cli: the output stream broke off (%1); waiting for the command to end.")
                     .arg(streamError));
    std::optional<int> exitCode;
    for (;;) {
        const auto status = await<app::SessionCommand>(
            [&](QObject* ctx, auto reply) { toolbox.command(id, session, cmdId, ctx, reply); });
        if (!status.ok()) {
            const int code = c.fail(status.error());
            cleanUp();
            return code;
        }
        exitCode = status.value().exitCode;
        if (exitCode)
            break;
        QEventLoop pause;
        QTimer::singleShot(250, &pause, &QEventLoop::quit);
        pause.exec();
    }
    cleanUp();
    if (*exitCode < 0) {
        printErr(QStringLiteral(
            "cove-cli: the command's shell ended without an exit code (the sandbox stopped?)."));
        return kFailed;
    }
    return *exitCode & 0xff;
}

// ---- logs

int logs(Context& c, const Parsed& p) {
    const QString id = p.args.first();
    app::ToolboxApi toolbox(&c.client());
    if (p.has(QStringLiteral("list"))) {
        const auto r =
            await<QList<app::Session>>([&](QObject* ctx, auto reply) { toolbox.sessions(id, ctx, reply); });
        if (!r.ok())
            return c.fail(r.error());
        QList<QStringList> rows;
        for (const app::Session& s : r.value())
            for (const app::SessionCommand& cmd : s.commands) {
                QString command = cmd.command.simplified();
                if (command.size() > 60)
                    command = command.left(59) + QChar(0x2026);
                rows << QStringList{s.id, cmd.id,
                                    cmd.exitCode ? QString::number(*cmd.exitCode) : QStringLiteral("running"),
                                    command};
            }
        printTable({QStringLiteral("SESSION"), QStringLiteral("COMMAND ID"), QStringLiteral("EXIT"),
                    QStringLiteral("COMMAND")},
                   rows);
        return kOk;
    }
    QString session = p.value(QStringLiteral("session"));
    QString command = p.value(QStringLiteral("command"));
    if (!command.isEmpty() && session.isEmpty())
        return usageError(c.spec(), QStringLiteral("--command needs the --session it ran in"));
    if (!session.isEmpty() && command.isEmpty()) {
        // The session's last command.
        const auto r =
            await<QList<app::Session>>([&](QObject* ctx, auto reply) { toolbox.sessions(id, ctx, reply); });
        if (!r.ok())
            return c.fail(r.error());
        for (const app::Session& s : r.value())
            if (s.id == session && !s.commands.isEmpty())
                command = s.commands.last().id;
        if (command.isEmpty()) {
            printErr(QStringLiteral("cove-cli: session %1 of sandbox %2 has run no command; see `cove-cli "
                                    "sandbox logs %2 --list`.")
                         .arg(session, id));
            return kNotFound;
        }
    }
    if (!p.has(QStringLiteral("follow"))) {
        const auto r = await<app::CommandLogs>([&](QObject* ctx, auto reply) {
            if (session.isEmpty())
                toolbox.entrypointLogs(id, ctx, reply);
            else
                toolbox.commandLogs(id, session, command, ctx, reply);
        });
        if (!r.ok()) {
            if (r.error().status == 404 && session.isEmpty()) {
                printErr(
                    QStringLiteral("cove-cli: sandbox %1's image runs no command of its own, so there is "
                                   "no entrypoint log; `cove-cli sandbox logs %1 --list` shows the "
                                   "session commands.")
                        .arg(id));
                return kNotFound;
            }
            return c.fail(r.error());
        }
        writeOut(r.value().output);
        return kOk;
    }
    QEventLoop loop;
    bool complete = false;
    QString error;
    app::LogStream* stream = toolbox.followLogs(id, session, command, &loop);
    QObject::connect(stream, &app::LogStream::output, &loop, [](const QByteArray& b) { writeOut(b); });
    QObject::connect(stream, &app::LogStream::errorOutput, &loop, [](const QByteArray& b) { writeErr(b); });
    QObject::connect(stream, &app::LogStream::finished, &loop, [&](bool ok, const QString& e) {
        complete = ok;
        error = e;
        loop.quit();
    });
    int interrupted = 0;
    SignalWatch watch({SIGINT, SIGTERM, SIGHUP}, [&](int sig) {
        interrupted = sig;
        loop.quit();
    });
    loop.exec();
    stream->abort();
    if (interrupted)
        return kOk; // following until stopped is what -f is for
    if (!complete) {
        // The socket said nothing of why: ask the plain route, whose answer has a status.
        const auto r = await<app::CommandLogs>([&](QObject* ctx, auto reply) {
            if (session.isEmpty())
                toolbox.entrypointLogs(id, ctx, reply);
            else
                toolbox.commandLogs(id, session, command, ctx, reply);
        });
        if (!r.ok())
            return c.fail(r.error());
        printErr(QStringLiteral("cove-cli: the log stream broke off (%1).").arg(error));
        return kFailed;
    }
    return kOk;
}

// ---- cp

// "ID:/path" names a file in a sandbox; anything else (./a:b included) is local.
bool remoteSpec(const QString& s, QString* id, QString* path) {
    const qsizetype colon = s.indexOf(QLatin1Char(':'));
    if (colon <= 0 || s.left(colon).contains(QLatin1Char('/')))
        return false;
    *id = s.left(colon);
    *path = s.mid(colon + 1);
    return true;
}

QString sizeText(qint64 bytes) {
    if (bytes < 0)
        return QStringLiteral("?");
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < (1 << 20))
        return QStringLiteral("%1 KiB").arg(bytes / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(bytes / double(1 << 20), 0, 'f', 1);
}

int copy(Context& c, const Parsed& p) {
    QString srcId, srcPath, dstId, dstPath;
    const bool fromSandbox = remoteSpec(p.args.at(0), &srcId, &srcPath);
    const bool toSandbox = remoteSpec(p.args.at(1), &dstId, &dstPath);
    if (fromSandbox == toSandbox)
        return usageError(c.spec(),
                          QStringLiteral("one side must be a sandbox (ID:/path) and the other a local "
                                         "file"));
    app::ToolboxApi toolbox(&c.client());
    QString local, remote, id;
    if (toSandbox) {
        id = dstId;
        local = p.args.at(0);
        remote = dstPath;
        const QFileInfo fi(local);
        if (fi.isDir())
            return usageError(c.spec(),
                              QStringLiteral("%1 is a folder; cp copies one file (pack a folder with "
                                             "tar first)")
                                  .arg(local));
        if (!fi.exists())
            return usageError(c.spec(), QStringLiteral("there is no file %1").arg(local));
        if (remote.isEmpty() || remote.endsWith(QLatin1Char('/'))) {
            remote += fi.fileName();
        } else {
            const auto r = await<app::FileInfo>(
                [&](QObject* ctx, auto reply) { toolbox.fileInfo(id, remote, ctx, reply); });
            if (r.ok() && r.value().isDir)
                remote += QLatin1Char('/') + fi.fileName();
        }
    } else {
        id = srcId;
        remote = srcPath;
        local = p.args.at(1);
        const QString name = remote.section(QLatin1Char('/'), -1);
        if (name.isEmpty())
            return usageError(c.spec(),
                              QStringLiteral("name a file of the sandbox, not a folder: %1").arg(remote));
        if (QFileInfo(local).isDir() || local.endsWith(QLatin1Char('/')))
            local = QDir(local).filePath(name);
    }
    app::Transfer* t =
        toSandbox ? app::Transfer::upload(&c.client(), app::ToolboxApi::base(id), local, remote, nullptr)
                  : app::Transfer::download(&c.client(), app::ToolboxApi::base(id), remote, local, nullptr);
    const bool progress = stderrIsTerminal() && !p.has(QStringLiteral("quiet"));
    QEventLoop loop;
    bool ok = false;
    QString error;
    const QString label = toSandbox ? QStringLiteral("%1:%2").arg(id, remote) : local;
    QObject::connect(t, &app::Transfer::progress, &loop, [&](qint64 done, qint64 total) {
        if (!progress)
            return;
        const QString pct =
            total > 0 ? QStringLiteral("%1%").arg(done * 100 / total, 3) : QStringLiteral("   ");
        writeErr(QStringLiteral("\r%1 %2 %3 / %4\x1b[K")
                     .arg(label, pct, sizeText(done), sizeText(total))
                     .toUtf8());
    });
    QObject::connect(t, &app::Transfer::finished, &loop, [&](bool success, const QString& e) {
        ok = success;
        error = e;
        loop.quit();
    });
    int interrupted = 0;
    SignalWatch watch({SIGINT, SIGTERM, SIGHUP}, [&](int sig) {
        interrupted = sig;
        t->abort();
    });
    loop.exec();
    if (progress)
        writeErr("\n");
    const int status = t->status();
    delete t;
    if (interrupted)
        return 128 + interrupted;
    if (!ok) {
        // A local file that cannot be read or written fails before any request is made.
        const bool local = (status == 0 && !error.startsWith(QStringLiteral("Cannot reach"))) ||
                           (status >= 200 && status < 300);
        if (local) {
            printErr(QStringLiteral("cove-cli: ") + error);
            return kFailed;
        }
        return c.report(status, {}, status == 0 || status == 401 ? QString() : error, {});
    }
    if (!progress && !p.has(QStringLiteral("quiet")) && stdoutIsTerminal())
        printOut(QStringLiteral("Copied %1 to %2.").arg(p.args.at(0), p.args.at(1)));
    return kOk;
}

} // namespace

QList<Spec> sandboxCommands() {
    const Option quiet{QStringLiteral("quiet"), QLatin1Char('q'), {}, QStringLiteral("print only the ids")};
    QList<Spec> out;
    out << Spec{
        QStringLiteral("sandbox create"),
        QStringLiteral("[NAME]"),
        QStringLiteral("Create a sandbox and wait until it has started."),
        QStringLiteral("Without options it is a cove-base sandbox with the service's defaults (1 vCPU, "
                       "1 GiB memory,\n3 GiB disk, auto-stop after 15 idle minutes). Intervals are in "
                       "minutes; 0 turns one off\n(auto-delete 0: delete as soon as it stops)."),
        {{QStringLiteral("name"), QLatin1Char('n'), QStringLiteral("NAME"),
          QStringLiteral("its name (unique among live sandboxes; else its id)")},
         {QStringLiteral("snapshot"), QLatin1Char('s'), QStringLiteral("SNAPSHOT"),
          QStringLiteral("the snapshot to start from (default cove-base)")},
         {QStringLiteral("dockerfile"),
          {},
          QStringLiteral("FILE"),
          QStringLiteral("build the sandbox's image from FILE first (see snapshot create)")},
         {QStringLiteral("context"),
          {},
          QStringLiteral("DIR"),
          QStringLiteral("the build's files (its Dockerfile unless --dockerfile)")},
         {QStringLiteral("cpu"), {}, QStringLiteral("N"), QStringLiteral("vCPUs")},
         {QStringLiteral("memory"), {}, QStringLiteral("GIB"), QStringLiteral("memory in GiB")},
         {QStringLiteral("disk"), {}, QStringLiteral("GIB"), QStringLiteral("disk in GiB")},
         {QStringLiteral("env"), QLatin1Char('e'), QStringLiteral("KEY=VALUE"),
          QStringLiteral("an environment variable"), true},
         {QStringLiteral("label"), QLatin1Char('l'), QStringLiteral("KEY=VALUE"), QStringLiteral("a label"),
          true},
         {QStringLiteral("public"), {}, {}, QStringLiteral("previews of its ports need no key")},
         {QStringLiteral("auto-stop"),
          {},
          QStringLiteral("MIN"),
          QStringLiteral("stop after MIN idle minutes (0: never)")},
         {QStringLiteral("auto-pause"),
          {},
          QStringLiteral("MIN"),
          QStringLiteral("pause after MIN idle minutes instead (0: never)")},
         {QStringLiteral("auto-archive"),
          {},
          QStringLiteral("MIN"),
          QStringLiteral("archive after MIN minutes stopped")},
         {QStringLiteral("auto-delete"),
          {},
          QStringLiteral("MIN"),
          QStringLiteral("delete after MIN minutes stopped (-1: never, 0: at once)")},
         {QStringLiteral("ephemeral"), {}, {}, QStringLiteral("delete it as soon as it stops")},
         {QStringLiteral("ttl"),
          {},
          QStringLiteral("MIN"),
          QStringLiteral("delete it MIN minutes from now, whatever its state")},
         {QStringLiteral("network-block-all"), {}, {}, QStringLiteral("no network at all")},
         {QStringLiteral("network-allow-list"),
          {},
          QStringLiteral("CIDRS"),
          QStringLiteral("reach only these IPv4 networks (comma-separated, at most 5)")},
         {QStringLiteral("domain-allow-list"),
          {},
          QStringLiteral("DOMAINS"),
          QStringLiteral("domain names kept with it (comma-separated)")},
         {QStringLiteral("volume"), QLatin1Char('v'), QStringLiteral("VOL[/SUB]:/PATH[:ro]"),
          QStringLiteral("mount a volume (by id or name) at /PATH"), true},
         {QStringLiteral("user"), QLatin1Char('u'), QStringLiteral("USER"),
          QStringLiteral("the user commands run as (default: the image's)")},
         {QStringLiteral("target"),
          {},
          QStringLiteral("REGION"),
          QStringLiteral("Daytona's region, kept with the sandbox (coved runs it here)")},
         kNoWait,
         {QStringLiteral("timeout"),
          {},
          QStringLiteral("SECONDS"),
          QStringLiteral("how long to wait until it has started (default 300, or no limit for a build; 0: "
                         "no limit)")},
         {QStringLiteral("quiet"), QLatin1Char('q'), {}, QStringLiteral("print only the id")},
         kJson},
        0,
        1,
        true,
        create};
    out << Spec{
        QStringLiteral("sandbox list"),
        {},
        QStringLiteral("List sandboxes, newest first."),
        QStringLiteral("Filters combine; --name and the id match at the start."),
        {{QStringLiteral("label"), QLatin1Char('l'), QStringLiteral("KEY=VALUE"),
          QStringLiteral("only sandboxes with this label"), true},
         {QStringLiteral("state"),
          {},
          QStringLiteral("STATE"),
          QStringLiteral("only these states (started, stopped, archived, error…; comma-separated)"),
          true},
         {QStringLiteral("name"), {}, QStringLiteral("PREFIX"), QStringLiteral("only names starting so")},
         {QStringLiteral("snapshot"),
          {},
          QStringLiteral("SNAPSHOT"),
          QStringLiteral("only from this snapshot")},
         {QStringLiteral("sort"),
          {},
          QStringLiteral("FIELD"),
          QStringLiteral("name, cpu, memoryGib, diskGib, lastActivityAt or createdAt")},
         {QStringLiteral("order"), {}, QStringLiteral("asc|desc"), QStringLiteral("the sort order")},
         {QStringLiteral("limit"),
          {},
          QStringLiteral("N"),
          QStringLiteral("sandboxes per page (default 100)")},
         {QStringLiteral("cursor"),
          {},
          QStringLiteral("CURSOR"),
          QStringLiteral("the page after the one that gave this cursor")},
         {QStringLiteral("all"), QLatin1Char('a'), {}, QStringLiteral("every page")},
         quiet,
         kJson},
        0,
        0,
        true,
        list};
    out << Spec{QStringLiteral("sandbox info"),
                QStringLiteral("ID|NAME"),
                QStringLiteral("Show one sandbox."),
                {},
                {kJson},
                1,
                1,
                true,
                info};
    out << Spec{QStringLiteral("sandbox start"),
                QStringLiteral("ID|NAME"),
                QStringLiteral("Start a stopped, archived or paused sandbox and wait until it runs."),
                {},
                {kNoWait, kTimeout, kJson},
                1,
                1,
                true,
                action(QStringLiteral("/start"), {QStringLiteral("started")}, QStringLiteral("started"))};
    out << Spec{
        QStringLiteral("sandbox stop"),
        QStringLiteral("ID|NAME"),
        QStringLiteral("Stop a sandbox and wait until it has stopped."),
        {},
        {{QStringLiteral("force"), QLatin1Char('f'), {}, QStringLiteral("kill its processes at once")},
         kNoWait,
         kTimeout,
         kJson},
        1,
        1,
        true,
        action(QStringLiteral("/stop"), {QStringLiteral("stopped"), QStringLiteral("destroyed")},
               QStringLiteral("stopped"))};
    out << Spec{
        QStringLiteral("sandbox archive"),
        QStringLiteral("ID|NAME"),
        QStringLiteral("Archive a stopped sandbox (its files to the archive, its container removed)."),
        {},
        {kNoWait, kTimeout, kJson},
        1,
        1,
        true,
        action(QStringLiteral("/archive"), {QStringLiteral("archived")}, QStringLiteral("archived"))};
    out << Spec{
        QStringLiteral("sandbox delete"),
        QStringLiteral("ID|NAME…"),
        QStringLiteral("Delete sandboxes and their files, and wait until they are destroyed."),
        QStringLiteral("Asks on the terminal first. Without a terminal (a script) it refuses with exit "
                       "code 2\nunless -y is given."),
        {kYes, kNoWait, kTimeout, kJson},
        1,
        -1,
        true,
        remove};
    out << Spec{
        QStringLiteral("sandbox exec"),
        QStringLiteral("ID|NAME -- COMMAND [ARG…]"),
        QStringLiteral("Run a command in a sandbox, streaming its output; exit with its exit code."),
        QStringLiteral("One word after -- is a shell command line ('make && make test'); several are a "
                       "program and\nits arguments, passed as they are. The command runs as the sandbox's "
                       "user in its work\nfolder with an empty stdin. Ctrl-C kills it (exit 130); "
                       "--timeout kills it after SECONDS\n(exit 124)."),
        {{QStringLiteral("cwd"), QLatin1Char('w'), QStringLiteral("DIR"), QStringLiteral("run it in DIR")},
         {QStringLiteral("env"), QLatin1Char('e'), QStringLiteral("KEY=VALUE"),
          QStringLiteral("an environment variable for it"), true},
         {QStringLiteral("timeout"), {}, QStringLiteral("SECONDS"), QStringLiteral("kill it after SECONDS")}},
        1,
        1,
        true,
        exec};
    const QString terminalDetails =
        QStringLiteral("A shell on a terminal in the sandbox (its toolbox's PTY), the local terminal in raw "
                       "mode\nand resized with it. Exits with the shell's exit code. Without a terminal, "
                       "stdin is sent\nas typed input and its end as Ctrl-D.");
    const QList<Option> terminalOptions = {{QStringLiteral("cwd"), QLatin1Char('w'), QStringLiteral("DIR"),
                                            QStringLiteral("start the shell in DIR")}};
    out << Spec{QStringLiteral("sandbox ssh"),
                QStringLiteral("ID|NAME"),
                QStringLiteral("Open an interactive shell in a sandbox."),
                terminalDetails,
                terminalOptions,
                1,
                1,
                true,
                runTerminal};
    out << Spec{QStringLiteral("sandbox terminal"),
                QStringLiteral("ID|NAME"),
                QStringLiteral("The same as ssh."),
                terminalDetails,
                terminalOptions,
                1,
                1,
                true,
                runTerminal};
    out << Spec{
        QStringLiteral("sandbox logs"),
        QStringLiteral("ID|NAME"),
        QStringLiteral("Print what the sandbox's own command (its entrypoint) or a session command wrote."),
        QStringLiteral("The toolbox keeps the last few MiB of each command's output. --list shows the "
                       "sessions\nand their commands (cove-cli exec runs each command in a session of "
                       "its own)."),
        {{QStringLiteral("follow"),
          QLatin1Char('f'),
          {},
          QStringLiteral("go on printing output as it comes, until the command ends")},
         {QStringLiteral("session"),
          {},
          QStringLiteral("SESSION"),
          QStringLiteral("a session's last command instead of the entrypoint")},
         {QStringLiteral("command"),
          {},
          QStringLiteral("COMMAND_ID"),
          QStringLiteral("that command of the session")},
         {QStringLiteral("list"), {}, {}, QStringLiteral("list the sessions and their commands")}},
        1,
        1,
        true,
        logs};
    out << Spec{
        QStringLiteral("sandbox cp"),
        QStringLiteral("SOURCE DESTINATION"),
        QStringLiteral("Copy a file into or out of a sandbox."),
        QStringLiteral("One side is ID:/path in the sandbox, the other a local file:\n"
                       "  cove-cli sandbox cp ./data.csv ID:/home/cove/data.csv\n"
                       "  cove-cli sandbox cp ID:/home/cove/out.png .\n"
                       "A destination that is a folder (or ends in /) gets the source's name. Progress "
                       "goes to\nstderr when it is a terminal."),
        {{QStringLiteral("quiet"), QLatin1Char('q'), {}, QStringLiteral("no progress")}},
        2,
        2,
        true,
        copy};
    return out;
}

} // namespace cove::cli
