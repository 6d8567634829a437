// The two ways to start coved: `systemctl start coved.service` (through pkexec unless root) or the
// coved binary beside the dashboard, which needs root for the sandboxes' firewall.
#include "app/LocalService.h"

#include "app/Connection.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QUrl>

#include <unistd.h>

namespace cove::app {

namespace {
constexpr const char* kUnit = "coved.service";

bool unitInstalled() {
    if (!QFileInfo::exists(QStringLiteral("/run/systemd/system")))
        return false; // systemd is not what runs this machine
    for (const char* dir : {"/etc/systemd/system/", "/lib/systemd/system/", "/usr/lib/systemd/system/"})
        if (QFileInfo::exists(QString::fromLatin1(dir) + QString::fromLatin1(kUnit)))
            return true;
    return false;
}

QString covedBinary() {
    const QString beside = QCoreApplication::applicationDirPath() + QStringLiteral("/coved");
    if (QFileInfo(beside).isExecutable())
        return beside;
    return QStandardPaths::findExecutable(QStringLiteral("coved"));
}
} // namespace

bool LocalService::isLocal(const QString& url) {
    const QString host = QUrl(url).host();
    return host == QLatin1String("127.0.0.1") || host == QLatin1String("::1") ||
           host == QLatin1String("localhost");
}

LocalServicePlan LocalService::plan(const QString& url) {
    LocalServicePlan p;
    if (!isLocal(url)) {
        p.instructions =
            QCoreApplication::translate("cove::app::LocalService",
                                        "The service at %1 runs on another computer; start it there.")
                .arg(url);
        return p;
    }
    const bool root = geteuid() == 0;
    if (unitInstalled()) {
        p.usable = true;
        p.program = root ? QStringLiteral("systemctl") : QStringLiteral("pkexec");
        if (!root)
            p.arguments << QStringLiteral("systemctl");
        p.arguments << QStringLiteral("start") << QString::fromLatin1(kUnit);
        return p;
    }
    const QString coved = covedBinary();
    if (root && !coved.isEmpty()) {
        const QUrl u(url);
        const QString dataDir = Connection::localDataDir();
        QDir().mkpath(dataDir);
        p.usable = true;
        p.program = coved;
        p.arguments << QStringLiteral("--data-dir") << dataDir << QStringLiteral("--listen")
                    << QStringLiteral("%1:%2").arg(u.host()).arg(u.port(80));
        p.logFile = dataDir + QStringLiteral("/coved.log");
        return p;
    }
    p.instructions = QCoreApplication::translate(
        "cove::app::LocalService",
        "Start it with \"sudo systemctl start coved\" (installed package) or \"installer/setup.sh run\" "
        "(source tree).");
    return p;
}

bool LocalService::start(const LocalServicePlan& plan, QString* error, qint64* pid) {
    if (!plan.usable) {
        *error = plan.instructions;
        return false;
    }
    QProcess process;
    process.setProgram(plan.program);
    process.setArguments(plan.arguments);
    process.setStandardInputFile(QProcess::nullDevice());
    if (!plan.logFile.isEmpty()) {
        process.setStandardOutputFile(plan.logFile, QIODevice::Append);
        process.setStandardErrorFile(plan.logFile, QIODevice::Append);
    }
    if (!process.startDetached(pid)) {
        *error = QCoreApplication::translate("cove::app::LocalService", "Could not run %1: %2")
                     .arg(plan.program, process.errorString());
        return false;
    }
    return true;
}

} // namespace cove::app
