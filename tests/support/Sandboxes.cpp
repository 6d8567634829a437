// Sandbox helpers for tests.
#include "support/Sandboxes.h"

#include <QJsonArray>

namespace cove::test {

Reply Sandboxes::call(const QByteArray& method, const QString& path, const QByteArray& body) const {
    return request(method, m_coved.url() + path, m_coved.adminKey(), body);
}

QString Sandboxes::create(const QByteArray& body) {
    const Reply r = call("POST", QStringLiteral("/api/sandbox"), body);
    if (r.status != 200)
        qWarning() << "create failed:" << r.status << r.body;
    const QString id = r.object().value(QStringLiteral("id")).toString();
    if (!id.isEmpty())
        m_created << id;
    return id;
}

CommandResult Sandboxes::exec(const QString& id, const QString& script) const {
    const QJsonObject body{{QStringLiteral("command"), script}};
    const auto r =
        call("POST", QStringLiteral("/toolbox/%1/process/execute").arg(id), QJsonDocument(body).toJson());
    CommandResult out;
    if (r.status != 200) {
        qWarning() << "execute" << r.status << r.body;
        return out;
    }
    out.exitCode = r.object().value(QStringLiteral("exitCode")).toInt(-1);
    out.out = r.object().value(QStringLiteral("result")).toString().toUtf8();
    return out;
}

void Sandboxes::removeAll() {
    // coved removes them side by side; each delete it took is waited for, so what they used (a snapshot, a
    // volume) is free. A stopped coved, or a sandbox already gone, leaves nothing to wait for; the
    // containers are removed below either way.
    QStringList deleting;
    for (const auto& id : m_created)
        if (call("DELETE", QStringLiteral("/api/sandbox/") + id).status == 200)
            deleting << id;
    for (const auto& id : deleting)
        waitDestroyed(m_coved.url() + QStringLiteral("/api/sandbox/") + id, m_coved.adminKey(), 30000);
    removeSandboxContainers(m_created);
    m_created.clear();
}

QJsonObject Sandboxes::container(const QString& id) {
    const auto r = run(QStringLiteral("docker"), {QStringLiteral("inspect"), QStringLiteral("cove-") + id});
    return r.exitCode == 0 ? QJsonDocument::fromJson(r.out).array().at(0).toObject() : QJsonObject();
}

int Sandboxes::containerCount(const QString& id) {
    const auto r = run(QStringLiteral("docker"),
                       {QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--filter"),
                        QStringLiteral("label=cove.sandbox.id=") + id});
    const QByteArray ids = r.out.trimmed();
    return ids.isEmpty() ? 0 : int(ids.split('\n').size());
}

uint Sandboxes::engineRootUid() {
    // A remapping engine keeps its data in <data root>/<uid>.<gid>.
    const auto r =
        run(QStringLiteral("docker"), {QStringLiteral("info"), QStringLiteral("--format"),
                                       QStringLiteral("{{json .SecurityOptions}} {{.DockerRootDir}}")});
    if (!r.out.contains("name=userns"))
        return 0;
    return QString::fromUtf8(r.out.trimmed())
        .section(QLatin1Char('/'), -1)
        .section(QLatin1Char('.'), 0, 0)
        .toUInt();
}

} // namespace cove::test
