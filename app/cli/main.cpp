// cove-cli: Cove from a terminal or a script, and as an MCP server for agents.
#include "app/cli/Cli.h"

#include <QCoreApplication>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cove-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Cove"));
    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    if (!args.isEmpty() && args.first() == QLatin1String("mcp"))
        return cove::cli::runMcp(args.mid(1));
    return cove::cli::runCommand(args);
}
