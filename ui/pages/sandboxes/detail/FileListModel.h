// The entries of one folder of a sandbox (GET /toolbox/{id}/files?path=): folders first, then by name.
#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QVector>

namespace cove::ui::detail {

class FileListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Size, Modified, Permissions, Owner, ColumnCount };
    enum Role { IsDirRole = Qt::UserRole + 1, NameRole, SortRole };

    struct Entry {
        QString name;
        qint64 size = 0;
        bool isDir = false;
        QString mode;
        QString modified; // RFC 3339
        QString owner;
    };

    explicit FileListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setEntries(const QJsonArray& items);
    void clear();
    // The headers are translated when asked for: after a language switch, views ask again.
    void retranslate();
    const Entry& entry(int row) const { return m_rows.at(row); }
    int rowOf(const QString& name) const;

    static QString humanSize(qint64 bytes);

private:
    QVector<Entry> m_rows;
};

} // namespace cove::ui::detail
