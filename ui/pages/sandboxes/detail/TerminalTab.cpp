// Opens the terminal lazily; F5 on an open terminal keeps its shell (New Session starts another).
#include "ui/pages/sandboxes/detail/TerminalTab.h"

#include "ui/widgets/TerminalView.h"

#include <QVBoxLayout>

namespace cove::ui::detail {

TerminalTab::TerminalTab(app::ApiClient* client, QWidget* parent)
    : DetailTab(client, parent)
    , m_view(new TerminalView(client, this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

void TerminalTab::refresh() {
    if (m_id.isEmpty() || m_id == m_opened)
        return;
    m_opened = m_id;
    m_view->openSandbox(m_id);
}

} // namespace cove::ui::detail
