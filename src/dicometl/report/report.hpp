#pragma once
// dicometl report: figures about a catalog (and its OMOP/DXA outputs) computed with SQL
// aggregates, so an archive of millions of instances never has to fit in memory.
#include <string>

#include "dicometl/report/figures.hpp"
#include "dicometl/storage/database.hpp"

namespace dicometl::report {

struct ReportOptions {
  //! Example paths of rejected files: PACS exports often name folders after patients, so they
  //! are shown only when asked for; counts otherwise.
  bool show_paths = false;
};

//! Runs the aggregate queries. Throws storage::Error when the database is not a catalog.
Figures collect_figures(storage::Database& db, const ReportOptions& options = {});

//! The figures as one JSON document (the same numbers the HTML shows).
std::string to_json(const Figures& f);

//! One self-contained HTML page: inline CSS and SVG, no script, no network request.
std::string to_html(const Figures& f);

//! A few lines for the terminal.
std::string text_summary(const Figures& f);

//! Human name of a transfer syntax UID; '' when unknown.
std::string transfer_syntax_name(const std::string& uid);

}  // namespace dicometl::report
