#pragma once
// The columns a site's existing table really has (names, text or not, varchar widths), and a
// BulkWriter that fits dicometl's rows to them: tables made by other tools (d2e's data-management
// plugin, RadETL) lack columns dicometl writes or type them differently.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "dicometl/storage/database.hpp"

namespace dicometl::omop {

struct SiteColumn {
  bool text = false;                     //!< character type (varchar, text)
  std::optional<std::size_t> max_chars;  //!< varchar(n) width
};
//! Columns of `table` in `schema` by lower-case name; empty when the table does not exist. SQLite
//! (one schema) ignores `schema`; its declared varchar(n) widths are honoured as PostgreSQL's.
std::unordered_map<std::string, SiteColumn> site_columns(storage::Database& db,
                                                         const std::string& schema,
                                                         const std::string& table);

//! How one of dicometl's columns goes into the site's table.
enum class Fit {
  kAsIs,       //!< same column, written as given
  kDrop,       //!< the table has no such column: the field is left out
  kIntAsText,  //!< an integer id into a text column (d2e's uuid-text metadata_id)
  kIntAsHex,   //!< an integer into a text column as 4 hex digits (d2e's group number "0008")
};

//! Wraps `inner` (opened on the kept columns only): fields arrive in dicometl's full column order
//! and are dropped or converted per `fits` (one entry per full column).
std::unique_ptr<storage::BulkWriter> fitted_writer(std::unique_ptr<storage::BulkWriter> inner,
                                                   std::vector<Fit> fits);

}  // namespace dicometl::omop
