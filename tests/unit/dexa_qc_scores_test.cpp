// Page checks between BMD, scores and percentages (qc_scores.cpp, called by check_page): pages
// as data, rows of printed values. Right pages must pass; a lost minus sign or decimal point
// that both OCR reads share must be flagged by the check named in the reason.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "dicometl/dexa/qc.hpp"

using namespace dicometl::dexa;

namespace {

struct Row {
  const char* region;
  std::vector<std::pair<const char*, const char*>> cells;  // metric, printed text
};

std::vector<Value> page(const std::vector<Row>& rows) {
  std::vector<Value> out;
  for (const auto& r : rows)
    for (const auto& [metric, text] : r.cells) {
      Value v;
      v.region = r.region;
      v.metric = metric;
      v.text = text;
      v.number = std::stod(text);
      out.push_back(v);
    }
  return out;
}

Value& at(std::vector<Value>& vs, const std::string& region, const std::string& metric) {
  for (auto& v : vs)
    if (v.region == region && v.metric == metric) return v;
  throw std::runtime_error("no value " + region + " " + metric);
}

void set(std::vector<Value>& vs, const std::string& region, const std::string& metric,
         const char* text) {
  Value& v = at(vs, region, metric);
  v.text = text;
  v.number = std::stod(text);
}

void expect_all_ok(const std::vector<Value>& vs) {
  for (const auto& v : vs)
    EXPECT_TRUE(v.ok()) << v.region << " " << v.metric << ": " << v.qc_reason;
}

bool flagged_by(std::vector<Value>& vs, const std::string& region, const std::string& metric,
                const std::string& check) {
  const Value& v = at(vs, region, metric);
  return v.qc_status == "flagged" && v.qc_reason.find(check) != std::string::npos;
}

// GE Lunar enCORE 12 spine: BMD, YA %, T, AM %, Z; one young-adult reference per row
// (mu 1.047, sigma 0.110 here, as the vendors' spine references are of that size).
std::vector<Value> lunar12_spine() {
  return page({{"L1",
                {{"bmd", "0.804"},
                 {"ya_pct", "77"},
                 {"t_score", "-2.2"},
                 {"am_pct", "87"},
                 {"z_score", "-1.1"}}},
               {"L2",
                {{"bmd", "0.905"},
                 {"ya_pct", "86"},
                 {"t_score", "-1.3"},
                 {"am_pct", "98"},
                 {"z_score", "-0.2"}}},
               {"L3",
                {{"bmd", "0.951"},
                 {"ya_pct", "91"},
                 {"t_score", "-0.9"},
                 {"am_pct", "103"},
                 {"z_score", "0.2"}}},
               {"L4",
                {{"bmd", "1.002"},
                 {"ya_pct", "96"},
                 {"t_score", "-0.4"},
                 {"am_pct", "108"},
                 {"z_score", "0.7"}}},
               {"L1-L4",
                {{"bmd", "0.925"},
                 {"ya_pct", "88"},
                 {"t_score", "-1.1"},
                 {"am_pct", "100"},
                 {"z_score", "-0.0"}}},
               {"L2-L4",
                {{"bmd", "0.956"},
                 {"ya_pct", "91"},
                 {"t_score", "-0.8"},
                 {"am_pct", "103"},
                 {"z_score", "0.3"}}}});
}

// GE Lunar enCORE 17 dual femur: BMD, YA T-score, AM Z-score (neck mu 0.849, sigma 0.111; total
// mu 0.942, sigma 0.122; age adjustment +1.1).
std::vector<Value> lunar17_dual() {
  return page({{"Neck Left", {{"bmd", "0.771"}, {"t_score", "-0.7"}, {"z_score", "0.4"}}},
               {"Neck Right", {{"bmd", "0.727"}, {"t_score", "-1.1"}, {"z_score", "0.0"}}},
               {"Neck Mean", {{"bmd", "0.749"}, {"t_score", "-0.9"}, {"z_score", "0.2"}}},
               {"Neck Diff.", {{"bmd", "0.044"}, {"t_score", "0.4"}}},
               {"Total Left", {{"bmd", "0.820"}, {"t_score", "-1.0"}, {"z_score", "0.1"}}},
               {"Total Right", {{"bmd", "0.850"}, {"t_score", "-0.8"}, {"z_score", "0.3"}}},
               {"Total Mean", {{"bmd", "0.835"}, {"t_score", "-0.9"}, {"z_score", "0.2"}}},
               {"Total Diff.", {{"bmd", "0.030"}, {"t_score", "0.2"}}}});
}

}  // namespace

