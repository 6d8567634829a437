// Listing and changes go through ApiClient; uploads and downloads through app::Transfer for progress.
#include "ui/pages/sandboxes/detail/FilesTab.h"

#include "app/ApiClient.h"
#include "app/Transfer.h"
#include "ui/pages/sandboxes/detail/FileListModel.h"
#include "ui/widgets/PageKit.h"

#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QTableView>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace cove::ui::detail {

namespace {
// The progress bar counts per mille: file sizes do not fit an int.
constexpr int kProgressScale = 1000;

QString query(const QString& path) {
    return QString::fromLatin1(QUrl::toPercentEncoding(path));
}

QString parentOf(const QString& path) {
    const int slash = path.lastIndexOf(QLatin1Char('/'));
    return slash <= 0 ? QStringLiteral("/") : path.left(slash);
}

// A name for a new entry: not empty, not "." or "..", no slash.
bool validName(const QString& name) {
    return !name.isEmpty() && name != QLatin1String(".") && name != QLatin1String("..") &&
           !name.contains(QLatin1Char('/'));
}
} // namespace

FilesTab::FilesTab(app::ApiClient* client, QWidget* parent, Target target)
    : DetailTab(client, parent)
    , m_target(target)
    , m_model(new FileListModel(this))
    , m_view(new QTableView(this))
    , m_pathEdit(new QLineEdit(this))
    , m_up(new QToolButton(this))
    , m_upload(new QPushButton(this))
    , m_download(new QPushButton(this))
    , m_newFolder(new QPushButton(this))
    , m_rename(new QPushButton(this))
    , m_delete(new QPushButton(this))
    , m_message(kit::messageLine(this))
    , m_transferRow(new QWidget(this))
    , m_transferLabel(new QLabel(m_transferRow))
    , m_progress(new QProgressBar(m_transferRow))
    , m_cancel(new QPushButton(m_transferRow)) {
    m_up->setIcon(style()->standardIcon(QStyle::SP_FileDialogToParent));
    m_up->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Up));
    connect(m_pathEdit, &QLineEdit::returnPressed, this, [this] { openPath(m_pathEdit->text().trimmed()); });
    connect(m_up, &QToolButton::clicked, this, &FilesTab::goUp);

    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(FileListModel::Name, QHeaderView::Stretch);
    m_view->setAcceptDrops(true);
    m_view->viewport()->setAcceptDrops(true);
    m_view->viewport()->installEventFilter(this);
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex& index) {
        if (m_model->data(index, FileListModel::IsDirRole).toBool())
            openPath(remotePathOf(m_model->entry(index.row()).name));
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &FilesTab::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &FilesTab::updateActions);

    connect(m_upload, &QPushButton::clicked, this, &FilesTab::chooseUploads);
    connect(m_download, &QPushButton::clicked, this, &FilesTab::chooseDownload);
    connect(m_newFolder, &QPushButton::clicked, this, &FilesTab::askNewFolder);
    connect(m_rename, &QPushButton::clicked, this, &FilesTab::askRename);
    connect(m_delete, &QPushButton::clicked, this, &FilesTab::askDelete);
    auto* del = new QShortcut(QKeySequence::Delete, m_view);
    connect(del, &QShortcut::activated, this, &FilesTab::askDelete);
    if (target == Target::Sandbox) {
        auto* f2 = new QShortcut(QKeySequence(Qt::Key_F2), m_view);
        connect(f2, &QShortcut::activated, this, &FilesTab::askRename);
    } else {
        m_rename->hide(); // the volume file API has no move
    }

    m_progress->setRange(0, kProgressScale);
    connect(m_cancel, &QPushButton::clicked, this, &FilesTab::cancelTransfer);
    auto* transfer = new QHBoxLayout(m_transferRow);
    transfer->setContentsMargins(0, 0, 0, 0);
    transfer->addWidget(m_transferLabel, 1);
    transfer->addWidget(m_progress, 1);
    transfer->addWidget(m_cancel);
    m_transferRow->hide();

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_up);
    bar->addWidget(m_pathEdit, 1);
    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {m_upload, m_download, m_newFolder, m_rename, m_delete})
        buttons->addWidget(b);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addLayout(buttons);
    layout->addWidget(m_message);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_transferRow);
    updateActions();
    retranslateUi();
}

