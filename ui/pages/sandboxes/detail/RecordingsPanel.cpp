// Every change runs one at a time and reads the list again when it ends; Play and Download… stream the
// file to disk through app::Transfer.
#include "ui/pages/sandboxes/detail/RecordingsPanel.h"

#include "app/ApiClient.h"
#include "app/Transfer.h"
#include "ui/pages/sandboxes/detail/FileListModel.h"
#include "ui/widgets/JsonTableModel.h"
#include "ui/widgets/PageKit.h"

#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QKeySequence>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>

namespace cove::ui::detail {

namespace {
enum Column { Name, Started, Duration, Size, Status, ColumnCount };

// "demo_20261206_133000" of "<uuid>_demo_20261206_133000.mp4": the label and when, without the id.
QString displayName(const QJsonObject& r) {
    QString name = r.value(QStringLiteral("fileName")).toString();
    const QString id = r.value(QStringLiteral("id")).toString();
    if (name.startsWith(id + QLatin1Char('_')))
        name = name.mid(id.size() + 1);
    if (name.endsWith(QStringLiteral(".mp4")))
        name.chop(4);
    return name;
}
} // namespace

RecordingsPanel::RecordingsPanel(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_client(client)
    , m_title(new QLabel(this))
    , m_start(new QPushButton(this))
    , m_stop(new QPushButton(this))
    , m_play(new QPushButton(this))
    , m_download(new QPushButton(this))
    , m_delete(new QPushButton(this))
    , m_progress(kit::busyBar(this))
    , m_message(kit::messageLine(this))
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_timer(new QTimer(this)) {
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    // The name takes the room the others leave; they fit what they hold.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(Name, QHeaderView::Stretch);
    m_table->setTabKeyNavigation(false); // Tab leaves the list for the buttons
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &RecordingsPanel::updateButtons);
    connect(m_table, &QTableWidget::itemActivated, this, [this] { play(); }); // Enter or double click
    connect(m_start, &QPushButton::clicked, this, &RecordingsPanel::startRecording);
    connect(m_stop, &QPushButton::clicked, this, &RecordingsPanel::stopRecording);
    connect(m_play, &QPushButton::clicked, this, &RecordingsPanel::play);
    connect(m_download, &QPushButton::clicked, this, &RecordingsPanel::chooseDownload);
    connect(m_delete, &QPushButton::clicked, this, &RecordingsPanel::deleteSelected);
    // The letters of the tab's other buttons and of the detail's tabs are taken: Download and Delete have
    // keys of their own while the focus is in the panel.
    QAction* save = kit::action(this);
    save->setShortcut(QKeySequence::Save);
    connect(save, &QAction::triggered, this, &RecordingsPanel::chooseDownload);
    QAction* remove = kit::action(this);
    remove->setShortcut(QKeySequence::Delete);
    connect(remove, &QAction::triggered, this, &RecordingsPanel::deleteSelected);
    addActions({save, remove});
    m_timer->setInterval(kRecordingsRefreshMs);
    connect(m_timer, &QTimer::timeout, this, &RecordingsPanel::refresh);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_title);
    for (QPushButton* b : {m_start, m_stop, m_play, m_download, m_delete})
        buttons->addWidget(b);
    buttons->addWidget(m_progress);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_message);
    layout->addWidget(m_table, 1);
    retranslateUi();
    updateButtons();
}

RecordingsPanel::~RecordingsPanel() = default;

