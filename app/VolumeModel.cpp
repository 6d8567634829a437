// Cells of the volumes table; texts are translated as they are asked for.
#include "app/VolumeModel.h"

#include <QLocale>

namespace cove::app {

namespace {

constexpr VolumeModel::Headers kHeaders = {
    QT_TRANSLATE_NOOP("cove::app::VolumeModel", "Name"),
    QT_TRANSLATE_NOOP("cove::app::VolumeModel", "ID"),
    QT_TRANSLATE_NOOP("cove::app::VolumeModel", "State"),
    QT_TRANSLATE_NOOP("cove::app::VolumeModel", "Used"),
    QT_TRANSLATE_NOOP("cove::app::VolumeModel", "Created"),
    QT_TRANSLATE_NOOP("cove::app::VolumeModel", "Last used"),
};

constexpr std::array<NamedText, 4> kStates = {{
    {"ready", QT_TRANSLATE_NOOP("cove::app::VolumeModel", "Ready")},
    {"deleting", QT_TRANSLATE_NOOP("cove::app::VolumeModel", "Deleting")},
    {"deleted", QT_TRANSLATE_NOOP("cove::app::VolumeModel", "Deleted")},
    {"error", QT_TRANSLATE_NOOP("cove::app::VolumeModel", "Error")},
}};

} // namespace

VolumeModel::VolumeModel(QObject* parent)
    : RecordTableModel("cove::app::VolumeModel", kHeaders, parent) {}

QString VolumeModel::stateText(const QString& state) {
    return textOf("cove::app::VolumeModel", kStates, state);
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

} // namespace cove::app
