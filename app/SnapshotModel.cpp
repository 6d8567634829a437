// Cells of the snapshots table; texts are translated as they are asked for.
#include "app/SnapshotModel.h"

#include <QLocale>

namespace cove::app {

int SnapshotModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString SnapshotModel::stateText(const QString& state) {
    if (state == QLatin1String("active"))
        return tr("Active");
    if (state == QLatin1String("inactive"))
        return tr("Inactive");
    if (state == QLatin1String("pending"))
        return tr("Pending");
    if (state == QLatin1String("pulling"))
        return tr("Pulling");
    if (state == QLatin1String("building"))
        return tr("Building");
    if (state == QLatin1String("error"))
        return tr("Error");
    if (state == QLatin1String("build_failed"))
        return tr("Build failed");
    if (state == QLatin1String("removing"))
        return tr("Removing");
    return state;
}

QVariant SnapshotModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Snapshot& s = m_rows[index.row()];
    switch (index.column()) {
    case Name:
        return role == Qt::DisplayRole || role == kSortRole ? QVariant(s.name) : QVariant();
    case Image:
        return role == Qt::DisplayRole || role == kSortRole ? QVariant(s.imageName) : QVariant();
    case State:
        if (role == Qt::DisplayRole)
            return stateText(s.state);
        if (role == kSortRole)
            return s.state;
        if (role == Qt::ToolTipRole && !s.errorReason.isEmpty())
            return s.errorReason;
        return {};
    case Resources:
        if (role == kSortRole)
            return s.cpu;
        if (role != Qt::DisplayRole)
            return {};
        return tr("%1 vCPU · %2 GiB · %3 GiB").arg(s.cpu).arg(s.memory).arg(s.disk);
    case Size:
        if (role == kSortRole)
            return s.sizeGb;
        if (role == Qt::TextAlignmentRole)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        if (role != Qt::DisplayRole)
            return {};
        return s.sizeGb >= 0
                   ? QLocale().formattedDataSize(qint64(s.sizeGb * 1e9), 2, QLocale::DataSizeSIFormat)
                   : QStringLiteral("—");
    case Created:
        if (role == Qt::DisplayRole)
            return relativeTime(s.createdAt);
        return role == Qt::ToolTipRole || role == kSortRole ? QVariant(s.createdAt) : QVariant();
    default:
        return {};
    }
}

QVariant SnapshotModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Image:
        return tr("Image");
    case State:
        return tr("State");
    case Resources:
        return tr("Resources");
    case Size:
        return tr("Size");
    case Created:
        return tr("Created");
    default:
        return {};
    }
}

} // namespace cove::app