TEST(DexaQcScores, RightPagesPass) {
  auto spine = lunar12_spine();
  check_page(spine);
  expect_all_ok(spine);
  auto dual = lunar17_dual();
  check_page(dual);
  expect_all_ok(dual);
  // HL7 FHIR's DXA DiagnosticReport example (a 34-year-old): each region its own reference.
  auto fhir = page({{"L1-L4", {{"bmd", "1.148"}, {"t_score", "-0.4"}, {"z_score", "-0.5"}}},
                    {"Neck Left", {{"bmd", "0.891"}, {"t_score", "-1.0"}, {"z_score", "-0.9"}}},
                    {"Total Left", {{"bmd", "0.887"}, {"t_score", "-1.2"}, {"z_score", "-1.3"}}},
                    {"Neck Right", {{"bmd", "0.885"}, {"t_score", "-1.0"}, {"z_score", "-1.0"}}},
                    {"Total Right", {{"bmd", "0.867"}, {"t_score", "-1.4"}, {"z_score", "-1.4"}}}});
  check_page(fhir);
  expect_all_ok(fhir);
  // Hologic hip, one reference per region (NHANES-sized), 80-year-old: Ward's has its own
  // larger age adjustment and is left out of Z - T.
  auto hip = page({{"Neck",
                    {{"area", "5.12"},
                     {"bmc", "3.40"},
                     {"bmd", "0.664"},
                     {"t_score", "-1.7"},
                     {"z_score", "0.0"}}},
                   {"Troch",
                    {{"area", "11.80"},
                     {"bmc", "6.90"},
                     {"bmd", "0.585"},
                     {"t_score", "-1.5"},
                     {"z_score", "-0.2"}}},
                   {"Inter",
                    {{"area", "18.40"},
                     {"bmc", "17.60"},
                     {"bmd", "0.957"},
                     {"t_score", "-1.5"},
                     {"z_score", "-0.1"}}},
                   {"Total",
                    {{"area", "35.32"},
                     {"bmc", "27.90"},
                     {"bmd", "0.790"},
                     {"t_score", "-1.2"},
                     {"z_score", "0.1"}}},
                   {"Ward's",
                    {{"area", "1.10"},
                     {"bmc", "0.50"},
                     {"bmd", "0.455"},
                     {"t_score", "-1.9"},
                     {"z_score", "0.6"}}}});
  check_page(hip);
  expect_all_ok(hip);
}

TEST(DexaQcScores, DiffRowsAreNotRatios) {
  // Hologic dual hip: |Diff.| rows are differences of Left and Right; BMC/Area means nothing.
  auto vs = page({{"Neck Left", {{"area", "5.10"}, {"bmc", "3.93"}, {"bmd", "0.771"}}},
                  {"Neck Right", {{"area", "5.22"}, {"bmc", "3.79"}, {"bmd", "0.726"}}},
                  {"Neck |Diff.|", {{"area", "0.12"}, {"bmc", "0.14"}, {"bmd", "0.045"}}}});
  check_page(vs);
  expect_all_ok(vs);
}

TEST(DexaQcScores, ScoreAgainstPercentMagnitude) {
  // T -0.7 with YA 92 % read as -4.7 (point lost, 0 read as 4): the sign still agrees.
  auto vs = page({{"Neck", {{"bmd", "0.776"}, {"t_score", "-4.7"}, {"ya_pct", "92"}}}});
  check_page(vs);
  EXPECT_TRUE(flagged_by(vs, "Neck", "t_score", "T-score vs YA%"));
  // Z read without its minus beside AM 96 %.
  auto z = page({{"Neck", {{"bmd", "0.776"}, {"z_score", "0.4"}, {"am_pct", "96"}}}});
  check_page(z);
  EXPECT_TRUE(flagged_by(z, "Neck", "z_score", "Z-score vs AM%"));
}

TEST(DexaQcScores, LostPointInBmdAgainstYoungAdultMean) {
  // 0.804 read as 0.304 on a page without BMC/Area: the row's YA % now implies a reference
  // mean of 0.39 g/cm2 where the other vertebrae give about 1.05.
  auto vs = lunar12_spine();
  set(vs, "L1", "bmd", "0.304");
  check_page(vs);
  EXPECT_TRUE(flagged_by(vs, "L1", "bmd", "young-adult mean"));
  // This check names L1 alone (the spine fit, which cannot tell, flags every spine row).
  EXPECT_EQ(at(vs, "L3", "bmd").qc_reason.find("young-adult mean"), std::string::npos)
      << at(vs, "L3", "bmd").qc_reason;
}

