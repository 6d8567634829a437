// The sandboxes table at 10,000 rows: load, sort by each column, filter by text and state, 1,000 event
// updates, memory; and the dashboard from QApplication to the first paint of its main window. Every figure
// has a same-run baseline (the same work on 100 rows, or a bare window) and the ratio to it. No pass/fail.
#include "Bench.h"
#include "app/ApiClient.h"
#include "app/SandboxModel.h"
#include "support/Http.h"
#include "ui/MainWindow.h"
#include "ui/pages/sandboxes/SandboxFilterProxy.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimeZone>

#include <cstdio>
#include <cstring>

using namespace cove;
using bench::Stats;

namespace {

constexpr int kRows = 10000;
constexpr int kBaseRows = 100;
constexpr int kEvents = 1000;
constexpr int kRepeats = 5;

const char* const kStates[] = {"started", "stopped", "archived", "creating", "error"};

QJsonObject sandbox(int i, const char* state, qint64 updatedMs) {
    const QString id = QStringLiteral("%1-0000-4000-8000-%2")
                           .arg(i, 8, 16, QLatin1Char('0'))
                           .arg(i, 12, 10, QLatin1Char('0'));
    return {
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), QStringLiteral("sandbox-%1").arg((i * 7919) % 100000)},
        {QStringLiteral("state"), QString::fromLatin1(state)},
        {QStringLiteral("snapshot"), i % 3 ? QStringLiteral("cove-base") : QStringLiteral("cove-desktop")},
        {QStringLiteral("labels"), QJsonObject{{QStringLiteral("team"), QStringLiteral("t%1").arg(i % 17)}}},
        {QStringLiteral("cpu"), 1 + i % 4},
        {QStringLiteral("memory"), 1 + i % 8},
        {QStringLiteral("disk"), 3 + i % 10},
        {QStringLiteral("createdAt"),
         QDateTime::fromMSecsSinceEpoch(1767225600000LL + qint64(i) * 37000, Qt::UTC)
             .toString(Qt::ISODateWithMs)},
        {QStringLiteral("updatedAt"),
         QDateTime::fromMSecsSinceEpoch(updatedMs, Qt::UTC).toString(Qt::ISODateWithMs)}};
}

QJsonArray sandboxes(int n) {
    QJsonArray a;
    for (int i = 0; i < n; ++i)
        a.append(sandbox(i, kStates[i % 5], 1767225600000LL));
    return a;
}

long rss() {
    return test::rssKiB(QCoreApplication::applicationPid());
}

// A model and proxy filled with `n` rows, as the page holds them.
struct Table {
    app::SandboxModel model;
    ui::SandboxFilterProxy proxy;
    explicit Table() { proxy.setSandboxModel(&model); }
};

// The child process: QApplication, then the window, until its first paint; prints the milliseconds.
int firstPaint(bool bare) {
    QElapsedTimer t;
    t.start();
    int argc = 1;
    char name[] = "bench_sandbox_model";
    char* argv[] = {name, nullptr};
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts); // as the app: its pages hold web views
    QApplication app(argc, argv);
    QTemporaryDir settings;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settings.path());
    struct PaintWatch : QObject {
        QElapsedTimer* t;
        bool eventFilter(QObject*, QEvent* e) override {
            if (e->type() == QEvent::Paint) {
                std::printf("%.3f\n", t->nsecsElapsed() / 1e6);
                std::fflush(stdout);
                QCoreApplication::exit(0);
            }
            return false;
        }
    } watch;
    watch.t = &t;
    app::ApiClient client; // nothing answers here: the window is drawn before any reply
    client.setTarget({QStringLiteral("http://127.0.0.1:1"), QStringLiteral("k"), QStringLiteral("bench")});
    std::unique_ptr<QWidget> w;
    if (bare)
        w = std::make_unique<QWidget>();
    else
        w = std::make_unique<ui::MainWindow>(&client);
    w->installEventFilter(&watch);
    w->resize(1200, 720);
    w->show();
    return QApplication::exec();
}

