// The part the resource tables (snapshots, volumes) share: a list of records replaced whole on each
// read, looked up by row or id, and told when the language changed.
#pragma once

#include <QAbstractTableModel>
#include <QList>

namespace cove::app {

// What the resource tables sort by: the raw value (bytes, ISO dates), not the text shown.
constexpr int kSortRole = Qt::UserRole;

// "5 min ago (22/11/2026 01:02)" in the user's locale, for a Daytona ISO 8601 date; "—" for none.
QString relativeTime(const QString& iso);

template <class Record> class RecordTableModel : public QAbstractTableModel {
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex& parent = {}) const override {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

    void setRecords(QList<Record> records) {
        beginResetModel();
        m_rows = std::move(records);
        endResetModel();
    }
    const Record& at(int row) const { return m_rows.at(row); }
    int rowOf(const QString& id) const {
        for (int row = 0; row < m_rows.size(); ++row)
            if (m_rows[row].id == id)
                return row;
        return -1;
    }
    // Headers and cells are translated when asked for: after a language switch, views ask again.
    void retranslate() {
        emit headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    }

protected:
    QList<Record> m_rows;
};

} // namespace cove::app
