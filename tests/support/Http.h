// Test helpers: blocking HTTP calls (an event loop waits for the reply) and running commands.
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <functional>

namespace cove::test {

struct Reply {
    int status = 0;
    QByteArray body;
    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
    QJsonObject object() const { return json().object(); }
    QString message() const { return object().value(QStringLiteral("message")).toString(); }
};

// A whole HTTP/1.1 answer as a raw client read it: the status from its line, the body after the blank
// line (none when there is none).
Reply replyFrom(const QByteArray& raw);

Reply request(const QByteArray& method, const QString& url, const QString& apiKey = {},
              const QByteArray& body = {}, const QList<QPair<QByteArray, QByteArray>>& headers = {});

// Asks `done` every `everyMs` until it says yes, at most timeoutMs (the event loop runs meanwhile); whether
// it did. For a state of coved's to wait for, where a fixed sleep would be a guess.
bool waitUntil(const std::function<bool()>& done, int timeoutMs, int everyMs = 50);
// GETs the sandbox at `sandboxUrl` (…/sandbox/ID) until coved has destroyed it (a 404), at most timeoutMs.
bool waitDestroyed(const QString& sandboxUrl, const QString& apiKey, int timeoutMs = 60000);
// DELETE of the sandbox, then waitDestroyed(): coved answers a delete at once with `destroying`. The
// DELETE's reply; its status is 0 when the sandbox was still there at the end. For tests that check what a
// delete leaves behind.
Reply destroySandbox(const QString& sandboxUrl, const QString& apiKey, int timeoutMs = 60000);

struct CommandResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// A field of /proc/PID/status in KiB (resident memory, VmRSS, unless told; RssAnon: its own), or -1
// when it cannot be read.
long rssKiB(qint64 pid, const QByteArray& field = "VmRSS");
// Whether coved and cove-agent carry sanitizers (COVE_SANITIZE): their memory is then ASan's shadow and
// quarantine and UBSan's runtime as much as Cove's, so memory bounds are checked by the normal build only.
#ifdef COVE_SANITIZED
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
// Memory use at most `limitKiB`, unless sanitized.
inline bool withinMemory(long kib, long limitKiB) {
    return kSanitized || kib <= limitKiB;
}

// Runs a program to completion (at most timeoutMs) and returns its exit code and output.
CommandResult run(const QString& program, const QStringList& args, int timeoutMs = 120000);
// Runs a shell command line: its output and errors, trimmed.
QString sh(const QString& script);

} // namespace cove::test
