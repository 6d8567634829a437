#include "ui/pages/sandboxes/detail/DetailTab.h"

namespace cove::ui::detail {

DetailTab::DetailTab(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_client(client) {}

void DetailTab::setSandbox(const QString& id) {
    if (id == m_id)
        return;
    m_id = id;
    sandboxChanged();
    if (isVisible())
        refresh();
}

void DetailTab::showEvent(QShowEvent* e) {
    QWidget::showEvent(e);
    if (!m_id.isEmpty())
        refresh();
}

QString DetailTab::toolboxPath(const QString& rest) const {
    return QStringLiteral("/toolbox/") + m_id + rest;
}

} // namespace cove::ui::detail
