// Rules run in order, later ones over earlier: numbers and keywords first, then strings and comments,
// so a keyword inside a string keeps the string's colour.
#include "ui/pages/playground/CodeHighlighter.h"

#include "ui/Appearance.h"

namespace cove::ui::playground {

namespace {
QStringList words(const char* list) {
    return QString::fromLatin1(list).split(QLatin1Char(' '));
}
constexpr int kKindProperty = QTextFormat::UserProperty + 1;

QTextCharFormat makeFormat(const QColor& color, const QString& kind, bool bold = false, bool italic = false) {
    QTextCharFormat f;
    f.setForeground(color);
    f.setProperty(kKindProperty, kind);
    if (bold)
        f.setFontWeight(QFont::Bold);
    f.setFontItalic(italic);
    return f;
}

QString wordsPattern(const QStringList& words) {
    return QStringLiteral("\\b(?:") + words.join(QLatin1Char('|')) + QStringLiteral(")\\b");
}

const QStringList kPythonKeywords = words(
    "and as assert async await break class continue def del elif else except False finally for from global "
    "if import in is lambda None nonlocal not or pass raise return True try while with yield match case");
const QStringList kPythonBuiltins = words("print len range int str float list dict set tuple open self");
const QStringList kJsKeywords =
    words("async await break case catch class const continue default delete do else export extends false "
          "finally for function if import in instanceof let new null of return static super switch this "
          "throw true try typeof undefined var void while yield from");
const QStringList kTsKeywords = words("interface type enum implements namespace private public protected "
                                      "readonly abstract as declare keyof never unknown any");
const QStringList kTsTypes = words("number string boolean object symbol bigint");
const QStringList kJsBuiltins = words("console process Math JSON Promise Array Object require");
} // namespace

CodeHighlighter::CodeHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document) {
    const bool dark = appearance::isDark();
    m_keyword = makeFormat(dark ? QColor(0xc5, 0x86, 0xc0) : QColor(0x7a, 0x1f, 0xa2),
                           QStringLiteral("keyword"), true);
    m_builtin =
        makeFormat(dark ? QColor(0x4e, 0xc9, 0xb0) : QColor(0x00, 0x6e, 0x7a), QStringLiteral("builtin"));
    m_string =
        makeFormat(dark ? QColor(0xce, 0x91, 0x78) : QColor(0xa3, 0x15, 0x15), QStringLiteral("string"));
    m_comment = makeFormat(dark ? QColor(0x6a, 0x99, 0x55) : QColor(0x3b, 0x7a, 0x3b),
                           QStringLiteral("comment"), false, true);
    m_number =
        makeFormat(dark ? QColor(0xb5, 0xce, 0xa8) : QColor(0x09, 0x5a, 0xb5), QStringLiteral("number"));
    setLanguage(QStringLiteral("python"));
}

QString CodeHighlighter::kindOf(const QTextCharFormat& f) {
    return f.property(kKindProperty).toString();
}

void CodeHighlighter::setLanguage(const QString& language) {
    m_language = language;
    m_rules.clear();
    m_spans.clear();
    const auto add = [this](const QString& pattern, const QTextCharFormat& f) {
        m_rules.append({QRegularExpression(pattern), f});
    };
    add(QStringLiteral("\\b(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|\\d[\\d_]*(?:\\.\\d*)?(?:[eE][+-]?\\d+)?n?)\\b"),
        m_number);
    if (language == QLatin1String("python")) {
        add(wordsPattern(kPythonBuiltins), m_builtin);
        add(wordsPattern(kPythonKeywords), m_keyword);
        add(QStringLiteral("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'"), m_string);
        add(QStringLiteral("#[^\\n]*"), m_comment);
        m_spans.append({QStringLiteral("\"\"\""), QStringLiteral("\"\"\""), 1, m_string});
        m_spans.append({QStringLiteral("'''"), QStringLiteral("'''"), 2, m_string});
    } else {
        add(wordsPattern(kJsBuiltins), m_builtin);
        QStringList keywords = kJsKeywords;
        if (language == QLatin1String("typescript")) {
            keywords += kTsKeywords;
            add(wordsPattern(kTsTypes), m_builtin);
        }
        add(wordsPattern(keywords), m_keyword);
        add(QStringLiteral("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`(?:[^`\\\\]|\\\\.)*`"), m_string);
        add(QStringLiteral("//[^\\n]*"), m_comment);
        m_spans.append({QStringLiteral("/*"), QStringLiteral("*/"), 1, m_comment});
    }
    rehighlight();
}

void CodeHighlighter::highlightBlock(const QString& text) {
    for (const Rule& rule : std::as_const(m_rules)) {
        auto it = rule.pattern.globalMatch(text);
        while (it.hasNext()) {
            const auto m = it.next();
            // A comment marker inside a string is no comment: the string's colour stays.
            if (rule.format.property(kKindProperty) == QLatin1String("comment") &&
                kindOf(format(int(m.capturedStart()))) == QLatin1String("string"))
                continue;
            setFormat(int(m.capturedStart()), int(m.capturedLength()), rule.format);
        }
    }
    spans(text);
}

void CodeHighlighter::spans(const QString& text) {
    setCurrentBlockState(0);
    int from = 0;
    const Span* open = nullptr;
    for (const Span& s : std::as_const(m_spans))
        if (previousBlockState() == s.state)
            open = &s;
    while (from <= text.size()) {
        int start = from;
        if (!open) {
            // The earliest span opener not inside a comment.
            int best = -1;
            for (const Span& s : std::as_const(m_spans)) {
                int at = text.indexOf(s.start, from);
                while (at >= 0 && kindOf(format(at)) == QLatin1String("comment") &&
                       s.format.property(kKindProperty) != QLatin1String("comment"))
                    at = text.indexOf(s.start, at + 1);
                if (at >= 0 && (best < 0 || at < best)) {
                    best = at;
                    open = &s;
                }
            }
            if (!open)
                return;
            start = best;
            from = best + int(open->start.size());
        }
        const int end = text.indexOf(open->end, from);
        if (end < 0) {
            setFormat(start, int(text.size()) - start, open->format);
            setCurrentBlockState(open->state);
            return;
        }
        const int stop = end + int(open->end.size());
        setFormat(start, stop - start, open->format);
        from = stop;
        open = nullptr;
    }
}

} // namespace cove::ui::playground
