// The Webhooks page: the organization's endpoints (add, edit, delete with confirmation, send a test,
// reveal or rotate the signing secret) and the delivery log with each delivery's attempts and retries.
#pragma once

#include <QDialog>
#include <QJsonObject>
#include <QWidget>

#include <functional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace cove::app {
class ApiClient;
struct ApiResult;
} // namespace cove::app

namespace cove::ui {

class JsonTableModel;

class WebhookEndpointDialog : public QDialog {
    Q_OBJECT
public:
    // `endpoint` empty: a new endpoint.
    explicit WebhookEndpointDialog(const QJsonObject& endpoint = {}, QWidget* parent = nullptr);
    // The body of the create or update call.
    QJsonObject request() const;
    static QStringList eventTypes();

private:
    QLineEdit* m_url;
    QLineEdit* m_description;
    QCheckBox* m_enabled;
    QCheckBox* m_allowLocal;
    QList<QCheckBox*> m_events;
};

class WebhooksPage : public QWidget {
    Q_OBJECT
public:
    explicit WebhooksPage(app::ApiClient* client, QWidget* parent = nullptr);
    JsonTableModel* endpoints() const { return m_endpoints; }
    JsonTableModel* deliveries() const { return m_deliveries; }

public slots:
    void refresh();
    void addEndpoint();
    void editSelected();
    void deleteSelected();
    void sendTest();
    void revealSecret();

signals:
    // A secret shown to the user (tests read it here).
    void secretShown(const QString& endpointId, const QString& secret);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void refreshDeliveries();
    void showSecret(const QString& id, const QString& secret, const QString& text);
    QJsonObject selected() const;
    // POSTs to the selected endpoint's `suffix` (nothing when none is selected).
    void postToSelected(const QString& suffix, std::function<void(const app::ApiResult&)> done);

    app::ApiClient* m_client;
    JsonTableModel* m_endpoints;
    JsonTableModel* m_deliveries;
    QTableView* m_endpointView;
    QTableView* m_deliveryView;
    QSortFilterProxyModel* m_endpointProxy;
    QLabel* m_title;
    QLabel* m_intro;
    QLabel* m_logTitle;
    QPushButton* m_add;
    QPushButton* m_edit;
    QPushButton* m_delete;
    QPushButton* m_test;
    QPushButton* m_secret;
    QLabel* m_message;
};

} // namespace cove::ui
