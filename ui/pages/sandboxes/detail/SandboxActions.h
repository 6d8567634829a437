// The sandbox page's actions on the one sandbox it shows: pause or resume, recover, and under Actions the
// fork, backup, snapshot and each setting (size, labels, public previews, lifecycle, network). Each action
// is offered in the states the service allows it, shows progress while it runs and says what went wrong.
#pragma once

#include "app/Sandbox.h"
#include "app/SandboxesApi.h"
#include "ui/pages/sandboxes/detail/ActionDialogs.h"

#include <QPointer>
#include <QWidget>

#include <functional>

class QAction;
class QProgressBar;
class QToolButton;

namespace cove::ui::kit {
class StatusLine;
}

namespace cove::ui::detail {

class SandboxActions : public QWidget {
    Q_OBJECT
public:
    explicit SandboxActions(app::ApiClient* client, QWidget* parent = nullptr);

    // The sandbox as last read; the actions follow its state.
    void setSandbox(const app::Sandbox& sandbox);
    const app::Sandbox& sandbox() const { return m_sandbox; }

    QAction* pauseAction() const { return m_pause; }
    QAction* resumeAction() const { return m_resume; }
    QAction* recoverAction() const { return m_recover; }
    QAction* forkAction() const { return m_fork; }
    QAction* backupAction() const { return m_backup; }
    QAction* snapshotAction() const { return m_snapshot; }
    QAction* resizeAction() const { return m_resize; }
    QAction* labelsAction() const { return m_labels; }
    QAction* publicAction() const { return m_public; }
    QAction* lifecycleAction() const { return m_lifecycle; }
    QAction* networkAction() const { return m_network; }
    QToolButton* menuButton() const { return m_more; }
    // The dialog an action opened, while it is open.
    ActionDialog* dialog() const { return m_dialog; }
    // The line under the actions: what is under way or what happened; the error line.
    QString status() const;
    QString message() const;
    bool isBusy() const { return m_busy; }

signals:
    // The sandbox changed: the page reads it again.
    void changed();
    // The user asked to see another sandbox (a fork just made).
    void openSandbox(const QString& id);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void updateActions();
    // Runs a call without a dialog: the progress says `doing`, then `done` or the error.
    using Call = std::function<void(const std::function<void(const app::ApiError*)>& answer)>;
    void run(const std::function<QString()>& doing, const std::function<QString()>& done, const Call& call);
    void openDialog(ActionDialog* dialog, const std::function<QString()>& done);
    void pause();
    void resume();
    void recover();
    void fork();
    void backup();
    void snapshot();
    void togglePublic(bool on);

    app::SandboxesApi m_api;
    app::Sandbox m_sandbox;
    QAction* m_pause;
    QAction* m_resume;
    QAction* m_recover;
    QAction* m_fork;
    QAction* m_backup;
    QAction* m_snapshot;
    QAction* m_resize;
    QAction* m_labels;
    QAction* m_public;
    QAction* m_lifecycle;
    QAction* m_network;
    QToolButton* m_pauseButton;
    QToolButton* m_resumeButton;
    QToolButton* m_recoverButton;
    QToolButton* m_more;
    QProgressBar* m_progress;
    kit::StatusLine* m_status;
    QLabel* m_message;
    QPointer<ActionDialog> m_dialog;
    bool m_busy = false;
};

} // namespace cove::ui::detail
