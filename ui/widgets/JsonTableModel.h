// A read-only table over a JSON array: each column says how to show one field of a row. The API Keys
// and Audit Logs pages are this model plus their own columns.
#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QVector>

#include <functional>

namespace cove::ui {

class JsonTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    struct Column {
        QString header;
        std::function<QVariant(const QJsonObject& row, int role)> value;
    };

    explicit JsonTableModel(QVector<Column> columns, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setRows(const QJsonArray& rows);
    void appendRows(const QJsonArray& rows);
    void prependRow(const QJsonObject& row);
    QJsonObject rowAt(int row) const { return m_rows.value(row); }

    // "5 min ago (22/11/2026 01:02)" in the user's locale, for a Daytona ISO 8601 date; "—" for none.
    static QString when(const QJsonValue& iso);

private:
    QVector<Column> m_columns;
    QVector<QJsonObject> m_rows;
};

} // namespace cove::ui
