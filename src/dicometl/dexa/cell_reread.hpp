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

//! Reads each value column as one block (digits, point, minus) and files the words under the
//! rows they face: Cell::column.
void reread_columns(ParsedTable& table, OcrEngine& ocr);

//! The sign-aware look: a T- or Z-score cell whose reads all lack a minus, with a dash in the
//! pixels at the start of its box or just left of it on `page` (a short horizontal bar at
//! mid-height, paper above and below it), gets the minus put on its page read. The reads then
//! disagree in sign, so QC can only repair or flag the value, never call it ok: a 90-ppi minus is
//! one blurred pixel row that all OCR passes may lose. A page read that starts with a double
//! quote mark instead ("“1.2": how Tesseract reads a 90-ppi minus) gets the minus likewise, and
//! one whose minus was read as "4" ("40.3", "-40.7": another read has the digits without the 4,
//! the minus seen in the page read or as a dash) loses the 4 and gets the minus.
void mark_lost_minus(ParsedTable& table, const dicom::GrayImage& page);

//! For cells whose two reads differ: a third read on `alt`, the other picture of the page
//! (preprocess.hpp: the binarized page when the page pass read gray, or the reverse). Switches
//! `ocr` to `alt`. Cell::third is then the read among that one and Cell::column that agrees with
//! the page or the cell read (agreement, never a guess), else the `alt` read.
void reread_on_alt(ParsedTable& table, OcrEngine& ocr, const dicom::GrayImage& alt);

}  // namespace dicometl::dexa
