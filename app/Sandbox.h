// The sandbox as the dashboard reads it from coved, and the body of a create request.
#pragma once

#include "app/SandboxState.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace cove::app {

struct Sandbox {
    QString id;
    QString name;
    SandboxState state = SandboxState::Unknown;
    QString stateName; // as sent: a state newer than this dashboard keeps its name
    QString snapshot;
    QString errorReason;
    int cpu = 0;
    int memory = 0; // GiB
    int disk = 0;   // GiB
    bool diskLimitEnforced = true;
    QMap<QString, QString> labels;
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
    QJsonObject json; // the DTO as received, for the fields shown as they are (the detail pane)

    static Sandbox fromJson(const QJsonObject& dto);
};

// One page of GET /api/sandbox.
struct SandboxPage {
    QList<Sandbox> items;
    QString nextCursor; // empty on the last page
};

struct VolumeMount {
    QString volumeId; // a volume's id or name
    QString mountPath;
    QString subpath;
    bool readOnly = false;
};

// POST /api/sandbox; what is left unset the service fills with its defaults.
struct CreateSandboxRequest {
    QString name;
    QString snapshot;
    QString dockerfile; // sent as buildInfo: the service builds it into a snapshot first
    std::optional<int> cpu;
    std::optional<int> memory;
    std::optional<int> disk;
    QMap<QString, QString> env;
    QMap<QString, QString> labels;
    std::optional<int> autoStopInterval;
    std::optional<int> autoArchiveInterval;
    std::optional<int> autoDeleteInterval;
    std::optional<bool> isPublic;
    bool networkBlockAll = false;
    QString networkAllowList;
    QList<VolumeMount> volumes;

    QJsonObject toJson() const;
};

// Milliseconds since the epoch of a Daytona ISO 8601 date; 0 for none.
qint64 millisOf(const QJsonValue& iso);

} // namespace cove::app