TEST(DexaQcScores, LostMinusAgainstZMinusT) {
  // GE enCORE 17 spine prints BMD, T and Z only. T -0.7 read as 0.7, or as 4.7.
  for (const char* wrong : {"0.7", "4.7"}) {
    auto vs = page({{"L1", {{"bmd", "0.892"}, {"t_score", "-1.4"}, {"z_score", "-0.8"}}},
                    {"L2", {{"bmd", "0.970"}, {"t_score", "-0.7"}, {"z_score", "-0.1"}}},
                    {"L3", {{"bmd", "1.010"}, {"t_score", "-0.3"}, {"z_score", "0.3"}}},
                    {"L4", {{"bmd", "1.043"}, {"t_score", "-0.0"}, {"z_score", "0.6"}}},
                    {"L1-L4", {{"bmd", "0.985"}, {"t_score", "-0.6"}, {"z_score", "0.0"}}}});
    check_page(vs);
    expect_all_ok(vs);
    set(vs, "L2", "t_score", wrong);
    check_page(vs);
    EXPECT_TRUE(flagged_by(vs, "L2", "t_score", "Z - T")) << wrong;
    EXPECT_TRUE(at(vs, "L3", "t_score").ok()) << at(vs, "L3", "t_score").qc_reason;
  }
}

TEST(DexaQcScores, TotalScoreWithinItsParts) {
  auto vs = lunar12_spine();
  set(vs, "L1-L4", "z_score", "1.9");  // misread; its parts are -1.1 to 0.7
  check_page(vs);
  EXPECT_TRUE(flagged_by(vs, "L1-L4", "z_score", "total within parts"));
}

TEST(DexaQcScores, SidesShareOneReference) {
  // Every minus of the neck T-scores lost (a page whose minus glyph is never read): Mean and
  // Diff. still agree; the fit of T against BMD shows a reference whose T falls as BMD rises.
  auto vs = lunar17_dual();
  set(vs, "Neck Left", "t_score", "0.7");
  set(vs, "Neck Right", "t_score", "1.1");
  set(vs, "Neck Mean", "t_score", "0.9");
  check_page(vs);
  EXPECT_TRUE(flagged_by(vs, "Neck Left", "t_score", "reference fit"));
  EXPECT_TRUE(flagged_by(vs, "Neck Mean", "t_score", "reference fit"));
  EXPECT_TRUE(at(vs, "Total Left", "t_score").qc_reason.find("reference fit") == std::string::npos);
  // Their BMDs agree with each other (Mean = (Left + Right)/2): the fit's failure is the scores'.
  EXPECT_TRUE(at(vs, "Neck Left", "bmd").ok()) << at(vs, "Neck Left", "bmd").qc_reason;
  // A lost point in one side's BMD (0.771 read as 0.171 would be out of range; 0.727 as 0.277).
  auto b = lunar17_dual();
  set(b, "Neck Right", "bmd", "0.277");
  check_page(b);
  EXPECT_TRUE(flagged_by(b, "Neck Right", "bmd", "reference fit"));
}

TEST(DexaQcScores, SpineRowsShareOneSigma) {
  // A 90-ppi Hologic spine page without PR/AM whose minus signs OCR lost in three rows, T and Z
  // alike: Z - T stays the same in every row, but T no longer rises with BMD (L1 0.780 and L3
  // 1.218 would both be +1.3).
  auto right = page({{"L1", {{"bmd", "0.780"}, {"t_score", "-1.3"}, {"z_score", "-0.5"}}},
                     {"L2", {{"bmd", "0.875"}, {"t_score", "-1.4"}, {"z_score", "-0.6"}}},
                     {"L3", {{"bmd", "1.218"}, {"t_score", "1.3"}, {"z_score", "2.1"}}},
                     {"L4", {{"bmd", "0.935"}, {"t_score", "-1.4"}, {"z_score", "-0.6"}}}});
  auto vs = right;
  check_page(vs);
  expect_all_ok(vs);
  for (const char* r : {"L1", "L2", "L4"}) {
    set(right, r, "t_score", at(right, r, "t_score").text.substr(1).c_str());
    set(right, r, "z_score", at(right, r, "z_score").text.substr(1).c_str());
  }
  check_page(right);
  for (const char* r : {"L1", "L2", "L4"}) {
    EXPECT_TRUE(flagged_by(right, r, "t_score", "reference fit")) << r;
    EXPECT_TRUE(flagged_by(right, r, "z_score", "reference fit")) << r;
  }
  // One row wrong: the fit fails as well (which rows are wrong it cannot tell).
  auto one = lunar12_spine();
  set(one, "L1", "t_score", "2.2");  // printed -2.2
  check_page(one);
  EXPECT_TRUE(flagged_by(one, "L1", "t_score", "reference fit"));
}

