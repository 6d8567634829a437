// The snapshots table: name, image, state, default resources, size and age of each snapshot.
#pragma once

#include "app/RecordTableModel.h"
#include "app/ResourcesApi.h"

namespace cove::app {

class SnapshotModel : public RecordTableModel<Snapshot, 6> {
    Q_OBJECT
public:
    enum Column { Name, Image, State, Resources, Size, Created, ColumnCount };

    explicit SnapshotModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    // Shown for a snapshot state: "Active", "Building"…
    static QString stateText(const QString& state);
};

} // namespace cove::app
