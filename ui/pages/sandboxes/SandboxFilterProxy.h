// Sorting and filtering of the sandboxes table: by state (any of several), label (key or key=value),
// snapshot and free text. Reads the model's precomputed fields, so 10,000 rows sort and filter quickly.
#pragma once

#include <QSet>
#include <QSortFilterProxyModel>

namespace cove::app {
class SandboxModel;
}

namespace cove::ui {

class SandboxFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit SandboxFilterProxy(QObject* parent = nullptr);

    void setSandboxModel(app::SandboxModel* model);

    // Only these states (empty: all).
    void setStates(const QSet<QString>& states);
    QSet<QString> states() const { return m_states; }
    // "key" (has the label) or "key=value"; empty: all.
    void setLabel(const QString& label);
    // Only sandboxes made from this snapshot; empty: all.
    void setSnapshot(const QString& snapshot);
    // Case-insensitive, in name, id, state, snapshot and labels.
    void setText(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    app::SandboxModel* m_model = nullptr;
    QSet<QString> m_states;
    QString m_labelKey;
    QString m_labelValue;
    bool m_labelHasValue = false;
    QString m_snapshot;
    QString m_text;
};

} // namespace cove::ui
