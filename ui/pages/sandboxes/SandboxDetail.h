// The detail of one sandbox: a header (name, state, the sandbox's actions) over tabs — Overview, Files,
// Logs, Metrics, Preview, VNC, Checkpoints — and any tab a host adds (the Terminal). Self-contained: give
// it a client and a sandbox id.
#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QTabWidget;

namespace cove::app {
class ApiClient;
}

namespace cove::ui {

namespace detail {
class CheckpointsTab;
class DesktopTab;
class FilesTab;
class LogsTab;
class MetricsTab;
class OverviewTab;
class PreviewTab;
class SandboxActions;
} // namespace detail

class SandboxDetail : public QWidget {
    Q_OBJECT
public:
    explicit SandboxDetail(app::ApiClient* client, QWidget* parent = nullptr);

    QString sandboxId() const { return m_id; }
    // Adds a tab after the built-in ones; it learns the sandbox from sandboxShown().
    void addTab(QWidget* w, const QString& title);

    QTabWidget* tabs() const { return m_tabs; }
    detail::OverviewTab* overview() const { return m_overview; }
    detail::FilesTab* files() const { return m_files; }
    detail::LogsTab* logs() const { return m_logs; }
    detail::MetricsTab* metrics() const { return m_metrics; }
    detail::PreviewTab* preview() const { return m_preview; }
    detail::DesktopTab* desktop() const { return m_desktop; }
    detail::CheckpointsTab* checkpoints() const { return m_checkpoints; }
    detail::SandboxActions* actions() const { return m_actions; }

public slots:
    void showSandbox(const QString& id);
    // Reads the current tab again (F5).
    void refresh();

signals:
    void sandboxShown(const QString& id);
    // Another sandbox was asked for (a link of the lineage, a fork just made); showSandbox() follows.
    void sandboxRequested(const QString& id);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void showTitle();

    app::ApiClient* m_client;
    QString m_id;
    QLabel* m_title;
    detail::SandboxActions* m_actions;
    QJsonObject m_shown; // the sandbox the header names, as the overview last read it
    QTabWidget* m_tabs;
    detail::OverviewTab* m_overview;
    detail::FilesTab* m_files;
    detail::LogsTab* m_logs;
    detail::MetricsTab* m_metrics;
    detail::PreviewTab* m_preview;
    detail::DesktopTab* m_desktop;
    detail::CheckpointsTab* m_checkpoints;
};

} // namespace cove::ui
