#include "ui/pages/limits/WarmPoolsBox.h"

#include "app/ResourcesApi.h"
#include "ui/widgets/PageKit.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

namespace cove::ui {

namespace {

constexpr int kMaxPoolSize = 32; // as the service allows (WarmPoolLimits::kMaxSize)
constexpr int kFollowMs = 2000;  // how often a filling pool is read again

} // namespace

WarmPoolsBox::WarmPoolsBox(app::ApiClient* client, QWidget* parent)
    : QGroupBox(parent)
    , m_client(client)
    , m_api(client)
    , m_intro(new QLabel(this))
    , m_table(new QTableWidget(0, 5, this))
    , m_add(new QPushButton(this))
    , m_edit(new QPushButton(this))
    , m_delete(new QPushButton(this))
    , m_message(kit::messageLine(this)) {
    m_intro->setWordWrap(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setTabKeyNavigation(false); // Tab leaves the table for the buttons
    m_table->verticalHeader()->hide();
    // The error takes the rest of the width, cut short if need be; its tooltip says it all.
    m_table->horizontalHeader()->setSectionResizeMode(4, QHeaderView::Stretch);
    m_table->setMinimumHeight(110);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        m_edit->setEnabled(selected() >= 0);
        m_delete->setEnabled(selected() >= 0);
    });
    connect(m_table, &QTableWidget::cellActivated, this, [this] { editSelected(); }); // Enter, double-click
    m_table->installEventFilter(this); // the Delete key deletes the selected pool
    connect(m_add, &QPushButton::clicked, this, &WarmPoolsBox::addPool);
    connect(m_edit, &QPushButton::clicked, this, &WarmPoolsBox::editSelected);
    connect(m_delete, &QPushButton::clicked, this, &WarmPoolsBox::deleteSelected);
    m_edit->setEnabled(false);
    m_delete->setEnabled(false);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_delete);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_message);
    retranslateUi();
}

void WarmPoolsBox::retranslateUi() {
    setTitle(tr("Warm pools"));
    m_intro->setText(tr("Started sandboxes of a snapshot kept ready, so creates of that snapshot answer at "
                        "once. They count against the quota."));
    m_table->setHorizontalHeaderLabels(
        {tr("Snapshot"), tr("Resources"), tr("Size"), tr("Ready"), tr("Error")});
    m_table->setAccessibleName(tr("Warm pools"));
    m_add->setText(tr("&Add pool…"));
    m_edit->setText(tr("Edit si&ze…"));
    m_delete->setText(tr("De&lete pool"));
    showPools(m_pools);
}

bool WarmPoolsBox::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_table && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent*>(event)->key() == Qt::Key_Delete) {
        deleteSelected();
        return true;
    }
    return QGroupBox::eventFilter(watched, event);
}

void WarmPoolsBox::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QGroupBox::changeEvent(event);
}

int WarmPoolsBox::rowCount() const {
    return m_table->rowCount();
}

int WarmPoolsBox::selected() const {
    const auto rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void WarmPoolsBox::refresh() {
    m_api.list(this, [this](const app::Result<QList<app::WarmPool>>& r) {
        if (!r.ok())
            return kit::showMessage(m_message, r.error().text);
        showPools(r.value());
    });
}

void WarmPoolsBox::showPools(const QList<app::WarmPool>& pools) {
    const QString current =
        selected() >= 0 && selected() < m_pools.size() ? m_pools[selected()].id : QString();
    m_pools = pools;
    m_table->setRowCount(int(pools.size()));
    for (int i = 0; i < pools.size(); ++i) {
        const app::WarmPool& p = pools[i];
        const QStringList cells{p.snapshot,
                                tr("%1 vCPU, %2 GiB, %3 GiB disk").arg(p.cpu).arg(p.memory).arg(p.disk),
                                QString::number(p.pool), QString::number(p.currentSize),
                                p.errorReason.isEmpty() ? tr("—") : p.errorReason};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setToolTip(cells[c]);
            m_table->setItem(i, c, item);
        }
        if (p.id == current)
            m_table->selectRow(i);
    }
    for (int c = 0; c < 4; ++c)
        m_table->resizeColumnToContents(c);
    // A pool filling or draining is looked at again shortly, while the page shows it.
    const bool moving = std::any_of(pools.begin(), pools.end(), [](const app::WarmPool& p) {
        return p.currentSize != p.pool && p.errorReason.isEmpty();
    });
    if (moving && isVisible())
        QTimer::singleShot(kFollowMs, this, &WarmPoolsBox::refresh);
}

void WarmPoolsBox::answered(const app::ApiError* error) {
    kit::showMessage(m_message, error ? error->text : QString());
    refresh();
}

void WarmPoolsBox::addPool() {
    app::SnapshotsApi snapshots(m_client);
    snapshots.list(200, this, [this](const app::Result<QList<app::Snapshot>>& r) {
        if (!r.ok())
            return kit::showMessage(m_message, r.error().text);
        QStringList names;
        for (const app::Snapshot& s : r.value())
            if (s.state == QLatin1String("active"))
                names << s.name;
        bool ok = false;
        const QString snapshot =
            QInputDialog::getItem(this, tr("Add warm pool"), tr("&Snapshot:"), names, 0, false, &ok);
        if (!ok || snapshot.isEmpty())
            return;
        const int size = QInputDialog::getInt(this, tr("Add warm pool"), tr("Warm sandboxes to keep &ready:"),
                                              1, 0, kMaxPoolSize, 1, &ok);
        if (!ok)
            return;
        m_api.create(snapshot, size, this, [this](const app::Result<app::WarmPool>& c) {
            answered(c.ok() ? nullptr : &c.error());
        });
    });
}

void WarmPoolsBox::editSelected() {
    const int row = selected();
    if (row < 0 || row >= m_pools.size())
        return;
    const app::WarmPool p = m_pools[row];
    bool ok = false;
    const int size =
        QInputDialog::getInt(this, tr("Edit warm pool size"),
                             tr("Warm sandboxes of %1 to keep &ready (0 empties the pool):").arg(p.snapshot),
                             p.pool, 0, kMaxPoolSize, 1, &ok);
    if (!ok)
        return;
    m_api.resize(p.id, size, this,
                 [this](const app::Result<app::WarmPool>& r) { answered(r.ok() ? nullptr : &r.error()); });
}

void WarmPoolsBox::deleteSelected() {
    const int row = selected();
    if (row < 0 || row >= m_pools.size())
        return;
    const app::WarmPool p = m_pools[row];
    if (!kit::confirm(this, tr("Delete warm pool"),
                      tr("Delete the warm pool of %1? Its %2 ready sandboxes are removed; sandboxes already "
                         "created from it stay.")
                          .arg(p.snapshot)
                          .arg(p.currentSize)))
        return;
    m_api.remove(p.id, this,
                 [this](const app::Result<app::Done>& r) { answered(r.ok() ? nullptr : &r.error()); });
}

} // namespace cove::ui