void FilesTab::retranslateUi() {
    m_up->setToolTip(tr("Up to the parent folder (Alt+Up)"));
    m_up->setAccessibleName(tr("Up"));
    m_pathEdit->setAccessibleName(tr("Folder"));
    m_pathEdit->setPlaceholderText(m_target == Target::Volume ? tr("Folder in the volume, e.g. /datasets")
                                                              : tr("Folder in the sandbox, e.g. /home/cove"));
    m_upload->setText(tr("&Upload…"));
    m_download->setText(tr("Do&wnload…"));
    m_newFolder->setText(tr("New &folder…"));
    m_rename->setText(tr("Re&name…"));
    m_delete->setText(tr("&Delete"));
    m_view->setAccessibleName(tr("Files"));
    m_view->setToolTip(tr("Double-click a folder to open it; drop files here to upload them."));
    m_progress->setAccessibleName(tr("Transfer progress"));
    m_cancel->setText(tr("&Cancel transfer"));
    m_model->retranslate();
}

void FilesTab::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    DetailTab::changeEvent(event);
}

QString FilesTab::filesBase() const {
    return m_target == Target::Volume ? QStringLiteral("/api/volumes/") + m_id : toolboxPath({});
}

QString FilesTab::message() const {
    return m_message->isHidden() ? QString() : m_message->text();
}

QString FilesTab::remotePathOf(const QString& name) const {
    return m_path.endsWith(QLatin1Char('/')) ? m_path + name : m_path + QLatin1Char('/') + name;
}

void FilesTab::sandboxChanged() {
    cancelTransfer();
    m_queue.clear();
    m_path.clear();
    m_pathEdit->clear();
    m_model->clear();
    m_message->hide();
}

void FilesTab::refresh() {
    if (m_id.isEmpty())
        return;
    if (m_path.isEmpty() && m_target == Target::Volume) {
        openPath(QStringLiteral("/"));
        return;
    }
    if (m_path.isEmpty()) {
        // Start where commands run: the sandbox's working folder.
        const QString id = m_id;
        m_client->get(toolboxPath(QStringLiteral("/work-dir")), this, [this, id](const app::ApiResult& r) {
            if (id != m_id || !m_path.isEmpty())
                return;
            const QString dir = r.json.object().value(QStringLiteral("dir")).toString();
            if (!r.ok || dir.isEmpty()) {
                showError(tr("Cannot reach the sandbox's files: %1 Start the sandbox, then press F5.")
                              .arg(r.error));
                return;
            }
            openPath(dir);
        });
        return;
    }
    openPath(m_path);
}

void FilesTab::openPath(const QString& path) {
    if (m_id.isEmpty() || path.isEmpty())
        return;
    const QString id = m_id;
    m_loading = true;
    m_client->get(filesBase() + QStringLiteral("/files?path=") + query(path), this,
                  [this, id, path](const app::ApiResult& r) {
                      if (id != m_id)
                          return;
                      m_loading = false;
                      if (!r.ok) {
                          m_pathEdit->setText(m_path);
                          showError(
                              r.status != 404 ? tr("Cannot list %1: %2").arg(path, r.error)
                              : m_target == Target::Volume
                                  ? tr("There is no folder %1 in the volume. Check the path.").arg(path)
                                  : tr("There is no folder %1 in the sandbox. Check the path.").arg(path));
                          return;
                      }
                      m_message->hide();
                      m_path = QDir::cleanPath(path);
                      m_pathEdit->setText(m_path);
                      m_model->setEntries(r.json.array());
                      emit listed();
                  });
}

void FilesTab::goUp() {
    if (!m_path.isEmpty() && m_path != QLatin1String("/"))
        openPath(parentOf(m_path));
}

void FilesTab::showError(const QString& text) {
    kit::showMessage(m_message, text);
}

QStringList FilesTab::selectedNames() const {
    QStringList names;
    for (const QModelIndex& i : m_view->selectionModel()->selectedRows())
        names << m_model->entry(i.row()).name;
    return names;
}

