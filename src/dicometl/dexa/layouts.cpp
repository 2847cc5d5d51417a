// The data behind layouts.hpp. Sources: ../../../docs/dexa.md and the shared DXA spec.
#include "dicometl/dexa/layouts.hpp"

namespace dicometl::dexa {

const std::vector<MetricInfo>& metrics() {
  // Ranges from the spec. Percentages have no range there: 20–250 % keeps OCR garbage out
  // without judging patients. Difference rows are small by nature, hence diff_max.
  static const std::vector<MetricInfo> m = {
      {"bmd", "g/cm2", 0.2, 2.5, 0.5},    {"bmc", "g", 0.5, 3000, 100},
      {"area", "cm2", 1, 300, 50},        {"t_score", "{T-score}", -7, 5, 4},
      {"z_score", "{Z-score}", -7, 5, 4}, {"ya_pct", "%", 20, 250, 50},
      {"am_pct", "%", 20, 250, 50},
  };
  return m;
}

const MetricInfo* find_metric(std::string_view name) {
  for (const auto& m : metrics())
    if (m.name == name) return &m;
  return nullptr;
}

const std::vector<ColumnRule>& column_rules() {
  // Order matters: score columns first (GE prints "YA T-score" and "AM Z-score"), then
  // percentages, then the physical quantities.
  static const std::vector<ColumnRule> r = {
      {"region", "region"},   {"t-score", "t_score"}, {"tscore", "t_score"}, {"t-", "t_score"},
      {"z-score", "z_score"}, {"zscore", "z_score"},  {"z-", "z_score"},     {"2-score", "z_score"},
      {"2-", "z_score"},  // OCR reads Z as 2
      {"young", "ya_pct"},    {"ya%", "ya_pct"},      {"pr(", "ya_pct"},     {"pr", "ya_pct"},
      {"age", "am_pct"},      {"am(", "am_pct"},      {"am", "am_pct"},      {"bmd", "bmd"},
      {"bmc", "bmc"},         {"area", "area"},       {"width", ""},         {"height", ""},
  };
  return r;
}

const std::vector<std::string>& column_label_words() {
  static const std::vector<std::string> w = {"young-adult", "age-matched", "t-score", "z-score",
                                             "bmd",         "bmc",         "area",    "region"};
  return w;
}

const std::vector<Layout>& layouts() {
  // Both vendors print the same decimals today; each layout keeps its own table so that a vendor
  // that prints otherwise is one entry, not a special case.
  const std::vector<std::pair<std::string, int>> common = {
      {"bmd", 3}, {"bmc", 2}, {"area", 2}, {"t_score", 1}, {"z_score", 1}, {"ya_pct", 0}, {"am_pct", 0}};
  static const std::vector<Layout> l = {
      {"hologic", {"hologic", "horizon", "discovery", "apex"}, common},
      {"lunar", {"lunar", "encore", "idxa", "prodigy"}, common},
  };
  return l;
}

int expected_decimals(const Layout& layout, std::string_view metric) {
  for (const auto& [m, d] : layout.decimals)
    if (m == metric) return d;
  return -1;
}

const std::vector<std::string>& region_names() {
  static const std::vector<std::string> r = {
      // spine: single vertebrae and the ranges both vendors print
      "T12", "L1", "L2", "L3", "L4", "L5", "L1-L2", "L1,L3", "L1,L4", "L2-L3", "L2,L4", "L3-L4",
      "L1-L3", "L1-L2,L4", "L1,L3-L4", "L2-L4", "L1-L4", "L1-L5",
      // femur (Hologic single hip; GE dual femur)
      "Neck", "Upper Neck", "Lower Neck", "Ward's", "Troch", "Shaft", "Inter", "Total", "Neck Left",
      "Neck Right", "Neck Mean", "Neck Diff.", "Total Left", "Total Right", "Total Mean",
      "Total Diff.", "Neck |Diff.|", "Total |Diff.|",
      // forearm
      "1/3", "Radius 33%", "UD", "MID", "Radius UD", "Radius Total", "Ulna Total",
      // total body
      "Head", "Arms", "Legs", "Trunk", "Ribs", "Pelvis", "Spine", "L Arm", "R Arm", "L Leg",
      "R Leg", "L Ribs", "R Ribs", "T Spine", "L Spine", "Subtotal"};
  return r;
}

const std::vector<std::string>& table_stop_words() {
  static const std::vector<std::string> w = {"trend",     "measured",  "comment",  "comments",
                                             "reference", "ancillary", "who",      "printed",
                                             "fracture",  "frax",      "physician"};
  return w;
}

}  // namespace dicometl::dexa
