// The Sandboxes page: the live list of sandboxes (one load when the event channel connects or on F5, then
// events), filters, actions on several sandboxes at once, the create dialog and room for a detail pane.
#pragma once

#include "app/Sandbox.h"
#include "app/SandboxesApi.h"

#include <QJsonObject>
#include <QPointer>
#include <QVector>
#include <QWidget>

#include <functional>

class QAction;
class QComboBox;
class QFrame;
class QLabel;
class QLineEdit;
class QPushButton;
class QSplitter;
class QTableView;
class QToolButton;

namespace cove::app {
class SandboxModel;
class ApiClient;
} // namespace cove::app

namespace cove::ui {

namespace kit {
class StatusLine;
}

class CreateSandboxDialog;
class SandboxFilterProxy;

class SandboxesPage : public QWidget {
    Q_OBJECT
public:
    enum class Bulk { Start, Stop, Archive, Delete };

    explicit SandboxesPage(app::ApiClient* client, QWidget* parent = nullptr);

    app::SandboxModel* model() const { return m_model; }
    SandboxFilterProxy* proxy() const { return m_proxy; }
    QTableView* view() const { return m_view; }
    // The open create dialog, if any.
    CreateSandboxDialog* createDialog() const;
    // Puts `w` (the detail pane) beside the table; the page takes it over.
    void setDetailWidget(QWidget* w);
    // The bulk actions, enabled for what the selection allows.
    QAction* startAction() const { return m_start; }
    QAction* stopAction() const { return m_stop; }
    QAction* archiveAction() const { return m_archive; }
    // Off when the window around the page has a banner of its own for the connection.
    void setBannerEnabled(bool on) { m_bannerEnabled = on; }
    QWidget* detailWidget() const { return m_detail; }

    QStringList selectedIds() const;
    // Selects the rows of these sandboxes (by id).
    void selectIds(const QStringList& ids);
    // The error line and the information line, as shown.
    QString message() const;
    QString status() const;
    bool bannerShown() const;
    QString bannerText() const;
    // Completed list loads since the page was made.
    int loads() const { return m_loads; }

public slots:
    // Reads the whole list again (F5); events keep it current afterwards.
    void refresh();
    void createSandbox();
    void startSelected() { runBulk(Bulk::Start); }
    void stopSelected() { runBulk(Bulk::Stop); }
    void archiveSelected() { runBulk(Bulk::Archive); }
    void deleteSelected() { runBulk(Bulk::Delete); }

protected:
    void changeEvent(QEvent* event) override;

signals:
    void sandboxSelected(const QString& id);
    // A list load finished and the table holds it.
    void loaded();
    // Every sandbox of a bulk action has answered.
    void bulkFinished(const QString& summary);

private:
    void retranslateUi();
    void load();
    void loadPage(const QString& cursor);
    void finishLoad();
    void onEvent(const QString& name, const QJsonValue& payload);
    void applyEvent(const QString& name, const QJsonValue& payload);
    void runBulk(Bulk action);
    void updateActions();
    void openSshAccess();
    void updateStateButton();
    void refreshSnapshotChoices();
    void showBanner(const QString& reason);

    app::ApiClient* m_client;
    app::SandboxesApi m_api;
    app::SandboxModel* m_model;
    SandboxFilterProxy* m_proxy;
    QTableView* m_view;
    QSplitter* m_splitter;
    QWidget* m_detailHost;
    QPointer<QWidget> m_detail;
    QLineEdit* m_filter;
    QLineEdit* m_labelFilter;
    QComboBox* m_snapshotFilter;
    QToolButton* m_stateFilter;
    QFrame* m_banner;
    QLabel* m_bannerText;
    QLabel* m_message;
    kit::StatusLine* m_status;
    QLabel* m_title;
    QPushButton* m_retry;
    QAction* m_create;
    QAction* m_start;
    QAction* m_stop;
    QAction* m_archive;
    QAction* m_delete;
    QAction* m_openTerminal;
    QAction* m_openDesktop;
    QAction* m_sshAccess;
    QAction* m_allStates = nullptr;
    QString m_bannerReason;
    QPointer<CreateSandboxDialog> m_createDialog;

    bool m_loading = false;
    bool m_reloadAfter = false;
    bool m_snapshotChoicesDirty = false;
    bool m_emptyHint = false;
    int m_loads = 0;
    QList<app::Sandbox> m_loadingItems;
    // Events that arrived while a load was under way: applied again on top of the loaded list.
    QVector<QPair<QString, QJsonValue>> m_pendingEvents;
    bool m_bannerEnabled = true;
};

} // namespace cove::ui
