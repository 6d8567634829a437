// Cells of the registries table; texts are translated as they are asked for.
#include "app/RegistryModel.h"

namespace cove::app {

namespace {

constexpr RegistryModel::Headers kHeaders = {
    QT_TRANSLATE_NOOP("cove::app::RegistryModel", "Name"),
    QT_TRANSLATE_NOOP("cove::app::RegistryModel", "URL"),
    QT_TRANSLATE_NOOP("cove::app::RegistryModel", "Username"),
    QT_TRANSLATE_NOOP("cove::app::RegistryModel", "Project"),
    QT_TRANSLATE_NOOP("cove::app::RegistryModel", "Created"),
};

} // namespace

RegistryModel::RegistryModel(QObject* parent)
    : RecordTableModel("cove::app::RegistryModel", kHeaders, parent) {}

QVariant RegistryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Registry& r = m_rows[index.row()];
    const bool text = role == Qt::DisplayRole || role == kSortRole;
    switch (index.column()) {
    case Name:
        if (role == Qt::DisplayRole && r.isDefault)
            return tr("%1 (default)").arg(r.name);
        if (role == Qt::ToolTipRole && r.isDefault)
            return tr("The registry `daytona snapshot push` is given.");
        return text ? QVariant(r.name) : QVariant();
    case Url:
        return text ? QVariant(r.url) : QVariant();
    case Username:
        return text ? QVariant(r.username) : QVariant();
    case Project:
        if (role == Qt::DisplayRole && r.project.isEmpty())
            return tr("(all)");
        return text ? QVariant(r.project) : QVariant();
    case Created:
        if (role == Qt::DisplayRole)
            return relativeTime(r.createdAt);
        return role == Qt::ToolTipRole || role == kSortRole ? QVariant(r.createdAt) : QVariant();
    default:
        return {};
    }
}

} // namespace cove::app
