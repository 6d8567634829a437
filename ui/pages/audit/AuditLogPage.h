// The Audit Logs page: newest first, filtered by action, outcome and target, paged with "Load more",
// and exported as CSV.
#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace cove::app {
class ApiClient;
}

namespace cove::ui {

class JsonTableModel;

class AuditLogPage : public QWidget {
    Q_OBJECT
public:
    explicit AuditLogPage(app::ApiClient* client, QWidget* parent = nullptr);
    JsonTableModel* model() const { return m_model; }
    QString query() const; // the filters as a query string

public slots:
    void refresh();
    void loadMore();
    // Writes every entry the filters match, as the service exports them (format csv or json).
    void exportLog(const QString& format, const QString& fileName = {});
    // A new entry from the event channel: shown at the top while Live is on and no filter is set.
    void addLive(const QJsonObject& entry);
    // The whole entry of `row`, in a dialog.
    void showDetails(int row);

private:
    void load(bool append);

    app::ApiClient* m_client;
    JsonTableModel* m_model;
    QTableView* m_view;
    QComboBox* m_action;
    QComboBox* m_outcome;
    QLineEdit* m_target;
    QPushButton* m_more;
    QCheckBox* m_live;
    QLabel* m_count;
    QLabel* m_message;
    QString m_nextToken;
};

} // namespace cove::ui
