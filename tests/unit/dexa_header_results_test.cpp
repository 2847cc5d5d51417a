// The Hologic results script read from header text (header_results.cpp): cells by index, markup
// in labels, blank cells, rows past 9, unknown regions, and tables that are no results tables.
#include <gtest/gtest.h>

#include <string>

#include "dicometl/dexa/header_results.hpp"
#include "dicometl/dexa/result_labels.hpp"

using namespace dicometl::dexa;

namespace {

const Value* find(const Page& p, const std::string& region, const std::string& metric) {
  for (const auto& v : p.values)
    if (v.region == region && v.metric == metric) return &v;
  return nullptr;
}

}  // namespace

TEST(DexaHeaderResults, WholeBodyTableBoneColumnsOnly) {
  std::string s = "Scan = \"04 December 2019 - A12041907\";\r\nPatientSex = \"F\";\r\n";
  const char* header[] = {"Region",   "Area[cm<sup><small>2</small></sup>]",
                          "BMC[(g)]", "BMD[g/cm<sup><small>2</small></sup>]",
                          "Fat[(g)]", "% Fat[(%)]"};
  for (int c = 0; c < 6; ++c)
    s += "ResultsTable[ 0][ " + std::to_string(c) + "] = \"" + header[c] + "\";\r\n";
  // Rows 1..10: the tenth row's index has no leading space ("[10]").
  const char* regions[] = {"L Arm",   "R Arm",  "L Ribs", "R Ribs", "T Spine",
                           "L Spine", "Pelvis", "L Leg",  "Head",   "Nowhere"};
  for (int r = 1; r <= 10; ++r) {
    const std::string idx = r < 10 ? " " + std::to_string(r) : std::to_string(r);
    s += "ResultsTable[" + idx + "][ 0] = \"" + regions[r - 1] + "\";\r\n";
    s += "ResultsTable[" + idx + "][ 1] = \"200.00\";\r\n";
    s += "ResultsTable[" + idx + "][ 2] = \"160.00\";\r\n";
    s += "ResultsTable[" + idx + "][ 3] = \"" + std::string(r == 3 ? " " : "0.800") + "\";\r\n";
    s += "ResultsTable[" + idx + "][ 4] = \"2500.0\";\r\n";
  }
  auto p = page_from_results_script(s);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->layout, "hologic-header");
  EXPECT_EQ(p->page_scan_date, "04 December 2019");
  ASSERT_TRUE(find(*p, "L Arm", "bmd"));
  EXPECT_EQ(find(*p, "L Arm", "bmd")->text, "0.800");
  EXPECT_TRUE(find(*p, "L Arm", "bmd")->ok()) << find(*p, "L Arm", "bmd")->qc_reason;
  EXPECT_EQ(find(*p, "L Arm", "area")->unit, "cm2");
  EXPECT_FALSE(find(*p, "L Ribs", "bmd"));  // a blank cell is no value
  ASSERT_TRUE(find(*p, "Nowhere", "bmd"));  // row 10 read; its name is no known region
  EXPECT_EQ(find(*p, "Nowhere", "bmd")->qc_status, "flagged");
  for (const auto& v : p->values)
    EXPECT_TRUE(v.metric == "area" || v.metric == "bmc" || v.metric == "bmd");
}

TEST(DexaHeaderResults, NoBmdColumnNoPage) {
  EXPECT_FALSE(page_from_results_script(
      "ResultsTable[ 0][ 0] = \"Region\";\r\nResultsTable[ 0][ 1] = \"Fat[(g)]\";\r\n"
      "ResultsTable[ 1][ 0] = \"Trunk\";\r\nResultsTable[ 1][ 1] = \"12000\";\r\n"));
  EXPECT_FALSE(page_from_results_script("PatientSex = \"F\";"));
  dicometl::Instance none;
  EXPECT_FALSE(page_from_header(none));
}

// SR concept names and script labels are named by the page's whole-token rules: a substring rule
// once read "Diameter" as AM % ("am").
TEST(DexaHeaderResults, LabelsAreWholeTokensWithoutUnits) {
  EXPECT_EQ(metric_of_label("Diameter"), "");
  EXPECT_EQ(metric_of_label("Bone Mineral Density"), "bmd");
  EXPECT_EQ(metric_of_label("BMD[g/cm<sup><small>2</small></sup>]"), "bmd");
  EXPECT_EQ(metric_of_label("Age Matched %"), "am_pct");
  EXPECT_EQ(metric_of_label("T-score"), "t_score");
  EXPECT_EQ(metric_of_label("% Fat[(%)]"), "");
}
