// The header follows what the overview reads; every text is set again when the language changes.
#include "ui/pages/sandboxes/SandboxDetail.h"

#include "app/ApiClient.h"
#include "app/SandboxState.h"
#include "ui/pages/sandboxes/detail/CheckpointsTab.h"
#include "ui/pages/sandboxes/detail/DesktopTab.h"
#include "ui/pages/sandboxes/detail/FilesTab.h"
#include "ui/pages/sandboxes/detail/LogsTab.h"
#include "ui/pages/sandboxes/detail/MetricsTab.h"
#include "ui/pages/sandboxes/detail/OverviewTab.h"
#include "ui/pages/sandboxes/detail/PreviewTab.h"
#include "ui/pages/sandboxes/detail/SandboxActions.h"
#include "ui/widgets/PageKit.h"

#include <QEvent>
#include <QJsonObject>
#include <QLabel>
#include <QShortcut>
#include <QTabWidget>
#include <QVBoxLayout>

namespace cove::ui {

SandboxDetail::SandboxDetail(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_client(client)
    , m_title(kit::pageTitle(QString(), this))
    , m_actions(new detail::SandboxActions(client, this))
    , m_tabs(new QTabWidget(this))
    , m_overview(new detail::OverviewTab(client, this))
    , m_files(new detail::FilesTab(client, this))
    , m_logs(new detail::LogsTab(client, this))
    , m_metrics(new detail::MetricsTab(client, this))
    , m_preview(new detail::PreviewTab(client, this))
    , m_desktop(new detail::DesktopTab(client, this))
    , m_checkpoints(new detail::CheckpointsTab(client, this)) {
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    for (QWidget* tab : std::initializer_list<QWidget*>{m_overview, m_files, m_logs, m_metrics, m_preview,
                                                        m_desktop, m_checkpoints})
        m_tabs->addTab(tab, QString()); // named by retranslateUi
    connect(m_overview, &detail::OverviewTab::loaded, this, [this](const QJsonObject& s) {
        m_shown = s;
        showTitle();
        m_actions->setSandbox(app::Sandbox::fromJson(s));
    });
    // What an action or a rollback changed shows at once; the Sandboxes page hears of it by events.
    connect(m_actions, &detail::SandboxActions::changed, m_overview, &detail::OverviewTab::refresh);
    connect(m_checkpoints, &detail::CheckpointsTab::rolledBack, m_overview, &detail::OverviewTab::refresh);
    connect(m_overview, &detail::OverviewTab::openSandbox, this, &SandboxDetail::sandboxRequested);
    connect(m_actions, &detail::SandboxActions::openSandbox, this, &SandboxDetail::sandboxRequested);
    connect(this, &SandboxDetail::sandboxRequested, this, &SandboxDetail::showSandbox);
    // A state change made anywhere (the list's bulk actions, an SDK, a timer) reaches the header, the
    // overview and the actions it allows.
    connect(client->events(), &app::EventClient::eventReceived, this,
            [this](const QString& name, const QJsonValue& payload) {
                if (name == QLatin1String("sandbox.state.updated") && !m_id.isEmpty() &&
                    payload.toObject()
                            .value(QStringLiteral("sandbox"))
                            .toObject()
                            .value(QStringLiteral("id"))
                            .toString() == m_id)
                    m_overview->refresh();
            });
    client->events()->start();
    auto* f5 = new QShortcut(QKeySequence::Refresh, this);
    f5->setContext(Qt::WidgetWithChildrenShortcut);
    connect(f5, &QShortcut::activated, this, &SandboxDetail::refresh);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_actions);
    layout->addWidget(m_tabs, 1);
    retranslateUi();
}

void SandboxDetail::retranslateUi() {
    m_tabs->setTabText(m_tabs->indexOf(m_overview), tr("&Overview"));
    m_tabs->setTabText(m_tabs->indexOf(m_files), tr("&Files"));
    m_tabs->setTabText(m_tabs->indexOf(m_logs), tr("&Logs"));
    m_tabs->setTabText(m_tabs->indexOf(m_metrics), tr("&Metrics"));
    m_tabs->setTabText(m_tabs->indexOf(m_preview), tr("&Preview"));
    m_tabs->setTabText(m_tabs->indexOf(m_desktop), tr("V&NC"));
    m_tabs->setTabText(m_tabs->indexOf(m_checkpoints), tr("C&heckpoints"));
    showTitle();
}

void SandboxDetail::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void SandboxDetail::showTitle() {
    if (m_id.isEmpty())
        m_title->setText(tr("No sandbox chosen"));
    else if (m_shown.value(QStringLiteral("id")).toString() != m_id)
        m_title->setText(m_id); // until the overview has read it
    else
        m_title->setText(
            tr("%1 — %2").arg(m_shown.value(QStringLiteral("name")).toString(),
                              app::sandboxStateLabel(m_shown.value(QStringLiteral("state")).toString())));
}

void SandboxDetail::addTab(QWidget* w, const QString& title) {
    m_tabs->addTab(w, title);
}

void SandboxDetail::showSandbox(const QString& id) {
    if (id == m_id)
        return refresh();
    m_id = id;
    showTitle();
    for (detail::DetailTab* t : std::initializer_list<detail::DetailTab*>{
             m_overview, m_files, m_logs, m_metrics, m_preview, m_desktop, m_checkpoints})
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
