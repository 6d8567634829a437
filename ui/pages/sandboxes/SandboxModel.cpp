// Presentation of sandbox DTOs as table cells.
#include "ui/pages/sandboxes/SandboxModel.h"

#include <QColor>
#include <QDateTime>
#include <QHash>

namespace cove::ui {

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
        {QStringLiteral("error"), QT_TR_NOOP("Error")},
        {QStringLiteral("restoring"), QT_TR_NOOP("Restoring")},
        {QStringLiteral("build_failed"), QT_TR_NOOP("Build failed")},
    };
    const auto it = labels.constFind(state);
    return it == labels.constEnd() ? state : tr(it.value());
}

QVariant SandboxModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const QJsonObject& s = m_rows[index.row()];
    const QString state = s.value(QStringLiteral("state")).toString();
    if (role == SandboxIdRole)
        return s.value(QStringLiteral("id")).toString();
    if (role == StateRole)
        return state;
    if (role == Qt::ForegroundRole && index.column() == State) {
        if (state == QLatin1String("started"))
            return QColor(0x1a, 0x7f, 0x37);
        if (state == QLatin1String("error") || state == QLatin1String("build_failed"))
            return QColor(0xc0, 0x1c, 0x28);
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == State)
        return s.value(QStringLiteral("errorReason")).toString();
    const bool diskEnforced = s.value(QStringLiteral("diskLimitEnforced")).toBool(true);
    if (role == Qt::ToolTipRole && index.column() == Resources && !diskEnforced)
        return tr("The Docker engine's storage driver cannot limit a container's disk, so the size is "
                  "recorded but not enforced. The engine Cove's setup starts (on btrfs) enforces it.");
    if (role == Qt::ToolTipRole && (index.column() == Id || index.column() == Labels))
        return data(index, Qt::DisplayRole);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return s.value(QStringLiteral("name")).toString();
    case Id:
        return s.value(QStringLiteral("id")).toString();
    case State:
        return stateLabel(state);
    case Snapshot:
        return s.value(QStringLiteral("snapshot")).toString();
    case Resources:
        // An engine whose storage cannot cap a container's disk: say so rather than pretend.
        return (diskEnforced ? tr("%1 vCPU · %2 GiB · %3 GiB disk")
                             : tr("%1 vCPU · %2 GiB · %3 GiB disk (not enforced)"))
            .arg(s.value(QStringLiteral("cpu")).toInt())
            .arg(s.value(QStringLiteral("memory")).toInt())
            .arg(s.value(QStringLiteral("disk")).toInt());
    case Labels: {
        QStringList parts;
        const QJsonObject labels = s.value(QStringLiteral("labels")).toObject();
        for (auto it = labels.begin(); it != labels.end(); ++it)
            parts << it.key() + QLatin1Char('=') + it.value().toString();
        return parts.join(QStringLiteral(", "));
    }
    case Created: {
        const auto t =
            QDateTime::fromString(s.value(QStringLiteral("createdAt")).toString(), Qt::ISODateWithMs);
        return QLocale().toString(t.toLocalTime(), QLocale::ShortFormat);
    }
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
    case Created:
        return tr("Created");
    default:
        return {};
    }
}

void SandboxModel::setSandboxes(const QJsonArray& items) {
    QVector<QJsonObject> next;
    next.reserve(items.size());
    for (const auto& v : items)
        next.push_back(v.toObject());
    // Rows present before and after keep their place and only report changed data.
    QHash<QString, int> nextIndex;
    for (int i = 0; i < next.size(); ++i)
        nextIndex.insert(next[i].value(QStringLiteral("id")).toString(), i);
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!nextIndex.contains(m_rows[row].value(QStringLiteral("id")).toString())) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    QHash<QString, int> known;
    for (int i = 0; i < m_rows.size(); ++i)
        known.insert(m_rows[i].value(QStringLiteral("id")).toString(), i);
    for (const auto& s : next) {
        const QString id = s.value(QStringLiteral("id")).toString();
        if (const auto it = known.constFind(id); it != known.constEnd()) {
            if (m_rows[*it] != s) {
                m_rows[*it] = s;
                emit dataChanged(index(*it, 0), index(*it, ColumnCount - 1));
            }
        } else {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
            m_rows.push_back(s);
            endInsertRows();
        }
    }
}

} // namespace cove::ui
