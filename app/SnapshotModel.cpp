// Cells of the snapshots table; texts are translated as they are asked for.
#include "app/SnapshotModel.h"

#include <QLocale>

namespace cove::app {

namespace {

constexpr SnapshotModel::Headers kHeaders = {
    QT_TRANSLATE_NOOP("cove::app::SnapshotModel", "Name"),
    QT_TRANSLATE_NOOP("cove::app::SnapshotModel", "Image"),
    QT_TRANSLATE_NOOP("cove::app::SnapshotModel", "State"),
    QT_TRANSLATE_NOOP("cove::app::SnapshotModel", "Resources"),
    QT_TRANSLATE_NOOP("cove::app::SnapshotModel", "Size"),
    QT_TRANSLATE_NOOP("cove::app::SnapshotModel", "Created"),
};

constexpr std::array<NamedText, 8> kStates = {{
    {"active", QT_TRANSLATE_NOOP("cove::app::SnapshotModel", "Active")},
    {"inactive", QT_TRANSLATE_NOOP("cove::app::SnapshotModel", "Inactive")},
    {"pending", QT_TRANSLATE_NOOP("cove::app::SnapshotModel", "Pending")},
    {"pulling", QT_TRANSLATE_NOOP("cove::app::SnapshotModel", "Pulling")},
    {"building", QT_TRANSLATE_NOOP("cove::app::SnapshotModel", "Building")},
    {"error", QT_TRANSLATE_NOOP("cove::app::SnapshotModel", "Error")},
    {"build_failed", QT_TRANSLATE_NOOP("cove::app::SnapshotModel", "Build failed")},
    {"removing", QT_TRANSLATE_NOOP("cove::app::SnapshotModel", "Removing")},
}};

} // namespace

SnapshotModel::SnapshotModel(QObject* parent)
    : RecordTableModel("cove::app::SnapshotModel", kHeaders, parent) {}

QString SnapshotModel::stateText(const QString& state) {
    return textOf("cove::app::SnapshotModel", kStates, state);
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

} // namespace cove::app
