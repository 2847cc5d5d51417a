#pragma once
// DXA results a vendor wrote into the DICOM header of the report object itself: read from the
// elements the header reader already holds (private ones included), no OCR.
//
// Hologic (observed in public code for Discovery W, software 13.2, see docs/dexa.md "Paths without
// OCR"): a private text element holds a script of `Name = "value";` lines, among them the results
// table as `ResultsTable[ r][ c] = "text";` — row 0 the column labels (HTML markup such as
// "BMD[g/cm<sup><small>2</small></sup>]"), column 0 the region names, blank cells " ".
// The element's tag is not documented, so every text or small binary element is searched.
#include <optional>
#include <string>

#include "dicometl/dexa/page.hpp"
#include "dicometl/model/instance.hpp"

namespace dicometl::dexa {

//! Binary values up to this size must be kept inline by the header reader for the script to be
//! seen (dicom::ReadOptions::max_inline_binary); the fast parser loads at most 64 KiB anyway.
constexpr std::size_t kHeaderResultsMaxBytes = 64 * 1024;

//! The values of a results table in the header (layout "hologic-header", checks as for SR pages;
//! page_scan_date from the script's `Scan = "…"` line); nullopt when the header holds none.
std::optional<Page> page_from_header(const Instance& inst);

//! The same from the script text alone (what page_from_header finds in an element).
std::optional<Page> page_from_results_script(const std::string& script);

}  // namespace dicometl::dexa
