#include "ui/pages/sandboxes/detail/FileListModel.h"

#include "ui/widgets/JsonTableModel.h"

#include <QApplication>
#include <QJsonObject>
#include <QStyle>

#include <algorithm>

namespace cove::ui::detail {

FileListModel::FileListModel(QObject* parent)
    : QAbstractTableModel(parent) {}

int FileListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int FileListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString FileListModel::humanSize(qint64 bytes) {
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QVariant FileListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry& e = m_rows.at(index.row());
    if (role == IsDirRole)
        return e.isDir;
    if (role == NameRole)
        return e.name;
    if (role == Qt::DecorationRole && index.column() == Name)
        return QApplication::style()->standardIcon(e.isDir ? QStyle::SP_DirIcon : QStyle::SP_FileIcon);
    if (role == Qt::TextAlignmentRole && index.column() == Size)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Modified)
        return e.modified;
    if (role == SortRole) {
        switch (index.column()) {
        case Size:
            return e.isDir ? -1 : e.size;
        case Modified:
            return e.modified;
        default:
            break;
        }
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (index.column()) {
    case Name:
        return e.name;
    case Size:
        return e.isDir ? QString() : humanSize(e.size);
    case Modified:
        return JsonTableModel::when(QJsonValue(e.modified));
    case Permissions:
        return e.mode;
    case Owner:
        return e.owner;
    default:
        return {};
    }
}

QVariant FileListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Size:
        return tr("Size");
    case Modified:
        return tr("Modified");
    case Permissions:
        return tr("Permissions");
    case Owner:
        return tr("Owner");
    default:
        return {};
    }
}

void FileListModel::setEntries(const QJsonArray& items) {
    QVector<Entry> rows;
    rows.reserve(items.size());
    for (const QJsonValue& v : items) {
        const QJsonObject o = v.toObject();
        Entry e;
        e.name = o.value(QStringLiteral("name")).toString();
        e.size = o.value(QStringLiteral("size")).toInteger();
        e.isDir = o.value(QStringLiteral("isDir")).toBool();
        e.mode = o.value(QStringLiteral("mode")).toString();
        e.modified = o.value(QStringLiteral("modifiedAt")).toString();
        if (e.modified.isEmpty())
            e.modified = o.value(QStringLiteral("modTime")).toString();
        e.owner = o.value(QStringLiteral("owner")).toString();
        if (!e.name.isEmpty())
            rows.push_back(e);
    }
    std::sort(rows.begin(), rows.end(), [](const Entry& a, const Entry& b) {
        if (a.isDir != b.isDir)
            return a.isDir;
        return QString::localeAwareCompare(a.name, b.name) < 0;
    });
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void FileListModel::retranslate() {
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

void FileListModel::clear() {
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int FileListModel::rowOf(const QString& name) const {
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).name == name)
            return i;
    return -1;
}

} // namespace cove::ui::detail
