#include "ui/pages/sandboxes/SandboxFilterProxy.h"

#include "ui/pages/sandboxes/SandboxModel.h"

#include <QJsonObject>

namespace cove::ui {

SandboxFilterProxy::SandboxFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent) {
    setSortRole(SandboxModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setSortLocaleAware(true);
}

void SandboxFilterProxy::setSandboxModel(SandboxModel* model) {
    m_model = model;
    setSourceModel(model);
}

void SandboxFilterProxy::setStates(const QSet<QString>& states) {
    if (states == m_states)
        return;
    m_states = states;
    invalidateRowsFilter();
}

void SandboxFilterProxy::setLabel(const QString& label) {
    const QString text = label.trimmed();
    const qsizetype eq = text.indexOf(QLatin1Char('='));
    m_labelHasValue = eq >= 0;
    m_labelKey = (eq >= 0 ? text.left(eq) : text).trimmed();
    m_labelValue = eq >= 0 ? text.mid(eq + 1).trimmed() : QString();
    invalidateRowsFilter();
}

void SandboxFilterProxy::setSnapshot(const QString& snapshot) {
    if (snapshot == m_snapshot)
        return;
    m_snapshot = snapshot;
    invalidateRowsFilter();
}

void SandboxFilterProxy::setText(const QString& text) {
    const QString lower = text.trimmed().toLower();
    if (lower == m_text)
        return;
    m_text = lower;
    invalidateRowsFilter();
}

bool SandboxFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (!m_model || sourceParent.isValid())
        return true;
    const SandboxModel::Entry& e = m_model->entry(sourceRow);
    if (!m_states.isEmpty() && !m_states.contains(e.state))
        return false;
    if (!m_snapshot.isEmpty() && e.snapshot != m_snapshot)
        return false;
    if (!m_labelKey.isEmpty()) {
        const QJsonValue v = e.dto.value(QStringLiteral("labels")).toObject().value(m_labelKey);
        if (v.isUndefined() || (m_labelHasValue && v.toString() != m_labelValue))
            return false;
    }
    return m_text.isEmpty() || e.search.contains(m_text);
}

bool SandboxFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    if (!m_model)
        return QSortFilterProxyModel::lessThan(left, right);
    const SandboxModel::Entry& a = m_model->entry(left.row());
    const SandboxModel::Entry& b = m_model->entry(right.row());
    const auto cmp = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
    int c = 0;
    switch (left.column()) {
    case SandboxModel::Name:
        c = a.name.localeAwareCompare(b.name);
        break;
    case SandboxModel::Id:
        break;
    case SandboxModel::State:
        c = SandboxModel::stateLabel(a.state).localeAwareCompare(SandboxModel::stateLabel(b.state));
        break;
    case SandboxModel::Snapshot:
        c = a.snapshot.localeAwareCompare(b.snapshot);
        break;
    case SandboxModel::Resources:
        c = cmp(a.resources, b.resources);
        break;
    case SandboxModel::Labels:
        c = a.labels.localeAwareCompare(b.labels);
        break;
    case SandboxModel::LastEvent:
        c = cmp(a.lastEventMs, b.lastEventMs);
        break;
    case SandboxModel::Created:
        c = cmp(a.createdMs, b.createdMs);
        break;
    default:
        return QSortFilterProxyModel::lessThan(left, right);
    }
    // Ties break on id, so equal rows keep a stable order however events arrive.
    return c != 0 ? c < 0 : a.id < b.id;
}

} // namespace cove::ui
