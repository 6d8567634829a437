// The Audit Logs page: newest first, filtered by action, outcome and target, paged with "Load more",
// and exported as CSV or JSON.
#pragma once

#include "app/GovernanceApi.h"

#include <QColor>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace cove::app {
class ApiClient;
class AuditLogModel;
} // namespace cove::app

namespace cove::ui {

class AuditLogPage : public QWidget {
    Q_OBJECT
public:
    explicit AuditLogPage(app::ApiClient* client, QWidget* parent = nullptr);
    app::AuditLogModel* model() const { return m_model; }
    app::AuditFilter filter() const;
    // The colour the Outcome column shows an entry in: red for refusals and failures, green otherwise.
    static QColor outcomeColour(bool failed);

public slots:
    void refresh();
    void loadMore();
    // Writes every entry the filters match, as the service exports them (format csv or json).
    void exportLog(const QString& format, const QString& fileName = {});
    // A new entry from the event channel: shown at the top while Live is on and no filter is set.
    void addLive(const QJsonObject& entry);
    // The whole entry of `row`, in a dialog.
    void showDetails(int row);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void load(bool append);
    void showCount();

    app::AuditApi m_api;
    app::AuditLogModel* m_model;
    QTableView* m_view;
    QSortFilterProxyModel* m_proxy;
    QLabel* m_title;
    QComboBox* m_action;
    QComboBox* m_outcome;
    QLineEdit* m_target;
    QPushButton* m_export;
    QMenu* m_exportMenu;
    QPushButton* m_more;
    QCheckBox* m_live;
    QLabel* m_count;
    QLabel* m_message;
    QString m_nextToken;
    int m_total = -1; // entries the filters match, as the last page said; -1 before the first
};

} // namespace cove::ui
