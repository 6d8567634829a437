// The part the record tables (snapshots, volumes, keys, audit) share: a list of records replaced whole on
// each read, looked up by row or id, headers from a table, and told when the language changed.
#pragma once

#include <QAbstractTableModel>
#include <QCoreApplication>
#include <QList>

#include <array>

namespace cove::app {

// What the resource tables sort by: the raw value (bytes, ISO dates), not the text shown.
constexpr int kSortRole = Qt::UserRole;

// "5 min ago (22/11/2026 01:02)" in the user's locale, for a Daytona ISO 8601 date; "—" for none.
QString relativeTime(const QString& iso);

// One of the service's names (a state) and its text for people, marked with QT_TRANSLATE_NOOP.
struct NamedText {
    const char* name;
    const char* text;
};

// The text of `name` in `table` translated in `context`, or `name` itself when the table lacks it.
template <std::size_t N>
QString textOf(const char* context, const std::array<NamedText, N>& table, const QString& name) {
    for (const auto& entry : table)
        if (name == QLatin1String(entry.name))
            return QCoreApplication::translate(context, entry.text);
    return name;
}

// `Columns` headers are given untranslated, with the context they are translated in when shown.
template <class Record, std::size_t Columns> class RecordTableModel : public QAbstractTableModel {
public:
    using Headers = std::array<const char*, Columns>;

    RecordTableModel(const char* context, const Headers& headers, QObject* parent)
        : QAbstractTableModel(parent)
        , m_context(context)
        , m_headers(headers) {}

    int rowCount(const QModelIndex& parent = {}) const override {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    int columnCount(const QModelIndex& parent = {}) const override {
        return parent.isValid() ? 0 : int(Columns);
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 ||
            section >= int(Columns))
            return {};
        return QCoreApplication::translate(m_context, m_headers[std::size_t(section)]);
    }

    void setRecords(QList<Record> records) {
        beginResetModel();
        m_rows = std::move(records);
        endResetModel();
    }
    // For lists read in pages (the audit log) and entries that arrive live.
    void appendRecords(const QList<Record>& records) {
        if (records.isEmpty())
            return;
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + records.size()) - 1);
        m_rows.append(records);
        endInsertRows();
    }
    void prependRecord(const Record& record) {
        beginInsertRows({}, 0, 0);
        m_rows.prepend(record);
        endInsertRows();
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
        emit headerDataChanged(Qt::Horizontal, 0, int(Columns) - 1);
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, int(Columns) - 1));
    }

protected:
    QList<Record> m_rows;

private:
    const char* m_context;
    Headers m_headers;
};

} // namespace cove::app
