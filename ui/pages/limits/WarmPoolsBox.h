// The Limits page's warm pools: the organization's pools (snapshot, resources, size, ready, error) with
// Add, Edit size and Delete, all reachable from the keyboard.
#pragma once

#include "app/GovernanceApi.h"

#include <QGroupBox>

class QLabel;
class QPushButton;
class QTableWidget;

namespace cove::app {
class ApiClient;
}

namespace cove::ui {

class WarmPoolsBox : public QGroupBox {
    Q_OBJECT
public:
    explicit WarmPoolsBox(app::ApiClient* client, QWidget* parent = nullptr);

    int rowCount() const;
    const QList<app::WarmPool>& pools() const { return m_pools; }

public slots:
    void refresh();
    void addPool();
    void editSelected();
    void deleteSelected();

protected:
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void retranslateUi();
    void showPools(const QList<app::WarmPool>& pools);
    void answered(const app::ApiError* error);
    int selected() const;

    app::ApiClient* m_client;
    app::WarmPoolsApi m_api;
    QList<app::WarmPool> m_pools;
    QLabel* m_intro;
    QTableWidget* m_table;
    QPushButton* m_add;
    QPushButton* m_edit;
    QPushButton* m_delete;
    QLabel* m_message;
};

} // namespace cove::ui
