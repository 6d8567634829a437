// Cells of the audit log table; texts are translated as they are asked for.
#include "app/AuditLogModel.h"

namespace cove::app {

namespace {

constexpr AuditLogModel::Headers kHeaders = {
    QT_TRANSLATE_NOOP("cove::app::AuditLogModel", "Time"),
    QT_TRANSLATE_NOOP("cove::app::AuditLogModel", "Actor"),
    QT_TRANSLATE_NOOP("cove::app::AuditLogModel", "Action"),
    QT_TRANSLATE_NOOP("cove::app::AuditLogModel", "Target"),
    QT_TRANSLATE_NOOP("cove::app::AuditLogModel", "Outcome"),
    QT_TRANSLATE_NOOP("cove::app::AuditLogModel", "Source"),
};

} // namespace

AuditLogModel::AuditLogModel(QObject* parent)
    : RecordTableModel("cove::app::AuditLogModel", kHeaders, parent) {}

QVariant AuditLogModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const AuditEntry& e = m_rows[index.row()];
    if (role == FailedRole)
        return e.failed();
    const bool shown = role == Qt::DisplayRole || role == kSortRole;
    switch (index.column()) {
    case Time:
        if (role == Qt::DisplayRole)
            return relativeTime(e.createdAt);
        return role == Qt::ToolTipRole || role == kSortRole ? QVariant(e.createdAt) : QVariant();
    case Actor:
        if (role == Qt::ToolTipRole && !e.actorKey.isEmpty())
            return e.actorKey;
        return shown ? QVariant(e.actorEmail) : QVariant();
    case Action:
        return shown ? QVariant(e.action) : QVariant();
    case Target:
        if (!shown)
            return {};
        return e.targetType +
               (e.targetId.isEmpty() ? QString() : QStringLiteral(" (") + e.targetId + QLatin1Char(')'));
    case Outcome: {
        if (role == kSortRole)
            return e.statusCode;
        if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
            return {};
        const QString kind = e.failed() ? tr("Error") : tr("Success");
        return kind + QStringLiteral(" (") + QString::number(e.statusCode) + QLatin1Char(')') +
               (e.errorMessage.isEmpty() ? QString() : QStringLiteral(": ") + e.errorMessage);
    }
    case Source:
        return shown ? QVariant(e.source) : QVariant();
    default:
        return {};
    }
}

} // namespace cove::app
