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

// Columns added to version 1 tables since (catalog.sql creates them in a new catalog): a catalog
// written by an older dicometl gets them here, empty. Additive, so older readers still work.
struct AddedColumn {
  const char* table;
  const char* column;
  const char* type;  // the same word is valid in both dialects
};
constexpr AddedColumn kAddedColumns[] = {
    {"ingest_run", "still_rejected", "bigint"}, {"ingest_run", "missing", "bigint"},
    {"ingest_run", "conflicts", "bigint"},      {"file", "missing_since", "text"},
    {"patient", "source_path", "text"},         {"study", "source_path", "text"},
};

bool has_column(storage::Database& db, const AddedColumn& c) {
  try {
    db.prepare(std::string("SELECT ") + c.column + " FROM " + c.table + " LIMIT 0");
    return true;
  } catch (const storage::Error&) {
    return false;
  }
}

// Outside a transaction: a failed probe would end a PostgreSQL transaction. Only a missing
// column takes the table lock an ALTER needs (shards writing meanwhile are not held up).
void add_columns(storage::Database& db) {
  for (const auto& c : kAddedColumns) {
    if (has_column(db, c)) continue;
    // Concurrent runs (shards) may both get here: PostgreSQL has IF NOT EXISTS, SQLite not.
    const std::string alter = std::string("ALTER TABLE ") + c.table + " ADD COLUMN " +
                              (db.dialect() == storage::Dialect::kSqlite ? "" : "IF NOT EXISTS ") +
                              c.column + " " + c.type;
    try {
      db.execute(alter);
    } catch (const storage::Error&) {
      if (!has_column(db, c)) throw;  // not added by another process meanwhile
    }
  }
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
  add_columns(db);
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
