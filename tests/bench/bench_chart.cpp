// Draws the time-to-interactive chart of the benchmark report: each iteration's milliseconds per mode
// (tests/bench/tti.mjs's JSON, one file per mode), on a log scale, with the published figures of two
// cloud services as dashed lines. Runs on the offscreen platform: no display needed.
//   bench_chart OUT.png RESULT.json...
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QValueAxis>

#include <algorithm>
#include <cstdio>

namespace {

// Create → first command, as the ComputeSDK leaderboard published them (April 2026).
struct Published {
    const char* name;
    double ms;
    Qt::PenStyle style;
};
constexpr Published kPublished[] = {{"Daytona cloud, published", 110, Qt::DashLine},
                                    {"E2B, published", 440, Qt::DotLine}};

} // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_chart OUT.png RESULT.json...\n");
        return 2;
    }
    auto* chart = new QChart;
    chart->setTitle(QStringLiteral("Create → first command through the Daytona SDK, each iteration"));
    auto* x = new QValueAxis;
    x->setTitleText(QStringLiteral("iteration"));
    x->setLabelFormat(QStringLiteral("%d"));
    auto* y = new QLogValueAxis;
    y->setTitleText(QStringLiteral("milliseconds (log scale)"));
    y->setLabelFormat(QStringLiteral("%g"));
    y->setMinorTickCount(8);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double lo = kPublished[0].ms, hi = kPublished[1].ms;
    int count = 1;
    const auto attach = [&](QLineSeries* s) {
        chart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
    };
    for (int i = 2; i < argc; ++i) {
        QFile f(QString::fromLocal8Bit(argv[i]));
        if (!f.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "bench_chart: cannot read %s\n", argv[i]);
            return 1;
        }
        const QJsonObject result = QJsonDocument::fromJson(f.readAll()).object();
        const QJsonArray ms = result.value(QStringLiteral("ms")).toArray();
        auto* s = new QLineSeries;
        s->setName(QStringLiteral("Cove %1: median %2 ms")
                       .arg(result.value(QStringLiteral("mode")).toString())
                       .arg(result.value(QStringLiteral("median")).toDouble(), 0, 'f', 0));
        for (int n = 0; n < ms.size(); ++n) {
            if (ms[n].isNull())
                continue; // a failed iteration: a gap, counted in the report's table
            const double v = ms[n].toDouble();
            s->append(n + 1, v);
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        count = std::max(count, int(ms.size()));
        attach(s);
    }
    for (const auto& p : kPublished) {
        auto* s = new QLineSeries;
        s->setName(QStringLiteral("%1: %2 ms").arg(QLatin1String(p.name)).arg(p.ms));
        s->append(1, p.ms);
        s->append(count, p.ms);
        QPen pen(Qt::darkGray, 2, p.style);
        s->setPen(pen);
        attach(s);
    }
    x->setRange(1, count);
    x->setTickCount(std::min(count, 11)); // whole iterations: 1..count in at most ten steps
    chart->legend()->setAlignment(Qt::AlignBottom);
    y->setRange(lo / 1.5, hi * 1.5);
    QChartView view(chart);
    view.setRenderHint(QPainter::Antialiasing);
    view.resize(1100, 600);
    if (!view.grab().save(QString::fromLocal8Bit(argv[1]))) {
        std::fprintf(stderr, "bench_chart: cannot write %s\n", argv[1]);
        return 1;
    }
    return 0;
}
