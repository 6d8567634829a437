// Presentation of sandbox DTOs as table cells, and the row bookkeeping by id.
#include "ui/pages/sandboxes/SandboxModel.h"

#include <QDateTime>
#include <QLocale>
#include <QSet>

#include <algorithm>

namespace cove::ui {

namespace {

qint64 millisOf(const QJsonValue& iso) {
    const QString text = iso.toString();
    return text.isEmpty() ? 0 : QDateTime::fromString(text, Qt::ISODateWithMs).toMSecsSinceEpoch();
}

QString shortTime(qint64 ms) {
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms).toLocalTime(), QLocale::ShortFormat);
}

} // namespace

SandboxModel::SandboxModel(QObject* parent)
    : QAbstractTableModel(parent) {}

int SandboxModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SandboxModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString SandboxModel::stateLabel(const QString& state) {
    static const QHash<QString, const char*> labels = {
        {QStringLiteral("creating"), QT_TR_NOOP("Creating")},
        {QStringLiteral("started"), QT_TR_NOOP("Started")},
        {QStringLiteral("starting"), QT_TR_NOOP("Starting")},
        {QStringLiteral("stopping"), QT_TR_NOOP("Stopping")},
        {QStringLiteral("stopped"), QT_TR_NOOP("Stopped")},
        {QStringLiteral("archiving"), QT_TR_NOOP("Archiving")},
        {QStringLiteral("archived"), QT_TR_NOOP("Archived")},
        {QStringLiteral("destroying"), QT_TR_NOOP("Deleting")},
        {QStringLiteral("destroyed"), QT_TR_NOOP("Deleted")},
        {QStringLiteral("error"), QT_TR_NOOP("Error")},
        {QStringLiteral("restoring"), QT_TR_NOOP("Restoring")},
        {QStringLiteral("resizing"), QT_TR_NOOP("Resizing")},
        {QStringLiteral("pending_build"), QT_TR_NOOP("Waiting for build")},
        {QStringLiteral("building_snapshot"), QT_TR_NOOP("Building snapshot")},
        {QStringLiteral("build_failed"), QT_TR_NOOP("Build failed")},
        {QStringLiteral("unknown"), QT_TR_NOOP("Unknown")},
    };
    const auto it = labels.constFind(state);
    return it == labels.constEnd() ? state : tr(it.value());
}

bool SandboxModel::isTransitional(const QString& state) {
    static const QSet<QString> moving = {QStringLiteral("creating"),      QStringLiteral("starting"),
                                         QStringLiteral("stopping"),      QStringLiteral("archiving"),
                                         QStringLiteral("restoring"),     QStringLiteral("destroying"),
                                         QStringLiteral("pending_build"), QStringLiteral("building_snapshot"),
                                         QStringLiteral("resizing"),      QStringLiteral("pulling_snapshot")};
    return moving.contains(state);
}

QColor SandboxModel::stateColor(const QString& state) {
    if (state == QLatin1String("started"))
        return {0x1a, 0x7f, 0x37};
    if (state == QLatin1String("error") || state == QLatin1String("build_failed"))
        return {0xc0, 0x1c, 0x28};
    if (state == QLatin1String("stopped"))
        return {0x5e, 0x5c, 0x64};
    if (state == QLatin1String("archived"))
        return {0x6a, 0x4c, 0x93};
    if (state == QLatin1String("destroying"))
        return {0xa5, 0x1d, 0x2d};
    if (isTransitional(state))
        return {0x1c, 0x71, 0xd8};
    return {0x77, 0x76, 0x7b};
}

void SandboxModel::keepLastEvent(const Entry& shown, Entry& fresh) {
    if (shown.lastEventMs >= fresh.lastEventMs) {
        fresh.lastEvent = shown.lastEvent;
        fresh.lastEventMs = shown.lastEventMs;
    }
}

