// The volumes table: name, id, state, the space used and when each volume was made and last used.
#pragma once

#include "app/RecordTableModel.h"
#include "app/ResourcesApi.h"

namespace cove::app {

class VolumeModel : public RecordTableModel<Volume> {
    Q_OBJECT
public:
    enum Column { Name, Id, State, Used, Created, LastUsed, ColumnCount };

    using RecordTableModel::RecordTableModel;

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Shown for a volume state: "Ready", "Deleting"…
    static QString stateText(const QString& state);
};

} // namespace cove::app
