// A sandbox's desktop in a top-level window of its own (from the VNC tab or the sandbox list's menu).
#pragma once

#include <QWidget>

namespace cove::app {
class ApiClient;
}

namespace cove::ui {

class VncView;

class VncWindow : public QWidget {
    Q_OBJECT
public:
    // Opens, connects and shows; the window deletes itself when closed. `name` titles it (else the id).
    static VncWindow* open(app::ApiClient* client, const QString& sandboxId, const QString& name);
    VncView* view() const { return m_view; }

private:
    VncWindow(app::ApiClient* client, const QString& title);
    VncView* m_view;
};

} // namespace cove::ui
