// Presentation of sandbox DTOs as table cells, and the row bookkeeping by id.
#include "app/SandboxModel.h"

#include <QDateTime>
#include <QLocale>
#include <QSet>

#include <algorithm>

namespace cove::app {

namespace {

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

QString SandboxModel::Entry::lastEventText() const {
    return eventText(lastEvent);
}

QString SandboxModel::eventText(const SandboxEvent& lastEvent) {
    switch (lastEvent.kind) {
    case SandboxEvent::Kind::Listed:
        return tr("→ %1").arg(sandboxStateLabel(lastEvent.to));
    case SandboxEvent::Kind::Created:
        return tr("Created");
    case SandboxEvent::Kind::Changed:
        return tr("%1 → %2").arg(sandboxStateLabel(lastEvent.from), sandboxStateLabel(lastEvent.to));
    case SandboxEvent::Kind::None:
        break;
    }
    return {};
}

void SandboxModel::keepLastEvent(const Entry& shown, Entry& fresh) {
    if (shown.lastEventMs >= fresh.lastEventMs) {
        fresh.lastEvent = shown.lastEvent;
        fresh.lastEventMs = shown.lastEventMs;
    }
}

SandboxModel::Entry SandboxModel::entryOf(const Sandbox& sandbox) {
    Entry e;
    e.sandbox = sandbox;
    e.id = sandbox.id;
    e.name = sandbox.name;
    e.state = sandbox.stateName;
    e.snapshot = sandbox.snapshot;
    QStringList parts;
    for (auto it = sandbox.labels.begin(); it != sandbox.labels.end(); ++it)
        parts << it.key() + QLatin1Char('=') + it.value();
    e.labels = parts.join(QStringLiteral(", "));
    e.search = QStringList{e.name, e.id, e.state, sandboxStateLabel(e.state), e.snapshot, e.labels}
                   .join(QLatin1Char('\n'))
                   .toLower();
    e.createdMs = sandbox.createdMs;
    e.updatedMs = sandbox.updatedMs;
    // Until an event arrives, the last change the service recorded stands in for it.
    e.lastEvent = {SandboxEvent::Kind::Listed, {}, e.state};
    e.lastEventMs = e.updatedMs;
    e.resources = (qint64(sandbox.cpu) << 40) | (qint64(sandbox.memory) << 20) | qint64(sandbox.disk);
    return e;
}

QVariant SandboxModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Entry& e = m_rows[index.row()];
    const Sandbox& s = e.sandbox;
    switch (role) {
    case SandboxIdRole:
        return e.id;
    case StateRole:
        return e.state;
    case TransitionalRole:
        return isTransitional(s.state);
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
    if (role == Qt::ToolTipRole && index.column() == State)
        return s.errorReason;
    const bool diskEnforced = s.diskLimitEnforced;
    if (role == Qt::ToolTipRole && index.column() == Resources && !diskEnforced)
        return tr("The Docker engine's storage driver cannot limit a container's disk, so the size is "
                  "recorded but not enforced. The engine Cove's setup starts (on btrfs) enforces it.");
    if (role == Qt::ToolTipRole && index.column() == Created)
        return s.json.value(QStringLiteral("createdAt")).toString();
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
        return sandboxStateLabel(e.state);
    case Snapshot:
        return e.snapshot;
    case Resources:
        // An engine whose storage cannot cap a container's disk: say so rather than pretend.
        return (diskEnforced ? tr("%1 vCPU · %2 GiB · %3 GiB disk")
                             : tr("%1 vCPU · %2 GiB · %3 GiB disk (not enforced)"))
            .arg(s.cpu)
            .arg(s.memory)
            .arg(s.disk);
    case Labels:
        return e.labels;
    case LastEvent:
        return e.lastEvent.kind == SandboxEvent::Kind::None
                   ? QString()
                   : tr("%1, %2").arg(e.lastEventText(), shortTime(e.lastEventMs));
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

void SandboxModel::retranslate() {
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void SandboxModel::reindexFrom(int row) {
    for (int i = row; i < m_rows.size(); ++i)
        m_index.insert(m_rows[i].id, i);
}

void SandboxModel::setSandboxes(const QJsonArray& items) {
    QList<Sandbox> sandboxes;
    sandboxes.reserve(items.size());
    for (const auto& v : items)
        sandboxes << Sandbox::fromJson(v.toObject());
    setSandboxes(sandboxes);
}

void SandboxModel::setSandboxes(const QList<Sandbox>& items) {
    QVector<Entry> fresh;
    fresh.reserve(items.size());
    QSet<QString> listed;
    listed.reserve(items.size());
    for (const auto& v : items) {
        Entry e = entryOf(v);
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
        if (cur.sandbox.json == e.sandbox.json || cur.updatedMs > e.updatedMs)
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

bool SandboxModel::upsert(const Sandbox& sandbox, const SandboxEvent& event) {
    Entry e = entryOf(sandbox);
    if (e.id.isEmpty())
        return false;
    if (event.kind != SandboxEvent::Kind::None) {
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
    if (event.kind == SandboxEvent::Kind::None)
        keepLastEvent(cur, e);
    if (cur.sandbox.json == e.sandbox.json && cur.lastEvent == e.lastEvent &&
        cur.lastEventMs == e.lastEventMs)
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
    upsert(sandbox, {SandboxEvent::Kind::Changed, oldState, newState});
}

void SandboxModel::applyCreated(const QJsonObject& sandbox) {
    upsert(sandbox, {SandboxEvent::Kind::Created, {}, {}});
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

} // namespace cove::app
