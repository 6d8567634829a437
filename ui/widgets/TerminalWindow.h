// A top-level window holding one TerminalView: a terminal opened on its own, or one detached from a pane.
#pragma once

#include <QWidget>

namespace cove::app {
class ApiClient;
}

namespace cove::ui {

class TerminalView;

class TerminalWindow : public QWidget {
    Q_OBJECT
public:
    // Takes `view` (with its session) into a new window; the window deletes itself when closed.
    explicit TerminalWindow(TerminalView* view, const QString& title);
    // A new window with a new shell in the sandbox; `name` is shown in the title.
    static TerminalWindow* open(app::ApiClient* client, const QString& sandboxId, const QString& name);
    TerminalView* view() const { return m_view; }

private:
    TerminalView* m_view;
};

} // namespace cove::ui
