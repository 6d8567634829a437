// DTO to struct and struct to body; the names are Daytona's.
#include "app/Sandbox.h"

#include <QDateTime>
#include <QJsonArray>

namespace cove::app {

namespace {

QJsonObject objectOf(const QMap<QString, QString>& map) {
    QJsonObject o;
    for (auto it = map.begin(); it != map.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

} // namespace

qint64 millisOf(const QJsonValue& iso) {
    const QString text = iso.toString();
    return text.isEmpty() ? 0 : QDateTime::fromString(text, Qt::ISODateWithMs).toMSecsSinceEpoch();
}

Sandbox Sandbox::fromJson(const QJsonObject& dto) {
    Sandbox s;
    s.json = dto;
    s.id = dto.value(QStringLiteral("id")).toString();
    s.name = dto.value(QStringLiteral("name")).toString();
    s.stateName = dto.value(QStringLiteral("state")).toString();
    s.state = sandboxStateFromString(s.stateName);
    s.snapshot = dto.value(QStringLiteral("snapshot")).toString();
    s.errorReason = dto.value(QStringLiteral("errorReason")).toString();
    s.cpu = dto.value(QStringLiteral("cpu")).toInt();
    s.memory = dto.value(QStringLiteral("memory")).toInt();
    s.disk = dto.value(QStringLiteral("disk")).toInt();
    s.diskLimitEnforced = dto.value(QStringLiteral("diskLimitEnforced")).toBool(true);
    const QJsonObject labels = dto.value(QStringLiteral("labels")).toObject();
    for (auto it = labels.begin(); it != labels.end(); ++it)
        s.labels.insert(it.key(), it.value().toString());
    s.isPublic = dto.value(QStringLiteral("public")).toBool();
    s.networkBlockAll = dto.value(QStringLiteral("networkBlockAll")).toBool();
    s.networkAllowList = dto.value(QStringLiteral("networkAllowList")).toString();
    s.domainAllowList = dto.value(QStringLiteral("domainAllowList")).toString();
    s.domainBlockList = dto.value(QStringLiteral("domainBlockList")).toString();
    s.networkStrict = dto.value(QStringLiteral("networkStrict")).toBool();
    s.autoStopInterval = dto.value(QStringLiteral("autoStopInterval")).toInt();
    s.autoPauseInterval = dto.value(QStringLiteral("autoPauseInterval")).toInt();
    s.autoArchiveInterval = dto.value(QStringLiteral("autoArchiveInterval")).toInt();
    s.autoDeleteInterval = dto.value(QStringLiteral("autoDeleteInterval")).toInt(-1);
    s.autoDestroyAtMs = millisOf(dto.value(QStringLiteral("autoDestroyAt")));
    s.parentSandboxId = dto.value(QStringLiteral("parentSandboxId")).toString();
    s.backupState = dto.value(QStringLiteral("backupState")).toString();
    s.backupCreatedMs = millisOf(dto.value(QStringLiteral("backupCreatedAt")));
    s.createdMs = millisOf(dto.value(QStringLiteral("createdAt")));
    s.updatedMs = millisOf(dto.value(QStringLiteral("updatedAt")));
    return s;
}

QJsonObject CreateSandboxRequest::toJson() const {
    QJsonObject body;
    if (!name.isEmpty())
        body.insert(QStringLiteral("name"), name);
    if (!dockerfile.isEmpty())
        body.insert(QStringLiteral("buildInfo"),
                    QJsonObject{{QStringLiteral("dockerfileContent"), dockerfile}});
    else if (!snapshot.isEmpty())
        body.insert(QStringLiteral("snapshot"), snapshot);
    const auto number = [&body](const char* key, const std::optional<int>& v) {
        if (v)
            body.insert(QLatin1String(key), *v);
    };
    number("cpu", cpu);
    number("memory", memory);
    number("disk", disk);
    if (!env.isEmpty())
        body.insert(QStringLiteral("env"), objectOf(env));
    if (!labels.isEmpty())
        body.insert(QStringLiteral("labels"), objectOf(labels));
    number("autoStopInterval", autoStopInterval);
    number("autoArchiveInterval", autoArchiveInterval);
    number("autoDeleteInterval", autoDeleteInterval);
    if (isPublic)
        body.insert(QStringLiteral("public"), *isPublic);
    if (networkBlockAll)
        body.insert(QStringLiteral("networkBlockAll"), true);
    else if (!networkAllowList.isEmpty())
        body.insert(QStringLiteral("networkAllowList"), networkAllowList);
    QJsonArray mounts;
    for (const auto& v : volumes) {
        QJsonObject m{{QStringLiteral("volumeId"), v.volumeId}, {QStringLiteral("mountPath"), v.mountPath}};
        if (!v.subpath.isEmpty())
            m.insert(QStringLiteral("subpath"), v.subpath);
        m.insert(QStringLiteral("readOnly"), v.readOnly);
        mounts.append(m);
    }
    if (!mounts.isEmpty())
        body.insert(QStringLiteral("volumes"), mounts);
    return body;
}

} // namespace cove::app
