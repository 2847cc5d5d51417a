#include "dicometl/catalog/embedded_sql.hpp"
#include "dicometl/catalog/catalog_writer.hpp"

#include <string>

namespace dicometl::catalog {

namespace {
constexpr int kSchemaVersion = 1;
}

namespace {
const char* dialect_dir(const storage::Database& db) {
  return db.dialect() == storage::Dialect::kSqlite ? "sqlite/" : "postgres/";
}
}  // namespace

bool ensure_schema(storage::Database& db, bool allow_deferred_indexes) {
  const char* ddl = embedded_sql((std::string(dialect_dir(db)) + "catalog.sql").c_str());
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
  const bool empty = [&] {
    auto q = db.prepare("SELECT 1 FROM file LIMIT 1");
    return !q->step();
  }();
  if (allow_deferred_indexes && empty &&
      embedded_sql((std::string(dialect_dir(db)) + "catalog_indexes.sql").c_str()))
    return true;
  ensure_indexes(db);
  return false;
}

void ensure_indexes(storage::Database& db) {
  const char* sql = embedded_sql((std::string(dialect_dir(db)) + "catalog_indexes.sql").c_str());
  if (!sql) return;
  // Building an index sorts every row; with SQLite's in-memory temp store (the ingest setting) the
  // sort would grow with the archive. Spill to disk instead, so peak memory stays bounded.
  const bool sqlite = db.dialect() == storage::Dialect::kSqlite;
  if (sqlite) db.execute("PRAGMA temp_store=FILE");
  storage::in_transaction(db, [&] { db.execute(sql); });
  if (sqlite) db.execute("PRAGMA temp_store=MEMORY");
}

}  // namespace dicometl::catalog
