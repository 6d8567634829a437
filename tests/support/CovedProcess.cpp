// Starts coved on port 0 and reads the port it announces.
#include "support/CovedProcess.h"

#include "support/Http.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QRegularExpression>

namespace cove::test {

QString CovedProcess::binary(const QString& name) {
    // COVE_BIN_DIR in the environment runs the tests against another build of coved and its agent.
    const QString dir = qEnvironmentVariable("COVE_BIN_DIR", QStringLiteral(COVE_BIN_DIR));
    return dir + QLatin1Char('/') + name;
}

CovedProcess::CovedProcess() = default;

QByteArray CovedProcess::log() const {
    if (m_proc && m_proc->state() == QProcess::Running) {
        // Also what sits in the pipe that the event loop has not read yet: a test that saw coved act
        // must find what coved wrote before acting.
        m_proc->waitForReadyRead(0);
        m_log += m_proc->readAllStandardError();
    }
    return m_log;
}

CovedProcess::~CovedProcess() {
    stop();
    removeInstanceContainers();
    removeInstanceNetwork();
}

void CovedProcess::removeNetworkOf(const QString& instance) {
    if (instance.isEmpty())
        return;
    run(QStringLiteral("docker"), {QStringLiteral("network"), QStringLiteral("rm"), networkOf(instance)});
    const QString script =
        QStringLiteral("ip link del %1 2>/dev/null\n"
                       // The link networks (and their hooks) a failed test may have left.
                       "for n in $(docker network ls -q --filter label=cove.instance=%2); do "
                       "docker network rm $n >/dev/null 2>&1; done\n"
                       // The cgroup its builds ran under, once empty: in each hierarchy (cgroup v1,
                       // where the engine makes it in every one) or the one (v2).
                       "rmdir /sys/fs/cgroup/*/%3 /sys/fs/cgroup/%3 2>/dev/null\n")
            .arg(networkOf(instance), instance, QStringLiteral("cove-build-") + instance.left(8));
    run(QStringLiteral("sh"), {QStringLiteral("-c"), script});
    removeChainsOf(instance);
}

void CovedProcess::removeChainsOf(const QString& instance) {
    if (instance.isEmpty())
        return;
    const QString script =
        QStringLiteral("b=%1; c=%2; l=%3+\n"
                       "iptables -w -D DOCKER-USER -i $b -j $c 2>/dev/null\n"
                       "iptables -w -D INPUT -i $b -j $c-IN 2>/dev/null\n"
                       "iptables -w -D DOCKER-USER -i $l -j $c-LINK 2>/dev/null\n"
                       "iptables -w -D INPUT -i $l -j $c-IN 2>/dev/null\n"
                       "chains=$(iptables-save -t filter | sed -n \"s/^:\\($c[^ ]*\\) .*/\\1/p\")\n"
                       "for ch in $chains; do iptables -w -F $ch; done\n"
                       "for ch in $chains; do iptables -w -X $ch; done\n"
                       "iptables -w -t nat -D PREROUTING -i $b -j $c-NAT 2>/dev/null\n"
                       "chains=$(iptables-save -t nat | sed -n \"s/^:\\($c[^ ]*\\) .*/\\1/p\")\n"
                       "for ch in $chains; do iptables -w -t nat -F $ch; done\n"
                       "for ch in $chains; do iptables -w -t nat -X $ch; done\n")
            .arg(networkOf(instance), QStringLiteral("COVE-") + instance.left(8),
                 QStringLiteral("cl") + instance.left(5));
    run(QStringLiteral("sh"), {QStringLiteral("-c"), script});
}

QStringList CovedProcess::containers(const QString& format) const {
    if (m_instance.isEmpty())
        return {};
    const auto r =
        run(QStringLiteral("docker"),
            {QStringLiteral("ps"), QStringLiteral("-a"), QStringLiteral("--filter"),
             QStringLiteral("label=cove.instance=") + m_instance, QStringLiteral("--format"), format});
    return QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

QSet<QString> CovedProcess::poolContainers(bool runningOnly) const {
    QStringList args{QStringLiteral("ps"),
                     QStringLiteral("--filter"),
                     QStringLiteral("label=cove.instance=") + m_instance,
                     QStringLiteral("--filter"),
                     QStringLiteral("label=cove.pool=true"),
                     QStringLiteral("--format"),
                     QStringLiteral("{{.Label \"cove.sandbox.id\"}}")};
    if (!runningOnly)
        args.insert(1, QStringLiteral("-a"));
    QSet<QString> ids;
    for (const auto& id : QString::fromUtf8(run(QStringLiteral("docker"), args).out)
                              .split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        ids.insert(id);
    return ids;
}

void CovedProcess::removeInstanceContainers() {
    const QStringList list = containers();
    if (!list.isEmpty())
        run(QStringLiteral("docker"), QStringList{QStringLiteral("rm"), QStringLiteral("-f")} + list);
}

bool CovedProcess::start(const QStringList& extraArgs) {
    m_proc = std::make_unique<QProcess>();
    m_log.clear();
    m_url.clear();
    m_error.clear();
    m_proc->setProcessChannelMode(QProcess::SeparateChannels);
    m_proc->setProcessEnvironment(m_env);
    QStringList args{QStringLiteral("--data-dir"), m_dir.path(), QStringLiteral("--listen"),
                     QStringLiteral("127.0.0.1:0")};
    if (!m_sharedDatabase.isEmpty()) {
        args << QStringLiteral("--database") << m_sharedDatabase;
    } else {
        if (!m_database)
            m_database = std::make_unique<TestDatabase>(m_dir.path(), QStringLiteral("cove.db"));
        if (m_database->isPostgres())
            args << QStringLiteral("--database") << QString::fromStdString(m_database->spec());
    }
    // Each test's coved has its SSH gateway on a port of its own (sshPort()).
    if (!extraArgs.contains(QStringLiteral("--ssh-listen")))
        args << QStringLiteral("--ssh-listen") << QStringLiteral("127.0.0.1:0");
    // No warm pool unless the test asks for one (--warm-pool N, or COVE_WARM_POOL). coved's default of
    // two makes two started containers of the default snapshot at every start and removes them at every
    // stop: most of the suite's coveds never claim them, and on a btrfs engine each removal costs seconds
    // of the engine's processor time.
    if (!extraArgs.contains(QStringLiteral("--warm-pool")) &&
        !m_env.contains(QStringLiteral("COVE_WARM_POOL")))
        args << QStringLiteral("--warm-pool") << QStringLiteral("0");
    args << extraArgs;
    m_sshPort = 0;
    m_proc->start(binary(QStringLiteral("coved")), args);
    if (!m_proc->waitForStarted(10000)) {
        m_error = QStringLiteral("coved did not start: ") + m_proc->errorString();
        return false;
    }
    static const QRegularExpression serving(QStringLiteral("serving (http://[0-9.]+:[0-9]+)/api"));
    QDeadlineTimer deadline(60000);
    while (!deadline.hasExpired()) {
        m_log += m_proc->readAllStandardError();
        const auto m = serving.match(QString::fromUtf8(m_log));
        if (m.hasMatch()) {
            m_url = m.captured(1);
            static const QRegularExpression ssh(QStringLiteral("SSH gateway on [0-9.]+:([0-9]+)"));
            if (const auto sm = ssh.match(QString::fromUtf8(m_log)); sm.hasMatch())
                m_sshPort = sm.captured(1).toInt();
            m_instance = request("GET", apiUrl() + QStringLiteral("/info"), adminKey())
                             .object()
                             .value(QStringLiteral("instanceId"))
                             .toString();
            return true;
        }
        if (m_proc->state() == QProcess::NotRunning) {
            m_log += m_proc->readAllStandardError();
            m_error = QStringLiteral("coved exited: ") + QString::fromUtf8(m_log);
            return false;
        }
        m_proc->waitForReadyRead(200);
    }
    m_error = QStringLiteral("coved did not announce its port: ") + QString::fromUtf8(m_log);
    return false;
}

QString CovedProcess::database() const {
    if (!m_sharedDatabase.isEmpty())
        return m_sharedDatabase;
    return m_database ? QString::fromStdString(m_database->spec())
                      : m_dir.path() + QStringLiteral("/cove.db");
}

QString CovedProcess::adminKey() const {
    QFile f(m_dir.path() + QStringLiteral("/admin.key"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readLine()).trimmed();
}

void CovedProcess::stop() {
    if (!m_proc || m_proc->state() == QProcess::NotRunning)
        return;
    m_proc->terminate();
    // Stopping removes the warm pool's containers first; on a loaded engine that takes seconds each.
    if (!m_proc->waitForFinished(30000)) {
        m_proc->kill();
        m_proc->waitForFinished();
    }
    m_log += m_proc->readAllStandardError();
}

void CovedProcess::kill() {
    if (!m_proc)
        return;
    m_proc->kill();
    m_proc->waitForFinished();
}

void removeSandboxContainers(const QStringList& sandboxIds) {
    for (const auto& id : sandboxIds)
        run(QStringLiteral("docker"),
            {QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("cove-") + id});
}

} // namespace cove::test
