// The dashboard's settings: one typed table of keys and defaults over QSettings. No stray string keys.
#pragma once

#include <QVariant>

namespace cove::app {

class Settings {
public:
    enum class Key {
        ServiceUrl, // empty: the local coved
        ApiKey,     // empty: the local coved's admin key
        RefreshSeconds,
        Language, // empty: the system's; else a locale name such as zh_CN
        Theme,    // system, light or dark
        WindowGeometry,
        WindowState,
        Layout, // the splitters' and table headers' states, by object name, and the page shown
    };

    static QVariant value(Key key);
    static void setValue(Key key, const QVariant& v);
    static QString name(Key key);
    static QVariant defaultValue(Key key);
};

} // namespace cove::app
