// The audit log table: when, who, what, on what, the outcome and where the call came from; newest first.
#pragma once

#include "app/GovernanceApi.h"
#include "app/RecordTableModel.h"

namespace cove::app {

class AuditLogModel : public RecordTableModel<AuditEntry, 6> {
    Q_OBJECT
public:
    enum Column { Time, Actor, Action, Target, Outcome, Source, ColumnCount };
    // True on every cell of an entry that was refused or failed (the view colours it).
    static constexpr int FailedRole = Qt::UserRole + 1;

    explicit AuditLogModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
};

} // namespace cove::app
