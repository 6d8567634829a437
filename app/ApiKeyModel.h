// The API keys table: name, masked value, scopes, and when each key was made, last used and expires.
#pragma once

#include "app/GovernanceApi.h"
#include "app/RecordTableModel.h"

namespace cove::app {

class ApiKeyModel : public RecordTableModel<ApiKey, 6> {
    Q_OBJECT
public:
    enum Column { Name, Key, Permissions, Created, LastUsed, Expires, ColumnCount };

    explicit ApiKeyModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    // The row of the key named `name`, or -1.
    int rowOfName(const QString& name) const;
};

} // namespace cove::app
