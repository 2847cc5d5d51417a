#include "dicometl/report/sql_helpers.hpp"

#include <fmt/core.h>

namespace dicometl::report {

using storage::Dialect;

bool has_column(storage::Database& db, const std::string& table, const std::string& column) {
  const char* sql = db.dialect() == Dialect::kSqlite
                        ? "SELECT 1 FROM pragma_table_info(?) WHERE name = ?"
                        : "SELECT 1 FROM information_schema.columns WHERE table_name = ? "
                          "AND column_name = ? AND table_schema = ANY (current_schemas(false))";
  auto st = db.prepare(sql);
  st->bind_text(1, table);
  st->bind_text(2, column);
  return st->step();
}

std::string sql_is_digits(Dialect d, std::string_view expr, int n) {
  if (d == Dialect::kPostgres) return fmt::format("({} ~ '^[0-9]{{{}}}$')", expr, n);
  std::string glob;
  for (int i = 0; i < n; ++i) glob += "[0-9]";
  return fmt::format("({} GLOB '{}')", expr, glob);
}

std::string sql_is_age_string(Dialect d, std::string_view expr) {
  if (d == Dialect::kPostgres) return fmt::format("({} ~ '^[0-9]{{3}}[DWMY]$')", expr);
  return fmt::format("({} GLOB '[0-9][0-9][0-9][DWMY]')", expr);
}

std::string sql_round(Dialect d, std::string_view expr, int places) {
  if (d == Dialect::kPostgres) return fmt::format("round(CAST({} AS numeric), {})", expr, places);
  return fmt::format("round({}, {})", expr, places);
}

std::int64_t query_int(storage::Database& db, const std::string& sql) {
  auto st = db.prepare(sql);
  if (!st->step() || st->column_is_null(0)) return 0;
  return st->column_int(0);
}

void query_rows(storage::Database& db, const std::string& sql,
                const std::function<void(const storage::Statement&)>& row) {
  auto st = db.prepare(sql);
  while (st->step()) row(*st);
}

std::string text_or_empty(const storage::Statement& s, int col) {
  return s.column_is_null(col) ? std::string() : s.column_text(col);
}

}  // namespace dicometl::report