SandboxModel::Entry SandboxModel::entryOf(const QJsonObject& dto) {
    Entry e;
    e.dto = dto;
    e.id = dto.value(QStringLiteral("id")).toString();
    e.name = dto.value(QStringLiteral("name")).toString();
    e.state = dto.value(QStringLiteral("state")).toString();
    e.snapshot = dto.value(QStringLiteral("snapshot")).toString();
    QStringList parts;
    const QJsonObject labels = dto.value(QStringLiteral("labels")).toObject();
    for (auto it = labels.begin(); it != labels.end(); ++it)
        parts << it.key() + QLatin1Char('=') + it.value().toString();
    e.labels = parts.join(QStringLiteral(", "));
    e.search = QStringList{e.name, e.id, e.state, stateLabel(e.state), e.snapshot, e.labels}
                   .join(QLatin1Char('\n'))
                   .toLower();
    e.createdMs = millisOf(dto.value(QStringLiteral("createdAt")));
    e.updatedMs = millisOf(dto.value(QStringLiteral("updatedAt")));
    // Until an event arrives, the last change the service recorded stands in for it.
    e.lastEvent = tr("→ %1").arg(stateLabel(e.state));
    e.lastEventMs = e.updatedMs;
    e.resources = (qint64(dto.value(QStringLiteral("cpu")).toInt()) << 40) |
                  (qint64(dto.value(QStringLiteral("memory")).toInt()) << 20) |
                  qint64(dto.value(QStringLiteral("disk")).toInt());
    return e;
}

QVariant SandboxModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Entry& e = m_rows[index.row()];
    const QJsonObject& s = e.dto;
    switch (role) {
    case SandboxIdRole:
        return e.id;
    case StateRole:
        return e.state;
    case TransitionalRole:
        return isTransitional(e.state);
    case SortRole:
        switch (index.column()) {
        case Created:
            return e.createdMs;
        case LastEvent:
            return e.lastEventMs;
        case Resources:
            return e.resources;
        default:
            return data(index, Qt::DisplayRole);
        }
    default:
        break;
    }
    if (role == Qt::ForegroundRole && index.column() == State)
        return stateColor(e.state);
    if (role == Qt::ToolTipRole && index.column() == State)
        return s.value(QStringLiteral("errorReason")).toString();
    const bool diskEnforced = s.value(QStringLiteral("diskLimitEnforced")).toBool(true);
    if (role == Qt::ToolTipRole && index.column() == Resources && !diskEnforced)
        return tr("The Docker engine's storage driver cannot limit a container's disk, so the size is "
                  "recorded but not enforced. The engine Cove's setup starts (on btrfs) enforces it.");
    if (role == Qt::ToolTipRole && index.column() == Created)
        return s.value(QStringLiteral("createdAt")).toString();
    if (role == Qt::ToolTipRole &&
        (index.column() == Id || index.column() == Labels || index.column() == LastEvent))
        return data(index, Qt::DisplayRole);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return e.name;
    case Id:
        return e.id;
    case State:
        return stateLabel(e.state);
    case Snapshot:
        return e.snapshot;
    case Resources:
        // An engine whose storage cannot cap a container's disk: say so rather than pretend.
        return (diskEnforced ? tr("%1 vCPU · %2 GiB · %3 GiB disk")
                             : tr("%1 vCPU · %2 GiB · %3 GiB disk (not enforced)"))
            .arg(s.value(QStringLiteral("cpu")).toInt())
            .arg(s.value(QStringLiteral("memory")).toInt())
            .arg(s.value(QStringLiteral("disk")).toInt());
    case Labels:
        return e.labels;
    case LastEvent:
        return e.lastEvent.isEmpty() ? QString() : tr("%1, %2").arg(e.lastEvent, shortTime(e.lastEventMs));
    case Created:
        return e.createdMs ? shortTime(e.createdMs) : QString();
    default:
        return {};
    }
}

QVariant SandboxModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Id:
        return tr("ID");
    case State:
        return tr("State");
    case Snapshot:
        return tr("Snapshot");
    case Resources:
        return tr("Resources");
    case Labels:
        return tr("Labels");
    case LastEvent:
        return tr("Last event");
    case Created:
        return tr("Created");
    default:
        return {};
    }
}

void SandboxModel::reindexFrom(int row) {
    for (int i = row; i < m_rows.size(); ++i)
        m_index.insert(m_rows[i].id, i);
}

