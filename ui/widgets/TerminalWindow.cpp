#include "ui/widgets/TerminalWindow.h"

#include "ui/widgets/TerminalView.h"

#include <QVBoxLayout>

namespace cove::ui {

// A comfortable first size for a shell: about 100 columns by 30 rows.
constexpr QSize kDefaultSize{960, 620};

TerminalWindow::TerminalWindow(TerminalView* view, const QString& title)
    : QWidget(nullptr, Qt::Window)
    , m_view(view) {
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(title);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    view->setParent(this);
    view->setDetachable(false);
    layout->addWidget(view);
    view->show();
    resize(kDefaultSize);
}

TerminalWindow* TerminalWindow::open(app::ApiClient* client, const QString& sandboxId, const QString& name) {
    auto* view = new TerminalView(client);
    auto* window = new TerminalWindow(view, tr("Terminal — %1").arg(name.isEmpty() ? sandboxId : name));
    view->openSandbox(sandboxId);
    window->show();
    return window;
}

} // namespace cove::ui
