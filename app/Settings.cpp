// The settings table.
#include "app/Settings.h"

#include <QSettings>

namespace cove::app {

namespace {
struct Entry {
    Settings::Key key;
    const char* name;
    QVariant defaultValue;
};

const Entry kTable[] = {
    {Settings::Key::ServiceUrl, "connection/url", QString()},
    {Settings::Key::ApiKey, "connection/apiKey", QString()},
    {Settings::Key::RefreshSeconds, "ui/refreshSeconds", 5},
    {Settings::Key::Language, "ui/language", QString()},
    {Settings::Key::Theme, "ui/theme", QStringLiteral("system")},
    {Settings::Key::WindowGeometry, "ui/geometry", QByteArray()},
    {Settings::Key::WindowState, "ui/state", QByteArray()},
    {Settings::Key::Layout, "ui/layout", QVariantMap()},
};

const Entry& entry(Settings::Key key) {
    for (const auto& e : kTable)
        if (e.key == key)
            return e;
    return kTable[0];
}
} // namespace

QString Settings::name(Key key) {
    return QString::fromLatin1(entry(key).name);
}
QVariant Settings::defaultValue(Key key) {
    return entry(key).defaultValue;
}
QVariant Settings::value(Key key) {
    return QSettings().value(name(key), defaultValue(key));
}
void Settings::setValue(Key key, const QVariant& v) {
    QSettings().setValue(name(key), v);
}

} // namespace cove::app