void FilesTab::updateActions() {
    const QStringList sel = selectedNames();
    const bool oneFile = sel.size() == 1 && !m_model->entry(m_model->rowOf(sel.first())).isDir;
    const bool ready = !m_path.isEmpty();
    m_upload->setEnabled(ready);
    m_newFolder->setEnabled(ready);
    m_download->setEnabled(oneFile && !busy());
    m_rename->setEnabled(sel.size() == 1 && m_target == Target::Sandbox);
    m_delete->setEnabled(!sel.isEmpty());
    m_up->setEnabled(ready && m_path != QLatin1String("/"));
}

// --- transfers ---

void FilesTab::chooseUploads() {
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Upload files to %1").arg(m_path));
    if (!files.isEmpty())
        upload(files);
}

void FilesTab::upload(const QStringList& localFiles) {
    QStringList skipped;
    for (const QString& f : localFiles) {
        if (QFileInfo(f).isDir())
            skipped << QFileInfo(f).fileName();
        else
            m_queue << f;
    }
    if (!skipped.isEmpty())
        showError(tr("Folders are not uploaded (%1); drop or choose the files inside them.")
                      .arg(skipped.join(QStringLiteral(", "))));
    m_queueTotal = int(m_queue.size()) + (busy() ? 1 : 0);
    if (!busy())
        startNextUpload();
}

void FilesTab::startNextUpload() {
    if (m_queue.isEmpty() || m_path.isEmpty())
        return;
    const QString local = m_queue.takeFirst();
    const QString remote = remotePathOf(QFileInfo(local).fileName());
    const int number = m_queueTotal - int(m_queue.size());
    const QString what =
        m_queueTotal > 1
            ? tr("Uploading %1 (%2 of %3)").arg(QFileInfo(local).fileName()).arg(number).arg(m_queueTotal)
            : tr("Uploading %1").arg(QFileInfo(local).fileName());
    track(app::Transfer::upload(m_client, filesBase(), local, remote, this), what);
}

void FilesTab::chooseDownload() {
    const QStringList sel = selectedNames();
    if (sel.size() != 1)
        return;
    const QString target = QFileDialog::getSaveFileName(this, tr("Save %1 as").arg(sel.first()),
                                                        QDir::home().filePath(sel.first()));
    if (!target.isEmpty())
        download(sel.first(), target);
}

void FilesTab::download(const QString& name, const QString& localFile) {
    if (busy()) {
        showError(tr("Another transfer is running; wait for it or cancel it."));
        return;
    }
    track(app::Transfer::download(m_client, filesBase(), remotePathOf(name), localFile, this),
          tr("Downloading %1").arg(name));
}

void FilesTab::track(app::Transfer* t, const QString& what) {
    m_transfer = t;
    m_transferLabel->setText(what);
    m_progress->setValue(0);
    m_transferRow->show();
    updateActions();
    connect(t, &app::Transfer::progress, this, [this](qint64 done, qint64 total) {
        if (total > 0)
            m_progress->setValue(int(done * kProgressScale / total));
        else
            m_progress->setRange(0, 0); // size unknown: busy indicator
        emit transferProgress(done, total);
    });
    connect(t, &app::Transfer::finished, this, [this, t](bool ok, const QString& error) {
        t->deleteLater();
        m_transfer = nullptr;
        m_progress->setRange(0, kProgressScale);
        const bool upload = t->direction() == app::Transfer::Direction::Upload;
        if (ok) {
            m_progress->setValue(kProgressScale);
        } else {
            m_queue.clear();
            showError(upload ? tr("Uploading %1 failed: %2").arg(QFileInfo(t->localFile()).fileName(), error)
                             : tr("Downloading %1 failed: %2").arg(t->remotePath(), error));
        }
        emit transferFinished(ok, error);
        if (upload && ok && !m_queue.isEmpty()) {
            startNextUpload();
            return;
        }
        m_transferRow->setVisible(false);
        updateActions();
        if (upload)
            refresh();
    });
}

void FilesTab::cancelTransfer() {
    m_queue.clear();
    if (m_transfer)
        m_transfer->abort();
}

