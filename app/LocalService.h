// Starting the Cove service on this computer from the dashboard, when it isn't running: through its
// systemd unit when the package installed one, else the coved that sits beside the dashboard.
#pragma once

#include <QString>
#include <QStringList>

namespace cove::app {

struct LocalServicePlan {
    bool usable = false;
    QString program;
    QStringList arguments;
    QString logFile;      // where a directly started coved writes; empty for the unit
    QString instructions; // when not usable: what the user can run instead
};

class LocalService {
public:
    // True for http://127.0.0.1, ::1 or localhost addresses: a service the dashboard could start.
    static bool isLocal(const QString& url);
    // How the service at `url` would be started here.
    static LocalServicePlan plan(const QString& url);
    // Starts it detached; false with `error` set when the program could not be run.
    static bool start(const LocalServicePlan& plan, QString* error, qint64* pid = nullptr);
};

} // namespace cove::app
