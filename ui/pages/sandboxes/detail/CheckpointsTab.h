// Checkpoints: named points of the sandbox's filesystem, newest first; one can be made, rolled back to
// (the sandbox's files go back; a running sandbox's processes restart) or deleted.
#pragma once

#include "app/CheckpointsApi.h"
#include "ui/pages/sandboxes/detail/ActionDialogs.h"
#include "ui/pages/sandboxes/detail/DetailTab.h"

#include <QPointer>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace cove::ui::kit {
class StatusLine;
}

namespace cove::ui::detail {

class CheckpointsTab : public DetailTab {
    Q_OBJECT
public:
    explicit CheckpointsTab(app::ApiClient* client, QWidget* parent = nullptr);

    QTableWidget* table() const { return m_table; }
    const QList<app::Checkpoint>& checkpoints() const { return m_checkpoints; }
    // The create dialog while it is open.
    NameDialog* createDialog() const { return m_dialog; }
    QString message() const;
    QString status() const;
    bool isBusy() const { return m_busy; }

public slots:
    void refresh() override;
    void createCheckpoint();
    void rollBackSelected();
    void deleteSelected();

signals:
    // A rollback changed the sandbox: the page reads it again.
    void rolledBack();

protected:
    void sandboxChanged() override;
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void fill();
    void updateButtons();
    const app::Checkpoint* selected() const;
    void setBusy(bool on, const std::function<QString()>& doing = nullptr);
    // A change answered: the error in `failed`'s words, or `done` and the list read again. True on success.
    bool finished(const app::ApiError* error, const QString& failed, const std::function<QString()>& done);

    app::CheckpointsApi m_api;
    QLabel* m_intro;
    QPushButton* m_create;
    QPushButton* m_rollback;
    QPushButton* m_delete;
    QProgressBar* m_progress;
    QTableWidget* m_table;
    kit::StatusLine* m_status;
    QLabel* m_message;
    QList<app::Checkpoint> m_checkpoints;
    QPointer<NameDialog> m_dialog;
    bool m_busy = false;
    bool m_loading = false;
};

} // namespace cove::ui::detail
