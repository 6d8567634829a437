// The Limits page: the tier, how much of its CPU, memory and disk the sandboxes hold, the per-sandbox
// and rate limits, and usage over the last hour, day or week as a chart.
#pragma once

#include <QJsonObject>
#include <QWidget>

class QChartView;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace cove::app {
class ApiClient;
}

namespace cove::ui {

class LimitsPage : public QWidget {
    Q_OBJECT
public:
    explicit LimitsPage(app::ApiClient* client, QWidget* parent = nullptr);

    QString tierText() const;
    int usedCpu() const;
    int historyPoints() const { return m_historyPoints; }
    // Shows the usage history over the last `hours` (1, 24 or 168).
    void setHistoryRange(int hours);
    int historyHours() const;

public slots:
    void refresh();

private:
    void showUsage(const QJsonObject& usage);
    void showOrganization(const QJsonObject& org);
    void showHistory(const QJsonArray& samples);
    void loadHistory();
    void applyTier();

    app::ApiClient* m_client;
    QString m_organization;
    QLabel* m_tier;
    QComboBox* m_tierChoice;
    QPushButton* m_applyTier;
    QProgressBar* m_cpu;
    QProgressBar* m_memory;
    QProgressBar* m_disk;
    QProgressBar* m_snapshots;
    QProgressBar* m_volumes;
    QComboBox* m_range; // the history's span, in hours
    QLabel* m_running;
    QLabel* m_perSandbox;
    QLabel* m_rates;
    QLabel* m_message;
    QChartView* m_chart;
    int m_historyPoints = 0;
};

} // namespace cove::ui
