// Samples are kept for the longest range (an hour); each chart shows the chosen range ending now.
#include "ui/pages/sandboxes/detail/MetricsTab.h"

#include "app/ApiClient.h"
#include "ui/widgets/PageKit.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineSeries>
#include <QMap>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace cove::ui::detail {

namespace {
constexpr int kKeepSeconds = 3600;
constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kGiB = kMiB * 1024.0;
} // namespace

MetricsTab::MetricsTab(app::ApiClient* client, QWidget* parent)
    : DetailTab(client, parent)
    , m_range(new QComboBox(this))
    , m_summary(new QLabel(this))
    , m_message(kit::messageLine(this))
    , m_timer(new QTimer(this))
    , m_rangeLabel(new QLabel(this))
    , m_note(new QLabel(this)) {
    m_range->addItem(QString(), 300); // named by retranslateUi
    m_range->addItem(QString(), 3600);
    connect(m_range, &QComboBox::currentIndexChanged, this, &MetricsTab::redraw);
    m_rangeLabel->setBuddy(m_range);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);

    m_cpu = makeChart();
    m_memory = makeChart();
    m_disk = makeChart();
    m_cpu.value->setRange(0, 100);

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_rangeLabel);
    bar->addWidget(m_range);
    bar->addWidget(m_summary, 1);
    auto* charts = new QGridLayout;
    charts->addWidget(m_cpu.view, 0, 0);
    charts->addWidget(m_memory.view, 0, 1);
    charts->addWidget(m_disk.view, 1, 0);
    m_note->setWordWrap(true);
    charts->addWidget(m_note, 1, 1, Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_message);
    layout->addLayout(charts, 1);

    m_timer->setInterval(kIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &MetricsTab::refresh);
    retranslateUi();
}

void MetricsTab::retranslateUi() {
    m_range->setItemText(m_range->findData(300), tr("Last 5 minutes"));
    m_range->setItemText(m_range->findData(3600), tr("Last hour"));
    m_range->setAccessibleName(tr("Time range"));
    m_rangeLabel->setText(tr("&Range:"));
    nameChart(m_cpu, tr("CPU"), tr("CPU use (%)"));
    nameChart(m_memory, tr("Memory"), tr("Memory in use (MiB)"));
    nameChart(m_disk, tr("Disk"), tr("Disk in use (GiB)"));
    m_note->setText(tr("Sampled every %1 seconds while this tab is visible, from the sandbox's own "
                       "control group; before that, coved's history (a sample every 30 seconds). Disk is "
                       "the sandbox's own: what its files use of its disk size.")
                        .arg(kIntervalMs / 1000));
    showSummary();
}

void MetricsTab::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    DetailTab::changeEvent(event);
}

void MetricsTab::nameChart(const Chart& c, const QString& title, const QString& valueTitle) {
    c.view->chart()->setTitle(title);
    c.view->setAccessibleName(title);
    c.time->setTitleText(tr("Time"));
    c.value->setTitleText(valueTitle);
}

MetricsTab::Chart MetricsTab::makeChart() {
    Chart c;
    auto* chart = new QChart;
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    c.series = new QLineSeries(chart);
    chart->addSeries(c.series);
    c.time = new QDateTimeAxis(chart);
    c.time->setFormat(QStringLiteral("HH:mm:ss"));
    c.time->setTickCount(5);
    c.value = new QValueAxis(chart);
    c.value->setLabelFormat(QStringLiteral("%.1f"));
    c.value->setMin(0);
    chart->addAxis(c.time, Qt::AlignBottom);
    chart->addAxis(c.value, Qt::AlignLeft);
    c.series->attachAxis(c.time);
    c.series->attachAxis(c.value);
    c.view = new QChartView(chart, this);
    c.view->setRenderHint(QPainter::Antialiasing);
    c.view->setMinimumSize(320, 220);
    return c;
}

int MetricsTab::rangeSeconds() const {
    return m_range->currentData().toInt();
}

void MetricsTab::setRangeSeconds(int seconds) {
    const int i = m_range->findData(seconds);
    if (i >= 0)
        m_range->setCurrentIndex(i);
}

QString MetricsTab::summary() const {
    return m_summary->text();
}

void MetricsTab::sandboxChanged() {
    m_samples.clear();
    m_summary->clear();
    m_message->hide();
    redraw();
    loadHistory();
}

