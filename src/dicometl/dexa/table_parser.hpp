#pragma once
// Rebuilds the results table from OCR word boxes, in phases:
//   1. lines   — text-sized words grouped into lines by overlap with each line's median band;
//   2. header  — the first line whose columns (one or two label lines) include BMD and another
//                measured column, labels matched as whole tokens with OCR confusions allowed
//                (header_rules(), layouts.hpp) — never one literal word such as "Region";
//   3. columns — label words clustered by x; the region column is the one left of the first
//                value column, whatever its label ("Regien", "Radius + Ulna", none);
//   4. rows    — following lines inside the table's x-range until a stop word or a gap;
//                region = words left of the first value column; a section title without
//                values ("Neck" of Hologic dual hip) names its sub-rows ("Neck Left");
//   5. cells   — value words clustered into columns by overlapping x-ranges across rows (so a
//                mis-read or run-together header cannot shift values), each cluster named by
//                the header label above it.
// Trend tables, chart axes and the patient block are outside the header's columns or after a
// stop word, so their numbers never become results.
#include <map>
#include <string>
#include <vector>

#include "dicometl/dexa/cell_text.hpp"
#include "dicometl/dexa/page.hpp"

namespace dicometl::dexa {

//! A rectangle in the OCR picture's pixels.
struct Box {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

//! One table cell as read (before number parsing).
struct Cell {
  std::string raw;
  float conf = 0;
  float min_conf = 0;
  Box box;
  //! A second, cell-sized read (cell_reread.hpp): digits only. Empty when not done.
  std::string reread;
  float reread_conf = -1;
  //! The tie-breaker when the first two differ: of the cell read on the other picture of the page
  //! (binarized or gray) and the column read, one that agrees with the page or the cell read,
  //! else the former. Empty if not done.
  std::string third;
  float third_conf = -1;
  //! The cell as seen when its whole column is read as one block (digits only): the column box
  //! also holds a minus sign or point the page pass cut off the cell's own box.
  std::string column;
  float column_conf = -1;
};

struct TableRow {
  std::string region_raw;
  RegionMatch region;
  float region_conf = 0;
  //! Lowest word confidence of the region name's words (QcOptions::small_glyphs).
  float region_word_conf = 100;
  Box region_box;
  std::map<std::string, Cell> cells;  //!< metric → cell; a blank cell is simply absent
  std::vector<std::string> problems;  //!< row-level doubts (e.g. two values in one column)
};

struct ParsedTable {
  bool found = false;
  std::string why_not;          //!< when !found: a sentence for the rejects list
  std::string layout;           //!< the vendor: hologic, lunar, norland (layouts())
  bool layout_guessed = false;  //!< no vendor marker on the page: guessed from the columns
  std::string kind;             //!< spine, hip, dual_hip, forearm, total_body ("" when unclear)
  std::vector<std::string> columns;  //!< metrics in page order
  std::vector<TableRow> rows;
  //! Bands of the table where the row pitch says a row should be and OCR gave none (a first row
  //! under the header rule, a blurred row): worth reading again (extract.cpp).
  std::vector<Box> gaps;
};

//! Finds and reads the results table among `words`. Pure function of its input.
ParsedTable parse_results_table(const std::vector<OcrWord>& words);

//! Unknown region names between two known neighbours of one printed sequence (L1…L4, Neck…
//! Total, UD…Total), or before the sequence's second name in the first row, named so and
//! marked repaired (RegionMatch::fuzzy). Run again after region re-reads have named neighbours.
void fill_regions_from_sequences(std::vector<TableRow>& rows);

//! The layout whose markers (vendor and product names) occur most among `words`; "" if none.
std::string detect_layout(const std::vector<OcrWord>& words);

}  // namespace dicometl::dexa
