// A real coved for a test: its own data directory, a free port, stopped (and its sandboxes removed)
// when the test ends.
#pragma once

#include <QProcess>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

#include "support/TestDatabase.h"

namespace cove::test {

class CovedProcess {
public:
    CovedProcess();
    ~CovedProcess();

    // Starts coved and waits until it serves (or exits). Returns false with error() set. With no warm
    // pool unless extraArgs (or COVE_WARM_POOL given to setEnv) asks for one.
    bool start(const QStringList& extraArgs = {});
    void stop();
    // SIGKILL, as a crash would.
    void kill();

    QString url() const { return m_url; } // http://127.0.0.1:PORT
    QString apiUrl() const { return m_url + QStringLiteral("/api"); }
    int sshPort() const { return m_sshPort; } // the SSH gateway's; 0 when it is off
    QString adminKey() const;
    QString dataDir() const { return m_dir.path(); }
    // Where this coved keeps its state, as store::open takes it: DIR/cove.db, or the PostgreSQL database
    // made for it when the suite runs on PostgreSQL (see support/TestDatabase.h).
    QString database() const;
    // Share another coved's database (before start()): several coveds on one PostgreSQL.
    void useDatabase(const QString& spec) { m_sharedDatabase = spec; }
    QString error() const { return m_error; }
    // What coved has written to stderr so far (this run and, after stop(), the whole run).
    QByteArray log() const;
    qint64 pid() const { return m_proc ? m_proc->processId() : 0; }

    // The installation id every container of this coved is labelled with (cove.instance).
    QString instance() const { return m_instance; }
    // This installation's containers, one line each as `format` (docker ps --format) renders them.
    QStringList containers(const QString& format = QStringLiteral("{{.ID}}")) const;
    // Sandbox ids of this installation's warm pool containers (label cove.pool=true, which a claimed one
    // keeps), running ones only if asked.
    QSet<QString> poolContainers(bool runningOnly = false) const;
    // Removes every container of this installation: what a killed coved left (say, its warm pool).
    void removeInstanceContainers();
    // Removes the installation's sandbox network and its iptables chains (coved keeps both across its
    // own restarts, as sandboxes outlive it). Needs the containers gone first.
    void removeInstanceNetwork() { removeNetworkOf(m_instance); }
    static void removeNetworkOf(const QString& instance);
    // Removes the installation's iptables chains and their hooks, and nothing else: what a reboot (the
    // tables start empty) or someone deleting them does.
    void removeInstanceChains() { removeChainsOf(m_instance); }
    static void removeChainsOf(const QString& instance);
    // The installation's Docker network and bridge (cove-<8 hex>), and its iptables chain prefix.
    QString networkName() const { return networkOf(m_instance); }
    QString chainPrefix() const { return QStringLiteral("COVE-") + m_instance.left(8); }
    static QString networkOf(const QString& instance) { return QStringLiteral("cove-") + instance.left(8); }
    // An environment variable for the next start().
    void setEnv(const QString& name, const QString& value) { m_env.insert(name, value); }
    static QString binary(const QString& name);

private:
    QTemporaryDir m_dir;
    std::unique_ptr<TestDatabase> m_database;
    QString m_sharedDatabase;
    std::unique_ptr<QProcess> m_proc;
    QString m_url;
    int m_sshPort = 0;
    QString m_error;
    QString m_instance;
    mutable QByteArray m_log;
    QProcessEnvironment m_env = QProcessEnvironment::systemEnvironment();
};

// Removes every container a test run left behind for this data directory's sandboxes.
void removeSandboxContainers(const QStringList& sandboxIds);

} // namespace cove::test
