// Cells of the volumes table; texts are translated as they are asked for.
#include "app/VolumeModel.h"

#include <QLocale>

namespace cove::app {

int VolumeModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString VolumeModel::stateText(const QString& state) {
    if (state == QLatin1String("ready"))
        return tr("Ready");
    if (state == QLatin1String("deleting"))
        return tr("Deleting");
    if (state == QLatin1String("deleted"))
        return tr("Deleted");
    if (state == QLatin1String("error"))
        return tr("Error");
    return state;
}

QVariant VolumeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Volume& v = m_rows[index.row()];
    const auto date = [role](const QString& iso) -> QVariant {
        if (role == Qt::DisplayRole)
            return relativeTime(iso);
        return role == Qt::ToolTipRole || role == kSortRole ? QVariant(iso) : QVariant();
    };
    switch (index.column()) {
    case Name:
        return role == Qt::DisplayRole || role == kSortRole ? QVariant(v.name) : QVariant();
    case Id:
        return role == Qt::DisplayRole || role == kSortRole ? QVariant(v.id) : QVariant();
    case State:
        if (role == Qt::DisplayRole)
            return stateText(v.state);
        if (role == kSortRole)
            return v.state;
        if (role == Qt::ToolTipRole && !v.errorReason.isEmpty())
            return v.errorReason;
        return {};
    case Used:
        if (role == kSortRole)
            return v.usedBytes;
        if (role == Qt::TextAlignmentRole)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        if (role != Qt::DisplayRole)
            return {};
        return v.usedBytes < 0 ? QStringLiteral("—") : QLocale().formattedDataSize(v.usedBytes);
    case Created:
        return date(v.createdAt);
    case LastUsed:
        return date(v.lastUsedAt);
    default:
        return {};
    }
}

QVariant VolumeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Id:
        return tr("ID");
    case State:
        return tr("State");
    case Used:
        return tr("Used");
    case Created:
        return tr("Created");
    case LastUsed:
        return tr("Last used");
    default:
        return {};
    }
}

} // namespace cove::app
