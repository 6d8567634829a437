// The volumes table: name, id, state, the space used and when each volume was made and last used.
#pragma once

#include "app/RecordTableModel.h"
#include "app/ResourcesApi.h"

namespace cove::app {

class VolumeModel : public RecordTableModel<Volume, 6> {
    Q_OBJECT
public:
    enum Column { Name, Id, State, Used, Created, LastUsed, ColumnCount };

    explicit VolumeModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    // Shown for a volume state: "Ready", "Deleting"…
    static QString stateText(const QString& state);
};

} // namespace cove::app