void MetricsTab::loadHistory() {
    if (m_id.isEmpty())
        return;
    const QString id = m_id;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString path = QStringLiteral("/api/sandbox/") + id + QStringLiteral("/telemetry/metrics?from=") +
                         now.addSecs(-kKeepSeconds).toString(Qt::ISODate) + QStringLiteral("&to=") +
                         now.toString(Qt::ISODate);
    m_client->get(path, this, [this, id](const app::ApiResult& r) {
        if (id != m_id || !r.ok)
            return; // the live samples still come
        QMap<qint64, Sample> byTime;
        for (const auto& sv : r.json.object().value(QStringLiteral("series")).toArray()) {
            const QJsonObject series = sv.toObject();
            const QString name = series.value(QStringLiteral("metricName")).toString();
            for (const auto& pv : series.value(QStringLiteral("dataPoints")).toArray()) {
                const QJsonObject p = pv.toObject();
                const QDateTime at =
                    QDateTime::fromString(p.value(QStringLiteral("timestamp")).toString(), Qt::ISODateWithMs);
                if (!at.isValid())
                    continue;
                Sample& s = byTime[at.toMSecsSinceEpoch()];
                s.at = at.toLocalTime();
                const double v = p.value(QStringLiteral("value")).toDouble();
                if (name == QLatin1String("daytona.sandbox.cpu.utilization"))
                    s.cpuPct = v;
                else if (name == QLatin1String("daytona.sandbox.cpu.limit"))
                    s.cpuCount = int(v);
                else if (name == QLatin1String("daytona.sandbox.memory.usage"))
                    s.memUsedMiB = v / kMiB;
                else if (name == QLatin1String("daytona.sandbox.memory.limit"))
                    s.memTotalMiB = v / kMiB;
                else if (name == QLatin1String("daytona.sandbox.filesystem.usage"))
                    s.diskUsedGiB = v / kGiB;
                else if (name == QLatin1String("daytona.sandbox.filesystem.total"))
                    s.diskTotalGiB = v / kGiB;
            }
        }
        // Only what comes before the first sample taken here.
        QVector<Sample> history;
        for (const Sample& s : std::as_const(byTime))
            if (m_samples.isEmpty() || s.at < m_samples.first().at)
                history.push_back(s);
        m_samples = history + m_samples;
        showSummary();
        redraw();
    });
}

void MetricsTab::showEvent(QShowEvent* e) {
    DetailTab::showEvent(e); // takes the first sample
    m_timer->start();
}

void MetricsTab::hideEvent(QHideEvent* e) {
    m_timer->stop();
    DetailTab::hideEvent(e);
}

void MetricsTab::refresh() {
    if (m_loading || m_id.isEmpty())
        return;
    m_loading = true;
    const QString id = m_id;
    m_client->get(toolboxPath(QStringLiteral("/system/metrics")), this, [this, id](const app::ApiResult& r) {
        m_loading = false;
        if (id != m_id)
            return;
        if (!r.ok) {
            kit::showMessage(
                m_message,
                tr("No metrics: %1 Metrics come from a running sandbox; start it to see them.").arg(r.error));
            return;
        }
        m_message->hide();
        const QJsonObject o = r.json.object();
        Sample s;
        s.at = QDateTime::currentDateTime();
        s.cpuPct = o.value(QStringLiteral("cpuUsedPct")).toDouble();
        s.cpuCount = o.value(QStringLiteral("cpuCount")).toInt();
        s.memUsedMiB = o.value(QStringLiteral("memUsed")).toDouble() / kMiB;
        s.memTotalMiB = o.value(QStringLiteral("memTotal")).toDouble() / kMiB;
        s.diskUsedGiB = o.value(QStringLiteral("diskUsed")).toDouble() / kGiB;
        s.diskTotalGiB = o.value(QStringLiteral("diskTotal")).toDouble() / kGiB;
        add(s);
    });
}

void MetricsTab::add(const Sample& s) {
    m_samples.push_back(s);
    const QDateTime oldest = s.at.addSecs(-kKeepSeconds);
    const auto stale = std::find_if(m_samples.begin(), m_samples.end(),
                                    [&oldest](const Sample& x) { return x.at >= oldest; });
    m_samples.erase(m_samples.begin(), stale);
    showSummary();
    redraw();
    emit sampled();
}

void MetricsTab::showSummary() {
    if (m_samples.isEmpty()) {
        m_summary->clear();
        return;
    }
    const Sample& s = m_samples.last();
    m_summary->setText(tr("CPU %1 % of %6 vCPU · memory %2 of %3 MiB · disk %4 of %5 GiB")
                           .arg(s.cpuPct, 0, 'f', 1)
                           .arg(s.memUsedMiB, 0, 'f', 0)
                           .arg(s.memTotalMiB, 0, 'f', 0)
                           .arg(s.diskUsedGiB, 0, 'f', 2)
                           .arg(s.diskTotalGiB, 0, 'f', 1)
                           .arg(s.cpuCount));
}

void MetricsTab::redraw() {
    const QDateTime now = m_samples.isEmpty() ? QDateTime::currentDateTime() : m_samples.last().at;
    const QDateTime from = now.addSecs(-rangeSeconds());
    QList<QPointF> cpu, memory, disk;
    double memTop = 1, diskTop = 1;
    for (const Sample& s : std::as_const(m_samples)) {
        if (s.at < from)
            continue;
        const double x = double(s.at.toMSecsSinceEpoch());
        cpu << QPointF(x, s.cpuPct);
        memory << QPointF(x, s.memUsedMiB);
        disk << QPointF(x, s.diskUsedGiB);
        memTop = std::max({memTop, s.memUsedMiB, s.memTotalMiB});
        diskTop = std::max({diskTop, s.diskUsedGiB, s.diskTotalGiB});
    }
    m_cpu.series->replace(cpu);
    m_memory.series->replace(memory);
    m_disk.series->replace(disk);
    for (Chart* c : {&m_cpu, &m_memory, &m_disk})
        c->time->setRange(from, now);
    m_memory.value->setRange(0, memTop);
    m_disk.value->setRange(0, diskTop);
}

} // namespace cove::ui::detail
