// Schema step 6 in both dialects: the sandbox fields kept in `extra` become typed columns, and the mounts a
// table of their own.
#pragma once

namespace cove::store {

// SQLite: adds the columns and copies what `extra` holds into them.
extern const char* const kMigration6Sqlite;
// PostgreSQL: the same columns and table (its databases start at a later schema, with no data to copy).
extern const char* const kMigration6Postgres;

} // namespace cove::store
