// Rows are replaced or appended whole; the pages refresh on demand.
#include "ui/widgets/JsonTableModel.h"

#include "app/RecordTableModel.h"

namespace cove::ui {

JsonTableModel::JsonTableModel(QVector<Column> columns, QObject* parent)
    : QAbstractTableModel(parent)
    , m_columns(std::move(columns)) {}

int JsonTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int JsonTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant JsonTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size() || index.column() >= m_columns.size())
        return {};
    return m_columns[index.column()].value(m_rows[index.row()], role);
}

QVariant JsonTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section < m_columns.size())
        return m_columns[section].header;
    return {};
}

void JsonTableModel::setRows(const QJsonArray& rows) {
    beginResetModel();
    m_rows.clear();
    for (const auto& r : rows)
        m_rows.append(r.toObject());
    endResetModel();
}

void JsonTableModel::prependRow(const QJsonObject& row) {
    beginInsertRows({}, 0, 0);
    m_rows.prepend(row);
    endInsertRows();
}

void JsonTableModel::appendRows(const QJsonArray& rows) {
    if (rows.isEmpty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size() - 1));
    for (const auto& r : rows)
        m_rows.append(r.toObject());
    endInsertRows();
}

QString JsonTableModel::when(const QJsonValue& iso) {
    return app::relativeTime(iso.toString());
}

} // namespace cove::ui
