#pragma once
// The dexa_value table (SQLite or PostgreSQL through storage::Database): one row per value. The
// report module reads it (docs/report.md, "DXA"): region, measure, qc_status, sop_instance_uid.
#include <vector>

#include "dicometl/dexa/page.hpp"
#include "dicometl/storage/database.hpp"

namespace dicometl::dexa {

//! Creates dexa_value when missing, then replaces the rows of each page's SOP Instance (a re-run
//! of the same files gives the same table), in one transaction. Returns rows written. Throws
//! storage::Error when the database fails.
std::size_t write_dexa_values(storage::Database& db, const std::vector<Page>& pages);

}  // namespace dicometl::dexa
