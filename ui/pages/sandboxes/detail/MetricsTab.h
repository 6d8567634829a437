// Metrics: CPU, memory and disk use of the sandbox over time. Opening it draws coved's history of the
// last hour (GET /api/sandbox/{id}/telemetry/metrics, a sample every 30 s); while it is visible it adds
// a sample every two seconds from the toolbox's GET /system/metrics (the container's own cgroup, and the
// sandbox's own disk quota and use as coved reads them from the engine).
#pragma once

#include "ui/pages/sandboxes/detail/DetailTab.h"

#include <QDateTime>
#include <QVector>

class QChart;
class QChartView;
class QComboBox;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QTimer;
class QValueAxis;

namespace cove::ui::detail {

class MetricsTab : public DetailTab {
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 2000;

    struct Sample {
        QDateTime at;
        double cpuPct = 0;
        int cpuCount = 0;
        double memUsedMiB = 0;
        double memTotalMiB = 0;
        double diskUsedGiB = 0;
        double diskTotalGiB = 0;
    };

    explicit MetricsTab(app::ApiClient* client, QWidget* parent = nullptr);

    const QVector<Sample>& samples() const { return m_samples; }
    QString summary() const;
    // The shown time span in seconds (300 or 3600).
    int rangeSeconds() const;
    void setRangeSeconds(int seconds);

public slots:
    // Takes one sample now.
    void refresh() override;

signals:
    void sampled();

protected:
    void sandboxChanged() override;
    void showEvent(QShowEvent* e) override;
    void hideEvent(QHideEvent* e) override;
    void changeEvent(QEvent* event) override;

private:
    struct Chart {
        QChartView* view;
        QLineSeries* series;
        QDateTimeAxis* time;
        QValueAxis* value;
    };
    Chart makeChart();
    void nameChart(const Chart& c, const QString& title, const QString& valueTitle);
    void retranslateUi();
    void add(const Sample& s);
    // Puts coved's history before the samples taken here.
    void loadHistory();
    // The latest sample in words.
    void showSummary();
    void redraw();

    QComboBox* m_range;
    QLabel* m_summary;
    QLabel* m_message;
    QTimer* m_timer;
    QLabel* m_rangeLabel;
    QLabel* m_note;
    Chart m_cpu;
    Chart m_memory;
    Chart m_disk;
    QVector<Sample> m_samples;
    bool m_loading = false;
};

} // namespace cove::ui::detail