TEST(DexaQcScores, RowMeanOfNoSite) {
  // 1.055 read as 2.055 on a hip page: BMD, YA % and T scale together, but a young-adult mean
  // of 2.3 g/cm2 is no DXA site's.
  auto vs = page({{"Shaft", {{"bmd", "1.055"}, {"ya_pct", "88"}, {"t_score", "-1.0"}}}});
  check_page(vs);
  expect_all_ok(vs);
  set(vs, "Shaft", "bmd", "2.055");
  check_page(vs);
  EXPECT_TRUE(flagged_by(vs, "Shaft", "bmd", "young-adult mean"));
  auto t = page({{"Shaft", {{"bmd", "2.055"}, {"t_score", "-1.0"}}}});
  check_page(t);
  EXPECT_TRUE(flagged_by(t, "Shaft", "t_score", "fit no site's reference"));
}

TEST(DexaQcScores, SpineFitNamesTheRowItsOwnNumbersDoubt) {
  // One BMD misread (0.944 as 0.444) on a Hologic spine page with BMC and Area: the row alone
  // spoils the fit and BMD = BMC/Area already doubts it, so the other rows stay ok.
  auto vs =
      page({{"L1", {{"area", "14.85"}, {"bmc", "11.58"}, {"bmd", "0.780"}, {"t_score", "-1.3"}}},
            {"L2", {{"area", "15.53"}, {"bmc", "14.66"}, {"bmd", "0.944"}, {"t_score", "-0.8"}}},
            {"L3", {{"area", "14.51"}, {"bmc", "15.56"}, {"bmd", "1.072"}, {"t_score", "0.0"}}},
            {"L4", {{"area", "19.15"}, {"bmc", "20.87"}, {"bmd", "1.090"}, {"t_score", "0.0"}}}});
  auto right = vs;
  check_page(right);
  expect_all_ok(right);
  set(vs, "L2", "bmd", "0.444");
  check_page(vs);
  EXPECT_TRUE(flagged_by(vs, "L2", "bmd", "BMC/Area"));
  EXPECT_TRUE(flagged_by(vs, "L2", "t_score", "reference fit"));
  EXPECT_TRUE(at(vs, "L3", "t_score").ok()) << at(vs, "L3", "t_score").qc_reason;
  EXPECT_TRUE(at(vs, "L1", "bmd").ok()) << at(vs, "L1", "bmd").qc_reason;
}

// A dual femur Diff. or Mean score a rounding step (0.1) from what Left and Right say passes on
// a sharp page; on small glyphs it is not ok, since a digit misread by one hides in that step
// (90 ppi: Diff. T 0.1 read 0.2 by every read, with Left -1.6 and Right -1.7).
TEST(DexaQcScores, RoundingStepIsNotOkOnSmallGlyphs) {
  auto sharp = lunar17_dual();
  set(sharp, "Total Diff.", "t_score", "0.3");  // |-1.0 - -0.8| = 0.2: one step off
  check_page(sharp);
  EXPECT_TRUE(at(sharp, "Total Diff.", "t_score").ok())
      << at(sharp, "Total Diff.", "t_score").qc_reason;
  auto small = lunar17_dual();
  set(small, "Total Diff.", "t_score", "0.3");
  check_page(small, true);
  EXPECT_TRUE(flagged_by(small, "Total Diff.", "t_score", "rounding step"));
  auto exact = lunar17_dual();  // every score as Left and Right say: ok on small glyphs too
  check_page(exact, true);
  EXPECT_TRUE(at(exact, "Total Diff.", "t_score").ok())
      << at(exact, "Total Diff.", "t_score").qc_reason;
  EXPECT_TRUE(at(exact, "Neck Mean", "t_score").ok())
      << at(exact, "Neck Mean", "t_score").qc_reason;
}
