// The store a test of the repositories runs on: a new database in `dir`, migrated. Tests use only
// store::Database's interface, so the same test runs on every store Cove supports.
#pragma once

#include "service/store/Store.h"

#include <memory>
#include <string>

namespace cove::test {

inline std::unique_ptr<store::Database> openTestDatabase(const std::string& dir) {
    return std::make_unique<store::Database>(dir + "/t.db");
}

} // namespace cove::test