void SandboxModel::setSandboxes(const QJsonArray& items) {
    QVector<Entry> fresh;
    fresh.reserve(items.size());
    QSet<QString> listed;
    listed.reserve(items.size());
    for (const auto& v : items) {
        Entry e = entryOf(v.toObject());
        if (e.id.isEmpty() || listed.contains(e.id))
            continue;
        listed.insert(e.id);
        fresh.push_back(std::move(e));
    }
    bool changedShape = false;
    // Gone from the service: removed, in runs of neighbouring rows.
    for (int row = int(m_rows.size()) - 1; row >= 0;) {
        if (listed.contains(m_rows[row].id)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !listed.contains(m_rows[first - 1].id))
            --first;
        beginRemoveRows({}, first, row);
        for (int i = first; i <= row; ++i)
            m_index.remove(m_rows[i].id);
        m_rows.remove(first, row - first + 1);
        endRemoveRows();
        changedShape = true;
        row = first - 1;
    }
    if (changedShape)
        reindexFrom(0);
    // Known ones change in place; new ones are appended in one insert.
    QVector<Entry> added;
    for (auto& e : fresh) {
        const int row = m_index.value(e.id, -1);
        if (row < 0) {
            added.push_back(std::move(e));
            continue;
        }
        Entry& cur = m_rows[row];
        if (cur.dto == e.dto || cur.updatedMs > e.updatedMs)
            continue;
        changedShape = changedShape || cur.state != e.state || cur.snapshot != e.snapshot;
        keepLastEvent(cur, e);
        cur = std::move(e);
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_rows.append(std::move(added));
        reindexFrom(first);
        endInsertRows();
        changedShape = true;
    }
    if (changedShape)
        emit contentsChanged();
}

bool SandboxModel::upsert(const QJsonObject& dto, const QString& event) {
    Entry e = entryOf(dto);
    if (e.id.isEmpty())
        return false;
    if (!event.isEmpty()) {
        e.lastEvent = event;
        e.lastEventMs = QDateTime::currentMSecsSinceEpoch();
    }
    const int row = m_index.value(e.id, -1);
    if (row < 0) {
        const int at = int(m_rows.size());
        beginInsertRows({}, at, at);
        m_index.insert(e.id, at);
        m_rows.push_back(std::move(e));
        endInsertRows();
        emit contentsChanged();
        return true;
    }
    Entry& cur = m_rows[row];
    if (cur.updatedMs > e.updatedMs)
        return false; // an older picture than the one shown
    if (event.isEmpty())
        keepLastEvent(cur, e);
    if (cur.dto == e.dto && cur.lastEvent == e.lastEvent && cur.lastEventMs == e.lastEventMs)
        return false;
    const bool shape = cur.state != e.state || cur.snapshot != e.snapshot;
    cur = std::move(e);
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    if (shape)
        emit contentsChanged();
    return true;
}

bool SandboxModel::remove(const QString& id) {
    const int row = m_index.value(id, -1);
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_index.remove(id);
    m_rows.removeAt(row);
    reindexFrom(row);
    endRemoveRows();
    emit contentsChanged();
    return true;
}

void SandboxModel::applyStateChange(const QJsonObject& sandbox, const QString& oldState,
                                    const QString& newState) {
    if (newState == QLatin1String("destroyed")) {
        remove(sandbox.value(QStringLiteral("id")).toString());
        return;
    }
    upsert(sandbox, tr("%1 → %2").arg(stateLabel(oldState), stateLabel(newState)));
}

void SandboxModel::applyCreated(const QJsonObject& sandbox) {
    upsert(sandbox, tr("Created"));
}

QStringList SandboxModel::states() const {
    QSet<QString> s;
    for (const auto& e : m_rows)
        s.insert(e.state);
    QStringList out(s.begin(), s.end());
    out.sort();
    return out;
}

QStringList SandboxModel::snapshots() const {
    QSet<QString> s;
    for (const auto& e : m_rows)
        s.insert(e.snapshot);
    QStringList out(s.begin(), s.end());
    out.sort();
    return out;
}

} // namespace cove::ui
