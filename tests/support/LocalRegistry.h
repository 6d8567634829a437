// A real private registry for a test: Debian's docker-registry (distribution 2.8) on a loopback port
// with htpasswd basic auth, its storage in a temporary directory; images are pushed into it with the
// engine's CLI under a docker config of its own (so the machine's logins are left alone), and the local
// tags it made are removed when it goes.
#pragma once

#include "support/Http.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStringList>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace cove::test {

class LocalRegistry {
public:
    LocalRegistry(QString user, QString password)
        : m_user(std::move(user))
        , m_password(std::move(password)) {}
    ~LocalRegistry() {
        for (const auto& tag : m_tags)
            run(QStringLiteral("docker"), {QStringLiteral("rmi"), tag});
        if (m_proc) {
            m_proc->terminate();
            if (!m_proc->waitForFinished(5000))
                m_proc->kill();
            m_proc->waitForFinished(5000);
        }
    }

    // Starts the registry and waits until it answers (401 to an anonymous /v2/). False with error().
    bool start() {
        QTcpServer probe; // a free loopback port, given back just before the registry takes it
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return fail(QStringLiteral("no free loopback port"));
        m_port = probe.serverPort();
        probe.close();
        const auto hash = run(QStringLiteral("htpasswd"), {QStringLiteral("-Bbn"), m_user, m_password});
        if (hash.exitCode != 0)
            return fail(QStringLiteral("htpasswd failed: ") + QString::fromUtf8(hash.err));
        QFile htpasswd(m_dir.filePath(QStringLiteral("htpasswd")));
        htpasswd.open(QIODevice::WriteOnly);
        htpasswd.write(hash.out.trimmed() + "\n");
        htpasswd.close();
        QFile config(m_dir.filePath(QStringLiteral("config.yml")));
        config.open(QIODevice::WriteOnly);
        config.write(QStringLiteral("version: 0.1\n"
                                    "log: {level: error}\n"
                                    "storage:\n  filesystem:\n    rootdirectory: %1\n"
                                    "http:\n  addr: 127.0.0.1:%2\n"
                                    "auth:\n  htpasswd:\n    realm: cove-test\n    path: %3\n")
                         .arg(m_dir.filePath(QStringLiteral("data")))
                         .arg(m_port)
                         .arg(htpasswd.fileName())
                         .toUtf8());
        config.close();
        m_proc = std::make_unique<QProcess>();
        m_proc->setProcessChannelMode(QProcess::MergedChannels);
        m_proc->start(QStringLiteral("docker-registry"), {QStringLiteral("serve"), config.fileName()});
        if (!m_proc->waitForStarted(10000))
            return fail(
                QStringLiteral("docker-registry did not start (is Debian's docker-registry installed?)"));
        QDeadlineTimer deadline(20000);
        while (!deadline.hasExpired()) {
            if (request("GET", QStringLiteral("http://%1/v2/").arg(host())).status == 401)
                return true;
            if (m_proc->state() == QProcess::NotRunning)
                return fail(QStringLiteral("docker-registry exited: ") +
                            QString::fromUtf8(m_proc->readAll()));
            QTest::qWait(50);
        }
        return fail(QStringLiteral("docker-registry did not answer on ") + host());
    }

    // Tags a local image as host/repository and pushes it, logged in with the registry's credentials;
    // the local tag is removed again, so a later pull of it really goes to the registry.
    bool push(const QString& localImage, const QString& repository) {
        const QString ref = host() + QStringLiteral("/") + repository;
        const QString config = m_dir.filePath(QStringLiteral("docker"));
        QDir().mkpath(config);
        const QStringList as{QStringLiteral("--config"), config};
        const auto steps = {
            run(QStringLiteral("docker"), {QStringLiteral("tag"), localImage, ref}),
            run(QStringLiteral("sh"),
                {QStringLiteral("-c"),
                 QStringLiteral("printf %s \"$0\" | docker --config \"$1\" login -u \"$2\" "
                                "--password-stdin \"$3\""),
                 m_password, config, m_user, host()}),
            run(QStringLiteral("docker"), as + QStringList{QStringLiteral("push"), ref}),
            run(QStringLiteral("docker"), as + QStringList{QStringLiteral("logout"), host()}),
            run(QStringLiteral("docker"), {QStringLiteral("rmi"), ref}),
        };
        for (const auto& step : steps)
            if (step.exitCode != 0)
                return fail(QStringLiteral("pushing %1 failed: %2%3")
                                .arg(ref, QString::fromUtf8(step.out), QString::fromUtf8(step.err)));
        m_tags << ref; // in case a test pulls it again
        return true;
    }

    QString host() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }
    QString error() const { return m_error; }

private:
    bool fail(const QString& why) {
        m_error = why;
        return false;
    }

    QTemporaryDir m_dir;
    QString m_user, m_password, m_error;
    quint16 m_port = 0;
    std::unique_ptr<QProcess> m_proc;
    QStringList m_tags;
};

} // namespace cove::test
