// The snapshots table: name, image, state, default resources, size and age of each snapshot.
#pragma once

#include "app/RecordTableModel.h"
#include "app/ResourcesApi.h"

namespace cove::app {

class SnapshotModel : public RecordTableModel<Snapshot> {
    Q_OBJECT
public:
    enum Column { Name, Image, State, Resources, Size, Created, ColumnCount };

    using RecordTableModel::RecordTableModel;

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Shown for a snapshot state: "Active", "Building"…
    static QString stateText(const QString& state);
};

} // namespace cove::app
