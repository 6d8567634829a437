// Language and theme of the whole application; both take effect at once, without a restart.
#pragma once

#include <QString>
#include <QStringList>

namespace cove::ui::appearance {

// Installs Qt's and Cove's translations for `language` (a locale name such as zh_CN; empty: the
// system's). Widgets receive QEvent::LanguageChange; the main window rebuilds itself on it.
void applyLanguage(const QString& language);
// The languages Cove is translated into, as locale names (English first).
QStringList languages();
// The language's own name, e.g. 中文（简体） for zh_CN.
QString nativeName(const QString& language);

// "light" and "dark" use the Fusion style with a palette of their own; "system" the platform's look.
void applyTheme(const QString& theme);
bool isDark();

} // namespace cove::ui::appearance