// Empty when a child printed nothing: a platform that never paints a shown window (offscreen) has no
// first paint to time.
Stats firstPaints(bool bare) {
    Stats s;
    for (int i = 0; i < kRepeats; ++i) {
        QProcess p;
        p.start(QCoreApplication::applicationFilePath(),
                {bare ? QStringLiteral("--first-paint-bare") : QStringLiteral("--first-paint")});
        p.waitForFinished(60000);
        bool ok = false;
        const double ms = p.readAllStandardOutput().trimmed().toDouble(&ok);
        if (!ok)
            return {};
        s.ms << ms;
    }
    return s;
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (argc > 1 && std::strcmp(argv[1], "--first-paint") == 0)
        return firstPaint(false);
    if (argc > 1 && std::strcmp(argv[1], "--first-paint-bare") == 0)
        return firstPaint(true);
    QApplication app(argc, argv);
    std::printf("Sandboxes table: %d rows against %d rows (same run); %d runs each; platform %s\n\n", kRows,
                kBaseRows, kRepeats, qPrintable(QApplication::platformName()));
    const QJsonArray big = sandboxes(kRows);
    const QJsonArray small = sandboxes(kBaseRows);

    bench::header("figure (ms)");
    Stats load, loadBase;
    long rssDelta = 0, rssDeltaBase = 0;
    for (int i = 0; i < kRepeats; ++i) {
        long before = rss();
        auto t = std::make_unique<Table>();
        load.ms << bench::timed([&] { t->model.setSandboxes(big); });
        rssDelta = rss() - before;
        t.reset();
        before = rss();
        auto b = std::make_unique<Table>();
        loadBase.ms << bench::timed([&] { b->model.setSandboxes(small); });
        rssDeltaBase = rss() - before;
    }
    bench::row("load 10,000 rows", load, loadBase, "load 100 rows");

    Table t;
    t.model.setSandboxes(big);
    Table b;
    b.model.setSandboxes(small);
    for (int c = 0; c < app::SandboxModel::ColumnCount; ++c) {
        Stats s, base;
        for (int i = 0; i < kRepeats; ++i) {
            const Qt::SortOrder order = i % 2 ? Qt::DescendingOrder : Qt::AscendingOrder;
            s.ms << bench::timed([&] { t.proxy.sort(c, order); });
            base.ms << bench::timed([&] { b.proxy.sort(c, order); });
        }
        const QByteArray what =
            "sort by " + t.model.headerData(c, Qt::Horizontal).toString().toUtf8() + " (10,000)";
        bench::row(what.constData(), s, base, "same sort, 100 rows");
    }
    t.proxy.sort(app::SandboxModel::Created, Qt::DescendingOrder);
    b.proxy.sort(app::SandboxModel::Created, Qt::DescendingOrder);
    {
        Stats s, base;
        const QString texts[] = {QStringLiteral("sandbox-1"), QStringLiteral("t3"), QStringLiteral("desktop"),
                                 QStringLiteral("zz-none"), QString()};
        for (const auto& text : texts) {
            s.ms << bench::timed([&] { t.proxy.setText(text); });
            base.ms << bench::timed([&] { b.proxy.setText(text); });
        }
        bench::row("text filter (10,000)", s, base, "text filter, 100 rows");
    }
    {
        Stats s, base;
        const QSet<QString> sets[] = {
            {QStringLiteral("started")},
            {QStringLiteral("stopped"), QStringLiteral("error")},
            {QStringLiteral("creating")},
            {QStringLiteral("archived"), QStringLiteral("started"), QStringLiteral("error")},
            {}};
        for (const auto& set : sets) {
            s.ms << bench::timed([&] { t.proxy.setStates(set); });
            base.ms << bench::timed([&] { b.proxy.setStates(set); });
        }
        bench::row("state filter (10,000)", s, base, "state filter, 100 rows");
    }
    {
        // Events as the page applies them: a state change on a random row, the proxy sorted and filtered.
        t.proxy.setStates({QStringLiteral("started"), QStringLiteral("stopping"), QStringLiteral("stopped")});
        b.proxy.setStates({QStringLiteral("started"), QStringLiteral("stopping"), QStringLiteral("stopped")});
        Stats s, base, each;
        qint64 at = 1767225700000LL;
        for (int r = 0; r < kRepeats; ++r) {
            s.ms << bench::timed([&] {
                for (int i = 0; i < kEvents; ++i) {
                    const int row = (i * 7727 + r * 13) % kRows;
                    const double one = bench::timed([&] {
                        t.model.applyStateChange(sandbox(row, i % 2 ? "stopping" : "stopped", ++at),
                                                 QStringLiteral("started"), QStringLiteral("stopping"));
                    });
                    if (r == 0)
                        each.ms << one;
                }
            });
            base.ms << bench::timed([&] {
                for (int i = 0; i < kEvents; ++i)
                    b.model.applyStateChange(sandbox(i % kBaseRows, i % 2 ? "stopping" : "stopped", ++at),
                                             QStringLiteral("started"), QStringLiteral("stopping"));
            });
        }
        bench::row("1,000 events (10,000 rows)", s, base, "1,000 events, 100 rows");
        Stats eachBase;
        eachBase.ms << base.pct(0.5) / kEvents;
        bench::row("one event (10,000 rows)", each, eachBase, "one event, 100 rows (mean)");
    }
    {
        // The view on top: first layout and paint of the visible rows of 10,000.
        QTableView view;
        view.setModel(&t.proxy);
        view.resize(1200, 700);
        QTableView baseView;
        baseView.setModel(&b.proxy);
        baseView.resize(1200, 700);
        Stats s, base;
        for (int i = 0; i < kRepeats; ++i) {
            s.ms << bench::timed([&] { view.grab(); });
            base.ms << bench::timed([&] { baseView.grab(); });
        }
        bench::row("paint the table (10,000)", s, base, "paint the table, 100 rows");
    }
    const Stats paint = firstPaints(false), paintBase = firstPaints(true);
    if (!paint.ms.isEmpty() && !paintBase.ms.isEmpty())
        bench::row("QApplication to MainWindow first paint", paint, paintBase, "to a bare QWidget's paint");
    else
        std::printf("First paint: not measured; the %s platform paints no window (run it on a display)\n",
                    qPrintable(QApplication::platformName()));

    std::printf(
        "\nMemory (RSS delta of the model filled): 10,000 rows %ld KiB (%.1f KiB/row); 100 rows %ld KiB; "
        "ratio %.1f\n",
        rssDelta, double(rssDelta) / kRows, rssDeltaBase,
        rssDeltaBase > 0 ? double(rssDelta) / rssDeltaBase : 0.0);
    return 0;
}
