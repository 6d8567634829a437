// What the last Playground action returned: a headline (exit code and duration for runs), the text
// output (capped so many megabytes never reach the widget, with a notice saying so) and chart images.
#pragma once

#include <QJsonArray>
#include <QWidget>

#include <functional>

class QLabel;
class QPlainTextEdit;
class QScrollArea;
class QSplitter;
class QVBoxLayout;

namespace cove::ui::playground {

class OutputPane : public QWidget {
    Q_OBJECT
public:
    // The most text the output widget is given; the rest is counted, not shown.
    static constexpr qsizetype kMaxShownChars = 256 * 1024;

    explicit OutputPane(QWidget* parent = nullptr);

    // A run's outcome: exit code, how long it took, its output and its charts ({type,title,png}).
    void showRun(int exitCode, qint64 durationMs, const QString& output, const QJsonArray& charts);
    // Any other action's outcome, under a headline.
    void showText(const QString& headline, const QString& text);
    void showError(const QString& headline, const QString& text);
    // Busy: the headline says what is happening and the previous output stays.
    void showBusy(const QString& headline);

    QString headline() const;
    QString text() const;
    QString notice() const;
    QList<QLabel*> chartLabels() const;
    QPlainTextEdit* textView() const { return m_text; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    // The headline is kept as what makes it, so a new language can say it again.
    void setHeadline(const std::function<QString()>& text);
    void setText(const QString& text);
    void setCharts(const QJsonArray& charts);

    QLabel* m_headline;
    QLabel* m_notice;
    QPlainTextEdit* m_text;
    QScrollArea* m_chartsArea;
    QSplitter* m_split;
    QWidget* m_charts;
    QVBoxLayout* m_chartsLayout;
    std::function<QString()> m_headlineText;
    std::function<QString()> m_noticeText; // empty while nothing was cut
};

} // namespace cove::ui::playground
