// The detail pane's Terminal tab: the web terminal of the shown sandbox, opened the first time the tab
// is shown for that sandbox (not on every selection, which would start a shell each time).
#pragma once

#include "ui/pages/sandboxes/detail/DetailTab.h"

namespace cove::ui {
class TerminalView;
}

namespace cove::ui::detail {

class TerminalTab : public DetailTab {
    Q_OBJECT
public:
    TerminalTab(app::ApiClient* client, QWidget* parent);
    TerminalView* view() const { return m_view; }

public slots:
    void refresh() override;

private:
    TerminalView* m_view;
    QString m_opened;
};

} // namespace cove::ui::detail
