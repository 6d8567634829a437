#include "ui/widgets/vnc/VncWindow.h"

#include "ui/widgets/vnc/VncView.h"

#include <QVBoxLayout>

namespace cove::ui {

VncWindow::VncWindow(app::ApiClient* client, const QString& title)
    : QWidget(nullptr, Qt::Window)
    , m_view(new VncView(client, this)) {
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(title);
    (new QVBoxLayout(this))->addWidget(m_view);
    resize(1100, 760); // a 1024×768 desktop nearly 1:1 with the toolbar
}

VncWindow* VncWindow::open(app::ApiClient* client, const QString& sandboxId, const QString& name) {
    auto* window = new VncWindow(client, tr("Desktop — %1").arg(name.isEmpty() ? sandboxId : name));
    window->m_view->setSandbox(sandboxId);
    window->m_view->connectToDesktop();
    window->show();
    return window;
}

} // namespace cove::ui
