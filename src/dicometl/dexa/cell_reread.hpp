#pragma once
// The second OCR pass: every value cell and every doubtful region name read again on its own,
// from the same picture, in single-line mode (values restricted to digits, point, minus and %).
// QC keeps a value ok only when both reads agree; where the page-wide read failed, the focused
// read often succeeds (a stray mark, a lost "L", "£" for "1").
#include "dicometl/dexa/ocr.hpp"
#include "dicometl/dexa/table_parser.hpp"

namespace dicometl::dexa {

//! Fills Cell::reread / reread_conf for every cell and retries unknown region names (then
//! TableRow::region and region_raw reflect the new read, region.fuzzy marks it as repaired).
void reread_cells(ParsedTable& table, OcrEngine& ocr);

//! For cells whose two reads differ: a third read on `gray`, the page before binarizing (blur
//! thickens binarized glyphs; gray keeps what thresholding lost). Switches `ocr` to `gray`.
void reread_on_gray(ParsedTable& table, OcrEngine& ocr, const dicom::GrayImage& gray);

}  // namespace dicometl::dexa
