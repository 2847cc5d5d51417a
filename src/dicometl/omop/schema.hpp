#pragma once
// Schema and table names for the OMOP output: validated, quoted, and qualified per dialect.
#include <string>

#include "dicometl/omop/options.hpp"
#include "dicometl/storage/database.hpp"

namespace dicometl::omop {

//! True for names dicometl accepts from users: letters, digits, '_' and '$', not starting with a
//! digit, at most 63 bytes (PostgreSQL's limit). Quoting then makes them safe in SQL.
bool valid_identifier(const std::string& name);
//! `"name"`; throws storage::Error when the name is not valid_identifier.
std::string quote_identifier(const std::string& name);

//! Fully qualified, quoted table names. On SQLite (one schema) names are not qualified.
struct Names {
  std::string cdm, vocab, imaging;  //!< `"schema".` prefixes, or "" on SQLite
  std::string cdm_table(const char* t) const { return cdm + '"' + t + '"'; }
  std::string vocab_table(const char* t) const { return vocab + '"' + t + '"'; }
  std::string imaging_table(const char* t) const { return imaging + '"' + t + '"'; }
};
Names make_names(const Options& o, storage::Dialect dialect);

//! Creates missing OMOP, vocabulary and imaging tables (never alters or drops). PostgreSQL: also
//! the schemas when missing.
void ensure_omop_schema(storage::Database& db, const Options& o);
//! Creates the CDM measurement table when missing (sql/<dialect>/omop_measurement.sql): only the
//! DXA output writes it, so ensure_omop_schema leaves it out.
void ensure_measurement_table(storage::Database& db, const Options& o);

}  // namespace dicometl::omop
