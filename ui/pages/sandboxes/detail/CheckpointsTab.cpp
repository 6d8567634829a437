// The list is read when the tab is shown and after each change; a change runs one at a time.
#include "ui/pages/sandboxes/detail/CheckpointsTab.h"

#include "ui/pages/sandboxes/detail/ActionDialogs.h"
#include "ui/widgets/JsonTableModel.h"
#include "ui/widgets/PageKit.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cove::ui::detail {

namespace {
enum Column { Name, Created, Id, ColumnCount };
} // namespace

CheckpointsTab::CheckpointsTab(app::ApiClient* client, QWidget* parent)
    : DetailTab(client, parent)
    , m_api(client)
    , m_intro(new QLabel(this))
    , m_create(new QPushButton(this))
    , m_rollback(new QPushButton(this))
    , m_delete(new QPushButton(this))
    , m_progress(kit::busyBar(this))
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_status(new kit::StatusLine(this))
    , m_message(kit::messageLine(this)) {
    m_intro->setWordWrap(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->resizeSection(Name, fontMetrics().averageCharWidth() * 28);
    m_table->horizontalHeader()->resizeSection(Created, fontMetrics().averageCharWidth() * 40);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &CheckpointsTab::updateButtons);
    connect(m_create, &QPushButton::clicked, this, &CheckpointsTab::createCheckpoint);
    connect(m_rollback, &QPushButton::clicked, this, &CheckpointsTab::rollBackSelected);
    connect(m_delete, &QPushButton::clicked, this, &CheckpointsTab::deleteSelected);

    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {m_create, m_rollback, m_delete})
        buttons->addWidget(b);
    buttons->addWidget(m_progress);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    layout->addWidget(m_message);
    layout->addWidget(m_table, 1);
    retranslateUi();
    updateButtons();
}

void CheckpointsTab::retranslateUi() {
    m_intro->setText(tr("A checkpoint keeps the sandbox's files as they are now. Rolling back to one puts "
                        "them back; a running sandbox's processes restart."));
    m_create->setText(tr("Cr&eate…"));
    m_rollback->setText(tr("Roll &back…"));
    m_delete->setText(tr("&Remove…"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Created"), tr("ID")});
    m_table->setAccessibleName(tr("Checkpoints"));
    m_status->retranslate();
    fill(); // the dates are said in words of the language
}

void CheckpointsTab::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    DetailTab::changeEvent(event);
}

QString CheckpointsTab::message() const {
    return m_message->isHidden() ? QString() : m_message->text();
}

QString CheckpointsTab::status() const {
    return m_status->shown();
}

void CheckpointsTab::sandboxChanged() {
    m_checkpoints.clear();
    m_loading = false; // a read of the previous sandbox still under way is dropped when it answers
    fill();
    m_status->say(nullptr);
    kit::showMessage(m_message, {});
}

void CheckpointsTab::refresh() {
    if (m_loading || m_id.isEmpty())
        return;
    m_loading = true;
    const QString id = m_id;
    m_api.list(id, this, [this, id](const app::Result<QList<app::Checkpoint>>& r) {
        if (id != m_id)
            return;
        m_loading = false;
        if (!r.ok())
            return kit::showMessage(m_message,
                                    tr("The checkpoints could not be read: %1").arg(r.error().text));
        m_checkpoints = r.value();
        fill();
    });
}

void CheckpointsTab::fill() {
    const QString current = selected() ? selected()->id : QString();
    m_table->setRowCount(int(m_checkpoints.size()));
    for (int row = 0; row < m_checkpoints.size(); ++row) {
        const app::Checkpoint& c = m_checkpoints.at(row);
        auto* created = new QTableWidgetItem(JsonTableModel::when(c.createdAt));
        created->setToolTip(c.createdAt);
        m_table->setItem(row, Name, new QTableWidgetItem(c.name));
        m_table->setItem(row, Created, created);
        m_table->setItem(row, Id, new QTableWidgetItem(c.id));
        if (c.id == current)
            m_table->selectRow(row);
    }
    updateButtons();
}

const app::Checkpoint* CheckpointsTab::selected() const {
    const QList<QTableWidgetItem*> items = m_table->selectedItems();
    const int row = items.isEmpty() ? -1 : items.first()->row();
    return row >= 0 && row < m_checkpoints.size() ? &m_checkpoints.at(row) : nullptr;
}

void CheckpointsTab::updateButtons() {
    m_create->setEnabled(!m_busy && !m_id.isEmpty());
    m_rollback->setEnabled(!m_busy && selected());
    m_delete->setEnabled(!m_busy && selected());
}

void CheckpointsTab::setBusy(bool on, const std::function<QString()>& doing) {
    m_busy = on;
    m_progress->setVisible(on);
    if (on) {
        kit::showMessage(m_message, {});
        m_status->say(doing);
    }
    updateButtons();
}

bool CheckpointsTab::finished(const app::ApiError* error, const QString& failed,
                              const std::function<QString()>& done) {
    setBusy(false);
    if (error) {
        m_status->say(nullptr);
        kit::showMessage(m_message, failed.arg(error->text));
        return false;
    }
    m_status->say(done);
    refresh();
    return true;
}

void CheckpointsTab::createCheckpoint() {
    if (m_dialog)
        return m_dialog->activateWindow();
    const QString id = m_id;
    m_dialog = new NameDialog(
        tr("Create checkpoint"),
        tr("The sandbox's files as they are now, kept under this name to roll back to later."), tr("&Create"),
        true, kMaxCheckpointName,
        [this, id](const QString& name, const NameDialog::Answer& answer) {
            m_api.create(id, name, m_dialog, [answer](const app::Result<app::Checkpoint>& r) {
                answer(r.ok() ? nullptr : &r.error());
            });
        },
        this);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &QDialog::accepted, this, [this] {
        m_status->say([] { return tr("The checkpoint was made."); });
        refresh();
    });
    m_dialog->open();
}

void CheckpointsTab::rollBackSelected() {
    const app::Checkpoint* c = selected();
    if (!c || !kit::confirm(this, tr("Roll back"),
                            tr("Put the sandbox's files back as they were at the checkpoint \"%1\"? Changes "
                               "made since are lost, and if the sandbox runs, its processes restart.")
                                .arg(c->name)))
        return;
    const QString name = c->name;
    setBusy(true, [name] { return tr("Rolling back to \"%1\"…").arg(name); });
    m_api.rollback(m_id, c->id, this, [this, name](const app::Result<app::Sandbox>& r) {
        if (finished(r.ok() ? nullptr : &r.error(), tr("Nothing was rolled back: %1"),
                     [name] { return tr("The sandbox's files are back as they were at \"%1\".").arg(name); }))
            emit rolledBack();
    });
}

void CheckpointsTab::deleteSelected() {
    const app::Checkpoint* c = selected();
    if (!c ||
        !kit::confirm(
            this, tr("Remove checkpoint"),
            tr("Remove the checkpoint \"%1\"? The sandbox can no longer be rolled back to it.").arg(c->name)))
        return;
    const QString name = c->name;
    setBusy(true, [name] { return tr("Removing \"%1\"…").arg(name); });
    m_api.remove(m_id, c->id, this, [this, name](const app::Result<app::Done>& r) {
        finished(r.ok() ? nullptr : &r.error(), tr("The checkpoint was not removed: %1"),
                 [name] { return tr("The checkpoint \"%1\" was removed.").arg(name); });
    });
}

} // namespace cove::ui::detail
