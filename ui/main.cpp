// cove: the desktop dashboard for the local Cove service.
#include "app/ApiClient.h"
#include "app/Connection.h"
#include "app/Settings.h"
#include "ui/Appearance.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>

namespace {

// --help and --version answer with no display (from a terminal, a man page's reader, a package test).
bool onlyInfo(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "--help" || a == "-h" || a == "--help-all" || a == "--version" || a == "-v")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts); // web views: preview, terminal
    if (onlyInfo(argc, argv))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Cove"));
    QApplication::setApplicationName(QStringLiteral("cove"));
    QApplication::setApplicationDisplayName(QStringLiteral("Cove"));
    QApplication::setApplicationVersion(QStringLiteral(COVE_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/cove.svg")));

    cove::ui::appearance::applyLanguage(
        cove::app::Settings::value(cove::app::Settings::Key::Language).toString());
    cove::ui::appearance::applyTheme(cove::app::Settings::value(cove::app::Settings::Key::Theme).toString());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Dashboard for Cove, the local service that runs sandboxes for AI agents.\n\n"
                "With no options it connects to http://127.0.0.1:3986 with the admin key in "
                "$XDG_DATA_HOME/cove/admin.key or, when that is missing, /var/lib/cove/admin.key (readable "
                "by the cove group; join it with: sudo adduser $USER cove)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption urlOption(
        QStringLiteral("url"), QApplication::translate("main", "Address of the Cove service (COVE_URL)."),
        QStringLiteral("URL"));
    const QCommandLineOption keyOption(
        QStringLiteral("api-key-file"),
        QApplication::translate("main", "File holding the API key (else COVE_API_KEY)."),
        QStringLiteral("FILE"));
    parser.addOption(urlOption);
    parser.addOption(keyOption);
    parser.process(app);

    cove::app::ApiClient client;
    client.setTarget(cove::app::Connection::resolve(parser.value(urlOption), parser.value(keyOption)));
    cove::ui::MainWindow window(&client);
    window.show();
    return QApplication::exec();
}
