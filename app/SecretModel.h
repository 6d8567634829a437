// The secrets table: one row per secret of the organization.
#pragma once

#include "app/RecordTableModel.h"
#include "app/SecretsApi.h"

namespace cove::app {

class SecretModel : public RecordTableModel<Secret, 6> {
    Q_OBJECT
public:
    enum Column { Name, Description, Hosts, Placeholder, Created, Updated, ColumnCount };

    explicit SecretModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
};

} // namespace cove::app
