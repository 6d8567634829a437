// Connection discovery, so the dashboard needs no setup on the machine that runs coved.
#include "app/Connection.h"

#include "app/Settings.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include <unistd.h>

namespace cove::app {

QString Connection::localDataDir() {
    const QString fromEnv = qEnvironmentVariable("COVE_DATA_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    if (geteuid() == 0)
        return QStringLiteral("/var/lib/cove");
    const QString xdg = qEnvironmentVariable("XDG_DATA_HOME");
    if (!xdg.isEmpty())
        return xdg + QStringLiteral("/cove");
    return QDir::homePath() + QStringLiteral("/.local/share/cove");
}

QString Connection::localKeyFile() {
    const QString own = localDataDir() + QStringLiteral("/admin.key");
    // The installed service's key, readable by the cove group, when this user runs no coved of their own.
    if (!QFile::exists(own) && qEnvironmentVariableIsEmpty("COVE_DATA_DIR"))
        return QString::fromLatin1(kSystemKeyFile);
    return own;
}

QString Connection::readKeyFile(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readLine()).trimmed();
}

ConnectionTarget Connection::resolve(const QString& cliUrl, const QString& cliKeyFile) {
    ConnectionTarget t;
    const QString envUrl = qEnvironmentVariable("COVE_URL");
    const QString envKey = qEnvironmentVariable("COVE_API_KEY");
    // What the Daytona SDKs and CLI read, so one environment serves both (the URL ends in /api).
    const QString daytonaUrl = qEnvironmentVariable("DAYTONA_API_URL");
    const QString daytonaKey = qEnvironmentVariable("DAYTONA_API_KEY");
    const QString setUrl = Settings::value(Settings::Key::ServiceUrl).toString();
    const QString setKey = Settings::value(Settings::Key::ApiKey).toString();

    if (!cliUrl.isEmpty()) {
        t.url = cliUrl;
        t.source = QStringLiteral("--url");
    } else if (!envUrl.isEmpty()) {
        t.url = envUrl;
        t.source = QStringLiteral("COVE_URL");
    } else if (!daytonaUrl.isEmpty()) {
        t.url = daytonaUrl;
        t.source = QStringLiteral("DAYTONA_API_URL");
    } else if (!setUrl.isEmpty()) {
        t.url = setUrl;
        t.source = QStringLiteral("settings");
    } else {
        t.url = QString::fromLatin1(kLocalUrl);
        t.source = QStringLiteral("local");
    }
    if (!cliKeyFile.isEmpty())
        t.apiKey = readKeyFile(cliKeyFile);
    else if (!envKey.isEmpty())
        t.apiKey = envKey;
    else if (!daytonaKey.isEmpty())
        t.apiKey = daytonaKey;
    else if (!setKey.isEmpty())
        t.apiKey = setKey;
    else
        t.apiKey = readKeyFile(localKeyFile());
    while (t.url.endsWith(QLatin1Char('/')))
        t.url.chop(1);
    if (t.url.endsWith(QStringLiteral("/api")))
        t.url.chop(4);
    return t;
}

} // namespace cove::app
