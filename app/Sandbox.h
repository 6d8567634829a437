// The sandbox as the dashboard reads it from coved, and the body of a create request.
#pragma once

#include "app/SandboxState.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace cove::app {

// The most a form offers (as the service takes at most); the organization's own limits are checked by it.
constexpr int kMostCpu = 1024;
constexpr int kMostMemoryGiB = 1 << 16;
constexpr int kMostDiskGiB = 1 << 20;
constexpr int kMostIntervalMinutes = 1 << 30;

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
    bool isPublic = false;
    bool networkBlockAll = false;
    QString networkAllowList; // CIDR blocks separated by commas; empty: unrestricted
    // Names it may reach (`name` or `*.name`, separated by commas; empty: any), names it may never reach,
    // and Cove's strict mode (no essential services, no other exception).
    QString domainAllowList;
    QString domainBlockList;
    bool networkStrict = false;
    // Minutes; 0 is off (auto-archive: the longest interval applies), auto-delete -1 is off and 0 is
    // "as soon as it stops".
    int autoStopInterval = 0;
    int autoPauseInterval = 0;
    int autoArchiveInterval = 0;
    int autoDeleteInterval = -1;
    qint64 autoDestroyAtMs = 0; // when the time to live runs out; 0 for none
    QString parentSandboxId;    // the sandbox this one was forked from; empty when not a fork
    QString backupState;        // Daytona's backup state ("Completed"…); empty when never backed up
    qint64 backupCreatedMs = 0;
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
