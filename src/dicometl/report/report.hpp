#pragma once
// dicometl report: figures about a catalog (and its OMOP/DXA outputs) computed with SQL
// aggregates, so an archive of millions of instances never has to fit in memory.
#include <string>

#include "dicometl/report/figures.hpp"
#include "dicometl/storage/database.hpp"

namespace dicometl::report {

//! Runs the aggregate queries. Throws storage::Error when the database is not a catalog.
Figures collect_figures(storage::Database& db);

//! The figures as one JSON document (the same numbers the HTML shows).
std::string to_json(const Figures& f);

//! One self-contained HTML page: inline CSS and SVG, no script, no network request.
std::string to_html(const Figures& f);

//! A few lines for the terminal.
std::string text_summary(const Figures& f);

//! Human name of a transfer syntax UID; '' when unknown.
std::string transfer_syntax_name(const std::string& uid);

}  // namespace dicometl::report
