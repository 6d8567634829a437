// Where the dashboard and cove-cli connect: command line, then environment, then settings, then the local
// coved.
#pragma once

#include <QString>
#include <QStringList>

namespace cove::app {

struct ConnectionTarget {
    QString url; // e.g. http://127.0.0.1:3986 (no /api)
    QString apiKey;
    QString source; // what decided it, for the status bar and errors
};

class Connection {
public:
    static constexpr const char* kLocalUrl = "http://127.0.0.1:3986";

    // The local coved's data directory, as coved itself picks it.
    static QString localDataDir();
    // localDataDir()'s admin.key; for a user without one, the packaged service's (kSystemKeyFile).
    static QString localKeyFile();
    static constexpr const char* kSystemKeyFile = "/var/lib/cove/admin.key";
    // Reads a key file (first line, trimmed); empty if unreadable.
    static QString readKeyFile(const QString& path);
    // Decides the target from --url/--api-key-file, COVE_URL/COVE_API_KEY, DAYTONA_API_URL/DAYTONA_API_KEY
    // (as the Daytona SDKs read them; a trailing /api is dropped), settings and the local coved.
    static ConnectionTarget resolve(const QString& cliUrl, const QString& cliKeyFile);
};

} // namespace cove::app