bool FilesTab::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_view->viewport()) {
        if (event->type() == QEvent::DragEnter || event->type() == QEvent::DragMove) {
            auto* e = static_cast<QDropEvent*>(event);
            if (e->mimeData()->hasUrls() && !m_path.isEmpty()) {
                e->acceptProposedAction();
                return true;
            }
        } else if (event->type() == QEvent::Drop) {
            auto* e = static_cast<QDropEvent*>(event);
            QStringList files;
            for (const QUrl& u : e->mimeData()->urls())
                if (u.isLocalFile())
                    files << u.toLocalFile();
            if (!files.isEmpty()) {
                e->acceptProposedAction();
                upload(files);
            }
            return true;
        }
    }
    return DetailTab::eventFilter(watched, event);
}

// --- changes ---

void FilesTab::mutate(const QByteArray& verb, const QString& path, const QString& failure) {
    auto done = [this, failure, id = m_id](const app::ApiResult& r) {
        if (id != m_id)
            return;
        if (!r.ok)
            showError(failure.arg(r.error));
        else
            m_message->hide();
        refresh();
        emit changed(r.ok);
    };
    if (verb == "DELETE")
        m_client->del(path, this, done);
    else
        m_client->post(path, {}, this, done);
}

void FilesTab::askNewFolder() {
    bool ok = false;
    const QString name =
        QInputDialog::getText(this, tr("New folder"), tr("Name of the new folder in %1:").arg(m_path),
                              QLineEdit::Normal, {}, &ok)
            .trimmed();
    if (ok)
        createFolder(name);
}

void FilesTab::createFolder(const QString& name) {
    if (!validName(name)) {
        showError(tr("\"%1\" is not a folder name: use a name without \"/\" that is not \".\" or \"..\".")
                      .arg(name));
        return;
    }
    mutate("POST", filesBase() + QStringLiteral("/files/folder?mode=755&path=") + query(remotePathOf(name)),
           tr("Creating the folder failed: %1"));
}

void FilesTab::askRename() {
    const QStringList sel = selectedNames();
    if (sel.size() != 1)
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename"), tr("New name for %1:").arg(sel.first()),
                                               QLineEdit::Normal, sel.first(), &ok)
                             .trimmed();
    if (ok && name != sel.first())
        renameEntry(sel.first(), name);
}

void FilesTab::renameEntry(const QString& from, const QString& to) {
    if (!validName(to)) {
        showError(
            tr("\"%1\" is not a valid name: use a name without \"/\" that is not \".\" or \"..\".").arg(to));
        return;
    }
    if (m_model->rowOf(to) >= 0) {
        showError(tr("%1 already exists here; choose another name or delete it first.").arg(to));
        return;
    }
    if (m_target == Target::Volume)
        return;
    mutate("POST",
           filesBase() + QStringLiteral("/files/move?source=") + query(remotePathOf(from)) +
               QStringLiteral("&destination=") + query(remotePathOf(to)),
           tr("Renaming failed: %1"));
}

void FilesTab::askDelete() {
    const QStringList sel = selectedNames();
    if (!sel.isEmpty())
        deleteEntries(sel);
}

void FilesTab::deleteEntries(const QStringList& names) {
    if (names.isEmpty())
        return;
    bool folders = false;
    for (const QString& n : names)
        folders = folders || (m_model->rowOf(n) >= 0 && m_model->entry(m_model->rowOf(n)).isDir);
    const bool volume = m_target == Target::Volume;
    QString text = names.size() != 1 ? tr("Delete these %1 entries from %2?\n%3")
                                           .arg(names.size())
                                           .arg(m_path, names.join(QLatin1Char('\n')))
                   : volume ? tr("Delete %1 from the volume?").arg(remotePathOf(names.first()))
                            : tr("Delete %1 from the sandbox?").arg(remotePathOf(names.first()));
    if (folders)
        text += QLatin1Char('\n') + tr("Folders are deleted with everything in them.");
    text += QLatin1Char('\n') + tr("This cannot be undone.");
    if (!kit::confirm(this, tr("Delete files"), text))
        return;
    for (const QString& n : names)
        mutate("DELETE", filesBase() + QStringLiteral("/files?recursive=true&path=") + query(remotePathOf(n)),
               tr("Deleting %1 failed: %2").arg(n, QStringLiteral("%1")));
}

} // namespace cove::ui::detail
