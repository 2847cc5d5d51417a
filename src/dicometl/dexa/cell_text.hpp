#pragma once
// From OCR token text to numbers and region names, with the repairs the parser may make and a
// note of each, so QC can refuse to call a repaired value ok.
#include <optional>
#include <string>
#include <string_view>

namespace dicometl::dexa {

//! Levenshtein distance between two byte strings.
int edit_distance(std::string_view a, std::string_view b);

//! Folds Unicode dashes and minus signs to '-', and strips spaces.
std::string fold_dashes(std::string_view s);
//! The ASCII digits of `s`, in order ("-0.7%" → "07"): what reads of one cell are compared by.
std::string digits_of(std::string_view s);

//! The digit OCR reads as this letter in a value cell (l/L/I/i/| 1, O/o/D/Q 0, S/s/$ 5, A 4,
//! B 8, Z/z 2), or '\0'.
char digit_for_letter(char c);
//! Lower case ASCII, spaces removed, dashes folded: what label rules compare.
std::string label_key(std::string_view s);

//! A cell read as a number.
struct CellNumber {
  std::string text;  //!< canonical text ("-1.2", "0.987")
  double value = 0;
  int decimals = 0;
  std::string repair;  //!< empty, or what was changed ("decimal point inserted", …)
};

//! Reads `raw` as a number for a column printing `decimals` places (-1: unknown). Accepts a
//! trailing '%'. Repairs only unambiguous slips: a lost decimal point when the digit count
//! fixes its position, a comma for a point, O for 0. nullopt when the text is not a number.
std::optional<CellNumber> read_number(std::string_view raw, int decimals);

//! True when `raw` looks like a number at all (digits with at most sign, point, comma, '%').
bool looks_numeric(std::string_view raw);

//! The canonical region for OCR'd text, and whether it needed a fuzzy match.
struct RegionMatch {
  std::string name;  //!< canonical name, or the cleaned text when unknown
  bool known = false;
  bool fuzzy = false;
};
RegionMatch match_region(std::string_view raw);

}  // namespace dicometl::dexa
