// What both databases share: opening by spec, and queryOne.
#include "service/store/Store.h"

#include "service/store/PostgresDatabase.h"
#include "service/store/SqliteDatabase.h"

namespace cove::store {

std::optional<Row> Database::queryOne(const std::string& sql, const std::vector<Value>& params) {
    auto rows = query(sql, params);
    if (rows.empty())
        return std::nullopt;
    return std::move(rows.front());
}

bool isPostgresUrl(const std::string& spec) {
    return spec.rfind("postgresql://", 0) == 0 || spec.rfind("postgres://", 0) == 0;
}

std::unique_ptr<Database> open(const std::string& spec) {
    if (isPostgresUrl(spec))
        return std::make_unique<PostgresDatabase>(spec);
    return std::make_unique<SqliteDatabase>(spec);
}

} // namespace cove::store
