// Syntax colours for the Playground's editor: keywords, strings, comments and numbers of Python,
// JavaScript and TypeScript (block comments and triple-quoted strings across lines included).
#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace cove::ui::playground {

class CodeHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    explicit CodeHighlighter(QTextDocument* document);

    // python, javascript or typescript; rehighlights the document.
    void setLanguage(const QString& language);
    QString language() const { return m_language; }
    // The format a character of the current document got (for tests): keyword, string, comment, number
    // or an empty string.
    static QString kindOf(const QTextCharFormat& format);

protected:
    void highlightBlock(const QString& text) override;

private:
    struct Rule {
        QRegularExpression pattern;
        QTextCharFormat format;
    };
    // A construct that may span lines: from `start` to `end`, kept open with block state `state`.
    struct Span {
        QString start;
        QString end;
        int state;
        QTextCharFormat format;
    };
    void spans(const QString& text);

    QString m_language;
    QList<Rule> m_rules;
    QList<Span> m_spans;
    QTextCharFormat m_keyword, m_string, m_comment, m_number, m_builtin;
};

} // namespace cove::ui::playground
