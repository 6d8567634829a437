// Reads /api/organizations, its usage and usage history; the tier changes with the admin key.
#include "ui/pages/limits/LimitsPage.h"

#include "app/ApiClient.h"
#include "ui/widgets/PageKit.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>
#include <QValueAxis>

namespace cove::ui {

namespace {

QProgressBar* usageBar(QWidget* parent, const QString& accessibleName) {
    auto* bar = new QProgressBar(parent);
    bar->setAccessibleName(accessibleName);
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
    , m_client(client)
    , m_tier(new QLabel(this))
    , m_tierChoice(new QComboBox(this))
    , m_applyTier(new QPushButton(tr("Change tier"), this))
    , m_cpu(usageBar(this, tr("vCPU in use")))
    , m_memory(usageBar(this, tr("Memory in use")))
    , m_disk(usageBar(this, tr("Disk in use")))
    , m_snapshots(usageBar(this, tr("Snapshots")))
    , m_volumes(usageBar(this, tr("Volumes")))
    , m_range(new QComboBox(this))
    , m_running(new QLabel(this))
    , m_perSandbox(new QLabel(this))
    , m_rates(new QLabel(this))
    , m_message(new QLabel(this))
    , m_chart(new QChartView(this)) {
    auto* title = new QLabel(tr("Limits"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.5);
    f.setBold(true);
    title->setFont(f);

    QFont tierFont = m_tier->font();
    tierFont.setBold(true);
    m_tier->setFont(tierFont);
    for (int tier = 1; tier <= 4; ++tier)
        m_tierChoice->addItem(tr("Tier %1").arg(tier), tier);
    m_tierChoice->setAccessibleName(tr("Tier"));
    m_applyTier->setToolTip(tr("Needs the admin key. Running sandboxes keep running; new limits apply to "
                               "what starts next."));
    connect(m_applyTier, &QPushButton::clicked, this, &LimitsPage::applyTier);
    auto* tierRow = new QHBoxLayout;
    tierRow->addWidget(m_tier);
    tierRow->addStretch(1);
    tierRow->addWidget(m_tierChoice);
    tierRow->addWidget(m_applyTier);

    auto* usage = new QGroupBox(tr("Current usage"), this);
    auto* usageForm = new QFormLayout(usage);
    usageForm->addRow(tr("vCPU"), m_cpu);
    usageForm->addRow(tr("Memory"), m_memory);
    usageForm->addRow(tr("Disk"), m_disk);
    usageForm->addRow(tr("Snapshots"), m_snapshots);
    usageForm->addRow(tr("Volumes"), m_volumes);
    usageForm->addRow(QString(), m_running);
    auto* hint =
        new QLabel(tr("Running sandboxes hold CPU, memory and disk; stopped ones only disk; archived "
                      "ones nothing."),
                   usage);
    hint->setWordWrap(true);
    usageForm->addRow(QString(), hint);

    auto* limits = new QGroupBox(tr("Sandbox and rate limits"), this);
    auto* limitsLayout = new QVBoxLayout(limits);
    m_perSandbox->setWordWrap(true);
    m_rates->setWordWrap(true);
    limitsLayout->addWidget(m_perSandbox);
    limitsLayout->addWidget(m_rates);

    auto* history = new QGroupBox(tr("Usage history"), this);
    auto* historyLayout = new QVBoxLayout(history);
    m_range->addItem(tr("Last hour"), 1);
    m_range->addItem(tr("Last 24 hours"), 24);
    m_range->addItem(tr("Last 7 days"), 24 * 7);
    m_range->setCurrentIndex(1);
    m_range->setAccessibleName(tr("Time range"));
    connect(m_range, &QComboBox::currentIndexChanged, this, [this] { loadHistory(); });
    auto* rangeRow = new QHBoxLayout;
    rangeRow->addStretch(1);
    rangeRow->addWidget(new QLabel(tr("&Range:"), history));
    rangeRow->addWidget(m_range);
    qobject_cast<QLabel*>(rangeRow->itemAt(1)->widget())->setBuddy(m_range);
    historyLayout->addLayout(rangeRow);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(220);
    historyLayout->addWidget(m_chart);

    m_message->setWordWrap(true);
    m_message->hide();

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addLayout(tierRow);
    layout->addWidget(m_message);
    auto* top = new QHBoxLayout;
    top->addWidget(usage, 3);
    top->addWidget(limits, 2);
    layout->addLayout(top);
    layout->addWidget(history, 1);
}

QString LimitsPage::tierText() const {
    return m_tier->text();
}

int LimitsPage::usedCpu() const {
    return m_cpu->value();
}

void LimitsPage::refresh() {
    m_client->get(QStringLiteral("/api/organizations"), this, [this](const app::ApiResult& r) {
        if (!r.ok) {
            m_message->setText(r.error);
            m_message->show();
            return;
        }
        const QJsonObject org = r.json.array().at(0).toObject();
        m_organization = org.value(QStringLiteral("id")).toString();
        showOrganization(org);
        const QString base = QStringLiteral("/api/organizations/") + m_organization;
        m_client->get(base + QStringLiteral("/usage"), this, [this](const app::ApiResult& u) {
            if (u.ok)
                showUsage(u.json.object());
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
    if (m_organization.isEmpty())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString from = QDateTime::fromMSecsSinceEpoch(now - qint64(historyHours()) * 3600 * 1000, Qt::UTC)
                             .toString(Qt::ISODateWithMs);
    m_client->get(QStringLiteral("/api/organizations/%1/usage/history?from=%2")
                      .arg(m_organization, QString::fromLatin1(QUrl::toPercentEncoding(from))),
                  this, [this](const app::ApiResult& h) {
                      if (h.ok)
                          showHistory(h.json.array());
                  });
}

void LimitsPage::showOrganization(const QJsonObject& org) {
    m_rates->setText(tr("Rate limits per API key: %1 requests, %2 sandbox creations and %3 start/stop/"
                        "archive/delete calls per minute.")
                         .arg(org.value(QStringLiteral("authenticatedRateLimit")).toInt())
                         .arg(org.value(QStringLiteral("sandboxCreateRateLimit")).toInt())
                         .arg(org.value(QStringLiteral("sandboxLifecycleRateLimit")).toInt()));
}

void LimitsPage::showUsage(const QJsonObject& usage) {
    m_message->hide();
    const QJsonObject region = usage.value(QStringLiteral("regionUsage")).toArray().at(0).toObject();
    const auto i = [&](const char* key) { return region.value(QLatin1String(key)).toInt(); };
    const QJsonValue tier = usage.value(QStringLiteral("tier"));
    m_tier->setText(kit::tierName(tier));
    if (!tier.isString())
        m_tierChoice->setCurrentIndex(tier.toInt() - 1);
    setUsage(m_cpu, i("currentCpuUsage"), i("totalCpuQuota"), tr("%1 of %2 vCPU"));
    setUsage(m_memory, i("currentMemoryUsage"), i("totalMemoryQuota"), tr("%1 of %2 GiB"));
    setUsage(m_disk, i("currentDiskUsage"), i("totalDiskQuota"), tr("%1 of %2 GiB"));
    const QJsonObject use = usage.value(QStringLiteral("usage")).toObject();
    setUsage(m_snapshots, usage.value(QStringLiteral("currentSnapshotUsage")).toInt(),
             usage.value(QStringLiteral("totalSnapshotQuota")).toInt(), tr("%1 of %2"));
    setUsage(m_volumes, use.value(QStringLiteral("volumes")).toInt(),
             usage.value(QStringLiteral("totalVolumeQuota")).toInt(), tr("%1 of %2"));
    m_running->setText(tr("Sandboxes: %1 running, %2 in all")
                           .arg(use.value(QStringLiteral("runningSandboxes")).toInt())
                           .arg(use.value(QStringLiteral("sandboxes")).toInt()));
    m_perSandbox->setText(tr("Each sandbox: up to %1 vCPU, %2 GiB of memory and %3 GiB of disk.")
                              .arg(i("maxCpuPerSandbox"))
                              .arg(i("maxMemoryPerSandbox"))
                              .arg(i("maxDiskPerSandbox")));
}

void LimitsPage::showHistory(const QJsonArray& samples) {
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
    for (const auto& v : samples) {
        const QJsonObject s = v.toObject();
        const qreal at =
            QDateTime::fromString(s.value(QStringLiteral("timestamp")).toString(), Qt::ISODateWithMs)
                .toMSecsSinceEpoch();
        cpu->append(at, s.value(QStringLiteral("cpu")).toInt());
        memory->append(at, s.value(QStringLiteral("memory")).toInt());
        disk->append(at, s.value(QStringLiteral("disk")).toInt());
        top = std::max({top, s.value(QStringLiteral("cpu")).toInt(),
                        s.value(QStringLiteral("memory")).toInt(), s.value(QStringLiteral("disk")).toInt()});
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
    if (m_organization.isEmpty())
        return;
    const int tier = m_tierChoice->currentData().toInt();
    m_client->put(QStringLiteral("/api/organizations/") + m_organization + QStringLiteral("/tier"),
                  {{QStringLiteral("tier"), tier}}, this, [this](const app::ApiResult& r) {
                      if (!r.ok) {
                          m_message->setText(r.error);
                          m_message->show();
                          return;
                      }
                      showUsage(r.json.object());
                  });
}

} // namespace cove::ui