void RecordingsPanel::retranslateUi() {
    m_title->setText(tr("Recordings"));
    m_start->setText(tr("Start recordin&g"));
    m_start->setToolTip(tr("Record the desktop to a video file in the sandbox"));
    m_stop->setText(tr("Stop r&ecording"));
    m_play->setText(tr("Pla&y"));
    m_play->setToolTip(tr("Open the selected recording with this computer's video player (Enter)"));
    m_download->setText(tr("Download…"));
    m_download->setToolTip(tr("Save the selected recording on this computer (%1)")
                               .arg(QKeySequence(QKeySequence::Save).toString(QKeySequence::NativeText)));
    m_delete->setText(tr("Delete…"));
    m_delete->setToolTip(tr("Delete the selected recording from the sandbox (Del)"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Started"), tr("Duration"), tr("Size"), tr("Status")});
    m_table->setAccessibleName(tr("Recordings"));
    fill();
}

void RecordingsPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void RecordingsPanel::showEvent(QShowEvent* e) {
    m_timer->start();
    refresh();
    QWidget::showEvent(e);
}

void RecordingsPanel::hideEvent(QHideEvent* e) {
    m_timer->stop();
    QWidget::hideEvent(e);
}

QString RecordingsPanel::message() const {
    return m_message->isHidden() ? QString() : m_message->text();
}

QString RecordingsPanel::path(const QString& rest) const {
    return QStringLiteral("/toolbox/") + m_id + QStringLiteral("/computeruse/recordings") + rest;
}

void RecordingsPanel::setSandbox(const QString& id) {
    if (id == m_id)
        return;
    m_id = id;
    m_recordings = {};
    m_loading = false;
    kit::showMessage(m_message, {});
    fill();
    if (isVisible())
        refresh();
}

void RecordingsPanel::refresh() {
    if (m_loading || m_id.isEmpty())
        return;
    m_loading = true;
    const QString id = m_id;
    m_client->get(path({}), this, [this, id](const app::ApiResult& r) {
        if (id != m_id)
            return;
        m_loading = false;
        if (!r.ok)
            return kit::showMessage(m_message, tr("The recordings could not be read: %1").arg(r.error));
        QList<QJsonObject> rows;
        for (const auto& v : r.json.object().value(QStringLiteral("recordings")).toArray())
            rows << v.toObject();
        // Newest first.
        std::sort(rows.begin(), rows.end(), [](const QJsonObject& a, const QJsonObject& b) {
            return a.value(QStringLiteral("startTime")).toString() >
                   b.value(QStringLiteral("startTime")).toString();
        });
        QJsonArray list;
        for (const auto& o : rows)
            list.append(o);
        if (list != m_recordings) {
            m_recordings = list;
            fill();
        }
    });
}

void RecordingsPanel::fill() {
    const QString current = m_select.isEmpty() ? selected().value(QStringLiteral("id")).toString() : m_select;
    m_table->setRowCount(int(m_recordings.size()));
    for (int row = 0; row < m_recordings.size(); ++row) {
        const QJsonObject r = m_recordings.at(row).toObject();
        const QString status = r.value(QStringLiteral("status")).toString();
        auto* name = new QTableWidgetItem(displayName(r));
        name->setToolTip(r.value(QStringLiteral("filePath")).toString());
        auto* started = new QTableWidgetItem(JsonTableModel::when(r.value(QStringLiteral("startTime"))));
        started->setToolTip(r.value(QStringLiteral("startTime")).toString());
        const QJsonValue seconds = r.value(QStringLiteral("durationSeconds"));
        const QString duration = seconds.isDouble()
                                     ? tr("%1 s").arg(QLocale().toString(seconds.toDouble(), 'f', 1))
                                     : (status == QLatin1String("recording") ? tr("recording…") : QString());
        const QJsonValue bytes = r.value(QStringLiteral("sizeBytes"));
        const QString statusText = status == QLatin1String("recording")   ? tr("Recording")
                                   : status == QLatin1String("completed") ? tr("Completed")
                                   : status == QLatin1String("failed")    ? tr("Failed")
                                                                          : status;
        m_table->setItem(row, Name, name);
        m_table->setItem(row, Started, started);
        m_table->setItem(row, Duration, new QTableWidgetItem(duration));
        m_table->setItem(row, Size,
                         new QTableWidgetItem(bytes.isDouble()
                                                  ? FileListModel::humanSize(qint64(bytes.toDouble()))
                                                  : QString()));
        m_table->setItem(row, Status, new QTableWidgetItem(statusText));
        if (r.value(QStringLiteral("id")).toString() == current) {
            m_table->selectRow(row);
            m_select.clear();
        }
    }
    updateButtons();
}

QJsonObject RecordingsPanel::selected() const {
    const QList<QTableWidgetItem*> items = m_table->selectedItems();
    const int row = items.isEmpty() ? -1 : items.first()->row();
    return row >= 0 && row < m_recordings.size() ? m_recordings.at(row).toObject() : QJsonObject();
}

void RecordingsPanel::updateButtons() {
    const QString status = selected().value(QStringLiteral("status")).toString();
    const bool idle = !m_busy && !m_id.isEmpty();
    m_start->setEnabled(idle);
    m_stop->setEnabled(idle && status == QLatin1String("recording"));
    const bool finished = status == QLatin1String("completed") || status == QLatin1String("failed");
    m_play->setEnabled(idle && finished && !m_transfer);
    m_download->setEnabled(idle && finished && !m_transfer);
    m_delete->setEnabled(idle && finished);
    m_progress->setVisible(m_busy || m_transfer);
}

void RecordingsPanel::fail(const QString& what, int status, const QString& error) {
    if (status == 409 && error.contains(QStringLiteral("not running")))
        return kit::showMessage(
            m_message, tr("The desktop is not running. Press Start desktop above, then start recording."));
    kit::showMessage(m_message, what.arg(error));
}

void RecordingsPanel::startRecording() {
    if (m_busy || m_id.isEmpty())
        return;
    m_busy = true;
    kit::showMessage(m_message, {});
    updateButtons();
    m_client->post(path(QStringLiteral("/start")), {}, this, [this](const app::ApiResult& r) {
        m_busy = false;
        updateButtons();
        if (!r.ok)
            return fail(tr("The recording did not start: %1"), r.status, r.error);
        // The new one is selected once listed, so Stop is one key away.
        m_select = r.json.object().value(QStringLiteral("id")).toString();
        m_loading = false; // a read under way may predate it
        refresh();
    });
}

void RecordingsPanel::stopRecording() {
    const QString id = selected().value(QStringLiteral("id")).toString();
    if (m_busy || id.isEmpty())
        return;
    m_busy = true;
    kit::showMessage(m_message, {});
    updateButtons();
    m_client->post(path(QStringLiteral("/stop")), {{QStringLiteral("id"), id}}, this,
                   [this](const app::ApiResult& r) {
                       m_busy = false;
                       updateButtons();
                       if (!r.ok)
                           return fail(tr("The recording did not stop: %1"), r.status, r.error);
                       refresh();
                   });
}

void RecordingsPanel::deleteSelected() {
    const QJsonObject rec = selected();
    const QString id = rec.value(QStringLiteral("id")).toString();
    if (m_busy || id.isEmpty())
        return;
    if (!kit::confirm(
            this, tr("Delete recording"),
            tr("Delete the recording %1? Its video file is removed from the sandbox.").arg(displayName(rec))))
        return;
    m_busy = true;
    updateButtons();
    m_client->del(path(QLatin1Char('/') + id), this, [this](const app::ApiResult& r) {
        m_busy = false;
        updateButtons();
        if (!r.ok)
            return fail(tr("The recording could not be deleted: %1"), r.status, r.error);
        kit::showMessage(m_message, {});
        refresh();
    });
}

void RecordingsPanel::chooseDownload() {
    const QJsonObject rec = selected();
    if (rec.isEmpty() || m_transfer)
        return;
    const QString name = displayName(rec) + QStringLiteral(".mp4");
    const QString target = QFileDialog::getSaveFileName(this, tr("Save %1 as").arg(name),
                                                        QDir::home().filePath(name), tr("MP4 video (*.mp4)"));
    if (!target.isEmpty())
        download(rec, target, false);
}

void RecordingsPanel::downloadTo(const QString& localFile) {
    const QJsonObject rec = selected();
    if (!rec.isEmpty() && !m_transfer)
        download(rec, localFile, false);
}

void RecordingsPanel::play() {
    const QJsonObject rec = selected();
    const QString status = rec.value(QStringLiteral("status")).toString();
    if (rec.isEmpty() || m_transfer ||
        (status != QLatin1String("completed") && status != QLatin1String("failed")))
        return;
    if (!m_playDir || !m_playDir->isValid()) {
        delete m_playDir;
        m_playDir = new QTemporaryDir; // removed with the panel
    }
    if (!m_playDir->isValid())
        return kit::showMessage(m_message, tr("No temporary folder can be made to play the recording; use "
                                              "Download… and open the file yourself."));
    download(rec, m_playDir->filePath(displayName(rec) + QStringLiteral(".mp4")), true);
}

void RecordingsPanel::download(const QJsonObject& rec, const QString& localFile, bool open) {
    const QString id = rec.value(QStringLiteral("id")).toString();
    kit::showMessage(m_message, {});
    m_transfer = app::Transfer::downloadPath(
        m_client, path(QLatin1Char('/') + id + QStringLiteral("/download")), localFile, this);
    updateButtons();
    connect(m_transfer, &app::Transfer::finished, this,
            [this, localFile, open](bool ok, const QString& error) {
                m_transfer->deleteLater();
                m_transfer = nullptr;
                updateButtons();
                if (!ok) {
                    kit::showMessage(m_message, tr("The recording could not be downloaded: %1").arg(error));
                    emit downloaded({});
                    return;
                }
                emit downloaded(localFile);
                if (open && !QDesktopServices::openUrl(QUrl::fromLocalFile(localFile)))
                    kit::showMessage(m_message,
                                     tr("No application on this computer opens MP4 videos. Use Download… "
                                        "and play the file with a video player."));
            });
}

} // namespace cove::ui::detail
