// Charts arrive as base64 PNG; each is shown scaled to the pane's width, its title above it.
#include "ui/pages/playground/OutputPane.h"

#include <QEvent>
#include <QFontDatabase>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

namespace cove::ui::playground {

namespace {
constexpr int kMaxChartWidth = 560;
}

OutputPane::OutputPane(QWidget* parent)
    : QWidget(parent)
    , m_headline(new QLabel(this))
    , m_notice(new QLabel(this))
    , m_text(new QPlainTextEdit(this))
    , m_chartsArea(new QScrollArea(this))
    , m_charts(new QWidget(m_chartsArea))
    , m_chartsLayout(new QVBoxLayout(m_charts)) {
    m_headline->setObjectName(QStringLiteral("outputHeadline"));
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_headlineText = [] { return tr("Press Run (Ctrl+Return) to run the code in the playground sandbox."); };
    m_notice->setObjectName(QStringLiteral("truncationNotice"));
    m_notice->setWordWrap(true);
    m_notice->setStyleSheet(QStringLiteral("#truncationNotice { background: #fff4ce; color: #4a3600; "
                                           "border: 1px solid #e0c060; border-radius: 4px; padding: 3px; }"));
    m_notice->hide();
    m_text->setReadOnly(true);
    m_text->setObjectName(QStringLiteral("outputText"));
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_chartsLayout->setContentsMargins(0, 0, 0, 0);
    m_chartsLayout->addStretch(1);
    m_chartsArea->setWidget(m_charts);
    m_chartsArea->setWidgetResizable(true);
    m_chartsArea->hide();

    m_split = new QSplitter(Qt::Vertical, this);
    m_split->addWidget(m_text);
    m_split->addWidget(m_chartsArea);
    m_split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_headline);
    layout->addWidget(m_notice);
    layout->addWidget(m_split, 1);
    retranslateUi();
}

void OutputPane::retranslateUi() {
    m_headline->setText(m_headlineText());
    if (m_noticeText)
        m_notice->setText(m_noticeText());
    m_text->setAccessibleName(tr("Output"));
    m_text->setPlaceholderText(tr("The output appears here."));
    m_chartsArea->setAccessibleName(tr("Charts"));
}

void OutputPane::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void OutputPane::setHeadline(const std::function<QString()>& text) {
    m_headlineText = text;
    m_headline->setText(text());
}

void OutputPane::showRun(int exitCode, qint64 durationMs, const QString& output, const QJsonArray& charts) {
    const int chartCount = int(charts.size());
    setHeadline([exitCode, durationMs, chartCount] {
        const QString duration = durationMs < 1000
                                     ? tr("%1 ms").arg(durationMs)
                                     : tr("%1 s").arg(QLocale().toString(durationMs / 1000.0, 'f', 2));
        QString headline = tr("Exit code %1 · %2").arg(exitCode).arg(duration);
        if (chartCount > 0)
            headline += QStringLiteral(" · ") + tr("%n chart(s)", nullptr, chartCount);
        return headline;
    });
    m_headline->setStyleSheet(exitCode == 0 ? QString() : QStringLiteral("color: #b3261e;"));
    setText(output);
    setCharts(charts);
}

void OutputPane::showText(const QString& headline, const QString& text) {
    setHeadline([headline] { return headline; });
    m_headline->setStyleSheet(QString());
    setText(text);
    setCharts({});
}

void OutputPane::showError(const QString& headline, const QString& text) {
    setHeadline([headline] { return headline; });
    m_headline->setStyleSheet(QStringLiteral("color: #b3261e;"));
    setText(text);
    setCharts({});
}

void OutputPane::showBusy(const QString& headline) {
    setHeadline([headline] { return headline; });
    m_headline->setStyleSheet(QString());
}

QString OutputPane::headline() const {
    return m_headline->text();
}

QString OutputPane::text() const {
    return m_text->toPlainText();
}

QString OutputPane::notice() const {
    return m_notice->isVisibleTo(const_cast<OutputPane*>(this)) ? m_notice->text() : QString();
}

QList<QLabel*> OutputPane::chartLabels() const {
    return m_charts->findChildren<QLabel*>(QStringLiteral("chartImage"));
}

void OutputPane::setText(const QString& text) {
    if (text.size() > kMaxShownChars) {
        // Cut at a line end near the cap so the last shown line is whole.
        qsizetype cut = text.lastIndexOf(QLatin1Char('\n'), kMaxShownChars);
        if (cut < kMaxShownChars / 2)
            cut = kMaxShownChars;
        m_text->setPlainText(text.left(cut));
        m_noticeText = [cut, size = text.size()] {
            return tr("The output was truncated: the first %1 of %2 are shown.")
                .arg(QLocale().formattedDataSize(cut), QLocale().formattedDataSize(size));
        };
        m_notice->setText(m_noticeText());
        m_notice->show();
    } else {
        m_text->setPlainText(text);
        m_noticeText = nullptr;
        m_notice->hide();
    }
}

void OutputPane::setCharts(const QJsonArray& charts) {
    while (m_chartsLayout->count() > 1) {
        QLayoutItem* item = m_chartsLayout->takeAt(0);
        delete item->widget();
        delete item;
    }
    int at = 0;
    for (const auto& v : charts) {
        const QJsonObject chart = v.toObject();
        QPixmap image;
        image.loadFromData(QByteArray::fromBase64(chart.value(QStringLiteral("png")).toString().toLatin1()),
                           "PNG");
        const QString title = chart.value(QStringLiteral("title")).toString();
        auto* caption = new QLabel(title.isEmpty() ? tr("Chart %1").arg(at + 1) : title, m_charts);
        QFont bold = caption->font();
        bold.setBold(true);
        caption->setFont(bold);
        auto* label = new QLabel(m_charts);
        label->setObjectName(QStringLiteral("chartImage"));
        label->setAccessibleName(tr("Chart: %1").arg(caption->text()));
        if (image.isNull())
            label->setText(tr("This chart's image could not be read."));
        else
            label->setPixmap(image.width() > kMaxChartWidth
                                 ? image.scaledToWidth(kMaxChartWidth, Qt::SmoothTransformation)
                                 : image);
        m_chartsLayout->insertWidget(at++, caption);
        m_chartsLayout->insertWidget(at++, label);
    }
    const bool had = m_chartsArea->isVisibleTo(this);
    m_chartsArea->setVisible(!charts.isEmpty());
    // Charts take most of the room when they arrive; the text keeps a few lines above them.
    if (!charts.isEmpty() && !had) {
        const int total = qMax(m_split->height(), 200);
        m_split->setSizes({total / 4, total - total / 4});
    }
}

} // namespace cove::ui::playground
