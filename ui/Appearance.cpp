// Translators and palettes are process-wide: they live here, set from the settings at start and when
// the user changes them.
#include "ui/Appearance.h"

#include <QApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>
#include <QTranslator>

namespace cove::ui::appearance {

namespace {
QTranslator& qtTranslator() {
    static QTranslator t;
    return t;
}
QTranslator& coveTranslator() {
    static QTranslator t;
    return t;
}
QString& initialStyle() {
    static QString name;
    return name;
}
bool g_dark = false;

QPalette darkPalette() {
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1e, 0x1f, 0x22), text(0xe6, 0xe6, 0xe6),
        highlight(0x3d, 0x7e, 0xd8), disabled(0x80, 0x80, 0x80);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Link, highlight.lighter(130));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Mid, window.darker(120));
    p.setColor(QPalette::Dark, window.darker(160));
    p.setColor(QPalette::Light, window.lighter(150));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}
} // namespace

void applyLanguage(const QString& language) {
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    QLocale::setDefault(locale);
    QApplication::removeTranslator(&qtTranslator());
    QApplication::removeTranslator(&coveTranslator());
    if (qtTranslator().load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator());
    if (coveTranslator().load(locale, QStringLiteral("cove"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&coveTranslator());
    // English has no translator to install; widgets must hear of the change all the same.
    QEvent change(QEvent::LanguageChange);
    QApplication::sendEvent(qApp, &change);
}

QStringList languages() {
    return {QStringLiteral("en"), QStringLiteral("zh_CN")};
}

QString nativeName(const QString& language) {
    if (language == QLatin1String("zh_CN"))
        return QStringLiteral("中文（简体）");
    return QStringLiteral("English");
}

void applyTheme(const QString& theme) {
    if (initialStyle().isEmpty())
        initialStyle() = QApplication::style()->name();
    g_dark = theme == QLatin1String("dark");
    if (theme == QLatin1String("light") || g_dark) {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(g_dark ? darkPalette() : QApplication::style()->standardPalette());
    } else {
        QApplication::setStyle(QStyleFactory::create(initialStyle()));
        QApplication::setPalette(QApplication::style()->standardPalette());
    }
}

bool isDark() {
    return g_dark;
}

} // namespace cove::ui::appearance
