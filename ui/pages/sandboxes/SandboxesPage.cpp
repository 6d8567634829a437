// Lists sandboxes; refreshes on a timer until the event channel lands, and on F5.
#include "ui/pages/sandboxes/SandboxesPage.h"

#include "app/ApiClient.h"
#include "app/Settings.h"
#include "ui/pages/sandboxes/SandboxDetail.h"
#include "ui/pages/sandboxes/SandboxModel.h"
#include "ui/widgets/TerminalWindow.h"

#include <QAction>
#include <QDialog>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace cove::ui {

SandboxesPage::SandboxesPage(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_client(client)
    , m_model(new SandboxModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_filter(new QLineEdit(this))
    , m_message(new QLabel(this))
    , m_timer(new QTimer(this)) {
    auto* title = new QLabel(tr("Sandboxes"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.5);
    f.setBold(true);
    title->setFont(f);

    m_filter->setPlaceholderText(tr("Filter by name, ID, state, snapshot or label"));
    m_filter->setClearButtonEnabled(true);
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(SandboxModel::Created, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    auto* header = m_view->horizontalHeader();
    header->setStretchLastSection(true);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    // UUIDs are long; show their start and let the column be widened or the tooltip read.
    header->setSectionResizeMode(SandboxModel::Id, QHeaderView::Interactive);
    header->resizeSection(SandboxModel::Id, 110);
    header->setSectionResizeMode(SandboxModel::Labels, QHeaderView::Interactive);
    header->resizeSection(SandboxModel::Labels, 260);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setWordWrap(false);

    // A terminal in the selected sandbox: its context menu, or a double-click.
    auto* terminal = new QAction(tr("Open &Terminal"), m_view);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addAction(terminal);
    const auto openTerminal = [this] {
        const QModelIndex index = m_proxy->mapToSource(m_view->currentIndex());
        if (!index.isValid())
            return;
        const QJsonObject s = m_model->sandboxAt(index.row());
        TerminalWindow::open(m_client, s.value(QStringLiteral("id")).toString(),
                             s.value(QStringLiteral("name")).toString());
    };
    connect(terminal, &QAction::triggered, this, openTerminal);

    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(m_filter);
    layout->addWidget(m_message);
    layout->addWidget(m_view, 1);

    // A sandbox's detail opens in its own window on double-click or Enter.
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex& index) {
        auto* window = new QDialog(this);
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->setWindowTitle(tr("Sandbox"));
        auto* detail = new SandboxDetail(m_client, window);
        (new QVBoxLayout(window))->addWidget(detail);
        window->resize(1100, 760);
        window->show();
        detail->showSandbox(index.data(SandboxModel::SandboxIdRole).toString());
    });

    m_timer->setInterval(app::Settings::value(app::Settings::Key::RefreshSeconds).toInt() * 1000);
    connect(m_timer, &QTimer::timeout, this, &SandboxesPage::refresh);
    m_timer->start();
}

void SandboxesPage::refresh() {
    if (m_loading)
        return;
    m_loading = true;
    m_client->get(QStringLiteral("/api/sandbox?limit=1000"), this, [this](const app::ApiResult& r) {
        m_loading = false;
        if (!r.ok) {
            m_message->setText(r.error);
            m_message->show();
            return;
        }
        m_message->hide();
        m_model->setSandboxes(r.json.object().value(QStringLiteral("items")).toArray());
        if (m_model->rowCount() == 0) {
            m_message->setText(tr("No sandboxes yet. Create one with the Daytona SDK or: curl -X POST "
                                  "-H \"Authorization: Bearer $KEY\" %1/api/sandbox -d '{}'")
                                   .arg(m_client->target().url));
            m_message->show();
        }
    });
}

} // namespace cove::ui
