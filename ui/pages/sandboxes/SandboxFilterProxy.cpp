#include "ui/pages/sandboxes/SandboxFilterProxy.h"

#include "app/SandboxModel.h"

#include <QJsonObject>

namespace cove::ui {

SandboxFilterProxy::SandboxFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent) {
    setSortRole(app::SandboxModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setSortLocaleAware(true);
}

void SandboxFilterProxy::setSandboxModel(app::SandboxModel* model) {
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
    const app::SandboxModel::Entry& e = m_model->entry(sourceRow);
    if (!m_states.isEmpty() && !m_states.contains(e.state))
        return false;
    if (!m_snapshot.isEmpty() && e.snapshot != m_snapshot)
        return false;
    if (!m_labelKey.isEmpty()) {
        const auto label = e.sandbox.labels.constFind(m_labelKey);
        if (label == e.sandbox.labels.constEnd() || (m_labelHasValue && label.value() != m_labelValue))
            return false;
    }
    return m_text.isEmpty() || e.search.contains(m_text);
}

bool SandboxFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    if (!m_model)
        return QSortFilterProxyModel::lessThan(left, right);
    const app::SandboxModel::Entry& a = m_model->entry(left.row());
    const app::SandboxModel::Entry& b = m_model->entry(right.row());
    const auto cmp = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
    int c = 0;
    switch (left.column()) {
    case app::SandboxModel::Name:
        c = a.name.localeAwareCompare(b.name);
        break;
    case app::SandboxModel::Id:
        break;
    case app::SandboxModel::State:
        c = app::sandboxStateLabel(a.state).localeAwareCompare(app::sandboxStateLabel(b.state));
        break;
    case app::SandboxModel::Snapshot:
        c = a.snapshot.localeAwareCompare(b.snapshot);
        break;
    case app::SandboxModel::Resources:
        c = cmp(a.resources, b.resources);
        break;
    case app::SandboxModel::Labels:
        c = a.labels.localeAwareCompare(b.labels);
        break;
    case app::SandboxModel::LastEvent:
        c = cmp(a.lastEventMs, b.lastEventMs);
        break;
    case app::SandboxModel::Created:
        c = cmp(a.createdMs, b.createdMs);
        break;
    default:
        return QSortFilterProxyModel::lessThan(left, right);
    }
    // Ties break on id, so equal rows keep a stable order however events arrive.
    return c != 0 ? c < 0 : a.id < b.id;
}

} // namespace cove::ui
