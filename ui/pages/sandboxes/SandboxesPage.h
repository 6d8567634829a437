// The Sandboxes page: the live list of sandboxes with a text filter.
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace cove::app {
class ApiClient;
}

namespace cove::ui {

class SandboxModel;

class SandboxesPage : public QWidget {
    Q_OBJECT
public:
    explicit SandboxesPage(app::ApiClient* client, QWidget* parent = nullptr);
    SandboxModel* model() const { return m_model; }

public slots:
    void refresh();

private:
    app::ApiClient* m_client;
    SandboxModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_view;
    QLineEdit* m_filter;
    QLabel* m_message;
    QTimer* m_timer;
    bool m_loading = false;
};

} // namespace cove::ui
