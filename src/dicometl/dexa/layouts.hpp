#pragma once
// Layout knowledge as data: how results-table columns are labelled, which regions exist, how many
// decimals each vendor prints, plausible ranges and where a results table ends. The parser and
// QC read these tables; adding a vendor or a column means adding rows here, not branches there.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dicometl::dexa {

//! A measured quantity: unit (UCUM) and the range a real value lies in (spec: "Plausible ranges").
struct MetricInfo {
  std::string name;  //!< bmd, bmc, area, t_score, z_score, ya_pct, am_pct
  std::string unit;
  double min = 0, max = 0;
  double diff_max = 0;  //!< range upper bound for left–right difference rows ("Neck Diff.")
  //! Upper bound in a total-body table (0: as `max`): its rows are arms, legs, trunk and the whole
  //! skeleton, far larger than a vertebra or a hip.
  double total_body_max = 0;
};
const std::vector<MetricInfo>& metrics();
const MetricInfo* find_metric(std::string_view name);

//! A header label rule of the results table: a column whose label tokens (units in parentheses
//! left out) contain `tokens` in a row, each matched as a whole token (fuzzy for OCR
//! confusions, see header_token_matches), holds `metric`. Rules are tried in order, most
//! specific first, so "YA T-score" is a T-score column and "BMD (am)" — "(g/cm²)" as OCR reads
//! it — a BMD column, never an AM % one.
struct HeaderRule {
  std::vector<std::string> tokens;
  std::string metric;  //!< "region", a metric name, or "" for a known column we skip
};
const std::vector<HeaderRule>& header_rules();

//! The metric a header label names through header_rules(): "region", a metric, "" for a known
//! column we skip; nullopt when no rule matches (an unrecognised column). A label that is only a
//! unit in brackets names the one metric printed in it: "(g/cm²)" BMD, "(g)" BMC, "(cm²)" Area.
std::optional<std::string> metric_for_label(std::string_view label);

//! Whether OCR token `token` (lower case) is the header word `word`: equal after folding the
//! usual OCR confusions (o/e/c, l/1/I/|, rn/m, S/5, B/8, Z/2), and for words of 4 letters or
//! more within one edit of it that keeps the first letter.
bool header_token_matches(std::string_view token, std::string_view word);

//! Lower-case label words that start a column. OCR sometimes runs neighbouring labels together
//! ("Young-AdultT-scoreAge-MatchedZ-score"); the parser splits a header word at these.
const std::vector<std::string>& column_label_words();

//! Lower-case words that, on a line with a BMD label, mark a table that is not the results
//! (a trend table's "Date", "Change"; body composition's "Fat", "Lean").
const std::vector<std::string>& non_results_header_words();

//! One vendor's printing habits.
struct Layout {
  std::string name;                  //!< hologic, lunar, norland
  std::vector<std::string> markers;  //!< lower-case words on the page that name the vendor
  //! Decimals printed per metric, in metrics() order of names: "bmd:3" etc.
  std::vector<std::pair<std::string, int>> decimals;
  //! False for vendors whose pages are recognised but not validated: values are read, never ok.
  bool supported = true;
};
const std::vector<Layout>& layouts();
//! The layout named `name`; nullptr when none.
const Layout* find_layout(std::string_view name);
//! Decimals `layout` prints for `metric`; -1 when unknown.
int expected_decimals(const Layout& layout, std::string_view metric);

//! Canonical region names, spine, femur, forearm and total body (spec: "Region names").
const std::vector<std::string>& region_names();

//! Lower-case words that end a results table (trend tables, comments, references).
const std::vector<std::string>& table_stop_words();

//! Region rows that open a section (Hologic dual hip: "Neck" then Left / Right / Mean /
//! |Diff.|): a row with this name and no values is a section title, its sub-rows are named
//! "<section> <sub-row>".
const std::vector<std::string>& section_names();
//! Sub-row names a section may hold.
const std::vector<std::string>& section_sub_rows();

//! Sections printed one after another, each with the same sub-rows in the same order (Hologic
//! dual hip: "Neck", then "Total", each with Left, Right, Mean, |Diff.|): a section whose title
//! OCR lost is named by its place next to a section read.
struct SectionSequence {
  std::vector<std::string> sections;
  std::vector<std::string> sub_rows;
};
const std::vector<SectionSequence>& section_sequences();

//! Whether a header label holds the word "score", as 90-ppi OCR reads it ("FSore", "Scere"):
//! a word ending within one edit of "score".
bool has_score_word(std::string_view label);

//! The ordered region sequences a vendor prints (spine L1…L4, hip Neck…Total): a row whose
//! name OCR lost, between two known neighbours of one sequence, can only be the one between.
const std::vector<std::vector<std::string>>& region_sequences();

}  // namespace dicometl::dexa
