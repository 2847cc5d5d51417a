#pragma once
// The CSV outputs: long (one row per value) and wide (one row per patient × exam date, one
// column per site_region_metric, as the manual process produced). RFC 4180 quoting, UTF-8.
#include <ostream>
#include <vector>

#include "dicometl/dexa/page.hpp"

namespace dicometl::dexa {

//! Columns: patient_id, exam_date, site, region, metric, value, unit, qc_status, qc_reason,
//! ocr_confidence, layout, duplicate, source_file, sop_instance_uid, page_scan_date.
void write_long_csv(std::ostream& out, const std::vector<Page>& pages);

//! Columns: patient_id, exam_date, pages, flagged, duplicate, then e.g. spine_L1-L4_bmd in a
//! fixed order (site, region as in layouts.hpp, metric). `flagged` lists the value columns whose
//! QC status is not ok; their cells still hold what was read.
void write_wide_csv(std::ostream& out, const std::vector<Page>& pages);

//! Columns: path, reason: every file looked at and not used (`--rejects`).
void write_rejects_csv(std::ostream& out, const std::vector<Rejected>& rejected);

}  // namespace dicometl::dexa
