// Reads the organization, its usage and usage history through LimitsApi; the tier changes with the
// admin key.
#include "ui/pages/limits/LimitsPage.h"

#include "ui/pages/limits/WarmPoolsBox.h"
#include "ui/widgets/PageKit.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <QValueAxis>

namespace cove::ui {

namespace {

constexpr int kTiers = 4;

QProgressBar* usageBar(QWidget* parent) {
    auto* bar = new QProgressBar(parent);
    bar->setTextVisible(true);
    bar->setMinimumWidth(320);
    return bar;
}

void setUsage(QProgressBar* bar, int used, int total, const QString& format) {
    bar->setRange(0, std::max(total, 1));
    bar->setValue(std::min(used, std::max(total, 1)));
    bar->setFormat(format.arg(used).arg(total));
    // Nearly full reads as a warning, as on Daytona's Limits page.
    const bool high = total > 0 && used * 10 >= total * 9;
    bar->setStyleSheet(high ? QStringLiteral("QProgressBar::chunk { background: #d9822b; }") : QString());
}

} // namespace

LimitsPage::LimitsPage(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_api(client)
    , m_title(kit::pageTitle(QString(), this))
    , m_usageBox(new QGroupBox(this))
    , m_usageForm(new QFormLayout(m_usageBox))
    , m_hint(new QLabel(m_usageBox))
    , m_limitsBox(new QGroupBox(this))
    , m_historyBox(new QGroupBox(this))
    , m_rangeLabel(new QLabel(m_historyBox))
    , m_tier(new QLabel(this))
    , m_tierChoice(new QComboBox(this))
    , m_applyTier(new QPushButton(this))
    , m_cpu(usageBar(this))
    , m_memory(usageBar(this))
    , m_disk(usageBar(this))
    , m_snapshots(usageBar(this))
    , m_volumes(usageBar(this))
    , m_range(new QComboBox(this))
    , m_running(new QLabel(this))
    , m_perSandbox(new QLabel(this))
    , m_rates(new QLabel(this))
    , m_message(kit::messageLine(this))
    , m_chart(new QChartView(this))
    , m_warmPools(new WarmPoolsBox(client, this)) {
    QFont tierFont = m_tier->font();
    tierFont.setBold(true);
    m_tier->setFont(tierFont);
    for (int tier = 1; tier <= kTiers; ++tier)
        m_tierChoice->addItem(QString(), tier);
    connect(m_applyTier, &QPushButton::clicked, this, &LimitsPage::applyTier);
    auto* tierRow = new QHBoxLayout;
    tierRow->addWidget(m_tier);
    tierRow->addStretch(1);
    tierRow->addWidget(m_tierChoice);
    tierRow->addWidget(m_applyTier);

    for (QProgressBar* bar : {m_cpu, m_memory, m_disk, m_snapshots, m_volumes})
        m_usageForm->addRow(new QLabel(m_usageBox), bar); // labelled by retranslateUi
    m_usageForm->addRow(QString(), m_running);
    m_hint->setWordWrap(true);
    m_usageForm->addRow(QString(), m_hint);

    auto* limitsLayout = new QVBoxLayout(m_limitsBox);
    m_perSandbox->setWordWrap(true);
    m_rates->setWordWrap(true);
    limitsLayout->addWidget(m_perSandbox);
    limitsLayout->addWidget(m_rates);

    auto* historyLayout = new QVBoxLayout(m_historyBox);
    m_range->addItem(QString(), 1);
    m_range->addItem(QString(), 24);
    m_range->addItem(QString(), 24 * 7);
    m_range->setCurrentIndex(1);
    connect(m_range, &QComboBox::currentIndexChanged, this, [this] { loadHistory(); });
    m_rangeLabel->setBuddy(m_range);
    auto* rangeRow = new QHBoxLayout;
    rangeRow->addStretch(1);
    rangeRow->addWidget(m_rangeLabel);
    rangeRow->addWidget(m_range);
    historyLayout->addLayout(rangeRow);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(220);
    historyLayout->addWidget(m_chart);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(tierRow);
    layout->addWidget(m_message);
    auto* top = new QHBoxLayout;
    top->addWidget(m_usageBox, 3);
    top->addWidget(m_limitsBox, 2);
    layout->addLayout(top);
    layout->addWidget(m_warmPools);
    layout->addWidget(m_historyBox, 1);
    retranslateUi();
}

void LimitsPage::retranslateUi() {
    m_title->setText(tr("Limits"));
    for (int i = 0; i < m_tierChoice->count(); ++i)
        m_tierChoice->setItemText(i, tr("Tier %1").arg(m_tierChoice->itemData(i).toInt()));
    m_tierChoice->setAccessibleName(tr("Tier"));
    m_applyTier->setText(tr("Change tier"));
    m_applyTier->setToolTip(tr("Needs the admin key. Running sandboxes keep running; new limits apply to "
                               "what starts next."));
    m_usageBox->setTitle(tr("Current usage"));
    const QList<std::pair<QProgressBar*, QString>> rows = {
        {m_cpu, tr("vCPU")},        {m_memory, tr("Memory")},
        {m_disk, tr("Disk")},       {m_snapshots, tr("Snapshots")},
        {m_volumes, tr("Volumes")},
    };
    for (const auto& [bar, label] : rows)
        qobject_cast<QLabel*>(m_usageForm->labelForField(bar))->setText(label);
    m_cpu->setAccessibleName(tr("vCPU in use"));
    m_memory->setAccessibleName(tr("Memory in use"));
    m_disk->setAccessibleName(tr("Disk in use"));
    m_snapshots->setAccessibleName(tr("Snapshots"));
    m_volumes->setAccessibleName(tr("Volumes"));
    m_hint->setText(tr("Running sandboxes hold CPU, memory and disk; stopped ones only disk; archived "
                       "ones nothing."));
    m_limitsBox->setTitle(tr("Sandbox and rate limits"));
    m_historyBox->setTitle(tr("Usage history"));
    m_range->setItemText(0, tr("Last hour"));
    m_range->setItemText(1, tr("Last 24 hours"));
    m_range->setItemText(2, tr("Last 7 days"));
    m_range->setAccessibleName(tr("Time range"));
    m_rangeLabel->setText(tr("&Range:"));
    if (m_organization)
        showOrganization(*m_organization);
    if (m_usage)
        showUsage(*m_usage);
    if (m_chart->chart() && !m_chart->chart()->series().isEmpty())
        showHistory(m_samples);
}

void LimitsPage::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

QString LimitsPage::tierText() const {
    return m_tier->text();
}

int LimitsPage::usedCpu() const {
    return m_cpu->value();
}

void LimitsPage::showError(const app::ApiError& error) {
    kit::showMessage(m_message, error.text);
}

void LimitsPage::refresh() {
    m_warmPools->refresh();
    m_api.organization(this, [this](const app::Result<app::Organization>& r) {
        if (!r.ok())
            return showError(r.error());
        showOrganization(r.value());
        m_api.usage(r.value().id, this, [this](const app::Result<app::Usage>& u) {
            if (u.ok())
                showUsage(u.value());
        });
        loadHistory();
    });
}

void LimitsPage::setHistoryRange(int hours) {
    m_range->setCurrentIndex(qMax(0, m_range->findData(hours)));
}

int LimitsPage::historyHours() const {
    return m_range->currentData().toInt();
}

void LimitsPage::loadHistory() {
    if (!m_organization)
        return;
    m_api.history(m_organization->id, historyHours(), this,
                  [this](const app::Result<QList<app::UsageSample>>& h) {
                      if (h.ok())
                          showHistory(h.value());
                  });
}

void LimitsPage::showOrganization(const app::Organization& org) {
    m_organization = org;
    m_rates->setText(tr("Rate limits per API key: %1 requests, %2 sandbox creations and %3 start/stop/"
                        "archive/delete calls per minute.")
                         .arg(org.requestRateLimit)
                         .arg(org.createRateLimit)
                         .arg(org.lifecycleRateLimit));
}

void LimitsPage::showUsage(const app::Usage& usage) {
    m_usage = usage;
    m_message->hide();
    m_tier->setText(kit::tierName(usage));
    if (!usage.customQuota)
        m_tierChoice->setCurrentIndex(usage.tier - 1);
    setUsage(m_cpu, usage.cpu, usage.cpuQuota, tr("%1 of %2 vCPU"));
    setUsage(m_memory, usage.memory, usage.memoryQuota, tr("%1 of %2 GiB"));
    setUsage(m_disk, usage.disk, usage.diskQuota, tr("%1 of %2 GiB"));
    setUsage(m_snapshots, usage.snapshots, usage.snapshotQuota, tr("%1 of %2"));
    setUsage(m_volumes, usage.volumes, usage.volumeQuota, tr("%1 of %2"));
    m_running->setText(
        tr("Sandboxes: %1 running, %2 in all").arg(usage.runningSandboxes).arg(usage.sandboxes));
    m_perSandbox->setText(tr("Each sandbox: up to %1 vCPU, %2 GiB of memory and %3 GiB of disk.")
                              .arg(usage.maxCpuPerSandbox)
                              .arg(usage.maxMemoryPerSandbox)
                              .arg(usage.maxDiskPerSandbox));
}

void LimitsPage::showHistory(const QList<app::UsageSample>& samples) {
    m_samples = samples;
    auto* chart = new QChart;
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto* cpu = new QLineSeries(chart);
    cpu->setName(tr("vCPU"));
    auto* memory = new QLineSeries(chart);
    memory->setName(tr("Memory (GiB)"));
    auto* disk = new QLineSeries(chart);
    disk->setName(tr("Disk (GiB)"));
    int top = 1;
    for (const app::UsageSample& s : samples) {
        cpu->append(qreal(s.at), s.cpu);
        memory->append(qreal(s.at), s.memory);
        disk->append(qreal(s.at), s.disk);
        top = std::max({top, s.cpu, s.memory, s.disk});
    }
    m_historyPoints = int(samples.size());
    // The last sample holds until now: draw it to the right edge, so even one sample shows as a line.
    if (!samples.isEmpty()) {
        const qreal now = QDateTime::currentMSecsSinceEpoch();
        for (auto* series : {cpu, memory, disk})
            series->append(now, series->points().last().y());
    }
    auto* x = new QDateTimeAxis(chart);
    const int hours = historyHours();
    x->setFormat(hours > 24 ? QStringLiteral("MM-dd HH:mm") : QStringLiteral("HH:mm"));
    const QDateTime now = QDateTime::currentDateTime();
    x->setRange(now.addSecs(-qint64(hours) * 3600), now);
    auto* y = new QValueAxis(chart);
    // Whole numbers only, at most five steps, so every label fits however low the chart is.
    const int range = top + 1;
    const int step = (range + 4) / 5;
    y->setRange(0, step * ((range + step - 1) / step));
    y->setTickCount((range + step - 1) / step + 1);
    y->setLabelFormat(QStringLiteral("%.0f"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (auto* series : {cpu, memory, disk}) {
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
    }
    QChart* old = m_chart->chart();
    m_chart->setChart(chart);
    delete old;
}

void LimitsPage::applyTier() {
    if (!m_organization)
        return;
    m_api.setTier(m_organization->id, m_tierChoice->currentData().toInt(), this,
                  [this](const app::Result<app::Usage>& r) {
                      if (!r.ok())
                          return showError(r.error());
                      showUsage(r.value());
                  });
}

} // namespace cove::ui
