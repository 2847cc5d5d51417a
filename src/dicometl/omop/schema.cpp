#include "dicometl/omop/schema.hpp"

#include "dicometl/catalog/embedded_sql.hpp"

namespace dicometl::omop {

namespace {

std::string substitute(std::string sql, const std::string& key, const std::string& prefix) {
  // "${cdm}." → "\"cdm\"." (or "" on SQLite)
  const std::string pattern = "${" + key + "}.";
  for (auto pos = sql.find(pattern); pos != std::string::npos; pos = sql.find(pattern, pos)) {
    sql.replace(pos, pattern.size(), prefix);
    pos += prefix.size();
  }
  return sql;
}

// PostgreSQL checks CREATE privilege before "IF NOT EXISTS", so a site account that may only
// insert into existing tables would fail: run each statement only when its object is missing.
void create_missing(storage::Database& db, const std::string& script) {
  std::size_t start = 0;
  while (start < script.size()) {
    std::size_t end = script.find(";\n", start);
    if (end == std::string::npos) end = script.size();
    std::string stmt = script.substr(start, end - start);
    start = end + 2;
    // The object a statement creates: "CREATE TABLE IF NOT EXISTS <name> (" or
    // "CREATE INDEX IF NOT EXISTS <index> ON <table> (" (the index lives in its table's schema).
    const std::string kMark = "IF NOT EXISTS ";
    const auto at = stmt.find(kMark);
    if (at == std::string::npos) continue;  // comments only
    std::string name = stmt.substr(at + kMark.size());
    name = name.substr(0, name.find_first_of(" (\n"));
    if (stmt.find("CREATE INDEX") != std::string::npos) {
      const auto on = stmt.find(" ON ");
      std::string table = stmt.substr(on + 4);
      table = table.substr(0, table.find_first_of(" (\n"));
      name = table.substr(0, table.rfind('.') + 1) + '"' + name + '"';
    }
    if (!db.has_relation(name)) db.execute(stmt);
  }
}

}  // namespace

bool valid_identifier(const std::string& n) {
  if (n.empty() || n.size() > 63) return false;
  if (n[0] >= '0' && n[0] <= '9') return false;
  for (char c : n) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '$';
    if (!ok) return false;
  }
  return true;
}

std::string quote_identifier(const std::string& n) {
  if (!valid_identifier(n))
    throw storage::Error("invalid SQL name (letters, digits, _ and $ only, 63 bytes at most)");
  return '"' + n + '"';
}

Names make_names(const Options& o, storage::Dialect dialect) {
  Names n;
  if (dialect == storage::Dialect::kPostgres) {
    n.cdm = quote_identifier(o.cdm_schema) + '.';
    n.vocab = quote_identifier(o.vocab_schema) + '.';
    n.imaging = quote_identifier(o.imaging_schema) + '.';
  } else {
    // SQLite has one schema per file; still validate so a job file's names fail the same way.
    quote_identifier(o.cdm_schema);
    quote_identifier(o.vocab_schema);
    quote_identifier(o.imaging_schema);
  }
  return n;
}

void ensure_omop_schema(storage::Database& db, const Options& o) {
  const bool pg = db.dialect() == storage::Dialect::kPostgres;
  const Names n = make_names(o, db.dialect());
  const char* cdm = embedded_sql(pg ? "postgres/omop_cdm.sql" : "sqlite/omop_cdm.sql");
  const char* img = embedded_sql(pg ? "postgres/omop_imaging.sql" : "sqlite/omop_imaging.sql");
  if (!cdm || !img) throw storage::Error("this build has no OMOP schema for the database's dialect");
  storage::in_transaction(db, [&] {
    const std::string cdm_sql = substitute(substitute(cdm, "cdm", n.cdm), "vocab", n.vocab);
    const std::string img_sql = substitute(img, "imaging", n.imaging);
    if (!pg) {
      db.execute(cdm_sql);
      db.execute(img_sql);
      return;
    }
    auto has_schema = db.prepare("SELECT 1 FROM pg_namespace WHERE nspname = ?");
    for (const auto* s : {&o.cdm_schema, &o.vocab_schema, &o.imaging_schema}) {
      has_schema->reset();
      has_schema->bind_text(1, *s);
      if (!has_schema->step()) db.execute("CREATE SCHEMA IF NOT EXISTS " + quote_identifier(*s));
    }
    create_missing(db, cdm_sql);
    create_missing(db, img_sql);
  });
}

void ensure_measurement_table(storage::Database& db, const Options& o) {
  const bool pg = db.dialect() == storage::Dialect::kPostgres;
  const char* sql = embedded_sql(pg ? "postgres/omop_measurement.sql" : "sqlite/omop_measurement.sql");
  if (!sql) throw storage::Error("this build has no measurement table for the database's dialect");
  const std::string script = substitute(sql, "cdm", make_names(o, db.dialect()).cdm);
  pg ? create_missing(db, script) : db.execute(script);
}

}  // namespace dicometl::omop
