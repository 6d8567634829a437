// What every command of cove-cli shares: its options and their parsing, the connection to coved with
// calls that wait for their answer, the exit code of a failed call, and tables for people.
#pragma once

#include "app/ApiClient.h"
#include "app/ApiError.h"
#include "app/cli/Cli.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace cove::cli {

struct Option {
    QString name;      // long name, without "--"
    QChar shortName;   // a letter, or null
    QString valueName; // empty: a flag
    QString help;
    bool repeat = false; // may be given more than once
};

struct Parsed;
class Context;
using Handler = std::function<int(Context&, const Parsed&)>;

struct Spec {
    QString name;     // "sandbox create"
    QString synopsis; // what follows the options: "[NAME]", "ID -- COMMAND…"
    QString summary;  // one line for the command list
    QString details;  // paragraphs for --help
    QList<Option> options;
    int minArgs = 0;
    int maxArgs = 0;      // -1: any number
    bool connects = true; // takes --url and --api-key-file
    Handler run;
};

struct Parsed {
    QMap<QString, QStringList> values; // by long name; a flag has one empty value per use
    QStringList args;
    QStringList command; // what followed "--"
    bool sawDashDash = false;

    bool has(const QString& name) const { return values.contains(name); }
    QString value(const QString& name) const { return values.value(name).value(0); }
    QStringList all(const QString& name) const { return values.value(name); }
};

// Reports a wrong command line for `spec` on stderr; answers kUsage.
int usageError(const Spec& spec, const QString& sentence);
// The exit code for a failed call (Cli.h).
int exitCodeFor(int status, const QString& errorCode);

// --name VALUE as a whole number within [min, max]; nothing when absent. Sets `bad` when it is not one.
std::optional<int> intOption(const Parsed& p, const QString& name, int min, int max, QString* bad);
// K=V pairs of a repeated option; sets `bad` to the first without '='.
QJsonObject pairsOption(const Parsed& p, const QString& name, QString* bad);

bool stdinIsTerminal();
bool stdoutIsTerminal();
bool stderrIsTerminal();
// Writes all of `data` to fd 1 or 2 at once (no buffering: output appears as it comes); false when the
// reader has gone (with SIGPIPE ignored, as exec and logs -f do to clean up first).
bool writeOut(const QByteArray& data);
bool writeErr(const QByteArray& data);
void printErr(const QString& line); // with a newline
void printOut(const QString& line);

// Rows of text in aligned columns, a header first; the last column is not padded.
void printTable(const QStringList& header, const QList<QStringList>& rows);
// How long ago an ISO 8601 time was: "42s", "5m", "3h", "2d"; "-" for none.
QString ageOf(const QString& iso);

// Asks a person "question [y/N]" on the terminal. Without a terminal there is no one to ask: that is
// a usage error (kUsage) the caller reports, unless `yes` (-y) was given.
enum class Confirm { Yes, No, NoTerminal };
Confirm confirm(const QString& question, bool yes);

class Context {
public:
    Context(const Spec& spec, const Parsed& parsed);

    app::ApiClient& client() { return m_client; }
    const Spec& spec() const { return m_spec; }
    bool json() const { return m_parsed.has(QStringLiteral("json")); }

    // Waits for the answer.
    app::ApiResult call(const QByteArray& verb, const QString& path, const QJsonObject& body = {});
    app::ApiResult get(const QString& path) { return call("GET", path); }

    // Reports a failed call on stderr as one sentence saying what to do; answers its exit code.
    int fail(const app::ApiResult& r);
    int fail(const app::ApiError& e);
    int report(int status, const QString& code, QString message, const QString& networkError);
    // Prints a reply's JSON as the API sent it.
    void printJson(const app::ApiResult& r);
    static void printJson(const QJsonDocument& doc);
    // What most commands do with an answer before printing it for people: a failure reported, or with
    // --json the answer printed as it came. Their exit code then; nothing when the text is still to print.
    std::optional<int> failedOrPrintedJson(const app::ApiResult& r);

    // Polls the sandbox until its state is one of `targets` (or error, build_failed: failure); the last DTO
    // or the failing result. `timeoutSeconds` 0 waits as long as it takes.
    struct Wait {
        int exitCode = kOk;
        QJsonObject sandbox;
    };
    Wait waitForSandbox(const QString& id, const QStringList& targets, int timeoutSeconds);

private:
    const Spec& m_spec;
    const Parsed& m_parsed;
    app::ApiClient m_client;
};

// `what delete NAME…`: deletes each named thing (DELETE on path(name); an empty path skips it, already
// reported) after asking "Delete what NAME{alsoDeleted}?" (or -y). The worst exit code.
int removeEach(Context& c, const Parsed& p, const QString& what,
               const std::function<QString(const QString&)>& path, const QString& alsoDeleted = {},
               const std::function<int(const QString&)>& settle = {});

// Copies a followed plain-text log (a build's, GET …/build-logs?follow=true) to stderr as coved writes
// it, until it ends; false if it could not be read. Ctrl-C leaves (exit 128+N): the work goes on in coved.
bool followLog(Context& c, const QString& path);

// Uploads the top-level entries of the folder `dir` as build contexts (the SDK's Image.addLocalDir):
// their hashes for buildInfo.contextHashes, or nothing after reporting why (its exit code in *exitCode).
std::optional<QJsonArray> uploadBuildContext(Context& c, const QString& dir, int* exitCode);
// Puts in `body` the buildInfo of --dockerfile FILE (- for stdin) and --context DIR (whose Dockerfile is
// the default): kOk, or the exit code after reporting why not.
int addBuildInfo(Context& c, const Parsed& p, QJsonObject* body);

// The commands of each group, for the dispatcher and for help.
QList<Spec> sandboxCommands();
QList<Spec> resourceCommands(); // snapshot, volume, key, audit
int runTerminal(Context& c, const Parsed& p);
// The shell completion script (bash or zsh); empty for another shell.
QByteArray completionScript(const QString& shell);

// Waits for a typed call: start(context, reply) is e.g. a ToolboxApi call bound to its arguments.
template <class T, class Start> app::Result<T> await(Start start) {
    std::optional<app::Result<T>> out;
    QEventLoop loop;
    start(&loop, [&](const app::Result<T>& r) {
        out.emplace(r);
        loop.quit();
    });
    if (!out)
        loop.exec();
    return *out;
}

// Calls `handler` on the event loop when one of `signals` arrives (SIGINT, SIGWINCH…); the default
// handling comes back when the object goes.
class SignalWatch {
public:
    SignalWatch(const QList<int>& which, std::function<void(int)> handler);
    ~SignalWatch();

private:
    QList<int> m_signals;
    QObject* m_notifier;
};

// Path pieces.
QString encoded(const QString& s);
QString sandboxPath(const QString& idOrName);

} // namespace cove::cli
