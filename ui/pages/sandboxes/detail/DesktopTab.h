// The detail pane's VNC tab: the shown sandbox's desktop, connected while the tab is shown (not in the
// background), with "Open in a Window" to watch it beside other work, and its screen recordings below.
#pragma once

#include "ui/pages/sandboxes/detail/DetailTab.h"

class QPushButton;

namespace cove::ui {
class VncView;
}

namespace cove::ui::detail {

class RecordingsPanel;

class DesktopTab : public DetailTab {
    Q_OBJECT
public:
    DesktopTab(app::ApiClient* client, QWidget* parent);
    VncView* view() const { return m_view; }
    RecordingsPanel* recordings() const { return m_recordings; }

public slots:
    void refresh() override;

protected:
    void sandboxChanged() override;
    void hideEvent(QHideEvent* e) override;
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();

    VncView* m_view;
    QPushButton* m_detach;
    RecordingsPanel* m_recordings;
};

} // namespace cove::ui::detail
