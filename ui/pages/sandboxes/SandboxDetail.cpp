#include "ui/pages/sandboxes/SandboxDetail.h"

#include "app/SandboxState.h"
#include "ui/pages/sandboxes/detail/DesktopTab.h"
#include "ui/pages/sandboxes/detail/FilesTab.h"
#include "ui/pages/sandboxes/detail/LogsTab.h"
#include "ui/pages/sandboxes/detail/MetricsTab.h"
#include "ui/pages/sandboxes/detail/OverviewTab.h"
#include "ui/pages/sandboxes/detail/PreviewTab.h"
#include "ui/widgets/PageKit.h"

#include <QJsonObject>
#include <QLabel>
#include <QShortcut>
#include <QTabWidget>
#include <QVBoxLayout>

namespace cove::ui {

SandboxDetail::SandboxDetail(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_client(client)
    , m_title(kit::pageTitle(tr("No sandbox chosen"), this))
    , m_tabs(new QTabWidget(this))
    , m_overview(new detail::OverviewTab(client, this))
    , m_files(new detail::FilesTab(client, this))
    , m_logs(new detail::LogsTab(client, this))
    , m_metrics(new detail::MetricsTab(client, this))
    , m_preview(new detail::PreviewTab(client, this))
    , m_desktop(new detail::DesktopTab(client, this)) {
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tabs->addTab(m_overview, tr("&Overview"));
    m_tabs->addTab(m_files, tr("&Files"));
    m_tabs->addTab(m_logs, tr("&Logs"));
    m_tabs->addTab(m_metrics, tr("&Metrics"));
    m_tabs->addTab(m_preview, tr("&Preview"));
    m_tabs->addTab(m_desktop, tr("V&NC"));
    connect(m_overview, &detail::OverviewTab::loaded, this, [this](const QJsonObject& s) {
        m_title->setText(
            tr("%1 — %2").arg(s.value(QStringLiteral("name")).toString(),
                              app::sandboxStateLabel(s.value(QStringLiteral("state")).toString())));
    });
    auto* f5 = new QShortcut(QKeySequence::Refresh, this);
    f5->setContext(Qt::WidgetWithChildrenShortcut);
    connect(f5, &QShortcut::activated, this, &SandboxDetail::refresh);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_tabs, 1);
}

void SandboxDetail::addTab(QWidget* w, const QString& title) {
    m_tabs->addTab(w, title);
}

void SandboxDetail::showSandbox(const QString& id) {
    if (id == m_id)
        return refresh();
    m_id = id;
    m_title->setText(id);
    for (detail::DetailTab* t : std::initializer_list<detail::DetailTab*>{m_overview, m_files, m_logs,
                                                                          m_metrics, m_preview, m_desktop})
        t->setSandbox(id);
    // The header follows the overview even while another tab is shown.
    if (!m_overview->isVisible())
        m_overview->refresh();
    emit sandboxShown(id);
}

void SandboxDetail::refresh() {
    if (auto* tab = qobject_cast<detail::DetailTab*>(m_tabs->currentWidget()))
        tab->refresh();
    if (m_tabs->currentWidget() != m_overview)
        m_overview->refresh();
}

} // namespace cove::ui
