// Debian's OpenSSH clients against a coved's SSH gateway: ssh, scp and sftp run as a person would, with
// the token as the user name, no host key kept and no prompt (BatchMode).
#pragma once

#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QProcess>
#include <QUrlQuery>

namespace cove::test {

// The options every client gets: no known_hosts, no prompts, no stray identities.
inline QStringList sshOptions() {
    return {QStringLiteral("-o"), QStringLiteral("StrictHostKeyChecking=no"),
            QStringLiteral("-o"), QStringLiteral("UserKnownHostsFile=/dev/null"),
            QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
            QStringLiteral("-o"), QStringLiteral("LogLevel=ERROR"),
            QStringLiteral("-o"), QStringLiteral("ConnectTimeout=15"),
            QStringLiteral("-F"), QStringLiteral("/dev/null")};
}

// `ssh -p PORT [extra] TOKEN@127.0.0.1 [command]` with `input` on its stdin.
inline CommandResult ssh(int port, const QString& token, const QStringList& command,
                         const QByteArray& input = {}, const QStringList& extra = {}, int timeoutMs = 60000) {
    QProcess p;
    QStringList args = sshOptions();
    args << QStringLiteral("-p") << QString::number(port) << extra << token + QStringLiteral("@127.0.0.1")
         << command;
    p.start(QStringLiteral("ssh"), args);
    CommandResult r;
    if (!p.waitForStarted(10000))
        return r;
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.err = "ssh did not finish in time";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// POST /api/sandbox/{id}/ssh-access: the reply (status and SshAccessDto).
inline Reply createSshAccess(const CovedProcess& coved, const QString& key, const QString& sandbox,
                             const QString& query = {}) {
    return request("POST",
                   coved.apiUrl() + QStringLiteral("/sandbox/") + sandbox + QStringLiteral("/ssh-access") +
                       (query.isEmpty() ? QString() : QStringLiteral("?") + query),
                   key);
}

} // namespace cove::test
