#pragma once
// Layout knowledge as data: how results-table columns are labelled, which regions exist, how many
// decimals each vendor prints, plausible ranges and where a results table ends. The parser and
// QC read these tables; adding a vendor or a column means adding rows here, not branches there.
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
};
const std::vector<MetricInfo>& metrics();
const MetricInfo* find_metric(std::string_view name);

//! A header label rule: a column whose joined, lower-cased label (spaces removed) contains
//! `needle` holds `metric`. Rules are tried in order, so "YA T-score" is a T-score column.
struct ColumnRule {
  std::string needle;
  std::string metric;  //!< "region", a metric name, or "" for a known column we skip
};
const std::vector<ColumnRule>& column_rules();

//! Lower-case label words that start a column. OCR sometimes runs neighbouring labels together
//! ("Young-AdultT-scoreAge-MatchedZ-score"); the parser splits a header word at these.
const std::vector<std::string>& column_label_words();

//! One vendor's printing habits.
struct Layout {
  std::string name;                  //!< hologic, lunar
  std::vector<std::string> markers;  //!< lower-case words on the page that name the vendor
  //! Decimals printed per metric, in metrics() order of names: "bmd:3" etc.
  std::vector<std::pair<std::string, int>> decimals;
};
const std::vector<Layout>& layouts();
//! Decimals `layout` prints for `metric`; -1 when unknown.
int expected_decimals(const Layout& layout, std::string_view metric);

//! Canonical region names, spine, femur, forearm and total body (spec: "Region names").
const std::vector<std::string>& region_names();

//! Lower-case words that end a results table (trend tables, comments, references).
const std::vector<std::string>& table_stop_words();

}  // namespace dicometl::dexa
