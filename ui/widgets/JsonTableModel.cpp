// Rows are replaced or appended whole; the pages refresh on demand.
#include "ui/widgets/JsonTableModel.h"

#include <QDateTime>
#include <QLocale>

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
    const QDateTime t = QDateTime::fromString(iso.toString(), Qt::ISODateWithMs);
    if (!t.isValid())
        return QStringLiteral("—");
    const qint64 s = t.secsTo(QDateTime::currentDateTimeUtc());
    QString ago;
    if (s < 0)
        ago = tr("in %n min", nullptr, int(-s / 60));
    else if (s < 60)
        ago = tr("just now");
    else if (s < 3600)
        ago = tr("%n min ago", nullptr, int(s / 60));
    else if (s < 86400)
        ago = tr("%n h ago", nullptr, int(s / 3600));
    else
        ago = tr("%n days ago", nullptr, int(s / 86400));
    return ago + QStringLiteral(" (") + QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) +
           QLatin1Char(')');
}

} // namespace cove::ui
