// The sandboxes table: one row per sandbox from GET /api/sandbox, keyed by id so updates keep selection.
#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QVector>

namespace cove::ui {

class SandboxModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Id, State, Snapshot, Resources, Labels, Created, ColumnCount };
    enum Role { SandboxIdRole = Qt::UserRole + 1, StateRole };

    explicit SandboxModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Replaces the contents with `items`, updating rows in place where the id is already known.
    void setSandboxes(const QJsonArray& items);
    QJsonObject sandboxAt(int row) const { return m_rows.value(row); }

    static QString stateLabel(const QString& state);

private:
    QVector<QJsonObject> m_rows;
};

} // namespace cove::ui
