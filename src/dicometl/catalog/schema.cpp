#include "dicometl/catalog/embedded_sql.hpp"
#include "dicometl/catalog/catalog_writer.hpp"

namespace dicometl::catalog {

namespace {
constexpr int kSchemaVersion = 1;
}

void ensure_schema(storage::Database& db) {
  const char* ddl = embedded_sql(db.dialect() == storage::Dialect::kSqlite ? "sqlite/catalog.sql"
                                                                           : "postgres/catalog.sql");
  if (!ddl) throw storage::Error("this build has no catalog schema for the database's dialect");
  storage::in_transaction(db, [&] {
    db.execute(ddl);
    auto q = db.prepare("SELECT version FROM catalog_schema");
    if (q->step()) {
      if (q->column_int(0) != kSchemaVersion)
        throw storage::Error("catalog schema version " + std::to_string(q->column_int(0)) +
                             " is not the version this dicometl writes (" +
                             std::to_string(kSchemaVersion) + ")");
    } else {
      db.execute("INSERT INTO catalog_schema (version) VALUES (" + std::to_string(kSchemaVersion) + ")");
    }
  });
}

}  // namespace dicometl::catalog
