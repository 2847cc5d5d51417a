#pragma once
// Quality control, in two phases: each cell on its own (number format, OCR confidence, range),
// then the page as a whole (BMD ≈ BMC/Area, totals within and equal to their parts, means and
// differences of left/right, and the scores against BMD and YA%/AM% in qc_scores.hpp). A value that
// may be wrong is never "ok": it is "flagged", or "repaired" when a slip was corrected (still to be
// looked at).
#include <vector>

#include "dicometl/dexa/page.hpp"
#include "dicometl/dexa/table_parser.hpp"

namespace dicometl::dexa {

struct QcOptions {
  //! Lowest symbol confidence (0–100) a cell may have and pass. Tesseract gives clean printed
  //! digits 90+; doubtful glyphs fall well below.
  float min_symbol_conf = 80;
  //! Lowest word confidence of a cell whose reads did not confirm each other.
  float min_word_conf = 85;
  //! Set per page: its glyphs were tiny (upscaled kSmallGlyphScale× or more before OCR, a
  //! 90-ppi export). Every read then sees the same few blurred pixels, so reads that agree do
  //! not outweigh a low word confidence: below min_word_conf_small the value is flagged.
  bool small_glyphs = false;
  float min_word_conf_small = 90;
  //! The same for a region name on small glyphs. Lower: names are short tokens whose word
  //! confidence is low for many right reads (half of the 90-ppi ladder's names score < 80).
  float min_region_word_conf_small = 40;
};

//! Upscale factor from which a page's glyphs count as small (QcOptions::small_glyphs): 7–8 px
//! digits, 90 ppi and below; a 120-ppi page is scaled ~2.7×.
constexpr double kSmallGlyphScale = 3.0;

//! Phase 1: the table's cells as values, each with its own checks applied.
std::vector<Value> values_from_table(const ParsedTable& table, const QcOptions& options = {});

//! Phase 2, OCR pages only: a digit every read misread alike, set right where BMD = BMC/Area
//! and the sums of the parts leave exactly one single-digit change (repaired). Values read from
//! data (SR, header) are never changed.
void repair_misread_digits(std::vector<Value>& values);

//! Phase 2: checks between values of one page; flags every value a failed check involves.
//! `small_glyphs` (QcOptions::small_glyphs): a score a rounding step from what Left and Right
//! say is not ok, since a digit misread by one hides there.
void check_page(std::vector<Value>& values, bool small_glyphs = false);

}  // namespace dicometl::dexa
