// The dashboard's main window: a sidebar of pages, the page stack and a status bar with the connection.
#pragma once

#include <QMainWindow>

class QLabel;
class QListWidget;
class QStackedWidget;

namespace cove::app {
class ApiClient;
}

namespace cove::ui {

class SandboxesPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(app::ApiClient* client, QWidget* parent = nullptr);

    SandboxesPage* sandboxesPage() const { return m_sandboxes; }
    QString connectionText() const;
    QString engineText() const;

public slots:
    void reconnect();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void addPage(const QString& title, QWidget* page);
    void openSettings();

    app::ApiClient* m_client;
    QListWidget* m_sidebar;
    QStackedWidget* m_stack;
    SandboxesPage* m_sandboxes;
    QLabel* m_connection;
    QLabel* m_engine;
};

} // namespace cove::ui
