// The Limits page: the tier, how much of its CPU, memory and disk the sandboxes hold, the per-sandbox
// and rate limits, the warm pools, and usage over the last hour, day or week as a chart.
#pragma once

#include "app/GovernanceApi.h"

#include <QWidget>

#include <optional>

class QChartView;
class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace cove::app {
class ApiClient;
}

namespace cove::ui {

class WarmPoolsBox;

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
    WarmPoolsBox* warmPools() const { return m_warmPools; }

public slots:
    void refresh();

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void showUsage(const app::Usage& usage);
    void showOrganization(const app::Organization& org);
    void showHistory(const QList<app::UsageSample>& samples);
    void loadHistory();
    void applyTier();
    void showError(const app::ApiError& error);

    app::LimitsApi m_api;
    // What was read last, shown again in a new language.
    std::optional<app::Organization> m_organization;
    std::optional<app::Usage> m_usage;
    QList<app::UsageSample> m_samples;
    QLabel* m_title;
    QGroupBox* m_usageBox;
    QFormLayout* m_usageForm;
    QLabel* m_hint;
    QGroupBox* m_limitsBox;
    QGroupBox* m_historyBox;
    QLabel* m_rangeLabel;
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
    WarmPoolsBox* m_warmPools;
    int m_historyPoints = 0;
};

} // namespace cove::ui
