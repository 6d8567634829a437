// Schema step 6 in both dialects: the sandbox fields kept in `extra` become typed columns, and the mounts a
// table of their own.
#pragma once

#include <string>

namespace cove::store {

// SQLite: adds the columns and copies what `extra` holds into them.
std::string migration6Sqlite();
// PostgreSQL: the same columns and table (its databases start at a later schema, with no data to copy).
std::string migration6Postgres();

} // namespace cove::store
