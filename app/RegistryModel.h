// The registries table: one row per private registry of the organization.
#pragma once

#include "app/RecordTableModel.h"
#include "app/ResourcesApi.h"

namespace cove::app {

class RegistryModel : public RecordTableModel<Registry, 5> {
    Q_OBJECT
public:
    enum Column { Name, Url, Username, Project, Created, ColumnCount };

    explicit RegistryModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
};

} // namespace cove::app
