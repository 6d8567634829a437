// Cells of the API keys table; texts are translated as they are asked for.
#include "app/ApiKeyModel.h"

namespace cove::app {

namespace {

constexpr ApiKeyModel::Headers kHeaders = {
    QT_TRANSLATE_NOOP("cove::app::ApiKeyModel", "Name"),
    QT_TRANSLATE_NOOP("cove::app::ApiKeyModel", "Key"),
    QT_TRANSLATE_NOOP("cove::app::ApiKeyModel", "Permissions"),
    QT_TRANSLATE_NOOP("cove::app::ApiKeyModel", "Created"),
    QT_TRANSLATE_NOOP("cove::app::ApiKeyModel", "Last used"),
    QT_TRANSLATE_NOOP("cove::app::ApiKeyModel", "Expires"),
};

} // namespace

ApiKeyModel::ApiKeyModel(QObject* parent)
    : RecordTableModel("cove::app::ApiKeyModel", kHeaders, parent) {}

int ApiKeyModel::rowOfName(const QString& name) const {
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows[row].name == name)
            return row;
    return -1;
}

QVariant ApiKeyModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const ApiKey& k = m_rows[index.row()];
    const bool shown = role == Qt::DisplayRole || role == kSortRole;
    switch (index.column()) {
    case Name:
        return shown ? QVariant(k.name) : QVariant();
    case Key:
        return shown ? QVariant(k.value) : QVariant();
    case Permissions: {
        if (role == kSortRole)
            return int(k.permissions.size());
        if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
            return {};
        // The admin key holds every scope there is; say so rather than list fifteen.
        if (role == Qt::DisplayRole && k.permissions.size() > qsizetype(kGrantableScopes.size()))
            return tr("all (%n scopes)", nullptr, int(k.permissions.size()));
        return k.permissions.isEmpty() ? tr("none") : k.permissions.join(QStringLiteral(", "));
    }
    case Created:
        if (role == Qt::DisplayRole)
            return relativeTime(k.createdAt);
        return role == Qt::ToolTipRole || role == kSortRole ? QVariant(k.createdAt) : QVariant();
    case LastUsed:
        if (role == Qt::DisplayRole)
            return relativeTime(k.lastUsedAt);
        return role == Qt::ToolTipRole || role == kSortRole ? QVariant(k.lastUsedAt) : QVariant();
    case Expires:
        if (role == Qt::DisplayRole)
            return k.expiresAt.isEmpty() ? tr("never") : relativeTime(k.expiresAt);
        return role == Qt::ToolTipRole || role == kSortRole ? QVariant(k.expiresAt) : QVariant();
    default:
        return {};
    }
}

} // namespace cove::app
