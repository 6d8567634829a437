// Cells of the secrets table; texts are translated as they are asked for.
#include "app/SecretModel.h"

namespace cove::app {

namespace {

constexpr SecretModel::Headers kHeaders = {
    QT_TRANSLATE_NOOP("cove::app::SecretModel", "Name"),
    QT_TRANSLATE_NOOP("cove::app::SecretModel", "Description"),
    QT_TRANSLATE_NOOP("cove::app::SecretModel", "Hosts"),
    QT_TRANSLATE_NOOP("cove::app::SecretModel", "Placeholder"),
    QT_TRANSLATE_NOOP("cove::app::SecretModel", "Created"),
    QT_TRANSLATE_NOOP("cove::app::SecretModel", "Updated"),
};

} // namespace

SecretModel::SecretModel(QObject* parent)
    : RecordTableModel("cove::app::SecretModel", kHeaders, parent) {}

QVariant SecretModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Secret& s = m_rows[index.row()];
    const bool text = role == Qt::DisplayRole || role == kSortRole;
    switch (index.column()) {
    case Name:
        if (role == Qt::ToolTipRole && !s.mountedBy.isEmpty())
            return tr("Mounted by %1").arg(s.mountedBy.join(QStringLiteral(", ")));
        return text ? QVariant(s.name) : QVariant();
    case Description:
        return text ? QVariant(s.description) : QVariant();
    case Hosts:
        if (role == Qt::DisplayRole && s.hosts.isEmpty())
            return tr("(none: never sent)");
        return text ? QVariant(s.hosts.join(QStringLiteral(", "))) : QVariant();
    case Placeholder:
        return text || role == Qt::ToolTipRole ? QVariant(s.placeholder) : QVariant();
    case Created:
    case Updated: {
        const QString& at = index.column() == Created ? s.createdAt : s.updatedAt;
        if (role == Qt::DisplayRole)
            return relativeTime(at);
        return role == Qt::ToolTipRole || role == kSortRole ? QVariant(at) : QVariant();
    }
    default:
        return {};
    }
}

} // namespace cove::app
