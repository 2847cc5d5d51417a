#pragma once
// The current time, UTC, as the two texts the outputs store. One place for gmtime/strftime.
#include <string>

namespace dicometl {

//! "2026-12-01T22:08:41Z": run records and report stamps (ISO 8601, unambiguous to a reader).
std::string utc_now_iso8601();
//! "2026-12-01 22:08:41": SQL TIMESTAMP columns (OMOP etl_/alg_ datetimes, upload records).
std::string utc_now_sql();

}  // namespace dicometl
