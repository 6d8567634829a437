#include "app/cli/Cli.h"

#include <cstdio>

namespace cove::cli {

int runCommand(const QStringList&) {
    std::fputs("usage: cove-cli <command> [options]\n", stderr);
    return kUsage;
}

} // namespace cove::cli
