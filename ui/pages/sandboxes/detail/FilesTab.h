// Files: a browser over the sandbox's toolbox file API — navigate, upload (button or drag and drop, with
// progress, streamed from disk), download with progress, new folder, rename, delete after confirmation.
// The same browser shows a volume's files (coved's /api/volumes/{id}/files, no sandbox needed); volumes
// have no move, so there is no rename there.
#pragma once

#include "app/Transfer.h"
#include "ui/pages/sandboxes/detail/DetailTab.h"

#include <QPointer>
#include <QStringList>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QToolButton;

namespace cove::ui::detail {

class FileListModel;

class FilesTab : public DetailTab {
    Q_OBJECT
public:
    enum class Target { Sandbox, Volume };
    explicit FilesTab(app::ApiClient* client, QWidget* parent = nullptr, Target target = Target::Sandbox);

    Target target() const { return m_target; }
    // For Target::Volume: the volume shown (empty: none).
    void setVolume(const QString& volumeId) { setSandbox(volumeId); }

    QString currentPath() const { return m_path; }
    FileListModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QProgressBar* progressBar() const { return m_progress; }
    QString message() const;
    bool busy() const { return m_transfer != nullptr; }
    // The full path of an entry of the current folder.
    QString remotePathOf(const QString& name) const;

public slots:
    void refresh() override;
    void openPath(const QString& path);
    void goUp();
    // What a drop and the Upload button do: each file into the current folder, one after the other.
    void upload(const QStringList& localFiles);
    void download(const QString& name, const QString& localFile);
    void createFolder(const QString& name);
    void renameEntry(const QString& from, const QString& to);
    // Asks first; does nothing when the user declines.
    void deleteEntries(const QStringList& names);
    void cancelTransfer();

signals:
    void listed();
    void transferProgress(qint64 done, qint64 total);
    void transferFinished(bool ok, const QString& error);
    void changed(bool ok); // after a folder create, rename or delete was answered

protected:
    void sandboxChanged() override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void chooseUploads();
    void chooseDownload();
    void askNewFolder();
    void askRename();
    void askDelete();
    QStringList selectedNames() const;
    void startNextUpload();
    void track(app::Transfer* t, const QString& what);
    void showError(const QString& text);
    void mutate(const QByteArray& verb, const QString& path, const QString& failure);
    void updateActions();
    // "/toolbox/{id}" or "/api/volumes/{id}": where the file API of what is shown lives.
    QString filesBase() const;

    Target m_target;
    FileListModel* m_model;
    QTableView* m_view;
    QLineEdit* m_pathEdit;
    QToolButton* m_up;
    QPushButton* m_upload;
    QPushButton* m_download;
    QPushButton* m_newFolder;
    QPushButton* m_rename;
    QPushButton* m_delete;
    QLabel* m_message;
    QWidget* m_transferRow;
    QLabel* m_transferLabel;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    QString m_path;
    QStringList m_queue;
    int m_queueTotal = 0;
    QPointer<app::Transfer> m_transfer;
    bool m_loading = false;
};

} // namespace cove::ui::detail
