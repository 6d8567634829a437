#include "ui/pages/sandboxes/detail/DesktopTab.h"

#include "ui/pages/sandboxes/detail/RecordingsPanel.h"
#include "ui/widgets/vnc/VncView.h"
#include "ui/widgets/vnc/VncWindow.h"

#include <QEvent>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace cove::ui::detail {

DesktopTab::DesktopTab(app::ApiClient* client, QWidget* parent)
    : DetailTab(client, parent)
    , m_view(new VncView(client, this))
    , m_detach(new QPushButton(this))
    , m_recordings(new RecordingsPanel(client, this)) {
    connect(m_detach, &QPushButton::clicked, this, [this] {
        if (m_id.isEmpty())
            return;
        m_view->disconnectFromDesktop(); // the window opens its own connection
        VncWindow::open(m_client, m_id, {});
    });
    m_view->addToolButton(m_detach);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_recordings);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    split->setObjectName(QStringLiteral("desktopRecordingsSplit")); // the main window remembers it
    // A large desktop must not squeeze the list away: it keeps room for its buttons and a few rows.
    m_recordings->setMinimumHeight(fontMetrics().height() * 9);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);
    retranslateUi();
}

void DesktopTab::retranslateUi() {
    m_detach->setText(tr("Open in a &Window"));
    m_detach->setToolTip(tr("Show this desktop in a window of its own"));
}

void DesktopTab::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    DetailTab::changeEvent(event);
}

void DesktopTab::sandboxChanged() {
    m_view->setSandbox(m_id);
    m_recordings->setSandbox(m_id);
}

void DesktopTab::refresh() {
    if (m_id.isEmpty())
        return;
    m_view->setSandbox(m_id);
    m_recordings->setSandbox(m_id);
    m_recordings->refresh();
    const auto state = m_view->vnc()->state();
    if (state != VncClient::State::Connected && state != VncClient::State::Connecting)
        m_view->connectToDesktop();
}

void DesktopTab::hideEvent(QHideEvent* e) {
    // Frames nobody sees cost the desktop and the tunnel: the connection closes with the tab.
    m_view->disconnectFromDesktop();
    DetailTab::hideEvent(e);
}

} // namespace cove::ui::detail
