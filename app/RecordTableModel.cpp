// Dates as the resource tables show them.
#include "app/RecordTableModel.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

namespace cove::app {

QString relativeTime(const QString& iso) {
    const QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!t.isValid())
        return QStringLiteral("—");
    const qint64 s = t.secsTo(QDateTime::currentDateTimeUtc());
    // lupdate reads the marks; the texts are looked up here, with the count for the plural forms.
    const auto translated = [](const char* text, qint64 n = -1) {
        return QCoreApplication::translate("RelativeTime", text, nullptr, int(n));
    };
    QString ago;
    if (s < 0)
        ago = translated(QT_TRANSLATE_N_NOOP("RelativeTime", "in %n min"), -s / 60);
    else if (s < 60)
        ago = translated(QT_TRANSLATE_NOOP("RelativeTime", "just now"));
    else if (s < 3600)
        ago = translated(QT_TRANSLATE_N_NOOP("RelativeTime", "%n min ago"), s / 60);
    else if (s < 86400)
        ago = translated(QT_TRANSLATE_N_NOOP("RelativeTime", "%n h ago"), s / 3600);
    else
        ago = translated(QT_TRANSLATE_N_NOOP("RelativeTime", "%n days ago"), s / 86400);
    return ago + QStringLiteral(" (") + QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) +
           QLatin1Char(')');
}

} // namespace cove::app
