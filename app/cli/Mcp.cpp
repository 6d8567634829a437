#include "app/cli/Cli.h"

namespace cove::cli {

int runMcp(const QStringList&) {
    return kFailed;
}

} // namespace cove::cli
