#pragma once
// Small helpers over storage::Database for the report's queries: catalog introspection and the
// few SQL fragments that differ between SQLite and PostgreSQL (pattern tests, numeric rounding).
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "dicometl/storage/database.hpp"

namespace dicometl::report {

//! True when `table` has a column named `column`.
bool has_column(storage::Database& db, const std::string& table, const std::string& column);

//! SQL that is true when `expr` is exactly `n` ASCII digits.
std::string sql_is_digits(storage::Dialect d, std::string_view expr, int n);
//! SQL that is true when `expr` is a DICOM Age String: three digits and D, W, M or Y.
std::string sql_is_age_string(storage::Dialect d, std::string_view expr);
//! SQL rounding a floating column to `places` decimals (PostgreSQL needs numeric for that).
std::string sql_round(storage::Dialect d, std::string_view expr, int places);

//! Runs a query returning one integer (count, sum); 0 when it returns no row or NULL.
std::int64_t query_int(storage::Database& db, const std::string& sql);
//! Runs a query and calls `row` for each result row.
void query_rows(storage::Database& db, const std::string& sql,
                const std::function<void(const storage::Statement&)>& row);
//! Column text, '' for NULL.
std::string text_or_empty(const storage::Statement& s, int col);

}  // namespace dicometl::report
